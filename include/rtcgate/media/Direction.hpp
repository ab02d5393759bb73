// One direction of a media line: what the party on one side (the source) sends, on its way to the
// party on the other side (the target). While the line is transcoded it holds the Transcoder and the
// DTMF parts around it, and decides what becomes of the source's digits:
//   - both sides negotiated telephone-event: the translator re-sends the source's events at the
//     target's clock, and the audio is suppressed meanwhile;
//   - only the source: the translator follows its events, each digit is played to the target as tones
//     (the tone generator);
//   - only the target: the detector hears the source's tones, each digit goes on as an event (the
//     event sender);
//   - neither: the tones stay in the audio (and are still detected, to be counted).
// On a passed-through line it only follows the source's events, so that its digits are counted.
//
// Allocated by this: all of the above. Passed by argument: the source and target LineSides (of the
// same MediaLine); the Transcoder, translator and event sender write on the target's RtpStreamWriter.
#pragma once

#include "rtcgate/dtmf/DtmfDetector.hpp"
#include "rtcgate/dtmf/DtmfGenerator.hpp"
#include "rtcgate/dtmf/EventEmitter.hpp"
#include "rtcgate/dtmf/EventSender.hpp"
#include "rtcgate/dtmf/EventTranslator.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/DtmfDigit.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/Transcoder.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace rtcgate::media {

class LineSide;

// Where the digits of a line go: the Call records each on the party that sent it.
class DigitRecorder {
public:
    virtual ~DigitRecorder() = default;
    // A digit of the party on `side` of a line ended; `from`: where its packets came from.
    virtual void recordDigit(std::size_t side, const DtmfDigit& digit, const std::optional<net::Endpoint>& from) = 0;
};

class Direction {
public:
    // `source`: the side whose party sends (0 or 1).
    Direction(std::size_t source, DigitRecorder& recorder) : source_(source), recorder_(recorder) {}
    Direction(const Direction&) = delete;
    Direction& operator=(const Direction&) = delete;

    Transcoder* transcoder() const { return transcoder_.get(); }
    dtmf::EventTranslator* events() const { return events_.get(); }
    // The payload type of the source's telephone-event that events() takes.
    std::uint8_t eventPayloadType() const { return eventPayloadType_; }
    bool blocked() const { return blocked_; }

    // --- set up by the MediaLine from the negotiation ---
    // Transcodes what the source sends toward the target (a Transcoder of the same config is kept).
    void startTranscoding(const TranscoderConfig& config, const LineSide& source, LineSide& target);
    // The transcoded line's DTMF: the source's telephone-event `from`, the target's `to` (nullopt: the
    // side negotiated none).
    void startEvents(const std::optional<sdp::PayloadFormat>& from, const std::optional<sdp::PayloadFormat>& to,
                     LineSide& target);
    // A passed-through line: the source's telephone-event `format` is followed, not re-sent.
    void followEvents(const std::optional<sdp::PayloadFormat>& format, LineSide& target);
    void stop();
    // ng "block DTMF" of the source: its digits reach the target in no form, and are still counted.
    void setBlocked(bool blocked);

    // --- the shard's ticks ---
    // Sends the target what is due by `now`: transcoded audio, events, tones.
    void onMediaTick(LineSide& source, LineSide& target, const TranscodingSettings& settings, Clock::time_point now);
    // A passed-through line's digits that ended, to be counted (from the housekeeping tick).
    void drainFollowed(LineSide& source, Clock::time_point now);

    // --- ng "play DTMF" toward the target ---
    // The line is transcoded, so rtcgate can send the target digits (as events or as tones).
    bool canPlay() const;
    // How many more digits fit in the queue.
    std::size_t room() const;
    void play(const DtmfPlay& play);

private:
    // The source's events that ended, on their packets or (lost ends) on this poll: each goes to
    // onSourceEvent, and what the poll sends goes to `target` (nullptr: passed through, nothing is sent).
    void drainEvents(LineSide& source, LineSide* target, Clock::time_point now);
    // A source's telephone-event ended: a digit is counted, logged, and played as tones where the
    // target takes no events.
    void onSourceEvent(const LineSide& source, LineSide* target, const dtmf::RelayedEvent& event);
    void useTranslator(const dtmf::EventTranslatorConfig& config, std::uint8_t payloadType, LineSide& target);
    static void sendPackets(LineSide& target, std::span<const dtmf::EventEmitter::Packet> packets);

    std::size_t source_;
    DigitRecorder& recorder_;
    bool blocked_ = false;
    std::uint8_t eventPayloadType_ = 0;
    // The source's telephone-event: re-sent at the target's clock, or only followed.
    std::unique_ptr<dtmf::EventTranslator> events_;
    // Tones in the source's audio, while transcoded and the source has no telephone-event.
    std::unique_ptr<dtmf::DtmfDetector> toneDetector_;
    // DTMF rtcgate originates toward the target (detected digits, play DTMF): as events where the
    // target negotiated telephone-event, else as tones in its audio.
    std::unique_ptr<dtmf::EventSender> eventSender_;
    std::unique_ptr<dtmf::DtmfGenerator> toneGenerator_;
    // Uses the detector and the generator: declared after them, destroyed before them.
    std::unique_ptr<Transcoder> transcoder_;
};

} // namespace rtcgate::media
