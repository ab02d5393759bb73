#include "rtcgate/codec/G711Codec.hpp"

// plc.h needs telephony.h before it (SPAN_DECLARE).
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/plc.h>
// clang-format on

#include <algorithm>
#include <climits>
#include <iterator>

namespace rtcgate::codec {

struct G711Decoder::Concealer {
    plc_state_t state{};
};

void G711Decoder::Free::operator()(Concealer* concealer) const {
    delete concealer; // NOLINT(cppcoreguidelines-owning-memory): the unique_ptr's deleter
}

G711Decoder::G711Decoder(G711Law law) : g711_(law), concealer_(new Concealer) {
    plc_init(&concealer_->state);
}

CodecResult G711Decoder::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> output) noexcept {
    if (payload.empty()) {
        return {CodecStatus::InvalidPacket, 0};
    }
    if (output.size() < payload.size() || payload.size() > INT_MAX) {
        return {CodecStatus::BufferTooSmall, 0};
    }
    const std::size_t count = g711_.decode(payload, output);
    plc_rx(&concealer_->state, output.data(), static_cast<int>(count));
    return {CodecStatus::Ok, count};
}

CodecResult G711Decoder::samplesOf(std::span<const std::uint8_t> payload) const noexcept {
    return payload.empty() ? CodecResult{CodecStatus::InvalidPacket, 0} : CodecResult{CodecStatus::Ok, payload.size()};
}

CodecResult G711Decoder::decodeFec(std::span<const std::uint8_t> /*nextPayload*/,
                                   std::span<std::int16_t> output) noexcept {
    return conceal(output);
}

CodecResult G711Decoder::conceal(std::span<std::int16_t> output) noexcept {
    if (output.size() > INT_MAX) {
        return {CodecStatus::BadArgument, 0};
    }
    auto& state = concealer_->state;
    if (state.missing_samples == 0 && state.buf_ptr != 0) {
        // spandsp 0.0.6's normalise_history(), run at the start of each loss, rotates the history
        // with an overlapping memcpy (undefined behaviour; later spandsp uses memmove). Rotate it
        // here the same way first, so that it finds nothing to do.
        std::rotate(std::begin(state.history), std::begin(state.history) + state.buf_ptr, std::end(state.history));
        state.buf_ptr = 0;
    }
    plc_fillin(&concealer_->state, output.data(), static_cast<int>(output.size()));
    return {CodecStatus::Ok, output.size()};
}

void G711Decoder::reset() noexcept {
    plc_init(&concealer_->state);
}

CodecResult G711Encoder::encode(std::span<const std::int16_t> input, std::span<std::uint8_t> output) noexcept {
    if (output.size() < input.size()) {
        return {CodecStatus::BufferTooSmall, 0};
    }
    return {CodecStatus::Ok, g711_.encode(input, output)};
}

} // namespace rtcgate::codec
