// One m= line of a call: both parties' sides of it and the two directions between them.
//
// Allocated by this: two LineSides (sockets, transport, rtcgate's own RTP and RTCP toward each party)
// and two Directions (what each party sends, on its way to the other: passed through or transcoded,
// and its DTMF). Every reference across the two sides stays inside this object: the route tables of
// one side's streams name the other side's streams and this line's transcoder, translator and RTCP;
// a Direction writes on the other side's RtpStreamWriter. The directions are declared after the
// sides, so they go first. Referenced by: nothing outside the Call that owns it.
#pragma once

#include "rtcgate/media/CallError.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/CodecPlan.hpp"
#include "rtcgate/media/DeclinedLine.hpp"
#include "rtcgate/media/Direction.hpp"
#include "rtcgate/media/EndpointLearning.hpp"
#include "rtcgate/media/LineSide.hpp"
#include "rtcgate/media/LogContext.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/TransportRequest.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"
#include "rtcgate/sdp/SdpRewriter.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <array>
#include <cstddef>
#include <optional>

namespace rtcgate::media {

// Which step of RFC 3264 a party's SDP is.
enum class Exchange {
    Offer,
    Answer
};

class MediaLine {
public:
    static constexpr std::size_t kSides = 2;
    static constexpr std::size_t other(std::size_t side) { return 1 - side; }

    // `declined`: what the parties said of the line while it was declined (its sides start described so).
    MediaLine(MediaContext& context, DigitRecorder& recorder, const DeclinedLine* declined = nullptr);
    MediaLine(const MediaLine&) = delete;
    MediaLine& operator=(const MediaLine&) = delete;

    LineSide& side(std::size_t side) { return sides_[side]; }
    const LineSide& side(std::size_t side) const { return sides_[side]; }
    // What the party on `side` sends.
    Direction& from(std::size_t side) { return directions_[side]; }
    const Direction& from(std::size_t side) const { return directions_[side]; }

    // --- the offer/answer exchange, in the order Call applies it ---
    // The party on `owner` described its side as `line` in its SDP; the other side takes its media
    // type and protocol until its own party describes it.
    void describe(std::size_t owner, const sdp::MediaDescription& line);
    // Both sides get their sockets (kept when they have them), `first`'s first. False: no port pair left.
    std::optional<CallError> open(std::size_t first);
    // The line is declined: both sides lose their sockets, transports and transcoding.
    void close();
    // The party on `side` leaves the call (another takes its place): its sockets close, and what it said is
    // forgotten, so that its successor gets ports of its own, which the one who left cannot reach.
    void closeSide(std::size_t side);
    // ICE, DTLS, SDES and rtcp-mux: the party on `owner` sent `remote` in an offer or an answer, and
    // rtcgate's offer or answer toward the other party follows `request`.
    void negotiate(std::size_t owner, const sdp::MediaTransport& remote, const TransportRequest& request,
                   Exchange exchange);
    // Once answered: the codec of each side, and passthrough or transcoding between them (nullopt:
    // relayed as it comes). `offerer`: the side of the offer's party.
    void configure(std::size_t offerer, const std::optional<CodecSelection>& selection);
    // Where the party on `owner` receives, and its media direction.
    void setRemote(std::size_t owner, const sdp::PeerTransport& transport, const std::optional<net::Endpoint>& rtp,
                   const std::optional<net::Endpoint>& rtcp);
    void setLogContext(std::size_t side, const LogContext& log) { sides_[side].setLogContext(log); }
    // Endpoint learning, strict source and media handover of the call.
    void setSourceRules(const SourceRules& rules);
    // ng "block DTMF" of the party on `side`.
    void setDtmfBlocked(std::size_t side, bool blocked);
    // The call is deleted: media stops at once, counters stay for query.
    void stop();

    // Every transcoder of the line toward an Opus party encodes at `complexity` from now on.
    void setOpusComplexity(int complexity);
    bool transcoding() const {
        return directions_[0].transcoder() != nullptr || directions_[1].transcoder() != nullptr;
    }

    // Sends the transcoded packets due by `now`; from every shard tick.
    void onMediaTick(Clock::time_point now);
    // DTLS retransmission, ICE consent, RTCP reports, the digits of a passed-through line; from the
    // shard's housekeeping.
    void onTick(Clock::time_point now);

private:
    // Sets each stream's route table from what the line is now: after every change above.
    void route();
    void routeSide(std::size_t side);
    void startTranscoding(std::size_t source, const sdp::PayloadFormat& from, const sdp::PayloadFormat& to);
    void stopTranscoding();

    MediaContext& context_;
    SourceRules sourceRules_;
    std::array<LineSide, kSides> sides_;
    std::array<Direction, kSides> directions_; // [i]: from side i to the other
};

} // namespace rtcgate::media
