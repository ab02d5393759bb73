#include "rtcgate/rtp/RtcpPacket.hpp"

#include "AllocationCounter.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rtcgate::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t kSenderSsrc = 0x01020304;

const SenderInfo kSender{
    .ntpTimestamp = 0xB44DB705'20000000ULL, .rtpTimestamp = 8000, .packetCount = 50, .octetCount = 8000};
const ReportBlock kBlock{.ssrc = 0x11223344,
                         .fractionLost = 12,
                         .cumulativeLost = 50,
                         .extendedHighestSequence = 999,
                         .jitter = 9,
                         .lastSenderReport = 0xB7052000,
                         .delaySinceLastSenderReport = 0x00054000};

// SR with one block and SDES CNAME "rtcgate", worked by hand from RFC 3550 sections 6.4.1 and 6.5.
const Bytes kSenderReportCompound{
    0x81, 0xC8, 0x00, 0x0C, 0x01, 0x02, 0x03, 0x04,                         // SR, RC 1, 13 words
    0xB4, 0x4D, 0xB7, 0x05, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F, 0x40, // NTP, RTP timestamp
    0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x1F, 0x40,                         // packets, octets
    0x11, 0x22, 0x33, 0x44, 0x0C, 0x00, 0x00, 0x32, 0x00, 0x00, 0x03, 0xE7, // block: SSRC, lost, highest
    0x00, 0x00, 0x00, 0x09, 0xB7, 0x05, 0x20, 0x00, 0x00, 0x05, 0x40, 0x00, // jitter, LSR, DLSR
    0x81, 0xCA, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04,                         // SDES, SC 1, 5 words
    0x01, 0x07, 'r',  't',  'c',  'g',  'a',  't',  'e',  0x00, 0x00, 0x00, // CNAME, end, pad
};
constexpr std::size_t kSenderReportSize = 52;

// What Chrome sends as a receiver: RR with one block, SDES with its 16-character CNAME.
const Bytes kChromeReceiverReport{
    0x81, 0xC9, 0x00, 0x07, 0x7A, 0x3B, 0x9C, 0x01, 0x5C, 0x3F, 0x1A, 0x2B, 0x05, 0x00, 0x00,
    0x03, 0x00, 0x01, 0xA2, 0xF4, 0x00, 0x00, 0x00, 0x1C, 0x8D, 0x3A, 0x4B, 0x00, 0x00, 0x00,
    0xE1, 0x48, 0x81, 0xCA, 0x00, 0x06, 0x7A, 0x3B, 0x9C, 0x01, 0x01, 0x10, 'm',  'Q',  '0',
    'D',  'w',  'Q',  '0',  'c',  'H',  '1',  'd',  '1',  'X',  'Y',  'q',  '5',  0x00, 0x00,
};

std::optional<RtcpSummary> parse(const Bytes& bytes) {
    return parseCompound(bytes);
}

TEST(RtcpPacketTest, WritesASenderReportCompoundByteForByte) {
    std::array<std::uint8_t, 128> out{};
    const std::size_t size = writeReport(out, kSenderSsrc, &kSender, std::span(&kBlock, 1), "rtcgate");
    ASSERT_EQ(size, kSenderReportCompound.size());
    EXPECT_EQ(size, reportSize(true, 1, 7));
    EXPECT_EQ(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size)), kSenderReportCompound);
}

TEST(RtcpPacketTest, WritesAReceiverReportWithoutSenderInfo) {
    std::array<std::uint8_t, 128> out{};
    const std::size_t size = writeReport(out, kSenderSsrc, nullptr, {}, "ab");
    const Bytes expected{0x80, 0xC9, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04, 0x81, 0xCA, 0x00, 0x03,
                         0x01, 0x02, 0x03, 0x04, 0x01, 0x02, 'a',  'b',  0x00, 0x00, 0x00, 0x00};
    ASSERT_EQ(size, expected.size());
    EXPECT_EQ(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size)), expected);
}

// The item list ends with a null octet (RFC 3550 section 6.5): when the CNAME fills the word
// exactly, a whole word of nulls follows.
TEST(RtcpPacketTest, CnameFillingAWordGetsAWordOfNulls) {
    std::array<std::uint8_t, 128> out{};
    const std::size_t size = writeReport(out, kSenderSsrc, nullptr, {}, "abcdef");
    ASSERT_EQ(size, 8U + 4U + 16U);
    EXPECT_EQ(out[8 + 3], 0x04); // SDES length: 5 words - 1
    for (std::size_t index = 8 + 4 + 12; index < size; ++index) {
        EXPECT_EQ(out[index], 0U) << index;
    }
}

TEST(RtcpPacketTest, WritesNothingWhenItDoesNotFit) {
    std::array<std::uint8_t, 128> out{};
    for (std::size_t room = 0; room < kSenderReportCompound.size(); ++room) {
        EXPECT_EQ(writeReport(std::span(out).first(room), kSenderSsrc, &kSender, std::span(&kBlock, 1), "rtcgate"), 0U)
            << room;
    }
}

TEST(RtcpPacketTest, WritesNothingForMoreBlocksThanTheCountHoldsOrALongCname) {
    std::array<std::uint8_t, 2048> out{};
    std::array<ReportBlock, kMaxReportBlocks + 1> blocks{};
    EXPECT_EQ(writeReport(out, kSenderSsrc, nullptr, blocks, "x"), 0U);
    EXPECT_EQ(writeReport(out, kSenderSsrc, nullptr, std::span(blocks).first(kMaxReportBlocks), "x"),
              reportSize(false, kMaxReportBlocks, 1));
    EXPECT_EQ(writeReport(out, kSenderSsrc, nullptr, {}, std::string(256, 'c')), 0U);
    EXPECT_NE(writeReport(out, kSenderSsrc, nullptr, {}, std::string(255, 'c')), 0U);
}

TEST(RtcpPacketTest, ParsesTheSenderReportCompound) {
    const auto summary = parse(kSenderReportCompound);
    ASSERT_TRUE(summary.has_value());
    EXPECT_FALSE(summary->reduced);
    EXPECT_EQ(summary->senderSsrc, kSenderSsrc);
    ASSERT_TRUE(summary->senderInfo.has_value());
    EXPECT_EQ(*summary->senderInfo, kSender);
    ASSERT_EQ(summary->blocks().size(), 1U);
    EXPECT_EQ(summary->blocks()[0], kBlock);
}

TEST(RtcpPacketTest, ChromeReceiverReportRoundTrips) {
    const auto summary = parse(kChromeReceiverReport);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->senderSsrc, 0x7A3B9C01U);
    EXPECT_FALSE(summary->senderInfo.has_value());
    ASSERT_EQ(summary->blocks().size(), 1U);
    const ReportBlock& block = summary->blocks()[0];
    EXPECT_EQ(block.ssrc, 0x5C3F1A2BU);
    EXPECT_EQ(block.fractionLost, 5U);
    EXPECT_EQ(block.cumulativeLost, 3);
    EXPECT_EQ(block.extendedHighestSequence, 0x0001A2F4U);
    EXPECT_EQ(block.jitter, 28U);
    EXPECT_EQ(block.lastSenderReport, 0x8D3A4B00U);
    EXPECT_EQ(block.delaySinceLastSenderReport, 0x0000E148U);

    std::array<std::uint8_t, 128> out{};
    const std::size_t size = writeReport(out, summary->senderSsrc, nullptr, summary->blocks(), "mQ0DwQ0cH1d1XYq5");
    EXPECT_EQ(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size)), kChromeReceiverReport);
}

TEST(RtcpPacketTest, NegativeCumulativeLossRoundTripsAsTwentyFourBitsSigned) {
    ReportBlock block = kBlock;
    block.cumulativeLost = -2;
    std::array<std::uint8_t, 128> out{};
    const std::size_t size = writeReport(out, kSenderSsrc, nullptr, std::span(&block, 1), "c");
    EXPECT_EQ(out[8 + 5], 0xFF);
    EXPECT_EQ(out[8 + 7], 0xFE);
    const auto summary = parseCompound(std::span(out).first(size));
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->blocks()[0].cumulativeLost, -2);

    block.cumulativeLost = 0x7FFFFF + 5;
    writeReport(out, kSenderSsrc, nullptr, std::span(&block, 1), "c");
    EXPECT_EQ(parseCompound(std::span(out).first(size))->blocks()[0].cumulativeLost, 0x7FFFFF);
}

// aiortc ends a call with SR + SDES + BYE; WebRTC stacks add feedback and XR to compounds.
TEST(RtcpPacketTest, SkipsByeAppFeedbackAndExtendedReports) {
    Bytes compound = kSenderReportCompound;
    const Bytes others{
        0x81, 0xCB, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04,                                                 // BYE
        0x80, 0xCC, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 'n',  'a',  'm',  'e',                          // APP
        0x81, 0xCD, 0x00, 0x03, 0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x44, 0x00, 0x10, 0x00, 0x00, // NACK
        0x81, 0xCE, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x44,                         // PLI
        0x80, 0xCF, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, 0x04, 0x00, 0x00, 0x02, 0xB7, 0x05, 0x20, 0x00,
        0x00, 0x00, 0x00, 0x00, // XR, receiver reference time block
    };
    compound.insert(compound.end(), others.begin(), others.end());
    const auto summary = parse(compound);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(*summary->senderInfo, kSender);
    ASSERT_EQ(summary->blocks().size(), 1U);
    EXPECT_EQ(summary->blocks()[0], kBlock);
}

TEST(RtcpPacketTest, ReducedSizeFeedbackIsAcceptedButReportsNothing) {
    const Bytes pli{0x81, 0xCE, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x44};
    const auto summary = parse(pli);
    ASSERT_TRUE(summary.has_value());
    EXPECT_TRUE(summary->reduced);
    EXPECT_FALSE(summary->senderInfo.has_value());
    EXPECT_TRUE(summary->blocks().empty());

    const Bytes nack{0x81, 0xCD, 0x00, 0x03, 0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x44, 0x00, 0x10, 0x00, 0x00};
    ASSERT_TRUE(parse(nack).has_value());
    EXPECT_TRUE(parse(nack)->reduced);
    // Still validated: a truncated one is not RTCP.
    EXPECT_FALSE(parseCompound(std::span(nack).first(12)).has_value());
}

TEST(RtcpPacketTest, ProfileExtensionAfterTheBlocksIsSkipped) {
    Bytes receiverReport{0x80, 0xC9, 0x00, 0x03, 0x01, 0x02, 0x03, 0x04,
                         0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11};
    const auto summary = parse(receiverReport);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->senderSsrc, kSenderSsrc);
    EXPECT_TRUE(summary->blocks().empty());
}

TEST(RtcpPacketTest, BlocksOfASecondReceiverReportAreAppended) {
    std::array<ReportBlock, kMaxReportBlocks> blocks{};
    for (std::size_t index = 0; index < blocks.size(); ++index) {
        blocks[index].ssrc = static_cast<std::uint32_t>(index + 1);
    }
    std::array<std::uint8_t, 2048> out{};
    const std::size_t first = writeReport(out, kSenderSsrc, nullptr, std::span(blocks).first(30), "a");
    const std::size_t second = writeReport(std::span(out).subspan(first), 0x99, nullptr, blocks, "a");
    const auto summary = parseCompound(std::span(out).first(first + second));
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->senderSsrc, kSenderSsrc);
    ASSERT_EQ(summary->blocks().size(), kMaxReportBlocks);
    EXPECT_EQ(summary->blocks()[29].ssrc, 30U);
    EXPECT_EQ(summary->blocks()[30].ssrc, 1U); // the first of the second RR; the rest did not fit
}

TEST(RtcpPacketTest, EveryTruncationThatSplitsAPacketIsRejected) {
    for (std::size_t size = 0; size < kSenderReportCompound.size(); ++size) {
        const auto summary = parseCompound(std::span(kSenderReportCompound).first(size));
        EXPECT_EQ(summary.has_value(), size == kSenderReportSize) << size;
    }
}

// Except one: an SR that spans the whole datagram is an SR whose profile-specific extension
// (RFC 3550 section 6.4.1) holds the SDES bytes; its sender info and block are read as before.
TEST(RtcpPacketTest, EveryWrongLengthFieldIsRejected) {
    constexpr unsigned kWholeDatagram = 72 / 4 - 1;
    Bytes spanning = kSenderReportCompound;
    spanning[3] = kWholeDatagram;
    const auto summary = parse(spanning);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(*summary->senderInfo, kSender);
    EXPECT_EQ(summary->blocks()[0], kBlock);

    for (const std::size_t lengthOffset : {std::size_t{2}, kSenderReportSize + 2}) {
        const std::uint8_t right = kSenderReportCompound[lengthOffset + 1];
        for (unsigned length = 0; length < 64; ++length) {
            if (length == right || (lengthOffset == 2 && length == kWholeDatagram)) {
                continue;
            }
            Bytes bytes = kSenderReportCompound;
            bytes[lengthOffset + 1] = static_cast<std::uint8_t>(length);
            EXPECT_FALSE(parse(bytes).has_value()) << lengthOffset << ": " << length;
        }
        Bytes bytes = kSenderReportCompound;
        bytes[lengthOffset] = 0x01;
        EXPECT_FALSE(parse(bytes).has_value()) << lengthOffset;
    }
}

TEST(RtcpPacketTest, ReportCountBeyondTheLengthIsRejected) {
    Bytes bytes = kSenderReportCompound;
    bytes[0] = 0x82; // two blocks claimed, one present
    EXPECT_FALSE(parse(bytes).has_value());
}

TEST(RtcpPacketTest, TrailingBytesAreRejected) {
    Bytes bytes = kSenderReportCompound;
    for (int extra = 1; extra <= 4; ++extra) {
        bytes.push_back(0x00);
        EXPECT_FALSE(parse(bytes).has_value()) << extra;
    }
}

TEST(RtcpPacketTest, VersionOtherThanTwoIsRejectedInAnyPacket) {
    for (const std::size_t offset : {std::size_t{0}, kSenderReportSize}) {
        for (const std::uint8_t version : {0x01, 0x41, 0xC1}) {
            Bytes bytes = kSenderReportCompound;
            bytes[offset] = version;
            EXPECT_FALSE(parse(bytes).has_value()) << offset << ": " << int{version};
        }
    }
}

TEST(RtcpPacketTest, PacketTypeOutsideTheRtcpRangeIsRejected) {
    Bytes bytes = kSenderReportCompound;
    bytes[kSenderReportSize + 1] = 96; // an RTP payload type, not RTCP
    EXPECT_FALSE(parse(bytes).has_value());
}

TEST(RtcpPacketTest, PaddingIsAcceptedOnlyOnTheLastPacketAndOnlyWhenConsistent) {
    Bytes padded = kSenderReportCompound;
    padded[kSenderReportSize] |= 0x20U;
    padded[kSenderReportSize + 3] = 0x05; // one more word: four padding octets, the count last
    padded.insert(padded.end(), {0x00, 0x00, 0x00, 0x04});
    const auto summary = parse(padded);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(*summary->senderInfo, kSender);

    Bytes zeroCount = padded;
    zeroCount.back() = 0x00;
    EXPECT_FALSE(parse(zeroCount).has_value());
    Bytes tooMuch = padded;
    tooMuch.back() = 0x19; // more than the packet after its header
    EXPECT_FALSE(parse(tooMuch).has_value());

    // An RR whose last word would be a consistent padding, but with the SDES after it.
    Bytes paddedFirst{0x80, 0xC9, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x04};
    paddedFirst.insert(paddedFirst.end(), kSenderReportCompound.begin() + kSenderReportSize,
                       kSenderReportCompound.end());
    ASSERT_TRUE(parse(paddedFirst).has_value()); // without P, the word is a profile extension
    paddedFirst[0] |= 0x20U;
    EXPECT_FALSE(parse(paddedFirst).has_value());
}

TEST(RtcpPacketTest, EmptyAndShortInputsAreRejected) {
    EXPECT_FALSE(parseCompound({}).has_value());
    EXPECT_FALSE(parseCompound(std::span(kSenderReportCompound).first(3)).has_value());
}

TEST(RtcpPacketTest, WritingAndParsingAllocateNothing) {
    std::array<std::uint8_t, 256> out{};
    rtcgate::testing::AllocationScope scope;
    const std::size_t size = writeReport(out, kSenderSsrc, &kSender, std::span(&kBlock, 1), "rtcgate");
    const auto summary = parseCompound(std::span(out).first(size));
    EXPECT_EQ(scope.count(), 0U);
    EXPECT_TRUE(summary.has_value());
}

} // namespace
} // namespace rtcgate::rtp
