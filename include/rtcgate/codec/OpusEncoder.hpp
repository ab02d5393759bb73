// An Opus encoder (RFC 6716) fed 8 kHz mono from the G.711 side (or another rate, see sampleRate), tuned for speech
// towards a browser over a lossy network: VoIP application, in-band FEC on, loss expectation settable.
#pragma once

#include "rtcgate/codec/AudioEncoder.hpp"
#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/CodecResult.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct OpusEncoder; // libopus's encoder state

namespace rtcgate::codec {

// A buffer of this size holds any packet encode() produces from one frame: a TOC byte and
// one frame of at most 1275 bytes (RFC 6716 section 3.2.1).
constexpr std::size_t kOpusMaxPacketBytes = 1276;

struct OpusEncoderConfig {
    // 0..10; 5 by measurement (benchmarks/CodecBenchmark.cpp and a tone/FEC sweep, libopus
    // 1.3.1, 24 kbit/s, FEC on). Encoder cost per 20 ms frame relative to complexity 0:
    // 1 x1.2, 2 x2.5, 3 x2.8, 4-5 x3.5, 6-7 x4.3, 8-10 x6.2. 0 and 1 send no usable in-band FEC
    // below ~10 % expected loss (a lost frame recovered from it is no better than PLC); 2 and
    // 3 lose 2-8 dB of tone SNR against 4-5; 4 and 5 are the same SILK setting; 6 and up cost
    // 25-90 % more for at most 2 dB. The in-band FEC itself adds 35-50 % to the encoder's
    // cost: SILK quantizes each frame a second time for its LBRR copy.
    int complexity = 5;
    // 24 kbit/s: an 8 kHz input makes Opus narrowband SILK. At 5 % expected loss libopus
    // 1.3.1 sends no usable FEC at 12 or 16 kbit/s and does from 20 kbit/s (it codes the LBRR
    // copy only when the bitrate leaves room for it); 24 keeps a margin above that, and is
    // still below the 32 kbit/s browsers send by default.
    int bitrateBitsPerSecond = 24000;
    // Expected packet loss, 0..100, as the peer's RTCP reports it: it sets how strongly
    // the FEC copy is coded. 0 turns the FEC copy off in libopus, so start above 0.
    int expectedLossPercent = 5;
    // What encode() is fed: rtcgated's 8 kHz; 48 kHz where a test or the load tool plays a
    // browser (RFC 6716 section 2: 8, 12, 16, 24 or 48 kHz).
    int sampleRate = static_cast<int>(kSampleRate);

    bool operator==(const OpusEncoderConfig&) const = default;
};

class OpusEncoder final : public AudioEncoder {
public:
    // Throws std::runtime_error if libopus refuses the encoder or the configuration. Its
    // state is allocated here once; no call below allocates.
    explicit OpusEncoder(const OpusEncoderConfig& config = {});

    // Encodes one frame (160 samples for 20 ms; any Opus frame duration from 2.5 to 60 ms
    // is accepted) into `output` and returns the packet's size. Never throws.
    CodecResult encode(std::span<const std::int16_t> input, std::span<std::uint8_t> output) noexcept override;

    // Never throw: out-of-range values are BadArgument and leave the encoder unchanged.
    CodecStatus setExpectedLoss(int percent) noexcept override;
    CodecStatus setComplexity(int complexity) noexcept override;
    CodecStatus setBitrate(int bitsPerSecond) noexcept;

private:
    struct Destroy {
        void operator()(::OpusEncoder* encoder) const;
    };
    std::unique_ptr<::OpusEncoder, Destroy> encoder_;
};

} // namespace rtcgate::codec
