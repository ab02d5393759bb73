// The packets of one telephone event at a time (RFC 4733) toward one party, on rtcgate's own stream
// to that party: every packet carries the event's (or its segment's) start timestamp, the first one
// the marker; an event longer than a packet's duration can say is sent in segments (section 2.5.1.3).
// Shared by EventTranslator (events relayed from the other party) and EventSender (events rtcgate
// originates). Nothing is allocated after construction and nothing throws.
#pragma once

#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::dtmf {

enum class EventEnding {
    EndPacket,   // the event came to its end: the source's end packet, or the length it was given
    Timeout,     // no packet for endTimeout: the end packets were lost
    Interrupted, // another event (or another source stream) started before its end arrived
};

// An event that has been sent to its end: for logging and counting.
struct RelayedEvent {
    std::uint8_t event = 0;
    char digit = '\0'; // '\0' when the event is not a DTMF digit
    std::uint32_t durationMs = 0;
    std::uint8_t volume = 0;
    EventEnding ending = EventEnding::EndPacket;
};

class EventEmitter {
public:
    // Room for the packet and an SRTP authentication tag after it.
    static constexpr std::size_t kPacketCapacity = 64;
    static constexpr std::size_t kPacketSize = rtp::RtpStreamWriter::kHeaderSize + TelephoneEvent::kSize;
    static constexpr std::size_t kMaxPackets = 24;
    // The largest duration one packet can carry: longer events are sent in segments (RFC 4733 section 2.5.1.3).
    static constexpr std::uint32_t kSegmentTicks = 0xFFFF;

    struct Packet {
        std::span<std::uint8_t> buffer; // the whole buffer: SRTP protects in place
        std::size_t length = 0;
    };

    // `writer` (rtcgate's stream toward the party, shared with its audio: one SSRC, one sequence
    // space) must outlive the emitter.
    EventEmitter(std::uint8_t payloadType, rtp::RtpStreamWriter& writer) noexcept;

    // The packets point into the emitter's own buffers.
    EventEmitter(const EventEmitter&) = delete;
    EventEmitter& operator=(const EventEmitter&) = delete;

    // A new event whose packets carry `timestamp` (the target stream's timestamp at its start).
    void start(std::uint8_t event, std::uint8_t volume, std::uint32_t timestamp) noexcept;
    // The volume of the event's next packets (a relayed source may change it on the way).
    void setVolume(std::uint8_t volume) noexcept { volume_ = volume; }
    // Adds the packets of the event at `elapsed` ticks since its start: the final packets of the
    // segments passed, then one update, or the three end packets (section 2.5.1.4) when `end`.
    void send(std::uint32_t elapsed, bool end) noexcept;
    // Forgets the packets written: the next send() writes from the first buffer.
    void clear() noexcept { packetCount_ = 0; }

    // The packets written since clear(), to send in this order.
    std::span<const Packet> packets() const noexcept { return std::span(packets_).first(packetCount_); }
    // The duration (ticks since the event's start) of the last packet written.
    std::uint32_t elapsed() const noexcept { return elapsed_; }

private:
    void emit(std::uint32_t timestamp, std::uint16_t duration, bool end) noexcept;

    std::uint8_t payloadType_;
    rtp::RtpStreamWriter& writer_;

    std::uint8_t event_ = 0;
    std::uint8_t volume_ = 0;
    std::uint32_t timestamp_ = 0;
    std::uint32_t segment_ = 0; // index of the segment being sent
    std::uint32_t elapsed_ = 0;
    bool markerSent_ = false;

    alignas(8) std::array<std::array<std::uint8_t, kPacketCapacity>, kMaxPackets> buffers_{};
    std::array<Packet, kMaxPackets> packets_{};
    std::size_t packetCount_ = 0;
};

// What one call of an EventTranslator or an EventSender produced; valid until its next call.
struct EventOutput {
    std::span<const EventEmitter::Packet> packets; // to send toward the party, in this order
    std::span<const RelayedEvent> ended;
};

} // namespace rtcgate::dtmf
