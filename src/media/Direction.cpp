#include "rtcgate/media/Direction.hpp"

#include "rtcgate/dtmf/DtmfEventLog.hpp"
#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/LineSide.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

#include <algorithm>

namespace rtcgate::media {

namespace {

// The silence after each digit played as tones for a source's event: two equal digits stay two.
constexpr auto kTonePause = std::chrono::milliseconds(60);

std::chrono::system_clock::time_point wallNow() {
    return std::chrono::system_clock::now();
}

} // namespace

void Direction::startTranscoding(const TranscoderConfig& config, const LineSide& source, LineSide& target) {
    if (!transcoder_ || !(transcoder_->config() == config)) {
        transcoder_ = std::make_unique<Transcoder>(config, target.writer(), source.logContext());
    }
}

void Direction::startEvents(const std::optional<sdp::PayloadFormat>& from, const std::optional<sdp::PayloadFormat>& to,
                            LineSide& target) {
    if (!transcoder_) {
        return;
    }
    // Toward the target: what rtcgate originates, as events or as tones.
    if (to) {
        const dtmf::EventSenderConfig config{.clockRate = to->clockRate, .payloadType = to->payloadType};
        if (!eventSender_ || !(eventSender_->config() == config)) {
            eventSender_ = std::make_unique<dtmf::EventSender>(config, target.writer());
        }
        transcoder_->setToneGenerator(nullptr);
        toneGenerator_.reset();
    } else {
        if (!toneGenerator_) {
            toneGenerator_ = std::make_unique<dtmf::DtmfGenerator>();
        }
        transcoder_->setToneGenerator(toneGenerator_.get());
        eventSender_.reset();
    }
    // From the source: its events relayed (or followed, to be played as tones), or its tones detected.
    if (from) {
        useTranslator({.sourceClockRate = from->clockRate,
                       .targetClockRate = to ? to->clockRate : from->clockRate,
                       .targetPayloadType = to ? std::optional(to->payloadType) : std::nullopt},
                      from->payloadType, target);
    } else {
        events_.reset();
    }
    // A source without telephone-event may dial tones: they are detected to be counted, sent on as events where the
    // target takes them, and cut from the audio where they go on as events or are blocked (block DTMF).
    if (!from) {
        if (!toneDetector_) {
            toneDetector_ = std::make_unique<dtmf::DtmfDetector>();
        }
        transcoder_->setToneDetector(toneDetector_.get());
    } else {
        transcoder_->setToneDetector(nullptr);
        toneDetector_.reset();
    }
}

void Direction::followEvents(const std::optional<sdp::PayloadFormat>& format, LineSide& target) {
    if (!format) {
        return;
    }
    useTranslator(
        {.sourceClockRate = format->clockRate, .targetClockRate = format->clockRate, .targetPayloadType = std::nullopt},
        format->payloadType, target);
}

void Direction::useTranslator(const dtmf::EventTranslatorConfig& config, std::uint8_t payloadType, LineSide& target) {
    if (!events_ || !(events_->config() == config)) {
        events_ = std::make_unique<dtmf::EventTranslator>(config, target.writer());
    }
    eventPayloadType_ = payloadType;
    events_->setMuted(blocked_);
}

void Direction::stop() {
    transcoder_.reset();
    events_.reset();
    toneDetector_.reset();
    eventSender_.reset();
    toneGenerator_.reset();
}

void Direction::setBlocked(bool blocked) {
    blocked_ = blocked;
    if (events_) {
        events_->setMuted(blocked);
    }
}

void Direction::onMediaTick(LineSide& source, LineSide& target, const TranscodingSettings& settings,
                            Clock::time_point now) {
    if (!transcoder_ || !target.relayed()) {
        return;
    }
    // Read before concealing: under load the shard's thread may reach this tick before the packet that
    // arrived for it in time (the jitter buffer would conceal it, then drop it as late).
    if (transcoder_->awaitsDueFrame(now)) {
        source.rtp().receivePending();
    }
    drainEvents(source, &target, now);
    if (eventSender_) {
        sendPackets(target, eventSender_->poll(now, transcoder_->nextTimestamp()).packets);
    }
    // An event replaces the audio while it plays (RFC 4733 section 2.6); a blocked party's DTMF reaches the
    // other party in no form, whatever --dtmf-no-suppress says.
    const bool suppress = settings.suppressDtmfAudio || blocked_;
    transcoder_->setSuppressed(suppress &&
                               ((events_ && events_->active()) || (eventSender_ && eventSender_->active())));
    transcoder_->setCuttingTones(blocked_ || (suppress && eventSender_));
    while (auto packet = transcoder_->next(now)) {
        const rtp::RtpPacket sent(packet->buffer.first(packet->length));
        const std::size_t payload = sent.payload().size();
        if (!target.rtp().send(rtp::PacketKind::Rtp, packet->buffer, packet->length)) {
            source.rtp().countBlocked();
        } else if (target.reports() != nullptr) {
            target.reports()->onSent(sent, payload, now);
        }
    }
    for (const auto& tone : transcoder_->detectedDigits()) {
        const auto event = dtmf::eventOf(tone.digit);
        const auto volume = static_cast<std::uint8_t>(std::clamp(-tone.levelDbm0, 0, 63));
        if (event && eventSender_ && !blocked_) {
            eventSender_->queue(*event, std::chrono::milliseconds(tone.durationMs()), volume,
                                std::chrono::milliseconds(0));
        }
        recorder_.recordDigit(source_,
                              {.digit = tone.digit,
                               .durationMs = tone.durationMs(),
                               .volume = volume,
                               .source = dtmf::DtmfSource::InBand,
                               .ended = wallNow()},
                              source.rtp().latched());
    }
    transcoder_->clearDetectedDigits();
}

void Direction::drainFollowed(LineSide& source, Clock::time_point now) {
    if (events_ && !transcoder_ && source.relayed()) {
        drainEvents(source, nullptr, now); // a transcoded line's are drained on the media tick
    }
}

void Direction::drainEvents(LineSide& source, LineSide* target, Clock::time_point now) {
    if (events_) {
        // Read before ending an event for want of packets: a shard that was starved past the timeout may come to
        // this poll before the digit's next packet, waiting unread (the digit would reach the other party cut short).
        if (events_->timesOut(now)) {
            source.rtp().receivePending();
        }
        const auto output = events_->poll(now);
        if (target != nullptr) {
            sendPackets(*target, output.packets);
        }
        for (const auto& event : output.ended) {
            onSourceEvent(source, target, event);
        }
    }
    for (const auto& event : source.rtp().endedEvents()) {
        onSourceEvent(source, target, event);
    }
    source.rtp().clearEndedEvents();
}

void Direction::onSourceEvent(const LineSide& source, LineSide* target, const dtmf::RelayedEvent& event) {
    if (event.digit == '\0') {
        return; // not DTMF (a flash, a tone of RFC 4734): relayed, not counted
    }
    if (target != nullptr && toneGenerator_ && !blocked_) {
        toneGenerator_->queue(event.digit, std::chrono::milliseconds(event.durationMs), -int{event.volume}, kTonePause);
    }
    recorder_.recordDigit(source_,
                          {.digit = event.digit,
                           .durationMs = event.durationMs,
                           .volume = event.volume,
                           .source = dtmf::DtmfSource::Rfc4733,
                           .ended = wallNow()},
                          source.rtp().latched());
}

void Direction::sendPackets(LineSide& target, std::span<const dtmf::EventEmitter::Packet> packets) {
    for (const auto& packet : packets) {
        target.rtp().send(rtp::PacketKind::Rtp, packet.buffer, packet.length);
    }
}

bool Direction::canPlay() const {
    return transcoder_ && (eventSender_ || toneGenerator_);
}

std::size_t Direction::room() const {
    if (eventSender_) {
        return dtmf::EventSender::kQueueCapacity - eventSender_->queued();
    }
    return toneGenerator_ ? dtmf::DtmfGenerator::kQueueCapacity - toneGenerator_->queued() : 0;
}

void Direction::play(const DtmfPlay& play) {
    for (const char digit : play.digits) {
        if (eventSender_) {
            eventSender_->queue(*dtmf::eventOf(digit), play.duration, static_cast<std::uint8_t>(play.volume),
                                play.pause);
        } else if (toneGenerator_) {
            toneGenerator_->queue(digit, play.duration, -play.volume, play.pause);
        }
    }
}

} // namespace rtcgate::media
