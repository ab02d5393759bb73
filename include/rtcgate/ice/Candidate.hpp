// A local host candidate as an SDP attribute (RFC 8839 section 5.1).
#pragma once

#include "rtcgate/net/Endpoint.hpp"

#include <cstdint>
#include <string>

namespace rtcgate::ice {

// RFC 8445 section 5.1.2.1: (2^24) * type preference + (2^8) * local
// preference + (256 - component ID).
constexpr std::uint32_t candidatePriority(std::uint8_t typePreference, std::uint16_t localPreference,
                                          std::uint8_t component) {
    return (std::uint32_t{typePreference} << 24) + (std::uint32_t{localPreference} << 8) + (256U - component);
}

// RFC 8445 section 5.1.2.2: host candidates get the highest type preference;
// one address per family, so every candidate can have the top local preference.
constexpr std::uint8_t kHostTypePreference = 126;
constexpr std::uint16_t kHostLocalPreference = 65535;
// rtcp-mux is required of WebRTC peers: RTP and RTCP share component 1.
constexpr std::uint8_t kRtpComponent = 1;

struct Candidate {
    std::string foundation;
    std::uint32_t priority = 0;
    net::Endpoint address;

    // A host candidate of component 1 over UDP.
    static Candidate host(std::string foundation, const net::Endpoint& address);

    // The value of its a=candidate attribute: "<foundation> 1 udp <priority> <ip> <port> typ host".
    std::string sdpValue() const;
};

} // namespace rtcgate::ice
