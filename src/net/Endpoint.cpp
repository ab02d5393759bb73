#include "rtcgate/net/Endpoint.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cstring>

namespace rtcgate::net {

Endpoint endpointFrom(const sockaddr* address, socklen_t length) {
    Endpoint endpoint;
    auto size = std::min<std::size_t>(length, endpoint.capacity());
    std::memcpy(endpoint.data(), address, size);
    endpoint.resize(size);
    return endpoint;
}

std::optional<Endpoint> makeEndpoint(std::string_view address, std::uint16_t port) {
    boost::system::error_code error;
    auto ip = boost::asio::ip::make_address(std::string(address), error);
    if (error) {
        return std::nullopt;
    }
    return Endpoint(ip, port);
}

std::string toString(const Endpoint& endpoint) {
    const std::string address = endpoint.address().to_string();
    const std::string port = std::to_string(endpoint.port());
    return endpoint.address().is_v6() ? '[' + address + "]:" + port : address + ':' + port;
}

std::string_view familyName(const Endpoint& endpoint) {
    return endpoint.address().is_v6() ? "IPv6" : "IPv4";
}

} // namespace rtcgate::net
