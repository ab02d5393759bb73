// A read-only view of an RTP or RTCP packet over the receive buffer.
#pragma once

#include <cstdint>
#include <span>

namespace rtcgate::rtp {

enum class PacketKind {
    Rtp,
    Rtcp,
    Invalid
};

// Tells RTP from RTCP by the second byte (RFC 5761 section 4: RTCP packet
// types 192-223 overlap no RTP payload type in use). Invalid: shorter than a
// fixed header, not version 2, or an RTP header longer than the packet.
PacketKind classify(std::span<const std::uint8_t> packet);

// What classify() cannot see before SRTP is taken off: that the padding of RTP fits the packet (RFC 3550 section
// 5.1) and that compound RTCP is valid (appendix A.2: lengths that add up, reports as long as their counts say).
// `clear` is the packet in the clear.
bool hasValidLengths(PacketKind kind, std::span<const std::uint8_t> clear);

class RtpPacket {
public:
    static constexpr std::size_t kFixedHeaderSize = 12;

    explicit RtpPacket(std::span<const std::uint8_t> data) : data_(data) {}

    std::uint8_t payloadType() const { return data_[1] & 0x7FU; }
    bool marker() const { return (data_[1] & 0x80U) != 0; }
    std::uint16_t sequenceNumber() const { return static_cast<std::uint16_t>((data_[2] << 8U) | data_[3]); }
    std::uint32_t timestamp() const { return read32(4); }
    std::uint32_t ssrc() const { return read32(8); }
    // Fixed header, CSRCs and the header extension (RFC 3550 section 5.3.1).
    std::size_t headerSize() const;
    // What follows the header, without the padding (RFC 3550 section 5.1, P bit); empty when the
    // header or the padding count does not fit the packet.
    std::span<const std::uint8_t> payload() const;

private:
    std::uint32_t read32(std::size_t at) const {
        return (std::uint32_t{data_[at]} << 24U) | (std::uint32_t{data_[at + 1]} << 16U) |
               (std::uint32_t{data_[at + 2]} << 8U) | data_[at + 3];
    }

    std::span<const std::uint8_t> data_;
};

} // namespace rtcgate::rtp
