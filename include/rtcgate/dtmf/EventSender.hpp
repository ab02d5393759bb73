// Telephone events (RFC 4733) that rtcgate originates toward one party: a digit detected in-band in
// the other party's audio (begin() now, end() with the length the detector measured), or digits
// asked for by the ng command "play DTMF" (queue(): fixed lengths, one after the other with a pause).
// At that party's telephone-event clock and payload type, on rtcgate's own stream toward it.
//
// Packets as Asterisk sends them: one update per updateInterval (the audio packet time, RFC 4733
// section 2.5.1.2), every packet announcing the event up to the next one, so the first packet
// already carries one interval (160 ticks at 8 kHz, where a duration of 0 is dropped by some
// receivers); then the three end packets together (section 2.5.1.4), all with the final duration.
// Nothing is allocated after construction and nothing throws after it.
#pragma once

#include "rtcgate/dtmf/EventEmitter.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <boost/circular_buffer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace rtcgate::dtmf {

struct EventSenderConfig {
    std::uint32_t clockRate = 8000; // the party's telephone-event clock
    std::uint8_t payloadType = 101; // the party's telephone-event payload type
    // The time between two updates of an event: the audio packet time toward the party.
    std::chrono::microseconds updateInterval = std::chrono::milliseconds(20);

    bool operator==(const EventSenderConfig&) const = default;
};

class EventSender {
public:
    using Clock = std::chrono::steady_clock;
    using Packet = EventEmitter::Packet;
    // What one call produced; valid until the next call. An event ended reports EndPacket when it came
    // to its end (end(), or a queued event's length), Interrupted when begin() cut it short.
    using Output = EventOutput;

    static constexpr std::size_t kQueueCapacity = 32;

    // `writer` (rtcgate's stream toward the party, shared with its audio: one SSRC, one sequence
    // space) must outlive the sender.
    EventSender(const EventSenderConfig& config, rtp::RtpStreamWriter& writer);

    EventSender(const EventSender&) = delete;
    EventSender& operator=(const EventSender&) = delete;

    const EventSenderConfig& config() const noexcept { return config_; }

    // A live event starts `now`, at the party's stream timestamp `startTimestamp`: its first packet,
    // with the marker. An event being sent is ended first (Interrupted), a queued one dropped.
    Output begin(std::uint8_t event, std::uint8_t volume, std::uint32_t startTimestamp, Clock::time_point now) noexcept;
    // Ends the live event, `duration` long in all (as the detector measured it): its three end packets.
    // Nothing when no live event is being sent.
    Output end(std::chrono::microseconds duration) noexcept;

    // A DTMF event (0-15) played for `duration` after the ones queued before it and their pauses,
    // followed by `pause` of silence; it waits while a live event is sent. False when the queue is
    // full, the event is not a DTMF digit or the duration is not positive.
    bool queue(std::uint8_t event, std::chrono::milliseconds duration, std::uint8_t volume,
               std::chrono::milliseconds pause) noexcept;

    // On the shard tick: the update due by `now`, the end of a queued event whose length has passed
    // and the start of the next one. `currentTimestamp` is the party's stream timestamp now: a
    // queued event starting carries it.
    Output poll(Clock::time_point now, std::uint32_t currentTimestamp) noexcept;

    // An event is being sent: the audio toward the party should be suppressed.
    bool active() const noexcept { return active_; }
    // Events queued and not yet started.
    std::size_t queued() const noexcept { return queue_.size(); }
    // Forgets the queue and the event being sent, without its end packets (the stream is going away).
    void clear() noexcept;

private:
    struct Queued {
        std::uint8_t event = 0;
        std::uint8_t volume = 0;
        std::chrono::milliseconds duration{};
        std::chrono::milliseconds pause{};
    };

    struct Current {
        std::uint8_t event = 0;
        std::uint8_t volume = 0;
        bool played = false;                // queued, of a fixed length; otherwise live
        std::chrono::microseconds length{}; // played: its length
        std::chrono::milliseconds pause{};  // played: the silence after it
        Clock::time_point began{};
        Clock::time_point nextUpdate{};
    };

    void start(const Current& event, std::uint32_t timestamp) noexcept;
    void update(Clock::time_point now) noexcept;
    void finish(std::uint32_t duration, EventEnding ending) noexcept;
    // Ticks of the party's clock in `time`, rounded to the nearest.
    std::uint32_t toTicks(std::chrono::microseconds time) const noexcept;
    void clearOutput() noexcept;
    Output output() const noexcept;

    EventSenderConfig config_;
    EventEmitter emitter_;

    bool active_ = false;
    Current current_;
    boost::circular_buffer<Queued> queue_;
    Clock::time_point nextStart_{}; // no queued event starts before

    std::array<RelayedEvent, 2> ended_{};
    std::size_t endedCount_ = 0;
};

} // namespace rtcgate::dtmf
