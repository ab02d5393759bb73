// The media path's clock, and the shard tick it runs on.
#pragma once

#include <chrono>

namespace rtcgate::media {

using Clock = std::chrono::steady_clock;

// The shard tick that drives transcoded playout (and, every tenth, housekeeping).
inline constexpr auto kMediaTickInterval = std::chrono::milliseconds(10);

// The wall-clock time of a steady-clock time point (for query, and RTCP's NTP timestamps).
inline std::chrono::system_clock::time_point wallClockOf(Clock::time_point steady) {
    return std::chrono::system_clock::now() +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(steady - Clock::now());
}

} // namespace rtcgate::media
