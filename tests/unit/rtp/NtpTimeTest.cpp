#include "rtcgate/rtp/NtpTime.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace rtcgate::rtp {
namespace {

using namespace std::chrono_literals;

std::chrono::system_clock::time_point unixTime(std::chrono::nanoseconds sinceEpoch) {
    return std::chrono::system_clock::time_point{
        std::chrono::duration_cast<std::chrono::system_clock::duration>(sinceEpoch)};
}

TEST(NtpTimeTest, UnixEpochIsSeventyYearsAfterTheNtpEpoch) {
    EXPECT_EQ(toNtp(unixTime(0s)), 0x83AA7E80'00000000ULL);
}

TEST(NtpTimeTest, FractionCountsSecondsInUnitsOfTwoToTheMinus32) {
    EXPECT_EQ(toNtp(unixTime(1500ms)), 0x83AA7E81'80000000ULL);
    EXPECT_EQ(toNtp(unixTime(250ms)), 0x83AA7E80'40000000ULL);
}

// RFC 3550 section 6.4.1, figure 2: the SR sent at 10 Nov 1995 11:33:25.125 UTC carries the
// middle 32 bits 0xb705:2000.
TEST(NtpTimeTest, MiddleBitsOfTheRfcExampleSenderReport) {
    const NtpTimestamp ntp = toNtp(unixTime(816003205s + 125ms));
    EXPECT_EQ(ntp, 0xB44DB705'20000000ULL);
    EXPECT_EQ(ntpMiddle32(ntp), 0xB7052000U);
}

TEST(NtpTimeTest, CompactNtpCountsSixtyFiveThousandFiveHundredThirtySixthsOfASecond) {
    EXPECT_EQ(toCompactNtp(5250ms), 0x00054000U);
    EXPECT_EQ(toCompactNtp(0ms), 0U);
    EXPECT_EQ(toCompactNtp(-1ms), 0U);
    EXPECT_EQ(toCompactNtp(std::chrono::hours{24}), 0xFFFFFFFFU);
    EXPECT_EQ(fromCompactNtp(0x00062000U), 6125000us);
}

// RFC 3550 section 6.4.1, figure 2: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000,
// so the round trip is 0x0006:2000 = 6.125 s.
TEST(NtpTimeTest, RoundTripTimeOfTheRfcExample) {
    const auto rtt = roundTripTime(0xB7108000U, 0xB7052000U, 0x00054000U);
    ASSERT_TRUE(rtt.has_value());
    EXPECT_EQ(*rtt, 6125000us);
}

TEST(NtpTimeTest, RoundTripTimeSurvivesTheSixteenBitSecondsWrapping) {
    // LSR at 65535.5 s, A at 1.0 s of the next cycle, DLSR 0.25 s: 1.5 s - 0.25 s.
    const auto rtt = roundTripTime(0x00010000U, 0xFFFF8000U, 0x00004000U);
    ASSERT_TRUE(rtt.has_value());
    EXPECT_EQ(*rtt, 1250000us);
}

TEST(NtpTimeTest, NoRoundTripTimeWithoutASenderReport) {
    EXPECT_FALSE(roundTripTime(0xB7108000U, 0, 0x00054000U).has_value());
}

TEST(NtpTimeTest, NoRoundTripTimeWhenTheResultIsNegative) {
    EXPECT_FALSE(roundTripTime(0xB7108000U, 0xB7052000U, 0x000B6001U).has_value());
    const auto zero = roundTripTime(0xB7108000U, 0xB7052000U, 0x000B6000U);
    ASSERT_TRUE(zero.has_value());
    EXPECT_EQ(*zero, 0us);
}

} // namespace
} // namespace rtcgate::rtp
