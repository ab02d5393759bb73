// A call: its parties (Legs, one per SIP tag), its media lines (one per m= line: a MediaLine, with a
// side facing either party, once an SDP gave the line a port; a DeclinedLine before), and the
// offer/answer exchange that describes them.
//
// Allocated by this: the Legs, the MediaLines and the DeclinedLines (shared by equal lines of this
// Call only). A MediaLine refers to nothing outside itself but the shard's MediaContext
// and this Call, where its digits are recorded (DigitRecorder).
#pragma once

#include "rtcgate/media/CallError.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/CodecRequest.hpp"
#include "rtcgate/media/DeclinedLine.hpp"
#include "rtcgate/media/Direction.hpp"
#include "rtcgate/media/DtmfDigit.hpp"
#include "rtcgate/media/EndpointLearning.hpp"
#include "rtcgate/media/Leg.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/MediaLine.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/media/TransportRequest.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rtcgate::media {

// One offer or answer as the signaling proxy hands it over.
struct Signal {
    std::string fromTag;
    std::string toTag;
    std::string label; // ng "label": names the party whose SDP this is (the offerer, or the answerer)
    sdp::SessionDescription sdp;
    bool strictSource = false;
    bool mediaHandover = false;
    std::optional<LearningMode> endpointLearning; // ng "endpoint-learning": the call's, instead of the daemon's
    bool replaceOrigin = false;
    bool replaceSessionConnection = false;
    bool replaceZeroAddress = false; // a party's RFC 2543 hold goes on with rtcgate's address (its direction stays)
    bool loopProtect = false;        // the SDP written carries the daemon's mark (MediaContext::instanceId)
    // Where the party's media comes from when the SDP's address is not to be
    // trusted ("SIP source address" with "received from").
    std::optional<std::string> addressOverride;
    // ICE, DTLS, SDES, protocol and rtcp-mux toward the party the SDP goes to.
    TransportRequest transport;
    // The codecs toward the party the SDP goes to (ng "codec" and the transcoding flags).
    CodecRequest codec;
};

// One m= line of a call: declined by every SDP so far (what the parties said of it; nullptr before any
// did), or relayed (or relayed once).
using CallLine = std::variant<std::shared_ptr<const DeclinedLine>, std::unique_ptr<MediaLine>>;

// The line's MediaLine; nullptr while it is declined.
inline MediaLine* mediaLineOf(const CallLine& line) {
    const auto* media = std::get_if<std::unique_ptr<MediaLine>>(&line);
    return media != nullptr ? media->get() : nullptr;
}

// What the parties said of a declined line; nullptr for a MediaLine, or before any party described it.
inline const std::shared_ptr<const DeclinedLine>* declinedLineOf(const CallLine& line) {
    return std::get_if<std::shared_ptr<const DeclinedLine>>(&line);
}

struct SignalResult {
    std::string sdp;
    std::optional<CallFailure> failure{};
    std::vector<std::string> warnings{}; // what was asked and not done (a codec rtcgate cannot transcode)

    bool ok() const { return !failure; }
};

class Call final : private DigitRecorder {
public:
    Call(std::string id, MediaContext& context);
    ~Call() override;
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    const std::string& id() const { return id_; }

    // The offerer (fromTag) describes its media; the result is the SDP for
    // the other party, with rtcgate's sockets facing that party.
    SignalResult offer(const Signal& signal);
    // The answerer (toTag) describes its media; the result is the SDP for
    // the offerer (fromTag).
    SignalResult answer(const Signal& signal);

    // ng "block DTMF"/"unblock DTMF": the digits of the party `tag` (of every party when empty) reach
    // its peer in no form. False when no party has that tag.
    bool setDtmfBlocked(const std::string& tag, bool blocked);
    // ng "play DTMF": queues the digits toward the party, as events where it negotiated
    // telephone-event, else as tones in its audio; the line must be transcoded.
    std::optional<CallFailure> playDtmf(const DtmfPlay& play);

    // Stops media at once and closes the sockets; the ports stay held until
    // the Call is destroyed (after --delete-delay).
    void markDeleted();
    bool deleted() const { return deleted_; }

    // The last time a packet arrived on any stream, or the call was signaled.
    Clock::time_point lastActivity() const;
    // Every stream's counters added up (lastPacket left empty).
    StreamStats totals() const;
    // DTLS retransmission, ICE consent, RTCP and passed-through digits of every line; from the shard's housekeeping.
    void onTick(Clock::time_point now);
    // Its transcoders toward Opus parties encode at `complexity` from now on (the shard's load says).
    void setOpusComplexity(int complexity);
    // Sends the transcoded packets due by `now`; from every shard tick.
    void onMediaTick(Clock::time_point now);

    // For snapshotOf (media/CallSnapshot.hpp).
    std::chrono::system_clock::time_point created() const { return created_; }
    std::chrono::system_clock::time_point lastSignal() const { return lastSignal_; }
    const std::vector<std::unique_ptr<Leg>>& legs() const { return legs_; }
    const std::vector<CallLine>& lines() const { return lines_; }
    // How many of its lines are transcoded.
    std::size_t transcodedLines() const;

private:
    Leg& legFor(const std::string& tag);
    Leg* findLeg(const std::string& tag);
    // The party on `side` of the lines (at most one leg holds a side); nullptr: none.
    Leg* legOnSide(std::size_t side);
    // `from` and `to` are in dialogue, each on its own side of the media lines.
    void pair(Leg& from, Leg& to);
    // Applies `owner`'s SDP; `other` is the leg the result goes to. What it refused goes to `warnings`.
    std::optional<CallFailure> applyRemote(Leg& owner, Leg& other, const Signal& signal, Exchange exchange,
                                           std::vector<std::string>& warnings);
    // Where the party's SDP says it receives on `address`/`port`; nullopt for none (hold, port 0). One of
    // rtcgate's own sockets is refused (named in `warnings`) and the party's destination of before, `current`,
    // stays: that SDP is rtcgate's own come back (a spiral), not the party's.
    std::optional<net::Endpoint> destinationOf(const std::string& address, std::uint16_t port, std::size_t line,
                                               const std::optional<net::Endpoint>& current,
                                               std::vector<std::string>& warnings) const;
    // Line `index` stays declined, and the party on `owner` described it as `line`.
    void decline(std::size_t index, std::size_t owner, const sdp::MediaDescription& line);
    // Line `index` is `declined` from now on: the same as the line before it shares its record.
    void setDeclined(std::size_t index, DeclinedLine declined);
    // Line `index` as a MediaLine: a declined one becomes one, with what its parties said of it.
    MediaLine& relay(std::size_t index);
    // The SDP for `recipient`: an offer made to it, or the answer to its offer.
    SignalResult render(Leg& recipient, const Signal& signal, Exchange exchange);
    // Writes the payload formats of `line`, relayed by `media`, of the SDP for `recipient` (a WebRTC party
    // when `toWebRtc`); returns warnings.
    std::vector<std::string> renderCodecs(const Leg& recipient, const MediaLine& media, sdp::MediaDescription& line,
                                          const Signal& signal, Exchange exchange, bool toWebRtc) const;
    void recordDigit(std::size_t side, const DtmfDigit& digit, const std::optional<net::Endpoint>& from) override;
    void recordDigit(Leg& party, const DtmfDigit& digit, const std::optional<net::Endpoint>& from);
    template <typename Function>
    void forEachStream(Function&& function) const;
    // `function(MediaLine&)` for each line that is not declined.
    template <typename Function>
    void forEachMediaLine(Function&& function) const;

    std::string id_;
    MediaContext& context_;
    std::vector<std::unique_ptr<Leg>> legs_;
    std::vector<CallLine> lines_; // after legs_: a line records digits on them
    std::chrono::system_clock::time_point created_;
    std::chrono::system_clock::time_point lastSignal_;
    Clock::time_point lastSignalSteady_;
    SourceRules sourceRules_;
    bool deleted_ = false;
    CodecRequest offerCodecs_; // of the offer awaiting its answer
    bool transcoding_ = false; // any line has a transcoder: the tick has work here
};

} // namespace rtcgate::media
