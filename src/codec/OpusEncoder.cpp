#include "rtcgate/codec/OpusEncoder.hpp"

#include <opus/opus.h>

#include <climits>
#include <stdexcept>
#include <string>

namespace rtcgate::codec {

namespace {

void check(CodecStatus status, const char* what) {
    if (status != CodecStatus::Ok) {
        throw std::runtime_error(std::string("Opus encoder: bad ") + what);
    }
}

} // namespace

void OpusEncoder::Destroy::operator()(::OpusEncoder* encoder) const {
    opus_encoder_destroy(encoder);
}

OpusEncoder::OpusEncoder(const OpusEncoderConfig& config) {
    int error = OPUS_OK;
    encoder_.reset(opus_encoder_create(config.sampleRate, 1, OPUS_APPLICATION_VOIP, &error));
    if (error != OPUS_OK || !encoder_) {
        throw std::runtime_error(std::string("opus_encoder_create failed: ") + opus_strerror(error));
    }
    if (opus_encoder_ctl(encoder_.get(), OPUS_SET_INBAND_FEC(1)) != OPUS_OK) {
        throw std::runtime_error("Opus encoder: cannot enable in-band FEC");
    }
    check(setComplexity(config.complexity), "complexity");
    check(setBitrate(config.bitrateBitsPerSecond), "bitrate");
    check(setExpectedLoss(config.expectedLossPercent), "expected loss");
}

CodecResult OpusEncoder::encode(std::span<const std::int16_t> input, std::span<std::uint8_t> output) noexcept {
    if (input.size() > INT_MAX) {
        return {CodecStatus::BadArgument, 0};
    }
    const auto outputSize = static_cast<opus_int32>(output.size() > INT_MAX ? INT_MAX : output.size());
    const opus_int32 bytes =
        opus_encode(encoder_.get(), input.data(), static_cast<int>(input.size()), output.data(), outputSize);
    if (bytes < 0) {
        switch (bytes) {
        case OPUS_BAD_ARG:
            return {CodecStatus::BadArgument, 0};
        case OPUS_BUFFER_TOO_SMALL:
            return {CodecStatus::BufferTooSmall, 0};
        default:
            return {CodecStatus::Failed, 0};
        }
    }
    return {CodecStatus::Ok, static_cast<std::size_t>(bytes)};
}

CodecStatus OpusEncoder::setExpectedLoss(int percent) noexcept {
    if (percent < 0 || percent > 100) {
        return CodecStatus::BadArgument;
    }
    return opus_encoder_ctl(encoder_.get(), OPUS_SET_PACKET_LOSS_PERC(percent)) == OPUS_OK ? CodecStatus::Ok
                                                                                           : CodecStatus::Failed;
}

CodecStatus OpusEncoder::setComplexity(int complexity) noexcept {
    if (complexity < 0 || complexity > 10) {
        return CodecStatus::BadArgument;
    }
    return opus_encoder_ctl(encoder_.get(), OPUS_SET_COMPLEXITY(complexity)) == OPUS_OK ? CodecStatus::Ok
                                                                                        : CodecStatus::Failed;
}

CodecStatus OpusEncoder::setBitrate(int bitsPerSecond) noexcept {
    // RFC 6716 section 2.1.1: Opus runs from 6 kbit/s to 510 kbit/s.
    if (bitsPerSecond < 6000 || bitsPerSecond > 510000) {
        return CodecStatus::BadArgument;
    }
    return opus_encoder_ctl(encoder_.get(), OPUS_SET_BITRATE(bitsPerSecond)) == OPUS_OK ? CodecStatus::Ok
                                                                                        : CodecStatus::Failed;
}

} // namespace rtcgate::codec
