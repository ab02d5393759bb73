// Reads TestSignal back out of decoded 8 kHz audio with a Goertzel filter
// (spandsp): whether a frame carries the signal, and where a marker starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rtcgate::load {

struct FrameTones {
    double tone = 0;  // mean power of the tone and of the whole frame (a
    double total = 0; // sine of amplitude A: A^2 / 2)

    // The signal is there: loud enough, and mostly the tone. A hole is
    // silence, noise, or a tone the codec chain wrecked.
    bool heard() const;
    // The tone's amplitude: its mean over the frame.
    double amplitude() const;
    // Most of the frame is the marker: the tone nearer the marker's level than
    // the steady one's (as this receiver hears it: a daemon may change the level).
    bool markerHeard(double steadyAmplitude) const;
};

class ToneDetector {
public:
    static FrameTones measure(std::span<const std::int16_t> samples);

    // The first sample of `samples` where the marker has taken over from the
    // steady tone of `steadyAmplitude` (to a few samples), or nullopt when it
    // does not within them.
    static std::optional<std::size_t> markerOnset(std::span<const std::int16_t> samples, double steadyAmplitude);
};

} // namespace rtcgate::load
