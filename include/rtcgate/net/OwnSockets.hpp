// Where this daemon's media sockets are: its media and advertised addresses,
// and the whole port range of every shard. A party whose SDP or packets name
// one of them would have rtcgate relay to itself (a signaling spiral): such a
// destination is never used.
#pragma once

#include "rtcgate/net/Endpoint.hpp"

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <vector>

namespace rtcgate::net {

class OwnSockets {
public:
    OwnSockets() = default;
    OwnSockets(std::vector<boost::asio::ip::address> addresses, std::uint16_t portMin, std::uint16_t portMax);

    bool contains(const Endpoint& endpoint) const;

private:
    std::vector<boost::asio::ip::address> addresses_;
    std::uint16_t portMin_ = 0;
    std::uint16_t portMax_ = 0;
};

} // namespace rtcgate::net
