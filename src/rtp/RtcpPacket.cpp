#include "rtcgate/rtp/RtcpPacket.hpp"

#include <boost/endian/conversion.hpp>

#include <algorithm>

namespace rtcgate::rtp {

namespace {

constexpr std::uint8_t kVersion2 = 2;
constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kSsrcSize = 4;
constexpr std::size_t kSenderInfoSize = 20;
constexpr std::size_t kReportBlockSize = 24;
constexpr std::uint8_t kCnameItem = 1;
constexpr std::size_t kMaxSdesItemSize = 255;
constexpr std::int32_t kMaxCumulativeLost = 0x7FFFFF;
constexpr std::int32_t kMinCumulativeLost = -0x800000;

// SDES chunk: SSRC, type and length octets, the text, and at least one null octet ending the
// item list, padded to a 32-bit boundary (RFC 3550 section 6.5).
std::size_t sdesChunkSize(std::size_t cnameSize) {
    return (kSsrcSize + 2 + cnameSize + 1 + 3) / 4 * 4;
}

void writeHeader(std::uint8_t* at, std::uint8_t count, std::uint8_t packetType, std::size_t size) {
    at[0] = static_cast<std::uint8_t>((kVersion2 << 6U) | count);
    at[1] = packetType;
    boost::endian::store_big_u16(at + 2, static_cast<std::uint16_t>(size / 4 - 1));
}

std::uint8_t* writeReportBlock(std::uint8_t* at, const ReportBlock& block) {
    const std::int32_t lost = std::clamp(block.cumulativeLost, kMinCumulativeLost, kMaxCumulativeLost);
    boost::endian::store_big_u32(at, block.ssrc);
    at[4] = block.fractionLost;
    boost::endian::store_big_u24(at + 5, static_cast<std::uint32_t>(lost) & 0xFFFFFFU);
    boost::endian::store_big_u32(at + 8, block.extendedHighestSequence);
    boost::endian::store_big_u32(at + 12, block.jitter);
    boost::endian::store_big_u32(at + 16, block.lastSenderReport);
    boost::endian::store_big_u32(at + 20, block.delaySinceLastSenderReport);
    return at + kReportBlockSize;
}

ReportBlock readReportBlock(const std::uint8_t* at) {
    ReportBlock block;
    block.ssrc = boost::endian::load_big_u32(at);
    block.fractionLost = at[4];
    block.cumulativeLost = boost::endian::load_big_s24(at + 5);
    block.extendedHighestSequence = boost::endian::load_big_u32(at + 8);
    block.jitter = boost::endian::load_big_u32(at + 12);
    block.lastSenderReport = boost::endian::load_big_u32(at + 16);
    block.delaySinceLastSenderReport = boost::endian::load_big_u32(at + 20);
    return block;
}

// Reads one SR or RR (its size already checked against the datagram) into the summary.
bool readReport(std::span<const std::uint8_t> report, RtcpSummary& summary, bool first) {
    const std::size_t count = report[0] & 0x1FU;
    const bool isSender = report[1] == rtcp::kSenderReport;
    const std::size_t needed = kHeaderSize + kSsrcSize + (isSender ? kSenderInfoSize : 0) + count * kReportBlockSize;
    // Anything after the blocks is a profile-specific extension (RFC 3550 section 6.4.1), skipped.
    if (report.size() < needed) {
        return false;
    }
    const std::uint8_t* at = report.data() + kHeaderSize;
    if (first) {
        summary.senderSsrc = boost::endian::load_big_u32(at);
    }
    at += kSsrcSize;
    if (isSender) {
        if (first) {
            summary.senderInfo = SenderInfo{.ntpTimestamp = boost::endian::load_big_u64(at),
                                            .rtpTimestamp = boost::endian::load_big_u32(at + 8),
                                            .packetCount = boost::endian::load_big_u32(at + 12),
                                            .octetCount = boost::endian::load_big_u32(at + 16)};
        }
        at += kSenderInfoSize;
    }
    for (std::size_t index = 0; index < count && summary.reportBlockCount < kMaxReportBlocks; ++index) {
        summary.reportBlocks[summary.reportBlockCount++] = readReportBlock(at + index * kReportBlockSize);
    }
    return true;
}

bool isReport(std::uint8_t packetType) {
    return packetType == rtcp::kSenderReport || packetType == rtcp::kReceiverReport;
}

} // namespace

std::size_t reportSize(bool withSenderInfo, std::size_t blockCount, std::size_t cnameSize) {
    return kHeaderSize + kSsrcSize + (withSenderInfo ? kSenderInfoSize : 0) + blockCount * kReportBlockSize +
           kHeaderSize + sdesChunkSize(cnameSize);
}

std::size_t writeReport(std::span<std::uint8_t> out, std::uint32_t senderSsrc, const SenderInfo* sender,
                        std::span<const ReportBlock> blocks, std::string_view cname) {
    if (blocks.size() > kMaxReportBlocks || cname.size() > kMaxSdesItemSize) {
        return 0;
    }
    const std::size_t total = reportSize(sender != nullptr, blocks.size(), cname.size());
    if (out.size() < total) {
        return 0;
    }
    std::uint8_t* at = out.data();
    const std::size_t reportLength =
        kHeaderSize + kSsrcSize + (sender != nullptr ? kSenderInfoSize : 0) + blocks.size() * kReportBlockSize;
    writeHeader(at, static_cast<std::uint8_t>(blocks.size()),
                sender != nullptr ? rtcp::kSenderReport : rtcp::kReceiverReport, reportLength);
    boost::endian::store_big_u32(at + kHeaderSize, senderSsrc);
    at += kHeaderSize + kSsrcSize;
    if (sender != nullptr) {
        boost::endian::store_big_u64(at, sender->ntpTimestamp);
        boost::endian::store_big_u32(at + 8, sender->rtpTimestamp);
        boost::endian::store_big_u32(at + 12, sender->packetCount);
        boost::endian::store_big_u32(at + 16, sender->octetCount);
        at += kSenderInfoSize;
    }
    for (const ReportBlock& block : blocks) {
        at = writeReportBlock(at, block);
    }

    const std::size_t chunkSize = sdesChunkSize(cname.size());
    writeHeader(at, 1, rtcp::kSourceDescription, kHeaderSize + chunkSize);
    at += kHeaderSize;
    boost::endian::store_big_u32(at, senderSsrc);
    at[kSsrcSize] = kCnameItem;
    at[kSsrcSize + 1] = static_cast<std::uint8_t>(cname.size());
    std::copy(cname.begin(), cname.end(), at + kSsrcSize + 2);
    std::fill(at + kSsrcSize + 2 + cname.size(), at + chunkSize, std::uint8_t{0});
    return total;
}

std::optional<RtcpSummary> parseCompound(std::span<const std::uint8_t> packet) {
    if (packet.size() < kHeaderSize) {
        return std::nullopt;
    }
    RtcpSummary summary;
    summary.reduced = !isReport(packet[1]);
    std::size_t offset = 0;
    while (offset < packet.size()) {
        const std::span<const std::uint8_t> rest = packet.subspan(offset);
        if (rest.size() < kHeaderSize || (rest[0] >> 6U) != kVersion2 || rest[1] < 192 || rest[1] > 223) {
            return std::nullopt;
        }
        const std::size_t size = (std::size_t{boost::endian::load_big_u16(rest.data() + 2)} + 1) * 4;
        if (size > rest.size()) {
            return std::nullopt;
        }
        std::span<const std::uint8_t> current = rest.first(size);
        if ((current[0] & 0x20U) != 0) {
            // Padding only on the last packet; its last octet counts the padding, itself included.
            const std::size_t padding = current.back();
            if (size != rest.size() || padding == 0 || padding > size - kHeaderSize) {
                return std::nullopt;
            }
            current = current.first(size - padding);
        }
        if (!summary.reduced && isReport(current[1]) && !readReport(current, summary, offset == 0)) {
            return std::nullopt;
        }
        offset += size;
    }
    return summary;
}

} // namespace rtcgate::rtp
