#include "rtcgate/jitter/TransitWindow.hpp"

#include <gtest/gtest.h>

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

} // namespace
} // namespace rtcgate::jitter
