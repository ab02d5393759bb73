#include "rtcgate/dtmf/EventTranslator.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace rtcgate::dtmf {

namespace {
// The source's segments of an event (RFC 4733 section 2.5.1.3).
constexpr std::uint32_t kSegmentTicks = EventEmitter::kSegmentTicks;
// A source's own segments of one event, beyond which a packet is taken for a new event.
constexpr std::uint32_t kMaxSourceSegments = 64;
// A packet older than the newest event by up to this is late (dropped); older still, the source's
// timestamps have jumped (a new stream) and it starts an event.
constexpr std::uint32_t kOutdatedWindowSeconds = 10;
} // namespace

EventTranslator::EventTranslator(const EventTranslatorConfig& config, rtp::RtpStreamWriter& writer) : config_(config) {
    config_.sourceClockRate = std::max<std::uint32_t>(config_.sourceClockRate, 1);
    config_.targetClockRate = std::max<std::uint32_t>(config_.targetClockRate, 1);
    if (config_.targetPayloadType) {
        emitter_.emplace(*config_.targetPayloadType, writer);
    }
}

EventTranslator::Output EventTranslator::push(const rtp::RtpPacket& packet, Clock::time_point arrival,
                                              std::uint32_t startTimestamp) noexcept {
    clearOutput();
    const std::optional<TelephoneEvent> received = TelephoneEvent::parse(packet.payload());
    if (!received) {
        return output();
    }
    const std::uint32_t timestamp = packet.timestamp();
    if (haveSsrc_ && packet.ssrc() != ssrc_) {
        // Another source stream: its timestamps say nothing about the previous one's events.
        if (active_) {
            finish(EventEnding::Interrupted);
        }
        haveLast_ = false;
    }
    haveSsrc_ = true;
    ssrc_ = packet.ssrc();

    if (active_ && belongsTo(current_, received->event, timestamp)) {
        lastPacket_ = arrival;
        current_.volume = received->volume;
        const std::uint32_t elapsed = (timestamp - current_.sourceStart) + received->duration;
        if (received->end) {
            current_.sourceElapsed = std::max(current_.sourceElapsed, elapsed);
            finish(EventEnding::EndPacket);
        } else if (elapsed > current_.sourceElapsed) {
            current_.sourceElapsed = elapsed;
            send(false);
        }
        return output(); // otherwise a duplicate or an update overtaken by a later one
    }
    if ((haveLast_ && belongsTo(last_, received->event, timestamp)) || isOutdated(timestamp)) {
        return output(); // a late or repeated packet of an event already ended
    }
    if (active_) {
        finish(EventEnding::Interrupted);
    }
    // Whatever packet of the event arrives first starts it, with the marker: its first packet may be lost.
    start(*received, timestamp, startTimestamp);
    lastPacket_ = arrival;
    if (received->end) {
        finish(EventEnding::EndPacket);
    } else {
        send(false);
    }
    return output();
}

EventTranslator::Output EventTranslator::poll(Clock::time_point now) noexcept {
    clearOutput();
    if (timesOut(now)) {
        finish(EventEnding::Timeout);
    }
    return output();
}

bool EventTranslator::belongsTo(const Event& event, std::uint8_t code, std::uint32_t timestamp) const {
    // The source's later segments of an event carry the timestamp of their own start (section 2.5.1.3).
    const std::uint32_t offset = timestamp - event.sourceStart;
    return code == event.code && offset % kSegmentTicks == 0 && offset / kSegmentTicks <= kMaxSourceSegments;
}

bool EventTranslator::isOutdated(std::uint32_t timestamp) const {
    if (!active_ && !haveLast_) {
        return false;
    }
    const std::uint32_t newest = active_ ? current_.sourceStart : last_.sourceStart;
    const std::uint32_t behind = newest - timestamp;
    const std::uint64_t window = std::uint64_t{kOutdatedWindowSeconds} * config_.sourceClockRate;
    const auto halfRange = static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max());
    return behind != 0 && behind <= halfRange && behind <= window;
}

void EventTranslator::start(const TelephoneEvent& received, std::uint32_t timestamp, std::uint32_t startTimestamp) {
    current_ = Event{};
    current_.code = received.event;
    current_.volume = received.volume;
    current_.sourceStart = timestamp;
    current_.sourceElapsed = received.duration;
    current_.forwarded = emitter_.has_value() && !muted_;
    if (current_.forwarded) {
        emitter_->start(received.event, received.volume, startTimestamp);
    }
    active_ = true;
}

void EventTranslator::send(bool end) {
    if (current_.forwarded) {
        emitter_->setVolume(current_.volume);
        emitter_->send(toTarget(current_.sourceElapsed), end);
    }
}

void EventTranslator::finish(EventEnding ending) {
    send(true);
    if (endedCount_ < ended_.size()) {
        const std::uint64_t rate = config_.sourceClockRate;
        ended_[endedCount_++] = RelayedEvent{
            .event = current_.code,
            .digit = digitOf(current_.code),
            .durationMs = static_cast<std::uint32_t>((std::uint64_t{current_.sourceElapsed} * 1000 + rate / 2) / rate),
            .volume = current_.volume,
            .ending = ending,
        };
    }
    last_ = current_;
    haveLast_ = true;
    active_ = false;
}

std::uint32_t EventTranslator::toTarget(std::uint32_t sourceTicks) const {
    const std::uint64_t source = config_.sourceClockRate;
    const std::uint64_t scaled = (std::uint64_t{sourceTicks} * config_.targetClockRate + source / 2) / source;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(scaled, std::numeric_limits<std::uint32_t>::max()));
}

void EventTranslator::clearOutput() {
    if (emitter_) {
        emitter_->clear();
    }
    endedCount_ = 0;
}

EventTranslator::Output EventTranslator::output() const {
    return Output{.packets = emitter_ ? emitter_->packets() : std::span<const Packet>{},
                  .ended = std::span(ended_).first(endedCount_)};
}

} // namespace rtcgate::dtmf
