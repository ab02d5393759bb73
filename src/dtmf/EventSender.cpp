#include "rtcgate/dtmf/EventSender.hpp"

#include "rtcgate/dtmf/TelephoneEvent.hpp"

#include <algorithm>
#include <limits>

namespace rtcgate::dtmf {

namespace {
constexpr std::uint8_t kMaxVolume = 63; // the 6-bit volume field: 0 to -63 dBm0 (RFC 4733 section 2.3.4)
constexpr std::uint8_t kMaxDtmfEvent = 15;
constexpr std::chrono::microseconds kMinUpdateInterval = std::chrono::milliseconds(1);
} // namespace

EventSender::EventSender(const EventSenderConfig& config, rtp::RtpStreamWriter& writer)
    : config_(config), emitter_(config.payloadType, writer), queue_(kQueueCapacity) {
    config_.clockRate = std::max<std::uint32_t>(config_.clockRate, 1);
    config_.updateInterval = std::max(config_.updateInterval, kMinUpdateInterval);
}

EventSender::Output EventSender::begin(std::uint8_t event, std::uint8_t volume, std::uint32_t startTimestamp,
                                       Clock::time_point now) noexcept {
    clearOutput();
    if (active_) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - current_.began);
        finish(toTicks(elapsed), EventEnding::Interrupted);
    }
    start(Current{.event = event, .volume = std::min(volume, kMaxVolume), .began = now}, startTimestamp);
    return output();
}

EventSender::Output EventSender::end(std::chrono::microseconds duration) noexcept {
    clearOutput();
    if (active_ && !current_.played) {
        finish(toTicks(duration), EventEnding::EndPacket);
        nextStart_ = current_.began + duration;
    }
    return output();
}

bool EventSender::queue(std::uint8_t event, std::chrono::milliseconds duration, std::uint8_t volume,
                        std::chrono::milliseconds pause) noexcept {
    if (queue_.full() || event > kMaxDtmfEvent || duration <= std::chrono::milliseconds::zero()) {
        return false;
    }
    queue_.push_back(Queued{.event = event,
                            .volume = std::min(volume, kMaxVolume),
                            .duration = duration,
                            .pause = std::max(pause, std::chrono::milliseconds::zero())});
    return true;
}

EventSender::Output EventSender::poll(Clock::time_point now, std::uint32_t currentTimestamp) noexcept {
    clearOutput();
    if (active_) {
        if (current_.played && now - current_.began >= current_.length) {
            finish(toTicks(current_.length), EventEnding::EndPacket);
            // The pause runs from the event's end as its packets told it, whenever the tick noticed it.
            nextStart_ = current_.began + current_.length + current_.pause;
        } else if (now >= current_.nextUpdate) {
            update(now);
        }
    }
    if (!active_ && !queue_.empty() && now >= nextStart_) {
        const Queued next = queue_.front();
        queue_.pop_front();
        start(Current{.event = next.event,
                      .volume = next.volume,
                      .played = true,
                      .length = next.duration,
                      .pause = next.pause,
                      .began = now},
              currentTimestamp);
    }
    return output();
}

void EventSender::clear() noexcept {
    clearOutput();
    queue_.clear();
    active_ = false;
    nextStart_ = {};
}

void EventSender::start(const Current& event, std::uint32_t timestamp) noexcept {
    current_ = event;
    current_.nextUpdate = current_.began + config_.updateInterval;
    active_ = true;
    emitter_.start(current_.event, current_.volume, timestamp);
    std::uint32_t duration = toTicks(config_.updateInterval);
    if (current_.played) {
        duration = std::min(duration, toTicks(current_.length));
    }
    emitter_.send(duration, false);
}

void EventSender::update(Clock::time_point now) noexcept {
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - current_.began);
    // Each packet announces the event up to the next update, as the first one did.
    std::uint32_t duration = toTicks(elapsed + config_.updateInterval);
    if (current_.played) {
        duration = std::min(duration, toTicks(current_.length));
    }
    emitter_.send(std::max(duration, emitter_.elapsed()), false);
    // Updates missed by a late tick are not caught up: the next one is due on the interval's grid.
    current_.nextUpdate = current_.began + (elapsed / config_.updateInterval + 1) * config_.updateInterval;
}

void EventSender::finish(std::uint32_t duration, EventEnding ending) noexcept {
    // A receiver already told the event lasts longer is not told otherwise.
    duration = std::max(duration, emitter_.elapsed());
    emitter_.send(duration, true);
    if (endedCount_ < ended_.size()) {
        const std::uint64_t rate = config_.clockRate;
        ended_[endedCount_++] = RelayedEvent{
            .event = current_.event,
            .digit = digitOf(current_.event),
            .durationMs = static_cast<std::uint32_t>((std::uint64_t{duration} * 1000 + rate / 2) / rate),
            .volume = current_.volume,
            .ending = ending,
        };
    }
    active_ = false;
}

std::uint32_t EventSender::toTicks(std::chrono::microseconds time) const noexcept {
    if (time <= std::chrono::microseconds::zero()) {
        return 0;
    }
    constexpr std::uint64_t kMicrosPerSecond = 1'000'000;
    const auto micros = static_cast<std::uint64_t>(time.count());
    const std::uint64_t maxMicros = std::numeric_limits<std::uint64_t>::max() / config_.clockRate - kMicrosPerSecond;
    const std::uint64_t ticks =
        (std::min(micros, maxMicros) * config_.clockRate + kMicrosPerSecond / 2) / kMicrosPerSecond;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(ticks, std::numeric_limits<std::uint32_t>::max()));
}

void EventSender::clearOutput() noexcept {
    emitter_.clear();
    endedCount_ = 0;
}

EventSender::Output EventSender::output() const noexcept {
    return Output{.packets = emitter_.packets(), .ended = std::span(ended_).first(endedCount_)};
}

} // namespace rtcgate::dtmf
