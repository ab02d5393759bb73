#include "rtcgate/control/UdpReply.hpp"

#include "rtcgate/control/NgCommandHandler.hpp"

#include <gtest/gtest.h>

namespace rtcgate::control {
namespace {

using bencode::Dict;
using bencode::List;

Dict decoded(const std::string& datagram, std::string_view cookie) {
    EXPECT_EQ(datagram.substr(0, cookie.size() + 1), std::string(cookie) + " ");
    auto result = bencode::decode(std::string_view(datagram).substr(cookie.size() + 1));
    EXPECT_TRUE(result.ok()) << result.error;
    return result.value.isDict() ? result.value.asDict() : Dict{};
}

TEST(UdpReplyTest, AReplyThatFitsIsSentAsItIs) {
    const Dict reply{{"result", "pong"}};
    EXPECT_EQ(encodeUdpReply("c1", reply), encodeReply("c1", reply));
}

TEST(UdpReplyTest, AListThatDoesNotFitKeepsTheCallsThatFitAndSaysHowManyThereAre) {
    List calls;
    for (int i = 0; i < 5000; ++i) {
        calls.emplace_back("call-" + std::to_string(i) + "@example.invalid");
    }
    const std::string datagram = encodeUdpReply("c1", Dict{{"result", "ok"}, {"calls", calls}}, 20000);
    EXPECT_LE(datagram.size(), 20000U);
    const Dict reply = decoded(datagram, "c1");
    EXPECT_EQ(reply.at("result").asString(), "ok");
    const auto& kept = reply.at("calls").asList();
    EXPECT_GT(kept.size(), 500U);
    EXPECT_LT(kept.size(), 5000U);
    EXPECT_EQ(kept.front().asString(), "call-0@example.invalid");
    EXPECT_EQ(reply.at("total calls").asInteger(), 5000);
    EXPECT_NE(reply.at("warning").asString().find("Truncated to " + std::to_string(kept.size()) + " of 5000"),
              std::string::npos);
}

TEST(UdpReplyTest, QueryStatisticsTooLargeLoseThePerPartyPartAndSaySo) {
    Dict tags;
    for (int i = 0; i < 500; ++i) {
        tags["tag-" + std::to_string(i)] = Dict{{"medias", List(20, bencode::Value(std::string(20, 'x')))}};
    }
    const Dict full{{"result", "ok"}, {"created", 1}, {"totals", Dict{{"RTP", Dict{}}}}, {"tags", tags}};
    const Dict reply = decoded(encodeUdpReply("c1", full, 20000), "c1");
    EXPECT_EQ(reply.at("result").asString(), "ok");
    EXPECT_EQ(reply.count("tags"), 0U);
    EXPECT_EQ(reply.count("totals"), 1U);
    EXPECT_NE(reply.at("warning").asString().find("TCP"), std::string::npos);
}

// A call too large for a datagram is not formatted in full only to be cut (finishReply): its totals stay.
TEST(UdpReplyTest, AQueryOfACallThatCannotFitIsFormattedWithoutThePerPartyPart) {
    media::CallSnapshot call;
    call.legs.resize(2);
    for (auto& leg : call.legs) {
        leg.tag = "tag-" + std::to_string(&leg - call.legs.data());
        leg.medias.resize(300);
        for (auto& media : leg.medias) {
            media.streams.resize(2);
            media.streams[0].stats.packets = 1;
        }
    }
    const auto outcome = [&] { return ShardOutcome{.reply = Dict{{"result", "ok"}}, .call = call}; };
    const Dict full = finishReply(outcome());
    EXPECT_EQ(full.at("tags").asDict().size(), 2U);
    EXPECT_GT(encodeReply("c1", full).size(), kMaxUdpReply);

    const Dict cut = finishReply(outcome(), kMaxUdpReply);
    EXPECT_EQ(cut.count("tags"), 0U);
    EXPECT_EQ(cut.count("SSRC"), 0U);
    EXPECT_EQ(cut.at("result").asString(), "ok");
    EXPECT_EQ(cut.at("totals").asDict().at("RTP").asDict().at("packets").asInteger(), 600);
    EXPECT_NE(cut.at("warning").asString().find("Per-party statistics left out: the reply (at least"),
              std::string::npos);

    call.legs[1].medias.resize(10); // small enough: the whole
    call.legs[0].medias.resize(10);
    EXPECT_EQ(finishReply(outcome(), kMaxUdpReply).at("tags").asDict().size(), 2U);
}

TEST(UdpReplyTest, AnyOtherReplyTooLargeBecomesAnErrorThatPointsToTcp) {
    const Dict offer{{"result", "ok"}, {"sdp", std::string(30000, 'v')}};
    const std::string datagram = encodeUdpReply("c1", offer, 20000);
    EXPECT_LE(datagram.size(), 20000U);
    const Dict reply = decoded(datagram, "c1");
    EXPECT_EQ(reply.at("result").asString(), "error");
    EXPECT_NE(reply.at("error-reason").asString().find("--listen-tcp-ng"), std::string::npos);
}

} // namespace
} // namespace rtcgate::control
