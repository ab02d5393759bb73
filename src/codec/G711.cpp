#include "rtcgate/codec/G711.hpp"

// g711.h needs the two headers before it (SPAN_DECLARE, top_bit), in this order.
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
// clang-format on

#include <algorithm>

namespace rtcgate::codec {

std::uint8_t G711::silenceByte() const {
    return law_ == G711Law::MuLaw ? linear_to_ulaw(0) : linear_to_alaw(0);
}

std::size_t G711::encode(std::span<const std::int16_t> input, std::span<std::uint8_t> output) const {
    const std::size_t count = std::min(input.size(), output.size());
    if (law_ == G711Law::MuLaw) {
        std::transform(input.begin(), input.begin() + count, output.begin(),
                       [](std::int16_t sample) { return linear_to_ulaw(sample); });
    } else {
        std::transform(input.begin(), input.begin() + count, output.begin(),
                       [](std::int16_t sample) { return linear_to_alaw(sample); });
    }
    return count;
}

std::size_t G711::decode(std::span<const std::uint8_t> input, std::span<std::int16_t> output) const {
    const std::size_t count = std::min(input.size(), output.size());
    if (law_ == G711Law::MuLaw) {
        std::transform(input.begin(), input.begin() + count, output.begin(),
                       [](std::uint8_t code) { return ulaw_to_linear(code); });
    } else {
        std::transform(input.begin(), input.begin() + count, output.begin(),
                       [](std::uint8_t code) { return alaw_to_linear(code); });
    }
    return count;
}

} // namespace rtcgate::codec
