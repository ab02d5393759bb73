#include "rtcgate/engine/ComplexityGovernor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace rtcgate::engine {
namespace {

std::vector<int> follow(ComplexityGovernor& governor, const std::vector<double>& cpuPercents) {
    std::vector<int> complexities;
    for (const double cpu : cpuPercents) {
        governor.update(cpu);
        complexities.push_back(governor.complexity());
    }
    return complexities;
}

TEST(ComplexityGovernorTest, OffItNeverChanges) {
    ComplexityGovernor governor({.configured = 5, .aboveCpuPercent = 0});
    EXPECT_EQ(follow(governor, {99, 99, 99, 1}), (std::vector<int>{5, 5, 5, 5}));
    EXPECT_EQ(governor.lowered(), 0U);
}

TEST(ComplexityGovernorTest, LowersAStepASecondAboveAndRaisesBackWellBelow) {
    ComplexityGovernor governor({.configured = 3, .aboveCpuPercent = 70, .hysteresisPercent = 15});
    // Above 70: down a step each second, to 0 at most. Between 55 and 70: held. Below 55: up to the configured 3.
    EXPECT_EQ(follow(governor, {71, 80, 90, 95, 95, 60, 69, 54, 10, 10, 10, 10}),
              (std::vector<int>{2, 1, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3}));
    EXPECT_EQ(governor.lowered(), 3U);
    EXPECT_EQ(governor.raised(), 3U);
}

TEST(ComplexityGovernorTest, ReportsOnlyAChange) {
    ComplexityGovernor governor({.configured = 1, .aboveCpuPercent = 50});
    EXPECT_EQ(governor.update(60), 0);
    EXPECT_EQ(governor.update(60), std::nullopt); // already at 0
    EXPECT_EQ(governor.update(40), std::nullopt); // within the hysteresis
    EXPECT_EQ(governor.update(30), 1);
    EXPECT_EQ(governor.update(30), std::nullopt); // back where it was configured
}

} // namespace
} // namespace rtcgate::engine
