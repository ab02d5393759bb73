#include "rtcgate/rtp/SendStatistics.hpp"

#include "rtcgate/rtp/NtpTime.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace rtcgate::rtp {
namespace {

using namespace std::chrono_literals;

const std::chrono::steady_clock::time_point kStart = std::chrono::steady_clock::time_point{} + 500s;
const std::chrono::system_clock::time_point kWallclock = std::chrono::system_clock::time_point{} + 816003205s + 125ms;

TEST(SendStatisticsTest, NothingSentReportsZeroes) {
    const SendStatistics statistics;
    EXPECT_FALSE(statistics.hasSent());
    const SenderInfo info = statistics.senderInfo(kWallclock, kStart, 8000);
    EXPECT_EQ(info.packetCount, 0U);
    EXPECT_EQ(info.octetCount, 0U);
    EXPECT_EQ(info.ntpTimestamp, toNtp(kWallclock));
}

TEST(SendStatisticsTest, CountsPacketsAndPayloadOctets) {
    SendStatistics statistics;
    for (std::uint32_t index = 0; index < 3; ++index) {
        statistics.onPacket(1000 + index * 160, 160, kStart + std::chrono::milliseconds{20 * index});
    }
    EXPECT_TRUE(statistics.hasSent());
    EXPECT_EQ(statistics.packetsSent(), 3U);
    EXPECT_EQ(statistics.octetsSent(), 480U);
    const SenderInfo info = statistics.senderInfo(kWallclock, kStart + 40ms, 8000);
    EXPECT_EQ(info.packetCount, 3U);
    EXPECT_EQ(info.octetCount, 480U);
    EXPECT_EQ(info.ntpTimestamp, 0xB44DB705'20000000ULL);
    EXPECT_EQ(info.rtpTimestamp, 1320U); // sent just now: no extrapolation
}

// RFC 3550 section 6.4.1: the RTP timestamp names the same instant as the NTP timestamp, so it
// is the last packet's timestamp advanced by the time since at the clock rate.
TEST(SendStatisticsTest, ExtrapolatesTheRtpTimestampToNow) {
    SendStatistics statistics;
    statistics.onPacket(1000, 160, kStart);
    EXPECT_EQ(statistics.senderInfo(kWallclock, kStart + 30ms, 8000).rtpTimestamp, 1240U);
    EXPECT_EQ(statistics.senderInfo(kWallclock, kStart + 30ms, 48000).rtpTimestamp, 2440U);
    EXPECT_EQ(statistics.senderInfo(kWallclock, kStart + 2s, 48000).rtpTimestamp, 97000U);
}

TEST(SendStatisticsTest, RtpTimestampWrapsModuloTwoToThe32) {
    SendStatistics statistics;
    statistics.onPacket(0xFFFFFF00U, 160, kStart);
    EXPECT_EQ(statistics.senderInfo(kWallclock, kStart + 100ms, 8000).rtpTimestamp, 0x00000220U);
}

TEST(SendStatisticsTest, OctetCountWrapsModuloTwoToThe32OnTheWire) {
    SendStatistics statistics;
    statistics.onPacket(0, 0xFFFFFFF0U, kStart);
    statistics.onPacket(160, 0x20U, kStart + 20ms);
    EXPECT_EQ(statistics.octetsSent(), 0x1'00000010ULL);
    EXPECT_EQ(statistics.senderInfo(kWallclock, kStart + 20ms, 8000).octetCount, 0x10U);
}

} // namespace
} // namespace rtcgate::rtp
