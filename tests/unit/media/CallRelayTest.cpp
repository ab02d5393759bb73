// A call relayed in process: real loopback sockets, the shard's io_context
// run on the test thread.
#include "LoopbackPeer.hpp"
#include "RelayAllocationProbe.hpp"

#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/media/Call.hpp"
#include "rtcgate/media/CallSnapshot.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <span>
#include <thread>

namespace rtcgate::media {
namespace {

using testing::LoopbackPeer;
using testing::plainSdp;
using testing::rtpPacket;

std::uint16_t audioPort(const std::string& sdpText) {
    auto sdp = sdp::SessionDescription::parse(sdpText);
    EXPECT_TRUE(sdp.has_value());
    return sdp ? sdp->media.at(0).port : 0;
}

class CallRelayTest : public ::testing::Test {
protected:
    CallRelayTest()
        : ports_(43000, 43099), context_(io_, ports_, boost::asio::ip::make_address("127.0.0.1"), "127.0.0.1") {}

    // Offer from A, answer from B; returns false if either failed.
    bool connect(const std::string& offerSdp, const std::string& answerSdp, bool strict = false) {
        auto offered = call_->offer(testing::signal("A", "", offerSdp, strict));
        if (!offered.ok()) {
            return false;
        }
        portForB_ = audioPort(offered.sdp);
        auto answered = call_->answer(testing::signal("A", "B", answerSdp));
        if (!answered.ok()) {
            return false;
        }
        portForA_ = audioPort(answered.sdp);
        return true;
    }

    std::vector<std::vector<std::uint8_t>> receive(const LoopbackPeer& peer, std::size_t count) {
        return testing::receiveWhileRunning(io_, peer, count);
    }

    // Lets in-flight datagrams land and be handled.
    void settle() {
        for (int i = 0; i < 20; ++i) {
            io_.poll();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    const StreamStats& statsOf(const std::string& tag, Component component) {
        snapshot_ = snapshotOf(*call_);
        for (const auto& leg : snapshot_.legs) {
            if (leg.tag == tag) {
                return leg.medias.at(0).streams.at(component == Component::Rtp ? 0 : 1).stats;
            }
        }
        throw std::runtime_error("no leg " + tag);
    }

    boost::asio::io_context io_;
    net::PortPool ports_;
    MediaContext context_;
    std::unique_ptr<Call> call_ = std::make_unique<Call>("call-1", context_);
    CallSnapshot snapshot_;
    LoopbackPeer a_;
    LoopbackPeer b_;
    std::uint16_t portForA_ = 0; // rtcgate's port that A sends to
    std::uint16_t portForB_ = 0;
};

TEST_F(CallRelayTest, RelaysRtpBothWaysUnchangedAndInOrder) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    ASSERT_NE(portForA_, portForB_);
    for (std::uint16_t seq = 0; seq < 20; ++seq) {
        a_.send(portForA_, rtpPacket(seq));
    }
    auto atB = receive(b_, 20);
    ASSERT_EQ(atB.size(), 20U);
    for (std::uint16_t seq = 0; seq < 20; ++seq) {
        EXPECT_EQ(atB[seq], rtpPacket(seq));
    }
    for (std::uint16_t seq = 100; seq < 120; ++seq) {
        b_.send(portForB_, rtpPacket(seq, 8, 80));
    }
    auto atA = receive(a_, 20);
    ASSERT_EQ(atA.size(), 20U);
    EXPECT_EQ(atA.front(), rtpPacket(100, 8, 80));
    EXPECT_EQ(statsOf("A", Component::Rtp).packets, 20U);
    EXPECT_EQ(statsOf("A", Component::Rtp).bytes, 20U * 172U);
    EXPECT_EQ(statsOf("B", Component::Rtp).packets, 20U);
    EXPECT_EQ(call_->totals().packets, 40U);
    EXPECT_EQ(call_->totals().bytes, 20U * 172U + 20U * 92U);
    EXPECT_EQ(call_->totals().errors, 0U);
}

TEST_F(CallRelayTest, RelaysRtcpBetweenTheOddPorts) {
    LoopbackPeer aRtcp;
    LoopbackPeer bRtcp;
    std::string offer = plainSdp(a_.port()) + "a=rtcp:" + std::to_string(aRtcp.port()) + "\r\n";
    std::string answer = plainSdp(b_.port()) + "a=rtcp:" + std::to_string(bRtcp.port()) + "\r\n";
    ASSERT_TRUE(connect(offer, answer));
    aRtcp.send(portForA_ + 1, testing::rtcpReceiverReport());
    auto atB = receive(bRtcp, 1);
    ASSERT_EQ(atB.size(), 1U);
    EXPECT_EQ(atB[0], testing::rtcpReceiverReport());
    bRtcp.send(portForB_ + 1, testing::rtcpReceiverReport());
    EXPECT_EQ(receive(aRtcp, 1).size(), 1U);
    EXPECT_EQ(statsOf("A", Component::Rtcp).packets, 1U);
    EXPECT_EQ(statsOf("A", Component::Rtp).packets, 0U);
}

TEST_F(CallRelayTest, LatchesToWhereThePartyReallySendsFrom) {
    LoopbackPeer bAdvertised; // what B's SDP says; B really sends from b_
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(bAdvertised.port())));
    a_.send(portForA_, rtpPacket(1));
    EXPECT_EQ(receive(bAdvertised, 1).size(), 1U);

    b_.send(portForB_, rtpPacket(2));
    ASSERT_EQ(receive(a_, 1).size(), 1U);
    a_.send(portForA_, rtpPacket(3));
    auto atReal = receive(b_, 1);
    ASSERT_EQ(atReal.size(), 1U);
    EXPECT_EQ(atReal[0], rtpPacket(3));
    EXPECT_FALSE(bAdvertised.tryReceive().has_value());
}

TEST_F(CallRelayTest, StrictSourceDropsAndCountsForeignPackets) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port()), /*strict=*/true));
    a_.send(portForA_, rtpPacket(1));
    ASSERT_EQ(receive(b_, 1).size(), 1U);
    LoopbackPeer intruder;
    intruder.send(portForA_, rtpPacket(2));
    intruder.send(portForA_, rtpPacket(3));
    settle();
    EXPECT_FALSE(b_.tryReceive().has_value());
    EXPECT_EQ(statsOf("A", Component::Rtp).errors, 2U);
    EXPECT_EQ(statsOf("A", Component::Rtp).packets, 1U);
}

TEST_F(CallRelayTest, WithoutStrictSourceForeignPacketsAreForwarded) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    a_.send(portForA_, rtpPacket(1));
    ASSERT_EQ(receive(b_, 1).size(), 1U);
    LoopbackPeer other;
    other.send(portForA_, rtpPacket(2));
    EXPECT_EQ(receive(b_, 1).size(), 1U);
    EXPECT_EQ(statsOf("A", Component::Rtp).errors, 0U);
}

TEST_F(CallRelayTest, MalformedPacketsAreDroppedAndCounted) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    a_.send(portForA_, {0x80, 0x00, 0x01}); // shorter than any header
    auto versionOne = rtpPacket(1);
    versionOne[0] = 0x40;
    a_.send(portForA_, versionOne);
    auto badCsrc = rtpPacket(2, 0, 0);
    badCsrc[0] = 0x8F; // 15 CSRCs announced, none present
    a_.send(portForA_, badCsrc);
    auto padded = rtpPacket(3, 0, 20);
    padded[0] |= 0x20U; // padding of 200 octets in a packet of 32
    padded.back() = 200;
    a_.send(portForA_, padded);
    settle();
    EXPECT_FALSE(b_.tryReceive().has_value());
    EXPECT_EQ(statsOf("A", Component::Rtp).errors, 4U);

    // RTCP whose length says 3 words more than the datagram has, and a compound with a stray octet after it.
    std::vector<std::uint8_t> longReport{0x80, 201, 0x00, 0x04, 0, 0, 0, 1};
    std::vector<std::uint8_t> trailing{0x80, 201, 0x00, 0x01, 0, 0, 0, 1, 0xAA};
    a_.send(static_cast<std::uint16_t>(portForA_ + 1), longReport);
    a_.send(static_cast<std::uint16_t>(portForA_ + 1), trailing);
    settle();
    EXPECT_EQ(statsOf("A", Component::Rtcp).errors, 2U);
    EXPECT_EQ(statsOf("A", Component::Rtcp).packets, 0U);
}

TEST_F(CallRelayTest, HoldStopsMediaTowardTheHolderAndResumeRestartsIt) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    auto reoffer = [&](const std::string& direction) {
        auto result = call_->offer(testing::signal("A", "B", plainSdp(a_.port(), direction)));
        EXPECT_TRUE(result.ok());
        EXPECT_EQ(audioPort(result.sdp), portForB_);
    };
    reoffer("sendonly");
    b_.send(portForB_, rtpPacket(1));
    a_.send(portForA_, rtpPacket(2));
    EXPECT_EQ(receive(b_, 1).size(), 1U); // A still sends
    settle();
    EXPECT_FALSE(a_.tryReceive().has_value());
    EXPECT_EQ(statsOf("B", Component::Rtp).blocked, 1U);

    reoffer("inactive");
    a_.send(portForA_, rtpPacket(3));
    settle();
    EXPECT_FALSE(b_.tryReceive().has_value());

    reoffer("sendrecv");
    b_.send(portForB_, rtpPacket(4));
    a_.send(portForA_, rtpPacket(5));
    EXPECT_EQ(receive(a_, 1).size(), 1U);
    EXPECT_EQ(receive(b_, 1).size(), 1U);
}

TEST_F(CallRelayTest, ReofferKeepsPortsAndBumpsTheVersionOnlyOnChange) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    auto reoffer = [&](const std::string& sdpText) { return call_->offer(testing::signal("A", "B", sdpText)); };
    auto first = reoffer(plainSdp(a_.port()));
    auto again = reoffer(plainSdp(a_.port()));
    EXPECT_EQ(first.sdp, again.sdp);
    auto changed = reoffer(plainSdp(a_.port(), "sendonly"));
    EXPECT_EQ(audioPort(changed.sdp), portForB_);
    EXPECT_NE(changed.sdp.find("o=- 1 2 IN IP4"), std::string::npos) << changed.sdp;
    EXPECT_NE(first.sdp.find("o=- 1 1 IN IP4"), std::string::npos) << first.sdp;
}

// A party that joins in another's place (a transfer: a new to-tag toward the same offerer) gets ports of its own,
// as rtpengine gives them: the one who left can no longer reach the call.
TEST_F(CallRelayTest, APartyThatJoinsInAnothersPlaceTakesItsSideOnPortsOfItsOwn) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    LoopbackPeer c;
    auto toC = call_->offer(testing::signal("A", "C", plainSdp(a_.port())));
    ASSERT_TRUE(toC.ok());
    const auto portForC = audioPort(toC.sdp);
    EXPECT_NE(portForC, portForB_);
    ASSERT_TRUE(call_->answer(testing::signal("A", "C", plainSdp(c.port()))).ok());
    settle();
    EXPECT_EQ(ports_.available(), ports_.capacity() - 2); // B's pair went back

    b_.send(portForB_, rtpPacket(3)); // the one who left: its port is closed
    a_.send(portForA_, rtpPacket(1));
    ASSERT_EQ(receive(c, 1).size(), 1U);
    c.send(portForC, rtpPacket(2));
    const auto atA = receive(a_, 1);
    ASSERT_EQ(atA.size(), 1U);
    EXPECT_EQ(atA[0], rtpPacket(2));

    const CallSnapshot snapshot = snapshotOf(*call_);
    ASSERT_EQ(snapshot.legs.size(), 3U);
    for (const auto& leg : snapshot.legs) {
        EXPECT_EQ(leg.medias.size(), leg.tag == "B" ? 0U : 1U) << leg.tag;
        EXPECT_EQ(leg.peerTag, leg.tag == "A" ? "C" : "A") << leg.tag;
    }
}

TEST_F(CallRelayTest, DeclinesNonAudioLines) {
    std::string offer = plainSdp(a_.port()) + "m=video 9000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n";
    auto result = call_->offer(testing::signal("A", "", offer));
    ASSERT_TRUE(result.ok());
    auto out = sdp::SessionDescription::parse(result.sdp);
    ASSERT_TRUE(out);
    ASSERT_EQ(out->media.size(), 2U);
    EXPECT_NE(out->media[0].port, 0);
    EXPECT_EQ(out->media[1].port, 0);
    EXPECT_EQ(ports_.available(), ports_.capacity() - 2);
}

TEST_F(CallRelayTest, EqualDeclinedLinesShareOneRecordAndQueryStillNamesThem) {
    std::string offer = plainSdp(a_.port());
    for (int i = 0; i < 100; ++i) {
        offer += "m=audio 0 RTP/AVP 0 8 9 18 96 97 98 99 101\r\n";
    }
    offer += "m=video 0 RTP/SAVPF 96\r\n";
    ASSERT_TRUE(connect(offer, offer));
    const auto& lines = call_->lines();
    ASSERT_EQ(lines.size(), 102U);
    ASSERT_NE(mediaLineOf(lines[0]), nullptr);
    const DeclinedLine* shared = declinedLineOf(lines[1])->get();
    ASSERT_NE(shared, nullptr);
    for (std::size_t i = 1; i <= 100; ++i) {
        ASSERT_EQ(mediaLineOf(lines[i]), nullptr) << i;
        EXPECT_EQ(declinedLineOf(lines[i])->get(), shared) << i;
    }
    const DeclinedLine* video = declinedLineOf(lines[101])->get();
    ASSERT_NE(video, nullptr);
    EXPECT_NE(video, shared);
    EXPECT_EQ(ports_.available(), ports_.capacity() - 2);

    const CallSnapshot snapshot = snapshotOf(*call_);
    ASSERT_EQ(snapshot.legs.size(), 2U);
    for (const auto& leg : snapshot.legs) {
        ASSERT_EQ(leg.medias.size(), 102U) << leg.tag;
        EXPECT_EQ(leg.medias[0].streams.size(), 2U);
        EXPECT_EQ(leg.medias[50].index, 51U);
        EXPECT_EQ(leg.medias[50].type, "audio");
        EXPECT_EQ(leg.medias[50].protocol, "RTP/AVP");
        EXPECT_EQ(leg.medias[50].direction, "sendrecv");
        EXPECT_TRUE(leg.medias[50].streams.empty());
        EXPECT_EQ(leg.medias[101].type, "video");
        EXPECT_EQ(leg.medias[101].protocol, "RTP/SAVPF");
    }
}

TEST_F(CallRelayTest, ADeclinedLineThatAReOfferGivesAPortIsRelayed) {
    const std::string declined = plainSdp(a_.port()) + "m=audio 0 RTP/AVP 8\r\n";
    ASSERT_TRUE(connect(declined, plainSdp(b_.port()) + "m=audio 0 RTP/AVP 8\r\n"));
    ASSERT_EQ(mediaLineOf(call_->lines().at(1)), nullptr);

    LoopbackPeer a2;
    const std::string accepted = plainSdp(a_.port()) + "m=audio " + std::to_string(a2.port()) + " RTP/AVP 8\r\n";
    auto reOffer = call_->offer(testing::signal("A", "B", accepted));
    ASSERT_TRUE(reOffer.ok());
    const MediaLine* line = mediaLineOf(call_->lines().at(1));
    ASSERT_NE(line, nullptr);
    EXPECT_TRUE(line->side(0).relayed());
    EXPECT_EQ(line->side(1).description.type, "audio");
    auto out = sdp::SessionDescription::parse(reOffer.sdp);
    ASSERT_TRUE(out);
    EXPECT_NE(out->media.at(1).port, 0);
    EXPECT_EQ(ports_.available(), ports_.capacity() - 4);
}

// An RFC 4733 packet of event 5 from B's stream (payload type 101 of plainSdp).
std::vector<std::uint8_t> digitPacket(std::uint16_t sequence, std::uint16_t duration, bool end) {
    std::vector<std::uint8_t> p = rtpPacket(sequence, 101, 4);
    const std::uint32_t timestamp = 8000;
    for (int i = 0; i < 4; ++i) {
        p[4 + i] = static_cast<std::uint8_t>(timestamp >> (24 - 8 * i));
    }
    p[1] |= sequence == 1 ? 0x80 : 0x00; // the marker on the event's first packet
    dtmf::TelephoneEvent{.event = 5, .end = end, .volume = 10, .duration = duration}.write(std::span(p).subspan(12));
    return p;
}

TEST_F(CallRelayTest, AShardStarvedPastTheLostEndTimeoutReadsADigitsPacketsBeforeEndingIt) {
    auto offer = testing::signal("A", "", plainSdp(a_.port()));
    offer.codec.forceTranscoding = true; // B's events are re-sent on rtcgated's own stream toward A
    auto offered = call_->offer(offer);
    ASSERT_TRUE(offered.ok());
    portForB_ = audioPort(offered.sdp);
    ASSERT_TRUE(call_->answer(testing::signal("A", "B", plainSdp(b_.port()))).ok());
    const auto endsToward = [&](const LoopbackPeer& peer) {
        int ends = 0;
        while (auto packet = peer.tryReceive()) {
            const rtp::RtpPacket rtp(*packet);
            const auto event = rtp.payloadType() == 101 ? dtmf::TelephoneEvent::parse(rtp.payload()) : std::nullopt;
            ends += event && event->end ? 1 : 0;
        }
        return ends;
    };

    b_.send(portForB_, digitPacket(1, 160, false));
    settle();
    call_->onMediaTick(Clock::now());
    EXPECT_EQ(endsToward(a_), 0);

    // The shard gets no CPU for longer than the translator's lost-end timeout (250 ms), while B's next packet of
    // the same digit arrives: the tick that comes at last must read it, not end the digit.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    b_.send(portForB_, digitPacket(2, 2560, false));
    call_->onMediaTick(Clock::now());
    EXPECT_EQ(endsToward(a_), 0) << "the digit was ended while its packet waited unread";

    b_.send(portForB_, digitPacket(3, 2720, true));
    settle();
    call_->onMediaTick(Clock::now());
    EXPECT_GT(endsToward(a_), 0) << "its end packet ends it";
}

TEST_F(CallRelayTest, DestroyingTheCallReturnsItsPorts) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    EXPECT_EQ(ports_.available(), ports_.capacity() - 2);
    call_.reset();
    settle();
    EXPECT_EQ(ports_.available(), ports_.capacity());
}

TEST_F(CallRelayTest, AnOfferFailsCleanlyWhenThePortsRunOut) {
    net::PortPool tiny(43200, 43201); // one pair: a call needs two
    MediaContext context(io_, tiny, boost::asio::ip::make_address("127.0.0.1"), "127.0.0.1");
    Call call("call-2", context);
    auto result = call.offer(testing::signal("A", "", plainSdp(a_.port())));
    EXPECT_FALSE(result.ok());
    ASSERT_TRUE(result.failure);
    EXPECT_EQ(result.failure->error, CallError::OutOfPorts);
}

TEST_F(CallRelayTest, RelayingAllocatesNothingPerPacket) {
    ASSERT_TRUE(connect(plainSdp(a_.port()), plainSdp(b_.port())));
    auto packet = rtpPacket(7);
    auto result = testing::countAllocationsWhileRelaying(io_, a_, portForA_, b_, [&] { return std::span(packet); });
    ASSERT_EQ(result.warmedUp, 64);
    EXPECT_EQ(result.relayed, 1000);
    EXPECT_EQ(result.allocations, 0U);
}

} // namespace
} // namespace rtcgate::media
