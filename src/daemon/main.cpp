// rtcgated: the media gateway daemon.
#include "rtcgate/control/NgServer.hpp"
#include "rtcgate/daemon/EscapedMessage.hpp"
#include "rtcgate/daemon/HeapTrimmer.hpp"
#include "rtcgate/daemon/Options.hpp"
#include "rtcgate/engine/Engine.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

namespace {

using namespace rtcgate;

spdlog::level::level_enum spdlogLevel(int syslogLevel) {
    if (syslogLevel >= 7) {
        return spdlog::level::debug;
    }
    if (syslogLevel == 6) {
        return spdlog::level::info; // every ng command is logged at info, as rtpengine does
    }
    if (syslogLevel >= 4) {
        return spdlog::level::warn; // spdlog has no notice level; rtcgated logs nothing at notice
    }
    if (syslogLevel == 3) {
        return spdlog::level::err;
    }
    return spdlog::level::critical;
}

// Every relayed port is a socket: let the daemon open as many as the hard
// limit allows, and say so when the port range needs more.
void raiseOpenFileLimit(const daemon::Options& options) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    rlim_t ports = static_cast<rlim_t>(options.portMax) - options.portMin + 1;
    constexpr rlim_t kReserved = 64; // control sockets, logs, the runtime's own
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < ports + kReserved) {
        spdlog::warn("the open-file limit ({}) is below the {} ports of --port-min..--port-max: at most about {} calls "
                     "(raise it with ulimit -n or LimitNOFILE=)",
                     limit.rlim_cur, ports, (limit.rlim_cur - std::min(limit.rlim_cur, kReserved)) / 4);
    }
}

int run(const daemon::Options& options) {
    auto logger = spdlog::stderr_color_mt("rtcgated");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlogLevel(options.logLevel));
    spdlog::set_formatter(daemon::makeLogFormatter());

    raiseOpenFileLimit(options);
    if (!options.ignoredRtpengineOptions.empty()) {
        spdlog::warn("ignoring rtpengine options rtcgated does not implement: {}",
                     fmt::join(options.ignoredRtpengineOptions, ", "));
    }

    unsigned shards = options.numThreads != 0 ? options.numThreads : std::max(1U, std::thread::hardware_concurrency());
    engine::EngineConfig config;
    config.mediaAddress = boost::asio::ip::make_address(options.interface);
    config.advertisedAddress = options.advertisedAddress;
    config.portMin = options.portMin;
    config.portMax = options.portMax;
    config.shards = shards;
    config.timeout = std::chrono::seconds(options.timeoutSeconds);
    config.deleteDelay = std::chrono::seconds(options.deleteDelaySeconds);
    config.portQuarantine = std::chrono::seconds(options.portQuarantineSeconds);
    config.transcoding.jitter.minDelay = std::chrono::milliseconds(options.jitterMinDelayMs);
    config.transcoding.jitter.maxDelay = std::chrono::milliseconds(options.jitterMaxDelayMs);
    config.transcoding.opus.complexity = options.opusComplexity;
    config.transcoding.opus.bitrateBitsPerSecond = options.opusBitrate;
    config.opusComplexityCpu = options.opusComplexityCpu;
    config.transcoding.suppressDtmfAudio = !options.dtmfNoSuppress;
    config.learning.mode = options.endpointLearning;
    config.limits = {.maxSessions = options.maxSessions,
                     .maxLoad = options.maxLoad,
                     .maxCpu = options.maxCpu,
                     .maxBandwidth = options.maxBandwidth};
    try {
        config.certificate = std::make_shared<const dtls::Certificate>(
            options.dtlsCert.empty() ? dtls::Certificate::generate()
                                     : dtls::Certificate::loadPem(options.dtlsCert, options.dtlsKey));
    } catch (const std::exception& e) {
        spdlog::critical("DTLS certificate: {}", e.what());
        return 1;
    }
    spdlog::info("DTLS fingerprint {}", config.certificate->fingerprint().toSdp());

    boost::asio::io_context io(1);
    if (options.dtmfLogDest) {
        config.dtmfLog = std::make_shared<dtmf::DtmfEventLog>(*options.dtmfLogDest);
        if (!config.dtmfLog->isOpen()) {
            spdlog::critical("--dtmf-log-dest: {}", config.dtmfLog->openError().message());
            return 1;
        }
    }
    engine::Engine engine(config);
    control::NgServer server(io, engine,
                             {.deleteDelay = config.deleteDelay,
                              .sdpLimits = {.maxBytes = options.maxSdpBytes,
                                            .maxMedia = options.maxMediaLines,
                                            .maxSectionLines = options.maxSdpLines}});
    try {
        server.listenUdp({boost::asio::ip::make_address(options.listenNg.address), options.listenNg.port});
        if (options.listenTcpNg) {
            server.listenTcp({boost::asio::ip::make_address(options.listenTcpNg->address), options.listenTcpNg->port});
        }
    } catch (const boost::system::system_error& e) {
        spdlog::critical("cannot listen for ng commands: {}", e.what());
        return 1;
    }

    if (!options.pidfile.empty()) {
        std::ofstream pidfile(options.pidfile);
        pidfile << ::getpid() << '\n';
        if (!pidfile) {
            spdlog::critical("cannot write pid file {}", options.pidfile);
            return 1;
        }
    }

    engine.start();
    daemon::HeapTrimmer trimmer(io, std::chrono::seconds(1), std::size_t{16} << 20U);
    trimmer.start();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& error, int signal) {
        if (!error) {
            spdlog::info("signal {}: stopping", signal);
            trimmer.stop();
            server.close();
            io.stop();
        }
    });
    std::signal(SIGPIPE, SIG_IGN);

    spdlog::info("rtcgated ready: media on {}, ng on {}:{}{}, ports {}-{}, {} shard(s), timeout {} s",
                 options.interface, options.listenNg.address, options.listenNg.port,
                 options.listenTcpNg ? " (and TCP " + options.listenTcpNg->address + ":" +
                                           std::to_string(options.listenTcpNg->port) + ")"
                                     : std::string{},
                 options.portMin, options.portMax, shards, options.timeoutSeconds);
    io.run();

    engine.stop(); // deletes every call
    if (!options.pidfile.empty()) {
        std::remove(options.pidfile.c_str());
    }
    spdlog::info("stopped");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    auto parsed = rtcgate::daemon::parseOptions(argc, argv);
    if (auto* exit = std::get_if<rtcgate::daemon::OptionsExit>(&parsed)) {
        (exit->exitCode == 0 ? std::cout : std::cerr) << exit->message;
        return exit->exitCode;
    }
    try {
        return run(std::get<rtcgate::daemon::Options>(parsed));
    } catch (const std::exception& e) {
        std::cerr << "rtcgated: " << e.what() << '\n';
        return 1;
    }
}
