#include "rtcgate/control/ReplyCache.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace rtcgate::control {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using State = ReplyCache::State;

const ReplyCache::Clock::time_point t0 = ReplyCache::Clock::time_point{} + 1h;
constexpr std::size_t kMegabyte = 1 << 20;

TEST(ReplyCacheTest, FirstSightIsAMissThenInFlightThenAHit) {
    ReplyCache cache{30s, 100, kMegabyte};
    EXPECT_EQ(cache.begin("cookie1 127.0.0.1:5060", t0).state, State::Miss);
    EXPECT_EQ(cache.begin("cookie1 127.0.0.1:5060", t0 + 1ms).state, State::InFlight);

    cache.complete("cookie1 127.0.0.1:5060", "d6:result4:ponge", t0 + 2ms);
    ReplyCache::Lookup lookup = cache.begin("cookie1 127.0.0.1:5060", t0 + 3ms);
    EXPECT_EQ(lookup.state, State::Hit);
    EXPECT_EQ(lookup.reply, "d6:result4:ponge");
    EXPECT_EQ(cache.begin("cookie1 127.0.0.1:5060", t0 + 4ms).state, State::Hit);
    EXPECT_EQ(cache.size(), 1U);
}

TEST(ReplyCacheTest, ReplyBytesComeBackExactly) {
    ReplyCache cache{30s, 100, kMegabyte};
    const std::string reply = "d3:sdp5:\0\xff\r\n x6:result2:oke"s;
    cache.begin("k", t0);
    cache.complete("k", reply, t0);
    EXPECT_EQ(cache.begin("k", t0).reply, reply);
}

TEST(ReplyCacheTest, KeysAreIndependent) {
    ReplyCache cache{30s, 100, kMegabyte};
    // Same cookie from two clients: the caller's key tells them apart.
    EXPECT_EQ(cache.begin("c1 127.0.0.1:5060", t0).state, State::Miss);
    EXPECT_EQ(cache.begin("c1 127.0.0.1:5062", t0).state, State::Miss);
    cache.complete("c1 127.0.0.1:5060", "reply-a", t0);
    EXPECT_EQ(cache.begin("c1 127.0.0.1:5062", t0).state, State::InFlight);
    cache.complete("c1 127.0.0.1:5062", "reply-b", t0);
    EXPECT_EQ(cache.begin("c1 127.0.0.1:5060", t0).reply, "reply-a");
    EXPECT_EQ(cache.begin("c1 127.0.0.1:5062", t0).reply, "reply-b");
    EXPECT_EQ(cache.size(), 2U);
}

TEST(ReplyCacheTest, EntriesExpireAfterTtl) {
    ReplyCache cache{30s, 100, kMegabyte};
    cache.begin("k", t0);
    cache.complete("k", "reply", t0);
    EXPECT_EQ(cache.begin("k", t0 + 30s - 1ms).state, State::Hit);
    EXPECT_EQ(cache.begin("k", t0 + 30s).state, State::Miss);
}

TEST(ReplyCacheTest, TtlCountsFromCompletion) {
    ReplyCache cache{30s, 100, kMegabyte};
    cache.begin("k", t0);
    cache.complete("k", "reply", t0 + 20s);
    EXPECT_EQ(cache.begin("k", t0 + 49s).state, State::Hit);
    EXPECT_EQ(cache.begin("k", t0 + 50s).state, State::Miss);
}

TEST(ReplyCacheTest, ExpireDropsOnlyOldEntries) {
    ReplyCache cache{30s, 100, kMegabyte};
    cache.begin("old", t0);
    cache.complete("old", "1", t0);
    cache.begin("young", t0 + 10s);
    cache.complete("young", "2", t0 + 10s);
    cache.expire(t0 + 35s);
    EXPECT_EQ(cache.size(), 1U);
    EXPECT_EQ(cache.begin("young", t0 + 35s).state, State::Hit);
    EXPECT_EQ(cache.begin("old", t0 + 35s).state, State::Miss);
}

TEST(ReplyCacheTest, StuckInFlightEntryExpires) {
    ReplyCache cache{30s, 100, kMegabyte};
    cache.begin("k", t0);
    EXPECT_EQ(cache.begin("k", t0 + 29s).state, State::InFlight);
    EXPECT_EQ(cache.begin("k", t0 + 30s).state, State::Miss);
}

TEST(ReplyCacheTest, CompletionAfterExpiryIsStillCached) {
    ReplyCache cache{30s, 100, kMegabyte};
    cache.begin("k", t0);
    cache.expire(t0 + 31s);
    EXPECT_EQ(cache.size(), 0U);
    cache.complete("k", "late reply", t0 + 32s);
    ReplyCache::Lookup lookup = cache.begin("k", t0 + 33s);
    EXPECT_EQ(lookup.state, State::Hit);
    EXPECT_EQ(lookup.reply, "late reply");
}

TEST(ReplyCacheTest, OldestEntriesAreEvictedWhenFull) {
    ReplyCache cache{30s, 3, kMegabyte};
    for (const char* key : {"a", "b", "c"}) {
        cache.begin(key, t0);
        cache.complete(key, std::string{"reply-"} + key, t0);
    }
    EXPECT_EQ(cache.begin("d", t0 + 1s).state, State::Miss);
    EXPECT_EQ(cache.size(), 3U);
    EXPECT_EQ(cache.begin("b", t0 + 1s).state, State::Hit);
    EXPECT_EQ(cache.begin("c", t0 + 1s).state, State::Hit);
    EXPECT_EQ(cache.begin("d", t0 + 1s).state, State::InFlight);
    EXPECT_EQ(cache.begin("a", t0 + 1s).state, State::Miss);
    EXPECT_EQ(cache.size(), 3U);
}

TEST(ReplyCacheTest, CompletionMakesAnEntryTheYoungest) {
    ReplyCache cache{30s, 2, kMegabyte};
    cache.begin("slow", t0);
    cache.begin("fast", t0 + 1s);
    cache.complete("fast", "1", t0 + 1s);
    cache.complete("slow", "2", t0 + 2s);
    cache.begin("new", t0 + 3s); // evicts "fast", completed before "slow"
    EXPECT_EQ(cache.begin("slow", t0 + 3s).state, State::Hit);
}

TEST(ReplyCacheTest, MemoryStaysBoundedUnderAFloodOfKeys) {
    ReplyCache cache{30s, 100, kMegabyte};
    for (int i = 0; i < 10000; ++i) {
        std::string key = "cookie" + std::to_string(i);
        EXPECT_EQ(cache.begin(key, t0).state, State::Miss);
        cache.complete(key, std::string(100, 'x'), t0);
        ASSERT_LE(cache.size(), 100U);
    }
    EXPECT_EQ(cache.size(), 100U);
    EXPECT_EQ(cache.begin("cookie9999", t0).state, State::Hit);
    EXPECT_EQ(cache.begin("cookie9900", t0).state, State::Hit);
    EXPECT_EQ(cache.begin("cookie0", t0).state, State::Miss);
}

TEST(ReplyCacheTest, AbandonForgetsAnInFlightKeyOnly) {
    ReplyCache cache{30s, 100, kMegabyte};
    cache.begin("k", t0);
    cache.abandon("k");
    EXPECT_EQ(cache.size(), 0U);
    EXPECT_EQ(cache.begin("k", t0).state, State::Miss);
    cache.complete("k", "reply", t0);
    cache.abandon("k");
    EXPECT_EQ(cache.begin("k", t0).state, State::Hit);
    cache.abandon("unknown");
    EXPECT_EQ(cache.size(), 1U);
}

TEST(ReplyCacheTest, ZeroCapacityStillKeepsOneEntry) {
    ReplyCache cache{30s, 0, kMegabyte};
    EXPECT_EQ(cache.maxEntries(), 1U);
    cache.begin("k", t0);
    cache.complete("k", "reply", t0);
    EXPECT_EQ(cache.begin("k", t0).state, State::Hit);
}

TEST(ReplyCacheTest, BytesAreBoundedOldestFirstAndAReplyTooLargeIsNotKept) {
    ReplyCache cache{30s, 100, 1000};
    for (int i = 0; i < 5; ++i) {
        const std::string key = "k" + std::to_string(i);
        cache.begin(key, t0);
        cache.complete(key, std::string(300, 'r'), t0 + std::chrono::milliseconds(i));
    }
    EXPECT_LE(cache.bytes(), 1000U);
    EXPECT_EQ(cache.size(), 3U);
    EXPECT_EQ(cache.begin("k1", t0).state, State::Miss); // evicted (and in flight now)
    EXPECT_EQ(cache.begin("k4", t0).state, State::Hit);

    cache.begin("huge", t0);
    cache.complete("huge", std::string(2000, 'r'), t0);
    EXPECT_EQ(cache.begin("huge", t0).state, State::Miss); // executed again rather than kept
    EXPECT_EQ(cache.begin("k4", t0).state, State::Hit);
    EXPECT_LE(cache.bytes(), 1000U);

    cache.expire(t0 + 31s);
    EXPECT_EQ(cache.size(), 0U);
    EXPECT_EQ(cache.bytes(), 0U);
}

} // namespace
} // namespace rtcgate::control
