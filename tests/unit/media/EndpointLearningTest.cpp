#include "rtcgate/media/EndpointLearning.hpp"

#include <gtest/gtest.h>

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;
using Verdict = EndpointLearning::Verdict;

net::Endpoint at(const char* address, std::uint16_t port) {
    return *net::makeEndpoint(address, port);
}

class EndpointLearningTest : public ::testing::Test {
protected:
    EndpointLearning make(LearningMode mode, bool strict = false, bool handover = false) {
        EndpointLearning learning(
            SourceRules{.learning = {.mode = mode, .delay = 3s}, .strictSource = strict, .mediaHandover = handover});
        learning.setAdvertised(sdp_, start_);
        return learning;
    }

    const net::Endpoint sdp_ = at("192.0.2.10", 4000);
    const net::Endpoint sameHost_ = at("192.0.2.10", 4444);      // the SDP's address, another port
    const net::Endpoint natSamePort_ = at("198.51.100.7", 4000); // the SDP's port, another address
    const net::Endpoint nat_ = at("198.51.100.7", 61000);
    const net::Endpoint stranger_ = at("203.0.113.66", 5555);
    const Clock::time_point start_ = Clock::time_point{} + 1h;
};

TEST_F(EndpointLearningTest, HeuristicTakesTheSdpAddressAtOnceAndAStrangerWhoSentFirstGetsNothing) {
    auto learning = make(LearningMode::Heuristic);
    EXPECT_EQ(learning.destination(), sdp_);
    EXPECT_EQ(learning.onPacket(stranger_, start_ + 10ms), Verdict::FromParty); // not learnt: anyone may be the party
    EXPECT_EQ(learning.destination(), sdp_);
    EXPECT_FALSE(learning.learnt());
    EXPECT_EQ(learning.onPacket(sdp_, start_ + 500ms), Verdict::FromParty);
    EXPECT_EQ(learning.learnt(), sdp_);
    for (auto later : {start_ + 600ms, start_ + 10s}) {
        EXPECT_EQ(learning.onPacket(stranger_, later), Verdict::FromOther); // relayed, keeps nothing alive
        EXPECT_EQ(learning.destination(), sdp_);
    }
}

TEST_F(EndpointLearningTest, HeuristicLearnsANattedPartyAfterTheDelayPreferringTheSdpPort) {
    auto learning = make(LearningMode::Heuristic);
    learning.onPacket(natSamePort_, start_ + 100ms);
    learning.onPacket(stranger_, start_ + 200ms);
    EXPECT_EQ(learning.destination(), sdp_);   // another address is not sent to before it is learnt
    learning.onPacket(stranger_, start_ + 3s); // the first packet after the delay: the best candidate is learnt
    EXPECT_EQ(learning.learnt(), natSamePort_);
    EXPECT_EQ(learning.destination(), natSamePort_);

    auto any = make(LearningMode::Heuristic);
    any.onPacket(stranger_, start_ + 100ms);
    any.onPacket(nat_, start_ + 200ms); // same rank: the latest
    any.onPacket(nat_, start_ + 3100ms);
    EXPECT_EQ(any.learnt(), nat_);
}

TEST_F(EndpointLearningTest, HeuristicSendsToTheSdpHostAtOnceAndStillPrefersTheSdpPort) {
    auto learning = make(LearningMode::Heuristic);
    learning.onPacket(sameHost_, start_ + 100ms);
    EXPECT_EQ(learning.destination(), sameHost_); // the party's host (or its NAT's, as the proxy wrote the SDP)
    EXPECT_FALSE(learning.learnt());
    learning.onPacket(sdp_, start_ + 200ms);
    EXPECT_EQ(learning.learnt(), sdp_);

    auto later = make(LearningMode::Heuristic);
    later.onPacket(sameHost_, start_ + 100ms);
    later.onPacket(stranger_, start_ + 3s);
    EXPECT_EQ(later.learnt(), sameHost_);
}

TEST_F(EndpointLearningTest, EverySignalRestartsTheDelayUntilSomethingIsLearnt) {
    auto learning = make(LearningMode::Heuristic);
    learning.onPacket(nat_, start_ + 100ms);
    learning.signalled(start_ + 2s); // the answer
    learning.onPacket(nat_, start_ + 4s);
    EXPECT_FALSE(learning.learnt());
    learning.onPacket(nat_, start_ + 5s);
    EXPECT_EQ(learning.learnt(), nat_);
    learning.signalled(start_ + 6s); // a re-offer with the same address keeps it
    EXPECT_EQ(learning.learnt(), nat_);
    learning.setAdvertised(at("192.0.2.11", 4000), start_ + 7s); // a new address forgets it
    EXPECT_FALSE(learning.learnt());
    EXPECT_EQ(learning.destination(), at("192.0.2.11", 4000));
}

TEST_F(EndpointLearningTest, WithoutAnSdpAddressEverySourceWaitsForTheDelay) {
    EndpointLearning learning(SourceRules{.learning = {.mode = LearningMode::Heuristic, .delay = 3s}});
    learning.setAdvertised(std::nullopt, start_);
    learning.onPacket(nat_, start_ + 1s);
    EXPECT_FALSE(learning.destination());
    learning.onPacket(nat_, start_ + 3s);
    EXPECT_EQ(learning.learnt(), nat_);
}

TEST_F(EndpointLearningTest, DelayedFollowsTheLatestSourceAndLearnsAfterTheDelay) {
    auto learning = make(LearningMode::Delayed);
    learning.onPacket(stranger_, start_ + 100ms);
    EXPECT_EQ(learning.destination(), stranger_); // rtpengine's default: a stranger who sends first gets media
    learning.onPacket(sdp_, start_ + 200ms);
    EXPECT_EQ(learning.destination(), sdp_);
    EXPECT_FALSE(learning.learnt());
    learning.onPacket(stranger_, start_ + 3s);
    EXPECT_EQ(learning.learnt(), stranger_);
}

TEST_F(EndpointLearningTest, ImmediateLearnsTheFirstAndOffNever) {
    auto immediate = make(LearningMode::Immediate);
    immediate.onPacket(stranger_, start_ + 1ms);
    EXPECT_EQ(immediate.learnt(), stranger_);

    auto off = make(LearningMode::Off);
    EXPECT_EQ(off.onPacket(nat_, start_ + 1ms), Verdict::FromParty);
    EXPECT_EQ(off.onPacket(nat_, start_ + 1h), Verdict::FromParty);
    EXPECT_FALSE(off.learnt());
    EXPECT_EQ(off.destination(), sdp_);
}

TEST_F(EndpointLearningTest, StrictSourceRefusesOthersAndMediaHandoverFollowsThem) {
    auto strict = make(LearningMode::Heuristic, true);
    EXPECT_EQ(strict.onPacket(stranger_, start_), Verdict::FromParty); // nothing learnt yet
    strict.onPacket(sdp_, start_ + 1ms);
    EXPECT_EQ(strict.onPacket(stranger_, start_ + 2ms), Verdict::Refused);
    EXPECT_EQ(strict.onPacket(sdp_, start_ + 3ms), Verdict::FromParty);

    auto handover = make(LearningMode::Heuristic, true, true);
    handover.onPacket(sdp_, start_ + 1ms);
    EXPECT_EQ(handover.onPacket(nat_, start_ + 2ms), Verdict::FromParty);
    EXPECT_EQ(handover.learnt(), nat_);
    EXPECT_EQ(handover.destination(), nat_);
}

TEST_F(EndpointLearningTest, ModesAreNamedAsRtpengineNamesThem) {
    for (auto mode : {LearningMode::Heuristic, LearningMode::Delayed, LearningMode::Immediate, LearningMode::Off}) {
        EXPECT_EQ(parseLearningMode(toString(mode)), mode);
    }
    EXPECT_FALSE(parseLearningMode("Heuristic"));
    EXPECT_FALSE(parseLearningMode(""));
}

} // namespace
} // namespace rtcgate::media
