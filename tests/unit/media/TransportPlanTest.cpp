#include "rtcgate/media/TransportPlan.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace rtcgate::media {
namespace {

sdp::MediaTransport browserOffer() {
    return sdp::MediaTransport{.protocol = "UDP/TLS/RTP/SAVPF",
                               .iceUfrag = "Jpbd",
                               .icePwd = "Fus4hRjMrpP46HRkXRz+RPdL",
                               .iceLite = false,
                               .candidates = {"1 1 udp 2122260223 192.0.2.10 51234 typ host"},
                               .fingerprint =
                                   "sha-256 14:EB:8A:BA:6B:46:65:8F:5D:A8:5D:8B:93:9B:59:5A:E6:46:71:DE:9A:49:97:"
                                   "50:93:B7:07:2A:F7:CC:2A:BD",
                               .setup = "actpass",
                               .crypto = {},
                               .rtcpMux = true,
                               .mid = "0"};
}

sdp::MediaTransport carrierSdp() {
    return sdp::MediaTransport{.protocol = "RTP/AVP"};
}

// Kamailio's recipe, browser calls carrier: the offer goes to the carrier...
TEST(TransportPlanTest, BrowserCallsCarrierOfferToTheCarrierIsPlainRtp) {
    TransportRequest request{
        .ice = IceRequest::Remove,
        .dtls = DtlsRequest::Off,
        .sdes = {.off = true, .only = {}, .excluded = {}},
        .protocol = "RTP/AVP",
        .rtcpMux = {.offer = false, .require = false, .demux = true, .accept = false, .reject = false}};
    TransportPlan plan = planOffer(browserOffer(), request);
    EXPECT_EQ(plan.protocol, "RTP/AVP");
    EXPECT_FALSE(plan.ice);
    EXPECT_FALSE(plan.dtls);
    EXPECT_FALSE(plan.sdes);
    EXPECT_FALSE(plan.rtcpMux);
    EXPECT_FALSE(plan.secure());
}

// ... and the answer goes back to the browser.
TEST(TransportPlanTest, BrowserCallsCarrierAnswerToTheBrowserIsWebRtc) {
    TransportRequest request{.ice = IceRequest::Force, .protocol = "UDP/TLS/RTP/SAVPF"};
    TransportPlan plan = planAnswer(browserOffer(), request);
    EXPECT_EQ(plan.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_TRUE(plan.ice);
    EXPECT_TRUE(plan.dtls);
    ASSERT_TRUE(plan.dtlsRole);
    EXPECT_EQ(*plan.dtlsRole, dtls::DtlsRole::Client); // RFC 8842 section 5.3: actpass is answered active
    EXPECT_EQ(plan.setup, dtls::SetupAttribute::Active);
    EXPECT_FALSE(plan.sdes);
    EXPECT_TRUE(plan.rtcpMux);
}

TEST(TransportPlanTest, DtlsPassiveAnswersAnActpassOfferAsServer) {
    TransportPlan plan = planAnswer(browserOffer(), TransportRequest{.dtls = DtlsRequest::Passive});
    ASSERT_TRUE(plan.dtlsRole);
    EXPECT_EQ(*plan.dtlsRole, dtls::DtlsRole::Server);
    EXPECT_EQ(plan.setup, dtls::SetupAttribute::Passive);
}

// Kamailio's recipe, carrier calls browser: the offer goes to the browser.
TEST(TransportPlanTest, CarrierCallsBrowserOfferToTheBrowserIsWebRtcWithActpass) {
    TransportRequest request{
        .ice = IceRequest::Force,
        .dtls = DtlsRequest::Passive,
        .sdes = {.off = true, .only = {}, .excluded = {}},
        .protocol = "UDP/TLS/RTP/SAVPF",
        .rtcpMux = {.offer = true, .require = false, .demux = false, .accept = false, .reject = false}};
    TransportPlan plan = planOffer(carrierSdp(), request);
    EXPECT_EQ(plan.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_TRUE(plan.ice);
    EXPECT_TRUE(plan.dtls);
    EXPECT_EQ(plan.setup, dtls::SetupAttribute::ActPass); // an offer says actpass whatever DTLS= prefers
    EXPECT_FALSE(plan.dtlsRole);
    EXPECT_FALSE(plan.sdes); // SDES is off, and DTLS keys this protocol anyway
    EXPECT_TRUE(plan.rtcpMux);
}

TEST(TransportPlanTest, CarrierCallsBrowserAnswerToTheCarrierIsPlainRtp) {
    TransportRequest request{
        .ice = IceRequest::Remove,
        .dtls = DtlsRequest::Off,
        .protocol = "RTP/AVP",
        .rtcpMux = {.offer = false, .require = false, .demux = true, .accept = false, .reject = false}};
    TransportPlan plan = planAnswer(carrierSdp(), request);
    EXPECT_EQ(plan.protocol, "RTP/AVP");
    EXPECT_FALSE(plan.ice);
    EXPECT_FALSE(plan.secure());
    EXPECT_FALSE(plan.rtcpMux);
}

TEST(TransportPlanTest, WithoutFlagsTheOfferKeepsTheOfferersTransport) {
    TransportPlan webrtc = planOffer(browserOffer(), {});
    EXPECT_EQ(webrtc.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_TRUE(webrtc.ice);
    EXPECT_TRUE(webrtc.dtls);
    EXPECT_TRUE(webrtc.rtcpMux);
    TransportPlan plain = planOffer(carrierSdp(), {});
    EXPECT_EQ(plain.protocol, "RTP/AVP");
    EXPECT_FALSE(plain.ice || plain.secure() || plain.rtcpMux);
}

TEST(TransportPlanTest, AnAnswerCannotAddWhatTheOfferLacked) {
    TransportRequest request{.ice = IceRequest::Force, .protocol = "UDP/TLS/RTP/SAVPF"};
    TransportPlan plan = planAnswer(carrierSdp(), request);
    EXPECT_EQ(plan.protocol, "RTP/AVP"); // an answer uses the offer's protocol (RFC 3264 section 6)
    EXPECT_FALSE(plan.ice);
    EXPECT_FALSE(plan.dtls);
}

TEST(TransportPlanTest, SdesAnswerNeedsAnOfferedSuiteThatIsAllowed) {
    sdp::MediaTransport offered{
        .protocol = "RTP/SAVP",
        .crypto = {"1 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj"}};
    EXPECT_TRUE(planAnswer(offered, {}).sdes);
    TransportRequest no32{.sdes = {.off = false, .only = {}, .excluded = {srtp::SrtpProfile::AesCm128HmacSha1_32}}};
    EXPECT_FALSE(planAnswer(offered, no32).sdes);
    TransportRequest off{.sdes = {.off = true, .only = {}, .excluded = {}}};
    EXPECT_FALSE(planAnswer(offered, off).sdes);
}

TEST(TransportPlanTest, RtcpMuxRejectAndRequire) {
    TransportRequest reject{
        .rtcpMux = {.offer = false, .require = false, .demux = false, .accept = false, .reject = true}};
    EXPECT_FALSE(planAnswer(browserOffer(), reject).rtcpMux);
    TransportRequest require{
        .rtcpMux = {.offer = false, .require = true, .demux = false, .accept = false, .reject = false}};
    EXPECT_TRUE(planOffer(carrierSdp(), require).rtcpMux);
}

// A re-offer without transport keys keeps what the party it goes to already speaks (rtpengine 10.5 does the same):
// a carrier's re-INVITE toward a browser that answered WebRTC...
TEST(TransportPlanTest, AReOfferWithoutKeysKeepsTheRecipientsTransport) {
    TransportPlan plan = planOffer(carrierSdp(), TransportRequest{}, browserOffer());
    EXPECT_EQ(plan.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_TRUE(plan.ice);
    EXPECT_TRUE(plan.dtls);
    EXPECT_FALSE(plan.sdes);
    EXPECT_TRUE(plan.rtcpMux);
    // ... and a browser's re-offer toward a carrier that answered plain RTP: rtcp-mux is offered as the browser
    // did, the rest is the carrier's.
    TransportPlan toCarrier = planOffer(browserOffer(), TransportRequest{}, carrierSdp());
    EXPECT_EQ(toCarrier.protocol, "RTP/AVP");
    EXPECT_FALSE(toCarrier.ice);
    EXPECT_FALSE(toCarrier.secure());
    EXPECT_TRUE(toCarrier.rtcpMux);
}

TEST(TransportPlanTest, TheKeysOfAReOfferStillDecide) {
    TransportRequest plain{
        .ice = IceRequest::Remove,
        .dtls = DtlsRequest::Off,
        .sdes = {.off = true, .only = {}, .excluded = {}},
        .protocol = "RTP/AVP",
        .rtcpMux = {.offer = false, .require = false, .demux = true, .accept = false, .reject = false}};
    TransportPlan plan = planOffer(carrierSdp(), plain, browserOffer());
    EXPECT_EQ(plan.protocol, "RTP/AVP");
    EXPECT_FALSE(plan.ice);
    EXPECT_FALSE(plan.secure());
    EXPECT_FALSE(plan.rtcpMux);
}

// An actpass re-offer is answered in the role rtcgate has: the DTLS association stays.
TEST(TransportPlanTest, AnActpassReOfferIsAnsweredInTheCurrentDtlsRole) {
    TransportPlan plan = planAnswer(browserOffer(), TransportRequest{}, dtls::DtlsRole::Server);
    ASSERT_TRUE(plan.dtlsRole);
    EXPECT_EQ(*plan.dtlsRole, dtls::DtlsRole::Server);
    EXPECT_EQ(plan.setup, dtls::SetupAttribute::Passive);
    // DTLS=active asks for the other role: a new association.
    TransportPlan active =
        planAnswer(browserOffer(), TransportRequest{.dtls = DtlsRequest::Active}, dtls::DtlsRole::Server);
    EXPECT_EQ(active.dtlsRole, dtls::DtlsRole::Client);
}

// OSRTP (RFC 8643): SRTP offered on RTP/AVP, when asked or passed on; an offerer's taken up only when accepted.
TEST(TransportPlanTest, OpportunisticSrtpIsOfferedOnRtpAvpAndAnsweredOnlyWhenAccepted) {
    TransportPlan asked = planOffer(carrierSdp(), TransportRequest{.osrtp = {.offer = true, .accept = false}});
    EXPECT_EQ(asked.protocol, "RTP/AVP");
    EXPECT_TRUE(asked.opportunistic && asked.sdes && asked.dtls);

    sdp::MediaTransport osrtp = carrierSdp();
    osrtp.crypto = {"1 AES_CM_128_HMAC_SHA1_80 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj"};
    TransportPlan passedOn = planOffer(osrtp, TransportRequest{});
    EXPECT_TRUE(passedOn.opportunistic && passedOn.sdes);
    EXPECT_EQ(passedOn.sdesOfferedFirst, std::vector<srtp::SrtpProfile>{srtp::SrtpProfile::AesCm128HmacSha1_80});
    EXPECT_FALSE(planOffer(carrierSdp(), TransportRequest{}).opportunistic);

    EXPECT_FALSE(planAnswer(osrtp, TransportRequest{}).secure());
    TransportPlan accepted = planAnswer(osrtp, TransportRequest{.osrtp = {.offer = false, .accept = true}});
    EXPECT_TRUE(accepted.sdes);
    EXPECT_EQ(accepted.protocol, "RTP/AVP");

    // An RTP/SAVP offerer bridged to RTP/AVP is plain toward the answerer, not OSRTP.
    sdp::MediaTransport savp = osrtp;
    savp.protocol = "RTP/SAVP";
    TransportPlan plain = planOffer(savp, TransportRequest{.protocol = "RTP/AVP"});
    EXPECT_FALSE(plain.opportunistic || plain.secure());
}

// rtpengine keys RTP/SAVP by DTLS when SDES is off, and offers DTLS beside SDES otherwise.
TEST(TransportPlanTest, RtpSavpOffersCarryDtlsBesideSdesAndAloneWithSdesOff) {
    TransportPlan both = planOffer(carrierSdp(), TransportRequest{.protocol = "RTP/SAVP"});
    EXPECT_TRUE(both.sdes && both.dtls);
    TransportPlan dtlsOnly = planOffer(
        carrierSdp(), TransportRequest{.sdes = {.off = true, .only = {}, .excluded = {}}, .protocol = "RTP/SAVP"});
    EXPECT_TRUE(dtlsOnly.dtls);
    EXPECT_FALSE(dtlsOnly.sdes);
    // An RTP/AVPF answer is asked for; the security stays the offer's.
    EXPECT_EQ(planAnswer(carrierSdp(), TransportRequest{.protocol = "RTP/AVPF"}).protocol, "RTP/AVPF");
    EXPECT_EQ(planAnswer(carrierSdp(), TransportRequest{.protocol = "RTP/SAVP"}).protocol, "RTP/AVP");
}

// Re-offers as rtpengine makes them: a party keyed by SDES alone is offered SDES alone, a party that has offered
// DTLS-SRTP alone is offered DTLS alone, whatever protocol the request names.
TEST(TransportPlanTest, ReOffersKeepAPartyOnTheKeyingItChose) {
    const TransportRequest savp{.protocol = "RTP/SAVP"};
    sdp::MediaTransport sdesAnswer{.protocol = "RTP/SAVP"};
    sdesAnswer.crypto = {"1 AES_CM_128_HMAC_SHA1_80 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk"};
    TransportPlan toSdesParty = planOffer(carrierSdp(), savp, sdesAnswer);
    EXPECT_TRUE(toSdesParty.sdes);
    EXPECT_FALSE(toSdesParty.dtls);
    // Asked for explicitly, DTLS is offered all the same.
    EXPECT_TRUE(
        planOffer(carrierSdp(), TransportRequest{.dtls = DtlsRequest::Passive, .protocol = "RTP/SAVP"}, sdesAnswer)
            .dtls);

    const TransportRequest savpf{.protocol = "RTP/SAVPF"};
    TransportPlan toBrowser = planOffer(carrierSdp(), savpf, browserOffer(), true);
    EXPECT_TRUE(toBrowser.dtls);
    EXPECT_FALSE(toBrowser.sdes);
    // A party that only answered with DTLS is still offered both (rtpengine 10.5).
    TransportPlan toAnswerer = planOffer(carrierSdp(), savpf, browserOffer(), false);
    EXPECT_TRUE(toAnswerer.dtls && toAnswerer.sdes);
}

} // namespace
} // namespace rtcgate::media
