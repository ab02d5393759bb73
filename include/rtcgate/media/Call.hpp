// A call: its legs (one per SIP tag), the offer/answer exchange that
// describes them, and the wiring of their streams.
#pragma once

#include "rtcgate/jitter/JitterStatistics.hpp"
#include "rtcgate/media/CodecPlan.hpp"
#include "rtcgate/media/CodecRequest.hpp"
#include "rtcgate/media/Leg.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/TransportRequest.hpp"
#include "rtcgate/sdp/SdpRewriter.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rtcgate::media {

// One offer or answer as the signaling proxy hands it over.
struct Signal {
    std::string fromTag;
    std::string toTag;
    sdp::SessionDescription sdp;
    bool strictSource = false;
    bool replaceOrigin = false;
    bool replaceSessionConnection = false;
    // Where the party's media comes from when the SDP's address is not to be
    // trusted ("SIP source address" with "received from").
    std::optional<std::string> addressOverride;
    // ICE, DTLS, SDES, protocol and rtcp-mux toward the party the SDP goes to.
    TransportRequest transport;
    // The codecs toward the party the SDP goes to (ng "codec" and the transcoding flags).
    CodecRequest codec;
};

struct SignalResult {
    std::string sdp;
    std::string error;                   // empty on success
    std::vector<std::string> warnings{}; // what was asked and not done (a codec rtcgate cannot transcode)

    bool ok() const { return error.empty(); }
};

// What query reports, taken on the shard and formatted on the control thread.
struct StreamSnapshot {
    Component component = Component::Rtp;
    std::uint16_t localPort = 0;
    std::optional<net::Endpoint> endpoint;
    std::optional<net::Endpoint> advertised;
    StreamStats stats;
    std::optional<std::chrono::system_clock::time_point> lastPacket;
};
// How the party's audio reaches rtcgate, while it is transcoded (where rtcgate decodes it and sees
// every loss and concealment).
struct QualitySnapshot {
    double loss = 0;             // share of the party's frames missing at playout (lost or late)
    double jitterMs = 0;         // interarrival jitter of the party's stream (RFC 3550)
    std::optional<double> rttMs; // from the party's reports about rtcgate's stream
    double concealedShare = 0;   // share of the frames played that were concealed (FEC-rebuilt ones are not)
    double mos = 0;              // E-model estimate, ITU-T G.107 (media/CallQuality.hpp)
};

struct MediaSnapshot {
    unsigned index = 0; // 1-based, as rtpengine counts
    std::string type;
    std::string protocol;
    std::string direction;
    std::vector<StreamSnapshot> streams;
    std::optional<TransportSnapshot> transport{}; // when the line does ICE, DTLS or SRTP
    std::string codec{};                          // what the party sends and receives, once answered
    bool transcoding = false;                     // what the party sends is re-encoded for the other
    std::optional<jitter::JitterStatistics> jitter{};
    std::optional<TranscoderStatistics> transcoder{};
    std::optional<LegRtcpSnapshot> rtcp{}; // while transcoded: rtcgate's own RTCP with the party
    std::optional<QualitySnapshot> quality{};
};
struct LegSnapshot {
    std::string tag;
    bool dtmfBlocked = false;
    std::uint64_t dtmfCount = 0; // the party's digits in all
    std::vector<DtmfDigit> dtmf; // its last Leg::kDigitHistory digits
    std::chrono::system_clock::time_point created;
    std::string peerTag;
    std::vector<MediaSnapshot> medias;
};
struct CallSnapshot {
    std::string callId;
    std::chrono::system_clock::time_point created;
    std::chrono::system_clock::time_point lastSignal;
    bool deleted = false;
    std::vector<LegSnapshot> legs;
};

// ng "play DTMF".
struct DtmfPlay {
    std::string fromTag; // the party that "dials": the digits go to its peer (rtpengine's selection)
    std::string toTag;   // else the party the digits go to
    std::string digits;  // '0'-'9', '*', '#', 'A'-'D' only, at least one (NgRequest refuses any other code)
    std::chrono::milliseconds duration{250};
    std::chrono::milliseconds pause{100};
    int volume = 8; // -dBm0
};

class Call {
public:
    Call(std::string id, MediaContext& context);
    ~Call();
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    const std::string& id() const { return id_; }

    // The offerer (fromTag) describes its media; the result is the SDP for
    // the other party, with rtcgate's sockets facing that party.
    SignalResult offer(const Signal& signal);
    // The answerer (toTag) describes its media; the result is the SDP for
    // the offerer (fromTag).
    SignalResult answer(const Signal& signal);

    // ng "block DTMF"/"unblock DTMF": the telephone-event packets of the party `tag` (of every
    // party when empty) are dropped instead of relayed. False when no party has that tag.
    bool setDtmfBlocked(const std::string& tag, bool blocked);
    // ng "play DTMF": queues the digits toward the party, as events where it negotiated
    // telephone-event, else as tones in its audio; the line must be transcoded. Empty on success,
    // else the error reason.
    std::string playDtmf(const DtmfPlay& play);

    // Stops media at once and closes the sockets; the ports stay held until
    // the Call is destroyed (after --delete-delay).
    void markDeleted();
    bool deleted() const { return deleted_; }

    // The last time a packet arrived on any stream, or the call was signaled.
    Clock::time_point lastActivity() const;
    CallSnapshot snapshot() const;
    // Every stream's counters added up (lastPacket left empty).
    StreamStats totals() const;
    // DTLS retransmission and ICE consent of every line; from the shard's housekeeping.
    void onTick(Clock::time_point now);
    // Sends the transcoded packets due by `now`; from every shard tick.
    void onMediaTick(Clock::time_point now);

private:
    // Calls function(Stream&) for every open stream of every leg (the Call
    // owns them, so this is also how markDeleted reaches them).
    template <typename Function>
    void forEachStream(Function&& function) const;
    Leg& legFor(const std::string& tag);
    Leg* findLeg(const std::string& tag);
    // Applies `owner`'s SDP; `other` is the leg the result goes to.
    enum class Exchange {
        Offer,
        Answer
    };
    std::string applyRemote(Leg& owner, Leg& other, const Signal& signal, Exchange exchange);
    void negotiate(LegMedia& owner, LegMedia& other, const sdp::MediaTransport& remote, const Signal& signal,
                   Exchange exchange);
    // After an answer: which codec each side of the line uses, and the transcoders between them.
    void applyCodecs(LegMedia& offerer, LegMedia& answerer, const CodecRequest& answerRequest);
    // What `source` sends in `from`, re-encoded into `to` for `target`.
    void startTranscoding(LegMedia& source, const sdp::PayloadFormat& from, LegMedia& target,
                          const sdp::PayloadFormat& to);
    // The telephone-event `source` sends in `from`, re-sent in `to` to `target` (both transcoded).
    void startEvents(LegMedia& source, const std::optional<sdp::PayloadFormat>& from, LegMedia& target,
                     const std::optional<sdp::PayloadFormat>& to);
    void stopTranscoding(LegMedia& media);
    // On a passed-through line: the events `source` sends in `format` are followed (not re-sent), to be counted.
    void followEvents(LegMedia& source, const std::optional<sdp::PayloadFormat>& format, LegMedia& target);
    // `source`'s telephone-event of `payloadType` through a translator of `config` (kept when it already is one).
    void useTranslator(LegMedia& source, const dtmf::EventTranslatorConfig& config, std::uint8_t payloadType,
                       rtp::RtpStreamWriter& writer);
    void sendPackets(LegMedia& target, std::span<const dtmf::EventEmitter::Packet> packets);
    // The events of `party`'s `source` that ended, on their packets or (lost ends) on this poll: each goes to
    // onPartyEvent, and what the poll sends goes to `target` (nullptr: a passed-through line, nothing is sent).
    void drainEvents(Leg& party, LegMedia& source, LegMedia* target, Clock::time_point now);
    // A party's telephone-event ended: a digit is counted, logged, and played as tones where `target` takes no
    // events (nullptr: nowhere).
    void onPartyEvent(Leg& party, const LegMedia& source, LegMedia* target, const dtmf::RelayedEvent& event);
    // Counts and logs a digit of `party` (from its `media`; nullptr for play DTMF).
    void recordDigit(Leg& party, const LegMedia* media, const DtmfDigit& digit);
    bool anyTranscoder() const;
    // rtcgate's own SR/RR toward the party of a transcoded line, when one is due.
    void sendReport(LegMedia& media, Clock::time_point now);
    std::string openMedia(LegMedia& media);
    void closeMedia(LegMedia& media);
    void wire(LegMedia& a, LegMedia& b);
    void updateForwarding();
    // Applies each party's "block DTMF" to its streams, for the telephone-event types it negotiated.
    void updateDtmfBlocking();
    // The SDP for `recipient`: an offer made to it, or the answer to its offer.
    SignalResult render(Leg& recipient, const Signal& signal, Exchange exchange);
    // Writes the payload formats of media line `index` of the SDP for `recipient` (a WebRTC party when
    // `toWebRtc`); returns warnings.
    std::vector<std::string> renderCodecs(Leg& recipient, std::size_t index, sdp::MediaDescription& line,
                                          const Signal& signal, Exchange exchange, bool toWebRtc);

    std::string id_;
    MediaContext& context_;
    std::vector<std::unique_ptr<Leg>> legs_;
    std::chrono::system_clock::time_point created_;
    std::chrono::system_clock::time_point lastSignal_;
    Clock::time_point lastSignalSteady_;
    bool strictSource_ = false;
    bool deleted_ = false;
    CodecRequest offerCodecs_; // of the offer awaiting its answer
    bool transcoding_ = false; // any line has a transcoder: the tick has work here
};

} // namespace rtcgate::media
