#include "rtcgate/sdp/SdpRewriter.hpp"

#include "SdpCorpus.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rtcgate::sdp {
namespace {

SessionDescription parseOrFail(std::string_view text) {
    std::string error;
    auto sdp = SessionDescription::parse(corpus::withCrlf(text), &error);
    EXPECT_TRUE(sdp.has_value()) << error;
    return sdp.value_or(SessionDescription{});
}

std::vector<std::string> splitCrlf(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find("\r\n", pos);
        if (end == std::string::npos) {
            lines.push_back(text.substr(pos));
            break;
        }
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 2;
    }
    return lines;
}

// `original` with each of `changes` ({old line, new line}) applied once; each old line must exist.
std::string withLines(std::string_view original, const std::vector<std::pair<std::string, std::string>>& changes) {
    std::string text = corpus::withCrlf(original);
    for (const auto& [from, to] : changes) {
        const std::string needle = "\r\n" + from + "\r\n";
        const std::size_t at = text.find(needle);
        EXPECT_NE(at, std::string::npos) << "test bug: no line " << from;
        if (at != std::string::npos) {
            text.replace(at, needle.size(), "\r\n" + to + "\r\n");
        }
    }
    return text;
}

void expectSameLines(const std::string& actual, const std::string& expected) {
    const auto actualLines = splitCrlf(actual);
    const auto expectedLines = splitCrlf(expected);
    for (std::size_t i = 0; i < std::min(actualLines.size(), expectedLines.size()); ++i) {
        EXPECT_EQ(actualLines[i], expectedLines[i]) << "line " << i + 1;
    }
    EXPECT_EQ(actualLines.size(), expectedLines.size());
    EXPECT_EQ(actual, expected);
}

const RewriteOptions ipv4{"203.0.113.1", false, false};

// ---- isRelayable ---------------------------------------------------------------------------------

TEST(SdpRewriter, RelayableMediaLines) {
    MediaDescription media;
    media.media = "audio";
    media.port = 4000;
    media.formats = {"0"};
    for (const char* protocol :
         {"RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF"}) {
        media.protocol = protocol;
        EXPECT_TRUE(isRelayable(media)) << protocol;
    }
    for (const char* protocol : {"udp", "UDP/DTLS/SCTP", "TCP/TLS/RTP/SAVPF", "RTP/AVP/TCP", "TCP/MRCPv2", ""}) {
        media.protocol = protocol;
        EXPECT_FALSE(isRelayable(media)) << protocol;
    }
    media.protocol = "RTP/AVP";
    media.port = 0;
    EXPECT_FALSE(isRelayable(media));
    media.port = 4000;
    media.media = "video";
    EXPECT_FALSE(isRelayable(media));
    media.media = "application";
    EXPECT_FALSE(isRelayable(media));
}

TEST(SdpRewriter, RelayabilityOfTheCorpus) {
    const SessionDescription chrome = parseOrFail(corpus::chromeOffer);
    EXPECT_TRUE(isRelayable(chrome.media[0]));
    EXPECT_FALSE(isRelayable(chrome.media[1]));
    const SessionDescription twoAudio = parseOrFail(corpus::twoAudioLines);
    EXPECT_TRUE(isRelayable(twoAudio.media[0]));
    EXPECT_TRUE(isRelayable(twoAudio.media[1]));
    EXPECT_FALSE(isRelayable(twoAudio.media[2]));
    EXPECT_TRUE(isRelayable(parseOrFail(corpus::asteriskOffer).media[0]));
}

// ---- peerTransport -------------------------------------------------------------------------------

struct TransportCase {
    const char* name;
    std::string_view sdp;
    std::size_t index;
    PeerTransport expected;
};

class SdpPeerTransport : public ::testing::TestWithParam<TransportCase> {};

TEST_P(SdpPeerTransport, MatchesWhatThePeerAnnounced) {
    const SessionDescription sdp = parseOrFail(GetParam().sdp);
    const auto transport = peerTransport(sdp, GetParam().index);
    ASSERT_TRUE(transport.has_value());
    const PeerTransport& expected = GetParam().expected;
    EXPECT_EQ(transport->address, expected.address);
    EXPECT_EQ(transport->rtpPort, expected.rtpPort);
    EXPECT_EQ(transport->rtcpAddress, expected.rtcpAddress);
    EXPECT_EQ(transport->rtcpPort, expected.rtcpPort);
    EXPECT_EQ(transport->rtcpMux, expected.rtcpMux);
    EXPECT_EQ(transport->direction, expected.direction);
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, SdpPeerTransport,
    ::testing::Values(
        TransportCase{
            "Chrome", corpus::chromeOffer, 0, {"192.0.2.10", 51234, "192.0.2.10", 51234, true, Direction::SendRecv}},
        // a=rtcp:56890 next to a=rtcp-mux is only the fallback (RFC 5761 section 5.1.3).
        TransportCase{
            "Firefox", corpus::firefoxOffer, 0, {"192.0.2.21", 54925, "192.0.2.21", 54925, true, Direction::SendRecv}},
        TransportCase{"Safari",
                      corpus::safariOffer,
                      0,
                      {"198.51.100.30", 61772, "198.51.100.30", 61772, true, Direction::SendRecv}},
        TransportCase{"Asterisk",
                      corpus::asteriskOffer,
                      0,
                      {"203.0.113.5", 17072, "203.0.113.5", 17073, false, Direction::SendRecv}},
        TransportCase{"FreeSwitch",
                      corpus::freeswitchOffer,
                      0,
                      {"198.51.100.20", 24512, "198.51.100.20", 24513, false, Direction::SendRecv}},
        // The session c=, not the o= address.
        TransportCase{"Carrier",
                      corpus::carrierAnswer,
                      0,
                      {"192.0.2.51", 31000, "192.0.2.51", 31001, false, Direction::SendRecv}},
        TransportCase{"FirstOfTwoAudioLines",
                      corpus::twoAudioLines,
                      0,
                      {"198.51.100.1", 49170, "198.51.100.1", 49171, false, Direction::SendRecv}},
        TransportCase{"SecondOfTwoAudioLines",
                      corpus::twoAudioLines,
                      1,
                      {"198.51.100.1", 49180, "198.51.100.1", 49181, false, Direction::SendRecv}},
        TransportCase{"RtcpLongForm",
                      corpus::rtcpLongForm,
                      0,
                      {"192.0.2.40", 49170, "192.0.2.41", 53020, false, Direction::SendRecv}},
        TransportCase{"RtcpShortForm",
                      corpus::rtcpShortForm,
                      0,
                      {"192.0.2.80", 30000, "192.0.2.80", 30001, false, Direction::SendRecv}},
        TransportCase{
            "RtcpMux", corpus::rtcpMuxOffer, 0, {"192.0.2.90", 7078, "192.0.2.90", 7078, true, Direction::SendRecv}},
        TransportCase{"Ipv6",
                      corpus::ipv6Offer,
                      0,
                      {"2001:db8:100::5", 12000, "2001:db8:100::5", 12001, false, Direction::SendRecv}},
        TransportCase{
            "OldStyleHold", corpus::oldStyleHold, 0, {"0.0.0.0", 17072, "0.0.0.0", 17073, false, Direction::SendOnly}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SdpRewriter, PeerTransportShortFormOnANonAdjacentPort) {
    SessionDescription sdp = parseOrFail(corpus::rtcpShortForm);
    sdp.media[0].setAttribute("rtcp", "30011");
    const auto transport = peerTransport(sdp, 0);
    ASSERT_TRUE(transport);
    EXPECT_EQ(transport->rtcpPort, 30011);
    EXPECT_EQ(transport->rtcpAddress, "192.0.2.80");
    EXPECT_FALSE(transport->rtcpMux);
}

TEST(SdpRewriter, PeerTransportLongFormIpv6) {
    SessionDescription sdp = parseOrFail(corpus::ipv6Offer);
    sdp.media[0].setAttribute("rtcp", "12003 IN IP6 2001:db8:100::6");
    const auto transport = peerTransport(sdp, 0);
    ASSERT_TRUE(transport);
    EXPECT_EQ(transport->rtcpPort, 12003);
    EXPECT_EQ(transport->rtcpAddress, "2001:db8:100::6");
}

TEST(SdpRewriter, PeerTransportIgnoresAMalformedRtcpAttribute) {
    for (const char* value : {"abc", "70000", "", "30011 IN IP4", "30011 IN IP4 192.0.2.9 x", "-5"}) {
        SessionDescription sdp = parseOrFail(corpus::rtcpShortForm);
        sdp.media[0].setAttribute("rtcp", value);
        const auto transport = peerTransport(sdp, 0);
        ASSERT_TRUE(transport) << value;
        EXPECT_EQ(transport->rtcpPort, 30001) << value;
        EXPECT_EQ(transport->rtcpAddress, "192.0.2.80") << value;
    }
}

TEST(SdpRewriter, PeerTransportDirectionFromMediaThenSession) {
    SessionDescription sdp = parseOrFail(corpus::firefoxOffer);
    sdp.media[0].removeAttribute("sendrecv");
    sdp.session.removeAttribute("sendrecv");
    sdp.session.setAttribute("inactive", "");
    EXPECT_EQ(peerTransport(sdp, 0)->direction, Direction::Inactive);
    sdp.media[0].setAttribute("recvonly", "");
    EXPECT_EQ(peerTransport(sdp, 0)->direction, Direction::RecvOnly);
}

TEST(SdpRewriter, PeerTransportRtpPort65535HasNoImplicitRtcpPort) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    sdp.media[0].port = 65535;
    const auto transport = peerTransport(sdp, 0);
    ASSERT_TRUE(transport);
    EXPECT_EQ(transport->rtpPort, 65535);
    EXPECT_EQ(transport->rtcpPort, 0);
}

TEST(SdpRewriter, NoPeerTransportForUnrelayedLines) {
    const SessionDescription chrome = parseOrFail(corpus::chromeOffer);
    EXPECT_FALSE(peerTransport(chrome, 1)); // video
    EXPECT_FALSE(peerTransport(chrome, 2)); // out of range
    EXPECT_FALSE(peerTransport(parseOrFail(corpus::twoAudioLines), 2));

    SessionDescription declined = parseOrFail(corpus::asteriskOffer);
    declined.media[0].port = 0;
    EXPECT_FALSE(peerTransport(declined, 0));
}

TEST(SdpRewriter, NoPeerTransportWithoutAUsableAddress) {
    // Multicast with a TTL.
    EXPECT_FALSE(peerTransport(parseOrFail(corpus::everyLineType), 0));

    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    sdp.session.find('c')->value = "IN IP4 pbx.example.com";
    EXPECT_FALSE(peerTransport(sdp, 0));
    sdp.session.find('c')->value = "ATM NSAP 47.0005.80.ffe100.0000.f21a.2122.0000.0000.0000.00";
    EXPECT_FALSE(peerTransport(sdp, 0));
    sdp.session.find('c')->value = "IN IP4 203.0.113.5";
    EXPECT_TRUE(peerTransport(sdp, 0));
    std::erase_if(sdp.session.lines, [](const Line& line) { return line.type == 'c'; });
    EXPECT_FALSE(peerTransport(sdp, 0));
}

// ---- rewrite -------------------------------------------------------------------------------------

TEST(SdpRewriter, AsteriskSessionConnectionIsRewritten) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(sdp.serialize(), withLines(corpus::asteriskOffer,
                                               {
                                                   {"c=IN IP4 203.0.113.5", "c=IN IP4 203.0.113.1"},
                                                   {"m=audio 17072 RTP/AVP 0 8 101", "m=audio 40000 RTP/AVP 0 8 101"},
                                               }));
    // No media-level c= was added: the line relies on the rewritten session c=.
    EXPECT_FALSE(sdp.media[0].find('c'));
    EXPECT_FALSE(sdp.media[0].hasAttribute("rtcp"));
}

TEST(SdpRewriter, ReplaceOriginChangesOnlyTheAddress) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    rewrite(sdp, {{true, 40000, 40001}}, {"203.0.113.1", true, false});
    expectSameLines(sdp.serialize(), withLines(corpus::asteriskOffer,
                                               {
                                                   {"o=- 1693412345 1693412347 IN IP4 203.0.113.5",
                                                    "o=- 1693412345 1693412347 IN IP4 203.0.113.1"},
                                                   {"c=IN IP4 203.0.113.5", "c=IN IP4 203.0.113.1"},
                                                   {"m=audio 17072 RTP/AVP 0 8 101", "m=audio 40000 RTP/AVP 0 8 101"},
                                               }));
    EXPECT_EQ(sdp.origin()->sessionVersion, 1693412347u);
}

TEST(SdpRewriter, ChromeAudioRelayedVideoDeclined) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    rewrite(sdp, {{true, 40000, 40000}, {false, 0, 0}}, ipv4);
    const std::string out = sdp.serialize();
    expectSameLines(out,
                    withLines(corpus::chromeOffer, {
                                                       {"m=audio 51234 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
                                                        "m=audio 40000 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126"},
                                                       {"c=IN IP4 192.0.2.10", "c=IN IP4 203.0.113.1"},
                                                       {"a=rtcp:9 IN IP4 0.0.0.0", "a=rtcp:40000 IN IP4 203.0.113.1"},
                                                       {"m=video 51236 UDP/TLS/RTP/SAVPF 96 97 102 103",
                                                        "m=video 0 UDP/TLS/RTP/SAVPF 96 97 102 103"},
                                                   }));
    // The declined video keeps its own c= and a=rtcp untouched.
    EXPECT_EQ(sdp.media[1].connection()->address, "192.0.2.10");
    EXPECT_EQ(sdp.media[1].attribute("rtcp"), "9 IN IP4 0.0.0.0");
    EXPECT_EQ(sdp.media[1].lines, parseOrFail(corpus::chromeOffer).media[1].lines);
}

TEST(SdpRewriter, FirefoxRtcpAttributeNextToMuxIsRewritten) {
    SessionDescription sdp = parseOrFail(corpus::firefoxOffer);
    rewrite(sdp, {{true, 40000, 40000}}, ipv4);
    expectSameLines(
        sdp.serialize(),
        withLines(corpus::firefoxOffer, {
                                            {"m=audio 54925 UDP/TLS/RTP/SAVPF 109 9 0 8 101",
                                             "m=audio 40000 UDP/TLS/RTP/SAVPF 109 9 0 8 101"},
                                            {"c=IN IP4 192.0.2.21", "c=IN IP4 203.0.113.1"},
                                            {"a=rtcp:56890 IN IP4 192.0.2.21", "a=rtcp:40000 IN IP4 203.0.113.1"},
                                        }));
}

TEST(SdpRewriter, FreeSwitchRtcpLongFormIsRewritten) {
    SessionDescription sdp = parseOrFail(corpus::freeswitchOffer);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(
        sdp.serialize(),
        withLines(corpus::freeswitchOffer, {
                                               {"c=IN IP4 198.51.100.20", "c=IN IP4 203.0.113.1"},
                                               {"m=audio 24512 RTP/AVP 0 8 101 13", "m=audio 40000 RTP/AVP 0 8 101 13"},
                                               {"a=rtcp:24513 IN IP4 198.51.100.20", "a=rtcp:40001 IN IP4 203.0.113.1"},
                                           }));
}

TEST(SdpRewriter, RtcpLongFormOnAnotherAddressIsRewritten) {
    SessionDescription sdp = parseOrFail(corpus::rtcpLongForm);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(
        sdp.serialize(),
        withLines(corpus::rtcpLongForm, {
                                            {"c=IN IP4 192.0.2.40", "c=IN IP4 203.0.113.1"},
                                            {"m=audio 49170 RTP/AVP 0 101", "m=audio 40000 RTP/AVP 0 101"},
                                            {"a=rtcp:53020 IN IP4 192.0.2.41", "a=rtcp:40001 IN IP4 203.0.113.1"},
                                        }));
}

TEST(SdpRewriter, RtcpShortFormBecomesTheLongForm) {
    SessionDescription sdp = parseOrFail(corpus::rtcpShortForm);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(sdp.serialize(), withLines(corpus::rtcpShortForm,
                                               {
                                                   {"c=IN IP4 192.0.2.80", "c=IN IP4 203.0.113.1"},
                                                   {"m=audio 30000 RTP/AVP 0 8 101", "m=audio 40000 RTP/AVP 0 8 101"},
                                                   {"a=rtcp:30001", "a=rtcp:40001 IN IP4 203.0.113.1"},
                                               }));
}

TEST(SdpRewriter, RtcpMuxOfferKeepsMuxAndGetsTheLongForm) {
    SessionDescription sdp = parseOrFail(corpus::rtcpMuxOffer);
    rewrite(sdp, {{true, 40000, 40000}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(corpus::rtcpMuxOffer, {
                                                        {"c=IN IP4 192.0.2.90", "c=IN IP4 203.0.113.1"},
                                                        {"m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100",
                                                         "m=audio 40000 RTP/AVP 96 97 98 0 8 18 101 99 100"},
                                                        {"a=rtcp:7079", "a=rtcp:40000 IN IP4 203.0.113.1"},
                                                    }));
}

TEST(SdpRewriter, CarrierAnswerGetsNoRtcpAttribute) {
    SessionDescription sdp = parseOrFail(corpus::carrierAnswer);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(corpus::carrierAnswer, {
                                                         {"c=IN IP4 192.0.2.51", "c=IN IP4 203.0.113.1"},
                                                         {"m=audio 31000 RTP/AVP 0 101", "m=audio 40000 RTP/AVP 0 101"},
                                                     }));
}

TEST(SdpRewriter, TwoAudioLinesOnTheSessionConnection) {
    SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    rewrite(sdp, {{true, 40000, 40001}, {true, 40002, 40003}, {false, 0, 0}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(corpus::twoAudioLines, {
                                                         {"c=IN IP4 198.51.100.1", "c=IN IP4 203.0.113.1"},
                                                         {"m=audio 49170 RTP/AVP 0", "m=audio 40000 RTP/AVP 0"},
                                                         {"m=audio 49180 RTP/AVP 0", "m=audio 40002 RTP/AVP 0"},
                                                         {"m=video 51372 RTP/AVP 99", "m=video 0 RTP/AVP 99"},
                                                     }));
    // The declined video keeps its own IPv6 c=.
    EXPECT_EQ(sdp.media[1].lines.size(), 0u);
    EXPECT_EQ(sdp.media[2].connection()->toString(), "IN IP6 2001:db8::2");
}

TEST(SdpRewriter, SessionConnectionRewrittenWhenOnlyASecondLineReliesOnIt) {
    SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    rewrite(sdp, {{false, 0, 0}, {true, 40002, 40003}, {false, 0, 0}}, ipv4);
    EXPECT_EQ(sdp.session.connection()->address, "203.0.113.1");
    EXPECT_EQ(sdp.media[0].port, 0);
    EXPECT_EQ(sdp.media[1].port, 40002);
    EXPECT_EQ(sdp.media[2].port, 0);
}

TEST(SdpRewriter, AllLinesDeclinedLeavesTheSessionConnection) {
    SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    rewrite(sdp, {{false, 0, 0}, {false, 0, 0}, {false, 0, 0}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(corpus::twoAudioLines, {
                                                         {"m=audio 49170 RTP/AVP 0", "m=audio 0 RTP/AVP 0"},
                                                         {"m=audio 49180 RTP/AVP 0", "m=audio 0 RTP/AVP 0"},
                                                         {"m=video 51372 RTP/AVP 99", "m=video 0 RTP/AVP 99"},
                                                     }));

    SessionDescription replaced = parseOrFail(corpus::twoAudioLines);
    rewrite(replaced, {{false, 0, 0}, {false, 0, 0}, {false, 0, 0}}, {"203.0.113.1", false, true});
    EXPECT_EQ(replaced.session.connection()->address, "203.0.113.1");
}

TEST(SdpRewriter, MediaLevelConnectionIsRewrittenAndTheSessionOneKept) {
    // A session c= that no relayed line relies on.
    std::string text(corpus::asteriskOffer);
    text.replace(text.find("a=rtpmap:0"), 0, "c=IN IP4 203.0.113.6\n");
    SessionDescription sdp = parseOrFail(text);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(text, {
                                        {"m=audio 17072 RTP/AVP 0 8 101", "m=audio 40000 RTP/AVP 0 8 101"},
                                        {"c=IN IP4 203.0.113.6", "c=IN IP4 203.0.113.1"},
                                    }));
    EXPECT_EQ(sdp.session.connection()->address, "203.0.113.5");

    SessionDescription replaced = parseOrFail(text);
    rewrite(replaced, {{true, 40000, 40001}}, {"203.0.113.1", false, true});
    EXPECT_EQ(replaced.session.connection()->address, "203.0.113.1");
    EXPECT_EQ(replaced.media[0].connection()->address, "203.0.113.1");
}

TEST(SdpRewriter, MissingMediaConnectionIsAddedAfterTheInformationLine) {
    // No session c= to rewrite: the relayed line gets its own, in RFC 8866 order (after i=, before b=).
    std::string text(corpus::everyLineType);
    text.erase(text.find("c=IN IP4 233.252.0.12/127\n"), std::string_view("c=IN IP4 233.252.0.12/127\n").size());
    SessionDescription sdp = parseOrFail(text);
    rewrite(sdp, {{true, 40000, 40001}, {false, 0, 0}}, ipv4);
    expectSameLines(sdp.serialize(), withLines(text, {
                                                         {"m=audio 49170 RTP/AVP 0", "m=audio 40000 RTP/AVP 0"},
                                                         {"i=Audio stream", "i=Audio stream\r\nc=IN IP4 203.0.113.1"},
                                                         {"m=video 51372 RTP/AVP 99", "m=video 0 RTP/AVP 99"},
                                                     }));
    EXPECT_FALSE(sdp.session.find('c'));
    EXPECT_FALSE(sdp.media[1].find('c'));
}

TEST(SdpRewriter, MissingMediaConnectionIsAddedFirstWithoutInformationLine) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    std::erase_if(sdp.session.lines, [](const Line& line) { return line.type == 'c'; });
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    EXPECT_EQ(sdp.media[0].lines.front(), (Line{'c', "IN IP4 203.0.113.1"}));
    EXPECT_EQ(sdp.media[0].lines[1], (Line{'a', "rtpmap:0 PCMU/8000"}));
    EXPECT_FALSE(sdp.session.find('c'));
}

TEST(SdpRewriter, ExtraMediaConnectionLinesAreDropped) {
    std::string text(corpus::asteriskOffer);
    text.replace(text.find("a=rtpmap:0"), 0, "c=IN IP4 233.252.0.1/127\nc=IN IP4 233.252.0.2/127\n");
    SessionDescription sdp = parseOrFail(text);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    std::size_t connections = 0;
    for (const Line& line : sdp.media[0].lines) {
        connections += line.type == 'c';
    }
    EXPECT_EQ(connections, 1u);
    EXPECT_EQ(sdp.media[0].lines.front(), (Line{'c', "IN IP4 203.0.113.1"}));
    EXPECT_EQ(sdp.media[0].lines[1], (Line{'a', "rtpmap:0 PCMU/8000"}));
}

TEST(SdpRewriter, Ipv6AddressWritesIp6) {
    SessionDescription sdp = parseOrFail(corpus::freeswitchOffer);
    rewrite(sdp, {{true, 40000, 40001}}, {"2001:db8::1", true, false});
    expectSameLines(
        sdp.serialize(),
        withLines(corpus::freeswitchOffer, {
                                               {"o=FreeSWITCH 1693400000 1693400001 IN IP4 198.51.100.20",
                                                "o=FreeSWITCH 1693400000 1693400001 IN IP6 2001:db8::1"},
                                               {"c=IN IP4 198.51.100.20", "c=IN IP6 2001:db8::1"},
                                               {"m=audio 24512 RTP/AVP 0 8 101 13", "m=audio 40000 RTP/AVP 0 8 101 13"},
                                               {"a=rtcp:24513 IN IP4 198.51.100.20", "a=rtcp:40001 IN IP6 2001:db8::1"},
                                           }));
}

TEST(SdpRewriter, Ipv6OfferRewrittenToIpv4) {
    SessionDescription sdp = parseOrFail(corpus::ipv6Offer);
    rewrite(sdp, {{true, 40000, 40001}}, {"203.0.113.1", true, false});
    expectSameLines(
        sdp.serialize(),
        withLines(corpus::ipv6Offer, {
                                         {"o=- 1693412400 1693412400 IN IP6 2001:db8:100::5",
                                          "o=- 1693412400 1693412400 IN IP4 203.0.113.1"},
                                         {"c=IN IP6 2001:db8:100::5", "c=IN IP4 203.0.113.1"},
                                         {"m=audio 12000 RTP/AVP 9 0 8 101", "m=audio 40000 RTP/AVP 9 0 8 101"},
                                     }));
}

TEST(SdpRewriter, RewrittenSdpAnnouncesOurTransport) {
    for (std::string_view text : {corpus::chromeOffer, corpus::asteriskOffer, corpus::freeswitchOffer,
                                  corpus::rtcpLongForm, corpus::rtcpShortForm, corpus::ipv6Offer}) {
        SessionDescription sdp = parseOrFail(text);
        std::vector<LocalMedia> local(sdp.media.size());
        local[0] = {true, 40000, 40001};
        rewrite(sdp, local, ipv4);
        const auto reparsed = SessionDescription::parse(sdp.serialize());
        ASSERT_TRUE(reparsed);
        const auto transport = peerTransport(*reparsed, 0);
        ASSERT_TRUE(transport);
        EXPECT_EQ(transport->address, "203.0.113.1");
        EXPECT_EQ(transport->rtpPort, 40000);
        if (!transport->rtcpMux) {
            EXPECT_EQ(transport->rtcpAddress, "203.0.113.1");
            EXPECT_EQ(transport->rtcpPort, 40001);
        }
    }
}

TEST(SdpRewriter, LocalMediaCountMustMatch) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    EXPECT_THROW(rewrite(sdp, {{true, 40000, 40000}}, ipv4), std::invalid_argument);
    EXPECT_EQ(sdp.serialize(), corpus::withCrlf(corpus::chromeOffer));
}

} // namespace
} // namespace rtcgate::sdp
