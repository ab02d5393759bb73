#include "rtcgate/engine/Engine.hpp"

#include "LoopbackPeer.hpp"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

namespace rtcgate::engine {
namespace {

TEST(ShardRoutingTest, ACallIdAlwaysMapsToTheSameShard) {
    for (int i = 0; i < 100; ++i) {
        std::string id = "call-" + std::to_string(i) + "@10.0.0.1";
        auto shard = Engine::shardIndexFor(id, 4);
        EXPECT_LT(shard, 4U);
        EXPECT_EQ(Engine::shardIndexFor(id, 4), shard);
    }
}

TEST(ShardRoutingTest, KnownCallIdsMapToFixedShards) {
    // FNV-1a is stable across runs, builds and machines.
    EXPECT_EQ(Engine::shardIndexFor("", 2), 14695981039346656037ULL % 2);
    EXPECT_EQ(Engine::shardIndexFor("a", 7), 0xaf63dc4c8601ec8cULL % 7);
}

TEST(ShardRoutingTest, CallsSpreadEvenlyOverShards) {
    std::vector<int> counts(2);
    for (int i = 0; i < 10000; ++i) {
        ++counts[Engine::shardIndexFor("a84b4c76e66710@pc" + std::to_string(i), 2)];
    }
    EXPECT_GT(counts[0], 4500);
    EXPECT_GT(counts[1], 4500);
}

TEST(ShardRoutingTest, OneShardTakesEverything) {
    EXPECT_EQ(Engine::shardIndexFor("anything", 1), 0U);
}

template <typename T>
T onShard(Shard& shard, std::function<T()> work) {
    std::promise<T> result;
    shard.post([&] { result.set_value(work()); });
    return result.get_future().get();
}

TEST(EngineTest, ShardsOwnDisjointPortSlicesAndRunTheirCalls) {
    EngineConfig config;
    config.portMin = 44000;
    config.portMax = 44039;
    config.shards = 2;
    Engine engine(config);
    engine.start();
    auto s0 = onShard<ShardStatistics>(engine.shard(0), [&] { return engine.shard(0).statistics(); });
    auto s1 = onShard<ShardStatistics>(engine.shard(1), [&] { return engine.shard(1).statistics(); });
    EXPECT_EQ(s0.portsCapacity + s1.portsCapacity, 20U);
    EXPECT_EQ(s0.portsCapacity, 10U);

    testing::LoopbackPeer a;
    Shard& shard = engine.shardFor("c1");
    auto ok = onShard<bool>(shard, [&] {
        auto& call = shard.createCall("c1");
        return call.offer(testing::signal("A", "", testing::plainSdp(a.port()))).ok();
    });
    EXPECT_TRUE(ok);
    auto stats = onShard<ShardStatistics>(shard, [&] { return shard.statistics(); });
    EXPECT_EQ(stats.activeCalls, 1U);
    EXPECT_EQ(stats.portsAvailable, 8U);
    onShard<bool>(shard, [&] {
        shard.deleteCall("c1", std::chrono::seconds(0));
        return true;
    });
    stats = onShard<ShardStatistics>(shard, [&] { return shard.statistics(); });
    EXPECT_EQ(stats.calls, 0U);
    EXPECT_EQ(stats.deletedCalls, 1U);
    engine.stop();
}

TEST(EngineTest, HousekeepingTearsDownSilentCallsAndExpiredDeletes) {
    EngineConfig config;
    config.portMin = 44100;
    config.portMax = 44139;
    config.shards = 1;
    config.timeout = std::chrono::seconds(5);
    Engine engine(config);
    engine.start();
    Shard& shard = engine.shard(0);
    testing::LoopbackPeer a;
    auto stats = onShard<ShardStatistics>(shard, [&] {
        for (const char* id : {"silent", "deleted"}) {
            auto& call = shard.createCall(id);
            call.offer(testing::signal("A", "", testing::plainSdp(a.port())));
        }
        shard.deleteCall("deleted", std::chrono::seconds(2));
        auto now = media::Clock::now();
        shard.housekeeping(now + std::chrono::seconds(1)); // nothing due yet
        EXPECT_EQ(shard.statistics().calls, 2U);
        shard.housekeeping(now + std::chrono::seconds(3)); // the delete delay is over
        EXPECT_NE(shard.findCall("silent"), nullptr);
        EXPECT_EQ(shard.findCall("deleted"), nullptr);
        shard.housekeeping(now + std::chrono::seconds(6)); // 5 s without media
        return shard.statistics();
    });
    EXPECT_EQ(stats.calls, 0U);
    EXPECT_EQ(stats.timedOutCalls, 1U);
    EXPECT_EQ(stats.portsAvailable, stats.portsCapacity);
    engine.stop();
}

TEST(EngineTest, CallsThatEndTogetherAreFreedASliceAtATime) {
    EngineConfig config;
    config.portMin = 44200;
    config.portMax = 44999; // 400 pairs: 200 calls of one line, both legs
    config.shards = 1;
    config.timeout = std::chrono::seconds(5);
    config.portQuarantine = std::chrono::seconds(0);
    Engine engine(config);
    engine.start();
    Shard& shard = engine.shard(0);
    testing::LoopbackPeer a;
    constexpr std::size_t kCalls = 200;
    onShard<int>(shard, [&] {
        for (std::size_t i = 0; i < kCalls; ++i) {
            auto& call = shard.createCall("call-" + std::to_string(i));
            call.offer(testing::signal("A", "", testing::plainSdp(a.port())));
        }
        // All of them time out at once: each is counted and torn down (no media) at once, and freed in slices.
        const auto later = media::Clock::now() + std::chrono::seconds(6);
        shard.housekeeping(later);
        const auto first = shard.statistics();
        EXPECT_EQ(first.timedOutCalls, kCalls);
        EXPECT_GT(first.calls, 0U);
        EXPECT_LT(first.calls, kCalls);
        for (int run = 1; run < 10 && shard.statistics().calls > 0; ++run) {
            shard.housekeeping(later + run * std::chrono::milliseconds(100));
        }
        const auto last = shard.statistics();
        EXPECT_EQ(last.calls, 0U);
        EXPECT_EQ(last.timedOutCalls, kCalls);
        EXPECT_EQ(last.portsAvailable, last.portsCapacity);
        return 0;
    });
    engine.stop();
}

} // namespace
} // namespace rtcgate::engine
