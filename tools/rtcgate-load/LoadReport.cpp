#include "LoadReport.hpp"

#include <boost/json/array.hpp>
#include <fmt/ostream.h>

#include <algorithm>
#include <string>

namespace rtcgate::load {

namespace {

using Seconds = std::chrono::duration<double>;

// What the numbers of a report derive from.
struct Figures {
    std::uint64_t expected = 0;
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t lost = 0;
    double lossPercent = 0;
    double relayedPerSecond = 0;
    double windowSeconds = 0;
    std::optional<double> daemonCpuSeconds;
    std::optional<double> daemonCpuPercent;
    std::optional<double> daemonMicrosPerPacket;
    std::optional<double> daemonMicrosPerCallFrame; // per call per 20 ms
    double ownCpuSeconds = 0;
    double ownCpuPercent = 0;
    std::optional<double> othersCpuPercent; // the machine's busy time less the daemon's and the tool's
    LatencyHistogram latency;
};

Figures figuresOf(const LoadConfig& config, const LoadReport& report) {
    Figures f;
    f.expected = 2 * report.setup.established * config.packetsPerParty();
    for (const auto& direction : report.traffic.directions) {
        f.sent += direction.sent;
        f.received += direction.received;
        f.lost += direction.lost();
        f.latency += direction.latency;
    }
    f.lossPercent = f.sent > 0 ? 100.0 * static_cast<double>(f.lost) / static_cast<double>(f.sent) : 0;
    const double sendingSeconds = Seconds{report.traffic.sending}.count();
    f.relayedPerSecond = sendingSeconds > 0 ? static_cast<double>(f.received) / sendingSeconds : 0;
    f.windowSeconds = Seconds{report.window}.count();
    if (report.daemonCpu) {
        f.daemonCpuSeconds = Seconds{*report.daemonCpu}.count();
        if (f.windowSeconds > 0) {
            f.daemonCpuPercent = 100.0 * *f.daemonCpuSeconds / f.windowSeconds;
        }
        if (f.received > 0) {
            f.daemonMicrosPerPacket = 1e6 * *f.daemonCpuSeconds / static_cast<double>(f.received);
        }
        if (f.windowSeconds > 0 && report.setup.established > 0) {
            f.daemonMicrosPerCallFrame =
                1e6 * *f.daemonCpuSeconds / static_cast<double>(report.setup.established) / (f.windowSeconds / 0.020);
        }
    }
    f.ownCpuSeconds = Seconds{report.ownCpu}.count();
    f.ownCpuPercent = f.windowSeconds > 0 ? 100.0 * f.ownCpuSeconds / f.windowSeconds : 0;
    if (report.machineBusy && f.windowSeconds > 0) {
        const double others = Seconds{*report.machineBusy}.count() - f.ownCpuSeconds - f.daemonCpuSeconds.value_or(0);
        f.othersCpuPercent = std::max(0.0, 100.0 * others / f.windowSeconds);
    }
    return f;
}

boost::json::object latencyJson(const LatencyHistogram& latency) {
    return {
        {"p50", latency.percentileMicros(0.50)}, {"p99", latency.percentileMicros(0.99)}, {"max", latency.maxMicros()}};
}

double milliseconds(std::uint64_t samples) {
    return static_cast<double>(samples) / 8.0; // 8 kHz
}

double millisecondsOf(std::chrono::nanoseconds duration) {
    return std::chrono::duration<double, std::milli>{duration}.count();
}

double holePercent(const AudioStatistics& audio) {
    const std::uint64_t checked = audio.heardSamples + audio.holeSamples();
    return checked > 0 ? 100.0 * static_cast<double>(audio.holeSamples()) / static_cast<double>(checked) : 0;
}

boost::json::object audioJson(const AudioStatistics& audio) {
    return {{"packets", audio.packets},
            {"late", audio.late},
            {"undecodable", audio.undecodable},
            {"sequence_gaps", audio.sequenceGaps},
            {"heard_ms", milliseconds(audio.heardSamples)},
            {"silent_ms", milliseconds(audio.silentSamples)},
            {"missing_ms", milliseconds(audio.missingSamples)},
            {"dropped_ms", milliseconds(audio.droppedSamples)},
            {"extra_ms", milliseconds(audio.extraSamples)},
            {"hole_ms", milliseconds(audio.holeSamples())},
            {"hole_percent", holePercent(audio)},
            {"longest_hole_ms", milliseconds(audio.longestHoleSamples)},
            {"warm_up_ms", milliseconds(audio.warmUpSamples)},
            {"markers", audio.markers}};
}

boost::json::object directionJson(const LoadConfig& config, const DirectionStatistics& direction) {
    boost::json::object json{{"sent", direction.sent},           {"received", direction.received},
                             {"lost", direction.lost()},         {"duplicates", direction.duplicates},
                             {"reordered", direction.reordered}, {"latency_us", latencyJson(direction.latency)}};
    if (config.mode == TrafficMode::Transcode) {
        json["audio"] = audioJson(direction.audio);
    }
    return json;
}

template <typename T>
boost::json::value optionalJson(const std::optional<T>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

} // namespace

boost::json::object toJson(const LoadConfig& config, const LoadReport& report) {
    const Figures f = figuresOf(config, report);
    boost::json::object json;
    json["mode"] = config.mode == TrafficMode::Transcode ? "transcode" : "relay";
    json["calls"] = config.calls;
    json["calls_established"] = report.setup.established;
    json["duration_s"] = Seconds{config.duration}.count();
    json["ptime_ms"] = config.ptimeMs;
    json["payload_bytes"] = config.payloadBytes;
    json["setup_s"] = report.setup.elapsed.count();
    json["window_s"] = f.windowSeconds;
    json["packets"] = {{"expected", f.expected},
                       {"sent", f.sent},
                       {"received", f.received},
                       {"lost", f.lost},
                       {"loss_percent", f.lossPercent},
                       {"misrouted", report.traffic.misrouted},
                       {"foreign", report.traffic.foreign},
                       {"rtcp", report.traffic.rtcp},
                       {"send_errors", report.traffic.sendErrors}};
    json["relayed_per_second"] = f.relayedPerSecond;
    json["latency_us"] = latencyJson(f.latency);
    json["directions"] = {{"caller_to_callee", directionJson(config, report.traffic.directions[CallerToCallee])},
                          {"callee_to_caller", directionJson(config, report.traffic.directions[CalleeToCaller])}};
    json["daemon"] = {
        {"pid", config.daemonPid ? boost::json::value(*config.daemonPid) : boost::json::value(nullptr)},
        {"cpu_s", optionalJson(f.daemonCpuSeconds)},
        {"cpu_percent", optionalJson(f.daemonCpuPercent)},
        {"cpu_us_per_packet", optionalJson(f.daemonMicrosPerPacket)},
        {"cpu_us_per_call_per_20ms", optionalJson(f.daemonMicrosPerCallFrame)},
        {"counted_rtp_packets", report.deletion.daemonTotalsSeen ? boost::json::value(report.deletion.daemonRtpPackets)
                                                                 : boost::json::value(nullptr)},
        {"counted_rtp_errors", report.deletion.daemonTotalsSeen ? boost::json::value(report.deletion.daemonRtpErrors)
                                                                : boost::json::value(nullptr)}};
    json["load_tool"] = {{"cpu_s", f.ownCpuSeconds},
                         {"cpu_percent", f.ownCpuPercent},
                         {"late_ticks", report.traffic.lateTicks},
                         {"max_tick_lateness_ms", millisecondsOf(report.traffic.maxTickLateness)},
                         {"stalls", report.traffic.stalls},
                         {"stalled_ms", millisecondsOf(report.traffic.stalled)}};
    json["other_processes_cpu_percent"] = optionalJson(f.othersCpuPercent);
    if (report.udp) {
        json["kernel_udp"] = {{"in_datagrams", report.udp->inDatagrams},
                              {"no_ports", report.udp->noPorts},
                              {"in_errors", report.udp->inErrors},
                              {"rcvbuf_errors", report.udp->rcvbufErrors},
                              {"sndbuf_errors", report.udp->sndbufErrors}};
    } else {
        json["kernel_udp"] = nullptr;
    }
    json["deleted"] = report.deletion.deleted;
    json["delete_failed"] = report.deletion.failed;
    json["error"] = report.error.empty() ? boost::json::value(nullptr) : boost::json::value(report.error);
    return json;
}

void printSummary(std::ostream& os, const LoadConfig& config, const LoadReport& report) {
    const Figures f = figuresOf(config, report);
    const bool transcode = config.mode == TrafficMode::Transcode;
    fmt::print(os, "rtcgate-load: {}/{} {} calls set up in {:.2f} s; {} s of media, ptime {} ms, {}\n",
               report.setup.established, config.calls, transcode ? "transcoded" : "relayed",
               report.setup.elapsed.count(), Seconds{config.duration}.count(), config.ptimeMs,
               transcode ? std::string{"Opus/SRTP <-> PCMU audio"}
                         : fmt::format("{}-byte payloads", config.payloadBytes));
    if (!report.error.empty()) {
        fmt::print(os, "  error: {}\n", report.error);
    }
    fmt::print(os,
               "  packets: expected {}, sent {}, received {}, lost {} ({:.3f} %), misrouted {}, foreign {}, "
               "send errors {}\n",
               f.expected, f.sent, f.received, f.lost, f.lossPercent, report.traffic.misrouted, report.traffic.foreign,
               report.traffic.sendErrors);
    fmt::print(os, "  {}: {:.0f} packets/s; latency p50 {:.0f} us, p99 {:.0f} us, max {:.0f} us\n",
               transcode ? "received (audio latency, marker to marker)" : "relayed", f.relayedPerSecond,
               f.latency.percentileMicros(0.5), f.latency.percentileMicros(0.99), f.latency.maxMicros());
    const char* names[] = {"caller->callee", "callee->caller"};
    for (std::size_t d = 0; d < 2; ++d) {
        const DirectionStatistics& direction = report.traffic.directions[d];
        fmt::print(os,
                   "  {}: sent {}, received {}, lost {}, duplicates {}, reordered {}; "
                   "latency p50 {:.0f} us, p99 {:.0f} us, max {:.0f} us\n",
                   names[d], direction.sent, direction.received, direction.lost(), direction.duplicates,
                   direction.reordered, direction.latency.percentileMicros(0.5),
                   direction.latency.percentileMicros(0.99), direction.latency.maxMicros());
        if (transcode) {
            const AudioStatistics& audio = direction.audio;
            fmt::print(os,
                       "    audio: heard {:.0f} ms, holes {:.0f} ms ({:.3f} %: {:.0f} ms silent, {:.0f} ms skipped, "
                       "{:.0f} ms dropped), longest hole {:.0f} ms, {:.0f} ms extra; markers {}, sequence gaps {}, "
                       "late {}, undecodable {}\n",
                       milliseconds(audio.heardSamples), milliseconds(audio.holeSamples()), holePercent(audio),
                       milliseconds(audio.silentSamples), milliseconds(audio.missingSamples),
                       milliseconds(audio.droppedSamples), milliseconds(audio.longestHoleSamples),
                       milliseconds(audio.extraSamples), audio.markers, audio.sequenceGaps, audio.late,
                       audio.undecodable);
        }
    }
    if (f.daemonCpuSeconds) {
        fmt::print(os,
                   "  daemon (pid {}): {:.3f} s CPU in {:.2f} s = {:.1f} % of a core, {:.2f} us per relayed packet, "
                   "{:.1f} us per call per 20 ms\n",
                   *config.daemonPid, *f.daemonCpuSeconds, f.windowSeconds, f.daemonCpuPercent.value_or(0),
                   f.daemonMicrosPerPacket.value_or(0), f.daemonMicrosPerCallFrame.value_or(0));
    } else {
        fmt::print(os, "  daemon CPU: not measured (give --pid)\n");
    }
    fmt::print(os,
               "  rtcgate-load itself: {:.1f} % of a core; ticks late by more than 1 ms: {}, at most {:.2f} ms; "
               "stalled a ptime or more: {} times, {:.0f} ms in all\n",
               f.ownCpuPercent, report.traffic.lateTicks, millisecondsOf(report.traffic.maxTickLateness),
               report.traffic.stalls, millisecondsOf(report.traffic.stalled));
    if (f.othersCpuPercent) {
        fmt::print(os, "  everything else on the machine: {:.1f} % of a core\n", *f.othersCpuPercent);
    }
    if (report.udp) {
        fmt::print(os,
                   "  kernel UDP drops in the window: receive buffer {}, send buffer {}, no port {}, "
                   "all receive errors {}\n",
                   report.udp->rcvbufErrors, report.udp->sndbufErrors, report.udp->noPorts, report.udp->inErrors);
    }
    fmt::print(os, "  calls deleted: {}", report.deletion.deleted);
    if (report.deletion.failed > 0) {
        fmt::print(os, ", failed {} ({})", report.deletion.failed, report.deletion.firstError);
    }
    if (report.deletion.daemonTotalsSeen) {
        fmt::print(os, "; the daemon counted {} RTP packets in, {} errors", report.deletion.daemonRtpPackets,
                   report.deletion.daemonRtpErrors);
    }
    fmt::print(os, "\n");
}

} // namespace rtcgate::load
