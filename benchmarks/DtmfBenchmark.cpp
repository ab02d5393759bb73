// Per-frame (20 ms, 8 kHz) cost of in-band DTMF: spandsp's detector, which listens to every transcoded source
// without telephone-event, and its generator, which plays digits into a transcoded direction.
#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/dtmf/DtmfDetector.hpp"
#include "rtcgate/dtmf/DtmfGenerator.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace {

using namespace rtcgate::dtmf;
using namespace std::chrono_literals;
using rtcgate::codec::kFrameSamples;

constexpr std::size_t kFrames = 100; // 2 s, cycled

// Ten digits of 100 ms with 100 ms between them: the detector's work for tones and for silence alike.
std::vector<std::int16_t> makeDialing() {
    DtmfGenerator dialer;
    for (const char digit : std::string_view("0123456789")) {
        dialer.queue(digit, 100ms, -10, 100ms);
    }
    std::vector<std::int16_t> audio(kFrames * kFrameSamples, 0);
    for (std::size_t frame = 0; frame < kFrames; ++frame) {
        dialer.generate(std::span(audio).subspan(frame * kFrameSamples, kFrameSamples));
    }
    return audio;
}

void BM_DtmfDetect(benchmark::State& state) {
    const std::vector<std::int16_t> audio = makeDialing();
    DtmfDetector detector;
    std::size_t frame = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            detector.process(std::span(audio).subspan((frame++ % kFrames) * kFrameSamples, kFrameSamples)));
    }
}
BENCHMARK(BM_DtmfDetect);

void BM_DtmfGenerate(benchmark::State& state) {
    DtmfGenerator generator;
    std::vector<std::int16_t> frame(kFrameSamples);
    for (auto _ : state) {
        if (generator.idle()) {
            generator.queue('5', 5000ms, -10, 0ms);
        }
        benchmark::DoNotOptimize(generator.generate(frame));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_DtmfGenerate);

} // namespace
