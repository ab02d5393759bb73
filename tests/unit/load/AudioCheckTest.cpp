// rtcgate-load's ear (tools/rtcgate-load): what AudioCheck counts as heard,
// as a hole and as a marker, on the loops the load sends, fed packet by packet.
#include "AudioCheck.hpp"

#include "AudioLoop.hpp"
#include "TestSignal.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <vector>

namespace rtcgate::load {
namespace {

constexpr std::int64_t kFrameNs = 20'000'000;
constexpr std::int64_t kSampleNs = 125'000;
constexpr std::size_t kFrame = codec::kFrameSamples;

// Plays packets 0..count-1 of `loop` into an AudioCheck, one every 20 ms,
// as a daemon that passes them through unchanged would send them.
class Listener {
public:
    explicit Listener(const AudioLoop& loop) : loop_(loop), check_(loop.codec()) {}

    // Packets in `lost` are not sent (the stream's timestamp runs on), those in
    // `silent` carry PCMU silence instead, those in `dropped` are left out
    // without a trace (the next one takes their sequence number and timestamp).
    void play(std::size_t count, const std::set<std::size_t>& lost = {}, const std::set<std::size_t>& silent = {},
              const std::set<std::size_t>& dropped = {}) {
        for (std::size_t i = 0; i < count; ++i) {
            if (dropped.contains(i)) {
                continue;
            }
            const std::int64_t at = static_cast<std::int64_t>(i) * kFrameNs;
            std::vector<std::uint8_t> packet(rtp::RtpStreamWriter::kHeaderSize);
            writer_.writeHeader(packet, loop_.payloadType(), false);
            writer_.advance(loop_.rtpTicksPerPacket());
            if (lost.contains(i)) {
                continue;
            }
            auto payload = loop_.payload(i);
            std::vector<std::uint8_t> silence(kFrame, 0xFF);
            if (silent.contains(i)) {
                payload = silence;
            }
            packet.insert(packet.end(), payload.begin(), payload.end());
            if (const auto heard = check_.receive(rtp::RtpPacket{packet}, at, statistics)) {
                markersHeardAt.push_back(*heard);
            }
        }
    }

    AudioStatistics statistics;
    std::vector<std::int64_t> markersHeardAt;
    AudioCheck& check() { return check_; }
    rtp::RtpStreamWriter& writer() { return writer_; }

private:
    const AudioLoop& loop_;
    AudioCheck check_;
    rtp::RtpStreamWriter writer_;
};

// When the sender's marker packet of loop period `period` was "sent" (the
// receiver hears each packet the moment it is sent), plus the loop's offset.
std::int64_t markerSentAt(const AudioLoop& loop, std::size_t period) {
    const auto packet = static_cast<std::int64_t>(period * loop.packets() + loop.markerPacket());
    return packet * kFrameNs + static_cast<std::int64_t>(loop.markerOffset()) * kSampleNs;
}

TEST(AudioLoopTest, EachLoopIsOnePeriodWithItsMarkerNearItsStart) {
    const AudioLoop pcmu{LoopCodec::Pcmu};
    EXPECT_EQ(pcmu.packets(), TestSignal::kFramesPerPeriod);
    EXPECT_EQ(pcmu.payloadType(), 0);
    EXPECT_EQ(pcmu.markerPacket(), 0U);
    EXPECT_LE(pcmu.markerOffset(), 4U); // G.711 has no delay: the onset is found to the window's 4-sample step

    const AudioLoop opus{LoopCodec::Opus};
    EXPECT_EQ(opus.packets(), TestSignal::kFramesPerPeriod);
    EXPECT_EQ(opus.payloadType(), 111);
    // Opus delays what it encodes by its look-ahead: 6.5 ms at 48 kHz, 52 samples at 8 kHz.
    EXPECT_EQ(opus.markerPacket(), 0U);
    EXPECT_NEAR(static_cast<double>(opus.markerOffset()), 52, 8);
}

TEST(AudioCheckTest, AClearStreamIsHeardWholeWithEachMarkerOnTime) {
    for (const LoopCodec codec : {LoopCodec::Pcmu, LoopCodec::Opus}) {
        const AudioLoop loop{codec};
        Listener listener{loop};
        listener.play(3 * loop.packets());
        const AudioStatistics& s = listener.statistics;
        EXPECT_EQ(s.packets, 3 * loop.packets());
        EXPECT_EQ(s.warmUpSamples, AudioCheck::kWarmUpPackets * kFrame);
        EXPECT_EQ(s.heardSamples, (3 * loop.packets() - AudioCheck::kWarmUpPackets) * kFrame);
        EXPECT_EQ(s.holeSamples(), 0U);
        EXPECT_EQ(s.extraSamples, 0U);
        EXPECT_EQ(s.longestHoleSamples, 0U);
        EXPECT_EQ(s.sequenceGaps, 0U);
        // The first period's marker falls in the warm-up; the next two are heard where they were sent.
        ASSERT_EQ(listener.markersHeardAt.size(), 2U);
        EXPECT_EQ(s.markers, 2U);
        for (std::size_t m = 0; m < 2; ++m) {
            EXPECT_NEAR(static_cast<double>(listener.markersHeardAt[m] - markerSentAt(loop, m + 1)), 0, 4 * kSampleNs);
        }
    }
}

TEST(AudioCheckTest, APacketNeverSentIsAHoleOfItsDuration) {
    const AudioLoop loop{LoopCodec::Pcmu};
    Listener listener{loop};
    listener.play(40, {20});
    EXPECT_EQ(listener.statistics.sequenceGaps, 1U);
    EXPECT_EQ(listener.statistics.missingSamples, kFrame);
    EXPECT_EQ(listener.statistics.silentSamples, 0U);
    EXPECT_EQ(listener.statistics.longestHoleSamples, kFrame);
    EXPECT_EQ(listener.statistics.packets, 39U);
}

TEST(AudioCheckTest, SilenceIsAHoleAndTheLongestHoleSpansSilenceAndGaps) {
    const AudioLoop loop{LoopCodec::Pcmu};
    Listener listener{loop};
    // 11-12 silent, then 13 never sent: one hole of three frames; 30 silent on its own.
    listener.play(40, {13}, {11, 12, 30});
    EXPECT_EQ(listener.statistics.silentSamples, 3 * kFrame);
    EXPECT_EQ(listener.statistics.missingSamples, kFrame);
    EXPECT_EQ(listener.statistics.holeSamples(), 4 * kFrame);
    EXPECT_EQ(listener.statistics.longestHoleSamples, 3 * kFrame);
}

TEST(AudioCheckTest, AudioDroppedWithoutATraceIsFoundBetweenTwoMarkers) {
    const AudioLoop loop{LoopCodec::Pcmu};
    Listener listener{loop};
    // Between the markers of periods 1 and 2: two frames gone, numbered and timed on as if they had not been.
    listener.play(3 * loop.packets(), {}, {}, {70, 71});
    EXPECT_EQ(listener.statistics.sequenceGaps, 0U);
    EXPECT_EQ(listener.statistics.missingSamples, 0U);
    EXPECT_EQ(listener.statistics.droppedSamples, 2 * kFrame);
    EXPECT_EQ(listener.statistics.holeSamples(), 2 * kFrame);
    EXPECT_EQ(listener.statistics.extraSamples, 0U);
}

TEST(AudioCheckTest, APacketOlderThanOneHeardIsLateAndNotPlayed) {
    const AudioLoop loop{LoopCodec::Pcmu};
    Listener listener{loop};
    listener.play(10);
    // The stream's packet 9 once more: its sequence number is behind the next expected one.
    std::vector<std::uint8_t> packet(rtp::RtpStreamWriter::kHeaderSize);
    listener.writer().writeHeader(packet, 0, false);
    packet[3] = static_cast<std::uint8_t>(packet[3] - 1);
    packet[2] = static_cast<std::uint8_t>(packet[3] == 0xFF ? packet[2] - 1 : packet[2]);
    const auto payload = loop.payload(9);
    packet.insert(packet.end(), payload.begin(), payload.end());
    EXPECT_FALSE(listener.check().receive(rtp::RtpPacket{packet}, 10 * kFrameNs, listener.statistics));
    EXPECT_EQ(listener.statistics.late, 1U);
    EXPECT_EQ(listener.statistics.packets, 10U);
}

} // namespace
} // namespace rtcgate::load
