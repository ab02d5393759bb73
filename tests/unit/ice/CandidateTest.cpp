#include "rtcgate/ice/Candidate.hpp"

#include <gtest/gtest.h>

namespace rtcgate::ice {
namespace {

TEST(CandidatePriority, HostCandidateOfComponentOneHasTheRfcValue) {
    // 126 * 2^24 + 65535 * 2^8 + 255: what browsers put on their own host candidates.
    EXPECT_EQ(candidatePriority(kHostTypePreference, kHostLocalPreference, kRtpComponent), 2130706431U);
    EXPECT_EQ(candidatePriority(kHostTypePreference, kHostLocalPreference, 2), 2130706430U);
    EXPECT_EQ(candidatePriority(0, 0, 1), 255U);
    EXPECT_EQ(candidatePriority(110, 65535, 1), 1862270975U);
}

TEST(Candidate, HostLineForIpv4) {
    auto candidate = Candidate::host("1", *net::makeEndpoint("192.0.2.10", 30000));
    EXPECT_EQ(candidate.priority, 2130706431U);
    EXPECT_EQ(candidate.sdpValue(), "1 1 udp 2130706431 192.0.2.10 30000 typ host");
}

TEST(Candidate, HostLineForIpv6HasNoBrackets) {
    auto candidate = Candidate::host("2", *net::makeEndpoint("2001:db8::1", 30002));
    EXPECT_EQ(candidate.sdpValue(), "2 1 udp 2130706431 2001:db8::1 30002 typ host");
}

} // namespace
} // namespace rtcgate::ice
