// What the parties of a run send and how each checks what it receives, apart
// from the run's pacing and sockets (TrafficRun): ProbeTraffic for plain
// relay, AudioTraffic for transcoded calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::load {

struct TrafficResult;

class TrafficPattern {
public:
    virtual ~TrafficPattern() = default;

    // The datagram `party` sends as its packet `sequence` (0, 1, ...), at
    // `nowNs` (CLOCK_REALTIME); valid until the next call.
    virtual std::span<const std::uint8_t> packet(std::size_t party, std::uint32_t sequence, std::int64_t nowNs) = 0;

    // A datagram that arrived at `party`: the first `length` bytes of
    // `buffer`, which may be changed in place (SRTP).
    virtual void receive(std::size_t party, std::span<std::uint8_t> buffer, std::size_t length, std::int64_t arrivalNs,
                         TrafficResult& result) = 0;
};

} // namespace rtcgate::load
