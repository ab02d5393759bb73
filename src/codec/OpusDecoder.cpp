#include "rtcgate/codec/OpusDecoder.hpp"

#include "rtcgate/codec/AudioFormat.hpp"

#include <opus/opus.h>

#include <climits>
#include <stdexcept>
#include <string>

namespace rtcgate::codec {

namespace {

CodecStatus statusOf(int opusError) {
    switch (opusError) {
    case OPUS_OK:
        return CodecStatus::Ok;
    case OPUS_BAD_ARG:
        return CodecStatus::BadArgument;
    case OPUS_BUFFER_TOO_SMALL:
        return CodecStatus::BufferTooSmall;
    case OPUS_INVALID_PACKET:
        return CodecStatus::InvalidPacket;
    default:
        return CodecStatus::Failed;
    }
}

CodecResult resultOf(int samplesOrError) {
    if (samplesOrError < 0) {
        return {statusOf(samplesOrError), 0};
    }
    return {CodecStatus::Ok, static_cast<std::size_t>(samplesOrError)};
}

// libopus takes an int frame size: any larger output span is clamped (it never needs more
// than kOpusMaxPacketSamples).
int frameSizeOf(std::span<std::int16_t> output) {
    return output.size() > INT_MAX ? INT_MAX : static_cast<int>(output.size());
}

} // namespace

void OpusDecoder::Destroy::operator()(::OpusDecoder* decoder) const {
    opus_decoder_destroy(decoder);
}

OpusDecoder::OpusDecoder() {
    int error = OPUS_OK;
    decoder_.reset(opus_decoder_create(static_cast<opus_int32>(kSampleRate), 1, &error));
    if (error != OPUS_OK || !decoder_) {
        throw std::runtime_error(std::string("opus_decoder_create failed: ") + opus_strerror(error));
    }
}

CodecResult OpusDecoder::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> output) noexcept {
    if (payload.empty() || payload.size() > INT_MAX) {
        return {CodecStatus::InvalidPacket, 0};
    }
    return resultOf(opus_decode(decoder_.get(), payload.data(), static_cast<opus_int32>(payload.size()), output.data(),
                                frameSizeOf(output), 0));
}

CodecResult OpusDecoder::decodeFec(std::span<const std::uint8_t> nextPayload, std::span<std::int16_t> output) noexcept {
    if (nextPayload.empty() || nextPayload.size() > INT_MAX) {
        return {CodecStatus::InvalidPacket, 0};
    }
    // decode_fec = 1 with the lost packet's frame size: libopus decodes the LBRR data of
    // `nextPayload`, which describes the frame before it (RFC 6716 section 4.2.5).
    return resultOf(opus_decode(decoder_.get(), nextPayload.data(), static_cast<opus_int32>(nextPayload.size()),
                                output.data(), frameSizeOf(output), 1));
}

CodecResult OpusDecoder::conceal(std::span<std::int16_t> output) noexcept {
    return resultOf(opus_decode(decoder_.get(), nullptr, 0, output.data(), frameSizeOf(output), 0));
}

void OpusDecoder::reset() noexcept {
    opus_decoder_ctl(decoder_.get(), OPUS_RESET_STATE);
}

CodecResult OpusDecoder::packetSamples(std::span<const std::uint8_t> payload) noexcept {
    if (payload.empty() || payload.size() > INT_MAX) {
        return {CodecStatus::InvalidPacket, 0};
    }
    return resultOf(opus_packet_get_nb_samples(payload.data(), static_cast<opus_int32>(payload.size()),
                                               static_cast<opus_int32>(kSampleRate)));
}

} // namespace rtcgate::codec
