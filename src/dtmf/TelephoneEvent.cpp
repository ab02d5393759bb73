#include "rtcgate/dtmf/TelephoneEvent.hpp"

#include <string_view>

namespace rtcgate::dtmf {

namespace {
constexpr std::string_view kDigits = "0123456789*#ABCD";
} // namespace

std::optional<TelephoneEvent> TelephoneEvent::parse(std::span<const std::uint8_t> payload) noexcept {
    if (payload.size() < kSize) {
        return std::nullopt;
    }
    TelephoneEvent parsed;
    parsed.event = payload[0];
    parsed.end = (payload[1] & 0x80U) != 0;
    parsed.volume = static_cast<std::uint8_t>(payload[1] & 0x3FU);
    parsed.duration = static_cast<std::uint16_t>((payload[2] << 8U) | payload[3]);
    return parsed;
}

std::size_t TelephoneEvent::write(std::span<std::uint8_t> out) const noexcept {
    if (out.size() < kSize) {
        return 0;
    }
    out[0] = event;
    out[1] = static_cast<std::uint8_t>((end ? 0x80U : 0U) | (volume & 0x3FU));
    out[2] = static_cast<std::uint8_t>(duration >> 8U);
    out[3] = static_cast<std::uint8_t>(duration);
    return kSize;
}

char digitOf(std::uint8_t event) noexcept {
    return event < kDigits.size() ? kDigits[event] : '\0';
}

std::optional<std::uint8_t> eventOf(char digit) noexcept {
    const char upper = (digit >= 'a' && digit <= 'd') ? static_cast<char>(digit - 'a' + 'A') : digit;
    const std::size_t position = upper == '\0' ? std::string_view::npos : kDigits.find(upper);
    if (position == std::string_view::npos) {
        return std::nullopt;
    }
    return static_cast<std::uint8_t>(position);
}

} // namespace rtcgate::dtmf
