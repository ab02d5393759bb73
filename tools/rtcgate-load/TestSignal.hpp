// What the parties say in a transcoded call: a steady tone, 6 dB louder for
// one frame each period, the marker. The receiver finds the marker's onset in
// the audio it decodes, which survives what a transcoding daemon does to
// packets (new sequence numbers, timestamps, sizes), and so measures the
// latency of the audio itself and the audio lost between two markers. (A
// marker of another frequency does not survive Opus at complexity 0: SILK
// turns a frame of it into noise.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::load {

struct TestSignal {
    // In the middle of a Goertzel bin of 80 and 160 samples at 8 kHz (100 and
    // 50 Hz wide), and far from every DTMF tone (a daemon that detects in-band
    // DTMF must not find one).
    static constexpr double kToneHz = 500;
    static constexpr double kAmplitude = 8000;        // about -12 dBFS
    static constexpr double kMarkerAmplitude = 16000; // +6 dB
    static constexpr std::uint32_t kFrameMilliseconds = 20;
    static constexpr std::size_t kFramesPerPeriod = 50; // a marker every second

    // Writes samples [first, first + out.size()) of the signal at `rate` Hz:
    // the marker fills the first frame of each period.
    static void fill(std::uint32_t rate, std::uint64_t first, std::span<std::int16_t> out);

    static constexpr std::size_t samplesPerFrame(std::uint32_t rate) {
        return std::size_t{rate} / 1000 * kFrameMilliseconds;
    }
    static constexpr std::size_t samplesPerPeriod(std::uint32_t rate) {
        return samplesPerFrame(rate) * kFramesPerPeriod;
    }
};

} // namespace rtcgate::load
