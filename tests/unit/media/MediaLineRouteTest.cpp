// The route tables a MediaLine sets on its streams from the negotiation: what each stream does with
// each payload type of its party, and where it sends it.
#include "LoopbackPeer.hpp"

#include "rtcgate/media/Call.hpp"
#include "rtcgate/media/RouteTable.hpp"

#include <gtest/gtest.h>

namespace rtcgate::media {
namespace {

using testing::plainSdp;

// PCMA and telephone-event: answered to a PCMU offer, the line is transcoded.
std::string pcmaSdp(std::uint16_t port) {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio " +
           std::to_string(port) + " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
}

class MediaLineRouteTest : public ::testing::Test {
protected:
    MediaLineRouteTest()
        : ports_(43100, 43199), context_(io_, ports_, boost::asio::ip::make_address("127.0.0.1"), "127.0.0.1") {}

    void connect(const std::string& offer, const std::string& answer) {
        ASSERT_TRUE(call_.offer(testing::signal("A", "", offer)).ok());
        ASSERT_TRUE(call_.answer(testing::signal("A", "B", answer)).ok());
    }
    const MediaLine& line() const { return *mediaLineOf(call_.lines().at(0)); }
    // The route table of the RTP stream facing the party on `side` (A: 0, B: 1).
    const RouteTable& rtpRoutes(std::size_t side) const { return line().side(side).rtp().routes(); }

    boost::asio::io_context io_;
    net::PortPool ports_;
    MediaContext context_;
    Call call_{"routes", context_};
};

TEST_F(MediaLineRouteTest, APassedThroughLineForwardsAndFollowsTelephoneEvent) {
    connect(plainSdp(40000), plainSdp(40002));
    for (std::size_t side : {0U, 1U}) {
        const RouteTable& routes = rtpRoutes(side);
        const LineSide& other = line().side(MediaLine::other(side));
        EXPECT_EQ(routes.rtp[0], Route::Forward);
        EXPECT_EQ(routes.rtp[8], Route::Forward); // anything else the party sends goes through as it is
        EXPECT_EQ(routes.rtp[101], Route::FollowAndForward);
        EXPECT_EQ(routes.rtcp, Route::Forward);
        EXPECT_TRUE(routes.forwardRtp);
        EXPECT_EQ(routes.rtpTarget, &other.rtp());
        EXPECT_EQ(routes.rtcpTarget, &other.rtcp());
        EXPECT_EQ(routes.transcoder, nullptr);
        EXPECT_EQ(routes.reports, nullptr);
        EXPECT_EQ(routes.events, line().from(side).events());
        EXPECT_NE(routes.events, nullptr);
        // RTP on the RTCP port goes where RTCP goes.
        const RouteTable& rtcp = line().side(side).rtcp().routes();
        EXPECT_EQ(rtcp.rtp[0], Route::Forward);
        EXPECT_EQ(rtcp.rtpTarget, &other.rtcp());
        EXPECT_EQ(rtcp.rtcpTarget, &other.rtcp());
    }
}

TEST_F(MediaLineRouteTest, BlockDtmfFollowsAndDropsThePartysEventsOnly) {
    connect(plainSdp(40000), plainSdp(40002));
    ASSERT_TRUE(call_.setDtmfBlocked("A", true));
    EXPECT_EQ(rtpRoutes(0).rtp[101], Route::FollowAndBlock);
    EXPECT_EQ(rtpRoutes(0).rtp[0], Route::Forward);
    EXPECT_EQ(rtpRoutes(1).rtp[101], Route::FollowAndForward);
    ASSERT_TRUE(call_.setDtmfBlocked("A", false));
    EXPECT_EQ(rtpRoutes(0).rtp[101], Route::FollowAndForward);
}

TEST_F(MediaLineRouteTest, ATranscodedLineHandsAudioToTheTranscoderAndEndsRtcp) {
    connect(plainSdp(40000), pcmaSdp(40002));
    ASSERT_TRUE(line().transcoding());
    for (std::size_t side : {0U, 1U}) {
        const RouteTable& routes = rtpRoutes(side);
        const std::uint8_t codec = side == 0 ? 0 : 8;
        EXPECT_EQ(routes.rtp[codec], Route::Transcode);
        EXPECT_EQ(routes.rtp[13], Route::Transcode) << "the transcoder counts and drops other types";
        EXPECT_EQ(routes.rtp[101], Route::TranslateEvent);
        EXPECT_EQ(routes.rtcp, Route::Terminate);
        EXPECT_EQ(routes.rtcpTarget, nullptr);
        EXPECT_EQ(routes.transcoder, line().from(side).transcoder());
        EXPECT_NE(routes.transcoder, nullptr);
        EXPECT_EQ(routes.reports, line().side(side).reports());
        EXPECT_NE(routes.reports, nullptr);
        EXPECT_EQ(line().side(side).rtcp().routes().rtcp, Route::Terminate);
    }
}

TEST_F(MediaLineRouteTest, DirectionsGateRtpOnly) {
    connect(plainSdp(40000, "sendonly"), plainSdp(40002, "recvonly"));
    EXPECT_TRUE(rtpRoutes(0).forwardRtp);
    EXPECT_FALSE(rtpRoutes(1).forwardRtp);
    EXPECT_EQ(rtpRoutes(1).rtcp, Route::Forward);
    EXPECT_TRUE(line().side(1).rtcp().routes().forwardRtp);
}

TEST_F(MediaLineRouteTest, ADeletedCallBlocksEverything) {
    connect(plainSdp(40000), plainSdp(40002));
    call_.markDeleted();
    for (std::size_t side : {0U, 1U}) {
        for (const Stream* stream : {&line().side(side).rtp(), &line().side(side).rtcp()}) {
            EXPECT_EQ(stream->routes().rtp[0], Route::Block);
            EXPECT_EQ(stream->routes().rtcp, Route::Block);
            EXPECT_EQ(stream->routes().rtpTarget, nullptr);
        }
    }
}

} // namespace
} // namespace rtcgate::media
