#pragma once

#include <chrono>
#include <cstdint>

namespace rtcgate::jitter {

struct JitterStatistics {
    std::uint64_t received = 0;
    std::uint64_t late = 0; // arrived after their frame was played
    std::uint64_t duplicates = 0;
    std::uint64_t discarded = 0; // payload too large
    std::uint64_t lost = 0;      // frames lost = fecRecoverable + concealed + silent
    std::uint64_t fecRecoverable = 0;
    std::uint64_t concealed = 0;
    // Lost frames found (a gap in sequence numbers) after the buffer had taken their time for a pause: played as
    // silence, neither concealed nor sent on.
    std::uint64_t silent = 0;
    std::uint64_t resyncs = 0;  // SSRC changes and timestamp jumps
    std::uint64_t dropped = 0;  // frames skipped to shrink the delay (jitter gone, sender clock faster)
    std::uint64_t inserted = 0; // frames inserted to grow the delay (jitter grew, sender clock slower)
    std::chrono::microseconds targetDelay{0};
    std::chrono::microseconds currentDelay{0};
};

} // namespace rtcgate::jitter
