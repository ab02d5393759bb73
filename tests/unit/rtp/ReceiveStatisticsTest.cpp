#include "rtcgate/rtp/ReceiveStatistics.hpp"

#include "AllocationCounter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

namespace rtcgate::rtp {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kClockRate = 8000;
constexpr std::uint32_t kSsrc = 0x11223344;
constexpr std::uint32_t kFrameUnits = 160; // 20 ms at 8 kHz
const ReceiveStatistics::SteadyTime kStart = ReceiveStatistics::SteadyTime{} + 1000s;

// Feeds packets sequence first..last (16-bit wrapping) with a constant 20 ms transit, except
// those skipped.
template <typename Skip>
void feed(ReceiveStatistics& statistics, std::uint32_t ssrc, std::uint32_t first, std::uint32_t count, Skip skip) {
    for (std::uint32_t index = 0; index < count; ++index) {
        const std::uint32_t sequence = first + index;
        if (skip(sequence)) {
            continue;
        }
        statistics.onPacket(ssrc, static_cast<std::uint16_t>(sequence), sequence * kFrameUnits,
                            kStart + std::chrono::milliseconds{20 * sequence});
    }
}

void feed(ReceiveStatistics& statistics, std::uint32_t ssrc, std::uint32_t first, std::uint32_t count) {
    feed(statistics, ssrc, first, count, [](std::uint32_t) { return false; });
}

TEST(ReceiveStatisticsTest, NothingToReportBeforeTwoSequentialPackets) {
    ReceiveStatistics statistics(kClockRate);
    EXPECT_FALSE(statistics.hasSource());
    // RFC 3550 A.1: the first packet puts the source on probation and is not counted.
    EXPECT_FALSE(statistics.onPacket(kSsrc, 7, 0, kStart));
    EXPECT_FALSE(statistics.hasSource());
    EXPECT_TRUE(statistics.onPacket(kSsrc, 8, kFrameUnits, kStart + 20ms));
    EXPECT_TRUE(statistics.hasSource());
    EXPECT_EQ(statistics.packetsReceived(), 1U);
    EXPECT_EQ(statistics.extendedHighestSequence(), 8U);
}

TEST(ReceiveStatisticsTest, ConstantTransitHasNoJitterAndNoLoss) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 100, 500);
    const ReportBlock block = statistics.reportBlock(kStart + 10s);
    EXPECT_EQ(block.ssrc, kSsrc);
    EXPECT_EQ(block.jitter, 0U);
    EXPECT_EQ(block.fractionLost, 0U);
    EXPECT_EQ(block.cumulativeLost, 0);
    EXPECT_EQ(block.extendedHighestSequence, 599U);
    EXPECT_EQ(statistics.packetsReceived(), 499U);
    EXPECT_DOUBLE_EQ(statistics.jitterMs(), 0.0);
}

// RFC 3550 A.8 worked by hand at 8 kHz (J stored as 16 J: J16 += |D| - ((J16 + 8) >> 4)):
// transits 0, 80 (packet 2 arrives 10 ms late), 0, 0 units give |D| = 80, 80, 0, so
// J16 = 80, 155, 145 and the reported jitter is 5, 9, 9 units (9 units = 1.125 ms).
TEST(ReceiveStatisticsTest, JitterOfAKnownTrace) {
    ReceiveStatistics statistics(kClockRate);
    statistics.onPacket(kSsrc, 0, 0, kStart);
    statistics.onPacket(kSsrc, 1, 160, kStart + 20ms);
    EXPECT_EQ(statistics.jitter(), 0U);
    statistics.onPacket(kSsrc, 2, 320, kStart + 50ms);
    EXPECT_EQ(statistics.jitter(), 5U);
    statistics.onPacket(kSsrc, 3, 480, kStart + 60ms);
    EXPECT_EQ(statistics.jitter(), 9U);
    statistics.onPacket(kSsrc, 4, 640, kStart + 80ms);
    EXPECT_EQ(statistics.jitter(), 9U);
    EXPECT_DOUBLE_EQ(statistics.jitterMs(), 1.125);
    EXPECT_EQ(statistics.reportBlock(kStart + 100ms).jitter, 9U);
}

TEST(ReceiveStatisticsTest, JitterOfAFortyEightKilohertzClockIsInItsUnits) {
    ReceiveStatistics statistics(48000);
    statistics.onPacket(kSsrc, 0, 0, kStart);
    statistics.onPacket(kSsrc, 1, 960, kStart + 20ms);
    statistics.onPacket(kSsrc, 2, 1920, kStart + 50ms); // 10 ms late: |D| = 480, J = 30
    EXPECT_EQ(statistics.jitter(), 30U);
    EXPECT_DOUBLE_EQ(statistics.jitterMs(), 0.625);
}

// Sequences 0..999 with every 20th (10, 30, ...) lost: 0 is the probation packet, so
// expected = 999 - 1 + 1 = 999, lost = 50, fraction = 50 * 256 / 999 = 12.8 -> 12.
TEST(ReceiveStatisticsTest, FivePercentLossIsTwelveTwoHundredFiftySixths) {
    ReceiveStatistics statistics(kClockRate);
    const auto everyTwentieth = [](std::uint32_t sequence) { return sequence % 20 == 10; };
    feed(statistics, kSsrc, 0, 1000, everyTwentieth);
    const ReportBlock first = statistics.reportBlock(kStart + 20s);
    EXPECT_EQ(first.fractionLost, 12U);
    EXPECT_EQ(first.cumulativeLost, 50);
    EXPECT_EQ(first.extendedHighestSequence, 999U);
    EXPECT_EQ(statistics.packetsReceived(), 949U);
    EXPECT_EQ(statistics.fractionLost(), 12U);

    // The next interval counts only its own: 10 of 200 lost, again 12.8 -> 12.
    feed(statistics, kSsrc, 1000, 200, everyTwentieth);
    const ReportBlock second = statistics.reportBlock(kStart + 24s);
    EXPECT_EQ(second.fractionLost, 12U);
    EXPECT_EQ(second.cumulativeLost, 60);

    // And an interval without loss reports none, though the cumulative count stays.
    feed(statistics, kSsrc, 1200, 100);
    const ReportBlock third = statistics.reportBlock(kStart + 26s);
    EXPECT_EQ(third.fractionLost, 0U);
    EXPECT_EQ(third.cumulativeLost, 60);
    EXPECT_EQ(statistics.cumulativeLost(), 60);
}

TEST(ReceiveStatisticsTest, HalfLostIsOneHundredTwentyEight) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 0, 2);
    statistics.reportBlock(kStart + 1s);
    feed(statistics, kSsrc, 2, 100, [](std::uint32_t sequence) { return sequence % 2 == 0; });
    EXPECT_EQ(statistics.reportBlock(kStart + 3s).fractionLost, 128U);
}

TEST(ReceiveStatisticsTest, SequenceWrapExtendsTheHighestSequence) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 65530, 20); // 65530..65535, then 0..13
    const ReportBlock block = statistics.reportBlock(kStart + 1s);
    EXPECT_EQ(block.extendedHighestSequence, 65536U + 13U);
    EXPECT_EQ(block.cumulativeLost, 0);
    EXPECT_EQ(block.fractionLost, 0U);
    EXPECT_EQ(statistics.packetsReceived(), 19U);
}

TEST(ReceiveStatisticsTest, ReorderedPacketAcrossTheWrapIsNotANewCycle) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 65532, 6, [](std::uint32_t sequence) { return sequence == 65535; }); // ..65534, 0, 1
    EXPECT_EQ(statistics.extendedHighestSequence(), 65537U);
    statistics.onPacket(kSsrc, 65535, 65535 * kFrameUnits, kStart + 1s); // late
    EXPECT_EQ(statistics.extendedHighestSequence(), 65537U);
    EXPECT_EQ(statistics.cumulativeLost(), 0);
}

TEST(ReceiveStatisticsTest, DuplicatesMakeCumulativeLossNegative) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 0, 10);
    statistics.onPacket(kSsrc, 5, 5 * kFrameUnits, kStart + 1s);
    EXPECT_EQ(statistics.cumulativeLost(), -1);
    EXPECT_EQ(statistics.reportBlock(kStart + 2s).cumulativeLost, -1);
}

TEST(ReceiveStatisticsTest, NewSsrcRestartsTheStatistics) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 0, 100, [](std::uint32_t sequence) { return sequence % 10 == 5; });
    statistics.onSenderReport(0xB7052000U, kStart + 1s);
    ASSERT_EQ(statistics.cumulativeLost(), 10);

    constexpr std::uint32_t kOtherSsrc = 0x55667788;
    feed(statistics, kOtherSsrc, 40000, 10);
    const ReportBlock block = statistics.reportBlock(kStart + 1000s);
    EXPECT_EQ(statistics.ssrc(), kOtherSsrc);
    EXPECT_EQ(block.ssrc, kOtherSsrc);
    EXPECT_EQ(block.cumulativeLost, 0);
    EXPECT_EQ(block.fractionLost, 0U);
    EXPECT_EQ(block.extendedHighestSequence, 40009U);
    EXPECT_EQ(block.lastSenderReport, 0U); // that SR was the old source's
    EXPECT_EQ(statistics.packetsReceived(), 9U);
}

TEST(ReceiveStatisticsTest, LargeJumpCountsOnlyWhenConfirmedBySequence) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 0, 10);
    // 20000 is beyond MAX_DROPOUT: dropped until 20001 follows, then the sequence restarts.
    EXPECT_FALSE(statistics.onPacket(kSsrc, 20000, 20000 * kFrameUnits, kStart + 1s));
    EXPECT_EQ(statistics.extendedHighestSequence(), 9U);
    EXPECT_TRUE(statistics.onPacket(kSsrc, 20001, 20001 * kFrameUnits, kStart + 1s + 20ms));
    EXPECT_EQ(statistics.extendedHighestSequence(), 20001U);
    EXPECT_EQ(statistics.packetsReceived(), 1U);
    EXPECT_EQ(statistics.cumulativeLost(), 0);
    // A restarted sender's timestamps do not continue the old ones: no jitter from the jump.
    EXPECT_TRUE(statistics.onPacket(kSsrc, 20002, 20002 * kFrameUnits, kStart + 1s + 40ms));
    EXPECT_EQ(statistics.jitter(), 0U);
}

TEST(ReceiveStatisticsTest, LoneStrayPacketIsNotCounted) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 0, 10);
    EXPECT_FALSE(statistics.onPacket(kSsrc, 30000, 0, kStart + 1s));
    feed(statistics, kSsrc, 10, 10);
    EXPECT_EQ(statistics.extendedHighestSequence(), 19U);
    EXPECT_EQ(statistics.packetsReceived(), 19U);
    EXPECT_EQ(statistics.cumulativeLost(), 0);
}

TEST(ReceiveStatisticsTest, CumulativeLossIsClampedToTwentyFourBitsSigned) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 0, 2);
    std::uint32_t sequence = 1;
    for (int jump = 0; jump < 3000; ++jump) {
        sequence += 2999; // each jump under MAX_DROPOUT loses 2998
        statistics.onPacket(kSsrc, static_cast<std::uint16_t>(sequence), 0, kStart + 1s);
    }
    EXPECT_EQ(statistics.cumulativeLost(), 3000LL * 2998);
    EXPECT_EQ(statistics.reportBlock(kStart + 2s).cumulativeLost, 0x7FFFFF);
}

TEST(ReceiveStatisticsTest, LastSenderReportAndDelaySinceIt) {
    ReceiveStatistics statistics(kClockRate);
    feed(statistics, kSsrc, 0, 10);
    EXPECT_EQ(statistics.reportBlock(kStart + 1s).lastSenderReport, 0U);
    statistics.onSenderReport(0xB7052000U, kStart + 2s);
    const ReportBlock block = statistics.reportBlock(kStart + 7250ms);
    EXPECT_EQ(block.lastSenderReport, 0xB7052000U);
    EXPECT_EQ(block.delaySinceLastSenderReport, 0x00054000U); // 5.25 s
}

TEST(ReceiveStatisticsTest, CountingAndReportingAllocateNothing) {
    ReceiveStatistics statistics(kClockRate);
    rtcgate::testing::AllocationScope scope;
    feed(statistics, kSsrc, 0, 1000, [](std::uint32_t sequence) { return sequence % 7 == 3; });
    statistics.onSenderReport(0xB7052000U, kStart + 2s);
    const ReportBlock block = statistics.reportBlock(kStart + 30s);
    feed(statistics, 0x99, 0, 10);
    EXPECT_EQ(scope.count(), 0U);
    EXPECT_GT(block.cumulativeLost, 0);
}

} // namespace
} // namespace rtcgate::rtp
