// What rtcgate speaks with one party on one media line, decided from that
// party's or the other party's SDP and the proxy's TransportRequest.
#pragma once

#include "rtcgate/dtls/SetupRole.hpp"
#include "rtcgate/media/TransportRequest.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtcgate::media {

struct TransportPlan {
    std::string protocol; // the m= proto rtcgate writes toward the party
    bool ice = false;     // ICE-lite toward the party
    bool dtls = false;    // DTLS-SRTP
    dtls::SetupAttribute setup = dtls::SetupAttribute::ActPass;
    std::optional<dtls::DtlsRole> dtlsRole; // nullopt: an actpass offer, decided by the answer
    bool sdes = false;                      // SDES-SRTP (a=crypto)
    SdesRequest sdesSuites;                 // which suites SDES may use
    // Answering: the suite the other party's SDES leg uses, taken when the offer has it (the two legs then run
    // the same suite); otherwise the offer's first that sdesSuites allows.
    std::optional<srtp::SrtpProfile> sdesPreferred;
    // Offering: the other party's own SDES suites, in its order; they go first (as rtpengine orders them), then
    // the rest, strongest first.
    std::vector<srtp::SrtpProfile> sdesOfferedFirst;
    bool rtcpMux = false;
    // Offering SRTP on RTP/AVP (RFC 8643): an answer with neither a=crypto nor a=fingerprint leaves the line plain.
    bool opportunistic = false;

    bool secure() const { return dtls || sdes; }
    bool operator==(const TransportPlan&) const = default;
};

// RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP[F]: media must be SRTP.
bool isSecureProtocol(std::string_view protocol);
// UDP/TLS/RTP/SAVP[F]: SRTP keyed by DTLS (RFC 5764 section 8).
bool isDtlsProtocol(std::string_view protocol);

// rtcgate's transport toward the answerer of an offer whose offerer described
// `offered` (RFC 3264: the offer rtcgate makes on the offerer's behalf).
// `recipient` is what the answerer's own last SDP said of the line (nullopt
// before it has sent one): where the request is silent, a re-offer keeps the
// protocol, ICE and rtcp-mux the party already speaks, as rtpengine does (a
// carrier's re-INVITE without flags must not turn a browser's line into plain
// RTP, nor a browser's re-offer a carrier's into DTLS-SRTP).
// `recipientOfferedDtlsAlone`: the answerer has itself offered DTLS-SRTP
// without SDES on the line; it is not offered SDES any more (rtpengine's rule).
TransportPlan planOffer(const sdp::MediaTransport& offered, const TransportRequest& request,
                        const std::optional<sdp::MediaTransport>& recipient = std::nullopt,
                        bool recipientOfferedDtlsAlone = false);

// rtcgate's transport toward the offerer, answering what it `offered`. The
// answer can only take up what was offered: the protocol is the offer's, and
// ICE, DTLS, SDES and rtcp-mux are used only when the offer had them.
// `currentRole` is rtcgate's DTLS role toward the offerer so far: an actpass
// re-offer is answered in the same role, which keeps the DTLS association
// (RFC 8842 section 5.5; rtpengine does the same).
TransportPlan planAnswer(const sdp::MediaTransport& offered, const TransportRequest& request,
                         std::optional<dtls::DtlsRole> currentRole = std::nullopt);

} // namespace rtcgate::media
