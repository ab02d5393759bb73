#include "rtcgate/media/CallQuality.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;

double mos(const QualityInputs& inputs) {
    return mosFromR(rFactor(inputs));
}

// R = 93.2 with G.107's defaults; Annex B: 1 + 0.035 R + R (R - 60)(100 - R) 7e-6 = 4.409.
TEST(CallQualityTest, NoLossNoDelayG711IsAboutFourPointFour) {
    const QualityInputs inputs{.packetLoss = 0.0, .oneWayDelay = 0ms, .codec = kG711WithPlc};
    EXPECT_NEAR(rFactor(inputs), 93.2, 1e-9);
    EXPECT_NEAR(mos(inputs), 4.409, 0.001);
}

// Ie,eff = 95 * 5 / (5 + 25.1) = 15.78, R = 77.419, MOS = 3.923.
TEST(CallQualityTest, FivePercentRandomLossLowersIt) {
    const QualityInputs inputs{.packetLoss = 0.05, .oneWayDelay = 0ms, .codec = kG711WithPlc};
    EXPECT_NEAR(rFactor(inputs), 77.419, 0.001);
    EXPECT_NEAR(mos(inputs), 3.923, 0.001);
}

TEST(CallQualityTest, BurstyLossLowersItMoreThanRandomLoss) {
    const QualityInputs random{.packetLoss = 0.05, .burstRatio = 1.0, .oneWayDelay = 0ms};
    const QualityInputs bursty{.packetLoss = 0.05, .burstRatio = 2.0, .oneWayDelay = 0ms};
    // Ie,eff = 95 * 5 / (2.5 + 25.1) = 17.21.
    EXPECT_NEAR(rFactor(bursty), 93.2 - 17.210, 0.001);
    EXPECT_LT(mos(bursty), mos(random));
}

// Id = 0.024 * 400 + 0.11 * (400 - 177.3) = 34.097, R = 59.103, MOS = 3.053.
TEST(CallQualityTest, FourHundredMillisecondsOneWayLowersIt) {
    const QualityInputs inputs{.packetLoss = 0.0, .oneWayDelay = 400ms};
    EXPECT_NEAR(rFactor(inputs), 59.103, 0.001);
    EXPECT_NEAR(mos(inputs), 3.053, 0.001);
}

// Below the 177.3 ms knee only the 0.024 slope applies.
TEST(CallQualityTest, DelayBelowTheKneeCostsLittle) {
    EXPECT_NEAR(rFactor({.oneWayDelay = 150ms}), 93.2 - 3.6, 1e-9);
}

TEST(CallQualityTest, MosFallsAsLossGrows) {
    double previous = mos({.packetLoss = 0.0});
    for (int percent = 1; percent <= 40; ++percent) {
        const double current = mos({.packetLoss = percent / 100.0});
        EXPECT_LT(current, previous) << percent;
        previous = current;
    }
}

TEST(CallQualityTest, MosFallsAsDelayGrows) {
    double previous = mos({.oneWayDelay = 0ms});
    for (int delay = 10; delay <= 600; delay += 10) {
        const double current = mos({.oneWayDelay = std::chrono::milliseconds{delay}});
        EXPECT_LT(current, previous) << delay;
        previous = current;
    }
}

TEST(CallQualityTest, MosFromRFollowsAnnexBAndIsClamped) {
    EXPECT_NEAR(mosFromR(50.0), 2.575, 1e-9);
    EXPECT_NEAR(mosFromR(80.0), 4.024, 1e-9);
    EXPECT_DOUBLE_EQ(mosFromR(-5.0), 1.0);
    EXPECT_DOUBLE_EQ(mosFromR(0.0), 1.0);
    EXPECT_DOUBLE_EQ(mosFromR(100.0), 4.5);
    EXPECT_DOUBLE_EQ(mosFromR(120.0), 4.5);
}

TEST(CallQualityTest, HeavyLossAndDelayStayWithinTheScale) {
    const QualityInputs worst{.packetLoss = 1.0, .burstRatio = 4.0, .oneWayDelay = 2000ms};
    EXPECT_GE(rFactor(worst), 0.0);
    EXPECT_DOUBLE_EQ(mos(worst), 1.0);
}

TEST(CallQualityTest, CodecImpairmentIsApplied) {
    const CodecImpairment lowRate{.equipmentImpairment = 11.0, .packetLossRobustness = 19.0};
    EXPECT_NEAR(rFactor({.codec = lowRate}), 93.2 - 11.0, 1e-9);
    // Ie,eff = 11 + 84 * 2 / (2 + 19) = 19.
    EXPECT_NEAR(rFactor({.packetLoss = 0.02, .codec = lowRate}), 93.2 - 19.0, 1e-9);
}

} // namespace
} // namespace rtcgate::media
