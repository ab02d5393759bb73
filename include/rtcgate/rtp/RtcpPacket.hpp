// RTCP sender and receiver reports: a compound SR or RR + SDES CNAME writer and a compound
// parser that keeps what a leg needs from its peer's reports (RFC 3550 section 6.4).
#pragma once

#include "rtcgate/rtp/NtpTime.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace rtcgate::rtp {

// RFC 3550 section 6.4.1: what the sender of an SR sent so far.
struct SenderInfo {
    NtpTimestamp ntpTimestamp = 0;
    std::uint32_t rtpTimestamp = 0;
    std::uint32_t packetCount = 0;
    std::uint32_t octetCount = 0; // payload octets only

    friend bool operator==(const SenderInfo&, const SenderInfo&) = default;
};

// RFC 3550 section 6.4.1: one reception report block, about one source.
struct ReportBlock {
    std::uint32_t ssrc = 0;
    std::uint8_t fractionLost = 0;   // lost / expected since the previous report, in 1/256
    std::int32_t cumulativeLost = 0; // 24-bit signed on the wire
    std::uint32_t extendedHighestSequence = 0;
    std::uint32_t jitter = 0;                     // in RTP timestamp units
    std::uint32_t lastSenderReport = 0;           // middle 32 bits of the last SR's NTP timestamp
    std::uint32_t delaySinceLastSenderReport = 0; // in 1/65536 s

    friend bool operator==(const ReportBlock&, const ReportBlock&) = default;
};

// The 5-bit report count of one SR or RR.
inline constexpr std::size_t kMaxReportBlocks = 31;

namespace rtcp {
inline constexpr std::uint8_t kSenderReport = 200;
inline constexpr std::uint8_t kReceiverReport = 201;
inline constexpr std::uint8_t kSourceDescription = 202;
inline constexpr std::uint8_t kGoodbye = 203;
inline constexpr std::uint8_t kApplication = 204;
inline constexpr std::uint8_t kTransportFeedback = 205; // RTPFB, RFC 4585
inline constexpr std::uint8_t kPayloadFeedback = 206;   // PSFB, RFC 4585
inline constexpr std::uint8_t kExtendedReport = 207;    // XR, RFC 3611
} // namespace rtcp

// What a compound RTCP packet reports. A reduced-size packet (RFC 5506: no SR or RR first,
// e.g. a lone NACK or PLI) is valid but reports nothing: reduced is set, the rest is empty.
struct RtcpSummary {
    bool reduced = false;
    std::uint32_t senderSsrc = 0;
    std::optional<SenderInfo> senderInfo;
    std::array<ReportBlock, kMaxReportBlocks> reportBlocks{};
    std::size_t reportBlockCount = 0; // blocks past kMaxReportBlocks (a second RR) are dropped

    std::span<const ReportBlock> blocks() const { return std::span(reportBlocks).first(reportBlockCount); }
};

// Writes a compound SR (sender given) or RR (sender null) followed by an SDES with one CNAME
// chunk (RFC 3550 sections 6.1, 6.4, 6.5), without padding. Returns the size written, or 0
// when it does not fit in out, blocks exceed kMaxReportBlocks or cname exceeds 255 octets.
std::size_t writeReport(std::span<std::uint8_t> out, std::uint32_t senderSsrc, const SenderInfo* sender,
                        std::span<const ReportBlock> blocks, std::string_view cname);

// The size writeReport needs for these arguments.
std::size_t reportSize(bool withSenderInfo, std::size_t blockCount, std::size_t cnameSize);

// Validates a compound packet as RFC 3550 appendix A.2 does (version 2 throughout, SR or RR
// first unless reduced-size, padding only on the last packet, lengths adding up exactly to
// the datagram) and reads its SR/RR. BYE, APP, SDES, RTPFB, PSFB, XR and other types are skipped.
std::optional<RtcpSummary> parseCompound(std::span<const std::uint8_t> packet);

} // namespace rtcgate::rtp
