#include "LoadConfig.hpp"

#include "rtcgate/control/NgClient.hpp"

#include <boost/program_options.hpp>

#include <cmath>
#include <iostream>

namespace rtcgate::load {

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage = R"(Usage: rtcgate-load --calls N --duration SECONDS [OPTIONS]

Synthetic plain-RTP load for rtcgated or any rtpengine-compatible daemon, over
loopback only. Sets up N calls over ng (offer from the caller A, answer from
the callee B, each party with its own RTP socket), then for SECONDS every party
sends one RTP packet per ptime to the daemon (both directions of every call:
2 * N * 1000 / ptime packets per second), receives what the daemon relays, and
reports per direction: sent, received, lost, duplicates, reordered, latency
(send to kernel receive timestamp), and the daemon's CPU time per relayed packet
(with --pid). The calls are deleted at the end.

With --transcode, the calls are transcoded instead: the caller plays a browser
(Opus, encoded at 48 kHz, over SDES-SRTP), the callee a carrier (PCMU); the
offer asks the daemon for PCMU over plain RTP toward the callee. Both send a
500 Hz tone with a 20 ms marker at 2 kHz every second, and decode what they
receive: the report adds per direction the audio heard, its holes (no tone,
or a jump of the RTP timestamp), the longest hole, and the latency of the
audio from marker to marker.

Exit status: 0 when the run completed (whatever the loss), 1 when the calls
could not be set up or the run failed, 2 on a usage error.
)";

// Bounds that keep one run finite and its memory small.
constexpr std::size_t kMaxCalls = 20000;
constexpr double kMaxDurationSeconds = 3600;
constexpr std::size_t kMaxPayload = 1400;
constexpr std::size_t kMinPayload = 20; // what the tool writes into each payload: see PacketFormat.hpp

bool usageError(const std::string& message) {
    std::cerr << "rtcgate-load: " << message << "\n(see rtcgate-load --help)\n";
    return false;
}

bool checkLoopback(const boost::asio::ip::address& address, const char* option) {
    if (!address.is_loopback()) {
        return usageError(std::string{option} + ": " + address.to_string() +
                          " is not a loopback address; rtcgate-load only runs over loopback");
    }
    return true;
}

bool fill(const po::variables_map& options, LoadConfig& config) {
    std::string error;
    auto ng = control::parseNgAddress(options["ng"].as<std::string>(), error);
    if (!ng) {
        return usageError("--ng: " + error);
    }
    if (!checkLoopback(ng->address(), "--ng")) {
        return false;
    }
    config.ng = *ng;

    boost::system::error_code addressError;
    config.address = boost::asio::ip::make_address(options["address"].as<std::string>(), addressError);
    if (addressError) {
        return usageError("--address: not an IP address: " + options["address"].as<std::string>());
    }
    if (!checkLoopback(config.address, "--address")) {
        return false;
    }

    const long long calls = options["calls"].as<long long>();
    if (calls < 1 || static_cast<std::size_t>(calls) > kMaxCalls) {
        return usageError("--calls must be 1.." + std::to_string(kMaxCalls));
    }
    config.calls = static_cast<std::size_t>(calls);

    const double duration = options["duration"].as<double>();
    if (!(duration > 0) || duration > kMaxDurationSeconds) {
        return usageError("--duration must be more than 0 and at most 3600 seconds");
    }
    config.duration = std::chrono::milliseconds{std::llround(duration * 1000)};

    const int ptime = options["ptime"].as<int>();
    if (ptime < 1 || ptime > 1000) {
        return usageError("--ptime must be 1..1000 ms");
    }
    config.ptimeMs = static_cast<unsigned>(ptime);
    if (config.packetsPerParty() == 0) {
        return usageError("--duration is shorter than one --ptime");
    }

    const long long payload = options["payload"].as<long long>();
    if (payload < static_cast<long long>(kMinPayload) || payload > static_cast<long long>(kMaxPayload)) {
        return usageError("--payload must be " + std::to_string(kMinPayload) + ".." + std::to_string(kMaxPayload) +
                          " bytes");
    }
    config.payloadBytes = static_cast<std::size_t>(payload);

    config.setupRate = options["setup-rate"].as<double>();
    if (!(config.setupRate > 0) || config.setupRate > 1e6) {
        return usageError("--setup-rate must be a positive number of calls per second");
    }
    if (static_cast<double>(config.calls) / config.setupRate > kMaxDurationSeconds) {
        return usageError("--setup-rate: the set-up would take more than an hour");
    }

    if (options.count("pid") != 0) {
        const long long pid = options["pid"].as<long long>();
        if (pid <= 0) {
            return usageError("--pid must be a process id");
        }
        config.daemonPid = static_cast<pid_t>(pid);
    }
    config.json = options.count("json") != 0;
    if (options.count("transcode") != 0) {
        config.mode = TrafficMode::Transcode;
        if (config.ptimeMs != 20) {
            return usageError("--transcode sends 20 ms packets: --ptime must be 20");
        }
    }

    const int drainMs = options["drain-ms"].as<int>();
    const int timeoutMs = options["timeout-ms"].as<int>();
    if (drainMs < 0 || drainMs > 60000 || timeoutMs <= 0 || timeoutMs > 60000) {
        return usageError("--drain-ms must be 0..60000 and --timeout-ms 1..60000");
    }
    config.drain = std::chrono::milliseconds{drainMs};
    config.ngTimeout = std::chrono::milliseconds{timeoutMs};

    config.callIdPrefix = options.count("call-id-prefix") != 0 ? options["call-id-prefix"].as<std::string>()
                                                               : "load-" + control::makeNgCookie().substr(0, 8) + "-";
    return true;
}

} // namespace

ParseOutcome parseLoadConfig(int argc, char** argv, LoadConfig& config) {
    po::options_description visible{"Options"};
    auto add = visible.add_options();
    add("help,h", "this text");
    add("ng", po::value<std::string>()->default_value("127.0.0.1:2223"),
        "the daemon's ng address: ADDRESS:PORT or [IPv6]:PORT (loopback)");
    add("calls", po::value<long long>()->required(), "calls to set up");
    add("duration", po::value<double>()->required(), "seconds of media after the set-up");
    add("ptime", po::value<int>()->default_value(20), "milliseconds between two packets of a party");
    add("payload", po::value<long long>()->default_value(160), "RTP payload bytes per packet");
    add("address", po::value<std::string>()->default_value("127.0.0.1"), "the parties' address (loopback)");
    add("setup-rate", po::value<double>()->default_value(200), "calls set up per second");
    add("pid", po::value<long long>(), "the daemon's process id: measure its CPU time");
    add("json", "print one JSON object instead of the summary");
    add("transcode", "transcoded calls: Opus over SRTP from the caller, PCMU from the callee, checked as audio");
    add("drain-ms", po::value<int>()->default_value(1000),
        "after the last packet is sent, wait at most this long for the rest to arrive");
    add("timeout-ms", po::value<int>()->default_value(1000), "wait this long for each ng reply (3 retransmits)");
    add("call-id-prefix", po::value<std::string>(), "call-ids are PREFIX0, PREFIX1, ... (default: load-RANDOM-)");

    po::variables_map options;
    try {
        po::store(po::command_line_parser(argc, argv).options(visible).run(), options);
        if (options.count("help") != 0) {
            std::cout << kUsage << '\n' << visible;
            return ParseOutcome::Help;
        }
        po::notify(options);
    } catch (const po::error& e) {
        usageError(e.what());
        return ParseOutcome::Usage;
    }
    return fill(options, config) ? ParseOutcome::Run : ParseOutcome::Usage;
}

} // namespace rtcgate::load
