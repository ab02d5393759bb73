// Per-frame (20 ms) cost of one direction of a transcoded call as the daemon runs it: the
// packet into the jitter buffer, then at playout decode, re-encode and the RTP header. SRTP
// (docs/performance.md) and the socket come on top. And the jitter buffer alone (push + pop).
#include "rtcgate/media/Transcoder.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711.hpp"
#include "rtcgate/codec/OpusEncoder.hpp"
#include "rtcgate/jitter/JitterBuffer.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace {

using namespace std::chrono_literals;
using rtcgate::codec::AudioCodec;
using rtcgate::media::Clock;

constexpr std::size_t kPackets = 250; // 5 s of audio, cycled

// Speech-like: two tones under a slow modulation (a pure tone lets Opus settle).
std::vector<std::int16_t> makeFrame(std::size_t index) {
    std::vector<std::int16_t> frame(rtcgate::codec::kFrameSamples);
    for (std::size_t i = 0; i < frame.size(); ++i) {
        const double t = static_cast<double>(index * frame.size() + i) / rtcgate::codec::kSampleRate;
        const double envelope = 0.5 + 0.5 * std::sin(2 * std::numbers::pi * 3 * t);
        frame[i] =
            static_cast<std::int16_t>(std::lround(envelope * (6000 * std::sin(2 * std::numbers::pi * 440 * t) +
                                                              3000 * std::sin(2 * std::numbers::pi * 1330 * t))));
    }
    return frame;
}

// The source's packets, RTP header included.
std::vector<std::vector<std::uint8_t>> makePackets(AudioCodec codec, std::uint8_t payloadType) {
    rtcgate::codec::OpusEncoder opus;
    const rtcgate::codec::G711 pcmu(rtcgate::codec::G711Law::MuLaw);
    rtcgate::rtp::RtpStreamWriter writer;
    std::vector<std::vector<std::uint8_t>> packets;
    for (std::size_t i = 0; i < kPackets; ++i) {
        std::vector<std::uint8_t> packet(1500);
        const std::size_t header = writer.writeHeader(packet, payloadType, i == 0);
        const auto frame = makeFrame(i);
        const std::size_t size = codec == AudioCodec::Opus ? opus.encode(frame, std::span(packet).subspan(header)).count
                                                           : pcmu.encode(frame, std::span(packet).subspan(header));
        packet.resize(header + size);
        writer.advance(codec == AudioCodec::Opus ? 960 : 160);
        packets.push_back(std::move(packet));
    }
    return packets;
}

void BM_TranscodeFrame(benchmark::State& state, AudioCodec from, AudioCodec to) {
    const std::uint8_t sourcePayloadType = from == AudioCodec::Opus ? 111 : 0;
    const auto packets = makePackets(from, sourcePayloadType);
    rtcgate::rtp::RtpStreamWriter writer;
    const rtcgate::media::TranscoderConfig config{.sourceCodec = from,
                                                  .sourcePayloadType = sourcePayloadType,
                                                  .targetCodec = to,
                                                  .targetPayloadType =
                                                      to == AudioCodec::Opus ? std::uint8_t{96} : std::uint8_t{0},
                                                  .opus = {.complexity = static_cast<int>(state.range(0))}};
    rtcgate::media::Transcoder transcoder(config, writer);
    auto now = Clock::time_point{} + 1000s;
    std::size_t index = 0;
    std::size_t sent = 0;
    for (auto _ : state) {
        const auto& packet = packets[index++ % kPackets];
        const rtcgate::rtp::RtpPacket view(packet);
        // Cycling the packets makes a timestamp jump every kPackets: the buffer resyncs, as at an SSRC change.
        transcoder.push(view, view.payload(), now);
        now += 20ms;
        while (auto out = transcoder.next(now)) {
            benchmark::DoNotOptimize(out->buffer.data());
            ++sent;
        }
    }
    const auto perFrame = [&](std::uint64_t count) {
        return benchmark::Counter(static_cast<double>(count) / static_cast<double>(state.iterations()));
    };
    state.counters["sent"] = perFrame(sent);
    state.counters["decoded"] = perFrame(transcoder.statistics().decoded);
    state.counters["concealed"] = perFrame(transcoder.statistics().concealed);
    state.counters["late"] = perFrame(transcoder.jitterStatistics().late);
    state.counters["resyncs"] = perFrame(transcoder.jitterStatistics().resyncs);
    state.counters["lost"] = perFrame(transcoder.jitterStatistics().lost);
}
BENCHMARK_CAPTURE(BM_TranscodeFrame, OpusToPcmu, AudioCodec::Opus, AudioCodec::Pcmu)->Arg(5);
BENCHMARK_CAPTURE(BM_TranscodeFrame, PcmuToOpus, AudioCodec::Pcmu, AudioCodec::Opus)->Arg(0)->Arg(5)->Arg(10);

void BM_JitterBufferPushPop(benchmark::State& state) {
    rtcgate::jitter::JitterBuffer buffer;
    std::vector<std::uint8_t> payload(80, 0x55);
    auto now = Clock::time_point{} + 1000s;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    for (auto _ : state) {
        // 0-30 ms of jitter, so that the buffer's window and percentile work as in a real call.
        const auto jitter = std::chrono::microseconds((sequence * 7919U) % 30000U);
        buffer.push({.sequence = sequence++, .timestamp = timestamp, .ssrc = 1}, payload, now + jitter);
        timestamp += 960;
        now += 20ms;
        benchmark::DoNotOptimize(buffer.pop(now));
    }
}
BENCHMARK(BM_JitterBufferPushPop);

} // namespace
