// One direction of telephone-event relay between two RTP clock rates (RFC 4733): the events one
// party sends at its clock (e.g. telephone-event/48000 from a browser) re-sent toward the other
// party at its clock (e.g. telephone-event/8000 toward a carrier), on rtcgate's own stream toward
// that party, with the event's boundaries kept whatever the source's packets did on the way.
//
// It relays: push() hands back at once the packets that the received one calls for, so an update
// costs no extra delay. poll(), on the shard tick, only ends an event whose updates stopped (its
// end packets were lost). The three end packets of an event (RFC 4733 section 2.5.1.4) go out
// together, as Asterisk sends them. Nothing is allocated after construction and nothing throws.
//
// With no target payload type it only tracks: it sends nothing and never touches the writer, but
// reports the ended events as ever, for a target that takes DTMF in-band (the caller plays each
// ended event as tones).
#pragma once

#include "rtcgate/dtmf/EventEmitter.hpp"
#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace rtcgate::dtmf {

struct EventTranslatorConfig {
    std::uint32_t sourceClockRate = 48000; // the telephone-event clock of the received packets
    std::uint32_t targetClockRate = 8000;  // the telephone-event clock toward the other party
    // None: track only, send nothing (a target that takes DTMF in-band).
    std::optional<std::uint8_t> targetPayloadType = 101;
    // An event with no packet for this long is ended at its last known duration: its end packets were lost. Long
    // enough for a sender's stall or the network's jitter (updates come every 20-50 ms), short next to a digit.
    std::chrono::steady_clock::duration endTimeout = std::chrono::milliseconds(250);

    bool operator==(const EventTranslatorConfig&) const = default;
};

class EventTranslator {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr std::size_t kPacketCapacity = EventEmitter::kPacketCapacity;
    static constexpr std::size_t kPacketSize = EventEmitter::kPacketSize;
    static constexpr std::size_t kMaxPackets = EventEmitter::kMaxPackets;

    using Packet = EventEmitter::Packet;
    // What one push() or poll() produced; valid until the next call.
    using Output = EventOutput;

    // `writer` (rtcgate's stream toward the other party, shared with its audio: one SSRC, one
    // sequence space) must outlive the translator. Its timestamp is not used: see push().
    EventTranslator(const EventTranslatorConfig& config, rtp::RtpStreamWriter& writer);

    EventTranslator(const EventTranslator&) = delete;
    EventTranslator& operator=(const EventTranslator&) = delete;

    const EventTranslatorConfig& config() const { return config_; }

    // One telephone-event packet of the source (already unprotected), arrived at `arrival`.
    // `startTimestamp` is the target-clock timestamp an event that this packet starts will carry
    // (the caller's outgoing audio timestamp at that moment); it is ignored for the other packets.
    // Malformed, duplicated and outdated packets produce nothing.
    Output push(const rtp::RtpPacket& packet, Clock::time_point arrival, std::uint32_t startTimestamp) noexcept;

    // Ends the current event if it has had no packet for endTimeout by `now`.
    Output poll(Clock::time_point now) noexcept;
    // A poll by `now` would end the current event for want of packets: the caller reads what waits unread first.
    bool timesOut(Clock::time_point now) const { return active_ && now - lastPacket_ >= config_.endTimeout; }

    // An event is being relayed: the audio of this direction should be suppressed.
    bool active() const { return active_; }

    // While muted (block DTMF), the events that start are tracked and reported as ended, but not sent. An event
    // keeps what it was at its start: one begun before the change is not cut or half sent.
    void setMuted(bool muted) { muted_ = muted; }

private:
    struct Event {
        std::uint8_t code = 0;
        std::uint8_t volume = 0;
        std::uint32_t sourceStart = 0;   // the source's timestamp of the event's first segment
        std::uint32_t sourceElapsed = 0; // source ticks since sourceStart, the furthest seen
        bool forwarded = false;          // its packets are sent toward the target
    };

    bool belongsTo(const Event& event, std::uint8_t code, std::uint32_t timestamp) const;
    bool isOutdated(std::uint32_t timestamp) const;
    void start(const TelephoneEvent& received, std::uint32_t timestamp, std::uint32_t startTimestamp);
    // Sends the event at its current sourceElapsed: the final packets of the segments passed, then
    // one update, or the three end packets when `end`.
    void send(bool end);
    void finish(EventEnding ending);
    std::uint32_t toTarget(std::uint32_t sourceTicks) const;
    void clearOutput();
    Output output() const;

    EventTranslatorConfig config_;

    bool active_ = false;
    bool muted_ = false;
    Event current_;
    bool haveLast_ = false; // last_ is the most recent ended event: its late packets are dropped
    Event last_;
    bool haveSsrc_ = false;
    std::uint32_t ssrc_ = 0;
    Clock::time_point lastPacket_{};

    std::optional<EventEmitter> emitter_; // none when tracking only
    std::array<RelayedEvent, 2> ended_{};
    std::size_t endedCount_ = 0;
};

} // namespace rtcgate::dtmf
