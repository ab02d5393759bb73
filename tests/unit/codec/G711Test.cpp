#include "rtcgate/codec/G711.hpp"

#include "Tone.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711Codec.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace {

using namespace rtcgate::codec;
using rtcgate::codec::test::makeTone;
using rtcgate::codec::test::snrDb;

TEST(G711Test, MuLawEncodesZeroAsFF) {
    const G711 pcmu(G711Law::MuLaw);
    const std::array<std::int16_t, 4> zeros{};
    std::array<std::uint8_t, 4> encoded{};
    ASSERT_EQ(pcmu.encode(zeros, encoded), 4u);
    for (const std::uint8_t code : encoded) {
        EXPECT_EQ(code, 0xFF);
    }
    EXPECT_EQ(pcmu.silenceByte(), 0xFF);
}

TEST(G711Test, ALawEncodesZeroAsD5) {
    const G711 pcma(G711Law::ALaw);
    const std::array<std::int16_t, 4> zeros{};
    std::array<std::uint8_t, 4> encoded{};
    ASSERT_EQ(pcma.encode(zeros, encoded), 4u);
    for (const std::uint8_t code : encoded) {
        EXPECT_EQ(code, 0xD5);
    }
    EXPECT_EQ(pcma.silenceByte(), 0xD5);
}

TEST(G711Test, ConvertsOnlyWhatBothSpansHold) {
    const G711 pcmu(G711Law::MuLaw);
    const std::vector<std::int16_t> input(kFrameSamples, 1000);
    std::vector<std::uint8_t> encoded(100, 0);
    EXPECT_EQ(pcmu.encode(input, encoded), 100u);
    std::vector<std::int16_t> decoded(kFrameSamples, 0);
    EXPECT_EQ(pcmu.decode(encoded, decoded), 100u);
    EXPECT_NE(decoded[99], 0);
    EXPECT_EQ(decoded[100], 0);
}

class G711LawTest : public ::testing::TestWithParam<G711Law> {};

// G.711's companding gives about 38 dB on a loud tone; a wrong table or law mix-up falls far below 30.
TEST_P(G711LawTest, ToneRoundTripKeepsSnrAbove30Db) {
    const G711 codec(GetParam());
    const std::vector<std::int16_t> tone = makeTone(1000, 10000, 10 * kFrameSamples);
    std::vector<std::uint8_t> encoded(tone.size());
    std::vector<std::int16_t> decoded(tone.size());
    ASSERT_EQ(codec.encode(tone, encoded), tone.size());
    ASSERT_EQ(codec.decode(encoded, decoded), tone.size());
    EXPECT_GT(snrDb(tone, decoded), 30.0);
}

// Decoding with the other law garbles the tone: each law has its own encoding.
TEST_P(G711LawTest, TheOtherLawDoesNotDecodeIt) {
    const G711 codec(GetParam());
    const G711 other(GetParam() == G711Law::MuLaw ? G711Law::ALaw : G711Law::MuLaw);
    const std::vector<std::int16_t> tone = makeTone(1000, 10000, kFrameSamples);
    std::vector<std::uint8_t> encoded(tone.size());
    std::vector<std::int16_t> decoded(tone.size());
    codec.encode(tone, encoded);
    other.decode(encoded, decoded);
    EXPECT_LT(snrDb(tone, decoded), 10.0);
}

INSTANTIATE_TEST_SUITE_P(Laws, G711LawTest, ::testing::Values(G711Law::MuLaw, G711Law::ALaw),
                         [](const auto& info) { return info.param == G711Law::MuLaw ? "MuLaw" : "ALaw"; });

} // namespace

namespace rtcgate::codec {
namespace {

// Concealment starts from wherever spandsp's history ring stands: after any number of
// 160-sample frames it continues the tone rather than going silent. (Under AddressSanitizer
// this also checks the history rotation, which spandsp 0.0.6 does with an overlapping memcpy.)
TEST_P(G711LawTest, ConcealmentContinuesTheToneAfterAnyNumberOfFrames) {
    constexpr double kHz = 500;
    for (std::size_t frames = 1; frames <= 7; ++frames) {
        G711Decoder decoder(GetParam());
        const G711 g711(GetParam());
        const auto tone = test::makeTone(kHz, 8000, frames * kFrameSamples);
        std::vector<std::uint8_t> encoded(tone.size());
        g711.encode(tone, encoded);
        std::vector<std::int16_t> decoded(kFrameSamples);
        for (std::size_t frame = 0; frame < frames; ++frame) {
            ASSERT_TRUE(decoder.decode(std::span(encoded).subspan(frame * kFrameSamples, kFrameSamples), decoded).ok());
        }
        std::vector<std::int16_t> concealed(kFrameSamples);
        ASSERT_TRUE(decoder.conceal(concealed).ok());
        EXPECT_GT(test::toneSnrDb(concealed, kHz), 6) << frames << " frames";
        EXPECT_GT(test::meanPower(concealed), 8000.0 * 8000 / 2 / 10) << frames << " frames"; // not faded out
    }
}

} // namespace
} // namespace rtcgate::codec
