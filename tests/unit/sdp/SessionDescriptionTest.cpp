#include "rtcgate/sdp/SessionDescription.hpp"

#include "SdpCorpus.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rtcgate::sdp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

SessionDescription parseOrFail(std::string_view text) {
    std::string error;
    auto sdp = SessionDescription::parse(text, &error);
    EXPECT_TRUE(sdp.has_value()) << error;
    return sdp.value_or(SessionDescription{});
}

// ---- round trip over the corpus ------------------------------------------------------------------

struct CorpusEntry {
    const char* name;
    std::string_view text;
    std::size_t mediaCount;
};

class SessionDescriptionRoundTrip : public ::testing::TestWithParam<CorpusEntry> {};

TEST_P(SessionDescriptionRoundTrip, CrlfInputSerializesToTheSameBytes) {
    const std::string wire = corpus::withCrlf(GetParam().text);
    const SessionDescription sdp = parseOrFail(wire);
    EXPECT_EQ(sdp.media.size(), GetParam().mediaCount);
    EXPECT_EQ(sdp.serialize(), wire);
}

TEST_P(SessionDescriptionRoundTrip, BareLfInputSerializesWithCrlf) {
    const SessionDescription sdp = parseOrFail(GetParam().text);
    EXPECT_EQ(sdp.serialize(), corpus::withCrlf(GetParam().text));
}

TEST_P(SessionDescriptionRoundTrip, MissingFinalLineEndingIsAccepted) {
    std::string wire = corpus::withCrlf(GetParam().text);
    wire.resize(wire.size() - 2);
    const SessionDescription sdp = parseOrFail(wire);
    EXPECT_EQ(sdp.serialize(), corpus::withCrlf(GetParam().text));
}

TEST_P(SessionDescriptionRoundTrip, SerializedOutputParsesToTheSameDescription) {
    const SessionDescription first = parseOrFail(GetParam().text);
    const SessionDescription second = parseOrFail(first.serialize());
    EXPECT_EQ(second.session.lines, first.session.lines);
    ASSERT_EQ(second.media.size(), first.media.size());
    for (std::size_t i = 0; i < first.media.size(); ++i) {
        EXPECT_EQ(second.media[i].mLine(), first.media[i].mLine());
        EXPECT_EQ(second.media[i].lines, first.media[i].lines);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, SessionDescriptionRoundTrip,
    ::testing::Values(
        CorpusEntry{"Chrome", corpus::chromeOffer, 2}, CorpusEntry{"Firefox", corpus::firefoxOffer, 1},
        CorpusEntry{"Safari", corpus::safariOffer, 1}, CorpusEntry{"Asterisk", corpus::asteriskOffer, 1},
        CorpusEntry{"FreeSwitch", corpus::freeswitchOffer, 1}, CorpusEntry{"Carrier", corpus::carrierAnswer, 1},
        CorpusEntry{"TwoAudioLines", corpus::twoAudioLines, 3}, CorpusEntry{"RtcpLongForm", corpus::rtcpLongForm, 1},
        CorpusEntry{"RtcpShortForm", corpus::rtcpShortForm, 1}, CorpusEntry{"RtcpMux", corpus::rtcpMuxOffer, 1},
        CorpusEntry{"Ipv6", corpus::ipv6Offer, 1}, CorpusEntry{"OldStyleHold", corpus::oldStyleHold, 1},
        CorpusEntry{"EveryLineType", corpus::everyLineType, 2}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- structure and accessors ----------------------------------------------------------------------

TEST(SessionDescription, LinesBeforeTheFirstMediaLineBelongToTheSession) {
    const SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    ASSERT_EQ(sdp.session.lines.size(), 7u);
    EXPECT_EQ(sdp.session.lines[0], (Line{'v', "0"}));
    EXPECT_EQ(sdp.session.lines[4], (Line{'a', "group:BUNDLE 0 1"}));
    EXPECT_EQ(sdp.session.lines[6], (Line{'a', "msid-semantic: WMS 6739dcad-aac9-4e33-899b-bb86e918db50"}));
    EXPECT_FALSE(sdp.session.find('c'));
    EXPECT_FALSE(sdp.session.hasAttribute("rtcp-mux"));

    ASSERT_EQ(sdp.media.size(), 2u);
    EXPECT_EQ(sdp.media[0].lines.front(), (Line{'c', "IN IP4 192.0.2.10"}));
    EXPECT_EQ(sdp.media[0].lines.back(), (Line{'a', "ssrc:3735928559 msid:6739dcad-aac9-4e33-899b-bb86e918db50 "
                                                    "839ec28d-b18a-4bad-9c3d-efee1b722f96"}));
    EXPECT_EQ(sdp.media[1].attribute("mid"), "1");
}

TEST(SessionDescription, MediaLineFields) {
    const SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    const MediaDescription& audio = sdp.media[0];
    EXPECT_EQ(audio.media, "audio");
    EXPECT_EQ(audio.port, 51234);
    EXPECT_FALSE(audio.portCount.has_value());
    EXPECT_EQ(audio.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_THAT(audio.formats, ElementsAre("111", "63", "9", "0", "8", "13", "110", "126"));
    EXPECT_EQ(audio.mLine(), "audio 51234 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126");
    EXPECT_FALSE(audio.find('m')); // the m= line lives in the fields, not in `lines`

    const MediaDescription& video = sdp.media[1];
    EXPECT_EQ(video.media, "video");
    EXPECT_EQ(video.port, 51236);
    EXPECT_THAT(video.formats, ElementsAre("96", "97", "102", "103"));
}

TEST(SessionDescription, PortCountIsKept) {
    const auto sdp = parseOrFail("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 233.252.0.1/127/2\r\nt=0 0\r\n"
                                 "m=video 49170/2 RTP/AVP 31\r\n");
    ASSERT_EQ(sdp.media.size(), 1u);
    EXPECT_EQ(sdp.media[0].port, 49170);
    EXPECT_EQ(sdp.media[0].portCount, 2u);
    EXPECT_EQ(sdp.media[0].mLine(), "video 49170/2 RTP/AVP 31");
    EXPECT_EQ(sdp.session.connection()->address, "233.252.0.1/127/2");
}

TEST(SessionDescription, Origin) {
    const SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    const auto origin = sdp.origin();
    ASSERT_TRUE(origin);
    EXPECT_EQ(origin->username, "-");
    EXPECT_EQ(origin->sessionId, "1693412345");
    EXPECT_EQ(origin->sessionVersion, 1693412347u);
    EXPECT_EQ(origin->netType, "IN");
    EXPECT_EQ(origin->addrType, "IP4");
    EXPECT_EQ(origin->address, "203.0.113.5");
    EXPECT_EQ(origin->toString(), "- 1693412345 1693412347 IN IP4 203.0.113.5");

    const auto firefox = parseOrFail(corpus::firefoxOffer).origin();
    ASSERT_TRUE(firefox);
    EXPECT_EQ(firefox->username, "mozilla...THIS_IS_SDPARTA-115.3.1");
    EXPECT_EQ(firefox->sessionId, "5183262599439489016");
    EXPECT_EQ(firefox->sessionVersion, 0u);

    const auto ipv6 = parseOrFail(corpus::ipv6Offer).origin();
    ASSERT_TRUE(ipv6);
    EXPECT_EQ(ipv6->addrType, "IP6");
    EXPECT_EQ(ipv6->address, "2001:db8:100::5");
}

TEST(SessionDescription, SetOriginReplacesTheOriginLineInPlace) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    Origin origin = *sdp.origin();
    origin.sessionVersion += 1;
    origin.address = "192.0.2.99";
    sdp.setOrigin(origin);
    EXPECT_EQ(sdp.session.lines[1], (Line{'o', "- 1693412345 1693412348 IN IP4 192.0.2.99"}));
    EXPECT_EQ(sdp.session.lines.size(), 5u);
    EXPECT_EQ(sdp.origin()->sessionVersion, 1693412348u);
}

TEST(SessionDescription, SetOriginInsertsAfterVersionWhenMissing) {
    SessionDescription sdp;
    sdp.session.lines = {{'v', "0"}, {'s', "-"}, {'t', "0 0"}};
    sdp.setOrigin(Origin{"rtcgate", "42", 7, "IN", "IP4", "192.0.2.1"});
    EXPECT_EQ(sdp.serialize(), "v=0\r\no=rtcgate 42 7 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n");
}

TEST(SessionDescription, ConnectionForPrefersTheMediaLevel) {
    const SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    ASSERT_EQ(sdp.media.size(), 3u);
    EXPECT_EQ(sdp.connectionFor(0)->address, "198.51.100.1");
    EXPECT_EQ(sdp.connectionFor(1)->address, "198.51.100.1");
    const auto video = sdp.connectionFor(2);
    ASSERT_TRUE(video);
    EXPECT_EQ(video->netType, "IN");
    EXPECT_EQ(video->addrType, "IP6");
    EXPECT_EQ(video->address, "2001:db8::2");
    EXPECT_EQ(video->toString(), "IN IP6 2001:db8::2");
    EXPECT_FALSE(sdp.media[0].connection());
}

TEST(SessionDescription, ConnectionForWithoutAnyConnectionLine) {
    const SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    EXPECT_EQ(sdp.connectionFor(0)->address, "192.0.2.10");
    SessionDescription stripped = sdp;
    std::erase_if(stripped.media[0].lines, [](const Line& line) { return line.type == 'c'; });
    EXPECT_FALSE(stripped.connectionFor(0));
}

TEST(SessionDescription, OldStyleHoldAddressIsReturnedAsIs) {
    const SessionDescription sdp = parseOrFail(corpus::oldStyleHold);
    EXPECT_EQ(sdp.connectionFor(0)->address, "0.0.0.0");
    EXPECT_EQ(sdp.directionFor(0), Direction::SendOnly);
}

TEST(SessionDescription, DirectionFor) {
    EXPECT_EQ(parseOrFail(corpus::asteriskOffer).directionFor(0), Direction::SendRecv);
    // Session-level recvonly applies to a media line without its own direction.
    const SessionDescription seminar = parseOrFail(corpus::everyLineType);
    EXPECT_EQ(seminar.directionFor(0), Direction::RecvOnly);
    EXPECT_EQ(seminar.directionFor(1), Direction::RecvOnly);
    // No direction anywhere: sendrecv (RFC 3264 section 5.1).
    EXPECT_EQ(parseOrFail(corpus::twoAudioLines).directionFor(0), Direction::SendRecv);

    // The media attribute wins over the session's.
    SessionDescription sdp = parseOrFail(corpus::everyLineType);
    sdp.media[1].lines.push_back(Line{'a', "inactive"});
    EXPECT_EQ(sdp.directionFor(1), Direction::Inactive);
    EXPECT_EQ(sdp.directionFor(0), Direction::RecvOnly);
    sdp.media[0].setAttribute("sendonly", "");
    EXPECT_EQ(sdp.directionFor(0), Direction::SendOnly);
}

TEST(SessionDescription, DirectionNames) {
    for (Direction d : {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
        EXPECT_EQ(directionFromAttribute(toString(d)), d);
    }
    EXPECT_EQ(toString(Direction::SendOnly), "sendonly");
    EXPECT_EQ(toString(Direction::Inactive), "inactive");
    EXPECT_FALSE(directionFromAttribute("rtcp-mux"));
    EXPECT_FALSE(directionFromAttribute("SENDRECV"));
}

// ---- attributes -------------------------------------------------------------------------------

TEST(SessionDescription, AttributesKeepEveryValueInOrder) {
    const SessionDescription sdp = parseOrFail(corpus::firefoxOffer);
    const MediaDescription& audio = sdp.media[0];
    EXPECT_THAT(audio.attributes("candidate"), ElementsAre("0 1 UDP 2122252543 192.0.2.21 54925 typ host",
                                                           "1 1 TCP 2105524479 192.0.2.21 9 typ host tcptype active",
                                                           "0 2 UDP 2122252542 192.0.2.21 56890 typ host",
                                                           "1 2 TCP 2105524478 192.0.2.21 9 typ host tcptype active"));
    EXPECT_THAT(audio.attributes("rtpmap"), ElementsAre("109 opus/48000/2", "9 G722/8000/1", "0 PCMU/8000",
                                                        "8 PCMA/8000", "101 telephone-event/8000/1"));
    EXPECT_EQ(audio.attribute("ice-ufrag"), "3e2a4b1c");
    EXPECT_EQ(audio.attribute("extmap"), "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
    EXPECT_EQ(
        sdp.session.attribute("fingerprint"),
        "sha-256 53:5A:C4:75:6A:56:07:F9:CA:70:A9:68:21:C1:FE:C7:06:62:5D:30:FD:8F:6D:96:40:C3:6F:1F:6C:78:04:57");
    EXPECT_FALSE(audio.attribute("fingerprint"));
    EXPECT_TRUE(audio.attributes("ssrc-group").empty());
}

TEST(SessionDescription, FlagAttributeHasAnEmptyValue) {
    const SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    EXPECT_TRUE(sdp.media[0].hasAttribute("rtcp-mux"));
    EXPECT_EQ(sdp.media[0].attribute("rtcp-mux"), "");
    EXPECT_TRUE(sdp.session.hasAttribute("extmap-allow-mixed"));
}

TEST(SessionDescription, AttributeNamesMatchWholeNamesOnly) {
    const SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    const MediaDescription& audio = sdp.media[0];
    EXPECT_TRUE(audio.hasAttribute("ptime"));
    EXPECT_TRUE(audio.hasAttribute("maxptime"));
    EXPECT_EQ(audio.attribute("ptime"), "20");
    EXPECT_FALSE(audio.hasAttribute("rtcp"));
    EXPECT_FALSE(audio.hasAttribute("ptim"));
    EXPECT_FALSE(audio.hasAttribute("rtpmap:0"));

    const SessionDescription chrome = parseOrFail(corpus::chromeOffer);
    // rtcp, rtcp-mux, rtcp-fb and rtcp-rsize are four attributes.
    EXPECT_THAT(chrome.media[1].attributes("rtcp"), ElementsAre("9 IN IP4 0.0.0.0"));
    EXPECT_EQ(chrome.media[1].attributes("rtcp-fb").size(), 10u);
    EXPECT_TRUE(chrome.media[1].hasAttribute("rtcp-rsize"));
    EXPECT_FALSE(chrome.media[0].hasAttribute("rtcp-rsize"));
}

TEST(SessionDescription, SetAttributeReplacesEveryOccurrenceInPlace) {
    SessionDescription sdp = parseOrFail(corpus::firefoxOffer);
    MediaDescription& audio = sdp.media[0];
    const std::size_t count = audio.lines.size();
    audio.setAttribute("rtcp", "40001 IN IP4 203.0.113.1");
    EXPECT_EQ(audio.lines.size(), count);
    EXPECT_EQ(audio.lines[16], (Line{'a', "rtcp:40001 IN IP4 203.0.113.1"}));
    EXPECT_TRUE(audio.hasAttribute("rtcp-mux"));

    audio.setAttribute("candidate", "1 1 udp 2130706431 203.0.113.1 40000 typ host");
    EXPECT_THAT(audio.attributes("candidate"), ElementsAre("1 1 udp 2130706431 203.0.113.1 40000 typ host",
                                                           "1 1 udp 2130706431 203.0.113.1 40000 typ host",
                                                           "1 1 udp 2130706431 203.0.113.1 40000 typ host",
                                                           "1 1 udp 2130706431 203.0.113.1 40000 typ host"));
    EXPECT_EQ(audio.lines.size(), count);
}

TEST(SessionDescription, SetAttributeAppendsWhenAbsent) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    MediaDescription& audio = sdp.media[0];
    audio.setAttribute("rtcp-mux", "");
    audio.setAttribute("rtcp", "17073");
    EXPECT_EQ(audio.lines[audio.lines.size() - 2], (Line{'a', "rtcp-mux"}));
    EXPECT_EQ(audio.lines.back(), (Line{'a', "rtcp:17073"}));
    EXPECT_EQ(audio.lines[audio.lines.size() - 3], (Line{'a', "sendrecv"}));
}

TEST(SessionDescription, SetAttributeTurnsAFlagIntoAValueAndBack) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    MediaDescription& audio = sdp.media[0];
    audio.setAttribute("setup", "passive");
    EXPECT_EQ(audio.attribute("setup"), "passive");
    audio.setAttribute("setup", "");
    EXPECT_TRUE(audio.hasAttribute("setup"));
    EXPECT_EQ(audio.attribute("setup"), "");
}

TEST(SessionDescription, RemoveAttributeRemovesEveryOccurrenceAndNothingElse) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    MediaDescription& audio = sdp.media[0];
    const std::size_t count = audio.lines.size();
    audio.removeAttribute("candidate");
    EXPECT_EQ(audio.lines.size(), count - 3);
    EXPECT_TRUE(audio.attributes("candidate").empty());
    EXPECT_EQ(audio.lines[0], (Line{'c', "IN IP4 192.0.2.10"}));
    EXPECT_EQ(audio.lines[1], (Line{'a', "rtcp:9 IN IP4 0.0.0.0"}));
    EXPECT_EQ(audio.lines[2], (Line{'a', "ice-ufrag:Jpbd"}));
    // The video line still has its candidates.
    EXPECT_EQ(sdp.media[1].attributes("candidate").size(), 3u);

    audio.removeAttribute("rtcp");
    EXPECT_FALSE(audio.hasAttribute("rtcp"));
    EXPECT_TRUE(audio.hasAttribute("rtcp-mux"));
    EXPECT_TRUE(audio.hasAttribute("rtcp-fb"));
}

TEST(SessionDescription, FindReturnsTheFirstLineOfAType) {
    SessionDescription sdp = parseOrFail(corpus::everyLineType);
    ASSERT_TRUE(sdp.session.find('b'));
    EXPECT_EQ(sdp.session.find('b')->value, "AS:256");
    EXPECT_EQ(sdp.session.find('r')->value, "604800 3600 0 90000");
    EXPECT_EQ(sdp.session.find('z')->value, "2882844526 -1h 2898848070 0");
    EXPECT_EQ(sdp.session.find('k')->value, "clear:secret");
    EXPECT_EQ(sdp.media[0].find('i')->value, "Audio stream");
    EXPECT_EQ(sdp.media[0].find('k')->value, "prompt");
    EXPECT_FALSE(sdp.media[1].find('b'));
    sdp.media[0].find('b')->value = "AS:32";
    EXPECT_THAT(sdp.serialize(), HasSubstr("i=Audio stream\r\nb=AS:32\r\nk=prompt\r\n"));
}

// ---- liberal input -------------------------------------------------------------------------------

TEST(SessionDescription, TrailingWhitespaceIsTolerated) {
    const std::string text = "v=0 \r\no=- 1 2 IN IP4 192.0.2.1  \r\ns=-\r\nc=IN IP4 192.0.2.1\t\r\nt=0 0\r\n"
                             "m=audio 4000 RTP/AVP 0 8 \r\na=sendonly \r\na=ptime:20 \r\n";
    const auto sdp = parseOrFail(text);
    EXPECT_EQ(sdp.origin()->address, "192.0.2.1");
    EXPECT_EQ(sdp.connectionFor(0)->address, "192.0.2.1");
    EXPECT_THAT(sdp.media[0].formats, ElementsAre("0", "8"));
    EXPECT_EQ(sdp.directionFor(0), Direction::SendOnly);
    EXPECT_EQ(sdp.media[0].attribute("ptime"), "20");
}

TEST(SessionDescription, TrailingEmptyLinesAreIgnored) {
    const std::string wire = corpus::withCrlf(corpus::asteriskOffer);
    const auto sdp = parseOrFail(wire + "\r\n\r\n");
    EXPECT_EQ(sdp.serialize(), wire);
    EXPECT_EQ(parseOrFail(wire + " \r\n\t\n").serialize(), wire);
}

TEST(SessionDescription, MixedLineEndings) {
    const auto sdp = parseOrFail("v=0\r\no=- 1 2 IN IP4 192.0.2.1\ns=-\r\nt=0 0\nm=audio 4000 RTP/AVP 0");
    EXPECT_EQ(sdp.serialize(), "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n");
}

TEST(SessionDescription, UnknownLineTypesPassThrough) {
    const std::string wire = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nx=vendor thing\r\nt=0 0\r\n"
                             "m=audio 4000 RTP/AVP 0\r\ny=another\r\na=x-custom:1;2;3\r\n";
    EXPECT_EQ(parseOrFail(wire).serialize(), wire);
}

TEST(SessionDescription, LargeValidSdpIsParsedWhole) {
    std::string wire = corpus::withCrlf(corpus::chromeOffer);
    for (int i = 0; i < 20000; ++i) {
        wire += "a=candidate:" + std::to_string(i) + " 1 udp 2122260223 192.0.2.10 " +
                std::to_string(10000 + i % 50000) + " typ host generation 0\r\n";
    }
    const auto sdp = parseOrFail(wire);
    EXPECT_EQ(sdp.media[1].attributes("candidate").size(), 20003u);
    EXPECT_EQ(sdp.serialize(), wire);
}

// ---- malformed input -----------------------------------------------------------------------------

struct MalformedCase {
    const char* name;
    std::string text;
    const char* errorMentions;
};

class SessionDescriptionMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(SessionDescriptionMalformed, IsRejectedWithAMessage) {
    std::string error;
    EXPECT_FALSE(SessionDescription::parse(GetParam().text, &error).has_value());
    EXPECT_THAT(error, HasSubstr(GetParam().errorMentions));
    // Also without an error sink.
    EXPECT_FALSE(SessionDescription::parse(GetParam().text).has_value());
}

const std::string validHead = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n";

INSTANTIATE_TEST_SUITE_P(
    Corpus, SessionDescriptionMalformed,
    ::testing::Values(
        MalformedCase{"Empty", "", "empty"}, MalformedCase{"OnlyLineEndings", "\r\n\r\n\n", "empty"},
        MalformedCase{"NoVersion", "o=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", "line 1"},
        MalformedCase{"VersionOne", "v=1\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", "line 1"},
        MalformedCase{"VersionNotFirst", "s=-\r\nv=0\r\no=- 1 2 IN IP4 192.0.2.1\r\nt=0 0\r\n", "line 1"},
        MalformedCase{"MissingOrigin", "v=0\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n", "o="},
        MalformedCase{"MissingSessionName", "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\nt=0 0\r\n", "s="},
        MalformedCase{"OriginOnlyInMedia",
                      "v=0\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\no=- 1 2 IN IP4 192.0.2.1\r\n", "o="},
        MalformedCase{"OriginFiveFields", "v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n", "line 2"},
        MalformedCase{"OriginSevenFields", "v=0\r\no=- 1 2 IN IP4 192.0.2.1 extra\r\ns=-\r\nt=0 0\r\n", "line 2"},
        MalformedCase{"OriginVersionNotNumeric", "v=0\r\no=- 1 two IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", "o="},
        MalformedCase{"OriginVersionNegative", "v=0\r\no=- 1 -2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", "o="},
        MalformedCase{"OriginVersionOverflow",
                      "v=0\r\no=- 1 99999999999999999999999 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", "o="},
        MalformedCase{"ConnectionTwoFields", validHead + "c=IN IP4\r\nm=audio 4000 RTP/AVP 0\r\n", "line 5"},
        MalformedCase{"ConnectionFourFields", validHead + "c=IN IP4 192.0.2.1 x\r\nm=audio 4000 RTP/AVP 0\r\n", "c="},
        MalformedCase{"ConnectionEmpty", validHead + "m=audio 4000 RTP/AVP 0\r\nc=\r\n", "line 6"},
        MalformedCase{"MediaPortNotANumber", validHead + "m=audio abc RTP/AVP 0\r\n", "line 5"},
        MalformedCase{"MediaPortTooLarge", validHead + "m=audio 65536 RTP/AVP 0\r\n", "m="},
        MalformedCase{"MediaPortNegative", validHead + "m=audio -1 RTP/AVP 0\r\n", "m="},
        MalformedCase{"MediaPortPlus", validHead + "m=audio +4000 RTP/AVP 0\r\n", "m="},
        MalformedCase{"MediaPortWithJunk", validHead + "m=audio 4000x RTP/AVP 0\r\n", "m="},
        MalformedCase{"MediaPortCountNotANumber", validHead + "m=audio 4000/x RTP/AVP 0\r\n", "m="},
        MalformedCase{"MediaMissingProtocol", validHead + "m=audio 4000\r\n", "m="},
        MalformedCase{"MediaMissingFormats", validHead + "m=audio 4000 RTP/AVP\r\n", "m="},
        MalformedCase{"MediaMissingFormatsTrailingSpace", validHead + "m=audio 4000 RTP/AVP \r\n", "m="},
        MalformedCase{"MediaEmpty", validHead + "m=\r\n", "m="},
        MalformedCase{"SecondMediaMalformed", validHead + "m=audio 4000 RTP/AVP 0\r\nm=video 70000 RTP/AVP 96\r\n",
                      "line 6"},
        MalformedCase{"UpperCaseType", validHead + "A=sendrecv\r\n", "line 5"},
        MalformedCase{"DigitType", validHead + "1=sendrecv\r\n", "line 5"},
        MalformedCase{"NoEquals", validHead + "a\r\n", "line 5"},
        MalformedCase{"ColonInsteadOfEquals", validHead + "a:sendrecv\r\n", "line 5"},
        MalformedCase{"LeadingSpace", validHead + " a=sendrecv\r\n", "line 5"},
        MalformedCase{"LeadingSpaceOnVersion", " v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", "line 1"},
        MalformedCase{"EqualsOnly", validHead + "=\r\n", "line 5"},
        MalformedCase{"NulByte", validHead + std::string("a=x\r\n\0=y\r\n", 10), "line 6"},
        MalformedCase{"HttpRequest", "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", "line 1"},
        MalformedCase{"JsonInsteadOfSdp", R"({"sdp": "v=0"})", "line 1"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SessionDescription, ErrorNamesTheLineAndQuotesIt) {
    std::string error;
    EXPECT_FALSE(SessionDescription::parse(validHead + "a=sendrecv\r\nc=IN IP4\r\n", &error));
    EXPECT_THAT(error, HasSubstr("line 6"));
    EXPECT_THAT(error, HasSubstr("c=IN IP4"));
}

// Found by fuzz/fuzz_sdp: rtcgate wrote such a line back with no format at all (RFC 8866 section 5.14).
TEST(SessionDescription, FormatsOfAnRtpProfileArePayloadTypeNumbers) {
    const std::string head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
    for (const char* line : {"m=audio 4000 RTP/AVP 0 x", "m=audio 4000 rtp/savpf 128", "m=audio 4000 RTP/AVP \x01v=0",
                             "m=audio 4000 UDP/TLS/RTP/SAVPF -1"}) {
        std::string error;
        EXPECT_FALSE(SessionDescription::parse(head + line + "\r\n", &error)) << line;
        EXPECT_NE(error.find("malformed m= line"), std::string::npos) << error;
    }
    for (const char* line : {"m=audio 4000 RTP/AVP 0 8 101 127", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                             "m=image 4000 udptl t38"}) {
        EXPECT_TRUE(SessionDescription::parse(head + line + "\r\n")) << line;
    }
}

TEST(SessionDescription, LimitsBoundWhatAPartyMayHandOver) {
    std::string text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
    for (int i = 0; i < 3; ++i) { // 6 lines in each media section, 5 in the session's
        text += "m=audio 0 RTP/AVP 0\r\na=sendrecv\r\na=ptime:20\r\na=x:1\r\na=x:2\r\na=x:3\r\na=x:4\r\n";
    }
    const ParseLimits roomy{.maxBytes = text.size(), .maxMedia = 3, .maxSectionLines = 6};
    EXPECT_TRUE(SessionDescription::parse(text, nullptr, roomy));
    std::string error;
    EXPECT_FALSE(SessionDescription::parse(text, &error, {.maxBytes = text.size() - 1}));
    EXPECT_NE(error.find("more than " + std::to_string(text.size() - 1)), std::string::npos) << error;
    EXPECT_FALSE(SessionDescription::parse(text, &error, {.maxMedia = 2}));
    EXPECT_EQ(error, "more than 2 media lines");
    EXPECT_FALSE(SessionDescription::parse(text, &error, {.maxSectionLines = 5}));
    EXPECT_NE(error.find("more than 5 lines in one media section"), std::string::npos) << error;
    EXPECT_FALSE(SessionDescription::parse(text, &error, {.maxSectionLines = 4}));
    EXPECT_NE(error.find("more than 4 lines in one session section"), std::string::npos) << error;
}

TEST(SessionDescription, ErrorExcerptIsBoundedAndPrintable) {
    std::string error;
    std::string junk(100000, 'x');
    junk[10] = '\x01';
    EXPECT_FALSE(SessionDescription::parse(validHead + "m=audio " + junk + "\r\n", &error));
    EXPECT_THAT(error, HasSubstr("line 5"));
    EXPECT_LT(error.size(), 200u);
    for (char c : error) {
        EXPECT_TRUE(c >= 0x20 && c < 0x7f);
    }
}

TEST(SessionDescription, MegabyteOfJunkIsRejected) {
    std::string junk;
    junk.reserve(1 << 20);
    std::uint32_t state = 12345;
    while (junk.size() < (1u << 20)) {
        state = state * 1103515245u + 12345u;
        junk += static_cast<char>(state >> 24);
    }
    EXPECT_FALSE(SessionDescription::parse(junk));

    // Junk behind a valid head: every line is looked at once.
    std::string tail = validHead;
    while (tail.size() < (1u << 20)) {
        tail += "a=";
        tail.append(junk, tail.size() % 1000, 61);
        tail += "\r\n";
    }
    tail += "Q\r\n";
    std::string error;
    EXPECT_FALSE(SessionDescription::parse(tail, &error));
}

TEST(SessionDescription, MegabyteWithoutLineBreaksIsRejected) {
    EXPECT_FALSE(SessionDescription::parse("v=0" + std::string(1 << 20, ' ') + "x"));
    EXPECT_FALSE(SessionDescription::parse(std::string(1 << 20, '\n') + "junk"));
}

} // namespace
} // namespace rtcgate::sdp
