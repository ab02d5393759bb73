#include "rtcgate/sdp/SdpRewriter.hpp"

#include "SdpCorpus.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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
                                                   {"a=sendrecv", "a=sendrecv\r\na=rtcp:40001"},
                                               }));
    // No media-level c= was added: the line relies on the rewritten session c=. a=rtcp is added (RFC 3605), in
    // rtpengine's short form.
    EXPECT_FALSE(sdp.media[0].find('c'));
    EXPECT_EQ(sdp.media[0].attribute("rtcp"), "40001");
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
                                                   {"a=sendrecv", "a=sendrecv\r\na=rtcp:40001"},
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
                                               {"a=rtcp:24513 IN IP4 198.51.100.20", "a=rtcp:40001"},
                                           }));
}

TEST(SdpRewriter, RtcpLongFormOnAnotherAddressIsRewritten) {
    SessionDescription sdp = parseOrFail(corpus::rtcpLongForm);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(corpus::rtcpLongForm, {
                                                        {"c=IN IP4 192.0.2.40", "c=IN IP4 203.0.113.1"},
                                                        {"m=audio 49170 RTP/AVP 0 101", "m=audio 40000 RTP/AVP 0 101"},
                                                        {"a=rtcp:53020 IN IP4 192.0.2.41", "a=rtcp:40001"},
                                                    }));
}

TEST(SdpRewriter, RtcpShortFormIsRewritten) {
    SessionDescription sdp = parseOrFail(corpus::rtcpShortForm);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(sdp.serialize(), withLines(corpus::rtcpShortForm,
                                               {
                                                   {"c=IN IP4 192.0.2.80", "c=IN IP4 203.0.113.1"},
                                                   {"m=audio 30000 RTP/AVP 0 8 101", "m=audio 40000 RTP/AVP 0 8 101"},
                                                   {"a=rtcp:30001", "a=rtcp:40001"},
                                               }));
}

TEST(SdpRewriter, RtcpMuxOfferKeepsMux) {
    SessionDescription sdp = parseOrFail(corpus::rtcpMuxOffer);
    rewrite(sdp, {{true, 40000, 40000}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(corpus::rtcpMuxOffer, {
                                                        {"c=IN IP4 192.0.2.90", "c=IN IP4 203.0.113.1"},
                                                        {"m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100",
                                                         "m=audio 40000 RTP/AVP 96 97 98 0 8 18 101 99 100"},
                                                        {"a=rtcp:7079", "a=rtcp:40000"},
                                                    }));
}

TEST(SdpRewriter, CarrierAnswerGetsAnRtcpAttribute) {
    SessionDescription sdp = parseOrFail(corpus::carrierAnswer);
    rewrite(sdp, {{true, 40000, 40001}}, ipv4);
    expectSameLines(sdp.serialize(),
                    withLines(corpus::carrierAnswer, {
                                                         {"c=IN IP4 192.0.2.51", "c=IN IP4 203.0.113.1"},
                                                         {"m=audio 31000 RTP/AVP 0 101", "m=audio 40000 RTP/AVP 0 101"},
                                                         {"a=maxptime:20", "a=maxptime:20\r\na=rtcp:40001"},
                                                     }));
}

TEST(SdpRewriter, TwoAudioLinesOnTheSessionConnection) {
    SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    rewrite(sdp, {{true, 40000, 40001}, {true, 40002, 40003}, {false, 0, 0}}, ipv4);
    expectSameLines(
        sdp.serialize(),
        withLines(corpus::twoAudioLines, {
                                             {"c=IN IP4 198.51.100.1", "c=IN IP4 203.0.113.1"},
                                             {"m=audio 49170 RTP/AVP 0", "m=audio 40000 RTP/AVP 0\r\na=rtcp:40001"},
                                             {"m=audio 49180 RTP/AVP 0", "m=audio 40002 RTP/AVP 0\r\na=rtcp:40003"},
                                             {"m=video 51372 RTP/AVP 99", "m=video 0 RTP/AVP 99"},
                                         }));
    // The declined video keeps its own IPv6 c=.
    EXPECT_EQ(sdp.media[1].lines.size(), 1u); // a=rtcp
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
                                        {"a=sendrecv", "a=sendrecv\r\na=rtcp:40001"},
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
                                                         {"k=prompt", "k=prompt\r\na=rtcp:40001"},
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
                                               {"a=rtcp:24513 IN IP4 198.51.100.20", "a=rtcp:40001"},
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
                                         {"a=sendrecv", "a=sendrecv\r\na=rtcp:40001"},
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

// ---- rewrite with rtcgate's transport ------------------------------------------------------------

// `sdp` as the party receiving it reads it.
SessionDescription reparse(const SessionDescription& sdp) {
    std::string error;
    auto parsed = SessionDescription::parse(sdp.serialize(), &error);
    EXPECT_TRUE(parsed.has_value()) << error;
    return parsed.value_or(SessionDescription{});
}

std::string_view attributeName(const Line& line) {
    return std::string_view(line.value).substr(0, line.value.find(':'));
}

// "session: name" or "media N: name" for every attribute of `sdp` that `matches`.
template <typename Predicate>
std::vector<std::string> attributesWhere(const SessionDescription& sdp, Predicate matches) {
    std::vector<std::string> found;
    auto scan = [&](const Section& section, const std::string& where) {
        for (const Line& line : section.lines) {
            if (line.type == 'a' && matches(attributeName(line))) {
                found.push_back(where + ": " + line.value);
            }
        }
    };
    scan(sdp.session, "session");
    for (std::size_t i = 0; i < sdp.media.size(); ++i) {
        scan(sdp.media[i], "media " + std::to_string(i));
    }
    return found;
}

// What a SIP carrier must never see from a browser.
std::vector<std::string> webRtcLeftovers(const SessionDescription& sdp) {
    static const std::vector<std::string_view> names = {"candidate",
                                                        "end-of-candidates",
                                                        "remote-candidates",
                                                        "fingerprint",
                                                        "setup",
                                                        "extmap",
                                                        "extmap-allow-mixed",
                                                        "msid",
                                                        "msid-semantic",
                                                        "ssrc",
                                                        "ssrc-group",
                                                        "mid",
                                                        "group",
                                                        "rtcp-fb",
                                                        "rtcp-mux",
                                                        "rtcp-rsize",
                                                        "crypto",
                                                        "tls-id"};
    return attributesWhere(sdp, [](std::string_view name) {
        return name.starts_with("ice-") || std::find(names.begin(), names.end(), name) != names.end();
    });
}

std::size_t countLines(const Section& section, std::string_view value) {
    return static_cast<std::size_t>(std::count_if(section.lines.begin(), section.lines.end(),
                                                  [value](const Line& line) { return line.value == value; }));
}

// rtcgate toward a browser: ICE-lite, DTLS client, one host candidate, rtcp-mux.
MediaTransport webRtcTransport(std::string mid) {
    MediaTransport transport;
    transport.protocol = "UDP/TLS/RTP/SAVPF";
    transport.iceUfrag = "Rg7Q";
    transport.icePwd = "wq3oK1vEJ2bq1rCsT4n8Xyz0";
    transport.iceLite = true;
    transport.candidates = {"1 1 UDP 2130706431 203.0.113.1 40000 typ host"};
    transport.fingerprint =
        "sha-256 07:CE:32:1C:65:2E:2B:95:52:FD:AC:81:29:21:AD:BF:87:7D:8E:2E:BD:B5:9A:B6:F4:95:D1:16:43:A9:A9:36";
    transport.setup = "active";
    transport.rtcpMux = true;
    transport.mid = std::move(mid);
    return transport;
}

MediaTransport plainTransport(std::string protocol = "RTP/AVP") {
    MediaTransport transport;
    transport.protocol = std::move(protocol);
    return transport;
}

TEST(SdpRewriterTransport, ChromeOfferTowardACarrier) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    const SessionDescription original = sdp;
    rewrite(sdp, {{true, 40000, 40001, plainTransport()}, {false, 0, 0, plainTransport()}},
            {"203.0.113.1", true, false});
    const std::string expected = corpus::withCrlf(R"sdp(v=0
o=- 7395207337617428302 2 IN IP4 203.0.113.1
s=-
t=0 0
m=audio 40000 RTP/AVP 111 63 9 0 8 13 110 126
c=IN IP4 203.0.113.1
a=rtcp:40001
a=sendrecv
a=rtpmap:111 opus/48000/2
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:63 red/48000/2
a=fmtp:63 111/111
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:13 CN/8000
a=rtpmap:110 telephone-event/48000
a=rtpmap:126 telephone-event/8000
m=video 0 RTP/AVP 96 97 102 103
c=IN IP4 192.0.2.10
a=rtcp:9 IN IP4 0.0.0.0
a=sendrecv
a=rtpmap:96 VP8/90000
a=rtpmap:97 rtx/90000
a=fmtp:97 apt=96
a=rtpmap:102 H264/90000
a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
a=rtpmap:103 rtx/90000
a=fmtp:103 apt=102
)sdp");
    expectSameLines(sdp.serialize(), expected);

    const SessionDescription out = reparse(sdp);
    EXPECT_EQ(webRtcLeftovers(out), std::vector<std::string>{});
    EXPECT_EQ(out.media[0].protocol, "RTP/AVP");
    EXPECT_EQ(out.media[0].attributes("rtpmap"), original.media[0].attributes("rtpmap"));
    EXPECT_EQ(out.media[0].attributes("fmtp"), original.media[0].attributes("fmtp"));
    const auto transport = peerTransport(out, 0);
    ASSERT_TRUE(transport);
    EXPECT_FALSE(transport->rtcpMux);
    EXPECT_EQ(transport->rtcpPort, 40001);
    EXPECT_FALSE(isWebRtc(readMediaTransport(out, 0)));
}

// Found by fuzz/fuzz_sdp: a declined line whose formats are no payload types (SCTP's) keeps its protocol, so that
// what rtcgate writes still parses (RFC 8866 section 5.14).
TEST(SdpRewriterTransport, ADeclinedLineOfAnotherProtocolKeepsIt) {
    auto sdp = parseOrFail(R"sdp(v=0
o=- 1 1 IN IP4 192.0.2.10
s=-
c=IN IP4 192.0.2.10
t=0 0
m=audio 4000 RTP/AVP 0
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
a=sctp-port:5000
)sdp");
    MediaTransport ours;
    ours.protocol = "UDP/TLS/RTP/SAVPF";
    rewrite(sdp, {{true, 40000, 40000, ours}, {false, 0, 0, ours}}, {"192.0.2.1"});
    const SessionDescription out = reparse(sdp);
    ASSERT_EQ(out.media.size(), 2U);
    EXPECT_EQ(out.media[0].protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(out.media[1].protocol, "UDP/DTLS/SCTP");
    EXPECT_EQ(out.media[1].port, 0);
}

TEST(SdpRewriterTransport, BrowserSdpsTowardACarrierLoseEveryWebRtcAttribute) {
    for (std::string_view text : {corpus::chromeOffer, corpus::chromeAnswer, corpus::firefoxOffer,
                                  corpus::firefoxAnswer, corpus::safariOffer, corpus::firefoxLegacyOffer}) {
        SessionDescription sdp = parseOrFail(text);
        const SessionDescription original = sdp;
        std::vector<LocalMedia> local(sdp.media.size(), LocalMedia{false, 0, 0, plainTransport()});
        local[0] = {true, 40000, 40001, plainTransport()};
        rewrite(sdp, local, ipv4);
        const SessionDescription out = reparse(sdp);
        EXPECT_EQ(webRtcLeftovers(out), std::vector<std::string>{}) << text.substr(0, 40);
        for (std::size_t i = 0; i < out.media.size(); ++i) {
            EXPECT_EQ(out.media[i].protocol, "RTP/AVP");
            EXPECT_EQ(out.media[i].attributes("rtpmap"), original.media[i].attributes("rtpmap"));
            EXPECT_EQ(out.media[i].attributes("fmtp"), original.media[i].attributes("fmtp"));
        }
        EXPECT_EQ(out.directionFor(0), original.directionFor(0));
    }
}

TEST(SdpRewriterTransport, CarrierAnswerTowardABrowser) {
    SessionDescription sdp = parseOrFail(corpus::carrierAnswer);
    const MediaTransport ours = webRtcTransport("0");
    rewrite(sdp, {{true, 40000, 40000, ours}}, {"203.0.113.1", true, false});
    const std::string expected = corpus::withCrlf(R"sdp(v=0
o=Sonus_UAC 27215 6719 IN IP4 203.0.113.1
s=SIP Media Capabilities
c=IN IP4 203.0.113.1
t=0 0
a=group:BUNDLE 0
a=ice-lite
m=audio 40000 UDP/TLS/RTP/SAVPF 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
a=maxptime:20
a=rtcp:40000 IN IP4 203.0.113.1
a=mid:0
a=ice-ufrag:Rg7Q
a=ice-pwd:wq3oK1vEJ2bq1rCsT4n8Xyz0
a=fingerprint:sha-256 07:CE:32:1C:65:2E:2B:95:52:FD:AC:81:29:21:AD:BF:87:7D:8E:2E:BD:B5:9A:B6:F4:95:D1:16:43:A9:A9:36
a=setup:active
a=candidate:1 1 UDP 2130706431 203.0.113.1 40000 typ host
a=end-of-candidates
a=rtcp-mux
)sdp");
    expectSameLines(sdp.serialize(), expected);

    // What the browser reads back is exactly rtcgate's transport.
    const SessionDescription out = reparse(sdp);
    EXPECT_EQ(readMediaTransport(out, 0), ours);
    const auto transport = peerTransport(out, 0);
    ASSERT_TRUE(transport);
    EXPECT_TRUE(transport->rtcpMux);
    EXPECT_EQ(transport->address, "203.0.113.1");
    EXPECT_EQ(transport->rtpPort, 40000);
}

TEST(SdpRewriterTransport, AsteriskOfferTowardABrowser) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    rewrite(sdp, {{true, 40000, 40000, webRtcTransport("0")}}, ipv4);
    const std::string text = sdp.serialize();
    const SessionDescription out = reparse(sdp);
    EXPECT_EQ(out.media[0].protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(out.session.attributes("group"), std::vector<std::string>{"BUNDLE 0"});
    EXPECT_TRUE(out.session.hasAttribute("ice-lite"));
    // Session attributes stay in the session section: before the first m= line.
    EXPECT_LT(text.find("a=group:BUNDLE 0\r\n"), text.find("\r\nm="));
    EXPECT_LT(text.find("a=ice-lite\r\n"), text.find("\r\nm="));
    const MediaDescription& audio = out.media[0];
    EXPECT_EQ(audio.attribute("mid"), "0");
    EXPECT_EQ(audio.attribute("ice-ufrag"), "Rg7Q");
    EXPECT_EQ(audio.attribute("ice-pwd"), "wq3oK1vEJ2bq1rCsT4n8Xyz0");
    EXPECT_EQ(audio.attribute("fingerprint"), webRtcTransport("0").fingerprint);
    EXPECT_EQ(audio.attribute("setup"), "active");
    EXPECT_EQ(audio.attributes("candidate"), webRtcTransport("0").candidates);
    EXPECT_TRUE(audio.hasAttribute("end-of-candidates"));
    EXPECT_TRUE(audio.hasAttribute("rtcp-mux"));
    EXPECT_EQ(audio.attribute("rtcp"), "40000 IN IP4 203.0.113.1");
    // The codecs and the rest of the carrier's line are kept.
    EXPECT_EQ(audio.attributes("rtpmap"), parseOrFail(corpus::asteriskOffer).media[0].attributes("rtpmap"));
    EXPECT_EQ(audio.attribute("ptime"), "20");
}

TEST(SdpRewriterTransport, TwoAudioLinesAndADeclinedVideo) {
    SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    MediaTransport second = webRtcTransport("1");
    second.candidates = {"1 1 UDP 2130706431 203.0.113.1 40002 typ host"};
    rewrite(
        sdp,
        {{true, 40000, 40000, webRtcTransport("0")}, {true, 40002, 40002, second}, {false, 0, 0, webRtcTransport("2")}},
        ipv4);
    const SessionDescription out = reparse(sdp);
    EXPECT_EQ(out.session.attributes("group"), std::vector<std::string>{"BUNDLE 0 1"});
    EXPECT_EQ(countLines(out.session, "ice-lite"), 1u);
    EXPECT_EQ(out.media[0].attribute("mid"), "0");
    EXPECT_EQ(out.media[1].attribute("mid"), "1");
    EXPECT_EQ(out.media[1].attributes("candidate"), second.candidates);

    const MediaDescription& video = out.media[2];
    EXPECT_EQ(video.port, 0);
    EXPECT_EQ(video.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(video.attributes("mid"), std::vector<std::string>{"2"});
    for (const char* absent :
         {"candidate", "end-of-candidates", "ice-ufrag", "ice-pwd", "fingerprint", "setup", "rtcp-mux", "rtcp"}) {
        EXPECT_FALSE(video.hasAttribute(absent)) << absent;
    }
    EXPECT_EQ(video.attributes("rtpmap"), std::vector<std::string>{"99 h263-1998/90000"});
}

TEST(SdpRewriterTransport, DeclinedLineInTheMiddleIsLeftOutOfTheBundle) {
    SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    rewrite(sdp,
            {{true, 40000, 40000, webRtcTransport("a0")},
             {false, 0, 0, webRtcTransport("a1")},
             {true, 40002, 40002, webRtcTransport("v")}},
            ipv4);
    EXPECT_EQ(sdp.session.attributes("group"), std::vector<std::string>{"BUNDLE a0 v"});
    EXPECT_EQ(sdp.media[1].attribute("mid"), "a1");
    EXPECT_FALSE(sdp.media[1].hasAttribute("candidate"));
}

TEST(SdpRewriterTransport, BundleListsOnlyWebRtcLines) {
    SessionDescription sdp = parseOrFail(corpus::twoAudioLines);
    MediaTransport plainWithMid = plainTransport();
    plainWithMid.mid = "p";
    rewrite(
        sdp,
        {{true, 40000, 40000, webRtcTransport("w")}, {true, 40002, 40003, plainWithMid}, {false, 0, 0, std::nullopt}},
        ipv4);
    EXPECT_EQ(sdp.session.attributes("group"), std::vector<std::string>{"BUNDLE w"});
    EXPECT_EQ(sdp.media[1].attribute("mid"), "p");
    EXPECT_EQ(sdp.media[1].protocol, "RTP/AVP");
}

TEST(SdpRewriterTransport, ChromeOfferTowardABrowserKeepsWebRtcAttributes) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    const SessionDescription original = sdp;
    rewrite(sdp, {{true, 40000, 40000, webRtcTransport("0")}, {false, 0, 0, webRtcTransport("1")}}, ipv4);
    const SessionDescription out = reparse(sdp);
    // The browser's BUNDLE of both lines becomes rtcgate's of the relayed one.
    EXPECT_EQ(out.session.attributes("group"), std::vector<std::string>{"BUNDLE 0"});
    EXPECT_TRUE(out.session.hasAttribute("msid-semantic"));
    EXPECT_TRUE(out.session.hasAttribute("extmap-allow-mixed"));
    const MediaDescription& audio = out.media[0];
    EXPECT_EQ(audio.attributes("candidate"), webRtcTransport("0").candidates);
    EXPECT_EQ(audio.attributes("ice-ufrag"), std::vector<std::string>{"Rg7Q"});
    EXPECT_EQ(audio.attributes("setup"), std::vector<std::string>{"active"});
    EXPECT_FALSE(audio.hasAttribute("ice-options"));
    EXPECT_EQ(audio.attributes("extmap"), original.media[0].attributes("extmap"));
    EXPECT_EQ(audio.attributes("rtcp-fb"), original.media[0].attributes("rtcp-fb"));
    EXPECT_EQ(audio.attributes("ssrc"), original.media[0].attributes("ssrc"));
    EXPECT_EQ(audio.attributes("msid"), original.media[0].attributes("msid"));
    EXPECT_EQ(audio.attributes("rtcp"), std::vector<std::string>{"40000 IN IP4 203.0.113.1"});
    EXPECT_EQ(out.media[1].attributes("mid"), std::vector<std::string>{"1"});
    EXPECT_FALSE(out.media[1].hasAttribute("candidate"));
    EXPECT_FALSE(out.media[1].hasAttribute("ice-ufrag"));
}

TEST(SdpRewriterTransport, FeedbackOnlyWithAFeedbackProfile) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    MediaTransport savp = webRtcTransport("0");
    savp.protocol = "UDP/TLS/RTP/SAVP";
    rewrite(sdp, {{true, 40000, 40000, savp}, {false, 0, 0, std::nullopt}}, ipv4);
    EXPECT_EQ(sdp.media[0].protocol, "UDP/TLS/RTP/SAVP");
    EXPECT_FALSE(sdp.media[0].hasAttribute("rtcp-fb"));
    EXPECT_TRUE(sdp.media[0].hasAttribute("extmap"));
    EXPECT_TRUE(sdp.media[0].hasAttribute("ssrc"));
}

TEST(SdpRewriterTransport, LinesWithoutATransportAreLeftAlone) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    const SessionDescription original = sdp;
    rewrite(sdp, {{true, 40000, 40001, plainTransport()}, {false, 0, 0, std::nullopt}}, ipv4);
    EXPECT_EQ(sdp.media[1].lines, original.media[1].lines);
    EXPECT_EQ(sdp.media[1].protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_FALSE(sdp.media[0].hasAttribute("ice-ufrag"));
}

TEST(SdpRewriterTransport, EmptyProtocolKeepsTheLinesOwn) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    MediaTransport noProtocol = webRtcTransport("0");
    noProtocol.protocol.clear();
    rewrite(sdp, {{true, 40000, 40000, noProtocol}}, ipv4);
    EXPECT_EQ(sdp.media[0].protocol, "RTP/AVP");
    EXPECT_EQ(sdp.media[0].attribute("ice-ufrag"), "Rg7Q");
}

TEST(SdpRewriterTransport, SdesTowardACarrier) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    MediaTransport sdes = plainTransport("RTP/SAVP");
    sdes.crypto = {"1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
                   "2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj"};
    rewrite(sdp, {{true, 40000, 40001, sdes}, {false, 0, 0, plainTransport("RTP/SAVP")}}, ipv4);
    const SessionDescription out = reparse(sdp);
    EXPECT_EQ(out.media[0].protocol, "RTP/SAVP");
    EXPECT_EQ(out.media[0].attributes("crypto"), sdes.crypto);
    EXPECT_EQ(readMediaTransport(out, 0), sdes);
    EXPECT_EQ(attributesWhere(out, [](std::string_view name) { return name != "crypto"; }).size(),
              attributesWhere(out, [](std::string_view) { return true; }).size() - 2);
    EXPECT_FALSE(out.media[0].hasAttribute("extmap"));
    EXPECT_FALSE(out.session.hasAttribute("group"));
}

TEST(SdpRewriterTransport, PeerCryptoIsReplacedTowardABrowser) {
    SessionDescription sdp = parseOrFail(corpus::sdesOffer);
    rewrite(sdp, {{true, 40000, 40000, webRtcTransport("0")}}, ipv4);
    EXPECT_FALSE(sdp.media[0].hasAttribute("crypto"));
    EXPECT_EQ(sdp.media[0].attribute("fingerprint"), webRtcTransport("0").fingerprint);
}

TEST(SdpRewriterTransport, SessionLevelTransportOfTheSenderIsRemoved) {
    // Firefox's session-level fingerprint and the legacy session-level ICE credentials.
    for (std::string_view text : {corpus::firefoxOffer, corpus::firefoxLegacyOffer}) {
        SessionDescription sdp = parseOrFail(text);
        rewrite(sdp, {{true, 40000, 40000, webRtcTransport("0")}}, ipv4);
        EXPECT_EQ(sdp.session.attributes("fingerprint"), std::vector<std::string>{});
        EXPECT_EQ(sdp.session.attributes("ice-ufrag"), std::vector<std::string>{});
        EXPECT_EQ(sdp.session.attributes("ice-pwd"), std::vector<std::string>{});
        EXPECT_EQ(sdp.session.attributes("ice-options"), std::vector<std::string>{});
        EXPECT_EQ(sdp.session.attributes("group"), std::vector<std::string>{"BUNDLE 0"});
        // What the browser reads back is rtcgate's transport, not a fallback to the sender's.
        EXPECT_EQ(readMediaTransport(reparse(sdp), 0), webRtcTransport("0"));
    }
}

TEST(SdpRewriterTransport, IceLiteNeedsARelayedLineWithIce) {
    // The peer's own ice-lite never survives.
    std::string text(corpus::asteriskOffer);
    text.replace(text.find("m=audio"), 0, "a=ice-lite\n");
    SessionDescription sdp = parseOrFail(text);
    MediaTransport full = webRtcTransport("0");
    full.iceLite = false;
    rewrite(sdp, {{true, 40000, 40000, full}}, ipv4);
    EXPECT_FALSE(sdp.session.hasAttribute("ice-lite"));

    // iceLite without ICE credentials (DTLS only).
    SessionDescription dtlsOnly = parseOrFail(corpus::asteriskOffer);
    MediaTransport noIce = webRtcTransport("0");
    noIce.iceUfrag.reset();
    noIce.icePwd.reset();
    rewrite(dtlsOnly, {{true, 40000, 40000, noIce}}, ipv4);
    EXPECT_FALSE(dtlsOnly.session.hasAttribute("ice-lite"));
    EXPECT_EQ(dtlsOnly.session.attributes("group"), std::vector<std::string>{"BUNDLE 0"});

    // Only a declined line has ICE.
    SessionDescription declined = parseOrFail(corpus::twoAudioLines);
    rewrite(declined,
            {{true, 40000, 40000, noIce}, {false, 0, 0, webRtcTransport("1")}, {false, 0, 0, webRtcTransport("2")}},
            ipv4);
    EXPECT_FALSE(declined.session.hasAttribute("ice-lite"));
}

TEST(SdpRewriterTransport, NoBundleWithoutARelayedWebRtcMid) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    MediaTransport noMid = webRtcTransport("0");
    noMid.mid.reset();
    rewrite(sdp, {{true, 40000, 40000, noMid}, {false, 0, 0, webRtcTransport("1")}}, ipv4);
    EXPECT_FALSE(sdp.session.hasAttribute("group"));
    EXPECT_FALSE(sdp.media[0].hasAttribute("mid"));
    EXPECT_TRUE(sdp.session.hasAttribute("ice-lite"));

    SessionDescription allDeclined = parseOrFail(corpus::chromeOffer);
    rewrite(allDeclined, {{false, 0, 0, webRtcTransport("0")}, {false, 0, 0, webRtcTransport("1")}}, ipv4);
    EXPECT_FALSE(allDeclined.session.hasAttribute("group"));
    EXPECT_FALSE(allDeclined.session.hasAttribute("ice-lite"));
    EXPECT_EQ(allDeclined.media[0].attribute("mid"), "0");
    EXPECT_EQ(allDeclined.media[0].port, 0);
}

TEST(SdpRewriterTransport, OtherGroupsOfThePeerAreDropped) {
    // RFC 5888 groups name the peer's mids, which no longer exist.
    std::string text(corpus::chromeOffer);
    text.replace(text.find("a=extmap-allow-mixed"), 0, "a=group:LS 0 1\n");
    SessionDescription sdp = parseOrFail(text);
    rewrite(sdp, {{true, 40000, 40001, plainTransport()}, {false, 0, 0, plainTransport()}}, ipv4);
    EXPECT_FALSE(sdp.session.hasAttribute("group"));
}

// RFC 3605 on every relayed line, in rtpengine's short form; toward a WebRTC party the long form, the only one
// aiortc parses.
TEST(SdpRewriterTransport, RtcpAttributeOnEveryLineLongTowardWebRtc) {
    SessionDescription plain = parseOrFail(corpus::carrierAnswer);
    rewrite(plain, {{true, 40000, 40001, plainTransport()}}, ipv4);
    EXPECT_EQ(plain.media[0].attributes("rtcp"), std::vector<std::string>{"40001"});

    SessionDescription withRtcp = parseOrFail(corpus::freeswitchOffer);
    rewrite(withRtcp, {{true, 40000, 40001, plainTransport()}}, ipv4);
    EXPECT_EQ(withRtcp.media[0].attributes("rtcp"), std::vector<std::string>{"40001"});

    SessionDescription browser = parseOrFail(corpus::carrierAnswer);
    rewrite(browser, {{true, 40000, 40000, webRtcTransport("0")}}, {"2001:db8::1", false, false});
    EXPECT_EQ(browser.media[0].attributes("rtcp"), std::vector<std::string>{"40000 IN IP6 2001:db8::1"});
}

TEST(SdpRewriter, LocalMediaCountMustMatch) {
    SessionDescription sdp = parseOrFail(corpus::chromeOffer);
    EXPECT_THROW(rewrite(sdp, {{true, 40000, 40000}}, ipv4), std::invalid_argument);
    EXPECT_EQ(sdp.serialize(), corpus::withCrlf(corpus::chromeOffer));
}

// ---- RFC 2543 hold: a zero c= address ---------------------------------------------------------------

TEST(SdpRewriterHold, AZeroAddressIsAPartyThatOnlySends) {
    for (const auto& [said, does] :
         {std::pair{"sendrecv", Direction::SendOnly}, std::pair{"sendonly", Direction::SendOnly},
          std::pair{"recvonly", Direction::Inactive}, std::pair{"inactive", Direction::Inactive}}) {
        const std::string text = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\n"
                                 "m=audio 40000 RTP/AVP 0\na=" +
                                 std::string(said) + "\n";
        const auto transport = peerTransport(parseOrFail(text), 0);
        ASSERT_TRUE(transport) << said;
        EXPECT_TRUE(transport->zeroAddress) << said;
        EXPECT_EQ(transport->direction, does) << said;
    }
    // IPv6 in another spelling of ::, as the forwarding path reads it (no destination).
    const auto ipv6 = peerTransport(parseOrFail("v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 0:0::0\nt=0 0\n"
                                                "m=audio 40000 RTP/AVP 0\n"),
                                    0);
    ASSERT_TRUE(ipv6);
    EXPECT_TRUE(ipv6->zeroAddress);
    EXPECT_EQ(ipv6->direction, Direction::SendOnly);
    const auto plain = peerTransport(parseOrFail(corpus::asteriskOffer), 0);
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->zeroAddress);
}

// The zero address is passed on with the direction the holding party leaves, as rtpengine writes it.
TEST(SdpRewriterHold, TheZeroAddressAndTheDirectionItLeavesArePassedOn) {
    SessionDescription sdp = parseOrFail("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio "
                                         "40000 RTP/AVP 0\na=sendrecv\n");
    rewrite(sdp, {{.relayed = true, .rtpPort = 30000, .rtcpPort = 30001, .held = true}}, ipv4);
    expectSameLines(sdp.serialize(), "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                                     "m=audio 30000 RTP/AVP 0\r\na=sendonly\r\na=rtcp:30001\r\n");

    // replace "zero address": rtcgate's address, the direction it leaves all the same.
    SessionDescription replaced =
        parseOrFail("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio 40000 RTP/AVP 0\na=sendrecv\n");
    rewrite(replaced,
            {{.relayed = true, .rtpPort = 30000, .rtcpPort = 30001, .held = true, .replaceZeroAddress = true}}, ipv4);
    EXPECT_EQ(replaced.session.connection()->address, "203.0.113.1");
    EXPECT_EQ(replaced.media[0].direction(), Direction::SendOnly);

    // One line held among others that rely on the session c=: it gets a zero c= of its own.
    SessionDescription two = parseOrFail(corpus::twoAudioLines);
    rewrite(two,
            {{.relayed = true, .rtpPort = 30000, .rtcpPort = 30001, .held = true}, {true, 30002, 30003}, {false, 0, 0}},
            ipv4);
    EXPECT_EQ(two.session.connection()->address, "203.0.113.1");
    EXPECT_EQ(two.media[0].connection()->address, "0.0.0.0");
    EXPECT_EQ(two.media[0].direction(), Direction::SendOnly);
    EXPECT_FALSE(two.media[1].find('c'));
}

// ---- ng "loop protect": rtpengine's a=rtpengine:ID mark ---------------------------------------------

TEST(SdpRewriterLoopMarker, TheSessionIsMarkedOnceAndTheMarkIsRecognized) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    EXPECT_FALSE(carriesLoopMarker(sdp, "0123456789ab"));
    RewriteOptions marked = ipv4;
    marked.loopMarker = "0123456789ab";
    rewrite(sdp, {{true, 30000, 30001}}, marked);
    EXPECT_EQ(sdp.session.attributes("rtpengine"), std::vector<std::string>{"0123456789ab"});
    EXPECT_TRUE(carriesLoopMarker(sdp, "0123456789ab"));
    EXPECT_FALSE(carriesLoopMarker(sdp, "ba9876543210"));

    rewrite(sdp, {{true, 30000, 30001}}, marked);
    EXPECT_EQ(sdp.session.attributes("rtpengine").size(), 1U);
    // Another instance's mark stays beside ours, and a mark on a media line is no session mark.
    marked.loopMarker = "ba9876543210";
    rewrite(sdp, {{true, 30000, 30001}}, marked);
    EXPECT_EQ(sdp.session.attributes("rtpengine"), (std::vector<std::string>{"0123456789ab", "ba9876543210"}));
    SessionDescription onMedia =
        parseOrFail("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 40000 RTP/AVP 0\n"
                    "a=rtpengine:0123456789ab\n");
    EXPECT_FALSE(carriesLoopMarker(onMedia, "0123456789ab"));
}

TEST(SdpRewriterLoopMarker, NoMarkWithoutLoopProtect) {
    SessionDescription sdp = parseOrFail(corpus::asteriskOffer);
    rewrite(sdp, {{true, 30000, 30001}}, ipv4);
    EXPECT_FALSE(sdp.session.hasAttribute("rtpengine"));
}

} // namespace
} // namespace rtcgate::sdp
