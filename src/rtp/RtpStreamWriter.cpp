#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <random>

namespace rtcgate::rtp {

namespace {
std::uint32_t randomWord() {
    static thread_local std::mt19937 generator{std::random_device{}()};
    return static_cast<std::uint32_t>(generator());
}
} // namespace

RtpStreamWriter::RtpStreamWriter()
    : ssrc_(randomWord()), sequence_(static_cast<std::uint16_t>(randomWord())), timestamp_(randomWord()) {}

std::size_t RtpStreamWriter::writeHeader(std::span<std::uint8_t> out, std::uint8_t payloadType, bool marker,
                                         std::uint32_t timestamp) {
    if (out.size() < kHeaderSize) {
        return 0;
    }
    out[0] = 0x80; // version 2, no padding, no extension, no CSRC
    out[1] = static_cast<std::uint8_t>((marker ? 0x80U : 0U) | (payloadType & 0x7FU));
    out[2] = static_cast<std::uint8_t>(sequence_ >> 8U);
    out[3] = static_cast<std::uint8_t>(sequence_);
    for (std::size_t i = 0; i < 4; ++i) {
        const unsigned shift = 24U - 8U * static_cast<unsigned>(i);
        out[4 + i] = static_cast<std::uint8_t>(timestamp >> shift);
        out[8 + i] = static_cast<std::uint8_t>(ssrc_ >> shift);
    }
    ++sequence_;
    return kHeaderSize;
}

} // namespace rtcgate::rtp
