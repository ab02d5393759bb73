// The SDPs a Call produces from real browser and carrier SDPs under the ng
// flags of the Kamailio WebRTC <-> SIP recipe, in both call directions.
#include "../sdp/SdpCorpus.hpp"
#include "LoopbackPeer.hpp"

#include "rtcgate/dtls/Certificate.hpp"
#include "rtcgate/dtls/DtlsContext.hpp"
#include "rtcgate/media/Call.hpp"
#include "rtcgate/media/CallSnapshot.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"

#include <gtest/gtest.h>

#include <array>

namespace rtcgate::media {
namespace {

namespace corpus = sdp::corpus;

// rtpengine_offer("ICE=remove DTLS=off SDES-off transport-protocol=RTP/AVP rtcp-mux-demux")
TransportRequest towardCarrierInOffer() {
    return {.ice = IceRequest::Remove,
            .dtls = DtlsRequest::Off,
            .sdes = {.off = true},
            .protocol = "RTP/AVP",
            .rtcpMux = {.demux = true}};
}
// rtpengine_answer("ICE=force transport-protocol=UDP/TLS/RTP/SAVPF")
TransportRequest towardBrowserInAnswer() {
    return {.ice = IceRequest::Force, .protocol = "UDP/TLS/RTP/SAVPF"};
}
// rtpengine_offer("ICE=force DTLS=passive SDES-off transport-protocol=UDP/TLS/RTP/SAVPF rtcp-mux-offer")
TransportRequest towardBrowserInOffer() {
    return {.ice = IceRequest::Force,
            .dtls = DtlsRequest::Passive,
            .sdes = {.off = true},
            .protocol = "UDP/TLS/RTP/SAVPF",
            .rtcpMux = {.offer = true}};
}
// rtpengine_answer("ICE=remove DTLS=off transport-protocol=RTP/AVP rtcp-mux-demux")
TransportRequest towardCarrierInAnswer() {
    return {.ice = IceRequest::Remove, .dtls = DtlsRequest::Off, .protocol = "RTP/AVP", .rtcpMux = {.demux = true}};
}

// A carrier's answer to `offer`: PCMU on the audio lines it was offered, the others declined.
std::string carrierAnswerTo(const sdp::SessionDescription& offer) {
    std::string text =
        "v=0\no=carrier 1 1 IN IP4 203.0.113.5\ns=-\nc=IN IP4 203.0.113.5\nt=0 0\n"; // LF: signalOf adds CR
    std::uint16_t port = 20000;
    for (const auto& media : offer.media) {
        bool accepted = media.port != 0 && media.media == "audio";
        text += "m=" + media.media + ' ' + std::to_string(accepted ? port : 0) + " RTP/AVP 0\n";
        port = static_cast<std::uint16_t>(port + 2);
    }
    return text;
}

Signal signalOf(std::string fromTag, std::string toTag, std::string_view sdpText, TransportRequest transport) {
    Signal signal = testing::signal(std::move(fromTag), std::move(toTag), corpus::withCrlf(sdpText));
    signal.transport = std::move(transport);
    return signal;
}

sdp::SessionDescription parsed(const SignalResult& result) {
    EXPECT_TRUE(result.ok()) << (result.failure ? static_cast<int>(result.failure->error) : -1);
    auto description = sdp::SessionDescription::parse(result.sdp);
    EXPECT_TRUE(description.has_value()) << result.sdp;
    return description.value_or(sdp::SessionDescription{});
}

constexpr std::array kWebRtcOnly{"ice-ufrag",   "ice-pwd",
                                 "ice-options", "ice-lite",
                                 "candidate",   "end-of-candidates",
                                 "fingerprint", "setup",
                                 "extmap",      "extmap-allow-mixed",
                                 "msid",        "msid-semantic",
                                 "ssrc",        "ssrc-group",
                                 "mid",         "group",
                                 "rtcp-fb",     "rtcp-mux",
                                 "crypto"};

void expectCleanCarrierSdp(const sdp::SessionDescription& sdp) {
    for (const char* name : kWebRtcOnly) {
        EXPECT_FALSE(sdp.session.hasAttribute(name)) << "session a=" << name;
        for (const auto& media : sdp.media) {
            EXPECT_FALSE(media.hasAttribute(name)) << "a=" << name << " on m=" << media.media;
        }
    }
    ASSERT_FALSE(sdp.media.empty());
    EXPECT_EQ(sdp.media[0].protocol, "RTP/AVP");
    EXPECT_NE(sdp.media[0].port, 0);
    EXPECT_FALSE(sdp.media[0].attributes("rtpmap").empty()); // the codecs pass through
}

class CallBridgingFixture {
protected:
    CallBridgingFixture()
        : ports_(43200, 43299), context_(io_, ports_, boost::asio::ip::make_address("127.0.0.1"), "127.0.0.1") {
        context_.dtls = &dtls_;
    }

    // What a browser needs of the SDP rtcgated sends it for its audio line. a=rtcp names the RTP port in an answer
    // that takes up rtcp-mux, the fallback port+1 in an offer of it (RFC 5761 section 5.1.3, as rtpengine writes it).
    void expectWebRtcSdp(const sdp::SessionDescription& sdp, std::string_view setup, const std::string& mid,
                         Exchange exchange) {
        ASSERT_FALSE(sdp.media.empty());
        const auto& audio = sdp.media[0];
        sdp::MediaTransport transport = sdp::readMediaTransport(sdp, 0);
        EXPECT_EQ(audio.protocol, "UDP/TLS/RTP/SAVPF");
        EXPECT_TRUE(sdp.session.hasAttribute("ice-lite")); // session level: aiortc reads no other
        ASSERT_TRUE(transport.iceUfrag && transport.icePwd);
        EXPECT_GE(transport.iceUfrag->size(), 4U);
        EXPECT_GE(transport.icePwd->size(), 22U);
        ASSERT_EQ(transport.candidates.size(), 1U);
        EXPECT_EQ(transport.candidates[0], "1 1 udp 2130706431 127.0.0.1 " + std::to_string(audio.port) + " typ host");
        EXPECT_TRUE(audio.hasAttribute("end-of-candidates"));
        EXPECT_EQ(transport.fingerprint, certificate_.fingerprint().toSdp());
        EXPECT_EQ(transport.setup, setup);
        EXPECT_EQ(transport.mid, mid);
        EXPECT_EQ(sdp.session.attribute("group"), "BUNDLE " + mid);
        EXPECT_TRUE(transport.rtcpMux);
        const int rtcpPort = audio.port + (exchange == Exchange::Offer ? 1 : 0);
        EXPECT_EQ(audio.attribute("rtcp"), std::to_string(rtcpPort) + " IN IP4 127.0.0.1");
        EXPECT_TRUE(transport.crypto.empty());
    }

    boost::asio::io_context io_;
    net::PortPool ports_;
    dtls::Certificate certificate_ = dtls::Certificate::generate();
    dtls::DtlsContext dtls_{certificate_};
    MediaContext context_;
    Call call_{"c1", context_};
};

class CallBridgingTest : public CallBridgingFixture, public ::testing::TestWithParam<std::string_view> {};
class CallBridgingCarrierTest : public CallBridgingFixture, public ::testing::Test {};

TEST_P(CallBridgingTest, BrowserCallsCarrier) {
    auto browserOffer = sdp::SessionDescription::parse(corpus::withCrlf(GetParam()));
    ASSERT_TRUE(browserOffer);
    const std::string browserMid = sdp::readMediaTransport(*browserOffer, 0).mid.value_or("?");

    auto toCarrier = parsed(call_.offer(signalOf("browser", "", GetParam(), towardCarrierInOffer())));
    expectCleanCarrierSdp(toCarrier);
    EXPECT_EQ(toCarrier.media[0].attribute("rtcp"), std::to_string(toCarrier.media[0].port + 1)); // demuxed: port+1

    auto toBrowser =
        parsed(call_.answer(signalOf("browser", "carrier", carrierAnswerTo(toCarrier), towardBrowserInAnswer())));
    expectWebRtcSdp(toBrowser, "active", browserMid,
                    Exchange::Answer); // an actpass offer is answered active (RFC 8842)
    EXPECT_EQ(toBrowser.media.size(), browserOffer->media.size());
}

std::string browserName(const ::testing::TestParamInfo<std::string_view>& info) {
    constexpr std::array kNames{"Chrome", "Firefox", "Safari"};
    return kNames.at(info.index);
}

INSTANTIATE_TEST_SUITE_P(Browsers, CallBridgingTest,
                         ::testing::Values(corpus::chromeOffer, corpus::firefoxOffer, corpus::safariOffer),
                         browserName);

// Carrier calls browser: rtcgated offers WebRTC to the browser; the browsers' real answers give the carrier plain RTP.
TEST_F(CallBridgingCarrierTest, CarrierCallsBrowser) {
    for (std::string_view answer : {corpus::chromeAnswer, corpus::firefoxAnswer}) {
        SCOPED_TRACE(answer.substr(0, 40));
        Call call("c2", context_);
        auto toBrowser = parsed(call.offer(signalOf("carrier", "", corpus::asteriskOffer, towardBrowserInOffer())));
        expectWebRtcSdp(toBrowser, "actpass", "0",
                        Exchange::Offer); // rtcgated's offers say actpass, whatever DTLS= prefers

        expectCleanCarrierSdp(parsed(call.answer(signalOf("carrier", "browser", answer, towardCarrierInAnswer()))));
        auto snapshot = snapshotOf(call);
        const auto& browserLeg = snapshot.legs.at(1);
        ASSERT_EQ(browserLeg.tag, "browser");
        ASSERT_TRUE(browserLeg.medias.at(0).transport);
        EXPECT_EQ(browserLeg.medias.at(0).transport->dtlsRole, "passive"); // the browser answered active
        EXPECT_TRUE(browserLeg.medias.at(0).transport->rtcpMux);
    }
}

} // namespace
} // namespace rtcgate::media
