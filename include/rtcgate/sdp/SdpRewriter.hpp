// What rtcgate reads from and writes into the SDP it relays: the peer's
// transport per media line, and the rewrite that puts rtcgate's own address
// and ports in place of the peer's.
#pragma once

#include "rtcgate/sdp/SessionDescription.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::sdp {

// True for a media line rtcgate relays: audio over an RTP profile
// (RTP/AVP, RTP/AVPF, RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP[F]) on a non-zero port.
bool isRelayable(const MediaDescription& media);

// Where the peer that wrote the SDP wants to receive media line `index`.
struct PeerTransport {
    std::string address; // from the media's c=, else the session's
    std::uint16_t rtpPort = 0;
    std::string rtcpAddress;    // a=rtcp:PORT IN IP4 ADDR, else `address`
    std::uint16_t rtcpPort = 0; // a=rtcp:PORT, else rtpPort + 1; rtpPort with rtcp-mux
                                // (0 when rtpPort is 65535 and there is no usable a=rtcp)
    bool rtcpMux = false;
    Direction direction = Direction::SendRecv;
};

// nullopt when the line is not relayable or has no usable connection address.
std::optional<PeerTransport> peerTransport(const SessionDescription& sdp, std::size_t index);

// rtcgate's side of one media line in the SDP it hands on.
struct LocalMedia {
    bool relayed = false; // false: the line is declined (port 0)
    std::uint16_t rtpPort = 0;
    std::uint16_t rtcpPort = 0;
};

struct RewriteOptions {
    std::string address;                   // rtcgate's media address (IPv4 or IPv6 literal)
    bool replaceOrigin = false;            // o= address becomes `address`
    bool replaceSessionConnection = false; // session-level c= is rewritten even when every media has its own
};

// Rewrites `sdp` in place, media line i according to local[i]
// (local.size() == sdp.media.size()):
// - relayed lines: port := rtpPort, media-level c= := address (added when the
//   line had none and the session c= is not rewritten), a=rtcp := long form
//   "rtcpPort IN IP4|IP6 address" when the input had a=rtcp;
// - declined lines: port 0, nothing else changed;
// - the session c= := address when any relayed line relies on it, or with
//   replaceSessionConnection;
// - o= address := address with replaceOrigin.
// The origin's session version is left alone: the caller owns versioning.
// Throws std::invalid_argument when local.size() != sdp.media.size().
void rewrite(SessionDescription& sdp, const std::vector<LocalMedia>& local, const RewriteOptions& options);

} // namespace rtcgate::sdp
