#include "ToneDetector.hpp"

#include "TestSignal.hpp"

#include <spandsp/complex.h>
#include <spandsp/telephony.h>
#include <spandsp/tone_detect.h>

namespace rtcgate::load {

namespace {

// 10 ms: both tones lie in the middle of a bin, and the onset is found to a
// window's step.
constexpr std::size_t kOnsetWindow = 80;
constexpr std::size_t kOnsetStep = 4;
// At least this much of the frame's power in the two tones, and the tones at
// least this loud: -20 dB under TestSignal's.
constexpr double kHeardShare = 0.5;
constexpr double kHeardPower = TestSignal::kAmplitude * TestSignal::kAmplitude / 2 / 100;

// A sine of amplitude A over n samples, in the middle of the bin: (n A)^2 / 2
// (spandsp's float build); as a mean power, A^2 / 2.
double tonePower(double hz, std::span<const std::int16_t> samples) {
    goertzel_descriptor_t descriptor{};
    make_goertzel_descriptor(&descriptor, static_cast<float>(hz), static_cast<int>(samples.size()));
    goertzel_state_t state{};
    goertzel_init(&state, &descriptor);
    goertzel_update(&state, samples.data(), static_cast<int>(samples.size()));
    const auto n = static_cast<double>(samples.size());
    return static_cast<double>(goertzel_result(&state)) / (n * n);
}

} // namespace

bool FrameTones::heard() const {
    return tone + marker >= kHeardPower && tone + marker >= kHeardShare * total;
}

FrameTones ToneDetector::measure(std::span<const std::int16_t> samples) {
    FrameTones tones;
    if (samples.empty()) {
        return tones;
    }
    double energy = 0;
    for (const std::int16_t sample : samples) {
        energy += static_cast<double>(sample) * sample;
    }
    tones.total = energy / static_cast<double>(samples.size());
    tones.tone = tonePower(TestSignal::kToneHz, samples);
    tones.marker = tonePower(TestSignal::kMarkerHz, samples);
    return tones;
}

std::optional<std::size_t> ToneDetector::markerOnset(std::span<const std::int16_t> samples) {
    for (std::size_t start = 0; start + kOnsetWindow <= samples.size(); start += kOnsetStep) {
        const auto window = samples.subspan(start, kOnsetWindow);
        // Half the window is marker where the two tones are equally strong.
        if (tonePower(TestSignal::kMarkerHz, window) >= tonePower(TestSignal::kToneHz, window)) {
            return start + kOnsetWindow / 2;
        }
    }
    return std::nullopt;
}

} // namespace rtcgate::load
