// One party's side of a media line: what the party's last SDP said of it, and rtcgate's objects
// that face the party: the RTP and RTCP sockets, the transport (ICE, DTLS, SRTP, rtcp-mux), rtcgate's
// own RTP stream toward the party, and its own RTCP toward it while the line is transcoded.
//
// Allocated by this: the streams, the transport, the writer and the reports. The streams refer to
// the transport; the reports to the writer. Referenced from the other side's route tables (its
// streams' targets) and from the Directions of the same MediaLine (the writer, the streams).
#pragma once

#include "rtcgate/media/CallError.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/LineQuality.hpp"
#include "rtcgate/media/LogContext.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::media {

// What a party's last SDP said of its side of a media line.
struct SideDescription {
    std::string type;                                    // audio, video, ...
    std::string protocol;                                // as the party's SDP says
    sdp::Direction direction = sdp::Direction::SendRecv; // with a zero address, what the party still does
    bool zeroAddress = false;                            // RFC 2543 hold: c= 0.0.0.0 (or ::)
    sdp::MediaTransport remote;                          // the party's ICE, DTLS, SDES, rtcp-mux and mid
    bool described = false;                              // the party has sent SDP for the line (the rest is
                                                         // otherwise a guess from the other party's)
    bool offeredDtlsAlone = false;                       // its last offer: a fingerprint and no a=crypto
    std::vector<sdp::PayloadFormat> formats;             // in the party's order
    unsigned ptime = 20;                                 // its a=ptime, in ms
    // Once answered: the format the party sends and receives (nullopt: relayed as it comes).
    std::optional<sdp::PayloadFormat> codec;
};

class LineSide {
public:
    LineSide(MediaContext& context, LogContext log);
    ~LineSide();
    LineSide(const LineSide&) = delete;
    LineSide& operator=(const LineSide&) = delete;

    SideDescription description;

    // Binds a port pair and makes the streams and the transport; true when they already are.
    // False: no port pair left.
    // A port pair of the shard's range, its sockets; the error when there is none.
    std::optional<CallError> open();
    // Releases everything (the line is declined or gone); the writer too.
    void close();
    // Stops media at once (the call is deleted): the sockets close, the port pair and the counters stay.
    void stop();
    bool relayed() const { return port_ != 0; }
    // The even port of the pair held in the shard's pool; 0: not relayed.
    std::uint16_t port() const { return port_; }

    void setLogContext(const LogContext& log);
    const LogContext& logContext() const { return log_; }
    // Where the party said it receives RTP and RTCP, at an offer or answer of its.
    void setAdvertised(const std::optional<net::Endpoint>& rtp, const std::optional<net::Endpoint>& rtcp,
                       Clock::time_point now);
    // An offer or answer of the other party.
    void signalled(Clock::time_point now);

    // Only while relayed.
    Stream& rtp() { return *rtp_; }
    Stream& rtcp() { return *rtcp_; }
    const Stream& rtp() const { return *rtp_; }
    const Stream& rtcp() const { return *rtcp_; }
    LegTransport& transport() { return *transport_; }
    const LegTransport& transport() const { return *transport_; }
    // The stream RTCP to the party leaves from: its RTP stream when it muxes (RFC 5761).
    Stream& rtcpSender() { return transport_->rtcpMux() ? *rtp_ : *rtcp_; }

    // rtcgate's own RTP stream toward the party, from the first time it is needed (a transcoded or
    // followed line) until the line closes: it outlives transcoders, so that SSRC, sequence and
    // timestamp run on across re-offers and hold.
    rtp::RtpStreamWriter& writer();
    // rtcgate's RTCP toward the party while the line is transcoded (else RTCP is relayed end to end).
    LegRtcp* reports() { return reports_.get(); }
    const LegRtcp* reports() const { return reports_.get(); }
    void startReports(Clock::time_point now);
    void stopReports() { reports_.reset(); }
    // Sends rtcgate's SR/RR to the party when one is due; whether it did.
    bool sendReport(Clock::time_point now);
    // How the party's audio reached rtcgate, sampled at each report while the line is transcoded; kept until
    // the line closes.
    const QualityHistory& qualityHistory() const { return quality_; }
    void recordQuality(const QualitySample& sample) { quality_.add(sample); }

private:
    MediaContext& context_;
    LogContext log_;
    std::uint16_t port_ = 0;
    std::unique_ptr<LegTransport> transport_;
    std::unique_ptr<Stream> rtp_;
    std::unique_ptr<Stream> rtcp_;
    std::unique_ptr<rtp::RtpStreamWriter> writer_;
    std::unique_ptr<LegRtcp> reports_; // refers to writer_
    QualityHistory quality_;
};

} // namespace rtcgate::media
