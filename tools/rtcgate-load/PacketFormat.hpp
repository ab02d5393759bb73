// The packets rtcgate-load sends: an RTP header (RFC 3550 section 5.1, PCMU)
// and, at the start of the payload, a probe that says which party sent it,
// its sequence number and when it was sent. The rest of the payload is zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace rtcgate::load {

constexpr std::size_t kRtpHeaderSize = 12;

struct Probe {
    static constexpr std::uint32_t kMagic = 0x524c4431; // "RLD1"
    static constexpr std::size_t kSize = 20;            // magic, flow, sequence (4 each), sent (8)

    std::uint32_t flow = 0;     // index of the sending party
    std::uint32_t sequence = 0; // 0, 1, ... per flow
    std::int64_t sentNs = 0;    // CLOCK_REALTIME, the clock of SO_TIMESTAMPNS
};

// Writes the RTP header and the probe; the payload after the probe is left
// as it is. `packet` holds at least kRtpHeaderSize + Probe::kSize bytes.
inline void writePacket(std::uint8_t* packet, std::uint16_t rtpSequence, std::uint32_t rtpTimestamp, std::uint32_t ssrc,
                        const Probe& probe) {
    packet[0] = 0x80; // version 2, no padding, no extension, no CSRC
    packet[1] = 0;    // no marker, payload type 0 (PCMU)
    packet[2] = static_cast<std::uint8_t>(rtpSequence >> 8);
    packet[3] = static_cast<std::uint8_t>(rtpSequence);
    for (int i = 0; i < 4; ++i) {
        packet[4 + i] = static_cast<std::uint8_t>(rtpTimestamp >> (24 - 8 * i));
        packet[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
    }
    // Host byte order: the probe is read back on the same machine.
    std::uint8_t* p = packet + kRtpHeaderSize;
    const std::uint32_t magic = Probe::kMagic;
    std::memcpy(p, &magic, 4);
    std::memcpy(p + 4, &probe.flow, 4);
    std::memcpy(p + 8, &probe.sequence, 4);
    std::memcpy(p + 12, &probe.sentNs, 8);
}

// The probe of a received packet; nullopt when it is not one of ours.
inline std::optional<Probe> readProbe(std::span<const std::uint8_t> packet) {
    if (packet.size() < kRtpHeaderSize + Probe::kSize || (packet[0] & 0xc0) != 0x80) {
        return std::nullopt;
    }
    const std::uint8_t* p = packet.data() + kRtpHeaderSize;
    std::uint32_t magic = 0;
    std::memcpy(&magic, p, 4);
    if (magic != Probe::kMagic) {
        return std::nullopt;
    }
    Probe probe;
    std::memcpy(&probe.flow, p + 4, 4);
    std::memcpy(&probe.sequence, p + 8, 4);
    std::memcpy(&probe.sentNs, p + 12, 8);
    return probe;
}

} // namespace rtcgate::load
