#include "rtcgate/srtp/CryptoAttribute.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace rtcgate::srtp;

std::vector<std::uint8_t> fromHex(std::string_view hex) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t index = 0; index + 1 < hex.size(); index += 2) {
        bytes.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(index, 2)), nullptr, 16)));
    }
    return bytes;
}

// Values of a=crypto lines as real endpoints send them, each serialized back unchanged.
class CryptoAttributeRealLineTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CryptoAttributeRealLineTest, ParsesAndSerializesUnchanged) {
    const auto attribute = CryptoAttribute::parse(GetParam());
    ASSERT_TRUE(attribute.has_value()) << GetParam();
    EXPECT_EQ(attribute->toString(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    CryptoAttributeEndpoints, CryptoAttributeRealLineTest,
    ::testing::Values(
        // RFC 4568 section 4 and 9.1 examples.
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32",
        "1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 FEC_ORDER=FEC_SRTP",
        "1 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32;"
        "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:32",
        // Asterisk (res_srtp): one key, no lifetime, no MKI.
        "1 AES_CM_128_HMAC_SHA1_80 inline:SzFp7FyqENXDDdD9k56KNvFfVbtJHTyxBQTcOBmO",
        // FreeSWITCH: a lifetime of 2^31 on both AES-CM suites, and an AEAD offer.
        "1 AES_CM_128_HMAC_SHA1_80 inline:zc409/eT1JuwUPQAswLkF878WJvn5Rpo+aLUt+SI|2^31",
        "2 AES_CM_128_HMAC_SHA1_32 inline:ebHN/WPPcu2E+Jm4kdx9YK58jVFDKD4uRgwFu18k|2^31",
        "3 AEAD_AES_128_GCM inline:EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKw==",
        // Chrome's SDES offers (before it dropped SDES), also what SIP.js-era browsers sent.
        "1 AES_CM_128_HMAC_SHA1_80 inline:edo+7nEmeb9bD3EFISCN5zPw/7vULquwZJ2n6JRi",
        "0 AES_CM_128_HMAC_SHA1_32 inline:9c1AHz27dZ9xPI91YNfSlI67/EMkjHHIHORiClQe",
        // Session parameters kept as written (RFC 4568 section 6.3).
        "5 AES_CM_128_HMAC_SHA1_80 inline:9c1AHz27dZ9xPI91YNfSlI67/EMkjHHIHORiClQe KDR=1 UNENCRYPTED_SRTCP WSH=64"));

TEST(CryptoAttributeTest, ParsesTheRfc4568ExampleIntoItsParts) {
    const auto attribute =
        CryptoAttribute::parse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32");
    ASSERT_TRUE(attribute.has_value());
    EXPECT_EQ(attribute->tag, 1U);
    EXPECT_EQ(attribute->suite, SrtpProfile::AesCm128HmacSha1_80);
    ASSERT_EQ(attribute->keys.size(), 1U);
    const CryptoKeyParams& key = attribute->keys.front();
    EXPECT_EQ(key.masterKey.key, fromHex("3d2d6e40255e7821426a75667239293f"));
    EXPECT_EQ(key.masterKey.salt, fromHex("2c2335685c603d265d7b71695051"));
    EXPECT_EQ(key.lifetime, "2^20");
    EXPECT_EQ(key.mkiValue, "1");
    EXPECT_EQ(key.mkiLength, "32");
    EXPECT_TRUE(attribute->sessionParams.empty());
}

TEST(CryptoAttributeTest, ParsesSeveralKeysAndSessionParameters) {
    const auto attribute =
        CryptoAttribute::parse("2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32;"
                               "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:32 KDR=1 WSH=64");
    ASSERT_TRUE(attribute.has_value());
    EXPECT_EQ(attribute->tag, 2U);
    EXPECT_EQ(attribute->suite, SrtpProfile::AesCm128HmacSha1_32);
    ASSERT_EQ(attribute->keys.size(), 2U);
    EXPECT_EQ(attribute->keys[1].mkiValue, "2");
    EXPECT_EQ(attribute->keys[1].masterKey.key, std::vector<std::uint8_t>({'A', 'B', 'c', 'd', 'e', 'f', '1', '2', '3',
                                                                           '4', '5', '6', '7', '8', '9', 'A'}));
    EXPECT_EQ(attribute->sessionParams, (std::vector<std::string>{"KDR=1", "WSH=64"}));
}

TEST(CryptoAttributeTest, AeadKeyIsSixteenBytesAndTwelveOfSalt) {
    const auto attribute = CryptoAttribute::parse("3 AEAD_AES_128_GCM inline:EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKw==");
    ASSERT_TRUE(attribute.has_value());
    EXPECT_EQ(attribute->keys.front().masterKey.key, fromHex("101112131415161718191a1b1c1d1e1f"));
    EXPECT_EQ(attribute->keys.front().masterKey.salt, fromHex("202122232425262728292a2b"));
}

TEST(CryptoAttributeTest, AcceptsUnpaddedBase64AndTrailingWhitespace) {
    const auto padded = CryptoAttribute::parse("3 AEAD_AES_128_GCM inline:EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKw==");
    const auto unpadded = CryptoAttribute::parse("3 AEAD_AES_128_GCM inline:EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKw\r");
    ASSERT_TRUE(padded.has_value());
    ASSERT_TRUE(unpadded.has_value());
    EXPECT_EQ(*padded, *unpadded);
}

TEST(CryptoAttributeTest, RejectsMalformedLines) {
    const char* const malformed[] = {
        "",
        "1 AES_CM_128_HMAC_SHA1_80",
        "AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "-1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        // Key method other than inline.
        "1 AES_CM_128_HMAC_SHA1_80 uri:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "1 AES_CM_128_HMAC_SHA1_80 PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        // Key too short, too long, not base64.
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0m",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBRAAAA",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaV!R",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVm=jkpPywjNWhcYD0mXXtxaVBR",
        "1 AES_CM_128_HMAC_SHA1_80 inline:",
        // An AES-CM key (30 bytes) offered for the AEAD suite, which needs 28.
        "1 AEAD_AES_128_GCM inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        // Bad lifetime or MKI, MKI before the lifetime, too many parts, empty key in a list.
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^x",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:129",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|a:4",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|2^20",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4|5",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR;",
    };
    for (const char* value : malformed) {
        EXPECT_EQ(CryptoAttribute::parse(value), std::nullopt) << value;
    }
}

TEST(CryptoAttributeTest, RejectsSuitesThatAreNotRun) {
    EXPECT_EQ(CryptoAttribute::parse("1 AES_256_CM_HMAC_SHA1_80 "
                                     "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBRPS1uQCVeeCFCanVmcjkpPywj"),
              std::nullopt);
    EXPECT_EQ(CryptoAttribute::parse("1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"),
              std::nullopt);
    EXPECT_EQ(CryptoAttribute::parse("1 aes_cm_128_hmac_sha1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"),
              std::nullopt);
}

constexpr std::array kAllProfiles{SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32,
                                  SrtpProfile::AeadAes128Gcm,       SrtpProfile::AeadAes256Gcm,
                                  SrtpProfile::AesCm256HmacSha1_80, SrtpProfile::AesCm256HmacSha1_32,
                                  SrtpProfile::AesCm192HmacSha1_80, SrtpProfile::AesCm192HmacSha1_32};

TEST(CryptoAttributeTest, SuiteNamesRoundTrip) {
    EXPECT_EQ(sdesSuiteName(SrtpProfile::AesCm128HmacSha1_80), "AES_CM_128_HMAC_SHA1_80");
    EXPECT_EQ(sdesSuiteName(SrtpProfile::AesCm128HmacSha1_32), "AES_CM_128_HMAC_SHA1_32");
    EXPECT_EQ(sdesSuiteName(SrtpProfile::AeadAes128Gcm), "AEAD_AES_128_GCM");
    EXPECT_EQ(sdesSuiteName(SrtpProfile::AeadAes256Gcm), "AEAD_AES_256_GCM");
    EXPECT_EQ(sdesSuiteName(SrtpProfile::AesCm256HmacSha1_32), "AES_256_CM_HMAC_SHA1_32");
    EXPECT_EQ(sdesSuiteName(SrtpProfile::AesCm192HmacSha1_80), "AES_192_CM_HMAC_SHA1_80");
    for (SrtpProfile profile : kAllProfiles) {
        EXPECT_EQ(srtpProfileFromSdesSuite(sdesSuiteName(profile)), profile);
    }
    // Known, never used: libsrtp2 has no F8, NULL does not encrypt.
    for (const char* suite : {"F8_128_HMAC_SHA1_80", "F8_128_HMAC_SHA1_32", "NULL_HMAC_SHA1_80", "NULL_HMAC_SHA1_32"}) {
        EXPECT_EQ(srtpProfileFromSdesSuite(suite), std::nullopt) << suite;
        EXPECT_TRUE(isUnusableSdesSuite(suite)) << suite;
    }
    EXPECT_FALSE(isUnusableSdesSuite("AES_CM_128_HMAC_SHA1_80"));
}

TEST(CryptoAttributeTest, GeneratedKeysFitTheSuiteDifferAndRoundTrip) {
    for (SrtpProfile profile : kAllProfiles) {
        const CryptoAttribute first = CryptoAttribute::generate(4, profile);
        const CryptoAttribute second = CryptoAttribute::generate(4, profile);
        ASSERT_EQ(first.keys.size(), 1U);
        EXPECT_EQ(first.tag, 4U);
        EXPECT_EQ(first.suite, profile);
        EXPECT_EQ(first.keys.front().masterKey.key.size(), masterKeyLength(profile));
        EXPECT_EQ(first.keys.front().masterKey.salt.size(), masterSaltLength(profile));
        EXPECT_NE(first.keys.front().masterKey, second.keys.front().masterKey);

        const std::string text = first.toString();
        EXPECT_TRUE(text.starts_with("4 " + std::string(sdesSuiteName(profile)) + " inline:")) << text;
        EXPECT_EQ(CryptoAttribute::parse(text), first);
    }
}

TEST(CryptoAttributeTest, OfferAndAnswerKeysMakeMirroredSessions) {
    const SrtpProfile profile = SrtpProfile::AesCm128HmacSha1_80;
    // Each side sends with the key in its own a=crypto and receives with the peer's (RFC 4568 section 6.1).
    const auto offer = CryptoAttribute::parse(CryptoAttribute::generate(1, profile).toString());
    const auto answer = CryptoAttribute::parse(CryptoAttribute::generate(1, profile).toString());
    ASSERT_TRUE(offer && answer);
    SrtpSession offerer{profile, offer->keys.front().masterKey, answer->keys.front().masterKey};
    SrtpSession answerer{profile, answer->keys.front().masterKey, offer->keys.front().masterKey};

    std::vector<std::uint8_t> buffer(12 + 20 + kSrtpMaxOverhead, 0x5A);
    buffer[0] = 0x80;
    buffer[1] = 0;
    std::size_t length = 32;
    const std::vector<std::uint8_t> plain(buffer.begin(), buffer.begin() + 32);
    ASSERT_EQ(offerer.protectRtp(buffer, length), SrtpStatus::Ok);
    ASSERT_EQ(answerer.unprotectRtp(buffer, length), SrtpStatus::Ok);
    EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(length)), plain);
}

} // namespace
