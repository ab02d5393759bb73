// NTP timestamps as RTCP carries them (RFC 3550 section 4) and the round-trip time a sender
// reads from its peer's report blocks (RFC 3550 section 6.4.1).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace rtcgate::rtp {

// Seconds since 1900-01-01 in the high 32 bits, the fraction of a second in the low 32 bits.
using NtpTimestamp = std::uint64_t;

NtpTimestamp toNtp(std::chrono::system_clock::time_point time);

// The "compact" form of LSR and DLSR: 16 bits of seconds, 16 bits of fraction (1/65536 s).
constexpr std::uint32_t ntpMiddle32(NtpTimestamp ntp) {
    return static_cast<std::uint32_t>(ntp >> 16U);
}

// A duration in units of 1/65536 s, as DLSR carries it; saturates at the 32-bit maximum.
std::uint32_t toCompactNtp(std::chrono::nanoseconds duration);
std::chrono::microseconds fromCompactNtp(std::uint32_t compact);

// A - LSR - DLSR, all in compact NTP (RFC 3550 section 6.4.1). None when no SR was reported
// (LSR 0) or when the result is negative (clocks or reports inconsistent).
std::optional<std::chrono::microseconds> roundTripTime(std::uint32_t arrivalMiddle32, std::uint32_t lastSenderReport,
                                                       std::uint32_t delaySinceLastSenderReport);

} // namespace rtcgate::rtp
