#include "rtcgate/engine/LoadLimits.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace rtcgate::engine {
namespace {

TEST(LoadLimitsTest, NoLimitAdmitsEveryCallAndCountsItsSession) {
    LoadLimits limits({}, 2);
    for (int i = 0; i < 100; ++i) {
        EXPECT_FALSE(limits.admit(static_cast<std::size_t>(i % 2), i % 3 == 0));
    }
    EXPECT_EQ(limits.sessions(), 100U);
    limits.release();
    EXPECT_EQ(limits.sessions(), 99U);
}

TEST(LoadLimitsTest, MaxSessionsRefusesTheCallPastItUntilOneEnds) {
    LoadLimits limits({.maxSessions = 10}, 2);
    for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_FALSE(limits.admit(i % 2, false)) << i;
    }
    const auto refused = limits.admit(1, false);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->limit, LoadLimit::Sessions);
    EXPECT_EQ(describe(refused->limit), "Parallel session limit reached");
    EXPECT_EQ(limits.sessions(), 10U); // a refusal reserves nothing
    limits.release();
    EXPECT_FALSE(limits.admit(0, false));
    EXPECT_TRUE(limits.admit(0, false));
}

// --max-cpu is per shard (its media thread's share of a core), and a transcoded call is refused at 90 % of it,
// before a relayed one.
TEST(LoadLimitsTest, MaxCpuRefusesOnTheBusyShardAndATranscodedCallFirst) {
    LoadLimits limits({.maxCpu = 80.0}, 2);
    limits.publish(0, 75.0, 0);
    limits.publish(1, 10.0, 0);
    EXPECT_FALSE(limits.admit(0, false));
    const auto transcoded = limits.admit(0, true);
    ASSERT_TRUE(transcoded);
    EXPECT_EQ(transcoded->limit, LoadLimit::Cpu);
    EXPECT_EQ(describe(transcoded->limit), "CPU usage limit exceeded");
    EXPECT_FALSE(limits.admit(1, true)); // the other shard is idle
    limits.publish(0, 85.0, 0);
    EXPECT_TRUE(limits.admit(0, false));
    EXPECT_DOUBLE_EQ(limits.cpuPercent(0), 85.0);
}

TEST(LoadLimitsTest, MaxBandwidthSumsTheShards) {
    LoadLimits limits({.maxBandwidth = 1'000'000}, 2);
    limits.publish(0, 0, 600'000);
    limits.publish(1, 0, 300'000);
    EXPECT_FALSE(limits.admit(0, false));
    limits.publish(1, 0, 500'000);
    const auto refused = limits.admit(0, false);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->limit, LoadLimit::Bandwidth);
    EXPECT_EQ(describe(refused->limit), "Bandwidth limit exceeded");
    EXPECT_EQ(limits.bytesPerSecond(), 1'100'000U);
}

TEST(LoadLimitsTest, MaxLoadReadsTheLoadAverage) {
    double load = 0;
    ASSERT_EQ(getloadavg(&load, 1), 1);
    // Refused exactly when the load average is above the limit (it changes every 5 s, not between these lines).
    LoadLimits low({.maxLoad = 1e-9}, 1);
    const auto refused = low.admit(0, false);
    EXPECT_EQ(refused.has_value(), load > 1e-9);
    if (refused) {
        EXPECT_EQ(refused->limit, LoadLimit::Load);
        EXPECT_EQ(describe(refused->limit), "Load limit exceeded");
    }
    LoadLimits high({.maxLoad = 1e9}, 1);
    EXPECT_FALSE(high.admit(0, false));
}

} // namespace
} // namespace rtcgate::engine
