// rtcgate-load: synthetic load for rtcgated (or any rtpengine-compatible
// daemon) over loopback: sets up relayed or transcoded calls over ng, drives
// both directions of each, and reports throughput, loss, holes in the audio,
// latency and the daemon's CPU time. See --help.
#include "AudioTraffic.hpp"
#include "CallSetup.hpp"
#include "CpuTime.hpp"
#include "LoadConfig.hpp"
#include "LoadReport.hpp"
#include "PartySocket.hpp"
#include "ProbeTraffic.hpp"
#include "StopRequest.hpp"
#include "TrafficRun.hpp"
#include "UdpCounters.hpp"

#include "rtcgate/control/NgClient.hpp"

#include <boost/json/serialize.hpp>

#include <sys/resource.h>

#include <iostream>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

namespace {

namespace load = rtcgate::load;
namespace control = rtcgate::control;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// Two sockets per call, plus a margin for the ng socket, epoll and the timer.
bool ensureFileLimit(std::size_t calls) {
    const rlim_t wanted = 2 * calls + 64;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return false;
    }
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted;
}

int run(int argc, char** argv) {
    load::LoadConfig config;
    switch (load::parseLoadConfig(argc, argv, config)) {
    case load::ParseOutcome::Help:
        return kExitOk;
    case load::ParseOutcome::Usage:
        return kExitUsage;
    case load::ParseOutcome::Run:
        break;
    }
    if (!ensureFileLimit(config.calls)) {
        std::cerr << "rtcgate-load: " << config.calls << " calls need " << 2 * config.calls + 64
                  << " file descriptors; raise the limit (ulimit -n)\n";
        return kExitUsage;
    }
    if (config.daemonPid && !load::processCpuTime(*config.daemonPid)) {
        std::cerr << "rtcgate-load: --pid " << *config.daemonPid << ": no such process (/proc/PID/stat)\n";
        return kExitUsage;
    }
    load::installStopHandlers();

    std::optional<control::NgClient> client;
    try {
        client.emplace(control::NgClientConfig{config.ng, config.ngTimeout, 3});
    } catch (const boost::system::system_error& e) {
        std::cerr << "rtcgate-load: --ng: " << e.what() << '\n';
        return kExitFailed;
    }

    load::LoadReport report;
    load::CallSetup setup{config, *client};
    std::vector<load::PartySocket> parties;
    report.setup = setup.establish(parties);
    if (!report.setup.error.empty()) {
        report.error =
            "set-up stopped after " + std::to_string(report.setup.established) + " calls: " + report.setup.error;
    } else {
        try {
            std::unique_ptr<load::TrafficPattern> pattern;
            if (config.mode == load::TrafficMode::Transcode) {
                pattern = std::make_unique<load::AudioTraffic>(setup.srtpSessions());
            } else {
                pattern = std::make_unique<load::ProbeTraffic>(config, parties.size());
            }
            load::TrafficRun traffic{config, parties, *pattern};
            const auto udpBefore = load::readUdpCounters();
            const auto daemonBefore = config.daemonPid ? load::processCpuTime(*config.daemonPid) : std::nullopt;
            const auto ownBefore = load::ownCpuTime();
            const auto machineBefore = load::machineBusyTime();
            const auto start = std::chrono::steady_clock::now();

            report.traffic = traffic.run();

            report.window = std::chrono::steady_clock::now() - start;
            report.ownCpu = load::ownCpuTime() - ownBefore;
            const auto machineAfter = load::machineBusyTime();
            if (machineBefore && machineAfter) {
                report.machineBusy = *machineAfter - *machineBefore;
            }
            const auto daemonAfter = config.daemonPid ? load::processCpuTime(*config.daemonPid) : std::nullopt;
            if (daemonBefore && daemonAfter) {
                report.daemonCpu = *daemonAfter - *daemonBefore;
            } else if (config.daemonPid) {
                report.error = "the daemon (pid " + std::to_string(*config.daemonPid) + ") is gone";
            }
            const auto udpAfter = load::readUdpCounters();
            if (udpBefore && udpAfter) {
                report.udp = *udpAfter - *udpBefore;
            }
        } catch (const std::system_error& e) {
            report.error = e.what();
        }
    }
    if (load::stopRequested() && report.error.empty()) {
        report.error = "stopped by a signal";
    }
    report.deletion = setup.removeAll();
    parties.clear();

    if (config.json) {
        std::cout << boost::json::serialize(load::toJson(config, report)) << '\n';
    } else {
        load::printSummary(std::cout, config, report);
    }
    return report.error.empty() ? kExitOk : kExitFailed;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "rtcgate-load: " << e.what() << '\n';
        return kExitFailed;
    }
}
