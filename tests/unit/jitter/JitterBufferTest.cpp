#include "rtcgate/jitter/JitterBuffer.hpp"

#include "PacketTrace.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace rtcgate::jitter::test {
namespace {

using Kind = Playout::Kind;

std::uint32_t read32(std::span<const std::uint8_t> bytes, std::size_t at) {
    return (std::uint32_t{bytes[at]} << 24U) | (std::uint32_t{bytes[at + 1]} << 16U) |
           (std::uint32_t{bytes[at + 2]} << 8U) | bytes[at + 3];
}

struct Played {
    std::uint32_t ssrc;
    std::uint16_t sequence;
    int pop;
};

// Drives a buffer with a trace, one pop per 20 ms until the trace's last frame is played (or at most `pops`), and
// checks on every pop that playout neither skips nor repeats
// a frame except by a counted drift adjustment, and that every payload is the one its decision names.
struct Playback {
    std::vector<Kind> kinds;
    std::vector<Played> played;
    std::vector<JitterStatistics> after; // statistics after each pop
    int continuityErrors = 0;
    int payloadErrors = 0;
    std::chrono::microseconds maxDelay{0};
    std::chrono::microseconds minDelay{1s};

    int count(Kind kind, int from = 0) const {
        return static_cast<int>(std::count(kinds.begin() + from, kinds.end(), kind));
    }
    int playedOf(std::uint32_t ssrc) const {
        return static_cast<int>(std::count_if(played.begin(), played.end(), [&](auto& p) { return p.ssrc == ssrc; }));
    }
};

Playback play(JitterBuffer& buffer, const std::vector<TracePacket>& trace, int pops,
              std::uint32_t samplesPerFrame = 960) {
    Playback result;
    std::size_t next = 0;
    bool playing = false;
    std::uint32_t nextTimestamp = 0;
    std::map<std::uint32_t, std::uint16_t> lastSequence;
    std::set<std::pair<std::uint32_t, std::uint16_t>> seen;
    const auto& last = *std::max_element(trace.begin(), trace.end(), [&](auto& a, auto& b) {
        return (a.info.ssrc == trace.back().info.ssrc) < (b.info.ssrc == trace.back().info.ssrc) ||
               ((a.info.ssrc == trace.back().info.ssrc) == (b.info.ssrc == trace.back().info.ssrc) &&
                a.frame < b.frame);
    });
    for (int pop = 0; pop < pops; ++pop) {
        const auto now = kEpoch + pop * 20ms;
        const auto before = buffer.statistics();
        while (next < trace.size() && trace[next].arrival <= now) {
            buffer.push(trace[next].info, trace[next].payload, trace[next].arrival);
            ++next;
        }
        const auto playout = buffer.pop(now);
        const auto& stats = buffer.statistics();
        result.kinds.push_back(playout.kind);
        result.after.push_back(stats);

        if (stats.resyncs != before.resyncs) {
            playing = false;
            lastSequence.clear(); // a new timeline: a restarted sender may count from anywhere
        }
        if (playing) {
            const auto expected = nextTimestamp + (stats.dropped != before.dropped ? samplesPerFrame : 0);
            result.continuityErrors += playout.timestamp != expected;
            result.maxDelay = std::max(result.maxDelay, stats.currentDelay);
            result.minDelay = std::min(result.minDelay, stats.currentDelay);
        }
        if (playout.kind == Kind::Packet) {
            playing = true;
            const auto ssrc = read32(playout.payload, 0);
            const auto sequence = static_cast<std::uint16_t>((playout.payload[4] << 8U) | playout.payload[5]);
            result.payloadErrors += sequence != playout.sequence || read32(playout.payload, 6) != playout.timestamp;
            // Sequence numbers of one stream only move forward, and none plays twice.
            if (lastSequence.contains(ssrc)) {
                result.continuityErrors += static_cast<std::int16_t>(sequence - lastSequence[ssrc]) <= 0;
            }
            result.continuityErrors += !seen.emplace(ssrc, sequence).second;
            lastSequence[ssrc] = sequence;
            result.played.push_back({ssrc, sequence, pop});
        }
        if (playout.kind == Kind::Lost && playout.nextAvailable) {
            result.payloadErrors += read32(playout.payload, 6) != playout.timestamp + samplesPerFrame;
        }
        if (playing) {
            // An inserted frame is followed by the frame it was inserted before.
            nextTimestamp = playout.timestamp + (stats.inserted != before.inserted ? 0 : samplesPerFrame);
        }
        if (next == trace.size() && playout.timestamp == last.info.timestamp && playout.kind != Kind::Stretch &&
            stats.resyncs == buffer.statistics().resyncs) {
            break;
        }
    }
    return result;
}

std::chrono::microseconds ms(int value) {
    return std::chrono::milliseconds(value);
}

TEST(JitterBufferTest, SilenceBeforeTheFirstPacket) {
    JitterBuffer buffer;
    EXPECT_EQ(buffer.pop(kEpoch).kind, Kind::Silence);
    EXPECT_EQ(buffer.pop(kEpoch + 20ms).kind, Kind::Silence);
}

TEST(JitterBufferTest, CleanStreamPlaysEveryPacketInOrderAtTheMinimumDelay) {
    JitterBuffer buffer;
    const auto trace = buildTrace({.frames = 1000});
    const auto playback = play(buffer, trace, 1050);
    const auto& stats = buffer.statistics();

    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_EQ(playback.played.size(), 1000U);
    EXPECT_EQ(stats.received, 1000U);
    EXPECT_EQ(stats.lost, 0U);
    EXPECT_EQ(stats.late, 0U);
    EXPECT_EQ(stats.inserted + stats.dropped, 0U);
    EXPECT_EQ(stats.targetDelay, ms(20));
    EXPECT_LE(playback.maxDelay, ms(40));
    // Only the initial fill and the tail are silence.
    EXPECT_LE(playback.count(Kind::Silence), 3);
}

// Lost frames are counted exactly, split by whether the next packet is there for FEC, and, without it, by whether
// the buffer still covered the gap (concealed) or had taken it for a pause (silent).
void expectLossCounts(const std::vector<bool>& lost, const Playback& playback, const JitterStatistics& stats) {
    std::uint64_t expectedLost = 0;
    std::uint64_t expectedFec = 0;
    for (std::size_t i = 0; i < lost.size(); ++i) {
        expectedLost += lost[i];
        expectedFec += lost[i] && !lost[i + 1];
    }
    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_EQ(stats.lost, expectedLost);
    EXPECT_EQ(stats.fecRecoverable, expectedFec);
    EXPECT_EQ(stats.concealed + stats.silent, expectedLost - expectedFec);
    EXPECT_EQ(playback.count(Kind::Lost) + static_cast<int>(stats.silent), static_cast<int>(expectedLost));
    EXPECT_EQ(playback.played.size(), lost.size() - expectedLost);
    EXPECT_EQ(stats.late, 0U);
    EXPECT_LE(playback.maxDelay, ms(40));
}

TEST(JitterBufferTest, RandomLossIsReportedFrameByFrameWithFecWhereTheNextPacketIsThere) {
    std::mt19937 random(4);
    std::bernoulli_distribution loss(0.05);
    std::vector<bool> lost(2000);
    for (std::size_t i = 1; i + 1 < lost.size(); ++i) {
        lost[i] = loss(random);
    }
    JitterBuffer buffer;
    const auto playback = play(buffer, buildTrace({.frames = 2000, .lost = [&](int i) { return lost[i]; }}), 2050);
    expectLossCounts(lost, playback, buffer.statistics());
    EXPECT_GT(buffer.statistics().fecRecoverable, 50U);
}

// A burst longer than the buffer's delay and two frames turns to silence until the packets come back; its frames
// are counted lost all the same.
TEST(JitterBufferTest, BurstLossConcealsAllButTheLastFrameOfEachBurstWhileTheBufferCoversIt) {
    // Gilbert model: 5 % chance to enter a burst, 20 % to leave it: 20 % loss in bursts of 5 on average.
    std::mt19937 random(7);
    std::bernoulli_distribution enter(0.05);
    std::bernoulli_distribution leave(0.2);
    std::vector<bool> lost(3000);
    bool inBurst = false;
    for (std::size_t i = 1; i + 1 < lost.size(); ++i) {
        inBurst = inBurst ? !leave(random) : enter(random);
        lost[i] = inBurst;
    }
    lost[lost.size() - 2] = false;
    JitterBuffer buffer;
    const auto playback = play(buffer, buildTrace({.frames = 3000, .lost = [&](int i) { return lost[i]; }}), 3050);
    expectLossCounts(lost, playback, buffer.statistics());
    EXPECT_GT(buffer.statistics().concealed, 0U);
    EXPECT_GT(buffer.statistics().silent, 0U);
}

TEST(JitterBufferTest, TargetDelayGrowsToCoverSixtyMillisecondsOfJitter) {
    // 10 s clean, then 50 s of network delay spread over 20..80 ms.
    std::mt19937 random(11);
    std::uniform_int_distribution<int> spread(0, 60000);
    std::vector<std::chrono::microseconds> delays(3000);
    for (std::size_t i = 0; i < delays.size(); ++i) {
        delays[i] = i < 500 ? 20000us : std::chrono::microseconds(20000 + spread(random));
    }
    JitterBuffer buffer;
    const auto playback = play(buffer, buildTrace({.frames = 3000, .delay = [&](int i) { return delays[i]; }}), 3050);
    const auto& stats = buffer.statistics();

    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_EQ(playback.after[499].targetDelay, ms(20));
    // Grows at once: within a second of the jitter starting.
    EXPECT_GE(playback.after[550].targetDelay, ms(50));
    EXPECT_GE(stats.targetDelay, ms(50));
    EXPECT_LE(stats.targetDelay, ms(60));
    EXPECT_LE(playback.maxDelay, ms(200 + 40));
    // A late packet's frame was played as lost (or dropped).
    EXPECT_LE(stats.late, 3000U / 100);
    EXPECT_GE(stats.lost + stats.dropped, stats.late);
    EXPECT_EQ(playback.played.size() + stats.late + stats.dropped, 3000U);
}

TEST(JitterBufferTest, ReorderedPacketsFillTheirSlots) {
    // Every 10th packet arrives 30 ms late, after the next one.
    JitterBuffer buffer;
    const auto trace = buildTrace({.frames = 2000, .delay = [](int i) { return i % 10 == 5 ? 60000us : 30000us; }});
    ASSERT_LT(trace[5].info.sequence, trace[4].info.sequence + 3);
    const auto playback = play(buffer, trace, 2050);
    const auto& stats = buffer.statistics();

    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_LE(stats.late, 2U);
    EXPECT_EQ(stats.lost, stats.late);
    EXPECT_EQ(playback.played.size() + stats.late, 2000U);
    EXPECT_GE(stats.targetDelay, ms(30));
}

TEST(JitterBufferTest, DuplicatesAreCountedAndIgnored) {
    auto trace = buildTrace({.frames = 500});
    std::vector<TracePacket> doubled;
    for (auto packet : trace) {
        doubled.push_back(packet);
        if (packet.frame % 7 == 0) {
            packet.arrival += 5ms; // still buffered
            doubled.push_back(packet);
        }
        if (packet.frame % 11 == 0 && packet.frame < 450) {
            packet.arrival += 200ms; // already played
            doubled.push_back(packet);
        }
    }
    std::stable_sort(doubled.begin(), doubled.end(), [](auto& a, auto& b) { return a.arrival < b.arrival; });
    JitterBuffer buffer;
    const auto playback = play(buffer, doubled, 550);

    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.played.size(), 500U);
    EXPECT_EQ(buffer.statistics().duplicates, 72U + 41U);
    EXPECT_EQ(buffer.statistics().late, 0U);
}

// Five minutes of a sender whose clock runs 0.1 % off ours: 300 ms of drift to absorb.
TEST(JitterBufferTest, FastSenderClockIsAbsorbedByDroppingQuietFrames) {
    JitterBuffer buffer;
    const auto trace =
        buildTrace({.frames = 15000, .senderSpeed = 1.001, .lowEnergy = [](int i) { return i % 50 == 0; }});
    const auto playback = play(buffer, trace, 15050);
    const auto& stats = buffer.statistics();

    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_GE(stats.dropped, 13U);
    EXPECT_LE(stats.dropped, 16U);
    EXPECT_EQ(stats.inserted, 0U);
    EXPECT_EQ(stats.lost + stats.late, 0U);
    EXPECT_GE(playback.minDelay, ms(19));
    EXPECT_LE(playback.maxDelay, ms(20 + 20 + 20));
    // Only quiet frames were dropped.
    std::set<std::uint16_t> playedSequences;
    for (const auto& p : playback.played) {
        playedSequences.insert(p.sequence);
    }
    for (const auto& packet : trace) {
        if (!playedSequences.contains(packet.info.sequence)) {
            EXPECT_EQ(packet.frame % 50, 0) << packet.frame;
        }
    }
}

TEST(JitterBufferTest, SlowSenderClockIsAbsorbedByInsertingFrames) {
    JitterBuffer buffer;
    const auto trace = buildTrace({.frames = 15000, .senderSpeed = 0.999});
    const auto playback = play(buffer, trace, 15050);
    const auto& stats = buffer.statistics();

    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_GE(stats.inserted, 13U);
    EXPECT_LE(stats.inserted, 16U);
    EXPECT_EQ(stats.dropped, 0U);
    EXPECT_EQ(stats.lost + stats.late, 0U);
    EXPECT_EQ(playback.count(Kind::Stretch), static_cast<int>(stats.inserted));
    EXPECT_GE(playback.minDelay, ms(19));
    EXPECT_LE(playback.maxDelay, ms(20 + 20));
}

TEST(JitterBufferTest, SsrcChangeResyncsWithoutStalling) {
    auto trace = buildTrace({.frames = 500});
    const auto second = buildTrace(
        {.frames = 500, .ssrc = 0x55667788, .firstSequence = 100, .firstTimestamp = 123456, .start = 10005ms});
    trace.insert(trace.end(), second.begin(), second.end());
    JitterBuffer buffer;
    const auto playback = play(buffer, trace, 1050);
    const auto& stats = buffer.statistics();

    EXPECT_EQ(stats.resyncs, 1U);
    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_EQ(stats.lost, 0U);
    // What was still buffered of the old stream is flushed; the new one plays after a short fill.
    EXPECT_GE(playback.playedOf(0x11223344), 497);
    EXPECT_EQ(playback.playedOf(0x55667788), 500);
    EXPECT_LE(playback.count(Kind::Silence, 500), 3);
}

TEST(JitterBufferTest, TimestampJumpResyncs) {
    auto trace = buildTrace({.frames = 500});
    const auto jumped = buildTrace({.frames = 500,
                                    .firstSequence = static_cast<std::uint16_t>(65500 + 500),
                                    .firstTimestamp = 0x40000000,
                                    .start = 10005ms});
    trace.insert(trace.end(), jumped.begin(), jumped.end());
    JitterBuffer buffer;
    const auto playback = play(buffer, trace, 1050);

    EXPECT_EQ(buffer.statistics().resyncs, 1U);
    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(buffer.statistics().late, 0U);
    EXPECT_GE(playback.played.size(), 997U);
}

// A sender restarted with its SSRC: timestamps and sequence numbers both go back (here by 30 s).
// The first packet of the new timeline is taken for a late one; the second, in sequence with it,
// confirms the restart.
TEST(JitterBufferTest, SenderRestartWithBothClocksBackResyncsOnTheSecondPacket) {
    auto trace = buildTrace({.frames = 2000, .firstSequence = 30000, .firstTimestamp = 0x50000000});
    const auto restarted = buildTrace(
        {.frames = 500, .firstSequence = 10000, .firstTimestamp = 0x50000000 - 1500 * 960, .start = 40005ms});
    trace.insert(trace.end(), restarted.begin(), restarted.end());
    JitterBuffer buffer;
    const auto playback = play(buffer, trace, 2550);

    EXPECT_EQ(buffer.statistics().resyncs, 1U);
    EXPECT_EQ(buffer.statistics().late, 1U);
    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_GE(playback.played.size(), 2000U + 497U);
}

// One packet far behind, then the stream goes on: no restart.
TEST(JitterBufferTest, OneStrayOldPacketIsLateNotARestart) {
    auto trace = buildTrace({.frames = 1000, .firstSequence = 30000});
    auto stray = trace[100];
    stray.arrival = trace[700].arrival + 1ms;
    trace.insert(trace.begin() + 701, stray);
    JitterBuffer buffer;
    const auto playback = play(buffer, trace, 1050);

    EXPECT_EQ(buffer.statistics().resyncs, 0U);
    EXPECT_EQ(buffer.statistics().late, 1U);
    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(buffer.statistics().lost, 0U);
}

TEST(JitterBufferTest, DtxGapIsSilenceNotLoss) {
    // Two DTX pauses; the first packet of the second talkspurt is lost.
    JitterBuffer buffer;
    const auto silent = [](int i) { return (i >= 300 && i < 400) || (i >= 700 && i < 750); };
    const auto trace = buildTrace({.frames = 1000, .lost = [](int i) { return i == 750; }, .silent = silent});
    const auto playback = play(buffer, trace, 1050);
    const auto& stats = buffer.statistics();

    EXPECT_EQ(playback.continuityErrors, 0);
    EXPECT_EQ(playback.payloadErrors, 0);
    EXPECT_EQ(stats.lost, 1U);
    EXPECT_EQ(stats.fecRecoverable, 1U);
    EXPECT_EQ(playback.played.size(), 1000U - 150U - 1U);
    for (const auto& p : playback.played) {
        if (p.sequence == static_cast<std::uint16_t>(65500 + 299)) {
            // The 100 frames after the DTX frame are silence.
            EXPECT_EQ(
                std::count(playback.kinds.begin() + p.pop + 1, playback.kinds.begin() + p.pop + 101, Kind::Silence),
                100);
        }
    }
}

TEST(JitterBufferTest, PausedStreamTurnsToSilence) {
    // 2 s of packets, then nothing (hold, sender stopped) for 4 s.
    JitterBuffer buffer;
    const auto trace = buildTrace({.frames = 100});
    std::vector<Kind> kinds;
    for (int pop = 0; pop < 300; ++pop) {
        for (const auto& packet : trace) {
            if (packet.arrival <= kEpoch + pop * 20ms && packet.arrival > kEpoch + (pop - 1) * 20ms) {
                buffer.push(packet.info, packet.payload, packet.arrival);
            }
        }
        kinds.push_back(buffer.pop(kEpoch + pop * 20ms).kind);
    }
    // Lost while the buffer's delay and two frames more could still bring a packet, then silence: nothing is
    // invented for a sender that stopped.
    const auto lost = std::count(kinds.begin(), kinds.end(), Kind::Lost);
    EXPECT_GE(lost, 1);
    EXPECT_LE(lost, 3);
    EXPECT_EQ(std::count(kinds.begin() + 106, kinds.end(), Kind::Silence), 300 - 106);
    EXPECT_EQ(buffer.statistics().silent, 0U); // no packet came back to say any was missing
}

// What a transcoder asks before it conceals a frame (read the socket first): true only while the frame due next
// is missing from a stream that flows, never before the first packet, with the frame there, or once paused.
TEST(JitterBufferTest, AwaitsTheNextFrameOnlyWhileItIsMissingFromAFlowingStream) {
    JitterBuffer buffer;
    EXPECT_FALSE(buffer.awaitsNext(kEpoch));
    const std::vector<std::uint8_t> payload(40, 1);
    const auto packet = [&](int i) {
        return PacketInfo{
            .sequence = static_cast<std::uint16_t>(i), .timestamp = 960U * static_cast<unsigned>(i), .ssrc = 9};
    };
    for (int i = 0; i < 10; ++i) {
        buffer.push(packet(i), payload, kEpoch + i * 20ms);
        EXPECT_FALSE(buffer.awaitsNext(kEpoch + i * 20ms)) << i; // the next frame to play is buffered
        buffer.pop(kEpoch + i * 20ms);
    }
    // Frame 10 is late: until it is pushed the buffer awaits it, though no longer than a pause takes.
    const auto late = kEpoch + 205ms;
    while (buffer.pop(late).kind == Kind::Packet) {
    }
    EXPECT_TRUE(buffer.awaitsNext(late));
    EXPECT_FALSE(buffer.awaitsNext(kEpoch + 10s)); // paused: nothing is due
    buffer.push(packet(10), payload, late);
    buffer.push(packet(11), payload, late);
    EXPECT_FALSE(buffer.awaitsNext(late));
}

TEST(JitterBufferTest, OversizedPayloadIsDiscarded) {
    JitterBuffer buffer({.maxPayloadSize = 4});
    std::array<std::uint8_t, 5> payload{};
    buffer.push({.sequence = 1, .timestamp = 960, .ssrc = 1}, payload, kEpoch);
    EXPECT_EQ(buffer.statistics().discarded, 1U);
    EXPECT_EQ(buffer.statistics().received, 0U);
}

// A stream whose packets turn out to last 30 ms (G.711 at 8000 Hz): once told, the buffer plays one 30 ms frame
// per pop, every timestamp 240 after the one before, and loses nothing; its storage, sized for 10 ms frames at
// construction, takes any longer frame.
TEST(JitterBufferTest, PlaysFramesOfTheDurationItIsToldAfterConstruction) {
    JitterBuffer buffer({.clockRate = 8000, .frameDuration = 20ms});
    buffer.setFrameDuration(30ms);
    EXPECT_EQ(buffer.frameDuration(), 30ms);
    const std::vector<std::uint8_t> payload(240, 0xD5);
    std::vector<std::uint32_t> played;
    for (int i = 0; i < 100; ++i) {
        const auto now = kEpoch + i * 30ms;
        buffer.push(
            {.sequence = static_cast<std::uint16_t>(i), .timestamp = 1000 + 240U * static_cast<unsigned>(i), .ssrc = 7},
            payload, now + 2ms);
        const auto playout = buffer.pop(now + 2ms);
        if (playout.kind == Kind::Packet) {
            played.push_back(playout.timestamp);
        }
    }
    EXPECT_EQ(buffer.statistics().lost, 0U);
    ASSERT_GE(played.size(), 97U);
    for (std::size_t i = 1; i < played.size(); ++i) {
        EXPECT_EQ(played[i] - played[i - 1], 240U) << i;
    }
}

} // namespace
} // namespace rtcgate::jitter::test
