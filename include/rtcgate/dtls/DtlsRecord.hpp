// Recognising DTLS among the packets of a shared media socket.
#pragma once

#include <cstdint>
#include <span>

namespace rtcgate::dtls {

// RFC 7983 section 7: a first byte in [20, 63] is DTLS (STUN is 0-3, RTP/RTCP 128-191).
inline bool isDtls(std::span<const std::uint8_t> packet) {
    return !packet.empty() && packet[0] >= 20 && packet[0] <= 63;
}

} // namespace rtcgate::dtls
