// What the transcoding path asks of any decoder: 8 kHz mono out, loss recovered from the next
// packet's in-band FEC where the codec has it, concealed otherwise. Never allocates, never throws.
#pragma once

#include "rtcgate/codec/CodecResult.hpp"

#include <cstdint>
#include <span>

namespace rtcgate::codec {

class AudioDecoder {
public:
    virtual ~AudioDecoder() = default;

    // Decodes one packet into `output` and returns the samples written.
    virtual CodecResult decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> output) noexcept = 0;
    // Rebuilds a lost packet (all of `output`) from the packet after it; a codec without FEC conceals.
    virtual CodecResult decodeFec(std::span<const std::uint8_t> nextPayload,
                                  std::span<std::int16_t> output) noexcept = 0;
    // Fills all of `output` with audio extrapolated from what was decoded before (PLC).
    virtual CodecResult conceal(std::span<std::int16_t> output) noexcept = 0;
    // Forgets the stream (the sender's SSRC changed).
    virtual void reset() noexcept = 0;
    // The 8 kHz samples `payload` decodes to (its duration, whatever the SDP's a=ptime said), or InvalidPacket.
    virtual CodecResult samplesOf(std::span<const std::uint8_t> payload) const noexcept = 0;

protected:
    AudioDecoder() = default;
    AudioDecoder(const AudioDecoder&) = default;
    AudioDecoder& operator=(const AudioDecoder&) = default;
};

} // namespace rtcgate::codec
