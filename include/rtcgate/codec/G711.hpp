// G.711 (ITU-T G.711) mu-law (PCMU, RTP payload type 0) and A-law (PCMA, 8) conversion of
// 16-bit linear PCM, one byte per sample, on spandsp's conversion routines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::codec {

enum class G711Law {
    MuLaw, // PCMU
    ALaw,  // PCMA
};

class G711 {
public:
    explicit G711(G711Law law) : law_(law) {}

    G711Law law() const { return law_; }

    // The byte that encodes linear 0 (0xFF for mu-law, 0xD5 for A-law): what fills a silent frame.
    std::uint8_t silenceByte() const;

    // Converts min(input.size(), output.size()) samples and returns how many. Never allocates.
    std::size_t encode(std::span<const std::int16_t> input, std::span<std::uint8_t> output) const;
    std::size_t decode(std::span<const std::uint8_t> input, std::span<std::int16_t> output) const;

private:
    G711Law law_;
};

} // namespace rtcgate::codec
