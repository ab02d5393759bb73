#include "rtcgate/ice/StunDemux.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace rtcgate::ice {
namespace {

bool firstByteIsStun(std::uint8_t first) {
    std::array<std::uint8_t, 4> packet{first, 0, 0, 0};
    return isStun(packet);
}

TEST(StunDemux, FirstByteZeroToThreeIsStun) {
    for (unsigned first = 0; first <= 3; ++first) {
        EXPECT_TRUE(firstByteIsStun(static_cast<std::uint8_t>(first))) << first;
    }
}

TEST(StunDemux, DtlsRtpAndZrtpAreNotStun) {
    EXPECT_FALSE(firstByteIsStun(4));   // just past the STUN range
    EXPECT_FALSE(firstByteIsStun(16));  // ZRTP
    EXPECT_FALSE(firstByteIsStun(22));  // DTLS handshake
    EXPECT_FALSE(firstByteIsStun(128)); // RTP version 2
    EXPECT_FALSE(firstByteIsStun(191)); // RTP/RTCP
}

TEST(StunDemux, EmptyPacketIsNotStun) {
    EXPECT_FALSE(isStun({}));
}

} // namespace
} // namespace rtcgate::ice
