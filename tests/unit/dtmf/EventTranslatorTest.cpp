#include "rtcgate/dtmf/EventTranslator.hpp"

#include "AllocationCounter.hpp"
#include "EventOutputRecorder.hpp"
#include "RtpPacketBuilder.hpp"

#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace rtcgate::dtmf;
using namespace std::chrono_literals;
using Clock = EventTranslator::Clock;

constexpr std::uint8_t kSourcePayloadType = 110;
constexpr std::uint8_t kTargetPayloadType = 101;
constexpr std::uint32_t kTargetStart = 5000;

using Sent = rtcgate::dtmf::testing::SentEvent;
using rtcgate::dtmf::testing::Durations;

class EventTranslatorTest : public ::testing::Test {
protected:
    void configure(std::uint32_t sourceRate, std::uint32_t targetRate) {
        translator_.reset();
        translator_.emplace(EventTranslatorConfig{.sourceClockRate = sourceRate,
                                                  .targetClockRate = targetRate,
                                                  .targetPayloadType = kTargetPayloadType,
                                                  .endTimeout = 120ms},
                            writer_);
        firstSequence_ = writer_.sequence();
    }

    // The source sends one packet, `atMs` after the test's start.
    void push(std::uint32_t timestamp, TelephoneEvent event, int atMs, std::uint32_t targetStart = kTargetStart,
              bool marker = false, std::uint32_t ssrc = 0x11223344) {
        std::array<std::uint8_t, TelephoneEvent::kSize> payload{};
        event.write(payload);
        const auto bytes = rtcgate::testing::makeRtpPacket({.payloadType = kSourcePayloadType,
                                                            .sequence = sourceSequence_++,
                                                            .timestamp = timestamp,
                                                            .ssrc = ssrc,
                                                            .marker = marker},
                                                           payload);
        record(
            translator_->push(rtcgate::rtp::RtpPacket(bytes), start_ + std::chrono::milliseconds(atMs), targetStart));
    }

    void poll(int atMs) { record(translator_->poll(start_ + std::chrono::milliseconds(atMs))); }

    void record(const EventOutput& output) { recorder_.record(output); }

    Durations durations() const { return recorder_.durations(); }

    void expectOwnStream() const { recorder_.expectOwnStream(kTargetPayloadType, writer_, firstSequence_); }

    static TelephoneEvent update(std::uint8_t event, std::uint16_t duration, bool end = false) {
        return TelephoneEvent{.event = event, .end = end, .volume = 10, .duration = duration};
    }

    rtcgate::rtp::RtpStreamWriter writer_;
    std::optional<EventTranslator> translator_;
    std::uint16_t firstSequence_ = 0;
    std::uint16_t sourceSequence_ = 100;
    Clock::time_point start_ = Clock::now();
    rtcgate::dtmf::testing::EventOutputRecorder recorder_;
    std::vector<Sent>& sent_ = recorder_.sent;
    std::vector<RelayedEvent>& ended_ = recorder_.ended;
};

TEST_F(EventTranslatorTest, Scales48kTo8kAndKeepsTheEventBoundaries) {
    configure(48000, 8000);
    // A 100 ms '5' from a browser: updates every 20 ms, then its end three times.
    push(1000, update(5, 960), 0, kTargetStart, true);
    push(1000, update(5, 1920), 20);
    push(1000, update(5, 2880), 40);
    push(1000, update(5, 3840), 60);
    for (int i = 0; i < 3; ++i) {
        push(1000, update(5, 4800, true), 80 + i);
    }
    EXPECT_EQ(
        durations(),
        (Durations{{160, false}, {320, false}, {480, false}, {640, false}, {800, true}, {800, true}, {800, true}}));
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].marker, i == 0) << i;
        EXPECT_EQ(sent_[i].timestamp, kTargetStart) << i;
        EXPECT_EQ(sent_[i].event.event, 5);
        EXPECT_EQ(sent_[i].event.volume, 10);
    }
    expectOwnStream();
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].digit, '5');
    EXPECT_EQ(ended_[0].durationMs, 100u);
    EXPECT_EQ(ended_[0].volume, 10);
    EXPECT_EQ(ended_[0].ending, EventEnding::EndPacket);
    EXPECT_FALSE(translator_->active());
}

TEST_F(EventTranslatorTest, Scales8kTo48k) {
    configure(8000, 48000);
    push(70000, update(11, 160), 0, 900000, true);
    EXPECT_TRUE(translator_->active());
    push(70000, update(11, 320), 20, 123); // not a start: the timestamp given is not used
    push(70000, update(11, 400, true), 40);
    EXPECT_EQ(durations(), (Durations{{960, false}, {1920, false}, {2400, true}, {2400, true}, {2400, true}}));
    for (const Sent& packet : sent_) {
        EXPECT_EQ(packet.timestamp, 900000u);
    }
    expectOwnStream();
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].digit, '#');
    EXPECT_EQ(ended_[0].durationMs, 50u);
}

TEST_F(EventTranslatorTest, RoundsDurationsToTheNearestTargetTick) {
    configure(48000, 8000);
    push(0, update(1, 1000), 0);        // 166.67 ticks
    push(0, update(1, 1002), 20);       // 167
    push(0, update(1, 4801, true), 40); // 800.17
    EXPECT_EQ(durations(), (Durations{{167, false}, {167, false}, {800, true}, {800, true}, {800, true}}));
}

TEST_F(EventTranslatorTest, SplitsAnEventLongerThan0xFFFFTargetTicksIntoSegments) {
    configure(8000, 48000);
    // 2 s of '0' at 8 kHz is 96000 ticks at 48 kHz: a first segment of 0xFFFF, then a second one.
    int atMs = 0;
    for (std::uint16_t duration = 160; duration < 16000; duration += 160, atMs += 20) {
        push(8000, update(0, duration), atMs);
    }
    push(8000, update(0, 16000, true), atMs);
    expectOwnStream();

    std::size_t finals = 0;
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        const Sent& packet = sent_[i];
        EXPECT_EQ(packet.marker, i == 0) << "the marker starts the event, not its segments";
        if (packet.timestamp == kTargetStart && packet.event.duration == 0xFFFF) {
            EXPECT_FALSE(packet.event.end) << "only the last segment ends the event";
            ++finals;
        } else if (packet.timestamp == kTargetStart) {
            EXPECT_EQ(finals, 0u) << "the first segment ends with its final packets";
            EXPECT_LT(packet.event.duration, 0xFFFF);
        } else {
            EXPECT_EQ(packet.timestamp, kTargetStart + 0xFFFFu);
            EXPECT_EQ(finals, 3u) << "the second segment starts after the first one's final packets";
        }
    }
    EXPECT_EQ(finals, 3u) << "the final packet of a segment is sent three times";
    ASSERT_GE(sent_.size(), 3u);
    for (std::size_t i = sent_.size() - 3; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].timestamp, kTargetStart + 0xFFFFu);
        EXPECT_EQ(sent_[i].event.duration, 96000 - 0xFFFF);
        EXPECT_TRUE(sent_[i].event.end);
    }
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].durationMs, 2000u);
}

TEST_F(EventTranslatorTest, JoinsTheSourcesOwnSegmentsIntoOneTargetEvent) {
    configure(48000, 8000);
    // 2 s at 48 kHz: the source sends 0xFFFF ticks in a first segment, the rest in a second one
    // whose timestamp is 0xFFFF later (RFC 4733 section 2.5.1.3). At 8 kHz it all fits one.
    const std::uint32_t start = 0xFFFFFC00U; // the second segment's timestamp wraps
    push(start, update(7, 960), 0);
    push(start, update(7, 0xFFFF), 20);
    push(start, update(7, 0xFFFF), 21);
    push(start + 0xFFFF, update(7, 960), 40);
    push(start + 0xFFFF, update(7, 96000 - 0xFFFF, true), 60);
    EXPECT_EQ(durations(),
              (Durations{{160, false}, {10923, false}, {11083, false}, {16000, true}, {16000, true}, {16000, true}}));
    for (const Sent& packet : sent_) {
        EXPECT_EQ(packet.timestamp, kTargetStart);
    }
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].durationMs, 2000u);
}

TEST_F(EventTranslatorTest, EndsAnEventWhoseEndPacketsAreLostAfterTheTimeout) {
    configure(48000, 8000);
    push(1000, update(3, 960), 0);
    push(1000, update(3, 1920), 20);
    poll(100);
    EXPECT_EQ(sent_.size(), 2u) << "80 ms without a packet is not yet a loss";
    EXPECT_TRUE(translator_->active());
    poll(140);
    EXPECT_EQ(durations(), (Durations{{160, false}, {320, false}, {320, true}, {320, true}, {320, true}}));
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].ending, EventEnding::Timeout);
    EXPECT_EQ(ended_[0].durationMs, 40u);
    EXPECT_FALSE(translator_->active());

    // Its end, arriving late after all, and later polls: nothing more.
    push(1000, update(3, 4800, true), 150);
    poll(400);
    EXPECT_EQ(sent_.size(), 5u);
    EXPECT_EQ(ended_.size(), 1u);
    expectOwnStream();
}

TEST_F(EventTranslatorTest, SaysWhenAPollWouldEndTheEventForWantOfPackets) {
    configure(48000, 8000);
    const auto at = [&](int ms) { return start_ + std::chrono::milliseconds(ms); };
    EXPECT_FALSE(translator_->timesOut(at(500))) << "no event";
    push(1000, update(3, 960), 0);
    push(1000, update(3, 1920), 20);
    EXPECT_FALSE(translator_->timesOut(at(139)));
    EXPECT_TRUE(translator_->timesOut(at(140)));
    // The caller reads the packet that waited unread: the event goes on.
    push(1000, update(3, 2880), 140);
    EXPECT_FALSE(translator_->timesOut(at(140)));
    poll(140);
    EXPECT_TRUE(translator_->active());
    push(1000, update(3, 4800, true), 160);
    EXPECT_FALSE(translator_->timesOut(at(1000))) << "ended by its end packet";
}

TEST_F(EventTranslatorTest, DropsDuplicatedPackets) {
    configure(48000, 8000);
    for (const std::uint16_t duration : {960, 1920, 2880}) {
        push(1000, update(9, duration), duration / 48);
        push(1000, update(9, duration), duration / 48 + 1);
    }
    for (int i = 0; i < 3; ++i) {
        push(1000, update(9, 3840, true), 80);
        push(1000, update(9, 3840, true), 81);
    }
    EXPECT_EQ(durations(),
              (Durations{{160, false}, {320, false}, {480, false}, {640, true}, {640, true}, {640, true}}));
    EXPECT_EQ(ended_.size(), 1u);
}

TEST_F(EventTranslatorTest, DropsUpdatesOvertakenByLaterOnes) {
    configure(48000, 8000);
    push(1000, update(2, 960), 0);
    push(1000, update(2, 2880), 20);
    push(1000, update(2, 1920), 21); // arrived after the later update
    push(1000, update(2, 4800, true), 40);
    push(1000, update(2, 3840), 41); // arrived after the end
    EXPECT_EQ(durations(), (Durations{{160, false}, {480, false}, {800, true}, {800, true}, {800, true}}));
    EXPECT_EQ(ended_.size(), 1u);
}

TEST_F(EventTranslatorTest, NeverSendsAnEndBeforeTheStartWhenTheEndArrivesFirst) {
    configure(48000, 8000);
    push(1000, update(4, 4800, true), 0);
    push(1000, update(4, 960), 1, kTargetStart, true);
    push(1000, update(4, 1920), 2);
    push(1000, update(4, 4800, true), 3);
    EXPECT_EQ(durations(), (Durations{{800, true}, {800, true}, {800, true}}));
    EXPECT_TRUE(sent_[0].marker);
    EXPECT_FALSE(sent_[1].marker);
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].digit, '4');
}

TEST_F(EventTranslatorTest, EndsThePreviousEventWhenTheNextOneStarts) {
    configure(48000, 8000);
    push(1000, update(1, 960), 0, 5000, true);
    push(1000, update(1, 1920), 20);
    // The end packets of '1' were lost; '2' starts 100 ms after it.
    push(5800, update(2, 960), 120, 5800, true);
    push(5800, update(2, 1920, true), 140);
    push(1000, update(1, 2880, true), 141); // the end of '1' after all: too late
    EXPECT_EQ(durations(), (Durations{{160, false},
                                      {320, false},
                                      {320, true},
                                      {320, true},
                                      {320, true},
                                      {160, false},
                                      {320, true},
                                      {320, true},
                                      {320, true}}));
    for (std::size_t i = 0; i < sent_.size(); ++i) {
        EXPECT_EQ(sent_[i].marker, i == 0 || i == 5) << i;
        EXPECT_EQ(sent_[i].timestamp, i < 5 ? 5000u : 5800u) << i;
        EXPECT_EQ(sent_[i].event.event, i < 5 ? 1 : 2) << i;
    }
    expectOwnStream();
    ASSERT_EQ(ended_.size(), 2u);
    EXPECT_EQ(ended_[0].digit, '1');
    EXPECT_EQ(ended_[0].ending, EventEnding::Interrupted);
    EXPECT_EQ(ended_[1].digit, '2');
    EXPECT_EQ(ended_[1].ending, EventEnding::EndPacket);
}

TEST_F(EventTranslatorTest, RelaysTheSameDigitPressedTwice) {
    configure(8000, 48000);
    push(1000, update(6, 800, true), 0);
    push(1000, update(6, 800, true), 1);
    push(2600, update(6, 800, true), 200, 20000);
    push(2600, update(6, 800, true), 201, 20000);
    ASSERT_EQ(sent_.size(), 6u);
    EXPECT_TRUE(sent_[0].marker);
    EXPECT_TRUE(sent_[3].marker);
    EXPECT_EQ(sent_[3].timestamp, 20000u);
    EXPECT_EQ(ended_.size(), 2u);
}

TEST_F(EventTranslatorTest, StartsFromTheFirstUpdateSeenWhenTheFirstPacketIsLost) {
    configure(48000, 8000);
    push(1000, update(8, 1920), 20);                    // the 960 one with the marker was lost
    push(1000, update(8, 960), 21, kTargetStart, true); // ... or only late: dropped
    push(1000, update(8, 2880, true), 40);
    EXPECT_EQ(durations(), (Durations{{320, false}, {480, true}, {480, true}, {480, true}}));
    EXPECT_TRUE(sent_[0].marker);
    EXPECT_EQ(sent_[0].timestamp, kTargetStart);
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].durationMs, 60u);
}

TEST_F(EventTranslatorTest, ReportsEachDigitOnceThroughLossDuplicatesAndReordering) {
    configure(48000, 8000);
    const std::string_view digits = "0123456789*#ABCD";
    std::uint32_t timestamp = 100;
    int atMs = 0;
    for (const char digit : digits) {
        const std::uint8_t event = *eventOf(digit);
        push(timestamp, update(event, 960), atMs, timestamp / 6, true);
        push(timestamp, update(event, 2880), atMs + 40);
        push(timestamp, update(event, 1920), atMs + 41); // reordered
        if (digit != '7') {                              // the end packets of 7 are all lost
            push(timestamp, update(event, 4800, true), atMs + 80);
            push(timestamp, update(event, 4800, true), atMs + 81);
            push(timestamp, update(event, 4800, true), atMs + 82);
            push(timestamp, update(event, 4800, true), atMs + 83); // duplicated
        }
        poll(atMs + 100);
        timestamp += 9600;
        atMs += 200;
        poll(atMs);
    }
    ASSERT_EQ(ended_.size(), digits.size());
    for (std::size_t i = 0; i < digits.size(); ++i) {
        EXPECT_EQ(ended_[i].digit, digits[i]);
        EXPECT_EQ(ended_[i].durationMs, digits[i] == '7' ? 60u : 100u);
        EXPECT_EQ(ended_[i].ending, digits[i] == '7' ? EventEnding::Timeout : EventEnding::EndPacket);
    }
    std::size_t markers = 0;
    for (const Sent& packet : sent_) {
        markers += packet.marker ? 1 : 0;
    }
    EXPECT_EQ(markers, digits.size());
    expectOwnStream();
}

TEST_F(EventTranslatorTest, IgnoresPayloadsTooShortForAnEvent) {
    configure(48000, 8000);
    const std::array<std::uint8_t, 3> payload{5, 10, 0};
    const auto bytes = rtcgate::testing::makeRtpPacket({.payloadType = kSourcePayloadType, .timestamp = 1}, payload);
    const auto output = translator_->push(rtcgate::rtp::RtpPacket(bytes), start_, kTargetStart);
    EXPECT_TRUE(output.packets.empty());
    EXPECT_FALSE(translator_->active());
}

TEST_F(EventTranslatorTest, EndsTheEventWhenTheSourceStreamChanges) {
    configure(48000, 8000);
    push(1000, update(1, 960), 0);
    push(1000, update(2, 960), 10, 7000, true, 0x55667788); // a new SSRC whose timestamps start anywhere
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].ending, EventEnding::Interrupted);
    EXPECT_EQ(durations(), (Durations{{160, false}, {160, true}, {160, true}, {160, true}, {160, false}}));
    EXPECT_EQ(sent_.back().timestamp, 7000u);
}

TEST_F(EventTranslatorTest, RelaysWithoutAllocating) {
    configure(8000, 48000);
    std::array<std::array<std::uint8_t, 16>, 4> packets{};
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto bytes = rtcgate::testing::makeRtpPacket(
            {.payloadType = kSourcePayloadType, .sequence = static_cast<std::uint16_t>(i), .timestamp = 8000},
            std::array<std::uint8_t, 4>{1, static_cast<std::uint8_t>(i == 3 ? 0x8A : 0x0A), 0x3E, 0x80});
        std::copy(bytes.begin(), bytes.end(), packets[i].begin());
    }
    std::size_t sent = 0;
    {
        rtcgate::testing::AllocationScope scope;
        for (int round = 0; round < 3; ++round) {
            for (auto& packet : packets) {
                // Rounds of a 2 s event (16000 ticks, split at 48 kHz) on distinct timestamps.
                packet[7] = static_cast<std::uint8_t>(round);
                sent += translator_->push(rtcgate::rtp::RtpPacket(packet), start_, 0).packets.size();
            }
            sent += translator_->poll(start_ + 1s).packets.size();
        }
        EXPECT_EQ(scope.count(), 0u);
    }
    EXPECT_EQ(sent, 3u * (1 + 3 + 3));
}

// A target that takes DTMF in-band: the events are tracked and reported, never sent.
class EventTranslatorTrackOnlyTest : public EventTranslatorTest {
protected:
    void configureTrackOnly(std::uint32_t sourceRate, std::uint32_t targetRate) {
        translator_.reset();
        translator_.emplace(EventTranslatorConfig{.sourceClockRate = sourceRate,
                                                  .targetClockRate = targetRate,
                                                  .targetPayloadType = std::nullopt,
                                                  .endTimeout = 120ms},
                            writer_);
        firstSequence_ = writer_.sequence();
    }
};

TEST_F(EventTranslatorTrackOnlyTest, ReportsEndedEventsWithoutSendingOrTouchingTheWriter) {
    configureTrackOnly(48000, 8000);
    const std::uint32_t timestamp = writer_.timestamp();
    push(1000, update(5, 960), 0, kTargetStart, true);
    EXPECT_TRUE(translator_->active());
    push(1000, update(5, 2880), 40);
    for (int i = 0; i < 3; ++i) {
        push(1000, update(5, 4800, true), 80 + i);
    }
    EXPECT_FALSE(translator_->active());
    // The next digit cuts into a third one, whose end comes after a long key press.
    push(20000, update(11, 960), 400, kTargetStart, true);
    push(30000, update(2, 960), 500, kTargetStart, true);
    push(30000, update(2, 0xFFFF), 1900);
    push(30000 + 0xFFFF, update(2, 28945, true), 2500);

    EXPECT_TRUE(sent_.empty());
    EXPECT_EQ(writer_.sequence(), firstSequence_) << "the target stream's sequence numbers do not move";
    EXPECT_EQ(writer_.timestamp(), timestamp);
    ASSERT_EQ(ended_.size(), 3u);
    EXPECT_EQ(ended_[0].digit, '5');
    EXPECT_EQ(ended_[0].durationMs, 100u);
    EXPECT_EQ(ended_[0].volume, 10);
    EXPECT_EQ(ended_[0].ending, EventEnding::EndPacket);
    EXPECT_EQ(ended_[1].digit, '#');
    EXPECT_EQ(ended_[1].durationMs, 20u);
    EXPECT_EQ(ended_[1].ending, EventEnding::Interrupted);
    EXPECT_EQ(ended_[2].digit, '2');
    EXPECT_EQ(ended_[2].durationMs, 1968u) << "(0xFFFF + 28945) ticks at 48 kHz";
    EXPECT_EQ(ended_[2].ending, EventEnding::EndPacket);
}

TEST_F(EventTranslatorTrackOnlyTest, EndsAnEventWhoseEndPacketsAreLostAfterTheTimeout) {
    configureTrackOnly(8000, 48000);
    push(1000, update(3, 160), 0);
    push(1000, update(3, 320), 20);
    poll(100);
    EXPECT_TRUE(translator_->active()) << "80 ms without a packet is not yet a loss";
    EXPECT_TRUE(ended_.empty());
    poll(140);
    EXPECT_FALSE(translator_->active());
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].digit, '3');
    EXPECT_EQ(ended_[0].ending, EventEnding::Timeout);
    EXPECT_EQ(ended_[0].durationMs, 40u);
    push(1000, update(3, 800, true), 150); // its end, late after all
    EXPECT_EQ(ended_.size(), 1u);
    EXPECT_TRUE(sent_.empty());
    EXPECT_EQ(writer_.sequence(), firstSequence_);
}

TEST_F(EventTranslatorTest, MutedTracksTheEventsThatStartWithoutSendingThem) {
    configure(48000, 8000);
    translator_->setMuted(true);
    push(1000, update(5, 960), 0, kTargetStart, true);
    EXPECT_TRUE(translator_->active()) << "the audio of a blocked digit is suppressed as well";
    for (int i = 0; i < 3; ++i) {
        push(1000, update(5, 4800, true), 80 + i);
    }
    EXPECT_TRUE(sent_.empty());
    EXPECT_EQ(writer_.sequence(), firstSequence_);
    ASSERT_EQ(ended_.size(), 1u);
    EXPECT_EQ(ended_[0].digit, '5');
    EXPECT_EQ(ended_[0].durationMs, 100u);
}

TEST_F(EventTranslatorTest, AMuteChangeAppliesFromTheNextEvent) {
    configure(48000, 8000);
    push(1000, update(5, 960), 0, kTargetStart, true);
    translator_->setMuted(true);
    push(1000, update(5, 4800, true), 80);
    EXPECT_EQ(durations(), (Durations{{160, false}, {800, true}, {800, true}, {800, true}}))
        << "the event begun unmuted is ended, not left hanging";
    push(9000, update(7, 960), 200, kTargetStart, true);
    translator_->setMuted(false);
    push(9000, update(7, 4800, true), 280);
    EXPECT_EQ(durations().size(), 4u) << "the event begun muted is not half sent";
    ASSERT_EQ(ended_.size(), 2u);
    EXPECT_EQ(ended_[1].digit, '7');
    push(20000, update(1, 960), 400, kTargetStart, true);
    EXPECT_EQ(durations().size(), 5u);
    expectOwnStream();
}

TEST_F(EventTranslatorTrackOnlyTest, IsAConfigOfItsOwn) {
    EXPECT_EQ(EventTranslatorConfig{}.targetPayloadType, std::optional<std::uint8_t>(101));
    EXPECT_FALSE(EventTranslatorConfig{} == EventTranslatorConfig{.targetPayloadType = std::nullopt});
}

} // namespace
