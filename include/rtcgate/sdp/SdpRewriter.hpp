// What rtcgate reads from and writes into the SDP it relays: the peer's
// transport per media line, and the rewrite that puts rtcgate's own address
// and ports in place of the peer's.
#pragma once

#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
    Direction direction = Direction::SendRecv; // with a zero address, what the party still does
    bool zeroAddress = false;                  // RFC 2543 hold: c= 0.0.0.0 (or ::)
};

// nullopt when the line is not relayable or has no usable connection address.
std::optional<PeerTransport> peerTransport(const SessionDescription& sdp, std::size_t index);

// rtcgate's side of one media line in the SDP it hands on.
struct LocalMedia {
    bool relayed = false; // false: the line is declined (port 0)
    std::uint16_t rtpPort = 0;
    std::uint16_t rtcpPort = 0; // rtpPort when RTCP is muxed on it, else the fallback port (RFC 5761 section 5.1.3)
    // rtcgate's own transport toward the party that receives the SDP (the
    // other party's ICE, DTLS, SDES and BUNDLE attributes mean nothing to it).
    // nullopt: the line's transport attributes pass through untouched.
    // (Initialized so that {relayed, rtpPort, rtcpPort} stays warning-free.)
    std::optional<MediaTransport> transport = std::nullopt;
    // The other party holds the line with a zero c= address (RFC 2543): the direction it leaves is written (sendonly
    // or inactive), and the zero address is passed on unless `replaceZeroAddress`, as rtpengine does.
    bool held = false;
    bool replaceZeroAddress = false;

    bool zeroAddress() const { return held && !replaceZeroAddress; }
};

struct RewriteOptions {
    std::string address;                   // rtcgate's media address (IPv4 or IPv6 literal)
    bool replaceOrigin = false;            // o= address becomes `address`
    bool replaceSessionConnection = false; // session-level c= is rewritten even when every media has its own
    std::string loopMarker = {};           // non-empty: the session gets a=rtpengine:loopMarker (ng "loop protect")
};

// Whether the session carries a=rtpengine:`instanceId`: rtpengine's mark of an SDP it wrote with "loop protect".
// An SDP that comes back with its writer's mark has been through a signaling spiral.
bool carriesLoopMarker(const SessionDescription& sdp, std::string_view instanceId);

// Rewrites `sdp` in place, media line i according to local[i]
// (local.size() == sdp.media.size()):
// - relayed lines: port := rtpPort, media-level c= := address (added when the
//   line had none and the session c= is not rewritten), a=rtcp := rtcpPort
//   (added when the line had none; the long form "rtcpPort IN IP4|IP6 address"
//   toward a WebRTC transport);
// - declined lines: port 0, nothing else changed;
// - the session c= := address when any relayed line relies on it, or with
//   replaceSessionConnection;
// - o= address := address with replaceOrigin;
// - a=rtpengine:loopMarker appended to the session (once) when loopMarker is set.
// The origin's session version is left alone: the caller owns versioning.
//
// A line with a transport additionally gets rtcgate's transport in place of
// the peer's:
// - proto := transport->protocol when non-empty (declined lines too: JSEP,
//   RFC 8829 section 5.3.1, answers a rejected line with the offered proto);
// - removed: ice-ufrag, ice-pwd, ice-options, ice-lite, ice-pacing,
//   ice-mismatch, candidate, remote-candidates, end-of-candidates,
//   fingerprint, setup, connection (RFC 4145), tls-id, crypto, rtcp-mux,
//   rtcp-mux-only, bundle-only, mid;
// - removed when the transport is not WebRTC (isWebRtc false), as only WebRTC
//   peers use them: extmap, extmap-allow-mixed, msid, ssrc, ssrc-group,
//   rtcp-fb, rtcp-rsize;
// - rtcp-fb removed whatever the transport when the proto has no feedback
//   profile (does not end in AVPF, RFC 4585 section 4);
// - appended: a=mid, a=ice-ufrag, a=ice-pwd, a=fingerprint, a=setup, each
//   a=candidate then a=end-of-candidates (RFC 8840), each a=crypto, a=rtcp-mux;
//   declined lines only get a=mid (browsers want one on every m= line once
//   BUNDLE is used, JSEP), never ICE, DTLS or candidates;
// - a=rtcp: a relayed WebRTC line always gets the long form, as browsers
//   write and expect it (JSEP section 5.2.1; rtcpPort == rtpPort when
//   muxing); any other line as above.
// When any line has a transport, the session level loses the peer's ice-lite,
// ice-ufrag, ice-pwd, ice-options, ice-pacing, fingerprint, setup, tls-id and
// every a=group (BUNDLE or not, RFC 5888 groups name the peer's mids), and,
// when no transport is WebRTC, msid-semantic, extmap-allow-mixed and extmap;
// then gains, appended:
// - a=group:BUNDLE with the mids of the relayed WebRTC lines, when there is
//   one (RFC 8843: a rejected line is never in the group);
// - a=ice-lite when a relayed line's transport has ICE and iceLite (a
//   session-level attribute, RFC 8839 section 5.3).
// Throws std::invalid_argument when local.size() != sdp.media.size().
void rewrite(SessionDescription& sdp, const std::vector<LocalMedia>& local, const RewriteOptions& options);

} // namespace rtcgate::sdp
