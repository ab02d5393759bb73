#include "TestSignal.hpp"

#include <cmath>
#include <numbers>

namespace rtcgate::load {

void TestSignal::fill(std::uint32_t rate, std::uint64_t first, std::span<std::int16_t> out) {
    const std::uint64_t frame = samplesPerFrame(rate);
    const std::uint64_t period = frame * kFramesPerPeriod;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::uint64_t n = first + i;
        const double hz = n % period < frame ? kMarkerHz : kToneHz;
        // The phase runs on from the period's start, so each tone's cycles stay whole.
        const double seconds = static_cast<double>(n % period) / rate;
        out[i] = static_cast<std::int16_t>(std::lround(kAmplitude * std::sin(2 * std::numbers::pi * hz * seconds)));
    }
}

} // namespace rtcgate::load
