#include "rtcgate/dtls/Fingerprint.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::dtls {
namespace {

constexpr std::string_view kSha256Hex =
    "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3E:4F:7A:DF:9E:04:FF:C1:64:2F:3E:5A";
std::string sha256Hex() {
    return std::string(kSha256Hex);
}

TEST(FingerprintTest, ParsesSha256AndFormatsItBack) {
    const auto fingerprint = Fingerprint::parse("sha-256 " + sha256Hex());
    ASSERT_TRUE(fingerprint);
    EXPECT_EQ(fingerprint->algorithm(), HashAlgorithm::Sha256);
    ASSERT_EQ(fingerprint->digest().size(), 32U);
    EXPECT_EQ(fingerprint->digest()[0], 0x4A);
    EXPECT_EQ(fingerprint->digest()[31], 0x5A);
    EXPECT_EQ(fingerprint->toSdp(), "sha-256 " + sha256Hex());
}

TEST(FingerprintTest, HashNameAndHexAreCaseInsensitive) {
    std::string lower = sha256Hex();
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const auto fingerprint = Fingerprint::parse("SHA-256 " + lower);
    ASSERT_TRUE(fingerprint);
    EXPECT_EQ(fingerprint, Fingerprint::parse("sha-256 " + sha256Hex()));
    EXPECT_EQ(fingerprint->toSdp(), "sha-256 " + sha256Hex());
}

TEST(FingerprintTest, ParsesEveryHashWithItsLength) {
    const auto hexOfLength = [](std::size_t bytes) {
        std::string hex;
        for (std::size_t i = 0; i < bytes; ++i) {
            hex += i == 0 ? "" : ":";
            hex += "0F";
        }
        return hex;
    };
    const std::vector<std::pair<std::string, std::size_t>> cases{
        {"sha-1", 20}, {"sha-256", 32}, {"sha-384", 48}, {"sha-512", 64}};
    for (const auto& [name, size] : cases) {
        const auto fingerprint = Fingerprint::parse(name + " " + hexOfLength(size));
        ASSERT_TRUE(fingerprint) << name;
        EXPECT_EQ(fingerprint->digest().size(), size) << name;
        EXPECT_EQ(fingerprint->toSdp(), name + " " + hexOfLength(size));
        EXPECT_FALSE(Fingerprint::parse(name + " " + hexOfLength(size - 1))) << name;
    }
}

TEST(FingerprintTest, RejectsMalformedValues) {
    EXPECT_FALSE(Fingerprint::parse(""));
    EXPECT_FALSE(Fingerprint::parse("sha-256"));
    EXPECT_FALSE(Fingerprint::parse("md5 " + sha256Hex()));
    EXPECT_FALSE(Fingerprint::parse("sha-256 " + sha256Hex() + ":00"));
    EXPECT_FALSE(Fingerprint::parse("sha-256 " + sha256Hex().substr(0, kSha256Hex.size() - 1) + "G"));
    std::string noColons = sha256Hex();
    std::erase(noColons, ':');
    EXPECT_FALSE(Fingerprint::parse("sha-256 " + noColons));
    std::string dashes = sha256Hex();
    std::ranges::replace(dashes, ':', '-');
    EXPECT_FALSE(Fingerprint::parse("sha-256 " + dashes));
}

TEST(FingerprintTest, ToleratesSurroundingWhitespace) {
    EXPECT_TRUE(Fingerprint::parse("  sha-256   " + sha256Hex() + "\r\n"));
}

} // namespace
} // namespace rtcgate::dtls
