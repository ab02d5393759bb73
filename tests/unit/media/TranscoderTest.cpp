#include "rtcgate/media/Transcoder.hpp"

#include "AllocationCounter.hpp"
#include "RtpPacketBuilder.hpp"
#include "Tone.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711.hpp"
#include "rtcgate/codec/OpusDecoder.hpp"
#include "rtcgate/codec/OpusEncoder.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;
using codec::AudioCodec;
using codec::test::makeTone;
using codec::test::toneSnrDb;

constexpr double kToneHz = 1000;
constexpr double kAmplitude = 8000;
const Clock::time_point kStart = Clock::time_point{} + 1000s;

struct Sent {
    std::vector<std::uint8_t> bytes;
    Clock::time_point at;
    rtp::RtpPacket view() const { return rtp::RtpPacket(bytes); }
    std::span<const std::uint8_t> payload() const { return std::span(bytes).subspan(rtp::RtpPacket::kFixedHeaderSize); }
};

// The source party: a tone cut into packets of `ptimeMs`, in `codecOfSource`.
class Source {
public:
    Source(AudioCodec codecOfSource, unsigned ptimeMs, std::uint8_t payloadType, codec::OpusEncoderConfig opus = {})
        : codec_(codecOfSource), ptimeMs_(ptimeMs), payloadType_(payloadType), opus_(opus) {}

    std::vector<std::uint8_t> packet(int index, std::uint32_t ssrc = 0x1234) {
        const std::size_t samples = codec::samplesForMilliseconds(ptimeMs_);
        const auto pcm = makeTone(kToneHz, kAmplitude, samples, static_cast<std::size_t>(index) * samples);
        std::vector<std::uint8_t> payload(1500);
        std::size_t size = 0;
        if (codec_ == AudioCodec::Opus) {
            size = opus_.encode(pcm, payload).count;
        } else {
            size = codec::G711(codec_ == AudioCodec::Pcmu ? codec::G711Law::MuLaw : codec::G711Law::ALaw)
                       .encode(pcm, payload);
        }
        const std::uint32_t ticks = static_cast<std::uint32_t>(samples * codec::rtpClockRate(codec_) / 8000);
        return testing::makeRtpPacket({.payloadType = payloadType_,
                                       .sequence = static_cast<std::uint16_t>(100 + index),
                                       .timestamp = 5000 + static_cast<std::uint32_t>(index) * ticks,
                                       .ssrc = ssrc},
                                      std::span(payload).first(size));
    }
    unsigned ptimeMs() const { return ptimeMs_; }

private:
    AudioCodec codec_;
    unsigned ptimeMs_;
    std::uint8_t payloadType_;
    codec::OpusEncoder opus_;
};

struct RunOptions {
    int packets = 100;
    // Packets sent after those the run plays: the last frames played are then not the stream's end, which the
    // buffer counts as a loss when a frame is pulled past it.
    int tail = 0;
    std::function<bool(int)> lost = [](int) { return false; };
    std::function<std::chrono::microseconds(int)> delay = [](int) { return 5000us; };
    std::uint32_t (*ssrcOf)(int) = [](int) { return 0x1234U; };
};

// Pushes the source's packets at their arrival times and ticks every 10 ms, as a shard does.
std::vector<Sent> run(Transcoder& transcoder, Source& source, const RunOptions& options) {
    std::vector<std::pair<Clock::time_point, std::vector<std::uint8_t>>> arrivals;
    for (int i = 0; i < options.packets + options.tail; ++i) {
        auto packet = source.packet(i, options.ssrcOf(i));
        if (!options.lost(i)) {
            arrivals.emplace_back(kStart + i * std::chrono::milliseconds(source.ptimeMs()) + options.delay(i),
                                  std::move(packet));
        }
    }
    std::stable_sort(arrivals.begin(), arrivals.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Sent> sent;
    std::size_t nextArrival = 0;
    // Until every frame of the source is played (decoded, or counted lost): after that the buffer
    // would conceal for a while, as for any loss, before it takes the silence for a pause.
    const auto played = [&] {
        return transcoder.statistics().decoded + transcoder.jitterStatistics().lost >=
               static_cast<std::uint64_t>(options.packets);
    };
    const auto end = kStart + options.packets * std::chrono::milliseconds(source.ptimeMs()) + 1s;
    for (auto now = kStart; now < end && !played(); now += 10ms) {
        while (nextArrival < arrivals.size() && arrivals[nextArrival].first <= now) {
            const auto& bytes = arrivals[nextArrival].second;
            rtp::RtpPacket view(bytes);
            transcoder.push(view, std::span(bytes).subspan(12), arrivals[nextArrival].first);
            ++nextArrival;
        }
        while (auto packet = transcoder.next(now)) {
            sent.push_back(
                {{packet->buffer.begin(), packet->buffer.begin() + static_cast<std::ptrdiff_t>(packet->length)}, now});
        }
    }
    return sent;
}

std::vector<std::int16_t> decodeAll(const std::vector<Sent>& sent, AudioCodec codecOfTarget) {
    std::vector<std::int16_t> pcm;
    codec::OpusDecoder opus;
    codec::G711 g711(codecOfTarget == AudioCodec::Pcmu ? codec::G711Law::MuLaw : codec::G711Law::ALaw);
    std::vector<std::int16_t> frame(codec::kOpusMaxPacketSamples);
    for (const auto& packet : sent) {
        std::size_t n = codecOfTarget == AudioCodec::Opus ? opus.decode(packet.payload(), frame).count
                                                          : g711.decode(packet.payload(), frame);
        pcm.insert(pcm.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return pcm;
}

// Sequence +1 from one packet to the next and one SSRC; timestamp +ticks and no marker but on the
// first, or, with `silences`, that many gaps of whole packets, each marked (RFC 3551 section 4.1).
void expectContinuous(const std::vector<Sent>& sent, std::uint32_t ticks, int silences = 0) {
    ASSERT_FALSE(sent.empty());
    EXPECT_TRUE(sent.front().view().marker());
    int gaps = 0;
    for (std::size_t i = 1; i < sent.size(); ++i) {
        const auto a = sent[i - 1].view();
        const auto b = sent[i].view();
        EXPECT_EQ(static_cast<std::uint16_t>(a.sequenceNumber() + 1), b.sequenceNumber()) << i;
        EXPECT_EQ(a.ssrc(), b.ssrc());
        const std::uint32_t step = b.timestamp() - a.timestamp();
        EXPECT_EQ(step % ticks, 0U) << i;
        if (step != ticks) {
            ++gaps;
            EXPECT_TRUE(b.marker()) << i;
        } else {
            EXPECT_FALSE(b.marker()) << i;
        }
    }
    EXPECT_EQ(gaps, silences);
}

TranscoderConfig config(AudioCodec from, unsigned fromPtime, AudioCodec to, unsigned toPtime) {
    return {.sourceCodec = from,
            .sourcePayloadType = static_cast<std::uint8_t>(from == AudioCodec::Opus   ? 111
                                                           : from == AudioCodec::Pcmu ? 0
                                                                                      : 8),
            .sourcePtimeMs = fromPtime,
            .targetCodec = to,
            .targetPayloadType = static_cast<std::uint8_t>(to == AudioCodec::Opus   ? 96
                                                           : to == AudioCodec::Pcmu ? 0
                                                                                    : 8),
            .targetPtimeMs = toPtime};
}

TEST(TranscoderTest, OpusToPcmuSendsOnePacketPer20MsWithItsOwnContinuousHeaderAndKeepsTheTone) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Opus, 20, AudioCodec::Pcmu, 20), writer);
    Source source(AudioCodec::Opus, 20, 111);
    const auto sent = run(transcoder, source, {.packets = 100});
    EXPECT_EQ(sent.size(), 100U); // every source frame, once
    expectContinuous(sent, 160);
    EXPECT_EQ(sent.front().view().ssrc(), writer.ssrc());
    EXPECT_EQ(sent.front().view().payloadType(), 0);
    EXPECT_EQ(sent.front().payload().size(), 160U);
    for (std::size_t i = 1; i < sent.size(); ++i) {
        EXPECT_LE(sent[i].at - sent[i - 1].at, 20ms) << i; // paced: one per 20 ms, at most one tick late
    }
    const auto pcm = decodeAll(sent, AudioCodec::Pcmu);
    EXPECT_GT(toneSnrDb(std::span(pcm).subspan(1600), kToneHz), 20);
    EXPECT_EQ(transcoder.statistics().concealed, 0U);
}

TEST(TranscoderTest, Pcmu30MsToOpusRepacketizesInto20MsPackets) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Pcmu, 30, AudioCodec::Opus, 20), writer);
    Source source(AudioCodec::Pcmu, 30, 0);
    const auto sent = run(transcoder, source, {.packets = 60}); // 1.8 s
    EXPECT_EQ(sent.size(), 90U);                                // 1.8 s in 20 ms packets
    expectContinuous(sent, 960);
    const auto pcm = decodeAll(sent, AudioCodec::Opus);
    EXPECT_GT(toneSnrDb(std::span(pcm).subspan(1600, 8000), kToneHz), 15);
    EXPECT_EQ(transcoder.statistics().concealed, 0U);
}

// A shard under load lowers the Opus complexity of its calls (engine::ComplexityGovernor): at 0 the tone still
// comes through; toward G.711 there is no complexity to set.
TEST(TranscoderTest, OpusComplexityCanBeLoweredAndTheToneStillComesThrough) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Pcmu, 20, AudioCodec::Opus, 20), writer);
    EXPECT_EQ(transcoder.opusComplexity(), 5);
    transcoder.setOpusComplexity(11); // out of range: refused
    EXPECT_EQ(transcoder.opusComplexity(), 5);
    transcoder.setOpusComplexity(0);
    EXPECT_EQ(transcoder.opusComplexity(), 0);
    Source source(AudioCodec::Pcmu, 20, 0);
    const auto sent = run(transcoder, source, {.packets = 100});
    EXPECT_EQ(sent.size(), 100U);
    const auto pcm = decodeAll(sent, AudioCodec::Opus);
    EXPECT_GT(toneSnrDb(std::span(pcm).subspan(1600, 8000), kToneHz), 15);

    rtp::RtpStreamWriter toCarrier;
    Transcoder toPcmu(config(AudioCodec::Opus, 20, AudioCodec::Pcmu, 20), toCarrier);
    toPcmu.setOpusComplexity(0);
    EXPECT_EQ(toPcmu.opusComplexity(), std::nullopt);
}

class TranscoderPtimeTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(TranscoderPtimeTest, OpusToPcmaSendsTheCarriersPtime) {
    const unsigned ptime = GetParam();
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Opus, 20, AudioCodec::Pcma, ptime), writer);
    Source source(AudioCodec::Opus, 20, 111);
    const auto sent = run(transcoder, source, {.packets = 120});
    ASSERT_GT(sent.size(), 2000U / ptime);
    expectContinuous(sent, ptime * 8);
    for (const auto& packet : sent) {
        EXPECT_EQ(packet.payload().size(), ptime * 8);
        EXPECT_EQ(packet.view().payloadType(), 8);
    }
    const auto pcm = decodeAll(sent, AudioCodec::Pcma);
    EXPECT_GT(toneSnrDb(std::span(pcm).subspan(1600, 8000), kToneHz), 20);
}

INSTANTIATE_TEST_SUITE_P(Ptimes, TranscoderPtimeTest, ::testing::Values(10U, 20U, 30U, 40U));

// Every packet size either side may use (G.711 at 10 to 60 ms, Opus at 10, 20, 40 and 60 ms, RFC 7587), with
// the source sending another size than its a=ptime says (none, so 20 ms): no gap, no concealment, the target's
// packet size, its clock running on by exactly one packet each time.
struct PtimePair {
    AudioCodec from;
    unsigned fromPtime;
    AudioCodec to;
    unsigned toPtime;
};

std::string nameOf(const ::testing::TestParamInfo<PtimePair>& info) {
    const auto name = [](AudioCodec codec) {
        return codec == AudioCodec::Opus ? "Opus" : codec == AudioCodec::Pcmu ? "Pcmu" : "Pcma";
    };
    return std::string(name(info.param.from)) + std::to_string(info.param.fromPtime) + "To" + name(info.param.to) +
           std::to_string(info.param.toPtime);
}

std::vector<PtimePair> everyPtimePair() {
    const std::vector<std::pair<AudioCodec, unsigned>> sizes = {
        {AudioCodec::Pcma, 10}, {AudioCodec::Pcma, 20}, {AudioCodec::Pcma, 30},
        {AudioCodec::Pcma, 40}, {AudioCodec::Pcma, 60}, {AudioCodec::Opus, 10},
        {AudioCodec::Opus, 20}, {AudioCodec::Opus, 40}, {AudioCodec::Opus, 60}};
    std::vector<PtimePair> pairs;
    for (const auto& [from, fromPtime] : sizes) {
        for (const auto& [to, toPtime] : sizes) {
            // G.711 goes to the other law or to Opus; Opus to G.711 (an Opus party talks to a G.711 one).
            if (!(from == AudioCodec::Opus && to == AudioCodec::Opus)) {
                pairs.push_back({from, fromPtime,
                                 to == AudioCodec::Pcma && from == AudioCodec::Pcma ? AudioCodec::Pcmu : to, toPtime});
            }
        }
    }
    return pairs;
}

class TranscoderAnyPtimeTest : public ::testing::TestWithParam<PtimePair> {};

TEST_P(TranscoderAnyPtimeTest, GoesThroughWithoutAGapInTheOtherSidesPtime) {
    const auto [from, fromPtime, to, toPtime] = GetParam();
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(from, 20, to, toPtime), writer);
    Source source(from, fromPtime, from == AudioCodec::Opus ? 111 : 8);
    const int packets = 2400 / static_cast<int>(fromPtime); // 2.4 s
    const auto sent = run(transcoder, source, {.packets = packets, .tail = static_cast<int>(toPtime / fromPtime) + 1});
    expectContinuous(sent, toPtime * codec::rtpClockRate(to) / 1000);
    // All of it but what was decoded last, still to go when the run stops.
    EXPECT_GE(sent.size() * toPtime + fromPtime + toPtime, 2400U);
    EXPECT_EQ(transcoder.statistics().concealed, 0U);
    EXPECT_EQ(transcoder.jitterStatistics().lost, 0U);
    EXPECT_EQ(transcoder.jitterStatistics().dropped, 0U);
    if (to != AudioCodec::Opus) {
        EXPECT_EQ(sent.front().payload().size(), toPtime * 8);
    }
    const auto pcm = decodeAll(sent, to);
    EXPECT_GT(toneSnrDb(std::span(pcm).subspan(1600, 8000), kToneHz), 15);
}

INSTANTIATE_TEST_SUITE_P(EveryPair, TranscoderAnyPtimeTest, ::testing::ValuesIn(everyPtimePair()), nameOf);

// The other way round: a=ptime:30 in the SDP, 20 ms packets on the wire.
TEST(TranscoderTest, FollowsTheSourcesPacketsWhereTheyDifferFromItsPtime) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Pcma, 30, AudioCodec::Pcmu, 20), writer);
    Source source(AudioCodec::Pcma, 20, 8);
    const auto sent = run(transcoder, source, {.packets = 100});
    expectContinuous(sent, 160);
    EXPECT_EQ(transcoder.statistics().concealed, 0U);
    EXPECT_GE(sent.size(), 99U);
}

TEST(TranscoderTest, LostOpusPacketsAreRebuiltFromTheNextPacketsFecOrConcealed) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Opus, 20, AudioCodec::Pcmu, 20), writer);
    Source source(AudioCodec::Opus, 20, 111, {.expectedLossPercent = 20});
    // Single losses (the next packet carries the FEC) and one burst of three (only its last
    // frame has a next packet with FEC).
    const auto lost = [](int i) { return i == 30 || i == 50 || i == 70 || (i >= 80 && i <= 82); };
    const auto sent = run(transcoder, source, {.packets = 120, .lost = lost});
    expectContinuous(sent, 160);
    EXPECT_EQ(transcoder.jitterStatistics().lost, 6U);
    EXPECT_EQ(transcoder.statistics().fecRecovered, 4U);
    EXPECT_EQ(transcoder.statistics().concealed, 2U);
    EXPECT_EQ(sent.size(), 120U); // lost frames are sent too: the stream never has a gap
}

TEST(TranscoderTest, JitterAndReorderStillGiveOnePacketPerSlotWithoutLoss) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Opus, 20, AudioCodec::Pcmu, 20), writer);
    Source source(AudioCodec::Opus, 20, 111);
    // 0-50 ms of delay: packets arrive out of order.
    const auto delay = [](int i) { return std::chrono::microseconds((i * 7919) % 50000); };
    const auto sent = run(transcoder, source, {.packets = 150, .delay = delay});
    expectContinuous(sent, 160);
    // Only while the buffer learns the jitter may a packet come too late; none goes missing.
    EXPECT_LE(transcoder.jitterStatistics().late, 3U);
    EXPECT_EQ(transcoder.jitterStatistics().lost, transcoder.jitterStatistics().late);
    // Growing the delay inserts frames (concealed): each one is a packet more.
    const auto& jitter = transcoder.jitterStatistics();
    EXPECT_EQ(sent.size(), 150U + jitter.inserted - jitter.dropped);
}

TEST(TranscoderTest, NothingIsSentBeforeTheSourceStartsOrAfterItStops) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Opus, 20, AudioCodec::Pcmu, 20), writer);
    for (auto now = kStart; now < kStart + 500ms; now += 10ms) {
        EXPECT_FALSE(transcoder.next(now).has_value());
    }
    EXPECT_EQ(transcoder.statistics().sent, 0U);
    EXPECT_EQ(transcoder.statistics().skipped, 25U);
}

TEST(TranscoderTest, TheSourcesSsrcChangeLeavesTheOutgoingStreamContinuous) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Opus, 20, AudioCodec::Pcmu, 20), writer);
    Source source(AudioCodec::Opus, 20, 111);
    const auto sent =
        run(transcoder, source, {.packets = 100, .ssrcOf = [](int i) { return i < 50 ? 0x1234U : 0x9999U; }});
    EXPECT_EQ(transcoder.jitterStatistics().resyncs, 1U);
    // The new stream refills the buffer: one marked silence, then the same outgoing stream.
    expectContinuous(sent, 160, 1);
}

TEST(TranscoderTest, OtherPayloadTypesAreNotDecoded) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Opus, 20, AudioCodec::Pcmu, 20), writer);
    Source telephoneEvent(AudioCodec::Pcmu, 20, 101);
    const auto bytes = telephoneEvent.packet(0);
    EXPECT_FALSE(transcoder.push(rtp::RtpPacket(bytes), std::span(bytes).subspan(12), kStart));
    EXPECT_EQ(transcoder.statistics().otherPayload, 1U);
    EXPECT_EQ(transcoder.jitterStatistics().received, 0U);
}

TEST(TranscoderTest, TranscodingAllocatesNothingPerPacket) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Pcmu, 20, AudioCodec::Opus, 20), writer);
    Source source(AudioCodec::Pcmu, 20, 0);
    std::vector<std::vector<std::uint8_t>> packets;
    for (int i = 0; i < 200; ++i) {
        packets.push_back(source.packet(i));
    }
    std::size_t sent = 0;
    rtcgate::testing::AllocationScope scope;
    for (int i = 0; i < 200; ++i) {
        const auto now = kStart + i * 20ms;
        transcoder.push(rtp::RtpPacket(packets[i]), std::span(packets[i]).subspan(12), now);
        while (transcoder.next(now)) {
            ++sent;
        }
    }
    EXPECT_EQ(scope.count(), 0U);
    EXPECT_GT(sent, 190U);
}

} // namespace
} // namespace rtcgate::media

namespace rtcgate::media {
namespace {

TEST(TranscoderTest, HeldSendsNothingAndTheStreamResumesMarkedWithTheTimeThatPassed) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Pcmu, 20, AudioCodec::Pcma, 20), writer);
    Source source(AudioCodec::Pcmu, 20, 0);
    std::vector<Sent> sent;
    const auto tick = [&](Clock::time_point now, int index) {
        const auto bytes = source.packet(index);
        transcoder.push(rtp::RtpPacket(bytes), std::span(bytes).subspan(12), now);
        while (auto packet = transcoder.next(now)) {
            sent.push_back(
                {{packet->buffer.begin(), packet->buffer.begin() + static_cast<std::ptrdiff_t>(packet->length)}, now});
        }
    };
    int index = 0;
    auto now = kStart;
    for (; index < 50; ++index, now += 20ms) {
        tick(now, index);
    }
    const std::size_t beforeHold = sent.size();
    transcoder.setHeld(true);
    for (int i = 0; i < 50; ++i, now += 20ms) { // 1 s on hold: the party's packets are not pushed
        while (transcoder.next(now)) {
            ADD_FAILURE() << "sent while held";
        }
    }
    transcoder.setHeld(false);
    for (; index < 150; ++index, now += 20ms) {
        tick(now, index);
    }
    ASSERT_GT(beforeHold, 40U);
    ASSERT_GT(sent.size(), beforeHold + 90);
    const auto last = sent[beforeHold - 1].view();
    const auto resumed = sent[beforeHold].view();
    EXPECT_TRUE(resumed.marker());
    EXPECT_EQ(static_cast<std::uint16_t>(last.sequenceNumber() + 1), resumed.sequenceNumber());
    EXPECT_GE(resumed.timestamp() - last.timestamp(), 50U * 160U); // at least the second on hold
    EXPECT_EQ(transcoder.jitterStatistics().lost, 0U);             // a hold is not loss
}

// A party that stops sending for 5 s (a pause before DTMF, a one-way announcement): rtcgated stops sending the
// transcoded stream once its buffer has played out, instead of inventing audio for 5 s, and resumes with the
// marker bit and its timestamps advanced by the time that passed (RFC 3550 section 5.1).
TEST(TranscoderTest, ASourceThatStopsIsFollowedAndItsReturnIsMarked) {
    rtp::RtpStreamWriter writer;
    Transcoder transcoder(config(AudioCodec::Pcmu, 20, AudioCodec::Pcma, 20), writer);
    Source source(AudioCodec::Pcmu, 20, 0);
    std::vector<Sent> sent;
    const auto lastBefore = kStart + 49 * 20ms;
    const auto firstAfter = lastBefore + 5s;
    for (auto now = kStart; now < firstAfter + 1s; now += 10ms) {
        const auto offset = now < firstAfter ? now - kStart : now - firstAfter + 50 * 20ms;
        if (offset % 20ms == 0ms && (now <= lastBefore || now >= firstAfter)) {
            // Its timestamps run on with the time that passed; its sequence numbers do not (nothing was lost).
            const int index = static_cast<int>(offset / 20ms);
            auto bytes = source.packet(index);
            if (now >= firstAfter) {
                const std::uint32_t timestamp = 5000 + static_cast<std::uint32_t>((now - kStart) / 20ms) * 160;
                bytes[4] = static_cast<std::uint8_t>(timestamp >> 24U);
                bytes[5] = static_cast<std::uint8_t>(timestamp >> 16U);
                bytes[6] = static_cast<std::uint8_t>(timestamp >> 8U);
                bytes[7] = static_cast<std::uint8_t>(timestamp);
            }
            transcoder.push(rtp::RtpPacket(bytes), std::span(bytes).subspan(12), now);
        }
        while (auto packet = transcoder.next(now)) {
            sent.push_back(
                {{packet->buffer.begin(), packet->buffer.begin() + static_cast<std::ptrdiff_t>(packet->length)}, now});
        }
    }
    const auto resumed = std::find_if(sent.begin(), sent.end(), [&](const Sent& p) { return p.at >= firstAfter; });
    ASSERT_NE(resumed, sent.end());
    ASSERT_NE(resumed, sent.begin());
    const auto& last = *(resumed - 1);
    const auto& jitter = transcoder.jitterStatistics();
    // Stopped within the buffer's delay and two frames of the last packet's arrival, or the pause's floor.
    EXPECT_LE(last.at - lastBefore, std::max<std::chrono::nanoseconds>(jitter.targetDelay + 60ms, 100ms + 20ms));
    EXPECT_LE(transcoder.statistics().concealed, 5U);
    EXPECT_TRUE(resumed->view().marker());
    EXPECT_EQ(static_cast<std::uint16_t>(last.view().sequenceNumber() + 1), resumed->view().sequenceNumber());
    const std::uint32_t step = resumed->view().timestamp() - last.view().timestamp();
    EXPECT_EQ(step % 160, 0U);
    EXPECT_NEAR(static_cast<double>(step) / 8000, std::chrono::duration<double>(resumed->at - last.at).count(), 0.03);
    EXPECT_EQ(jitter.lost, jitter.concealed); // the pause is not loss
    EXPECT_EQ(jitter.silent, 0U);
}

} // namespace
} // namespace rtcgate::media
