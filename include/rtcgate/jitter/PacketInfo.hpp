#pragma once

#include <cstdint>

namespace rtcgate::jitter {

// The RTP header fields of a received packet, plus what the caller knows about its payload.
struct PacketInfo {
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    bool marker = false;
    // A DTX or comfort-noise frame: a timestamp gap after it is silence, not loss.
    bool dtx = false;
    // A quiet frame the buffer may drop to shrink its delay without an audible cut.
    bool lowEnergy = false;
};

} // namespace rtcgate::jitter
