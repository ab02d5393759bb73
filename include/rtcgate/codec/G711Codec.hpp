// G.711 as an AudioDecoder and AudioEncoder: spandsp's conversion, and spandsp's packet loss
// concealment (pitch-period repetition with fade-out) for lost packets, as G.711 has no FEC.
#pragma once

#include "rtcgate/codec/AudioDecoder.hpp"
#include "rtcgate/codec/AudioEncoder.hpp"
#include "rtcgate/codec/G711.hpp"

#include <memory>

namespace rtcgate::codec {

class G711Decoder final : public AudioDecoder {
public:
    explicit G711Decoder(G711Law law);

    CodecResult decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> output) noexcept override;
    CodecResult decodeFec(std::span<const std::uint8_t> nextPayload, std::span<std::int16_t> output) noexcept override;
    CodecResult conceal(std::span<std::int16_t> output) noexcept override;
    void reset() noexcept override;
    CodecResult samplesOf(std::span<const std::uint8_t> payload) const noexcept override;

private:
    struct Concealer; // spandsp's plc_state_t, an unnamed struct that cannot be declared here
    struct Free {
        void operator()(Concealer* concealer) const;
    };
    G711 g711_;
    std::unique_ptr<Concealer, Free> concealer_;
};

class G711Encoder final : public AudioEncoder {
public:
    explicit G711Encoder(G711Law law) : g711_(law) {}

    CodecResult encode(std::span<const std::int16_t> input, std::span<std::uint8_t> output) noexcept override;
    CodecStatus setExpectedLoss(int /*percent*/) noexcept override { return CodecStatus::Ok; }
    CodecStatus setComplexity(int /*complexity*/) noexcept override { return CodecStatus::Ok; }

private:
    G711 g711_;
};

} // namespace rtcgate::codec
