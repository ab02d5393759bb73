#include "rtcgate/jitter/JitterBuffer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace rtcgate::jitter {

namespace {

std::int64_t microsecondsOf(JitterBuffer::Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

std::int64_t microsecondsOf(std::chrono::milliseconds duration) {
    return std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
}

// Extends a wrapping counter of `bits` bits to the value nearest to `reference` (RFC 3550 appendix A.1).
std::int64_t extend(std::int64_t reference, std::uint32_t value, unsigned bits) {
    const std::int64_t range = std::int64_t{1} << bits;
    std::int64_t delta = (static_cast<std::int64_t>(value) - reference) & (range - 1);
    if (delta >= range / 2) {
        delta -= range;
    }
    return reference + delta;
}

Playout withoutPayload(Playout::Kind kind, std::uint32_t timestamp) {
    Playout playout;
    playout.kind = kind;
    playout.timestamp = timestamp;
    return playout;
}

} // namespace

JitterBuffer::JitterBuffer(const JitterBufferConfig& config)
    : config_(config),
      // Packets run ahead of playout by at most the delay (max, plus the frames of hysteresis), and some spare.
      slots_(static_cast<std::size_t>(config.maxDelay / std::min(config.frameDuration, kShortestFrame)) + 8),
      payloads_(slots_.size() * config.maxPayloadSize),
      transits_(static_cast<std::size_t>(config.jitterWindow / std::min(config.frameDuration, kShortestFrame))) {
    setFrameDuration(config.frameDuration);
}

void JitterBuffer::setFrameDuration(std::chrono::milliseconds duration) {
    config_.frameDuration = std::max(duration, kShortestFrame);
    frameUs_ = microsecondsOf(config_.frameDuration);
    samplesPerFrame_ = static_cast<std::int64_t>(config_.clockRate) * config_.frameDuration.count() / 1000;
    transits_.setLength(static_cast<std::size_t>(config_.jitterWindow / config_.frameDuration));
    started_ = false;
}

void JitterBuffer::push(const PacketInfo& packet, std::span<const std::uint8_t> payload, Clock::time_point arrival) {
    if (payload.size() > config_.maxPayloadSize) {
        ++statistics_.discarded;
        return;
    }
    ++statistics_.received;
    const auto arrivalUs = microsecondsOf(arrival);
    if (!started_) {
        start(packet, payload, arrivalUs);
        return;
    }
    if (packet.ssrc != ssrc_) {
        ++statistics_.resyncs;
        start(packet, payload, arrivalUs);
        return;
    }
    const auto timestamp = extend(highestTimestamp_, packet.timestamp, 32);
    const auto sequence = extend(highestSequence_, packet.sequence, 16);
    const auto frame = frameOf(timestamp);
    const auto capacity = static_cast<std::int64_t>(slots_.size());
    // A newer packet far off the playout point is a timestamp jump, not jitter: restart on the new timeline.
    // (A long DTX pause is not one: playout advanced through it.)
    const bool farBehind = frame < playFrame_ - capacity;
    if (frame >= playFrame_ + capacity || (farBehind && sequence > highestSequence_)) {
        ++statistics_.resyncs;
        start(packet, payload, arrivalUs);
        return;
    }
    if (farBehind) {
        // Far behind on both clocks: a sender that restarted with its SSRC, or one very late packet. As
        // RFC 3550 A.1 does for sequence numbers, two packets in sequence tell the first from the second.
        if (restartCandidate_ && packet.sequence == static_cast<std::uint16_t>(*restartCandidate_ + 1)) {
            ++statistics_.resyncs;
            start(packet, payload, arrivalUs);
            return;
        }
        restartCandidate_ = packet.sequence;
        ++statistics_.late;
        return;
    }
    const auto& slot = slotOf(frame);
    if (slot.state != SlotState::Empty && slot.frame == frame) {
        ++statistics_.duplicates;
        return;
    }
    transits_.add(arrivalUs - sendTimeUs(timestamp));
    lastArrivalUs_ = arrivalUs;
    highestTimestamp_ = std::max(highestTimestamp_, timestamp);
    highestSequence_ = std::max(highestSequence_, sequence);
    if (frame < playFrame_) {
        if (!playing_ && frameOf(highestTimestamp_) - frame < static_cast<std::int64_t>(slots_.size())) {
            // Reordered during the initial fill: start from it instead.
            playFrame_ = frame;
            lastPlayedFrame_ = frame - 1;
            lastPlayedSequence_ = sequence - 1;
            store(frame, sequence, packet, payload);
        } else {
            ++statistics_.late;
        }
        return;
    }
    store(frame, sequence, packet, payload);
}

Playout JitterBuffer::pop(Clock::time_point now) {
    if (!started_) {
        return {};
    }
    const auto nowUs = microsecondsOf(now);
    targetUs_ = std::clamp(transits_.spread(config_.percentile), microsecondsOf(config_.minDelay),
                           microsecondsOf(config_.maxDelay));
    // How long ago the frame due now would have arrived over the fastest path seen in the window.
    const auto lagUs = nowUs - transits_.minimum() - playFrame_ * frameUs_;
    statistics_.targetDelay = std::chrono::microseconds(targetUs_);
    statistics_.currentDelay = std::chrono::microseconds(lagUs);

    if (!playing_) {
        if (lagUs < targetUs_) {
            return withoutPayload(Playout::Kind::Silence, timestampOf(playFrame_));
        }
        playing_ = true;
        lastShrinkUs_ = nowUs;
    }
    if (lagUs < targetUs_) {
        // Grow at once: hold playout for a frame.
        ++statistics_.inserted;
        const bool silent = decide(playFrame_, nowUs).kind == Playout::Kind::Silence;
        return withoutPayload(silent ? Playout::Kind::Silence : Playout::Kind::Stretch, timestampOf(playFrame_));
    }
    if (lagUs >= targetUs_ + frameUs_ && nowUs - lastShrinkUs_ >= microsecondsOf(config_.shrinkInterval)) {
        // Shrink slowly, preferably where nothing audible is cut: silence, a missing frame, a quiet frame.
        const bool quiet = !holds(playFrame_) || slotOf(playFrame_).lowEnergy;
        if (quiet || lagUs >= targetUs_ + 2 * frameUs_) {
            if (holds(playFrame_)) {
                markPlayed(playFrame_);
            }
            ++playFrame_;
            ++statistics_.dropped;
            lastShrinkUs_ = nowUs;
        }
    }
    return consume(playFrame_++, nowUs);
}

void JitterBuffer::start(const PacketInfo& packet, std::span<const std::uint8_t> payload, std::int64_t arrivalUs) {
    for (auto& slot : slots_) {
        slot.state = SlotState::Empty;
    }
    transits_.clear();
    started_ = true;
    playing_ = false;
    restartCandidate_.reset();
    ssrc_ = packet.ssrc;
    baseTimestamp_ = packet.timestamp;
    highestTimestamp_ = packet.timestamp;
    highestSequence_ = packet.sequence;
    playFrame_ = 0;
    lastPlayedFrame_ = -1;
    lastPlayedSequence_ = highestSequence_ - 1;
    lostSincePlayed_ = 0;
    lastPlayedDtx_ = false;
    lastArrivalUs_ = arrivalUs;
    transits_.add(arrivalUs - sendTimeUs(highestTimestamp_));
    store(0, highestSequence_, packet, payload);
}

void JitterBuffer::store(std::int64_t frame, std::int64_t sequence, const PacketInfo& packet,
                         std::span<const std::uint8_t> payload) {
    auto& slot = slotOf(frame);
    slot = Slot{.frame = frame,
                .sequence = sequence,
                .size = payload.size(),
                .state = SlotState::Filled,
                .dtx = packet.dtx,
                .lowEnergy = packet.lowEnergy};
    if (!payload.empty()) {
        std::memcpy(&payloads_[static_cast<std::size_t>(&slot - slots_.data()) * config_.maxPayloadSize],
                    payload.data(), payload.size());
    }
}

const JitterBuffer::Slot& JitterBuffer::slotOf(std::int64_t frame) const {
    const auto capacity = static_cast<std::int64_t>(slots_.size());
    return slots_[static_cast<std::size_t>(((frame % capacity) + capacity) % capacity)];
}

JitterBuffer::Slot& JitterBuffer::slotOf(std::int64_t frame) {
    return const_cast<Slot&>(std::as_const(*this).slotOf(frame)); // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

bool JitterBuffer::holds(std::int64_t frame) const {
    const auto& slot = slotOf(frame);
    return slot.state == SlotState::Filled && slot.frame == frame;
}

std::span<const std::uint8_t> JitterBuffer::payloadOf(std::int64_t frame) {
    auto& slot = slotOf(frame);
    return {&payloads_[static_cast<std::size_t>(&slot - slots_.data()) * config_.maxPayloadSize], slot.size};
}

std::int64_t JitterBuffer::pauseUs() const {
    return std::clamp(targetUs_ + 2 * frameUs_, microsecondsOf(config_.minPause),
                      std::max(microsecondsOf(config_.minPause), microsecondsOf(config_.pauseAfter)));
}

bool JitterBuffer::awaitsNext(Clock::time_point now) const {
    return started_ && !lastPlayedDtx_ && !holds(playFrame_) && microsecondsOf(now) - lastArrivalUs_ <= pauseUs();
}

Playout JitterBuffer::decide(std::int64_t frame, std::int64_t nowUs) {
    auto playout = withoutPayload(Playout::Kind::Silence, timestampOf(frame));
    if (holds(frame)) {
        playout.kind = Playout::Kind::Packet;
        playout.sequence = static_cast<std::uint16_t>(slotOf(frame).sequence);
        playout.payload = payloadOf(frame);
        return playout;
    }
    const auto end = frame + static_cast<std::int64_t>(slots_.size());
    for (auto next = frame + 1; next < end; ++next) {
        if (!holds(next)) {
            continue;
        }
        // Sequence numbers tell a loss from a DTX gap: a gap in timestamps with none missing is silence. The
        // missing packets are taken to be the ones right after the last played, or, after a DTX frame, the ones
        // that started the next talkspurt.
        const auto missing = slotOf(next).sequence - lastPlayedSequence_ - 1;
        const auto position = lastPlayedDtx_ ? next - frame : frame - lastPlayedFrame_;
        if (missing > 0 && position <= missing) {
            playout.kind = Playout::Kind::Lost;
            playout.nextAvailable = next == frame + 1;
            if (playout.nextAvailable) {
                playout.payload = payloadOf(next);
            }
        }
        return playout;
    }
    // Nothing buffered ahead: a loss, unless the stream went quiet (DTX, or paused: on hold, sender stopped). A
    // stream that stays away two frames longer than the buffer's delay (minPause at least) has paused: its silence is
    // not loss to conceal for the other party (and rtcgate sends nothing for it).
    const bool quiet = lastPlayedDtx_ || nowUs - lastArrivalUs_ > pauseUs();
    playout.kind = quiet ? Playout::Kind::Silence : Playout::Kind::Lost;
    return playout;
}

Playout JitterBuffer::consume(std::int64_t frame, std::int64_t nowUs) {
    auto playout = decide(frame, nowUs);
    if (playout.kind == Playout::Kind::Packet) {
        markPlayed(frame);
    } else if (playout.kind == Playout::Kind::Lost) {
        ++lostSincePlayed_;
        ++statistics_.lost;
        ++(playout.nextAvailable ? statistics_.fecRecoverable : statistics_.concealed);
    }
    return playout;
}

void JitterBuffer::markPlayed(std::int64_t frame) {
    auto& slot = slotOf(frame);
    // Packets missing before this one that no frame was reported Lost for went by as a pause.
    const auto missing = static_cast<std::uint64_t>(std::max<std::int64_t>(slot.sequence - lastPlayedSequence_ - 1, 0));
    if (missing > lostSincePlayed_) {
        statistics_.silent += missing - lostSincePlayed_;
        statistics_.lost += missing - lostSincePlayed_;
    }
    lostSincePlayed_ = 0;
    slot.state = SlotState::Played;
    lastPlayedFrame_ = frame;
    lastPlayedSequence_ = slot.sequence;
    lastPlayedDtx_ = slot.dtx;
}

std::int64_t JitterBuffer::frameOf(std::int64_t extendedTimestamp) const {
    return static_cast<std::int64_t>(
        std::lround(static_cast<double>(extendedTimestamp - baseTimestamp_) / static_cast<double>(samplesPerFrame_)));
}

std::int64_t JitterBuffer::sendTimeUs(std::int64_t extendedTimestamp) const {
    return (extendedTimestamp - baseTimestamp_) * 1'000'000 / static_cast<std::int64_t>(config_.clockRate);
}

std::uint32_t JitterBuffer::timestampOf(std::int64_t frame) const {
    return static_cast<std::uint32_t>(baseTimestamp_ + frame * samplesPerFrame_);
}

} // namespace rtcgate::jitter
