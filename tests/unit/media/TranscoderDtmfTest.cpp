#include "RtpPacketBuilder.hpp"

#include "rtcgate/codec/G711.hpp"
#include "rtcgate/codec/OpusDecoder.hpp"
#include "rtcgate/dtmf/DtmfDetector.hpp"
#include "rtcgate/dtmf/DtmfGenerator.hpp"
#include "rtcgate/media/Transcoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;
using codec::AudioCodec;

const Clock::time_point kStart = Clock::time_point{} + 1000s;
constexpr std::size_t kPacketSamples = 160;

struct Heard {
    std::string digits;
    std::vector<std::uint32_t> durationsMs;
};

Heard detect(const std::vector<std::int16_t>& pcm) {
    dtmf::DtmfDetector detector;
    Heard heard;
    for (std::size_t at = 0; at + kPacketSamples <= pcm.size(); at += kPacketSamples) {
        for (const auto& digit : detector.process(std::span(pcm).subspan(at, kPacketSamples))) {
            heard.digits += digit.digit;
            heard.durationsMs.push_back(digit.durationMs());
        }
    }
    return heard;
}

TranscoderConfig pcmuToOpus() {
    return {.sourceCodec = AudioCodec::Pcmu,
            .sourcePayloadType = 0,
            .sourcePtimeMs = 20,
            .targetCodec = AudioCodec::Opus,
            .targetPayloadType = 111,
            .targetPtimeMs = 20};
}

TranscoderConfig opusToPcmu() {
    return {.sourceCodec = AudioCodec::Opus,
            .sourcePayloadType = 111,
            .sourcePtimeMs = 20,
            .targetCodec = AudioCodec::Pcmu,
            .targetPayloadType = 0,
            .targetPtimeMs = 20};
}

// A carrier without telephone-event dials "1" (100 ms) and "#" (120 ms) as tones between stretches of silence:
// the digits are found in its decoded audio, and, when the Transcoder cuts them, the tones are not passed on while
// they sound.
TEST(TranscoderDtmfTest, TonesInTheSourcesAudioAreDetectedAndCutWhenAsked) {
    dtmf::DtmfGenerator dialer;
    std::vector<std::int16_t> spoken(8000 * 12 / 10, 0); // 1.2 s
    std::span<std::int16_t> rest(spoken);
    rest = rest.subspan(8000 * 2 / 10); // 200 ms of silence first
    ASSERT_TRUE(dialer.queue('1', 100ms, -10, 100ms));
    ASSERT_TRUE(dialer.queue('#', 120ms, -10, 100ms));
    while (!dialer.idle() && rest.size() >= kPacketSamples) {
        dialer.generate(rest.first(kPacketSamples));
        rest = rest.subspan(kPacketSamples);
    }

    struct Result {
        int sent = 0;
        std::string digits;
        std::vector<std::uint32_t> durations;
        std::vector<std::int16_t> passedOn;
    };
    const auto transcode = [&](bool detecting, bool cutting) {
        rtp::RtpStreamWriter writer;
        Transcoder transcoder(pcmuToOpus(), writer);
        dtmf::DtmfDetector detector;
        if (detecting) {
            transcoder.setToneDetector(&detector);
        }
        transcoder.setCuttingTones(cutting);
        codec::G711 law(codec::G711Law::MuLaw);
        codec::OpusDecoder opus;
        std::vector<std::int16_t> frame(codec::kOpusMaxPacketSamples);
        Result result;
        const int packets = static_cast<int>(spoken.size() / kPacketSamples);
        for (int i = 0; i < packets + 10; ++i) {
            const auto now = kStart + i * 20ms;
            if (i < packets) {
                std::array<std::uint8_t, kPacketSamples> payload{};
                law.encode(std::span(spoken).subspan(static_cast<std::size_t>(i) * kPacketSamples, kPacketSamples),
                           payload);
                const auto bytes = testing::makeRtpPacket({.payloadType = 0,
                                                           .sequence = static_cast<std::uint16_t>(i),
                                                           .timestamp = static_cast<std::uint32_t>(i) * 160,
                                                           .ssrc = 7},
                                                          payload);
                transcoder.push(rtp::RtpPacket(bytes), std::span(bytes).subspan(12), now);
            }
            for (auto tick = now; tick < now + 20ms; tick += 10ms) {
                while (auto packet = transcoder.next(tick)) {
                    ++result.sent;
                    const auto decoded =
                        opus.decode(std::span(packet->buffer).subspan(12, packet->length - 12), frame).count;
                    result.passedOn.insert(result.passedOn.end(), frame.begin(),
                                           frame.begin() + static_cast<std::ptrdiff_t>(decoded));
                }
            }
            for (const auto& digit : transcoder.detectedDigits()) {
                result.digits += digit.digit;
                result.durations.push_back(digit.durationMs());
            }
            transcoder.clearDetectedDigits();
        }
        return result;
    };
    const Result plain = transcode(false, true);
    EXPECT_EQ(plain.digits, "");
    EXPECT_EQ(detect(plain.passedOn).digits, "1#"); // the tones survive Opus

    const Result kept = transcode(true, false); // the target has no telephone-event: the tones are its DTMF
    EXPECT_EQ(kept.digits, "1#");
    EXPECT_EQ(kept.sent, plain.sent);
    EXPECT_EQ(detect(kept.passedOn).digits, "1#");

    const Result detected = transcode(true, true);
    EXPECT_EQ(detected.digits, "1#");
    ASSERT_EQ(detected.durations.size(), 2U);
    EXPECT_NEAR(detected.durations[0], 100, 13); // spandsp's block is 12.75 ms
    EXPECT_NEAR(detected.durations[1], 120, 13);
    // The tones (220 ms, 11 packets) are cut but for the time the detector takes to confirm each (~25 ms).
    EXPECT_GE(plain.sent - detected.sent, 7);
    EXPECT_LE(plain.sent - detected.sent, 11);
    EXPECT_EQ(detect(detected.passedOn).digits, "");
}

// A party without telephone-event gets digits as tones, even while its peer is silent (sends nothing).
TEST(TranscoderDtmfTest, GeneratedTonesAreSentWhileTheSourceIsSilent) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(opusToPcmu(), writer);
    dtmf::DtmfGenerator generator;
    transcoder.setToneGenerator(&generator);
    ASSERT_TRUE(generator.queue('7', 100ms, -10, 60ms));
    ASSERT_TRUE(generator.queue('*', 80ms, -10, 60ms));
    codec::G711 law(codec::G711Law::MuLaw);
    std::vector<std::int16_t> heard;
    std::vector<std::int16_t> frame(kPacketSamples);
    std::vector<std::vector<std::uint8_t>> bytes;
    for (auto now = kStart; now < kStart + 800ms; now += 10ms) {
        while (auto packet = transcoder.next(now)) {
            bytes.emplace_back(packet->buffer.begin(),
                               packet->buffer.begin() + static_cast<std::ptrdiff_t>(packet->length));
            law.decode(std::span(bytes.back()).subspan(12), frame);
            heard.insert(heard.end(), frame.begin(), frame.end());
        }
    }
    // 100 + 60 + 80 + 60 ms of tone and pause, then nothing: the source is silent.
    EXPECT_EQ(bytes.size(), 15U);
    ASSERT_FALSE(bytes.empty());
    EXPECT_TRUE(rtp::RtpPacket(bytes.front()).marker());
    for (std::size_t i = 1; i < bytes.size(); ++i) {
        EXPECT_EQ(rtp::RtpPacket(bytes[i]).timestamp() - rtp::RtpPacket(bytes[i - 1]).timestamp(), 160U);
    }
    heard.resize(heard.size() + 800, 0); // the detector confirms an end 25 ms after it
    const auto found = detect(heard);
    EXPECT_EQ(found.digits, "7*");
    ASSERT_EQ(found.durationsMs.size(), 2U);
    EXPECT_NEAR(found.durationsMs[0], 100, 13);
    EXPECT_NEAR(found.durationsMs[1], 80, 13);
    EXPECT_TRUE(generator.idle());
}

} // namespace
} // namespace rtcgate::media
