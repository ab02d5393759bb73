#include "rtcgate/dtmf/TelephoneEvent.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace {

using namespace rtcgate::dtmf;

TEST(TelephoneEventTest, ParsesTheFieldsOfRfc4733Section23) {
    // Event 11 (#), E bit, R bit set (ignored), volume 10, duration 0x0320.
    const std::array<std::uint8_t, 4> payload{0x0B, 0xC0 | 10, 0x03, 0x20};
    const auto parsed = TelephoneEvent::parse(payload);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->event, 11);
    EXPECT_TRUE(parsed->end);
    EXPECT_EQ(parsed->volume, 10);
    EXPECT_EQ(parsed->duration, 0x0320);
}

TEST(TelephoneEventTest, WriteThenParseRoundTrips) {
    for (const TelephoneEvent event : {TelephoneEvent{.event = 0, .end = false, .volume = 0, .duration = 0},
                                       TelephoneEvent{.event = 5, .end = true, .volume = 63, .duration = 0xFFFF},
                                       TelephoneEvent{.event = 16, .end = false, .volume = 37, .duration = 1234}}) {
        std::array<std::uint8_t, TelephoneEvent::kSize> bytes{};
        ASSERT_EQ(event.write(bytes), TelephoneEvent::kSize);
        EXPECT_EQ(bytes[1] & 0x40, 0) << "the R bit is sent clear";
        EXPECT_EQ(TelephoneEvent::parse(bytes), event);
    }
}

TEST(TelephoneEventTest, WritesTheEndBitAndVolumeIntoTheSecondByte) {
    std::array<std::uint8_t, 4> bytes{};
    ASSERT_EQ((TelephoneEvent{.event = 1, .end = true, .volume = 0x7F, .duration = 0x0102}).write(bytes), 4u);
    EXPECT_EQ(bytes, (std::array<std::uint8_t, 4>{0x01, 0x80 | 0x3F, 0x01, 0x02}));
}

TEST(TelephoneEventTest, RejectsPayloadsShorterThanFourBytes) {
    const std::array<std::uint8_t, 3> shortPayload{1, 2, 3};
    EXPECT_FALSE(TelephoneEvent::parse(shortPayload).has_value());
    EXPECT_FALSE(TelephoneEvent::parse({}).has_value());
    std::array<std::uint8_t, 3> shortOut{};
    EXPECT_EQ(TelephoneEvent{}.write(shortOut), 0u);
}

TEST(TelephoneEventTest, ReadsOnlyTheFirstFourBytesOfALongerPayload) {
    const std::array<std::uint8_t, 6> padded{0x03, 0x0A, 0x00, 0xA0, 0xFF, 0xFF};
    const auto parsed = TelephoneEvent::parse(padded);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->event, 3);
    EXPECT_EQ(parsed->duration, 0xA0);
}

TEST(TelephoneEventTest, MapsTheSixteenDtmfDigitsBothWays) {
    constexpr std::string_view digits = "0123456789*#ABCD";
    for (std::size_t event = 0; event < digits.size(); ++event) {
        EXPECT_EQ(digitOf(static_cast<std::uint8_t>(event)), digits[event]);
        EXPECT_EQ(eventOf(digits[event]), event);
    }
    EXPECT_EQ(eventOf('b'), 13);
    EXPECT_EQ(digitOf(16), '\0'); // flash, not a digit
    EXPECT_EQ(digitOf(255), '\0');
    EXPECT_FALSE(eventOf('E').has_value());
    EXPECT_FALSE(eventOf('\0').has_value());
    EXPECT_FALSE(eventOf(' ').has_value());
}

} // namespace
