#include "rtcgate/media/LineQuality.hpp"

#include <gtest/gtest.h>

namespace rtcgate::media {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

QualitySample sample(double mos, double loss, std::optional<double> rttMs, int at) {
    return {.quality = {.loss = loss, .jitterMs = 2 * mos, .rttMs = rttMs, .concealedShare = loss, .mos = mos},
            .at = system_clock::time_point(seconds(at)),
            .ssrc = 0x1234U + static_cast<unsigned>(at)};
}

TEST(QualityHistoryTest, NothingBeforeTheFirstSample) {
    QualityHistory history;
    EXPECT_EQ(history.samples(), 0U);
    EXPECT_FALSE(history.average());
    EXPECT_FALSE(history.lowest());
    EXPECT_FALSE(history.highest());
    EXPECT_FALSE(history.ssrc());
}

TEST(QualityHistoryTest, AverageLowestAndHighestWithWhenTheyWereTaken) {
    QualityHistory history;
    history.add(sample(4.0, 0.01, std::nullopt, 10));
    history.add(sample(3.0, 0.05, 40.0, 20));
    history.add(sample(4.4, 0.00, 20.0, 30));
    EXPECT_EQ(history.samples(), 3U);
    ASSERT_TRUE(history.lowest() && history.highest());
    EXPECT_DOUBLE_EQ(history.lowest()->quality.mos, 3.0);
    EXPECT_EQ(history.lowest()->at, system_clock::time_point(seconds(20)));
    EXPECT_DOUBLE_EQ(history.highest()->quality.mos, 4.4);
    EXPECT_EQ(history.highest()->at, system_clock::time_point(seconds(30)));

    const auto average = history.average();
    ASSERT_TRUE(average);
    EXPECT_NEAR(average->quality.mos, 3.8, 1e-9);
    EXPECT_NEAR(average->quality.loss, 0.02, 1e-9);
    EXPECT_NEAR(average->quality.jitterMs, 7.6, 1e-9);
    ASSERT_TRUE(average->quality.rttMs);
    EXPECT_DOUBLE_EQ(*average->quality.rttMs, 30.0); // of the samples that had one
    EXPECT_EQ(average->at, system_clock::time_point(seconds(30)));
    EXPECT_EQ(history.ssrc(), 0x1234U + 30U); // the stream of the last sample
}

} // namespace
} // namespace rtcgate::media
