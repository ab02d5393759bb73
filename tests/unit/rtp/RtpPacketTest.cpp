#include "rtcgate/rtp/RtpPacket.hpp"

#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace rtcgate::rtp {
namespace {

TEST(RtpPacketTest, PayloadSkipsCsrcsAndTheExtensionAndDropsThePadding) {
    // One CSRC, a one-word extension, 3 payload bytes, 2 bytes of padding (the last says 2).
    std::vector<std::uint8_t> packet{0xB1, 0x00, 0,    1, 0, 0, 0, 2, 0, 0, 0, 3, // V=2 P X CC=1
                                     1,    2,    3,    4,                         // CSRC
                                     0xBE, 0xDE, 0,    1, 9, 9, 9, 9,             // extension, 1 word
                                     0xAA, 0xBB, 0xCC, 0, 2};
    RtpPacket view(packet);
    ASSERT_EQ(view.headerSize(), 24U);
    const auto payload = view.payload();
    ASSERT_EQ(payload.size(), 3U);
    EXPECT_EQ(payload[0], 0xAA);
    EXPECT_EQ(payload[2], 0xCC);
}

TEST(RtpPacketTest, PaddingLongerThanThePacketGivesNoPayload) {
    std::vector<std::uint8_t> packet{0xA0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xAA, 200};
    EXPECT_TRUE(RtpPacket(packet).payload().empty());
}

TEST(RtpPacketTest, LengthsAreValidWhenThePaddingFitsAndRtcpAddsUp) {
    std::vector<std::uint8_t> plain{0x80, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xAA};
    EXPECT_TRUE(hasValidLengths(PacketKind::Rtp, plain));
    std::vector<std::uint8_t> padded{0xA0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xAA, 0, 2};
    EXPECT_TRUE(hasValidLengths(PacketKind::Rtp, padded));
    padded.back() = 4; // into the header
    EXPECT_FALSE(hasValidLengths(PacketKind::Rtp, padded));
    padded.back() = 0; // a padding count of 0
    EXPECT_FALSE(hasValidLengths(PacketKind::Rtp, padded));
    std::vector<std::uint8_t> onlyHeader{0xA0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3}; // P set, nothing after the header
    EXPECT_FALSE(hasValidLengths(PacketKind::Rtp, onlyHeader));

    std::vector<std::uint8_t> receiverReport{0x80, 201, 0, 1, 0, 0, 0, 1};
    EXPECT_TRUE(hasValidLengths(PacketKind::Rtcp, receiverReport));
    receiverReport[3] = 2; // one word more than there is
    EXPECT_FALSE(hasValidLengths(PacketKind::Rtcp, receiverReport));
    receiverReport[3] = 0; // one word less: 4 octets left over
    EXPECT_FALSE(hasValidLengths(PacketKind::Rtcp, receiverReport));
}

TEST(RtpStreamWriterTest, WritesAVersion2HeaderAndCountsOn) {
    RtpStreamWriter writer;
    std::array<std::uint8_t, 12> first{};
    std::array<std::uint8_t, 12> second{};
    const std::uint32_t timestamp = writer.timestamp();
    ASSERT_EQ(writer.writeHeader(first, 0, true), 12U);
    writer.advance(160);
    ASSERT_EQ(writer.writeHeader(second, 111, false), 12U);
    RtpPacket a(first);
    RtpPacket b(second);
    EXPECT_EQ(first[0], 0x80);
    EXPECT_TRUE(a.marker());
    EXPECT_FALSE(b.marker());
    EXPECT_EQ(a.payloadType(), 0);
    EXPECT_EQ(b.payloadType(), 111);
    EXPECT_EQ(static_cast<std::uint16_t>(a.sequenceNumber() + 1), b.sequenceNumber());
    EXPECT_EQ(a.timestamp(), timestamp);
    EXPECT_EQ(b.timestamp(), timestamp + 160);
    EXPECT_EQ(a.ssrc(), writer.ssrc());
    EXPECT_EQ(b.ssrc(), writer.ssrc());
    std::array<std::uint8_t, 11> tooSmall{};
    EXPECT_EQ(writer.writeHeader(tooSmall, 0, false), 0U);
}

TEST(RtpStreamWriterTest, TwoStreamsDoNotShareAnSsrc) {
    RtpStreamWriter a;
    RtpStreamWriter b;
    EXPECT_NE(a.ssrc(), b.ssrc()); // random: a collision is a 1 in 2^32 event
}

} // namespace
} // namespace rtcgate::rtp
