#include "rtcgate/dtmf/EventSender.hpp"

#include "AllocationCounter.hpp"
#include "EventOutputRecorder.hpp"

#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace {

using namespace rtcgate::dtmf;
using namespace std::chrono_literals;
using Clock = EventSender::Clock;

constexpr std::uint8_t kPayloadType = 101;
constexpr std::uint8_t kAudioPayloadType = 0;
constexpr std::uint32_t kStart = 5000;

using Sent = rtcgate::dtmf::testing::SentEvent;
using rtcgate::dtmf::testing::Durations;

class EventSenderTest : public ::testing::Test {
protected:
    void configure(std::uint32_t clockRate) {
        sender_.reset();
        sender_.emplace(EventSenderConfig{.clockRate = clockRate, .payloadType = kPayloadType, .updateInterval = 20ms},
                        writer_);
        clockRate_ = clockRate;
        firstSequence_ = writer_.sequence();
    }

    Clock::time_point at(int ms) const { return start_ + std::chrono::milliseconds(ms); }
    // The party's stream timestamp `ms` after the test's start.
    std::uint32_t timestampAt(int ms) const { return kStart + static_cast<std::uint32_t>(ms) * (clockRate_ / 1000); }

    void begin(std::uint8_t event, int atMs, std::uint8_t volume = 10) {
        record(sender_->begin(event, volume, timestampAt(atMs), at(atMs)));
    }
    void poll(int atMs) { record(sender_->poll(at(atMs), timestampAt(atMs))); }
    // The shard tick, every 10 ms from `fromMs` to `toMs` included.
    void tick(int fromMs, int toMs) {
        for (int ms = fromMs; ms <= toMs; ms += 10) {
            poll(ms);
        }
    }
    void end(std::chrono::microseconds duration) { record(sender_->end(duration)); }

    void record(const EventOutput& output) { recorder_.record(output); }

    Durations durations() const { return recorder_.durations(); }

    void expectOwnStream() const { recorder_.expectOwnStream(kPayloadType, writer_, firstSequence_); }

    rtcgate::rtp::RtpStreamWriter writer_;
    std::optional<EventSender> sender_;
    std::uint32_t clockRate_ = 8000;
    std::uint16_t firstSequence_ = 0;
    Clock::time_point start_ = Clock::now();
    rtcgate::dtmf::testing::EventOutputRecorder recorder_;
    std::vector<Sent>& sent_ = recorder_.sent;
    std::vector<RelayedEvent>& ended_ = recorder_.ended;
};

TEST_F(EventSenderTest, SendsALiveEventAt8k) {
    configure(8000);
    begin(5, 0);
    EXPECT_TRUE(sender_->active());
    tick(10, 90);
    EXPECT_TRUE(sender_->active());
    EXPECT_TRUE(ended_.empty());
    end(110ms); // the detector measured 110 ms
    EXPECT_EQ(durations(), (Durations{{160, false},
                                      {320, false},
                                      {480, false},
                                      {640, false},
                                      {800, false},
                                      {880, true},
                                      {880, true},
                                      {880, true}}));
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].marker, i == 0) << i;
        EXPECT_EQ(sent_[i].timestamp, kStart) << i;
        EXPECT_EQ(sent_[i].event.event, 5);
        EXPECT_EQ(sent_[i].event.volume, 10);
    }
    expectOwnStream();
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].digit, '5');
    EXPECT_EQ(ended_[0].durationMs, 110u);
    EXPECT_EQ(ended_[0].volume, 10);
    EXPECT_EQ(ended_[0].ending, EventEnding::EndPacket);
    EXPECT_FALSE(sender_->active());

    // Nothing more: later ticks, a second end.
    tick(100, 200);
    end(120ms);
    EXPECT_EQ(sent_.size(), 8u);
    EXPECT_EQ(ended_.size(), 1u);
}

TEST_F(EventSenderTest, SendsALiveEventAt48k) {
    configure(48000);
    begin(11, 0, 20);
    tick(10, 60);
    end(75ms);
    // 75 ms measured, but the update at 60 ms announced 80 ms already.
    EXPECT_EQ(
        durations(),
        (Durations{
            {960, false}, {1920, false}, {2880, false}, {3840, false}, {3840, true}, {3840, true}, {3840, true}}));
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].marker, i == 0) << i;
        EXPECT_EQ(sent_[i].timestamp, kStart) << i;
        EXPECT_EQ(sent_[i].event.volume, 20);
    }
    expectOwnStream();
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].digit, '#');
    EXPECT_EQ(ended_[0].durationMs, 80u) << "never shorter than the duration an update already announced";
}

TEST_F(EventSenderTest, EndsWithTheExactDurationMeasured) {
    configure(48000);
    begin(1, 0);
    tick(10, 40);
    end(std::chrono::microseconds(93'510)); // 4488.48 ticks
    EXPECT_EQ(durations(),
              (Durations{{960, false}, {1920, false}, {2880, false}, {4488, true}, {4488, true}, {4488, true}}));
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].durationMs, 94u);
}

TEST_F(EventSenderTest, ALateTickSendsOneUpdateForItsTimeAndKeepsTheGrid) {
    configure(8000);
    begin(3, 0);
    poll(75); // the updates due at 20, 40 and 60 ms: one, with the duration up to 95 ms
    poll(79);
    poll(80);
    EXPECT_EQ(durations(), (Durations{{160, false}, {760, false}, {800, false}}));
}

TEST_F(EventSenderTest, SharesTheWritersSequenceSpaceWithTheAudio) {
    configure(8000);
    std::array<std::uint8_t, rtcgate::rtp::RtpStreamWriter::kHeaderSize> audio{};
    writer_.writeHeader(audio, kAudioPayloadType, false);
    begin(7, 0);
    writer_.writeHeader(audio, kAudioPayloadType, false);
    poll(20);
    end(40ms);
    writer_.writeHeader(audio, kAudioPayloadType, false);
    ASSERT_EQ(sent_.size(), 5u);
    EXPECT_EQ(sent_[0].sequence, static_cast<std::uint16_t>(firstSequence_ + 1));
    EXPECT_EQ(sent_[1].sequence, static_cast<std::uint16_t>(firstSequence_ + 3));
    for (std::size_t i = 2; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].sequence, static_cast<std::uint16_t>(sent_[i - 1].sequence + 1));
    }
    EXPECT_EQ(writer_.sequence(), static_cast<std::uint16_t>(firstSequence_ + 8));
    EXPECT_EQ(sent_[0].ssrc, writer_.ssrc());
}

TEST_F(EventSenderTest, SplitsALongEventAt48kIntoSegments) {
    configure(48000);
    // The first segment's start is near the timestamp's wrap: the second one's wraps.
    record(sender_->begin(0, 10, 0xFFFFF000U, at(0)));
    tick(10, 1990);
    end(2s); // 96000 ticks: a first segment of 0xFFFF, the rest in a second one
    expectOwnStream();

    const std::uint32_t second = 0xFFFFF000U + 0xFFFFU;
    std::size_t finals = 0;
    std::uint16_t lastInFirst = 0;
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        const Sent& packet = sent_[i];
        EXPECT_EQ(packet.marker, i == 0) << "the marker starts the event, not its segments";
        if (packet.timestamp == 0xFFFFF000U && packet.event.duration == 0xFFFF) {
            EXPECT_FALSE(packet.event.end) << "only the last segment ends the event";
            ++finals;
        } else if (packet.timestamp == 0xFFFFF000U) {
            EXPECT_EQ(finals, 0u) << "the first segment ends with its final packets";
            EXPECT_GT(packet.event.duration, lastInFirst) << "durations grow";
            lastInFirst = packet.event.duration;
        } else {
            EXPECT_EQ(packet.timestamp, second) << i;
            EXPECT_EQ(finals, 3u) << "the second segment starts after the first one's final packets";
        }
    }
    EXPECT_EQ(finals, 3u) << "the final packet of a segment is sent three times";
    EXPECT_EQ(lastInFirst, 67 * 960 + 960) << "the last update within the first segment";
    const std::size_t firstOfSecond = 1 + 67 + 3;
    ASSERT_GT(sent_.size(), firstOfSecond + 3);
    EXPECT_EQ(sent_[firstOfSecond].event.duration, 69 * 960 - 0xFFFF);
    for (std::size_t i = sent_.size() - 3; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].timestamp, second);
        EXPECT_EQ(sent_[i].event.duration, 96000 - 0xFFFF);
        EXPECT_TRUE(sent_[i].event.end);
    }
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].durationMs, 2000u);
}

TEST_F(EventSenderTest, PlaysQueuedDigitsOneAfterTheOtherWithTheirPause) {
    configure(8000);
    ASSERT_TRUE(sender_->queue(*eventOf('1'), 100ms, 10, 50ms));
    ASSERT_TRUE(sender_->queue(*eventOf('2'), 80ms, 100, 50ms)); // a volume beyond -63 dBm0: the quietest
    EXPECT_EQ(sender_->queued(), 2u);
    EXPECT_FALSE(sender_->active()) << "nothing is sent before the tick";

    tick(0, 90);
    EXPECT_TRUE(sender_->active());
    EXPECT_EQ(sender_->queued(), 1u);
    tick(100, 140);
    EXPECT_FALSE(sender_->active()) << "the pause";
    const std::size_t firstDigit = sent_.size();
    tick(150, 300);
    EXPECT_FALSE(sender_->active());
    EXPECT_EQ(sender_->queued(), 0u);

    EXPECT_EQ(durations(), (Durations{{160, false},
                                      {320, false},
                                      {480, false},
                                      {640, false},
                                      {800, false},
                                      {800, true},
                                      {800, true},
                                      {800, true},
                                      {160, false},
                                      {320, false},
                                      {480, false},
                                      {640, false},
                                      {640, true},
                                      {640, true},
                                      {640, true}}));
    ASSERT_EQ(firstDigit, 8u);
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        const bool first = i < firstDigit;
        EXPECT_EQ(sent_[i].marker, i == 0 || i == firstDigit) << i;
        EXPECT_EQ(sent_[i].timestamp, first ? timestampAt(0) : timestampAt(150)) << i;
        EXPECT_EQ(sent_[i].event.event, first ? 1 : 2) << i;
        EXPECT_EQ(sent_[i].event.volume, first ? 10 : 63) << i;
    }
    expectOwnStream();
    ASSERT_EQ(ended_.size(), 2u);
    EXPECT_EQ(ended_[0].digit, '1');
    EXPECT_EQ(ended_[0].durationMs, 100u);
    EXPECT_EQ(ended_[0].ending, EventEnding::EndPacket);
    EXPECT_EQ(ended_[1].digit, '2');
    EXPECT_EQ(ended_[1].durationMs, 80u);
    EXPECT_EQ(ended_[1].ending, EventEnding::EndPacket);
}

TEST_F(EventSenderTest, BeginWhileAnEventIsSentEndsItFirst) {
    configure(8000);
    begin(1, 0);
    poll(20);
    begin(2, 50);
    EXPECT_TRUE(sender_->active());
    poll(70);
    end(60ms);
    EXPECT_EQ(durations(), (Durations{{160, false},
                                      {320, false},
                                      {400, true},
                                      {400, true},
                                      {400, true},
                                      {160, false},
                                      {320, false},
                                      {480, true},
                                      {480, true},
                                      {480, true}}));
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].marker, i == 0 || i == 5) << i;
        EXPECT_EQ(sent_[i].timestamp, i < 5 ? timestampAt(0) : timestampAt(50)) << i;
        EXPECT_EQ(sent_[i].event.event, i < 5 ? 1 : 2) << i;
    }
    expectOwnStream();
    ASSERT_EQ(ended_.size(), 2u);
    EXPECT_EQ(ended_[0].digit, '1');
    EXPECT_EQ(ended_[0].durationMs, 50u);
    EXPECT_EQ(ended_[0].ending, EventEnding::Interrupted);
    EXPECT_EQ(ended_[1].digit, '2');
    EXPECT_EQ(ended_[1].ending, EventEnding::EndPacket);
}

TEST_F(EventSenderTest, ALiveEventCutsAQueuedOneShortAndTheQueueWaitsForIt) {
    configure(8000);
    ASSERT_TRUE(sender_->queue(*eventOf('1'), 200ms, 10, 0ms));
    ASSERT_TRUE(sender_->queue(*eventOf('2'), 100ms, 10, 0ms));
    tick(0, 20);
    end(20ms); // only a live event is ended by end()
    EXPECT_TRUE(sender_->active());
    EXPECT_TRUE(ended_.empty());
    begin(9, 30);
    tick(40, 100);
    EXPECT_EQ(sender_->queued(), 1u) << "the queue waits while the live event is sent";
    end(100ms);
    tick(110, 120);
    EXPECT_EQ(sender_->queued(), 1u) << "... and for its whole measured length";
    EXPECT_FALSE(sender_->active());
    poll(130);
    EXPECT_EQ(sender_->queued(), 0u);
    EXPECT_TRUE(sender_->active());
    expectOwnStream();

    ASSERT_EQ(ended_.size(), 2u);
    EXPECT_EQ(ended_[0].digit, '1');
    EXPECT_EQ(ended_[0].ending, EventEnding::Interrupted);
    EXPECT_EQ(ended_[0].durationMs, 40u) << "its update at 20 ms had announced 40 ms";
    EXPECT_EQ(ended_[1].digit, '9');
    EXPECT_EQ(ended_[1].durationMs, 100u);
    ASSERT_FALSE(sent_.empty());
    EXPECT_TRUE(sent_.back().marker);
    EXPECT_EQ(sent_.back().event.event, 2);
    EXPECT_EQ(sent_.back().timestamp, timestampAt(130));
}

TEST_F(EventSenderTest, RefusesQueuingWhenFullOrNotADigit) {
    configure(8000);
    EXPECT_FALSE(sender_->queue(16, 100ms, 10, 50ms)) << "not a DTMF event";
    EXPECT_FALSE(sender_->queue(1, 0ms, 10, 50ms));
    EXPECT_FALSE(sender_->queue(1, -5ms, 10, 50ms));
    for (std::size_t i = 0; i < EventSender::kQueueCapacity; ++i) {
        EXPECT_TRUE(sender_->queue(static_cast<std::uint8_t>(i % 16), 100ms, 10, 50ms)) << i;
    }
    EXPECT_FALSE(sender_->queue(1, 100ms, 10, 50ms)) << "full";
    EXPECT_EQ(sender_->queued(), EventSender::kQueueCapacity);

    poll(0);
    EXPECT_TRUE(sender_->active());
    EXPECT_TRUE(sender_->queue(1, 100ms, 10, 50ms)) << "room again once one started";

    sender_->clear();
    EXPECT_FALSE(sender_->active());
    EXPECT_EQ(sender_->queued(), 0u);
    const std::size_t sent = sent_.size();
    tick(10, 300);
    EXPECT_EQ(sent_.size(), sent) << "nothing left to send";
    EXPECT_TRUE(ended_.empty());
}

TEST_F(EventSenderTest, SendsWithoutAllocating) {
    configure(48000);
    std::size_t sent = 0;
    std::size_t ended = 0;
    {
        rtcgate::testing::AllocationScope scope;
        for (int round = 0; round < 3; ++round) {
            const int base = round * 4000;
            // A live event of 1.5 s (two segments), then two queued digits.
            sent += sender_->begin(5, 10, timestampAt(base), at(base)).packets.size();
            for (int ms = base + 10; ms < base + 1500; ms += 10) {
                sent += sender_->poll(at(ms), timestampAt(ms)).packets.size();
            }
            const auto output = sender_->end(1500ms);
            sent += output.packets.size();
            ended += output.ended.size();
            sender_->queue(1, 100ms, 10, 50ms);
            sender_->queue(2, 100ms, 10, 50ms);
            for (int ms = base + 1500; ms < base + 2000; ms += 10) {
                const auto polled = sender_->poll(at(ms), timestampAt(ms));
                sent += polled.packets.size();
                ended += polled.ended.size();
            }
        }
        EXPECT_EQ(scope.count(), 0u);
    }
    // Each round: 75 updates and 3 + 3 finals of the live event, 5 + 3 packets of each digit.
    EXPECT_EQ(sent, 3u * (75 + 6 + 2 * 8));
    EXPECT_EQ(ended, 3u * 3);
}

} // namespace
