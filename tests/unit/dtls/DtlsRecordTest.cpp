#include "rtcgate/dtls/DtlsRecord.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace rtcgate::dtls {
namespace {

TEST(DtlsRecordTest, RecognisesDtlsByFirstByteRange) {
    for (const std::uint8_t first : {20, 22, 23, 63}) {
        const std::array<std::uint8_t, 1> packet{first};
        EXPECT_TRUE(isDtls(packet)) << int(first);
    }
    // STUN 0-3, ZRTP 16-19, TURN channels 64-79, RTP/RTCP 128-191.
    for (const std::uint8_t first : {0, 1, 19, 64, 79, 128, 191}) {
        const std::array<std::uint8_t, 1> packet{first};
        EXPECT_FALSE(isDtls(packet)) << int(first);
    }
    EXPECT_FALSE(isDtls({}));
}

// A record of `type` at `epoch` around `body` (RFC 6347 section 4.1).
std::vector<std::uint8_t> record(std::uint8_t type, std::uint8_t epoch, const std::vector<std::uint8_t>& body) {
    std::vector<std::uint8_t> bytes{type, 0xfe, 0xfd, 0, epoch, 0, 0, 0, 0, 0, 1};
    bytes.push_back(static_cast<std::uint8_t>(body.size() >> 8));
    bytes.push_back(static_cast<std::uint8_t>(body.size()));
    bytes.insert(bytes.end(), body.begin(), body.end());
    return bytes;
}

// A handshake fragment header (RFC 6347 section 4.2.2) and `fragmentLength` bytes of body.
std::vector<std::uint8_t> fragment(std::uint8_t type, std::uint32_t length, std::uint32_t offset,
                                   std::uint32_t fragmentLength) {
    std::vector<std::uint8_t> bytes{type};
    auto put24 = [&](std::uint32_t value) {
        bytes.push_back(static_cast<std::uint8_t>(value >> 16));
        bytes.push_back(static_cast<std::uint8_t>(value >> 8));
        bytes.push_back(static_cast<std::uint8_t>(value));
    };
    put24(length);
    bytes.push_back(0); // message_seq
    bytes.push_back(0);
    put24(offset);
    put24(fragmentLength);
    bytes.resize(bytes.size() + fragmentLength, 0x5a);
    return bytes;
}

std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

TEST(DtlsRecordTest, WholeRecordsOfDtlsContentTypesAreWellFormed) {
    const auto hello = record(22, 0, fragment(1, 40, 0, 40));
    EXPECT_TRUE(isWellFormed(hello));
    EXPECT_TRUE(isWellFormed(record(22, 0, concat(fragment(11, 100, 0, 60), fragment(11, 100, 60, 40)))));
    EXPECT_TRUE(isWellFormed(record(20, 0, {1})));
    EXPECT_TRUE(isWellFormed(record(21, 0, {2, 40})));
    // Epoch 1 is encrypted: only its framing can be checked.
    EXPECT_TRUE(isWellFormed(record(22, 1, {1, 2, 3})));
    EXPECT_TRUE(isWellFormed(record(23, 1, std::vector<std::uint8_t>(100, 7))));
    EXPECT_TRUE(isWellFormed(concat(concat(hello, record(20, 0, {1})), record(22, 1, {9, 9, 9, 9}))));
}

TEST(DtlsRecordTest, BrokenFramingOrPlaintextThatDoesNotParseIsNot) {
    const auto hello = record(22, 0, fragment(1, 40, 0, 40));
    EXPECT_FALSE(isWellFormed({}));
    EXPECT_FALSE(isWellFormed(std::vector<std::uint8_t>(hello.begin(), hello.end() - 1))); // truncated
    EXPECT_FALSE(isWellFormed(concat(hello, {22, 0xfe})));                                 // a partial header after
    auto tls = hello;
    tls[1] = 0x03; // TLS 1.2, not DTLS
    EXPECT_FALSE(isWellFormed(tls));
    EXPECT_FALSE(isWellFormed(record(30, 0, {1})));                     // unknown content type
    EXPECT_FALSE(isWellFormed(record(23, 0, {1, 2})));                  // application data before the keys
    EXPECT_FALSE(isWellFormed(record(20, 0, {2})));                     // change_cipher_spec is one byte 1
    EXPECT_FALSE(isWellFormed(record(21, 0, {2})));                     // an alert is two bytes
    EXPECT_FALSE(isWellFormed(record(22, 0, {})));                      // an empty handshake record
    EXPECT_FALSE(isWellFormed(record(22, 0, {1, 0, 0, 40, 0, 0, 0})));  // a partial fragment header
    EXPECT_FALSE(isWellFormed(record(22, 0, fragment(1, 40, 30, 20)))); // fragment beyond its message
    auto overrun = fragment(1, 40, 0, 40);
    overrun.resize(overrun.size() - 10); // the fragment says 40 bytes, the record holds 30
    EXPECT_FALSE(isWellFormed(record(22, 0, overrun)));
}

TEST(DtlsRecordTest, TellsAClientHelloAndAPlaintextAlert) {
    const auto hello = record(22, 0, fragment(1, 40, 0, 40));
    EXPECT_TRUE(isClientHello(hello));
    EXPECT_FALSE(isClientHello(record(22, 0, fragment(2, 40, 0, 40)))); // ServerHello
    EXPECT_FALSE(isClientHello(record(22, 1, {1, 2, 3})));              // encrypted
    EXPECT_FALSE(isClientHello(record(21, 0, {2, 40})));
    EXPECT_FALSE(isClientHello({}));

    EXPECT_TRUE(hasPlaintextAlert(record(21, 0, {2, 40})));
    EXPECT_TRUE(hasPlaintextAlert(concat(hello, record(21, 0, {2, 10}))));
    EXPECT_FALSE(hasPlaintextAlert(record(21, 1, {1, 2, 3, 4, 5, 6})));
    EXPECT_FALSE(hasPlaintextAlert(hello));
}

} // namespace
} // namespace rtcgate::dtls
