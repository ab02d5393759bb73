#include "AllocationCounter.hpp"
#include "Tone.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/G711.hpp"
#include "rtcgate/codec/OpusDecoder.hpp"
#include "rtcgate/codec/OpusEncoder.hpp"

#include <gtest/gtest.h>

#include <malloc.h>

#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace {

using namespace rtcgate::codec;
// libopus declares ::OpusDecoder and ::OpusEncoder: name ours over the using-directive.
using rtcgate::codec::OpusDecoder;
using rtcgate::codec::OpusEncoder;
using rtcgate::codec::test::dominantFrequency;
using rtcgate::codec::test::makeTone;
using rtcgate::codec::test::meanPower;
using rtcgate::codec::test::snrDb;
using rtcgate::codec::test::toneSnrDb;

using Packet = std::vector<std::uint8_t>;
using Frame = std::array<std::int16_t, kFrameSamples>;

// The first frames carry the codecs' start-up (encoder lookahead, decoder delay): skipped
// before measuring.
constexpr std::size_t kWarmUpFrames = 3;
constexpr std::size_t kFrames = 50; // 1 s
constexpr double kToneFrequency = 1000;
constexpr double kToneAmplitude = 8000; // about -12 dBFS

// Measured on libopus 1.3.1 at the default configuration: 29 dB through Opus alone and 25 dB
// through Opus -> PCMU -> Opus (complexity 2, the lowest that still sends FEC, gives 19.5 and
// 18). A broken decode (wrong rate, wrong frame, noise) falls far below.
constexpr double kOpusToneSnrDb = 20;
constexpr double kTranscodedToneSnrDb = 17;

std::vector<Packet> encodeFrames(OpusEncoder& encoder, std::span<const std::int16_t> signal) {
    std::vector<Packet> packets;
    for (std::size_t offset = 0; offset + kFrameSamples <= signal.size(); offset += kFrameSamples) {
        Packet packet(kOpusMaxPacketBytes);
        const CodecResult result = encoder.encode(signal.subspan(offset, kFrameSamples), packet);
        EXPECT_TRUE(result.ok()) << toString(result.status);
        packet.resize(result.count);
        packets.push_back(std::move(packet));
    }
    return packets;
}

std::vector<std::int16_t> decodeAll(OpusDecoder& decoder, const std::vector<Packet>& packets) {
    std::vector<std::int16_t> decoded;
    std::array<std::int16_t, kOpusMaxPacketSamples> frame{};
    for (const Packet& packet : packets) {
        const CodecResult result = decoder.decode(packet, frame);
        EXPECT_TRUE(result.ok()) << toString(result.status);
        EXPECT_EQ(result.count, kFrameSamples);
        decoded.insert(decoded.end(), frame.begin(), frame.begin() + result.count);
    }
    return decoded;
}

std::span<const std::int16_t> afterWarmUp(const std::vector<std::int16_t>& signal) {
    return std::span<const std::int16_t>(signal).subspan(kWarmUpFrames * kFrameSamples);
}

TEST(OpusFormatTest, RtpClockIs48kHzWhateverTheDecodeRate) {
    EXPECT_EQ(kFrameSamples, 160u);
    EXPECT_EQ(samplesForMilliseconds(20), kFrameSamples);
    EXPECT_EQ(opusRtpTicks(kFrameSamples), 960u);
    EXPECT_EQ(samplesForOpusRtpTicks(960), kFrameSamples);
}

TEST(OpusCodecTest, EncodesOneFrameIntoOnePacketOf20Ms) {
    OpusEncoder encoder;
    const std::vector<std::int16_t> tone = makeTone(kToneFrequency, kToneAmplitude, kFrameSamples);
    Packet packet(kOpusMaxPacketBytes);
    const CodecResult result = encoder.encode(tone, packet);
    ASSERT_TRUE(result.ok());
    ASSERT_GT(result.count, 0u);
    // 24 kbit/s over 20 ms is 60 bytes; the encoder's rate control stays near it.
    EXPECT_LT(result.count, 120u);
    const CodecResult samples = OpusDecoder::packetSamples(std::span(packet).first(result.count));
    ASSERT_TRUE(samples.ok());
    EXPECT_EQ(samples.count, kFrameSamples);
}

TEST(OpusCodecTest, ToneKeepsItsFrequencyAboveAnSnrThreshold) {
    OpusEncoder encoder;
    OpusDecoder decoder;
    const std::vector<std::int16_t> tone = makeTone(kToneFrequency, kToneAmplitude, kFrames * kFrameSamples);
    const std::vector<std::int16_t> decoded = decodeAll(decoder, encodeFrames(encoder, tone));
    ASSERT_EQ(decoded.size(), tone.size());
    const auto measured = afterWarmUp(decoded);
    EXPECT_EQ(dominantFrequency(measured), kToneFrequency);
    EXPECT_GT(toneSnrDb(measured, kToneFrequency), kOpusToneSnrDb);
}

// The codec test: the two transcoding directions back to back, as a tone from the
// browser reaches the carrier and comes back.
TEST(OpusCodecTest, ToneThroughOpusThenPcmuThenOpusKeepsItsFrequencyAboveAnSnrThreshold) {
    OpusEncoder browserEncoder;
    OpusDecoder gatewayDecoder;
    const G711 pcmu(G711Law::MuLaw);
    OpusEncoder gatewayEncoder;
    OpusDecoder browserDecoder;

    const std::vector<std::int16_t> tone = makeTone(kToneFrequency, kToneAmplitude, kFrames * kFrameSamples);
    const std::vector<std::int16_t> towardsCarrier = decodeAll(gatewayDecoder, encodeFrames(browserEncoder, tone));
    std::vector<std::uint8_t> carrierPayload(towardsCarrier.size());
    ASSERT_EQ(pcmu.encode(towardsCarrier, carrierPayload), towardsCarrier.size());
    std::vector<std::int16_t> fromCarrier(carrierPayload.size());
    ASSERT_EQ(pcmu.decode(carrierPayload, fromCarrier), carrierPayload.size());
    const std::vector<std::int16_t> received = decodeAll(browserDecoder, encodeFrames(gatewayEncoder, fromCarrier));

    ASSERT_EQ(received.size(), tone.size());
    // Two codec delays: skip twice the warm-up.
    const auto measured = std::span<const std::int16_t>(received).subspan(2 * kWarmUpFrames * kFrameSamples);
    EXPECT_EQ(dominantFrequency(measured), kToneFrequency);
    EXPECT_GT(toneSnrDb(measured, kToneFrequency), kTranscodedToneSnrDb);
}

// A tone that jumps from 500 Hz to 1200 Hz at the start of the lost packet: concealment can
// only extrapolate the 500 Hz it heard, the next packet's FEC copy carries the 1200 Hz.
TEST(OpusCodecTest, FecFromTheNextPacketRecoversALostPacketBetterThanConcealment) {
    constexpr std::size_t kLost = 20;
    std::vector<std::int16_t> signal = makeTone(500, kToneAmplitude, kLost * kFrameSamples);
    const std::vector<std::int16_t> after =
        makeTone(1200, kToneAmplitude, (kFrames - kLost) * kFrameSamples, kLost * kFrameSamples);
    signal.insert(signal.end(), after.begin(), after.end());

    OpusEncoder encoder; // the default configuration, 5 % expected loss, must send FEC
    const std::vector<Packet> packets = encodeFrames(encoder, signal);

    // The reference: what the decoder gives for the lost packet when it is not lost.
    OpusDecoder reference;
    const std::vector<std::int16_t> lossless = decodeAll(reference, packets);
    const auto expected = std::span<const std::int16_t>(lossless).subspan(kLost * kFrameSamples, kFrameSamples);

    OpusDecoder withFec;
    OpusDecoder withConcealment;
    Frame frame{};
    for (std::size_t index = 0; index < kLost; ++index) {
        ASSERT_TRUE(withFec.decode(packets[index], frame).ok());
        ASSERT_TRUE(withConcealment.decode(packets[index], frame).ok());
    }
    Frame recovered{};
    const CodecResult fec = withFec.decodeFec(packets[kLost + 1], recovered);
    ASSERT_TRUE(fec.ok()) << toString(fec.status);
    EXPECT_EQ(fec.count, kFrameSamples);
    Frame concealed{};
    const CodecResult plc = withConcealment.conceal(concealed);
    ASSERT_TRUE(plc.ok()) << toString(plc.status);
    EXPECT_EQ(plc.count, kFrameSamples);

    const double fecSnr = snrDb(expected, recovered);
    const double plcSnr = snrDb(expected, concealed);
    // Measured: about 11 dB from FEC, about 0 dB from concealment.
    EXPECT_GT(fecSnr, plcSnr + 6.0);

    // The next packet then decodes normally.
    const CodecResult next = withFec.decode(packets[kLost + 1], frame);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next.count, kFrameSamples);
}

TEST(OpusCodecTest, ConcealmentAfterVoicedFramesIsNotSilence) {
    OpusEncoder encoder;
    OpusDecoder decoder;
    const std::vector<std::int16_t> tone = makeTone(kToneFrequency, kToneAmplitude, 10 * kFrameSamples);
    decodeAll(decoder, encodeFrames(encoder, tone));

    Frame concealed{};
    const CodecResult result = decoder.conceal(concealed);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.count, kFrameSamples);
    // The first concealed frame keeps most of the tone's energy (A^2 / 2); silence would be 0.
    EXPECT_GT(meanPower(concealed), kToneAmplitude * kToneAmplitude / 2 / 10);
}

TEST(OpusCodecTest, InvalidPacketsAreAnErrorStatus) {
    OpusDecoder decoder;
    Frame frame{};
    // Code 3 (several frames) without its frame count byte (RFC 6716 section 3.2.5).
    const std::array<std::uint8_t, 1> truncatedCode3{0x03};
    EXPECT_EQ(decoder.decode(truncatedCode3, frame).status, CodecStatus::InvalidPacket);
    // Code 3 announcing zero frames (RFC 6716 section 3.4, rule R5).
    const std::array<std::uint8_t, 2> zeroFrames{0x03, 0x00};
    EXPECT_EQ(decoder.decode(zeroFrames, frame).status, CodecStatus::InvalidPacket);
    // Code 0 with a frame over 1275 bytes (section 3.4, rule R2).
    const std::vector<std::uint8_t> oversized(1300, 0x00);
    EXPECT_EQ(decoder.decode(oversized, frame).status, CodecStatus::InvalidPacket);
    // Code 2 whose first frame's length runs past the packet (rule R4).
    const std::array<std::uint8_t, 3> overlong{0x02, 200, 0x00};
    EXPECT_EQ(decoder.decode(overlong, frame).status, CodecStatus::InvalidPacket);
    EXPECT_EQ(decoder.decode({}, frame).status, CodecStatus::InvalidPacket);
    EXPECT_EQ(decoder.decodeFec({}, frame).status, CodecStatus::InvalidPacket);
    EXPECT_EQ(OpusDecoder::packetSamples(truncatedCode3).status, CodecStatus::InvalidPacket);
    EXPECT_EQ(decoder.decode(truncatedCode3, frame).count, 0u);
}

TEST(OpusCodecTest, TooSmallBuffersAndBadArgumentsAreAnErrorStatus) {
    OpusEncoder encoder;
    OpusDecoder decoder;
    const std::vector<std::int16_t> tone = makeTone(kToneFrequency, kToneAmplitude, kFrameSamples);
    Packet packet(kOpusMaxPacketBytes);
    const CodecResult encoded = encoder.encode(tone, packet);
    ASSERT_TRUE(encoded.ok());
    packet.resize(encoded.count);

    std::array<std::int16_t, kFrameSamples / 2> halfFrame{};
    EXPECT_EQ(decoder.decode(packet, halfFrame).status, CodecStatus::BufferTooSmall);
    // 7 samples is no Opus frame duration (2.5 ms steps: multiples of 20 samples).
    EXPECT_EQ(encoder.encode(std::span(tone).first(7), packet).status, CodecStatus::BadArgument);
    std::array<std::int16_t, 7> oddFrame{};
    EXPECT_EQ(decoder.conceal(oddFrame).status, CodecStatus::BadArgument);

    EXPECT_EQ(encoder.setExpectedLoss(-1), CodecStatus::BadArgument);
    EXPECT_EQ(encoder.setExpectedLoss(101), CodecStatus::BadArgument);
    EXPECT_EQ(encoder.setExpectedLoss(20), CodecStatus::Ok);
    EXPECT_EQ(encoder.setComplexity(11), CodecStatus::BadArgument);
    EXPECT_EQ(encoder.setBitrate(1000), CodecStatus::BadArgument);
}

// AllocationScope counts operator new; libopus allocates with plain malloc, so the net heap
// use (mallinfo2) must not move either: opus_*_create runs once, in the constructors.
TEST(OpusCodecTest, EncodingAndDecodingAllocateNothingPerFrame) {
    OpusEncoder encoder;
    OpusDecoder decoder;
    const G711 pcmu(G711Law::MuLaw);
    const std::vector<std::int16_t> tone = makeTone(kToneFrequency, kToneAmplitude, kFrames * kFrameSamples);
    std::vector<Packet> packets(kFrames, Packet(kOpusMaxPacketBytes));
    std::array<std::uint8_t, kFrameSamples> g711{};
    Frame frame{};

    const std::size_t heapBefore = mallinfo2().uordblks;
    rtcgate::testing::AllocationScope scope;
    for (std::size_t index = 0; index < kFrames; ++index) {
        const auto input = std::span(tone).subspan(index * kFrameSamples, kFrameSamples);
        const CodecResult encoded = encoder.encode(input, packets[index]);
        ASSERT_TRUE(encoded.ok());
        const auto packet = std::span<const std::uint8_t>(packets[index]).first(encoded.count);
        if (index % 10 == 5) {
            ASSERT_TRUE(decoder.conceal(frame).ok());
            ASSERT_TRUE(decoder.decodeFec(packet, frame).ok());
        }
        ASSERT_TRUE(decoder.decode(packet, frame).ok());
        pcmu.encode(frame, g711);
        pcmu.decode(g711, frame);
    }
    EXPECT_EQ(scope.count(), 0u);
    EXPECT_EQ(mallinfo2().uordblks, heapBefore);
}

} // namespace
