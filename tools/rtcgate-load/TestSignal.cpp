#include "TestSignal.hpp"

#include <cmath>
#include <numbers>

namespace rtcgate::load {

void TestSignal::fill(std::uint32_t rate, std::uint64_t first, std::span<std::int16_t> out) {
    const std::uint64_t frame = samplesPerFrame(rate);
    const std::uint64_t period = samplesPerPeriod(rate);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::uint64_t n = (first + i) % period; // a period holds whole cycles of the tone
        const double amplitude = n < frame ? kMarkerAmplitude : kAmplitude;
        const double seconds = static_cast<double>(n) / rate;
        out[i] = static_cast<std::int16_t>(std::lround(amplitude * std::sin(2 * std::numbers::pi * kToneHz * seconds)));
    }
}

} // namespace rtcgate::load
