// What the signaling proxy asks of rtcgate's transport toward the party an
// offer or answer goes to: rtpengine's ng keys ICE, DTLS, SDES,
// transport-protocol and rtcp-mux, as Kamailio and OpenSIPS send them.
#pragma once

#include "rtcgate/srtp/SrtpProfile.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtcgate::media {

enum class IceRequest {
    Default, // ICE toward the party when the other party's SDP has ICE
    Force,   // ICE-lite toward the party whatever the other side does
    Remove,  // no ICE toward the party
};

enum class DtlsRequest {
    Default, // DTLS-SRTP when the protocol toward the party is UDP/TLS/...
    Off,     // never DTLS
    Active,  // answer an actpass offer with the DTLS client role (a=setup:active)
    Passive, // answer an actpass offer with the DTLS server role (a=setup:passive)
};

struct SdesRequest {
    bool off = false;                          // no a=crypto toward the party
    std::vector<srtp::SrtpProfile> only{};     // only-SUITE: offer just these (empty: every suite)
    std::vector<srtp::SrtpProfile> excluded{}; // no-SUITE

    bool allows(srtp::SrtpProfile profile) const;
};

// RFC 5761 rtcp-mux, as rtpengine's rtcp-mux list names it.
struct RtcpMuxRequest {
    bool offer = false;   // offer rtcp-mux toward the party even if the other party did not
    bool require = false; // offer it as the only way (RFC 8858 a=rtcp-mux-only is not written; mux is offered)
    bool demux = false;   // no rtcp-mux toward the party: RTCP on its own port
    bool accept = false;  // accept the offerer's rtcp-mux (the default)
    bool reject = false;  // refuse the offerer's rtcp-mux
};

// Opportunistic SRTP (RFC 8643): a=crypto (and DTLS) on an RTP/AVP line, plain RTP when the answerer takes neither.
struct OsrtpRequest {
    bool offer = false;  // offer it toward the party that gets the offer
    bool accept = false; // in an answer: take up the offerer's OSRTP (SRTP toward the offerer)
};

struct TransportRequest {
    IceRequest ice = IceRequest::Default;
    DtlsRequest dtls = DtlsRequest::Default;
    SdesRequest sdes{};
    // transport-protocol: RTP/AVP, RTP/AVPF, RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP[F]
    std::optional<std::string> protocol{};
    RtcpMuxRequest rtcpMux{};
    OsrtpRequest osrtp{};
};

} // namespace rtcgate::media
