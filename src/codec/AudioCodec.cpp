#include "rtcgate/codec/AudioCodec.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711Codec.hpp"
#include "rtcgate/codec/OpusDecoder.hpp"
#include "rtcgate/codec/OpusEncoder.hpp"

namespace rtcgate::codec {

std::uint32_t rtpClockRate(AudioCodec codec) {
    return codec == AudioCodec::Opus ? kOpusRtpClockRate : kSampleRate;
}

std::string_view toString(AudioCodec codec) {
    switch (codec) {
    case AudioCodec::Opus:
        return "opus/48000/2";
    case AudioCodec::Pcmu:
        return "PCMU/8000";
    case AudioCodec::Pcma:
        return "PCMA/8000";
    }
    return "?";
}

std::unique_ptr<AudioDecoder> makeDecoder(AudioCodec codec) {
    switch (codec) {
    case AudioCodec::Opus:
        return std::make_unique<OpusDecoder>();
    case AudioCodec::Pcmu:
        return std::make_unique<G711Decoder>(G711Law::MuLaw);
    case AudioCodec::Pcma:
        return std::make_unique<G711Decoder>(G711Law::ALaw);
    }
    return nullptr;
}

std::unique_ptr<AudioEncoder> makeEncoder(AudioCodec codec, const OpusEncoderConfig& opus) {
    switch (codec) {
    case AudioCodec::Opus:
        return std::make_unique<OpusEncoder>(opus);
    case AudioCodec::Pcmu:
        return std::make_unique<G711Encoder>(G711Law::MuLaw);
    case AudioCodec::Pcma:
        return std::make_unique<G711Encoder>(G711Law::ALaw);
    }
    return nullptr;
}

} // namespace rtcgate::codec
