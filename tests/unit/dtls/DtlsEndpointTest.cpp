#include "rtcgate/dtls/DtlsEndpoint.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace rtcgate::dtls {
namespace {

using namespace std::chrono_literals;
using Clock = DtlsEndpoint::Clock;
using Datagrams = std::vector<std::vector<std::uint8_t>>;

Datagrams drain(DtlsEndpoint& endpoint) {
    Datagrams datagrams;
    while (const auto datagram = endpoint.nextOutgoing()) {
        datagrams.emplace_back(datagram->begin(), datagram->end());
    }
    return datagrams;
}

void deliver(const Datagrams& datagrams, DtlsEndpoint& to, Clock::time_point now) {
    for (const auto& datagram : datagrams) {
        to.onDatagram(datagram, now);
    }
}

// One side's identity and context, as one shard has them.
struct Side {
    explicit Side(DtlsContextOptions options = {})
        : certificate(Certificate::generate()), context(certificate, std::move(options)) {}

    Certificate certificate;
    DtlsContext context;
};

class DtlsEndpointTest : public ::testing::Test {
protected:
    void makeEndpoints(DtlsContextOptions clientOptions = {}, DtlsContextOptions serverOptions = {}) {
        clientSide_ = std::make_unique<Side>(std::move(clientOptions));
        serverSide_ = std::make_unique<Side>(std::move(serverOptions));
        client_ = std::make_unique<DtlsEndpoint>(clientSide_->context, DtlsRole::Client);
        server_ = std::make_unique<DtlsEndpoint>(serverSide_->context, DtlsRole::Server);
    }

    void exchangeFingerprints() {
        client_->setRemoteFingerprint(serverSide_->certificate.fingerprint(), now_);
        server_->setRemoteFingerprint(clientSide_->certificate.fingerprint(), now_);
    }

    // OpenSSL 3.0 compares its DTLS timer with the real clock: DTLS_set_timer_cb only sets the timeout's length.
    // The endpoint decides from the caller's clock when to call DTLSv1_handle_timeout, and a short first timeout
    // (kShortTimeout) keeps the real waits of the retransmission tests short.
    static constexpr auto kShortTimeout = 40ms;

    void startWithShortTimeout() {
        DtlsContextOptions shortTimeout;
        shortTimeout.initialRetransmitTimeout = kShortTimeout;
        makeEndpoints(shortTimeout, shortTimeout);
        exchangeFingerprints();
        server_->start(now_);
        client_->start(now_);
    }

    // Lets the first timeout pass, on the real clock and on the endpoints' clock.
    void waitPastShortTimeout() {
        std::this_thread::sleep_for(60ms);
        now_ += 60ms;
    }

    // Passes datagrams both ways until neither side has anything to send; returns how many were passed.
    std::size_t pump() {
        std::size_t passed = 0;
        for (int round = 0; round < 20; ++round) {
            const auto fromClient = drain(*client_);
            deliver(fromClient, *server_, now_);
            const auto fromServer = drain(*server_);
            deliver(fromServer, *client_, now_);
            passed += fromClient.size() + fromServer.size();
            if (fromClient.empty() && fromServer.empty()) {
                break;
            }
        }
        return passed;
    }

    void handshake() {
        exchangeFingerprints();
        server_->start(now_);
        client_->start(now_);
        pump();
    }

    void expectConnectedWithMatchingKeys() const {
        ASSERT_EQ(client_->state(), DtlsState::Connected) << client_->failureReason();
        ASSERT_EQ(server_->state(), DtlsState::Connected) << server_->failureReason();
        const auto& clientKeys = client_->keyMaterial();
        const auto& serverKeys = server_->keyMaterial();
        ASSERT_TRUE(clientKeys);
        ASSERT_TRUE(serverKeys);
        EXPECT_EQ(clientKeys->profile, serverKeys->profile);
        EXPECT_EQ(clientKeys->keys.local.key, serverKeys->keys.remote.key);
        EXPECT_EQ(clientKeys->keys.local.salt, serverKeys->keys.remote.salt);
        EXPECT_EQ(clientKeys->keys.remote.key, serverKeys->keys.local.key);
        EXPECT_EQ(clientKeys->keys.remote.salt, serverKeys->keys.local.salt);
        EXPECT_NE(clientKeys->keys.local.key, clientKeys->keys.remote.key);
        EXPECT_EQ(clientKeys->keys.local.key.size(), srtp::masterKeyLength(clientKeys->profile));
        EXPECT_EQ(clientKeys->keys.local.salt.size(), srtp::masterSaltLength(clientKeys->profile));
    }

    Clock::time_point now_ = Clock::now();
    std::unique_ptr<Side> clientSide_;
    std::unique_ptr<Side> serverSide_;
    std::unique_ptr<DtlsEndpoint> client_;
    std::unique_ptr<DtlsEndpoint> server_;
};

TEST_F(DtlsEndpointTest, HandshakeInMemoryConnectsBothSidesWithMirroredKeys) {
    makeEndpoints();
    EXPECT_EQ(client_->state(), DtlsState::New);
    handshake();
    expectConnectedWithMatchingKeys();
    // Both offer the default list, whose first choice is AEAD_AES_128_GCM.
    EXPECT_EQ(client_->keyMaterial()->profile, SrtpProfile::AeadAes128Gcm);
    EXPECT_EQ(client_->keyMaterial()->keys.local.salt.size(), 12U);
    EXPECT_FALSE(client_->cipherName().empty());
    EXPECT_EQ(client_->cipherName(), server_->cipherName());
    EXPECT_FALSE(client_->nextTimeout());
}

TEST_F(DtlsEndpointTest, EachSrtpProfileIsNegotiatedWhenThePeerOffersOnlyIt) {
    for (const auto profile :
         {SrtpProfile::AeadAes128Gcm, SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32}) {
        DtlsContextOptions only;
        only.srtpProfiles = {profile};
        // The client offers only this profile, the server supports all three.
        makeEndpoints(only, {});
        handshake();
        expectConnectedWithMatchingKeys();
        EXPECT_EQ(client_->keyMaterial()->profile, profile) << srtp::dtlsProfileName(profile);
        // And the other way round.
        makeEndpoints({}, only);
        handshake();
        expectConnectedWithMatchingKeys();
        EXPECT_EQ(server_->keyMaterial()->profile, profile) << srtp::dtlsProfileName(profile);
    }
}

TEST_F(DtlsEndpointTest, NoCommonSrtpProfileFailsWithoutKeys) {
    DtlsContextOptions gcmOnly;
    gcmOnly.srtpProfiles = {SrtpProfile::AeadAes128Gcm};
    DtlsContextOptions sha32Only;
    sha32Only.srtpProfiles = {SrtpProfile::AesCm128HmacSha1_32};
    makeEndpoints(gcmOnly, sha32Only);
    handshake();
    EXPECT_NE(client_->state(), DtlsState::Connected);
    EXPECT_FALSE(client_->keyMaterial());
    EXPECT_FALSE(server_->keyMaterial());
}

TEST_F(DtlsEndpointTest, WrongFingerprintOnTheServerSideFailsWithoutKeys) {
    makeEndpoints();
    const auto stranger = Certificate::generate();
    client_->setRemoteFingerprint(serverSide_->certificate.fingerprint(), now_);
    server_->setRemoteFingerprint(stranger.fingerprint(), now_);
    server_->start(now_);
    client_->start(now_);
    pump();
    EXPECT_EQ(server_->state(), DtlsState::Failed);
    EXPECT_FALSE(server_->keyMaterial());
    EXPECT_NE(server_->failureReason().find("fingerprint"), std::string::npos) << server_->failureReason();
    EXPECT_NE(client_->state(), DtlsState::Connected);
    EXPECT_FALSE(client_->keyMaterial());
}

TEST_F(DtlsEndpointTest, WrongFingerprintOnTheClientSideFailsWithoutKeys) {
    makeEndpoints();
    const auto stranger = Certificate::generate();
    client_->setRemoteFingerprint(stranger.fingerprint(), now_);
    server_->setRemoteFingerprint(clientSide_->certificate.fingerprint(), now_);
    server_->start(now_);
    client_->start(now_);
    pump();
    EXPECT_EQ(client_->state(), DtlsState::Failed);
    EXPECT_FALSE(client_->keyMaterial());
    EXPECT_NE(client_->failureReason().find("fingerprint"), std::string::npos) << client_->failureReason();
    EXPECT_FALSE(server_->keyMaterial());
}

TEST_F(DtlsEndpointTest, FingerprintWithAnotherHashIsCheckedWithThatHash) {
    makeEndpoints();
    client_->setRemoteFingerprint(Fingerprint::of(*serverSide_->certificate.x509(), HashAlgorithm::Sha1), now_);
    server_->setRemoteFingerprint(Fingerprint::of(*clientSide_->certificate.x509(), HashAlgorithm::Sha512), now_);
    server_->start(now_);
    client_->start(now_);
    pump();
    expectConnectedWithMatchingKeys();
}

TEST_F(DtlsEndpointTest, EarlyClientHelloIsHeldUntilTheFingerprintArrives) {
    makeEndpoints();
    client_->setRemoteFingerprint(serverSide_->certificate.fingerprint(), now_);
    server_->start(now_);
    client_->start(now_);
    // The browser's ClientHello reaches the gateway before the answer SDP does.
    const auto clientHello = drain(*client_);
    ASSERT_FALSE(clientHello.empty());
    deliver(clientHello, *server_, now_);
    EXPECT_FALSE(server_->nextOutgoing());
    EXPECT_EQ(server_->state(), DtlsState::Connecting);

    server_->setRemoteFingerprint(clientSide_->certificate.fingerprint(), now_);
    EXPECT_GT(pump(), 0U);
    expectConnectedWithMatchingKeys();
    EXPECT_EQ(client_->retransmissions(), 0U);
}

TEST_F(DtlsEndpointTest, DatagramsBeyondTheHoldLimitAreDroppedAndCounted) {
    makeEndpoints();
    server_->start(now_);
    client_->setRemoteFingerprint(serverSide_->certificate.fingerprint(), now_);
    client_->start(now_);
    const auto clientHello = drain(*client_);
    ASSERT_EQ(clientHello.size(), 1U);
    for (std::size_t i = 0; i < DtlsEndpoint::kMaxHeldDatagrams + 3; ++i) {
        server_->onDatagram(clientHello[0], now_);
    }
    EXPECT_EQ(server_->droppedHeldDatagrams(), 3U);
    // The held copies of the ClientHello are duplicates: the handshake still completes.
    server_->setRemoteFingerprint(clientSide_->certificate.fingerprint(), now_);
    pump();
    expectConnectedWithMatchingKeys();
}

TEST_F(DtlsEndpointTest, DroppedFlightIsRetransmittedOnTickAfterItsTimeout) {
    startWithShortTimeout();
    ASSERT_FALSE(drain(*client_).empty()); // the ClientHello is lost
    ASSERT_TRUE(client_->nextTimeout());
    EXPECT_EQ(*client_->nextTimeout(), now_ + 40ms);

    client_->onTick(now_ + 20ms);
    EXPECT_FALSE(client_->nextOutgoing());
    EXPECT_EQ(client_->retransmissions(), 0U);

    waitPastShortTimeout();
    client_->onTick(now_);
    EXPECT_EQ(client_->retransmissions(), 1U);
    // The timeout doubles for the next retransmission (RFC 6347 section 4.2.4.1).
    ASSERT_TRUE(client_->nextTimeout());
    EXPECT_EQ(*client_->nextTimeout(), now_ + 80ms);
    EXPECT_GT(pump(), 0U);
    expectConnectedWithMatchingKeys();
}

TEST_F(DtlsEndpointTest, DroppedServerFlightIsRetransmittedAfterTheClientRetransmits) {
    startWithShortTimeout();
    deliver(drain(*client_), *server_, now_);
    ASSERT_FALSE(drain(*server_).empty()); // the server's flight is lost

    waitPastShortTimeout();
    client_->onTick(now_);
    EXPECT_EQ(client_->retransmissions(), 1U);
    EXPECT_GT(pump(), 0U);
    expectConnectedWithMatchingKeys();
}

TEST_F(DtlsEndpointTest, LostFinalFlightIsResentByTheConnectedServer) {
    startWithShortTimeout();
    deliver(drain(*client_), *server_, now_); // ClientHello
    deliver(drain(*server_), *client_, now_); // ServerHello .. ServerHelloDone
    deliver(drain(*client_), *server_, now_); // Certificate .. Finished
    ASSERT_EQ(server_->state(), DtlsState::Connected);
    ASSERT_FALSE(drain(*server_).empty()); // ChangeCipherSpec, Finished: lost
    EXPECT_EQ(client_->state(), DtlsState::Connecting);

    waitPastShortTimeout();
    client_->onTick(now_);
    EXPECT_EQ(client_->retransmissions(), 1U);
    EXPECT_GT(pump(), 0U);
    expectConnectedWithMatchingKeys();
}

// Malformed records are what this covers. A well-formed epoch-0 handshake record with an unexpected message is a
// protocol violation that OpenSSL answers with a fatal alert, as DTLS 1.2 leaves epoch 0 unauthenticated.
TEST_F(DtlsEndpointTest, GarbageDatagramsAreCountedAndDoNotBreakAHandshakeInProgress) {
    makeEndpoints();
    exchangeFingerprints();
    server_->start(now_);
    client_->start(now_);
    const std::vector<std::vector<std::uint8_t>> garbage{
        {},
        {22},
        {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3},          // length beyond the datagram
        {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 0xde, 0xad, 0xbe, 0xef}, // epoch 1 data with no keys
        {22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef}, // TLS, not DTLS, version
        {30, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef}, // unknown content type
        {0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},                          // RTP
        std::vector<std::uint8_t>(1500, 0x16),
    };
    for (const auto& datagram : garbage) {
        server_->onDatagram(datagram, now_);
        client_->onDatagram(datagram, now_);
    }
    EXPECT_GE(server_->malformedDatagrams(), 3U);
    EXPECT_EQ(server_->state(), DtlsState::Connecting);
    EXPECT_EQ(client_->state(), DtlsState::Connecting);
    // Garbage in between the flights as well.
    for (int round = 0; round < 10 && client_->state() != DtlsState::Connected; ++round) {
        for (const auto& datagram : drain(*client_)) {
            server_->onDatagram(garbage[3], now_);
            server_->onDatagram(datagram, now_);
        }
        for (const auto& datagram : drain(*server_)) {
            client_->onDatagram(garbage[4], now_);
            client_->onDatagram(datagram, now_);
        }
    }
    pump();
    expectConnectedWithMatchingKeys();

    for (const auto& datagram : garbage) {
        server_->onDatagram(datagram, now_);
    }
    EXPECT_EQ(server_->state(), DtlsState::Connected);
    EXPECT_TRUE(server_->keyMaterial());
}

// Before the keys nothing tells the peer's alert from a stranger's (RFC 6347 section 4.1.2.7), and OpenSSL would end
// the handshake on a fatal one or on a handshake fragment that does not fit its message.
TEST_F(DtlsEndpointTest, PlaintextAlertsAndBrokenFragmentsDuringTheHandshakeAreDiscarded) {
    makeEndpoints();
    exchangeFingerprints();
    server_->start(now_);
    client_->start(now_);
    const std::vector<std::vector<std::uint8_t>> forged{
        {21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 2, 40}, // fatal handshake_failure
        {21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 1, 0},  // close_notify
        {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 14,        // a ServerHello fragment beyond its message
         2,  0,    0,    4, 0, 0, 0, 0, 3, 0, 0, 2, 7,  7},
        {20, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 9}, // change_cipher_spec of another value
    };
    for (int round = 0; round < 10 && client_->state() != DtlsState::Connected; ++round) {
        for (const auto& datagram : drain(*client_)) {
            deliver(forged, *server_, now_);
            server_->onDatagram(datagram, now_);
        }
        for (const auto& datagram : drain(*server_)) {
            deliver(forged, *client_, now_);
            client_->onDatagram(datagram, now_);
        }
    }
    pump();
    expectConnectedWithMatchingKeys();
    EXPECT_GE(server_->discardedAlerts(), 2U);
    EXPECT_GE(client_->discardedAlerts(), 2U);
    EXPECT_GE(server_->malformedDatagrams(), 2U);
}

TEST_F(DtlsEndpointTest, OutgoingDatagramsStayWithinTheMtu) {
    DtlsContextOptions smallMtu;
    smallMtu.mtu = 400;
    makeEndpoints(smallMtu, smallMtu);
    exchangeFingerprints();
    server_->start(now_);
    client_->start(now_);
    std::size_t largest = 0;
    for (int round = 0; round < 20 && client_->state() != DtlsState::Connected; ++round) {
        for (const auto& datagram : drain(*client_)) {
            largest = std::max(largest, datagram.size());
            server_->onDatagram(datagram, now_);
        }
        for (const auto& datagram : drain(*server_)) {
            largest = std::max(largest, datagram.size());
            client_->onDatagram(datagram, now_);
        }
    }
    expectConnectedWithMatchingKeys();
    EXPECT_LE(largest, 400U);
    EXPECT_GT(largest, 100U);
}

TEST_F(DtlsEndpointTest, CloseNotifyClosesThePeer) {
    makeEndpoints();
    handshake();
    expectConnectedWithMatchingKeys();
    client_->close();
    EXPECT_EQ(client_->state(), DtlsState::Closed);
    const auto closeNotify = drain(*client_);
    ASSERT_FALSE(closeNotify.empty());
    deliver(closeNotify, *server_, now_);
    EXPECT_EQ(server_->state(), DtlsState::Closed);
}

} // namespace
} // namespace rtcgate::dtls
