// What rtcgate speaks with one party on one media line beyond plain RTP:
// ICE-lite (RFC 8445), DTLS-SRTP (RFC 5764) or SDES-SRTP (RFC 4568), and
// rtcp-mux (RFC 5761). Both streams of the line use it; with rtcp-mux the RTP
// stream's socket carries STUN, DTLS, SRTP and SRTCP, told apart by their
// first byte (RFC 7983).
#pragma once

#include "rtcgate/dtls/DtlsEndpoint.hpp"
#include "rtcgate/dtls/Fingerprint.hpp"
#include "rtcgate/dtls/SetupRole.hpp"
#include "rtcgate/ice/IceLiteResponder.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/LogContext.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/TransportPlan.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/srtp/CryptoAttribute.hpp"
#include "rtcgate/srtp/SrtpProfile.hpp"
#include "rtcgate/srtp/SrtpSession.hpp"

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rtcgate::media {

class Stream;

enum class IceState {
    Off,
    Waiting,   // no nominated path yet
    Connected, // a nominated path with consent
    Failed,    // consent expired (RFC 7675 section 5.1): nothing is sent until an ICE restart
};

std::string_view toString(IceState state);

// What keys the line's SRTP.
enum class Keying {
    None,
    Dtls, // DTLS-SRTP (RFC 5764)
    Sdes, // a=crypto (RFC 4568)
};

struct TransportCounters {
    std::uint64_t stunRejected = 0;   // bad integrity, wrong username, malformed: no success response
    std::uint64_t srtpAuthFailed = 0; // SRTP/SRTCP whose tag did not verify
    std::uint64_t srtpReplayed = 0;   // SRTP/SRTCP index already seen
    std::uint64_t srtpNotReady = 0;   // media before the keys (DTLS handshake not done)
    std::uint64_t dtlsFailures = 0;
    // DTLS from a source that is not the party's (under ICE: that passed no check with the party's credentials),
    // dropped before OpenSSL sees it.
    std::uint64_t dtlsRefused = 0;
    // Media under ICE from a source that passed no check, dropped before libsrtp sees it.
    std::uint64_t foreignMedia = 0;
};

// For query, taken on the shard.
struct TransportSnapshot {
    std::string protocol;
    bool rtcpMux = false;
    IceState ice = IceState::Off;
    std::optional<net::Endpoint> iceSelected;
    std::uint64_t stunAnswered = 0;
    std::optional<std::string> dtlsState; // absent without DTLS
    std::string dtlsRole;
    std::string dtlsCipher;
    std::string dtlsFailure;
    std::uint64_t dtlsDiscarded = 0; // records from the party dropped as RFC 6347 section 4.1.2.7 allows
    std::string srtpProfile;         // empty until SRTP is keyed
    Keying keying = Keying::None;
    TransportCounters counters;
};

class LegTransport {
public:
    LegTransport(MediaContext& context, LogContext log);
    ~LegTransport();
    LegTransport(const LegTransport&) = delete;
    LegTransport& operator=(const LegTransport&) = delete;

    void setLogContext(const LogContext& log) { log_ = log; }

    // --- the offer/answer exchange, in the order RFC 3264 gives them ---
    // The party offered `remote`; rtcgate answers later with sendAnswer().
    void receiveOffer(const sdp::MediaTransport& remote);
    // rtcgate answers the party's offer with `plan`.
    void sendAnswer(const TransportPlan& plan, Clock::time_point now);
    // rtcgate offers `plan` to the party.
    void sendOffer(const TransportPlan& plan, Clock::time_point now);
    // The party answered rtcgate's offer with `remote`.
    void receiveAnswer(const sdp::MediaTransport& remote, Clock::time_point now);
    // After each step above and after onTick(): sends what the DTLS endpoint has queued from `rtp`,
    // the line's RTP stream (control packets leave from its socket), once there is a path to the party.
    void flush(Stream& rtp);

    // rtcgate's side of the line for the SDP handed to the party.
    sdp::MediaTransport describe(std::uint16_t port) const;

    const TransportPlan& plan() const { return plan_; }
    // rtcgate's DTLS role toward the party; nullopt: no DTLS, or an actpass offer still unanswered.
    std::optional<dtls::DtlsRole> dtlsRole() const;
    // The suite SRTP runs on toward the party when SDES keyed it.
    std::optional<srtp::SrtpProfile> sdesSuite() const;
    bool rtcpMux() const { return rtcpMux_; }
    bool iceEnabled() const { return responder_ != nullptr; }
    // Whether media must be SRTP both ways.
    bool secure() const { return plan_.secure(); }

    // --- the hot path, called by the streams ---
    // A packet whose first byte is below 128 (RFC 7983: STUN 0-3, DTLS 20-63) that arrived on `from`;
    // what it calls for (a STUN response, a DTLS flight) leaves from there. False when it was neither
    // or was refused (counted).
    bool onControlPacket(Stream& from, std::span<const std::uint8_t> packet, const sockaddr* source,
                         socklen_t sourceLength, Clock::time_point now);
    // Under ICE, whether media from `source` may go on to SRTP: the nominated path, or another source that passed
    // a check; other sources are counted.
    bool acceptsMediaFrom(const net::Endpoint& source);
    // In place in `buffer`, whose first `length` bytes are the packet.
    srtp::SrtpStatus unprotect(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t& length);
    srtp::SrtpStatus protect(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t& length);
    // Where media to the party goes under ICE: the nominated address while
    // consent lasts, else nothing.
    const std::optional<net::Endpoint>& iceDestination() const { return iceDestination_; }

    // DTLS retransmission and consent freshness; from the shard's housekeeping.
    void onTick(Clock::time_point now);

    TransportSnapshot snapshot() const;

private:
    void ensureIce();
    void applyRemoteIce(const sdp::MediaTransport& remote);
    void ensureDtls(dtls::DtlsRole role, Clock::time_point now);
    void applyRemoteFingerprint(const sdp::MediaTransport& remote, Clock::time_point now);
    void answerSdes();
    void offerSdes();
    std::optional<srtp::CryptoAttribute> sdesCryptoInUse() const;
    void forgetSdes();
    void matchSdesAnswer(const sdp::MediaTransport& remote);
    void keySdes(srtp::SrtpProfile profile, const srtp::SrtpMasterKey& local, const srtp::SrtpMasterKey& remote);
    bool onStun(Stream& from, std::span<const std::uint8_t> packet, const sockaddr* source, socklen_t sourceLength,
                Clock::time_point now);
    // Whether a DTLS datagram from `source` is the party's: under ICE a source that passed a check, else the first
    // source that spoke DTLS (or the one media latched).
    bool isPeer(const Stream& from, const net::Endpoint& source) const;
    // The nominated path, or another source that passed a check with the party's credentials.
    bool passedIce(const net::Endpoint& source) const;
    bool onDtls(std::span<const std::uint8_t> packet, const net::Endpoint& source, Clock::time_point now);
    // Takes the keys of a finished handshake, or notes its failure.
    void afterDtls();
    std::optional<net::Endpoint> controlDestination(const Stream& rtp) const;

    MediaContext& context_;
    LogContext log_;
    TransportPlan plan_;
    bool rtcpMux_ = false;
    sdp::MediaTransport remote_; // what the party last said

    std::unique_ptr<ice::IceLiteResponder>
        responder_; // on the heap: 13 KB, most of it libnice's StunAgent, that a plain leg does without
    std::optional<net::Endpoint> iceDestination_;
    bool iceFailed_ = false;

    std::unique_ptr<dtls::DtlsEndpoint> dtls_;
    std::optional<dtls::Fingerprint> dtlsFingerprint_; // the one dtls_ verifies the peer against
    bool dtlsFailed_ = false;
    std::optional<net::Endpoint> lastDtlsSource_;

    std::vector<srtp::CryptoAttribute> localCrypto_; // offered or answered a=crypto
    std::optional<srtp::SrtpKeyPair> sdesKeys_;      // the keys srtp_ runs on when keyed by SDES
    std::optional<srtp::SrtpSession> srtp_;
    Keying keying_ = Keying::None;

    TransportCounters counters_;
    std::array<std::uint8_t, ice::IceLiteResponder::kMaxResponseSize> stunResponse_{};
};

} // namespace rtcgate::media
