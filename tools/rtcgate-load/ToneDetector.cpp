#include "ToneDetector.hpp"

#include "TestSignal.hpp"

// clang-format off
#include <cmath> // before spandsp, whose headers define lrint and friends
#include <spandsp/telephony.h>
#include <spandsp/complex.h>
#include <spandsp/tone_detect.h>
// clang-format on

namespace rtcgate::load {

namespace {

// 10 ms: the tone lies in the middle of a bin, and the onset is found to a
// window's step.
constexpr std::size_t kOnsetWindow = 80;
constexpr std::size_t kOnsetStep = 4;
// At least this much of the frame's power in the tone, and the tone at least
// this loud: -20 dB under TestSignal's.
constexpr double kHeardShare = 0.5;
constexpr double kHeardPower = TestSignal::kAmplitude * TestSignal::kAmplitude / 2 / 100;
// Half way between the two levels, in amplitude, relative to the steady tone's.
constexpr double kMarkerThreshold = (1 + TestSignal::kMarkerAmplitude / TestSignal::kAmplitude) / 2;

// A sine of amplitude A over n samples, in the middle of the bin: (n A)^2 / 2
// (spandsp's float build); as a mean power, A^2 / 2. Its amplitude is the
// mean over the samples: a window half at each level reads half way.
double tonePower(std::span<const std::int16_t> samples) {
    goertzel_descriptor_t descriptor{};
    make_goertzel_descriptor(&descriptor, static_cast<float>(TestSignal::kToneHz), static_cast<int>(samples.size()));
    goertzel_state_t state{};
    goertzel_init(&state, &descriptor);
    goertzel_update(&state, samples.data(), static_cast<int>(samples.size()));
    const auto n = static_cast<double>(samples.size());
    return static_cast<double>(goertzel_result(&state)) / (n * n);
}

} // namespace

bool FrameTones::heard() const {
    return tone >= kHeardPower && tone >= kHeardShare * total;
}

double FrameTones::amplitude() const {
    return std::sqrt(2 * tone);
}

bool FrameTones::markerHeard(double steadyAmplitude) const {
    return heard() && amplitude() >= kMarkerThreshold * steadyAmplitude;
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
    tones.tone = tonePower(samples);
    return tones;
}

std::optional<std::size_t> ToneDetector::markerOnset(std::span<const std::int16_t> samples, double steadyAmplitude) {
    const double threshold = kMarkerThreshold * steadyAmplitude;
    for (std::size_t start = 0; start + kOnsetWindow <= samples.size(); start += kOnsetStep) {
        if (tonePower(samples.subspan(start, kOnsetWindow)) >= threshold * threshold / 2) {
            return start + kOnsetWindow / 2;
        }
    }
    return std::nullopt;
}

} // namespace rtcgate::load
