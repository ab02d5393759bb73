// An ng reply as one UDP datagram. A reply that does not fit one is never dropped silently: `list` keeps the
// call-ids that fit and says how many there are, query and delete leave out the per-party statistics, and any
// other reply becomes an error that points the proxy to the TCP control socket (the command has run).
#pragma once

#include "rtcgate/control/Bencode.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace rtcgate::control {

// What one reply datagram may hold: below the 65,507 bytes of a UDP payload over IPv4.
inline constexpr std::size_t kMaxUdpReply = 65000;

// "<cookie> <bencoded reply>".
std::string encodeReply(std::string_view cookie, const bencode::Dict& reply);

// The reply's datagram, at most `maxBytes` long (see above).
std::string encodeUdpReply(std::string_view cookie, bencode::Dict reply, std::size_t maxBytes = kMaxUdpReply);

} // namespace rtcgate::control
