#include "rtcgate/sdp/MediaTransport.hpp"

#include "SdpCorpus.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace rtcgate::sdp {
namespace {

SessionDescription parseOrFail(std::string_view text) {
    std::string error;
    auto sdp = SessionDescription::parse(corpus::withCrlf(text), &error);
    EXPECT_TRUE(sdp.has_value()) << error;
    return sdp.value_or(SessionDescription{});
}

// `text` with `inserted` put in front of the first occurrence of `before`.
std::string insertBefore(std::string_view text, std::string_view before, std::string_view inserted) {
    std::string out(text);
    const std::size_t at = out.find(before);
    EXPECT_NE(at, std::string::npos) << "test bug: no " << before;
    if (at != std::string::npos) {
        out.insert(at, inserted);
    }
    return out;
}

TEST(MediaTransport, ChromeOfferAudio) {
    MediaTransport expected;
    expected.protocol = "UDP/TLS/RTP/SAVPF";
    expected.iceUfrag = "Jpbd";
    expected.icePwd = "Fus4hRjMrpP46HRkXRz+RPdL";
    expected.candidates = {
        "2999745851 1 udp 2122260223 192.0.2.10 51234 typ host generation 0 network-id 1 network-cost 10",
        "1425321547 1 tcp 1518280447 192.0.2.10 9 typ host tcptype active generation 0 network-id 1 network-cost 10",
        "842163049 1 udp 1686052607 198.51.100.7 51234 typ srflx raddr 192.0.2.10 rport 51234 generation 0 "
        "network-id 1 network-cost 10",
    };
    expected.fingerprint =
        "sha-256 14:EB:8A:BA:6B:46:65:8F:5D:A8:5D:8B:93:9B:59:5A:E6:46:71:DE:9A:49:97:50:93:B7:07:2A:F7:CC:2A:BD";
    expected.setup = "actpass";
    expected.rtcpMux = true;
    expected.mid = "0";
    const MediaTransport transport = readMediaTransport(parseOrFail(corpus::chromeOffer), 0);
    EXPECT_EQ(transport, expected);
    EXPECT_TRUE(isWebRtc(transport));
}

TEST(MediaTransport, ChromeOfferVideoIsItsOwnLine) {
    const MediaTransport transport = readMediaTransport(parseOrFail(corpus::chromeOffer), 1);
    EXPECT_EQ(transport.mid, "1");
    ASSERT_EQ(transport.candidates.size(), 3u);
    EXPECT_NE(transport.candidates[0].find("192.0.2.10 51236 typ host"), std::string::npos);
    EXPECT_EQ(transport.iceUfrag, "Jpbd");
}

TEST(MediaTransport, ChromeAnswerIsActive) {
    const MediaTransport transport = readMediaTransport(parseOrFail(corpus::chromeAnswer), 0);
    EXPECT_EQ(transport.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(transport.iceUfrag, "x9Ko");
    EXPECT_EQ(transport.icePwd, "LJ4hUb5rfsF2bOPZ1Sa7nWqT");
    EXPECT_EQ(transport.setup, "active");
    EXPECT_EQ(transport.fingerprint, "sha-256 9A:15:43:37:2B:AC:89:50:F2:9C:54:1B:65:1B:02:02:B8:5A:08:8E:A3:F7:56:63:"
                                     "6A:89:F1:B9:BB:66:53:ED");
    EXPECT_EQ(transport.candidates.size(), 2u);
    EXPECT_EQ(transport.mid, "0");
    EXPECT_TRUE(transport.rtcpMux);
    EXPECT_FALSE(transport.iceLite);
}

TEST(MediaTransport, FirefoxOfferFingerprintFromTheSessionLevel) {
    const SessionDescription sdp = parseOrFail(corpus::firefoxOffer);
    ASSERT_FALSE(sdp.media[0].hasAttribute("fingerprint"));
    MediaTransport expected;
    expected.protocol = "UDP/TLS/RTP/SAVPF";
    expected.iceUfrag = "3e2a4b1c";
    expected.icePwd = "a6ce1ab1e0f0b5ddc4f4fbf8ba9a1a2b";
    expected.candidates = {
        "0 1 UDP 2122252543 192.0.2.21 54925 typ host",
        "1 1 TCP 2105524479 192.0.2.21 9 typ host tcptype active",
        "0 2 UDP 2122252542 192.0.2.21 56890 typ host",
        "1 2 TCP 2105524478 192.0.2.21 9 typ host tcptype active",
    };
    expected.fingerprint =
        "sha-256 53:5A:C4:75:6A:56:07:F9:CA:70:A9:68:21:C1:FE:C7:06:62:5D:30:FD:8F:6D:96:40:C3:6F:1F:6C:78:04:57";
    expected.setup = "actpass";
    expected.rtcpMux = true;
    expected.mid = "0";
    EXPECT_EQ(readMediaTransport(sdp, 0), expected);
}

TEST(MediaTransport, FirefoxAnswer) {
    const MediaTransport transport = readMediaTransport(parseOrFail(corpus::firefoxAnswer), 0);
    EXPECT_EQ(transport.iceUfrag, "5c8e1f0a");
    EXPECT_EQ(transport.icePwd, "9d29b06b2a98903df0f775555b21c7ec");
    EXPECT_EQ(transport.fingerprint, "sha-256 94:9E:2D:57:00:A1:46:76:9C:0A:D4:DA:46:79:84:89:08:84:99:E9:A0:AF:F2:31:"
                                     "A8:DE:A6:64:F0:AE:DB:14");
    EXPECT_EQ(transport.setup, "active");
    EXPECT_EQ(transport.candidates, std::vector<std::string>{"0 1 UDP 2122252543 192.0.2.22 60012 typ host"});
    EXPECT_EQ(transport.mid, "0");
    EXPECT_TRUE(transport.rtcpMux);
}

TEST(MediaTransport, SafariOffer) {
    const MediaTransport transport = readMediaTransport(parseOrFail(corpus::safariOffer), 0);
    EXPECT_EQ(transport.iceUfrag, "vK8m");
    EXPECT_EQ(transport.icePwd, "4Qh3xR2mD9yL6sT1pW8nB5cZ");
    EXPECT_EQ(transport.fingerprint, "sha-256 AA:E0:DA:D7:CA:E0:46:83:83:67:7F:83:EB:B4:BC:BE:A4:8F:49:1D:04:42:34:DE:"
                                     "8B:C4:F4:18:3A:8C:DA:10");
    EXPECT_EQ(transport.setup, "actpass");
    ASSERT_EQ(transport.candidates.size(), 2u);
    EXPECT_EQ(transport.candidates[0], "1302934621 1 udp 2113937151 0b7c5e1d-6a93-4a51-b1c4-4f3e9e8f7a12.local 61771 "
                                       "typ host generation 0 network-cost 999");
    EXPECT_EQ(transport.mid, "0");
    EXPECT_TRUE(transport.rtcpMux);
}

TEST(MediaTransport, LegacyFirefoxIceCredentialsFromTheSessionLevel) {
    const SessionDescription sdp = parseOrFail(corpus::firefoxLegacyOffer);
    ASSERT_FALSE(sdp.media[0].hasAttribute("ice-ufrag"));
    const MediaTransport transport = readMediaTransport(sdp, 0);
    EXPECT_EQ(transport.protocol, "RTP/SAVPF");
    EXPECT_EQ(transport.iceUfrag, "d1b5b6a6");
    EXPECT_EQ(transport.icePwd, "a0e5f4d1c6f2b1e5a1e8b3d0c7f2e9a4");
    EXPECT_EQ(transport.fingerprint, "sha-256 48:C5:E0:1B:E1:41:4C:2C:DF:E0:64:ED:CB:FE:89:20:AF:C7:F2:8E:5C:9A:1F:B3:"
                                     "DF:47:1A:74:69:77:C0:AB");
    EXPECT_EQ(transport.setup, "actpass");
    EXPECT_EQ(transport.candidates.size(), 2u);
    EXPECT_TRUE(transport.rtcpMux);
    EXPECT_FALSE(transport.mid);
    EXPECT_TRUE(isWebRtc(transport));
}

TEST(MediaTransport, MediaLevelWinsOverSessionLevel) {
    std::string text = insertBefore(corpus::firefoxLegacyOffer, "a=rtpmap:109",
                                    "a=ice-ufrag:media1\na=ice-pwd:mediapassword0123456789\na=fingerprint:sha-1 "
                                    "AB:CD\n");
    text = insertBefore(text, "m=audio", "a=setup:passive\n");
    const MediaTransport transport = readMediaTransport(parseOrFail(text), 0);
    EXPECT_EQ(transport.iceUfrag, "media1");
    EXPECT_EQ(transport.icePwd, "mediapassword0123456789");
    EXPECT_EQ(transport.fingerprint, "sha-1 AB:CD");
    EXPECT_EQ(transport.setup, "actpass");
}

TEST(MediaTransport, MidIsMediaLevelOnly) {
    // RFC 5888: a=mid names one media line; a stray session-level one names none.
    const std::string text = insertBefore(corpus::firefoxLegacyOffer, "m=audio", "a=mid:0\n");
    EXPECT_FALSE(readMediaTransport(parseOrFail(text), 0).mid);
}

TEST(MediaTransport, SessionLevelSetupWhenTheMediaHasNone) {
    std::string text = insertBefore(corpus::chromeAnswer, "m=audio", "a=setup:passive\n");
    text.erase(text.find("a=setup:active\n"), std::string_view("a=setup:active\n").size());
    EXPECT_EQ(readMediaTransport(parseOrFail(text), 0).setup, "passive");
}

TEST(MediaTransport, IceLiteAtSessionOrMediaLevel) {
    EXPECT_FALSE(readMediaTransport(parseOrFail(corpus::chromeAnswer), 0).iceLite);
    const std::string session = insertBefore(corpus::chromeAnswer, "a=group:BUNDLE", "a=ice-lite\n");
    EXPECT_TRUE(readMediaTransport(parseOrFail(session), 0).iceLite);
    const std::string media = insertBefore(corpus::chromeAnswer, "a=ice-ufrag", "a=ice-lite\n");
    EXPECT_TRUE(readMediaTransport(parseOrFail(media), 0).iceLite);
}

TEST(MediaTransport, SdesCryptoInOrder) {
    const MediaTransport transport = readMediaTransport(parseOrFail(corpus::sdesOffer), 0);
    EXPECT_EQ(transport.protocol, "RTP/SAVP");
    EXPECT_EQ(transport.crypto,
              (std::vector<std::string>{"1 AES_CM_128_HMAC_SHA1_80 inline:zOz2wPvKaddhLqiDwMuj7OP3lMthQu2BaHyQGbgZ",
                                        "2 AES_CM_128_HMAC_SHA1_32 inline:2IaKsYGXLfi6Gxp07a4eUE8F80UUf9t0YraUPyN6"}));
    EXPECT_FALSE(transport.fingerprint);
    EXPECT_FALSE(transport.iceUfrag);
    EXPECT_FALSE(isWebRtc(transport));
}

TEST(MediaTransport, PlainCarrierHasOnlyAProtocol) {
    MediaTransport expected;
    expected.protocol = "RTP/AVP";
    EXPECT_EQ(readMediaTransport(parseOrFail(corpus::asteriskOffer), 0), expected);
    EXPECT_EQ(readMediaTransport(parseOrFail(corpus::carrierAnswer), 0), expected);
    EXPECT_FALSE(isWebRtc(expected));
    // rtcp-mux alone (Linphone over RTP/AVP) is not WebRTC.
    const MediaTransport linphone = readMediaTransport(parseOrFail(corpus::rtcpMuxOffer), 0);
    EXPECT_TRUE(linphone.rtcpMux);
    EXPECT_FALSE(isWebRtc(linphone));
}

TEST(MediaTransport, ValuesAreTrimmedAndEmptyValuesAbsent) {
    std::string text = insertBefore(corpus::asteriskOffer, "a=rtpmap:0",
                                    "a=ice-ufrag:  abcd \t\na=ice-pwd:\na=mid: audio \na=candidate: 1 1 udp 1 "
                                    "192.0.2.1 4000 typ host \na=candidate:\na=fingerprint\n");
    const MediaTransport transport = readMediaTransport(parseOrFail(text), 0);
    EXPECT_EQ(transport.iceUfrag, "abcd");
    EXPECT_FALSE(transport.icePwd);
    EXPECT_FALSE(transport.fingerprint);
    EXPECT_EQ(transport.mid, "audio");
    EXPECT_EQ(transport.candidates, std::vector<std::string>{"1 1 udp 1 192.0.2.1 4000 typ host"});
}

TEST(MediaTransport, IndexOutOfRangeGivesADefault) {
    EXPECT_EQ(readMediaTransport(parseOrFail(corpus::chromeOffer), 2), MediaTransport{});
    EXPECT_EQ(readMediaTransport(SessionDescription{}, 0), MediaTransport{});
}

TEST(MediaTransport, WebRtcIsIceCredentialsOrAFingerprint) {
    MediaTransport transport;
    transport.protocol = "UDP/TLS/RTP/SAVPF";
    transport.rtcpMux = true;
    transport.mid = "0";
    transport.setup = "active";
    transport.candidates = {"1 1 udp 1 192.0.2.1 4000 typ host"};
    EXPECT_FALSE(isWebRtc(transport));
    MediaTransport ufrag = transport;
    ufrag.iceUfrag = "abcd";
    EXPECT_TRUE(isWebRtc(ufrag));
    MediaTransport pwd = transport;
    pwd.icePwd = "0123456789abcdef01234567";
    EXPECT_TRUE(isWebRtc(pwd));
    MediaTransport fingerprint = transport;
    fingerprint.fingerprint = "sha-256 AB:CD";
    EXPECT_TRUE(isWebRtc(fingerprint));
}

} // namespace
} // namespace rtcgate::sdp
