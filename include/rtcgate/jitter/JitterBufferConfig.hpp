#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace rtcgate::jitter {

struct JitterBufferConfig {
    std::uint32_t clockRate = 48000;
    std::chrono::milliseconds frameDuration{20};
    // Bounds of the adaptive target delay.
    std::chrono::milliseconds minDelay{20};
    std::chrono::milliseconds maxDelay{200};
    // The target delay covers this share of the relative transit times in the window.
    double percentile = 0.95;
    std::chrono::milliseconds jitterWindow{3000};
    // The buffer shrinks by at most one frame per interval.
    std::chrono::milliseconds shrinkInterval{1000};
    // With nothing received for the target delay and two frames more (at least minPause, at most pauseAfter),
    // missing frames are silence (hold, sender stopped), not loss. The floor keeps a jitter spike on a stream of
    // short frames (40 ms on 10 ms packets at a 20 ms delay) a loss to conceal, not a pause that cuts the audio.
    std::chrono::milliseconds minPause{100};
    std::chrono::milliseconds pauseAfter{1000};
    // Larger payloads are discarded (Opus tops out at 1275 bytes per frame, RFC 6716 section 3.4).
    std::size_t maxPayloadSize = 1275;

    bool operator==(const JitterBufferConfig&) const = default;
};

} // namespace rtcgate::jitter
