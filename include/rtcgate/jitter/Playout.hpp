#pragma once

#include <cstdint>
#include <span>

namespace rtcgate::jitter {

// The decision for one 20 ms playout tick.
struct Playout {
    enum class Kind {
        // payload holds the frame to decode.
        Packet,
        // The frame's packet is missing. With nextAvailable, payload holds the following packet, whose in-band
        // FEC can rebuild this frame; without it the caller conceals (PLC).
        Lost,
        // Nothing to play: before the first packet, during the initial fill, or in a DTX gap.
        Silence,
        // A frame inserted to grow the delay in speech: the caller conceals (PLC); nothing was lost.
        Stretch
    };

    Kind kind = Kind::Silence;
    // RTP timestamp of the frame slot this decision fills (0 before the first packet).
    std::uint32_t timestamp = 0;
    std::uint16_t sequence = 0; // Packet only
    // Valid until the next push or pop.
    std::span<const std::uint8_t> payload;
    bool nextAvailable = false;
};

} // namespace rtcgate::jitter
