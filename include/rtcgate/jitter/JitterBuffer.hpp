#pragma once

#include "rtcgate/jitter/JitterBufferConfig.hpp"
#include "rtcgate/jitter/JitterStatistics.hpp"
#include "rtcgate/jitter/PacketInfo.hpp"
#include "rtcgate/jitter/Playout.hpp"
#include "rtcgate/jitter/TransitWindow.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace rtcgate::jitter {

// Adaptive jitter buffer for one received stream of fixed-duration frames. Pure logic on the caller's clock:
// push() every received packet, pop() once per frame duration. Storage is sized at construction, for frames
// down to kShortestFrame.
class JitterBuffer {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kShortestFrame{10};

    explicit JitterBuffer(const JitterBufferConfig& config = {});

    // The stream's packets last `duration` (at least kShortestFrame) from now on: the buffer starts afresh with
    // the next packet, as after reset().
    void setFrameDuration(std::chrono::milliseconds duration);
    std::chrono::milliseconds frameDuration() const { return config_.frameDuration; }

    void push(const PacketInfo& packet, std::span<const std::uint8_t> payload, Clock::time_point arrival);
    Playout pop(Clock::time_point now);
    // The frame pop() would play next is not here, though the stream flows (it has not paused): its packet may
    // have arrived and wait unread in the socket. Costs no more than a look at one slot.
    bool awaitsNext(Clock::time_point now) const;
    // Forgets the stream (not the statistics): the next packet starts it again, as after a hold.
    void reset() { started_ = false; }

    const JitterStatistics& statistics() const { return statistics_; }

private:
    enum class SlotState : std::uint8_t {
        Empty,
        Filled,
        Played
    };

    struct Slot {
        std::int64_t frame = 0;
        std::int64_t sequence = 0;
        std::size_t size = 0;
        SlotState state = SlotState::Empty;
        bool dtx = false;
        bool lowEnergy = false;
    };

    void start(const PacketInfo& packet, std::span<const std::uint8_t> payload, std::int64_t arrivalUs);
    void store(std::int64_t frame, std::int64_t sequence, const PacketInfo& packet,
               std::span<const std::uint8_t> payload);
    Slot& slotOf(std::int64_t frame);
    const Slot& slotOf(std::int64_t frame) const;
    bool holds(std::int64_t frame) const;
    // A stream that stays away this long after its last packet has paused.
    std::int64_t pauseUs() const;
    std::span<const std::uint8_t> payloadOf(std::int64_t frame);
    // What to play for frame (without consuming it).
    Playout decide(std::int64_t frame, std::int64_t nowUs);
    Playout consume(std::int64_t frame, std::int64_t nowUs);
    // The packet of `frame` is played (or dropped to shrink): it is the last one, and what went missing before it
    // is accounted for.
    void markPlayed(std::int64_t frame);
    std::int64_t frameOf(std::int64_t extendedTimestamp) const;
    std::int64_t sendTimeUs(std::int64_t extendedTimestamp) const;
    std::uint32_t timestampOf(std::int64_t frame) const;

    JitterBufferConfig config_;
    std::int64_t frameUs_ = 0;
    std::int64_t samplesPerFrame_ = 0;
    std::vector<Slot> slots_;
    std::vector<std::uint8_t> payloads_;
    TransitWindow transits_;
    JitterStatistics statistics_;

    bool started_ = false;
    bool playing_ = false;
    std::uint32_t ssrc_ = 0;
    std::int64_t baseTimestamp_ = 0;
    std::int64_t highestTimestamp_ = 0; // extended
    std::int64_t highestSequence_ = 0;  // extended
    std::int64_t playFrame_ = 0;        // next frame to play
    std::int64_t lastPlayedFrame_ = 0;
    std::int64_t lastPlayedSequence_ = 0;
    std::uint64_t lostSincePlayed_ = 0; // frames reported Lost since the last packet played
    bool lastPlayedDtx_ = false;
    std::int64_t lastArrivalUs_ = 0;
    std::int64_t lastShrinkUs_ = 0;
    std::int64_t targetUs_ = 0;
    std::optional<std::uint16_t> restartCandidate_; // sequence of a packet far behind playout
};

} // namespace rtcgate::jitter
