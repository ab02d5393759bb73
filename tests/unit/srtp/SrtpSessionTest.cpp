#include "rtcgate/srtp/SrtpSession.hpp"

#include "AllocationCounter.hpp"
#include "SrtpKeys.hpp"

#include "rtcgate/dtls/SrtpKeyMaterial.hpp"

#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace rtcgate::srtp;

constexpr std::size_t kRtpPacketSize = 172; // 12-byte header + 160 bytes of G.711, 20 ms
constexpr std::size_t kRtcpPacketSize = 28; // a sender report with no report block

// A buffer holding one packet with room for what protection appends.
struct Packet {
    std::vector<std::uint8_t> buffer;
    std::size_t length = 0;

    std::span<std::uint8_t> span() { return buffer; }
    std::vector<std::uint8_t> bytes() const {
        return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(length)};
    }
};

void write32(std::vector<std::uint8_t>& buffer, std::size_t at, std::uint32_t value) {
    for (std::size_t index = 0; index < 4; ++index) {
        buffer[at + index] = static_cast<std::uint8_t>(value >> (24 - 8 * index));
    }
}

Packet makeRtp(std::uint16_t sequenceNumber, std::uint32_t ssrc = 0x11223344) {
    Packet packet{std::vector<std::uint8_t>(kRtpPacketSize + kSrtpMaxOverhead), kRtpPacketSize};
    packet.buffer[0] = 0x80; // V=2
    packet.buffer[1] = 0;    // PCMU
    packet.buffer[2] = static_cast<std::uint8_t>(sequenceNumber >> 8);
    packet.buffer[3] = static_cast<std::uint8_t>(sequenceNumber);
    write32(packet.buffer, 4, 160U * sequenceNumber);
    write32(packet.buffer, 8, ssrc);
    for (std::size_t index = 12; index < kRtpPacketSize; ++index) {
        packet.buffer[index] = static_cast<std::uint8_t>(index * 7 + sequenceNumber);
    }
    return packet;
}

Packet makeRtcp(std::uint32_t ssrc = 0x11223344) {
    Packet packet{std::vector<std::uint8_t>(kRtcpPacketSize + kSrtcpMaxOverhead), kRtcpPacketSize};
    packet.buffer[0] = 0x80; // V=2, no report block
    packet.buffer[1] = 200;  // SR
    packet.buffer[3] = kRtcpPacketSize / 4 - 1;
    write32(packet.buffer, 4, ssrc);
    for (std::size_t index = 8; index < kRtcpPacketSize; ++index) {
        packet.buffer[index] = static_cast<std::uint8_t>(index * 13);
    }
    return packet;
}

using rtcgate::testing::makeKey;

std::size_t rtpTagLength(SrtpProfile profile) {
    switch (profile) {
    case SrtpProfile::AesCm128HmacSha1_80:
    case SrtpProfile::AesCm256HmacSha1_80:
    case SrtpProfile::AesCm192HmacSha1_80:
        return 10;
    case SrtpProfile::AesCm128HmacSha1_32:
    case SrtpProfile::AesCm256HmacSha1_32:
    case SrtpProfile::AesCm192HmacSha1_32:
        return 4;
    case SrtpProfile::AeadAes128Gcm:
    case SrtpProfile::AeadAes256Gcm:
        return 16;
    }
    return 0;
}

// SRTCP: E flag + index (4 bytes) and a tag that stays 80 bits for _32 (RFC 5764 section 4.1.2, RFC 6188 section 7).
std::size_t rtcpTrailerLength(SrtpProfile profile) {
    return 4 + (isAead(profile) ? 16 : 10);
}

class SrtpSessionProfileTest : public ::testing::TestWithParam<SrtpProfile> {
protected:
    SrtpProfile profile() const { return GetParam(); }

    SrtpSession alice_{GetParam(), makeKey(GetParam(), 1), makeKey(GetParam(), 50)};
    SrtpSession bob_{GetParam(), makeKey(GetParam(), 50), makeKey(GetParam(), 1)};
};

TEST_P(SrtpSessionProfileTest, RtpRoundTripsBetweenMirroredSessions) {
    for (std::uint16_t sequenceNumber = 1; sequenceNumber <= 5; ++sequenceNumber) {
        Packet packet = makeRtp(sequenceNumber);
        const std::vector<std::uint8_t> plain = packet.bytes();

        ASSERT_EQ(alice_.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
        EXPECT_EQ(packet.length, kRtpPacketSize + rtpTagLength(profile()));
        // The header stays in the clear, the payload does not.
        EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 12, packet.buffer.begin()));
        EXPECT_FALSE(std::equal(plain.begin() + 12, plain.end(), packet.buffer.begin() + 12));

        ASSERT_EQ(bob_.unprotectRtp(packet.span(), packet.length), SrtpStatus::Ok);
        EXPECT_EQ(packet.bytes(), plain);
    }
}

TEST_P(SrtpSessionProfileTest, RtcpRoundTripsBetweenMirroredSessions) {
    for (int round = 0; round < 3; ++round) {
        Packet packet = makeRtcp();
        const std::vector<std::uint8_t> plain = packet.bytes();

        ASSERT_EQ(bob_.protectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
        EXPECT_EQ(packet.length, kRtcpPacketSize + rtcpTrailerLength(profile()));
        EXPECT_FALSE(std::equal(plain.begin() + 8, plain.end(), packet.buffer.begin() + 8));

        ASSERT_EQ(alice_.unprotectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
        EXPECT_EQ(packet.bytes(), plain);
    }
}

TEST_P(SrtpSessionProfileTest, AnySsrcIsAcceptedBothWays) {
    for (std::uint32_t ssrc : {0x01U, 0xCAFEBABEU, 0xFFFFFFFFU}) {
        Packet packet = makeRtp(7, ssrc);
        const std::vector<std::uint8_t> plain = packet.bytes();
        ASSERT_EQ(alice_.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
        ASSERT_EQ(bob_.unprotectRtp(packet.span(), packet.length), SrtpStatus::Ok);
        EXPECT_EQ(packet.bytes(), plain);
    }
}

TEST_P(SrtpSessionProfileTest, TamperedRtpFailsAuthenticationAndKeepsItsLength) {
    Packet packet = makeRtp(1);
    ASSERT_EQ(alice_.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
    const std::size_t protectedLength = packet.length;
    Packet tampered = packet;
    tampered.buffer[40] ^= 0x01;

    EXPECT_EQ(bob_.unprotectRtp(tampered.span(), tampered.length), SrtpStatus::AuthFailed);
    EXPECT_EQ(tampered.length, protectedLength);
    // A forgery does not advance the replay window: the genuine packet still passes.
    EXPECT_EQ(bob_.unprotectRtp(packet.span(), packet.length), SrtpStatus::Ok);
}

TEST_P(SrtpSessionProfileTest, TamperedRtcpFailsAuthentication) {
    Packet packet = makeRtcp();
    ASSERT_EQ(alice_.protectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
    Packet tampered = packet;
    tampered.buffer[10] ^= 0x80;

    EXPECT_EQ(bob_.unprotectRtcp(tampered.span(), tampered.length), SrtpStatus::AuthFailed);
    EXPECT_EQ(bob_.unprotectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
}

TEST_P(SrtpSessionProfileTest, ReplayedRtpIsRejected) {
    Packet packet = makeRtp(1);
    ASSERT_EQ(alice_.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
    Packet replay = packet;

    ASSERT_EQ(bob_.unprotectRtp(packet.span(), packet.length), SrtpStatus::Ok);
    const std::size_t replayLength = replay.length;
    EXPECT_EQ(bob_.unprotectRtp(replay.span(), replay.length), SrtpStatus::ReplayFailed);
    EXPECT_EQ(replay.length, replayLength);
}

TEST_P(SrtpSessionProfileTest, ReplayedRtcpIsRejected) {
    Packet packet = makeRtcp();
    ASSERT_EQ(alice_.protectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
    Packet replay = packet;

    ASSERT_EQ(bob_.unprotectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
    EXPECT_EQ(bob_.unprotectRtcp(replay.span(), replay.length), SrtpStatus::ReplayFailed);
}

TEST_P(SrtpSessionProfileTest, ResendingTheSameSequenceNumberIsRefused) {
    Packet first = makeRtp(9);
    Packet again = makeRtp(9);
    ASSERT_EQ(alice_.protectRtp(first.span(), first.length), SrtpStatus::Ok);
    // The same index would reuse the key stream.
    EXPECT_EQ(alice_.protectRtp(again.span(), again.length), SrtpStatus::ReplayFailed);
}

TEST_P(SrtpSessionProfileTest, WrongKeyFailsAuthentication) {
    SrtpSession eve{profile(), makeKey(profile(), 90), makeKey(profile(), 1)};
    Packet rtp = makeRtp(1);
    ASSERT_EQ(eve.protectRtp(rtp.span(), rtp.length), SrtpStatus::Ok);
    EXPECT_EQ(bob_.unprotectRtp(rtp.span(), rtp.length), SrtpStatus::AuthFailed);

    Packet rtcp = makeRtcp();
    ASSERT_EQ(eve.protectRtcp(rtcp.span(), rtcp.length), SrtpStatus::Ok);
    EXPECT_EQ(bob_.unprotectRtcp(rtcp.span(), rtcp.length), SrtpStatus::AuthFailed);
}

TEST_P(SrtpSessionProfileTest, InboundUsesTheRemoteKeyNotTheLocalOne) {
    Packet packet = makeRtp(1);
    ASSERT_EQ(alice_.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
    EXPECT_EQ(alice_.unprotectRtp(packet.span(), packet.length), SrtpStatus::AuthFailed);
}

TEST_P(SrtpSessionProfileTest, ProtectionNeedsRoomForTheTrailer) {
    Packet packet = makeRtp(1);
    std::span<std::uint8_t> exact(packet.buffer.data(), kRtpPacketSize);
    EXPECT_EQ(alice_.protectRtp(exact, packet.length), SrtpStatus::BufferTooSmall);
    EXPECT_EQ(packet.length, kRtpPacketSize);

    Packet rtcp = makeRtcp();
    std::span<std::uint8_t> small(rtcp.buffer.data(), kRtcpPacketSize + kSrtpMaxOverhead);
    EXPECT_EQ(alice_.protectRtcp(small, rtcp.length), SrtpStatus::BufferTooSmall);
}

TEST_P(SrtpSessionProfileTest, TruncatedPacketsAreMalformed) {
    Packet packet = makeRtp(1);
    std::size_t length = 6;
    EXPECT_EQ(bob_.unprotectRtp(packet.span(), length), SrtpStatus::Malformed);
    length = 6;
    EXPECT_EQ(alice_.protectRtp(packet.span(), length), SrtpStatus::Malformed);
    length = 6;
    EXPECT_EQ(bob_.unprotectRtcp(packet.span(), length), SrtpStatus::Malformed);
    // A length past the end of the buffer.
    length = packet.buffer.size() + 1;
    EXPECT_EQ(bob_.unprotectRtp(packet.span(), length), SrtpStatus::Malformed);
}

// AllocationScope counts operator new and OpenSSL's allocations, so libsrtp2's HMAC too (before
// subprojects/packagefiles/libsrtp2/hmac-ossl-no-per-packet-allocation.patch, 2 per AES-CM packet).
TEST_P(SrtpSessionProfileTest, KnownStreamsMakeNoAllocationPerPacket) {
    Packet warmUp = makeRtp(1);
    ASSERT_EQ(alice_.protectRtp(warmUp.span(), warmUp.length), SrtpStatus::Ok);
    ASSERT_EQ(bob_.unprotectRtp(warmUp.span(), warmUp.length), SrtpStatus::Ok);
    Packet warmUpRtcp = makeRtcp();
    ASSERT_EQ(alice_.protectRtcp(warmUpRtcp.span(), warmUpRtcp.length), SrtpStatus::Ok);
    ASSERT_EQ(bob_.unprotectRtcp(warmUpRtcp.span(), warmUpRtcp.length), SrtpStatus::Ok);
    std::vector<Packet> packets;
    std::vector<Packet> rtcpPackets;
    for (std::uint16_t sequenceNumber = 2; sequenceNumber < 12; ++sequenceNumber) {
        packets.push_back(makeRtp(sequenceNumber));
        rtcpPackets.push_back(makeRtcp());
    }

    rtcgate::testing::AllocationScope scope;
    for (Packet& packet : packets) {
        ASSERT_EQ(alice_.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
        ASSERT_EQ(bob_.unprotectRtp(packet.span(), packet.length), SrtpStatus::Ok);
    }
    for (Packet& packet : rtcpPackets) {
        ASSERT_EQ(alice_.protectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
        ASSERT_EQ(bob_.unprotectRtcp(packet.span(), packet.length), SrtpStatus::Ok);
    }
    EXPECT_EQ(scope.count(), 0U);
}

INSTANTIATE_TEST_SUITE_P(SrtpProfiles, SrtpSessionProfileTest,
                         ::testing::Values(SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32,
                                           SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm,
                                           SrtpProfile::AesCm256HmacSha1_80, SrtpProfile::AesCm256HmacSha1_32,
                                           SrtpProfile::AesCm192HmacSha1_80, SrtpProfile::AesCm192HmacSha1_32),
                         [](const auto& info) { return std::string(sdesSuiteName(info.param)); });

TEST(SrtpSessionTest, AllocationScopeCountsOpenSslAllocations) {
    // Without this, KnownStreamsMakeNoAllocationPerPacket would not see libsrtp2's OpenSSL mallocs.
    std::size_t allocations = 0;
    {
        rtcgate::testing::AllocationScope scope;
        void* memory = OPENSSL_malloc(64);
        memory = OPENSSL_realloc(memory, 128);
        OPENSSL_free(memory);
        allocations = scope.count();
    }
    EXPECT_EQ(allocations, 2U);
}

TEST(SrtpSessionTest, AesCmLeavesATamperedPacketUntouched) {
    // Documented in SrtpSession.hpp: AES-CM checks the tag before decrypting.
    for (SrtpProfile profile : {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32}) {
        SrtpSession alice{profile, makeKey(profile, 1), makeKey(profile, 2)};
        SrtpSession bob{profile, makeKey(profile, 2), makeKey(profile, 1)};
        Packet packet = makeRtp(1);
        ASSERT_EQ(alice.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
        packet.buffer[20] ^= 0xFF;
        const std::vector<std::uint8_t> tampered = packet.bytes();
        ASSERT_EQ(bob.unprotectRtp(packet.span(), packet.length), SrtpStatus::AuthFailed);
        EXPECT_EQ(packet.bytes(), tampered);
    }
}

TEST(SrtpSessionTest, KeyingMaterialSplitByRoleGivesMirroredSessions) {
    for (SrtpProfile profile :
         {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32, SrtpProfile::AeadAes128Gcm}) {
        const std::size_t keyLength = masterKeyLength(profile);
        const std::size_t saltLength = masterSaltLength(profile);
        std::vector<std::uint8_t> material(keyingMaterialLength(profile));
        std::iota(material.begin(), material.end(), std::uint8_t{0});

        const SrtpKeyPair client =
            rtcgate::dtls::splitKeyingMaterial(profile, material, rtcgate::dtls::DtlsRole::Client);
        const SrtpKeyPair server =
            rtcgate::dtls::splitKeyingMaterial(profile, material, rtcgate::dtls::DtlsRole::Server);
        // client_key | server_key | client_salt | server_salt (RFC 5764 section 4.2).
        EXPECT_EQ(client.local.key, std::vector<std::uint8_t>(material.begin(), material.begin() + keyLength));
        EXPECT_EQ(client.local.salt, std::vector<std::uint8_t>(material.begin() + 2 * keyLength,
                                                               material.begin() + 2 * keyLength + saltLength));
        EXPECT_EQ(client.remote.key,
                  std::vector<std::uint8_t>(material.begin() + keyLength, material.begin() + 2 * keyLength));
        EXPECT_EQ(client.remote.salt,
                  std::vector<std::uint8_t>(material.begin() + 2 * keyLength + saltLength, material.end()));
        EXPECT_EQ(client.local, server.remote);
        EXPECT_EQ(client.remote, server.local);

        SrtpSession clientSession{profile, client};
        SrtpSession serverSession{profile, server};
        Packet toServer = makeRtp(1);
        const std::vector<std::uint8_t> plainToServer = toServer.bytes();
        ASSERT_EQ(clientSession.protectRtp(toServer.span(), toServer.length), SrtpStatus::Ok);
        ASSERT_EQ(serverSession.unprotectRtp(toServer.span(), toServer.length), SrtpStatus::Ok);
        EXPECT_EQ(toServer.bytes(), plainToServer);

        Packet toClient = makeRtcp();
        const std::vector<std::uint8_t> plainToClient = toClient.bytes();
        ASSERT_EQ(serverSession.protectRtcp(toClient.span(), toClient.length), SrtpStatus::Ok);
        ASSERT_EQ(clientSession.unprotectRtcp(toClient.span(), toClient.length), SrtpStatus::Ok);
        EXPECT_EQ(toClient.bytes(), plainToClient);
    }
}

TEST(SrtpSessionTest, KeyingMaterialOfTheWrongLengthIsRejected) {
    const std::vector<std::uint8_t> material(keyingMaterialLength(SrtpProfile::AesCm128HmacSha1_80));
    EXPECT_THROW(
        rtcgate::dtls::splitKeyingMaterial(SrtpProfile::AeadAes128Gcm, material, rtcgate::dtls::DtlsRole::Client),
        std::invalid_argument);
    EXPECT_EQ(keyingMaterialLength(SrtpProfile::AesCm128HmacSha1_80), 60U);
    EXPECT_EQ(keyingMaterialLength(SrtpProfile::AeadAes128Gcm), 56U);
}

TEST(SrtpSessionTest, KeysOfTheWrongLengthAreRejected) {
    const SrtpMasterKey aesCm = makeKey(SrtpProfile::AesCm128HmacSha1_80, 1);
    const SrtpMasterKey gcm = makeKey(SrtpProfile::AeadAes128Gcm, 1);
    EXPECT_THROW(SrtpSession(SrtpProfile::AeadAes128Gcm, aesCm, gcm), std::invalid_argument);
    EXPECT_THROW(SrtpSession(SrtpProfile::AesCm128HmacSha1_80, aesCm, gcm), std::invalid_argument);
    EXPECT_NO_THROW(SrtpSession(SrtpProfile::AeadAes128Gcm, gcm, gcm));
}

TEST(SrtpSessionTest, MovedSessionKeepsItsContexts) {
    const SrtpProfile profile = SrtpProfile::AesCm128HmacSha1_80;
    SrtpSession alice{profile, makeKey(profile, 1), makeKey(profile, 2)};
    SrtpSession bob{profile, makeKey(profile, 2), makeKey(profile, 1)};
    SrtpSession moved = std::move(alice);

    Packet packet = makeRtp(1);
    std::size_t length = packet.length;
    EXPECT_EQ(alice.protectRtp(packet.span(), length), SrtpStatus::Failed); // NOLINT(bugprone-use-after-move)
    ASSERT_EQ(moved.protectRtp(packet.span(), packet.length), SrtpStatus::Ok);
    EXPECT_EQ(bob.unprotectRtp(packet.span(), packet.length), SrtpStatus::Ok);
}

TEST(SrtpSessionTest, DtlsProfileNamesRoundTrip) {
    EXPECT_EQ(dtlsProfileName(SrtpProfile::AesCm128HmacSha1_80), "SRTP_AES128_CM_SHA1_80");
    EXPECT_EQ(dtlsProfileName(SrtpProfile::AesCm128HmacSha1_32), "SRTP_AES128_CM_SHA1_32");
    EXPECT_EQ(dtlsProfileName(SrtpProfile::AeadAes128Gcm), "SRTP_AEAD_AES_128_GCM");
    EXPECT_EQ(dtlsProfileName(SrtpProfile::AeadAes256Gcm), "SRTP_AEAD_AES_256_GCM");
    for (SrtpProfile profile : {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32,
                                SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm}) {
        EXPECT_EQ(srtpProfileFromDtlsName(dtlsProfileName(profile)), profile);
    }
    // RFC 6188's AES-192/256-CM suites have no DTLS-SRTP profile.
    EXPECT_EQ(dtlsProfileName(SrtpProfile::AesCm256HmacSha1_80), "");
    EXPECT_EQ(srtpProfileFromDtlsName(""), std::nullopt);
    EXPECT_EQ(srtpProfileFromDtlsName("SRTP_NULL_SHA1_80"), std::nullopt);
}

TEST(SrtpSessionTest, CryptoBackendIsOpenSsl) {
    // Debian's binary libsrtp2 says "AES-128 counter mode using NSS"; libsrtp2's own AES
    // says "AES-128 integer counter mode".
    EXPECT_EQ(srtpCipherImplementation(), "AES-128 counter mode using openssl");
}

} // namespace
