// An Opus decoder (RFC 6716) that decodes straight to 8 kHz mono for the G.711 side, and
// recovers lost packets with the next packet's in-band FEC or with packet loss concealment.
#pragma once

#include "rtcgate/codec/AudioDecoder.hpp"
#include "rtcgate/codec/CodecResult.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct OpusDecoder; // libopus's decoder state

namespace rtcgate::codec {

// The longest Opus packet lasts 120 ms: 960 samples at 8 kHz.
constexpr std::size_t kOpusMaxPacketSamples = 960;

class OpusDecoder final : public AudioDecoder {
public:
    // Throws std::runtime_error if libopus cannot create the decoder. Its state is allocated
    // here once; no call below allocates.
    OpusDecoder();

    // decode, decodeFec and conceal never throw: a bad packet or buffer is a status.
    // Decodes one packet into `output` (room for up to kOpusMaxPacketSamples is always
    // enough) and returns the samples written. An empty payload is InvalidPacket: a lost
    // packet goes to decodeFec or conceal.
    CodecResult decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> output) noexcept override;

    // Recovers a lost packet from the in-band FEC (SILK LBRR) carried by the packet after it,
    // `nextPayload`: fills all of `output`, whose size is the lost packet's duration (a
    // multiple of 20 samples, 2.5 ms; for a lost 20 ms packet, 160). `nextPayload` must then be
    // decoded normally with decode(). Where it carries no FEC, libopus conceals instead.
    CodecResult decodeFec(std::span<const std::uint8_t> nextPayload, std::span<std::int16_t> output) noexcept override;

    // Packet loss concealment: fills all of `output` (a multiple of 20 samples) with audio
    // extrapolated from what was decoded before.
    CodecResult conceal(std::span<std::int16_t> output) noexcept override;

    // Forgets the stream, e.g. when the sender's SSRC changes.
    void reset() noexcept override;
    CodecResult samplesOf(std::span<const std::uint8_t> payload) const noexcept override {
        return packetSamples(payload);
    }

    // The 8 kHz sample count of `payload` (its duration), or InvalidPacket.
    static CodecResult packetSamples(std::span<const std::uint8_t> payload) noexcept;

private:
    struct Destroy {
        void operator()(::OpusDecoder* decoder) const;
    };
    std::unique_ptr<::OpusDecoder, Destroy> decoder_;
};

} // namespace rtcgate::codec
