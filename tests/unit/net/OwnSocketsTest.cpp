#include "rtcgate/net/OwnSockets.hpp"

#include <gtest/gtest.h>

namespace rtcgate::net {
namespace {

using boost::asio::ip::make_address;

const OwnSockets kOwn({make_address("192.0.2.10"), make_address("203.0.113.5")}, 30000, 30099);

TEST(OwnSocketsTest, AnAddressOfTheDaemonWithAPortOfItsRange) {
    EXPECT_TRUE(kOwn.contains(Endpoint(make_address("192.0.2.10"), 30000)));
    EXPECT_TRUE(kOwn.contains(Endpoint(make_address("192.0.2.10"), 30099)));
    EXPECT_TRUE(kOwn.contains(Endpoint(make_address("203.0.113.5"), 30051))); // the advertised address
    EXPECT_FALSE(kOwn.contains(Endpoint(make_address("192.0.2.10"), 29999)));
    EXPECT_FALSE(kOwn.contains(Endpoint(make_address("192.0.2.10"), 30100)));
    EXPECT_FALSE(kOwn.contains(Endpoint(make_address("192.0.2.11"), 30000)));
}

TEST(OwnSocketsTest, AnIpv4AddressWrittenAsIpv6IsTheSameSocket) {
    EXPECT_TRUE(kOwn.contains(Endpoint(make_address("::ffff:192.0.2.10"), 30002)));
    const OwnSockets mapped({make_address("::ffff:192.0.2.10")}, 30000, 30099);
    EXPECT_TRUE(mapped.contains(Endpoint(make_address("192.0.2.10"), 30002)));
    const OwnSockets ipv6({make_address("2001:db8::1")}, 30000, 30099);
    EXPECT_TRUE(ipv6.contains(Endpoint(make_address("2001:db8::1"), 30002)));
    EXPECT_FALSE(ipv6.contains(Endpoint(make_address("2001:db8::2"), 30002)));
}

TEST(OwnSocketsTest, NoneByDefault) {
    EXPECT_FALSE(OwnSockets().contains(Endpoint(make_address("127.0.0.1"), 0)));
}

} // namespace
} // namespace rtcgate::net
