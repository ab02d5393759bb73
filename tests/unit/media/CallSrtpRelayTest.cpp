// An SDES-SRTP party (RFC 4568) bridged to a plain RTP party in process: the
// media path unprotects and protects in place, drops what fails
// authentication, and still allocates nothing per packet.
#include "LoopbackPeer.hpp"
#include "RelayAllocationProbe.hpp"

#include "rtcgate/media/Call.hpp"
#include "rtcgate/media/CallSnapshot.hpp"
#include "rtcgate/srtp/CryptoAttribute.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace rtcgate::media {
namespace {

using testing::LoopbackPeer;
using testing::plainSdp;
using testing::rtpPacket;

constexpr srtp::SrtpProfile kProfile = srtp::SrtpProfile::AesCm128HmacSha1_80;

std::string sdesSdp(std::uint16_t port, const srtp::CryptoAttribute& crypto) {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio " +
           std::to_string(port) + " RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\na=crypto:" + crypto.toString() +
           "\r\n";
}

class CallSrtpRelayTest : public ::testing::Test {
protected:
    CallSrtpRelayTest()
        : ports_(43100, 43199), context_(io_, ports_, boost::asio::ip::make_address("127.0.0.1"), "127.0.0.1") {}

    // A (SDES) offers to B (plain, transport-protocol=RTP/AVP); B answers.
    void SetUp() override {
        Signal offer = testing::signal("A", "", sdesSdp(a_.port(), offered_));
        offer.transport.protocol = "RTP/AVP";
        auto toB = call_->offer(offer);
        ASSERT_TRUE(toB.ok()) << (toB.failure ? static_cast<int>(toB.failure->error) : -1);
        auto sdpForB = sdp::SessionDescription::parse(toB.sdp);
        ASSERT_TRUE(sdpForB);
        EXPECT_EQ(sdpForB->media[0].protocol, "RTP/AVP");
        EXPECT_TRUE(sdpForB->media[0].attributes("crypto").empty());
        portForB_ = sdpForB->media[0].port;

        auto toA = call_->answer(testing::signal("A", "B", plainSdp(b_.port())));
        ASSERT_TRUE(toA.ok()) << (toA.failure ? static_cast<int>(toA.failure->error) : -1);
        auto sdpForA = sdp::SessionDescription::parse(toA.sdp);
        ASSERT_TRUE(sdpForA);
        EXPECT_EQ(sdpForA->media[0].protocol, "RTP/SAVP");
        auto answered = sdpForA->media[0].attributes("crypto");
        ASSERT_EQ(answered.size(), 1U);
        auto crypto = srtp::CryptoAttribute::parse(answered[0]);
        ASSERT_TRUE(crypto);
        EXPECT_EQ(crypto->tag, offered_.tag);
        EXPECT_EQ(crypto->suite, kProfile);
        EXPECT_NE(crypto->keys[0].masterKey, offered_.keys[0].masterKey); // rtcgate's own key
        portForA_ = sdpForA->media[0].port;
        answered_ = *crypto;
        partyA_.emplace(kProfile, offered_.keys[0].masterKey, crypto->keys[0].masterKey);
    }

    std::vector<std::uint8_t> protect(std::vector<std::uint8_t> packet) {
        std::size_t length = packet.size();
        packet.resize(length + srtp::kSrtpMaxOverhead);
        EXPECT_EQ(partyA_->protectRtp(packet, length), srtp::SrtpStatus::Ok);
        packet.resize(length);
        return packet;
    }

    std::vector<std::vector<std::uint8_t>> receive(const LoopbackPeer& peer, std::size_t count) {
        return testing::receiveWhileRunning(io_, peer, count);
    }

    const TransportSnapshot& transportOfA() {
        snapshot_ = snapshotOf(*call_);
        EXPECT_TRUE(snapshot_.legs.at(0).medias.at(0).transport);
        return *snapshot_.legs.at(0).medias.at(0).transport;
    }

    boost::asio::io_context io_;
    net::PortPool ports_;
    MediaContext context_;
    std::unique_ptr<Call> call_ = std::make_unique<Call>("c1", context_);
    LoopbackPeer a_;
    LoopbackPeer b_;
    srtp::CryptoAttribute offered_ = srtp::CryptoAttribute::generate(3, kProfile);
    srtp::CryptoAttribute answered_;
    std::optional<srtp::SrtpSession> partyA_;
    std::uint16_t portForA_ = 0;
    std::uint16_t portForB_ = 0;
    CallSnapshot snapshot_;
};

TEST_F(CallSrtpRelayTest, SrtpFromTheSdesPartyArrivesAsPlainRtp) {
    auto plain = rtpPacket(11);
    a_.send(portForA_, protect(plain));
    auto got = receive(b_, 1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0], plain);
}

TEST_F(CallSrtpRelayTest, PlainRtpArrivesAtTheSdesPartyProtectedWithRtcgatesKey) {
    a_.send(portForA_, protect(rtpPacket(1))); // latches A's address
    ASSERT_EQ(receive(b_, 1).size(), 1U);
    auto plain = rtpPacket(21);
    b_.send(portForB_, plain);
    auto got = receive(a_, 1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_NE(got[0], plain);
    std::size_t length = got[0].size();
    ASSERT_EQ(partyA_->unprotectRtp(got[0], length), srtp::SrtpStatus::Ok);
    got[0].resize(length);
    EXPECT_EQ(got[0], plain);
}

// B's re-INVITE toward A, with no transport keys: A is offered SDES alone (no DTLS), the a=crypto in use first on
// its tag and key, the other suites after it on new tags (rtpengine's re-offer); A keeps its choice and the SRTP
// session goes on.
TEST_F(CallSrtpRelayTest, AReOfferLeadsWithTheCryptoInUseAndTheSessionGoesOn) {
    a_.send(portForA_, protect(rtpPacket(1)));
    ASSERT_EQ(receive(b_, 1).size(), 1U);

    auto toA = call_->offer(testing::signal("B", "A", plainSdp(b_.port())));
    ASSERT_TRUE(toA.ok());
    auto sdpForA = sdp::SessionDescription::parse(toA.sdp);
    ASSERT_TRUE(sdpForA);
    const auto& line = sdpForA->media[0];
    EXPECT_EQ(line.protocol, "RTP/SAVP");
    EXPECT_TRUE(line.attributes("fingerprint").empty());
    auto offered = line.attributes("crypto");
    ASSERT_GT(offered.size(), 1U);
    for (std::size_t i = 0; i < offered.size(); ++i) {
        auto crypto = srtp::CryptoAttribute::parse(offered[i]);
        ASSERT_TRUE(crypto) << offered[i];
        EXPECT_EQ(crypto->tag, answered_.tag + i);
        EXPECT_EQ(crypto->suite == kProfile, i == 0) << offered[i];
        if (i == 0) {
            EXPECT_EQ(crypto->keys[0].masterKey, answered_.keys[0].masterKey);
        }
    }

    ASSERT_TRUE(call_->answer(testing::signal("B", "A", sdesSdp(a_.port(), offered_))).ok());
    auto plain = rtpPacket(2);
    a_.send(portForA_, protect(plain));
    auto got = receive(b_, 1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0], plain);
}

// A muxes RTCP (its offer had a=rtcp-mux): B's RTCP, sent to rtcgated's port+1
// for B, reaches A from the one port A talks to, as SRTCP (RFC 5761).
TEST_F(CallSrtpRelayTest, RtcpFromThePlainPartyReachesTheMuxingPartyOnItsRtpPort) {
    a_.send(portForA_, protect(rtpPacket(1))); // latches A's address
    ASSERT_EQ(receive(b_, 1).size(), 1U);
    const std::vector<std::uint8_t> report{0x80, 201, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44}; // RR, no report blocks
    b_.send(static_cast<std::uint16_t>(portForB_ + 1), report);

    std::array<std::uint8_t, 2048> buffer{};
    sockaddr_in from{};
    ssize_t size = -1;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (size < 0 && std::chrono::steady_clock::now() < deadline) {
        io_.poll();
        socklen_t fromLength = sizeof from;
        size = ::recvfrom(a_.fd(), buffer.data(), buffer.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from),
                          &fromLength);
        if (size < 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    ASSERT_GT(size, 0);
    EXPECT_EQ(ntohs(from.sin_port), portForA_);
    std::size_t length = static_cast<std::size_t>(size);
    ASSERT_EQ(partyA_->unprotectRtcp(buffer, length), srtp::SrtpStatus::Ok);
    EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(length)), report);
}

TEST_F(CallSrtpRelayTest, TamperedAndReplayedSrtpIsDroppedAndCounted) {
    auto first = protect(rtpPacket(31));
    a_.send(portForA_, first);
    ASSERT_EQ(receive(b_, 1).size(), 1U);

    auto tampered = protect(rtpPacket(32));
    tampered[20] ^= 0x01U;
    a_.send(portForA_, tampered);
    a_.send(portForA_, first); // replayed
    EXPECT_TRUE(receive(b_, 1).empty());
    const auto& transport = transportOfA();
    EXPECT_EQ(transport.counters.srtpAuthFailed, 1U);
    EXPECT_EQ(transport.counters.srtpReplayed, 1U);
    EXPECT_EQ(transport.keying, Keying::Sdes);
    EXPECT_EQ(snapshot_.legs.at(0).medias.at(0).streams.at(0).stats.errors, 2U);

    a_.send(portForA_, protect(rtpPacket(33))); // and the stream goes on
    EXPECT_EQ(receive(b_, 1).size(), 1U);
}

TEST_F(CallSrtpRelayTest, UnprotectingAndRelayingAllocatesNothingPerPacket) {
    std::vector<std::vector<std::uint8_t>> packets;
    for (std::uint16_t sequence = 100; sequence < 1164; ++sequence) {
        packets.push_back(protect(rtpPacket(sequence)));
    }
    std::size_t next = 0;
    auto result =
        testing::countAllocationsWhileRelaying(io_, a_, portForA_, b_, [&] { return std::span(packets.at(next++)); });
    ASSERT_EQ(result.warmedUp, 64);
    EXPECT_EQ(result.relayed, 1000);
    EXPECT_EQ(result.allocations, 0U);
}

} // namespace
} // namespace rtcgate::media
