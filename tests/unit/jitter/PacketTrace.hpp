// Generated RTP packet traces for the jitter buffer tests: a sender clock, a network delay, a loss pattern.
#pragma once

#include "rtcgate/jitter/JitterBuffer.hpp"
#include "rtcgate/jitter/PacketInfo.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

namespace rtcgate::jitter::test {

using namespace std::chrono_literals;
using TimePoint = JitterBuffer::Clock::time_point;

inline const TimePoint kEpoch = TimePoint{} + 1000s;

struct TracePacket {
    PacketInfo info;
    std::array<std::uint8_t, 12> payload{}; // ssrc, sequence, timestamp: lets playout be checked against the trace
    TimePoint arrival;
    int frame = 0; // index in the stream
};

struct TraceOptions {
    int frames = 1000;
    std::uint32_t ssrc = 0x11223344;
    // Both counters wrap early in the trace.
    std::uint16_t firstSequence = 65500;
    std::uint32_t firstTimestamp = 0xFFFF0000;
    std::uint32_t samplesPerFrame = 960; // 20 ms at 48 kHz
    // Sender clock rate relative to the receiver's (1.001: sender 0.1 % fast).
    double senderSpeed = 1.0;
    std::chrono::microseconds start = 5ms;
    std::function<std::chrono::microseconds(int)> delay = [](int) { return 30000us; };
    std::function<bool(int)> lost = [](int) { return false; };
    // DTX: the frame is not sent and takes no sequence number; the frame before it is flagged dtx.
    std::function<bool(int)> silent = [](int) { return false; };
    std::function<bool(int)> lowEnergy = [](int) { return false; };
};

inline std::vector<TracePacket> buildTrace(const TraceOptions& options) {
    std::vector<TracePacket> trace;
    auto sequence = options.firstSequence;
    for (int frame = 0; frame < options.frames; ++frame) {
        if (options.silent(frame)) {
            continue;
        }
        TracePacket packet;
        packet.frame = frame;
        packet.info.ssrc = options.ssrc;
        packet.info.sequence = sequence++;
        packet.info.timestamp = options.firstTimestamp + static_cast<std::uint32_t>(frame) * options.samplesPerFrame;
        packet.info.dtx = frame + 1 < options.frames && options.silent(frame + 1);
        packet.info.lowEnergy = options.lowEnergy(frame);
        const auto sent = std::chrono::microseconds(static_cast<std::int64_t>(frame * 20000 / options.senderSpeed));
        packet.arrival = kEpoch + options.start + sent + options.delay(frame);
        for (int i = 0; i < 4; ++i) {
            packet.payload[i] = static_cast<std::uint8_t>(packet.info.ssrc >> (24 - 8 * i));
            packet.payload[6 + i] = static_cast<std::uint8_t>(packet.info.timestamp >> (24 - 8 * i));
        }
        packet.payload[4] = static_cast<std::uint8_t>(packet.info.sequence >> 8);
        packet.payload[5] = static_cast<std::uint8_t>(packet.info.sequence);
        if (!options.lost(frame)) {
            trace.push_back(packet);
        }
    }
    std::stable_sort(trace.begin(), trace.end(), [](const auto& a, const auto& b) { return a.arrival < b.arrival; });
    return trace;
}

} // namespace rtcgate::jitter::test
