#include "rtcgate/net/OwnSockets.hpp"

#include <algorithm>

namespace rtcgate::net {

namespace {

// An IPv4 address written as IPv6 (::ffff:a.b.c.d) reaches the same socket as a.b.c.d.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    }
    return address;
}

} // namespace

OwnSockets::OwnSockets(std::vector<boost::asio::ip::address> addresses, std::uint16_t portMin, std::uint16_t portMax)
    : addresses_(std::move(addresses)), portMin_(portMin), portMax_(portMax) {
    for (auto& address : addresses_) {
        address = unmapped(address);
    }
}

bool OwnSockets::contains(const Endpoint& endpoint) const {
    if (endpoint.port() < portMin_ || endpoint.port() > portMax_) {
        return false;
    }
    const auto address = unmapped(endpoint.address());
    return std::find(addresses_.begin(), addresses_.end(), address) != addresses_.end();
}

} // namespace rtcgate::net
