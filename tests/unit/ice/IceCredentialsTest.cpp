#include "rtcgate/ice/IceCredentials.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace rtcgate::ice {
namespace {

bool allIceChars(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isalnum(c) != 0 || c == '+' || c == '/'; });
}

TEST(IceCredentials, LengthsAndAlphabetFollowRfc8839) {
    auto credentials = IceCredentials::generate();
    EXPECT_GE(credentials.ufrag.size(), 4U);
    EXPECT_LE(credentials.ufrag.size(), 256U);
    EXPECT_GE(credentials.pwd.size(), 22U);
    EXPECT_LE(credentials.pwd.size(), 256U);
    EXPECT_TRUE(allIceChars(credentials.ufrag)) << credentials.ufrag;
    EXPECT_TRUE(allIceChars(credentials.pwd)) << credentials.pwd;
}

TEST(IceCredentials, EveryGenerationIsDifferent) {
    std::set<std::string> ufrags;
    std::set<std::string> pwds;
    for (int i = 0; i < 100; ++i) {
        auto credentials = IceCredentials::generate();
        ufrags.insert(credentials.ufrag);
        pwds.insert(credentials.pwd);
    }
    EXPECT_EQ(ufrags.size(), 100U);
    EXPECT_EQ(pwds.size(), 100U);
}

TEST(IceCredentials, UsesTheWholeAlphabet) {
    std::set<char> seen;
    for (int i = 0; i < 200; ++i) {
        auto credentials = IceCredentials::generate();
        seen.insert(credentials.pwd.begin(), credentials.pwd.end());
    }
    // 4800 draws from 64 characters: missing one by chance has probability ~1e-31.
    EXPECT_EQ(seen.size(), 64U);
}

} // namespace
} // namespace rtcgate::ice
