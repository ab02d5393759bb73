#include "AudioLoop.hpp"

#include "TestSignal.hpp"
#include "ToneDetector.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711.hpp"
#include "rtcgate/codec/OpusDecoder.hpp"
#include "rtcgate/codec/OpusEncoder.hpp"

#include <stdexcept>

namespace rtcgate::load {

namespace {

constexpr std::uint32_t kBrowserRate = 48000;
// What Chrome sends by default for mono speech.
constexpr int kBrowserBitrate = 32000;

} // namespace

AudioLoop::AudioLoop(LoopCodec codec) : codec_(codec) {
    if (codec == LoopCodec::Opus) {
        encodeOpus();
    } else {
        encodePcmu();
    }
    findMarker();
}

void AudioLoop::encodeOpus() {
    codec::OpusEncoder encoder{{.complexity = 10, .bitrateBitsPerSecond = kBrowserBitrate, .sampleRate = kBrowserRate}};
    const std::size_t frame = TestSignal::samplesPerFrame(kBrowserRate);
    std::vector<std::int16_t> samples(frame);
    std::vector<std::uint8_t> packet(codec::kOpusMaxPacketBytes);
    for (std::size_t pass = 0; pass < 2; ++pass) {
        payloads_.clear();
        for (std::size_t i = 0; i < TestSignal::kFramesPerPeriod; ++i) {
            TestSignal::fill(kBrowserRate, i * frame, samples);
            const auto encoded = encoder.encode(samples, packet);
            if (encoded.status != codec::CodecStatus::Ok) {
                throw std::runtime_error("the test signal does not encode to Opus");
            }
            payloads_.emplace_back(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(encoded.count));
        }
    }
}

void AudioLoop::encodePcmu() {
    const codec::G711 law{codec::G711Law::MuLaw};
    std::vector<std::int16_t> samples(codec::kFrameSamples);
    for (std::size_t i = 0; i < TestSignal::kFramesPerPeriod; ++i) {
        TestSignal::fill(codec::kSampleRate, i * codec::kFrameSamples, samples);
        auto& payload = payloads_.emplace_back(codec::kFrameSamples);
        law.encode(samples, payload);
    }
}

// Decodes the loop twice over, as the receiver would, and looks for the marker
// from the last frame of the first pass on: the search starts before the
// onset, as the receiver's does.
void AudioLoop::findMarker() {
    const codec::G711 law{codec::G711Law::MuLaw};
    codec::OpusDecoder opus;
    std::vector<std::int16_t> decoded;
    std::vector<std::int16_t> frame(codec::kOpusMaxPacketSamples);
    for (std::size_t pass = 0; pass < 2; ++pass) {
        for (const auto& payload : payloads_) {
            const std::size_t samples =
                codec_ == LoopCodec::Opus ? opus.decode(payload, frame).count : law.decode(payload, frame);
            if (samples != codec::kFrameSamples) {
                throw std::runtime_error("the test signal does not decode to 20 ms frames");
            }
            decoded.insert(decoded.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(samples));
        }
    }
    const std::size_t loopSamples = TestSignal::kFramesPerPeriod * codec::kFrameSamples;
    const std::size_t searchFrom = loopSamples - codec::kFrameSamples;
    const auto onset = ToneDetector::markerOnset(std::span{decoded}.subspan(searchFrom), TestSignal::kAmplitude);
    if (!onset || searchFrom + *onset < loopSamples) {
        throw std::runtime_error("the test signal's marker is not heard back from its own encoding");
    }
    const std::size_t inLoop = searchFrom + *onset - loopSamples;
    markerPacket_ = inLoop / codec::kFrameSamples;
    markerOffset_ = inLoop % codec::kFrameSamples;
}

} // namespace rtcgate::load
