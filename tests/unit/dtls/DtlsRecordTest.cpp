#include "rtcgate/dtls/DtlsRecord.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

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

} // namespace
} // namespace rtcgate::dtls
