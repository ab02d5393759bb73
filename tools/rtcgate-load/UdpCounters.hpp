// The kernel's UDP counters of this network namespace (/proc/net/snmp, the
// "Udp:" lines): where datagrams were dropped, whichever socket it was.
#pragma once

#include <cstdint>
#include <optional>

namespace rtcgate::load {

struct UdpCounters {
    std::int64_t inDatagrams = 0;
    std::int64_t noPorts = 0;      // to a port nobody listens on
    std::int64_t inErrors = 0;     // all receive drops
    std::int64_t rcvbufErrors = 0; // a full receive buffer
    std::int64_t sndbufErrors = 0; // a full send buffer

    UdpCounters operator-(const UdpCounters& earlier) const;
};

std::optional<UdpCounters> readUdpCounters();

} // namespace rtcgate::load
