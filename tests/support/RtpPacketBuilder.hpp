// RTP packets with chosen header fields, for tests that play a party's stream.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace rtcgate::testing {

struct RtpFields {
    std::uint8_t payloadType = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0x11223344;
    bool marker = false;
};

// A version 2 fixed header (RFC 3550 section 5.1) followed by `payload`.
inline std::vector<std::uint8_t> makeRtpPacket(const RtpFields& fields, std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> packet(12 + payload.size());
    packet[0] = 0x80;
    packet[1] = static_cast<std::uint8_t>((fields.marker ? 0x80U : 0U) | (fields.payloadType & 0x7FU));
    packet[2] = static_cast<std::uint8_t>(fields.sequence >> 8U);
    packet[3] = static_cast<std::uint8_t>(fields.sequence);
    for (std::size_t i = 0; i < 4; ++i) {
        const unsigned shift = 24U - 8U * static_cast<unsigned>(i);
        packet[4 + i] = static_cast<std::uint8_t>(fields.timestamp >> shift);
        packet[8 + i] = static_cast<std::uint8_t>(fields.ssrc >> shift);
    }
    std::copy(payload.begin(), payload.end(), packet.begin() + 12);
    return packet;
}

} // namespace rtcgate::testing
