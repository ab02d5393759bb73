#include "AllocationCounter.hpp"
#include "Tone.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711.hpp"
#include "rtcgate/dtmf/DtmfDetector.hpp"
#include "rtcgate/dtmf/DtmfGenerator.hpp"

#include <gtest/gtest.h>

#include <malloc.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace rtcgate::dtmf;
using namespace std::chrono_literals;
using rtcgate::codec::G711;
using rtcgate::codec::G711Law;
using rtcgate::codec::kFrameSamples;
using rtcgate::codec::test::makeTone;
using rtcgate::codec::test::powerAt;

using Frame = std::array<std::int16_t, kFrameSamples>;

constexpr std::string_view kDigits = "0123456789*#ABCD";

// Plays what `generator` has queued, 20 ms frame by 20 ms frame, through G.711 when `law` is
// given, into `detector`, and a further half second of silence; returns the digits detected.
std::vector<DetectedDigit> playInto(DtmfGenerator& generator, DtmfDetector& detector, std::optional<G711Law> law) {
    std::vector<DetectedDigit> detected;
    std::size_t silentFrames = 0;
    for (std::size_t frames = 0; silentFrames < 25 && frames < 10000; ++frames) {
        Frame frame{};
        if (!generator.generate(frame)) {
            ++silentFrames;
        }
        if (law) {
            const G711 g711(*law);
            std::array<std::uint8_t, kFrameSamples> encoded{};
            g711.encode(frame, encoded);
            g711.decode(encoded, frame);
        }
        for (const DetectedDigit& digit : detector.process(frame)) {
            detected.push_back(digit);
        }
    }
    return detected;
}

std::size_t samplesOf(std::chrono::milliseconds duration) {
    return static_cast<std::size_t>(duration.count()) * 8;
}

class DtmfRoundTripTest : public ::testing::TestWithParam<std::optional<G711Law>> {};

// Every digit, each with its own duration and pause (not multiples of the frame), comes out once,
// in order, where it was played, for as long as it was played, to within a 20 ms frame.
TEST_P(DtmfRoundTripTest, DetectsEveryGeneratedDigitWithItsStartAndDuration) {
    DtmfGenerator generator;
    DtmfDetector detector;
    std::vector<std::size_t> starts;
    std::vector<std::size_t> durations;
    std::size_t at = 0;
    for (std::size_t i = 0; i < kDigits.size(); ++i) {
        const auto duration = std::chrono::milliseconds(53 + 13 * i);
        const auto pause = std::chrono::milliseconds(50 + 7 * i);
        ASSERT_TRUE(generator.queue(kDigits[i], duration, -10, pause));
        starts.push_back(at);
        durations.push_back(samplesOf(duration));
        at += samplesOf(duration) + samplesOf(pause);
    }
    const std::vector<DetectedDigit> detected = playInto(generator, detector, GetParam());
    ASSERT_EQ(detected.size(), kDigits.size());
    for (std::size_t i = 0; i < detected.size(); ++i) {
        EXPECT_EQ(detected[i].digit, kDigits[i]);
        EXPECT_NEAR(static_cast<double>(detected[i].startSample), static_cast<double>(starts[i]), kFrameSamples)
            << kDigits[i];
        EXPECT_NEAR(static_cast<double>(detected[i].durationSamples), static_cast<double>(durations[i]), kFrameSamples)
            << kDigits[i];
        EXPECT_NEAR(detected[i].levelDbm0, -10, 3) << kDigits[i];
    }
    EXPECT_TRUE(generator.idle());
    EXPECT_FALSE(detector.current().has_value());
}

std::string lawName(const ::testing::TestParamInfo<std::optional<G711Law>>& info) {
    if (!info.param) {
        return "Linear";
    }
    return *info.param == G711Law::MuLaw ? "MuLaw" : "ALaw";
}

INSTANTIATE_TEST_SUITE_P(Dtmf, DtmfRoundTripTest, ::testing::Values(std::nullopt, G711Law::MuLaw, G711Law::ALaw),
                         lawName);

TEST(DtmfGeneratorTest, PlaysTheTwoTonesOfTheDigitAtTheRequestedLevel) {
    DtmfGenerator generator;
    ASSERT_TRUE(generator.queue('1', 200ms, -10, 0ms));
    std::vector<std::int16_t> played;
    Frame frame{};
    while (generator.generate(frame)) {
        played.insert(played.end(), frame.begin(), frame.end());
    }
    ASSERT_EQ(played.size(), samplesOf(200ms));
    // -10 dBm0 for the pair: -13 dBm0 each, a sine of peak 32768 being +3.14 dBm0 (spandsp's scale).
    const double expectedPeak = 32768 * std::pow(10.0, (-13 - 3.14) / 20);
    const double expectedPower = expectedPeak * expectedPeak / 2;
    const auto steady = std::span<const std::int16_t>(played).subspan(200, 1200);
    EXPECT_NEAR(powerAt(steady, 697) / expectedPower, 1.0, 0.25);
    EXPECT_NEAR(powerAt(steady, 1209) / expectedPower, 1.0, 0.25);
    EXPECT_LT(powerAt(steady, 770), expectedPower / 100);
    EXPECT_LT(powerAt(steady, 1336), expectedPower / 100);
}

TEST(DtmfGeneratorTest, ReplacesFramesOnlyWhileADigitOrItsPausePlays) {
    DtmfGenerator generator;
    EXPECT_TRUE(generator.idle());
    Frame frame;
    frame.fill(1234);
    EXPECT_FALSE(generator.generate(frame));
    EXPECT_EQ(frame[0], 1234) << "an idle generator leaves the audio alone";

    ASSERT_TRUE(generator.queue('#', 30ms, -10, 15ms)); // 45 ms: two frames and a quarter
    EXPECT_FALSE(generator.idle());
    std::size_t frames = 0;
    while (generator.generate(frame)) {
        ++frames;
        if (frames == 3) {
            // 5 ms of the pause, then silence to the frame's end.
            EXPECT_EQ(std::count(frame.begin(), frame.end(), 0), static_cast<std::ptrdiff_t>(kFrameSamples));
        }
    }
    EXPECT_EQ(frames, 3u);
    EXPECT_TRUE(generator.idle());
}

TEST(DtmfGeneratorTest, RefusesWhatIsNotADigitAndAFullQueue) {
    DtmfGenerator generator;
    EXPECT_FALSE(generator.queue('E', 100ms, -10, 50ms));
    EXPECT_FALSE(generator.queue('\0', 100ms, -10, 50ms));
    EXPECT_TRUE(generator.idle());
    for (std::size_t i = 0; i < DtmfGenerator::kQueueCapacity; ++i) {
        EXPECT_TRUE(generator.queue('d', 100ms, -10, 50ms));
    }
    EXPECT_FALSE(generator.queue('1', 100ms, -10, 50ms));
    generator.clear();
    EXPECT_TRUE(generator.idle());
    Frame frame{};
    EXPECT_FALSE(generator.generate(frame));
}

TEST(DtmfDetectorTest, TellsTheDigitSoundingNow) {
    DtmfGenerator generator;
    DtmfDetector detector;
    ASSERT_TRUE(generator.queue('9', 200ms, -10, 0ms));
    Frame frame{};
    for (int i = 0; i < 5; ++i) {
        generator.generate(frame);
        EXPECT_TRUE(detector.process(frame).empty());
    }
    const auto current = detector.current();
    ASSERT_TRUE(current.has_value());
    EXPECT_EQ(current->digit, '9');
    EXPECT_LE(current->startSample, kFrameSamples);
}

TEST(DtmfDetectorTest, IgnoresASingleTone) {
    DtmfDetector detector;
    const std::vector<std::int16_t> tone = makeTone(1000, 10000, 16000);
    for (std::size_t at = 0; at < tone.size(); at += kFrameSamples) {
        EXPECT_TRUE(detector.process(std::span(tone).subspan(at, kFrameSamples)).empty());
        EXPECT_FALSE(detector.current().has_value());
    }
}

// Voiced syllables (a gliding pitch with many harmonics, shaped by two moving formants) over
// noise: what a speaker or a voice prompt sends, which must not make digits (talk-off).
TEST(DtmfDetectorTest, IgnoresSpeechLikeSound) {
    DtmfDetector detector;
    std::mt19937 random(42);
    std::normal_distribution<double> noise(0, 300);
    double phase = 0;
    std::size_t detected = 0;
    Frame frame{};
    for (std::size_t sample = 0; sample < std::size_t{5} * 8000; ++sample) {
        const double t = static_cast<double>(sample) / 8000;
        const double pitch = 110 + 60 * std::sin(2 * std::numbers::pi * 0.7 * t);
        phase += 2 * std::numbers::pi * pitch / 8000;
        const double formant1 = 500 + 300 * std::sin(2 * std::numbers::pi * 1.3 * t);
        const double formant2 = 1500 + 700 * std::sin(2 * std::numbers::pi * 0.9 * t);
        double voiced = 0;
        for (int harmonic = 1; harmonic * pitch < 3600; ++harmonic) {
            const double frequency = harmonic * pitch;
            const double gain = 1 / (1 + std::pow((frequency - formant1) / 150, 2)) +
                                0.6 / (1 + std::pow((frequency - formant2) / 200, 2)) + 0.05;
            voiced += gain * std::sin(harmonic * phase);
        }
        const double syllable = std::max(0.0, std::sin(2 * std::numbers::pi * 2.5 * t)); // 200 ms on, 200 ms off
        frame[sample % kFrameSamples] =
            static_cast<std::int16_t>(std::clamp(3000 * syllable * voiced + noise(random), -32768.0, 32767.0));
        if (sample % kFrameSamples == kFrameSamples - 1) {
            detected += detector.process(frame).size();
        }
    }
    EXPECT_EQ(detected, 0u);
}

// AllocationScope counts operator new; spandsp allocates with plain malloc, so the net heap use
// (mallinfo2) must not move either: its states are allocated in the constructors.
TEST(DtmfToneTest, GeneratingAndDetectingAllocateNothing) {
    DtmfGenerator generator;
    DtmfDetector detector;
    Frame frame{};
    std::size_t detected = 0;
    const std::size_t heapBefore = mallinfo2().uordblks;
    {
        rtcgate::testing::AllocationScope scope;
        for (const char digit : kDigits) {
            generator.queue(digit, 60ms, -10, 60ms);
        }
        for (int i = 0; i < 120; ++i) {
            if (!generator.generate(frame)) {
                frame.fill(0);
            }
            detected += detector.process(frame).size();
        }
        generator.clear();
        EXPECT_EQ(scope.count(), 0u);
    }
    EXPECT_EQ(mallinfo2().uordblks, heapBefore);
    EXPECT_EQ(detected, kDigits.size());
}

} // namespace
