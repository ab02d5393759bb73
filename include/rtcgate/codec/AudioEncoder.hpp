// What the transcoding path asks of any encoder: 8 kHz mono in, one RTP payload out. Never
// allocates, never throws.
#pragma once

#include "rtcgate/codec/CodecResult.hpp"

#include <cstdint>
#include <span>

namespace rtcgate::codec {

class AudioEncoder {
public:
    virtual ~AudioEncoder() = default;

    // Encodes `input` (one packet's worth of samples) into `output` and returns the payload size.
    virtual CodecResult encode(std::span<const std::int16_t> input, std::span<std::uint8_t> output) noexcept = 0;
    // The loss the receiver reports, 0..100: a codec with in-band FEC codes its copy for it.
    virtual CodecStatus setExpectedLoss(int percent) noexcept = 0;
    // CPU against quality, 0..10, for a codec that has the choice (Opus); others ignore it.
    virtual CodecStatus setComplexity(int complexity) noexcept = 0;

protected:
    AudioEncoder() = default;
    AudioEncoder(const AudioEncoder&) = default;
    AudioEncoder& operator=(const AudioEncoder&) = default;
};

} // namespace rtcgate::codec
