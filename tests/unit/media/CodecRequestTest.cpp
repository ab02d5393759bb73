#include "rtcgate/media/CodecRequest.hpp"

#include <gtest/gtest.h>

namespace rtcgate::media {
namespace {

const sdp::PayloadFormat kOpus{111, "opus", 48000, 2, "minptime=10;useinbandfec=1", {}};
const sdp::PayloadFormat kOpusMono{112, "opus", 48000, 1, {}, {}};
const sdp::PayloadFormat kPcmu{0, "PCMU", 8000, 1, {}, {}};
const sdp::PayloadFormat kPcma{8, "PCMA", 8000, 1, {}, {}};
const sdp::PayloadFormat kEvent8k{126, "telephone-event", 8000, 1, {}, {}};
const sdp::PayloadFormat kEvent48k{110, "telephone-event", 48000, 1, {}, {}};

CodecMatch match(std::string_view text) {
    auto parsed = CodecMatch::parse(text);
    EXPECT_TRUE(parsed) << text;
    return parsed.value_or(CodecMatch{});
}

TEST(CodecRequestTest, ANameMatchesEveryClockAndChannelCountCaseInsensitively) {
    auto pcmu = match("PCMU");
    EXPECT_EQ(pcmu.name, "PCMU");
    EXPECT_FALSE(pcmu.clockRate);
    EXPECT_TRUE(pcmu.matches(kPcmu));
    EXPECT_TRUE(match("pcmu").matches(kPcmu));
    EXPECT_FALSE(pcmu.matches(kPcma));
    EXPECT_TRUE(match("opus").matches(kOpus));
    EXPECT_TRUE(match("opus").matches(kOpusMono));
    EXPECT_TRUE(match("telephone-event").matches(kEvent8k));
    EXPECT_TRUE(match("telephone-event").matches(kEvent48k));
}

TEST(CodecRequestTest, NameClockAndChannelsMustAllMatch) {
    auto stereo = match("opus/48000/2");
    EXPECT_EQ(stereo.clockRate, 48000U);
    EXPECT_EQ(stereo.channels, 2U);
    EXPECT_TRUE(stereo.matches(kOpus));
    EXPECT_FALSE(stereo.matches(kOpusMono));
    // rtpengine: "opus/48000" names the one-channel codec.
    EXPECT_TRUE(match("opus/48000").matches(kOpusMono));
    EXPECT_FALSE(match("opus/48000").matches(kOpus));
    EXPECT_TRUE(match("telephone-event/8000").matches(kEvent8k));
    EXPECT_FALSE(match("telephone-event/8000").matches(kEvent48k));
    EXPECT_FALSE(match("PCMU/16000").matches(kPcmu));
}

TEST(CodecRequestTest, BitrateAndPtimeAreAcceptedAndNotUsed) {
    auto withBitrate = match("opus/48000/2/32000");
    EXPECT_EQ(withBitrate.channels, 2U);
    EXPECT_TRUE(withBitrate.matches(kOpus));
    auto noChannels = match("iLBC/8000//mode=30");
    EXPECT_EQ(noChannels.clockRate, 8000U);
    EXPECT_FALSE(noChannels.channels);
    EXPECT_EQ(withBitrate.toString(), "opus/48000/2");
}

TEST(CodecRequestTest, AllAndFullMatchEverythingAndAPayloadTypeMatchesItsNumber) {
    auto all = match("all");
    EXPECT_TRUE(all.all);
    EXPECT_FALSE(all.full);
    EXPECT_TRUE(all.matches(kOpus));
    EXPECT_TRUE(all.matches(kEvent8k));
    auto full = match("full");
    EXPECT_TRUE(full.all);
    EXPECT_TRUE(full.full);
    EXPECT_EQ(full.toString(), "full");
    auto eight = match("8");
    EXPECT_EQ(eight.payloadType, 8);
    EXPECT_TRUE(eight.matches(kPcma));
    EXPECT_FALSE(eight.matches(kPcmu));
}

TEST(CodecRequestTest, MalformedEntriesDoNotParse) {
    EXPECT_FALSE(CodecMatch::parse(""));
    EXPECT_FALSE(CodecMatch::parse("/8000"));
    EXPECT_FALSE(CodecMatch::parse("PCMU/fast"));
    EXPECT_FALSE(CodecMatch::parse("opus/48000/two"));
    EXPECT_FALSE(CodecMatch::parse("300"));
}

TEST(CodecRequestTest, RequestHelpersSeeAllFullAndEmptiness) {
    CodecRequest request;
    EXPECT_TRUE(request.empty());
    request.mask.push_back(match("opus"));
    EXPECT_FALSE(request.empty());
    EXPECT_FALSE(request.masksAll());
    request.mask.push_back(match("all"));
    EXPECT_TRUE(request.masksAll());
    EXPECT_FALSE(request.stripsAll());
    EXPECT_FALSE(request.full());
    request.strip.push_back(match("full"));
    EXPECT_TRUE(request.stripsAll());
    EXPECT_TRUE(request.full());

    CodecRequest flagsOnly;
    flagsOnly.alwaysTranscode = true;
    EXPECT_FALSE(flagsOnly.empty());
}

TEST(CodecRequestTest, AnyMatchesCanLeaveOutAll) {
    std::vector<CodecMatch> matches{match("all")};
    EXPECT_TRUE(anyMatches(matches, kPcmu));
    EXPECT_FALSE(anyMatches(matches, kPcmu, true));
    matches.push_back(match("PCMU"));
    EXPECT_TRUE(anyMatches(matches, kPcmu, true));
    EXPECT_FALSE(anyMatches(matches, kPcma, true));
}

TEST(CodecMatchTest, FormatParametersAfterBitrateAndPtimeAreKept) {
    auto dictionary = CodecMatch::parse("opus/48000/2///useinbandfec=1;stereo=1");
    ASSERT_TRUE(dictionary);
    EXPECT_EQ(dictionary->channels, 2U);
    EXPECT_EQ(dictionary->fmtp, "useinbandfec=1;stereo=1");
    // Kamailio's flag form: "=" written "--", a bitrate before them.
    auto flag = CodecMatch::parse("opus/48000/2/32000//stereo--0;useinbandfec--1");
    ASSERT_TRUE(flag);
    EXPECT_EQ(flag->fmtp, "stereo=0;useinbandfec=1");
    EXPECT_FALSE(CodecMatch::parse("opus/48000/2/32000")->fmtp);
    EXPECT_FALSE(CodecMatch::parse("opus/48000")->fmtp);
}

} // namespace
} // namespace rtcgate::media
