// The codecs rtcgate decodes and encodes when it transcodes between the legs of a call.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace rtcgate::codec {

class AudioDecoder;
class AudioEncoder;
struct OpusEncoderConfig;

enum class AudioCodec {
    Opus,
    Pcmu,
    Pcma,
};

// The RTP clock rate of the codec's payload format: 48000 for Opus (RFC 7587), 8000 for G.711.
std::uint32_t rtpClockRate(AudioCodec codec);
std::string_view toString(AudioCodec codec);

// Each throws std::runtime_error when the codec library refuses to create its state.
std::unique_ptr<AudioDecoder> makeDecoder(AudioCodec codec);
std::unique_ptr<AudioEncoder> makeEncoder(AudioCodec codec, const OpusEncoderConfig& opus);

} // namespace rtcgate::codec
