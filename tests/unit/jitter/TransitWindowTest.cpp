#include "rtcgate/jitter/TransitWindow.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <random>
#include <vector>

namespace rtcgate::jitter {
namespace {

TEST(TransitWindowTest, SpreadIsThePercentileAboveTheFastest) {
    TransitWindow window(100);
    for (int i = 0; i < 100; ++i) {
        window.add(1000 + i);
    }
    EXPECT_EQ(window.minimum(), 1000);
    EXPECT_EQ(window.spread(0.95), 94);
    EXPECT_EQ(window.spread(1.0), 99);
}

TEST(TransitWindowTest, OldSamplesLeaveTheWindow) {
    TransitWindow window(10);
    window.add(0);
    window.add(500);
    for (int i = 0; i < 10; ++i) {
        window.add(100);
    }
    EXPECT_EQ(window.minimum(), 100);
    EXPECT_EQ(window.spread(1.0), 0);
    window.clear();
    EXPECT_TRUE(window.empty());
}

// The window is kept sorted as it slides: its answers match those of the last `length` transits sorted anew,
// with repeated values, through a change of length.
TEST(TransitWindowTest, AnswersAsTheLastTransitsSortedAnewWouldAsItSlides) {
    std::mt19937 random{7};
    std::uniform_int_distribution<std::int64_t> transit(-5000, 60000);
    TransitWindow window(160);
    std::deque<std::int64_t> last;
    std::size_t length = 160;
    for (int i = 0; i < 3000; ++i) {
        if (i == 1500) {
            length = 37;
            window.setLength(length);
            last.clear();
        }
        const std::int64_t value = i % 7 == 0 ? 1000 : transit(random); // repeats, too
        window.add(value);
        last.push_back(value);
        if (last.size() > length) {
            last.pop_front();
        }
        std::vector<std::int64_t> sorted(last.begin(), last.end());
        std::sort(sorted.begin(), sorted.end());
        ASSERT_EQ(window.minimum(), sorted.front()) << i;
        for (const double percentile : {0.5, 0.95, 1.0}) {
            const auto rank = static_cast<std::size_t>(std::ceil(percentile * static_cast<double>(sorted.size()))) - 1;
            ASSERT_EQ(window.spread(percentile), sorted[rank] - sorted.front()) << i << " at " << percentile;
        }
    }
}

} // namespace
} // namespace rtcgate::jitter
