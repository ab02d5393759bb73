#include "rtcgate/net/PortPool.hpp"

#include <gtest/gtest.h>

#include <set>

namespace rtcgate::net {
namespace {

auto always = [](std::uint16_t) { return true; };
const auto kNow = PortPool::Clock::now();

TEST(PortPoolTest, HandsOutEvenPortsOfTheRangeUntilItIsEmpty) {
    PortPool pool(30001, 30010); // even ports 30002..30008 with room for port+1
    EXPECT_EQ(pool.capacity(), 4U);
    std::set<std::uint16_t> seen;
    while (auto port = pool.acquire(always, kNow)) {
        EXPECT_EQ(*port % 2, 0);
        EXPECT_GE(*port, 30002);
        EXPECT_LE(*port + 1, 30010);
        EXPECT_TRUE(seen.insert(*port).second);
    }
    EXPECT_EQ(seen.size(), 4U);
    EXPECT_EQ(pool.available(), 0U);
}

TEST(PortPoolTest, AReleasedPairCanBeAcquiredAgain) {
    PortPool pool(40000, 40003);
    auto first = pool.acquire(always, kNow);
    auto second = pool.acquire(always, kNow);
    ASSERT_TRUE(first && second);
    EXPECT_FALSE(pool.acquire(always, kNow));
    pool.release(*first, kNow);
    EXPECT_EQ(pool.available(), 1U);
    EXPECT_EQ(pool.acquire(always, kNow), first);
}

TEST(PortPoolTest, AFreedPairIsNotReusedWhileOthersAreFree) {
    PortPool pool(40000, 40009);
    auto first = pool.acquire(always, kNow);
    pool.release(*first, kNow);
    auto next = pool.acquire(always, kNow);
    EXPECT_NE(next, first);
}

TEST(PortPoolTest, AReleasedPairWaitsOutItsQuarantine) {
    using namespace std::chrono_literals;
    PortPool pool(40000, 40003);
    pool.setQuarantine(5s);
    auto first = pool.acquire(always, kNow);
    auto second = pool.acquire(always, kNow);
    ASSERT_TRUE(first && second);
    pool.release(*first, kNow);
    EXPECT_EQ(pool.available(), 1U);
    EXPECT_EQ(pool.quarantined(kNow + 4s), 1U);
    EXPECT_FALSE(pool.acquire(always, kNow + 4s)); // the only free pair was released 4 s ago
    EXPECT_EQ(pool.quarantined(kNow + 5s), 0U);
    EXPECT_EQ(pool.acquire(always, kNow + 5s), first);
}

TEST(PortPoolTest, PairsThatCannotBeBoundAreSkippedAndStayFree) {
    PortPool pool(40000, 40007);
    auto port = pool.acquire([](std::uint16_t p) { return p != 40000 && p != 40002; }, kNow);
    EXPECT_EQ(port, 40004);
    EXPECT_EQ(pool.available(), 3U);
    EXPECT_FALSE(pool.acquire([](std::uint16_t) { return false; }, kNow));
}

TEST(PortPoolTest, ReleasingAPortItNeverHandedOutChangesNothing) {
    PortPool pool(40000, 40003);
    pool.release(40000, kNow);
    pool.release(40001, kNow);
    pool.release(50000, kNow);
    EXPECT_EQ(pool.available(), 2U);
}

TEST(PortPoolTest, SplitGivesEachShardADisjointSliceCoveringTheRange) {
    auto pools = PortPool::split(30000, 30099, 3);
    ASSERT_EQ(pools.size(), 3U);
    std::set<std::uint16_t> all;
    std::size_t total = 0;
    for (auto& pool : pools) {
        total += pool.capacity();
        while (auto port = pool.acquire(always, kNow)) {
            EXPECT_TRUE(all.insert(*port).second) << "port " << *port << " in two shards";
            EXPECT_GE(*port, 30000);
            EXPECT_LE(*port, 30098);
        }
    }
    EXPECT_EQ(total, 50U);
    EXPECT_EQ(all.size(), 50U);
    EXPECT_NEAR(static_cast<double>(pools[0].capacity()), static_cast<double>(pools[2].capacity()), 1.0);
}

TEST(PortPoolTest, SplitIntoMoreShardsThanPairsLeavesSomeEmpty) {
    auto pools = PortPool::split(30000, 30003, 4);
    std::size_t total = 0;
    for (auto& pool : pools) {
        total += pool.capacity();
    }
    EXPECT_EQ(total, 2U);
}

} // namespace
} // namespace rtcgate::net
