// What the parties say in a transcoded call: a steady tone, and once per
// period one frame of a second tone, the marker. The receiver finds the
// marker's onset in the audio it decodes, which survives what a transcoding
// daemon does to packets (new sequence numbers, timestamps, sizes), and so
// measures the latency of the audio itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::load {

struct TestSignal {
    // Both sit in the middle of a Goertzel bin of 80 and 160 samples at 8 kHz
    // (100 and 50 Hz wide), far from each other and from every DTMF tone (a
    // daemon that detects in-band DTMF must not find one).
    static constexpr double kToneHz = 500;
    static constexpr double kMarkerHz = 2000;
    static constexpr double kAmplitude = 8000; // about -12 dBFS
    static constexpr std::uint32_t kFrameMilliseconds = 20;
    static constexpr std::size_t kFramesPerPeriod = 50; // a marker every second

    // Writes samples [first, first + out.size()) of the signal at `rate` Hz:
    // the marker fills the first frame of each period.
    static void fill(std::uint32_t rate, std::uint64_t first, std::span<std::int16_t> out);

    static constexpr std::size_t samplesPerFrame(std::uint32_t rate) {
        return std::size_t{rate} / 1000 * kFrameMilliseconds;
    }
};

} // namespace rtcgate::load
