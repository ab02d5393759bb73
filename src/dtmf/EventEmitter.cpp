#include "rtcgate/dtmf/EventEmitter.hpp"

namespace rtcgate::dtmf {

namespace {
// The final packet of an event or a segment is sent three times (RFC 4733 section 2.5.1.4).
constexpr std::size_t kFinalRepeats = 3;
} // namespace

EventEmitter::EventEmitter(std::uint8_t payloadType, rtp::RtpStreamWriter& writer) noexcept
    : payloadType_(payloadType), writer_(writer) {
    for (std::size_t i = 0; i < kMaxPackets; ++i) {
        packets_[i].buffer = buffers_[i];
    }
}

void EventEmitter::start(std::uint8_t event, std::uint8_t volume, std::uint32_t timestamp) noexcept {
    event_ = event;
    volume_ = volume;
    timestamp_ = timestamp;
    segment_ = 0;
    elapsed_ = 0;
    markerSent_ = false;
}

void EventEmitter::send(std::uint32_t elapsed, bool end) noexcept {
    elapsed_ = elapsed;
    while (elapsed - segment_ * kSegmentTicks > kSegmentTicks) {
        // Updates that crossed segments were not sent: close each segment passed while room is left
        // for the rest of this call.
        if (packetCount_ + 3 * kFinalRepeats <= kMaxPackets) {
            for (std::size_t i = 0; i < kFinalRepeats; ++i) {
                emit(timestamp_ + segment_ * kSegmentTicks, kSegmentTicks, false);
            }
        }
        ++segment_;
    }
    const std::uint32_t segmentStart = segment_ * kSegmentTicks;
    const auto duration = static_cast<std::uint16_t>(elapsed - segmentStart);
    for (std::size_t i = 0; i < (end ? kFinalRepeats : 1); ++i) {
        emit(timestamp_ + segmentStart, duration, end);
    }
}

void EventEmitter::emit(std::uint32_t timestamp, std::uint16_t duration, bool end) noexcept {
    if (packetCount_ == kMaxPackets) {
        return;
    }
    Packet& packet = packets_[packetCount_];
    // Every packet of an event carries the event's (segment's) start, not the stream's current timestamp
    // (RFC 4733 section 2.3.1).
    std::size_t length = writer_.writeHeader(packet.buffer, payloadType_, !markerSent_, timestamp);
    const TelephoneEvent payload{.event = event_, .end = end, .volume = volume_, .duration = duration};
    length += payload.write(packet.buffer.subspan(length));
    packet.length = length;
    markerSent_ = true;
    ++packetCount_;
}

} // namespace rtcgate::dtmf
