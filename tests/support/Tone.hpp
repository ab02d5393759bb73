// Test signals and their analysis for the codec tests and benchmarks: a sine tone, and the Goertzel
// algorithm to measure how much of a signal's power is at one frequency.
#pragma once

#include "rtcgate/codec/AudioFormat.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace rtcgate::codec::test {

// `samples` of a sine at `frequency` Hz and peak `amplitude`, 8 kHz, starting at sample `start`.
inline std::vector<std::int16_t> makeTone(double frequency, double amplitude, std::size_t samples,
                                          std::size_t start = 0) {
    std::vector<std::int16_t> tone(samples);
    for (std::size_t index = 0; index < samples; ++index) {
        const double phase = 2 * std::numbers::pi * frequency * static_cast<double>(start + index) / kSampleRate;
        tone[index] = static_cast<std::int16_t>(std::lround(amplitude * std::sin(phase)));
    }
    return tone;
}

// Mean power, per sample, of `signal` at `frequency` (Goertzel). For a sine of peak A whose
// period divides the length, this is A^2 / 2.
inline double powerAt(std::span<const std::int16_t> signal, double frequency) {
    const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / kSampleRate);
    double previous = 0;
    double beforePrevious = 0;
    for (const std::int16_t sample : signal) {
        const double current = sample + coefficient * previous - beforePrevious;
        beforePrevious = previous;
        previous = current;
    }
    const double magnitudeSquared =
        previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    const auto length = static_cast<double>(signal.size());
    return 2 * magnitudeSquared / (length * length);
}

inline double meanPower(std::span<const std::int16_t> signal) {
    double sum = 0;
    for (const std::int16_t sample : signal) {
        sum += static_cast<double>(sample) * sample;
    }
    return sum / static_cast<double>(signal.size());
}

// The tone at `frequency` against everything else in `signal`, in dB: indifferent to the
// codec's delay, which a sample-by-sample comparison with the input is not.
inline double toneSnrDb(std::span<const std::int16_t> signal, double frequency) {
    const double tone = powerAt(signal, frequency);
    const double rest = std::max(meanPower(signal) - tone, 1e-9);
    return 10 * std::log10(tone / rest);
}

// Of the telephone band's frequencies on a 50 Hz grid, the one holding most of `signal`'s power.
inline double dominantFrequency(std::span<const std::int16_t> signal) {
    double best = 0;
    double bestPower = -1;
    for (double frequency = 300; frequency <= 3400; frequency += 50) {
        const double power = powerAt(signal, frequency);
        if (power > bestPower) {
            bestPower = power;
            best = frequency;
        }
    }
    return best;
}

// The error of `actual` against `expected`, in dB: 10 log10(signal power / error power).
inline double snrDb(std::span<const std::int16_t> expected, std::span<const std::int16_t> actual) {
    double signal = 0;
    double error = 0;
    for (std::size_t index = 0; index < expected.size() && index < actual.size(); ++index) {
        signal += static_cast<double>(expected[index]) * expected[index];
        const double difference = static_cast<double>(actual[index]) - expected[index];
        error += difference * difference;
    }
    return 10 * std::log10(signal / std::max(error, 1e-9));
}

} // namespace rtcgate::codec::test
