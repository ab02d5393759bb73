#include "rtcgate/rtp/RtpPacket.hpp"

#include "rtcgate/rtp/RtcpPacket.hpp"

namespace rtcgate::rtp {

namespace {
constexpr std::uint8_t kVersion2 = 2;
constexpr std::size_t kRtcpHeaderSize = 8;
} // namespace

std::size_t RtpPacket::headerSize() const {
    std::size_t size = kFixedHeaderSize + std::size_t{4} * (data_[0] & 0x0FU);
    if ((data_[0] & 0x10U) != 0) {
        if (data_.size() < size + 4) {
            return data_.size() + 1;
        }
        std::size_t words = (std::size_t{data_[size + 2]} << 8U) | data_[size + 3];
        size += 4 + 4 * words;
    }
    return size;
}

std::span<const std::uint8_t> RtpPacket::payload() const {
    const std::size_t header = headerSize();
    if (header > data_.size()) {
        return {};
    }
    std::size_t padding = (data_[0] & 0x20U) != 0 && data_.size() > header ? data_.back() : 0;
    if (header + padding > data_.size()) {
        return {};
    }
    return data_.subspan(header, data_.size() - header - padding);
}

bool hasValidLengths(PacketKind kind, std::span<const std::uint8_t> clear) {
    if (kind == PacketKind::Rtcp) {
        return parseCompound(clear).has_value();
    }
    if ((clear[0] & 0x20U) == 0) {
        return true;
    }
    const std::size_t header = RtpPacket(clear).headerSize();
    const std::size_t padding = clear.size() > header ? clear.back() : 0;
    return padding != 0 && header + padding <= clear.size();
}

PacketKind classify(std::span<const std::uint8_t> packet) {
    if (packet.size() < kRtcpHeaderSize || (packet[0] >> 6U) != kVersion2) {
        return PacketKind::Invalid;
    }
    std::uint8_t second = packet[1];
    if (second >= 192 && second <= 223) {
        return PacketKind::Rtcp;
    }
    if (packet.size() < RtpPacket::kFixedHeaderSize || RtpPacket(packet).headerSize() > packet.size()) {
        return PacketKind::Invalid;
    }
    return PacketKind::Rtp;
}

} // namespace rtcgate::rtp
