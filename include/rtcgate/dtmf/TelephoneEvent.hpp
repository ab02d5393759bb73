// The RFC 4733 section 2.3 payload of a telephone-event packet: a named event (DTMF digits are
// 0-15), its end flag, volume and duration so far.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rtcgate::dtmf {

struct TelephoneEvent {
    static constexpr std::size_t kSize = 4;

    std::uint8_t event = 0;     // 0-9, 10 = *, 11 = #, 12-15 = A-D (RFC 4733 section 3.2); others relayed as they are
    bool end = false;           // E bit
    std::uint8_t volume = 0;    // 0-63: the power level in -dBm0
    std::uint16_t duration = 0; // in RTP clock ticks since the event's (or segment's) timestamp

    // The first four bytes of `payload` (RFC 4733 senders may pad); nullopt when it is shorter. The
    // R bit is ignored, as section 2.3.3 asks of receivers.
    static std::optional<TelephoneEvent> parse(std::span<const std::uint8_t> payload) noexcept;
    // Writes kSize bytes (R bit clear, volume masked to 6 bits); returns kSize, or 0 when `out` is too small.
    std::size_t write(std::span<std::uint8_t> out) const noexcept;

    bool operator==(const TelephoneEvent& other) const = default;
};

// '0'-'9', '*', '#', 'A'-'D' for events 0-15; '\0' for any other event.
char digitOf(std::uint8_t event) noexcept;
// The event of a DTMF digit (a-d accepted as A-D); nullopt for anything else.
std::optional<std::uint8_t> eventOf(char digit) noexcept;

} // namespace rtcgate::dtmf
