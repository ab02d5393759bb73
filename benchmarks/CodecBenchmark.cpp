// Per-frame (20 ms, 8 kHz) cost of the transcoding codecs: G.711 both ways, Opus decode straight
// to 8 kHz, and Opus encode from 8 kHz over the whole complexity range, which is how
// OpusEncoderConfig's default complexity was chosen. DESIGN.md's reference: decode 12-17 us,
// encode 15-20 / 41-47 / 78-87 us at complexity 0 / 5 / 10, PCMU encode 0.23 us, decode 0.05 us.
#include "Tone.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711.hpp"
#include "rtcgate/codec/OpusDecoder.hpp"
#include "rtcgate/codec/OpusEncoder.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace {

using namespace rtcgate::codec;
// libopus declares ::OpusDecoder and ::OpusEncoder: name ours over the using-directive.
using rtcgate::codec::OpusDecoder;
using rtcgate::codec::OpusEncoder;

constexpr std::size_t kFrames = 50; // 1 s of audio, cycled

// Speech-like test audio: two tones with a slow amplitude modulation, so that the encoder
// does not settle into a steady state a pure tone would give it.
std::vector<std::int16_t> makeAudio() {
    std::vector<std::int16_t> audio(kFrames * kFrameSamples);
    for (std::size_t index = 0; index < audio.size(); ++index) {
        const double t = static_cast<double>(index) / kSampleRate;
        const double envelope = 0.5 + 0.5 * std::sin(2 * std::numbers::pi * 3 * t);
        const double value = envelope * (6000 * std::sin(2 * std::numbers::pi * 440 * t) +
                                         3000 * std::sin(2 * std::numbers::pi * 1330 * t));
        audio[index] = static_cast<std::int16_t>(std::lround(value));
    }
    return audio;
}

std::span<const std::int16_t> frameOf(const std::vector<std::int16_t>& audio, std::size_t index) {
    return std::span(audio).subspan((index % kFrames) * kFrameSamples, kFrameSamples);
}

void BM_CodecG711Encode(benchmark::State& state, G711Law law) {
    const G711 codec(law);
    const std::vector<std::int16_t> audio = makeAudio();
    std::array<std::uint8_t, kFrameSamples> encoded{};
    std::size_t index = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(codec.encode(frameOf(audio, index++), encoded));
        benchmark::ClobberMemory();
    }
}
BENCHMARK_CAPTURE(BM_CodecG711Encode, Pcmu, G711Law::MuLaw);
BENCHMARK_CAPTURE(BM_CodecG711Encode, Pcma, G711Law::ALaw);

void BM_CodecG711Decode(benchmark::State& state, G711Law law) {
    const G711 codec(law);
    const std::vector<std::int16_t> audio = makeAudio();
    std::vector<std::uint8_t> encoded(audio.size());
    codec.encode(audio, encoded);
    std::array<std::int16_t, kFrameSamples> decoded{};
    std::size_t index = 0;
    for (auto _ : state) {
        const auto frame =
            std::span<const std::uint8_t>(encoded).subspan((index++ % kFrames) * kFrameSamples, kFrameSamples);
        benchmark::DoNotOptimize(codec.decode(frame, decoded));
        benchmark::ClobberMemory();
    }
}
BENCHMARK_CAPTURE(BM_CodecG711Decode, Pcmu, G711Law::MuLaw);
BENCHMARK_CAPTURE(BM_CodecG711Decode, Pcma, G711Law::ALaw);

void BM_CodecOpusDecodeTo8kHz(benchmark::State& state) {
    OpusEncoder encoder;
    const std::vector<std::int16_t> audio = makeAudio();
    std::vector<std::vector<std::uint8_t>> packets;
    for (std::size_t index = 0; index < kFrames; ++index) {
        std::vector<std::uint8_t> packet(kOpusMaxPacketBytes);
        packet.resize(encoder.encode(frameOf(audio, index), packet).count);
        packets.push_back(std::move(packet));
    }
    OpusDecoder decoder;
    std::array<std::int16_t, kOpusMaxPacketSamples> decoded{};
    std::size_t index = 0;
    for (auto _ : state) {
        const CodecResult result = decoder.decode(packets[index++ % kFrames], decoded);
        if (!result.ok()) {
            state.SkipWithError("decode failed");
            break;
        }
        benchmark::DoNotOptimize(decoded.data());
    }
}
BENCHMARK(BM_CodecOpusDecodeTo8kHz);

// What a complexity costs in quality (--opus-complexity, --opus-complexity-cpu): a 1 kHz tone at -12 dBFS through
// the encoder and back, 2 s, against everything else that comes out, over its second second.
double toneSnrThroughOpus(int complexity) {
    OpusEncoder encoder(OpusEncoderConfig{.complexity = complexity});
    OpusDecoder decoder;
    const auto tone = test::makeTone(1000, 8000, 2 * kSampleRate);
    std::vector<std::int16_t> decoded;
    std::array<std::uint8_t, kOpusMaxPacketBytes> packet{};
    std::array<std::int16_t, kOpusMaxPacketSamples> frame{};
    for (std::size_t at = 0; at + kFrameSamples <= tone.size(); at += kFrameSamples) {
        const CodecResult encoded = encoder.encode(std::span(tone).subspan(at, kFrameSamples), packet);
        const CodecResult samples = decoder.decode(std::span(packet).first(encoded.count), frame);
        decoded.insert(decoded.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(samples.count));
    }
    return test::toneSnrDb(std::span(decoded).subspan(kSampleRate), 1000);
}

// Arg: the encoder complexity, 0..10.
void BM_CodecOpusEncodeFrom8kHz(benchmark::State& state) {
    OpusEncoder encoder(OpusEncoderConfig{.complexity = static_cast<int>(state.range(0))});
    const std::vector<std::int16_t> audio = makeAudio();
    std::array<std::uint8_t, kOpusMaxPacketBytes> packet{};
    std::size_t index = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const CodecResult result = encoder.encode(frameOf(audio, index++), packet);
        if (!result.ok()) {
            state.SkipWithError("encode failed");
            break;
        }
        bytes += result.count;
        benchmark::DoNotOptimize(packet.data());
    }
    state.counters["bytes_per_frame"] =
        benchmark::Counter(static_cast<double>(bytes) / static_cast<double>(std::max<std::size_t>(index, 1)));
    state.counters["tone_snr_db"] = toneSnrThroughOpus(static_cast<int>(state.range(0)));
}
BENCHMARK(BM_CodecOpusEncodeFrom8kHz)->DenseRange(0, 10);

// The default configuration, as the gateway runs it.
void BM_CodecOpusEncodeFrom8kHzDefault(benchmark::State& state) {
    OpusEncoder encoder;
    const std::vector<std::int16_t> audio = makeAudio();
    std::array<std::uint8_t, kOpusMaxPacketBytes> packet{};
    std::size_t index = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(encoder.encode(frameOf(audio, index++), packet));
    }
}
BENCHMARK(BM_CodecOpusEncodeFrom8kHzDefault);

} // namespace
