// Reads TestSignal back out of decoded 8 kHz audio with Goertzel filters
// (spandsp): whether a frame carries the signal, and where a marker starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rtcgate::load {

struct FrameTones {
    double tone = 0;   // mean power of the steady tone, of the marker, and of
    double marker = 0; // the whole frame (a sine of amplitude A: A^2 / 2)
    double total = 0;

    // The signal is there: loud enough, and mostly its two tones. A hole is
    // silence, noise, or a tone the codec chain wrecked.
    bool heard() const;
    bool markerHeard() const { return heard() && marker > tone; }
};

class ToneDetector {
public:
    static FrameTones measure(std::span<const std::int16_t> samples);

    // The first sample of `samples` where the marker has taken over from the
    // steady tone (to a few samples), or nullopt when it does not within them.
    static std::optional<std::size_t> markerOnset(std::span<const std::int16_t> samples);
};

} // namespace rtcgate::load
