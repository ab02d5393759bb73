// The transport attributes of one media line: what tells a peer how to reach
// and secure a stream (ICE, DTLS-SRTP, SDES, RTCP multiplexing, BUNDLE mid).
// rtcgate reads the peer's from the SDP it receives and writes its own into the
// SDP it hands on (see rewrite() in SdpRewriter.hpp).
#pragma once

#include "rtcgate/sdp/SessionDescription.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::sdp {

// Every member has a default initializer: designated initializers that name
// only some of them stay free of -Wmissing-field-initializers.
struct MediaTransport {
    std::string protocol{};                   // the m= line's proto, e.g. "UDP/TLS/RTP/SAVPF"
    std::optional<std::string> iceUfrag{};    // a=ice-ufrag (media level, else session level)
    std::optional<std::string> icePwd{};      // a=ice-pwd (media, else session)
    bool iceLite = false;                     // a=ice-lite (session, or media)
    std::vector<std::string> candidates{};    // values of a=candidate (what follows "a=candidate:")
    std::optional<std::string> fingerprint{}; // a=fingerprint value (media, else session), e.g. "sha-256 AB:CD:..."
    std::optional<std::string> setup{};       // a=setup value (media, else session): actpass|active|passive|holdconn
    std::vector<std::string> crypto{};        // values of a=crypto, in order
    bool rtcpMux = false;                     // a=rtcp-mux on the media line
    std::optional<std::string> mid{};         // a=mid

    bool operator==(const MediaTransport&) const = default;
};

// Reads media line `index` of an SDP a party sent, with the session-level
// fallbacks noted above. Values are trimmed; an attribute without a value
// counts as absent. A default MediaTransport when `index` is out of range.
MediaTransport readMediaTransport(const SessionDescription& sdp, std::size_t index);

// True when the transport speaks WebRTC: ICE credentials or a DTLS fingerprint
// (JSEP, RFC 8829 section 5.2.1, puts both in every m= section a browser writes).
bool isWebRtc(const MediaTransport& transport);

} // namespace rtcgate::sdp
