// The audio format of rtcgate's transcoding path: 8 kHz mono 16-bit linear PCM in 20 ms
// frames, G.711's own rate, which Opus decodes to and encodes from directly (no resampler).
#pragma once

#include <cstddef>
#include <cstdint>

namespace rtcgate::codec {

constexpr std::uint32_t kSampleRate = 8000;
constexpr std::uint32_t kFrameMilliseconds = 20;
constexpr std::size_t kFrameSamples = std::size_t{kSampleRate} / 1000 * kFrameMilliseconds; // 160

// Opus's RTP timestamps always count at 48 kHz, whatever rate is encoded or decoded
// (RFC 7587 section 4.1).
constexpr std::uint32_t kOpusRtpClockRate = 48000;

// Samples of 8 kHz audio in `milliseconds`.
constexpr std::size_t samplesForMilliseconds(std::uint32_t milliseconds) {
    return std::size_t{kSampleRate} / 1000 * milliseconds;
}

// The Opus RTP timestamp increment of `samples` at 8 kHz: 160 samples (20 ms) -> 960 ticks.
constexpr std::uint32_t opusRtpTicks(std::size_t samples) {
    return static_cast<std::uint32_t>(samples * (kOpusRtpClockRate / kSampleRate));
}

// The 8 kHz sample count of an Opus RTP timestamp increment: 960 ticks -> 160 samples.
constexpr std::size_t samplesForOpusRtpTicks(std::uint32_t ticks) {
    return ticks / (kOpusRtpClockRate / kSampleRate);
}

} // namespace rtcgate::codec
