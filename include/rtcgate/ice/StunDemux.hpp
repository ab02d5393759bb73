// Telling STUN apart from DTLS, RTP and RTCP on one socket by the first byte
// (RFC 7983 section 7: 0-3 is STUN).
#pragma once

#include <cstdint>
#include <span>

namespace rtcgate::ice {

inline bool isStun(std::span<const std::uint8_t> packet) {
    return !packet.empty() && packet[0] <= 3;
}

} // namespace rtcgate::ice
