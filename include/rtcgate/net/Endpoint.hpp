// Transport addresses: Asio's UDP endpoint (a sockaddr union, no allocation).
#pragma once

#include <boost/asio/ip/udp.hpp>

#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

namespace rtcgate::net {

using Endpoint = boost::asio::ip::udp::endpoint;

// The endpoint a recvmmsg() source address names.
Endpoint endpointFrom(const sockaddr* address, socklen_t length);

// "ADDR" literal (IPv4 or IPv6) with a port; nullopt when ADDR is not a literal.
std::optional<Endpoint> makeEndpoint(std::string_view address, std::uint16_t port);

// "ADDR:PORT", "[ADDR]:PORT" for IPv6: for logs and query.
std::string toString(const Endpoint& endpoint);

// "IPv4" or "IPv6", as the ng protocol names families.
std::string_view familyName(const Endpoint& endpoint);

} // namespace rtcgate::net
