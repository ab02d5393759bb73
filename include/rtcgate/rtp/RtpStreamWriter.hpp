// The RTP stream rtcgate itself sends toward one party when it transcodes: its own SSRC, and
// sequence numbers and timestamps that run on across re-offers, hold and the other party's SSRC
// changes (RFC 3550 section 5.1: random initial values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::rtp {

class RtpStreamWriter {
public:
    static constexpr std::size_t kHeaderSize = 12;

    RtpStreamWriter();

    // Writes the fixed header of the next packet (the current timestamp) into `out` and moves the
    // sequence number on. Returns kHeaderSize, or 0 when `out` is too small.
    std::size_t writeHeader(std::span<std::uint8_t> out, std::uint8_t payloadType, bool marker) {
        return writeHeader(out, payloadType, marker, timestamp_);
    }
    // The same with another timestamp: a telephone-event keeps its start's (RFC 4733 section 2.3.1).
    std::size_t writeHeader(std::span<std::uint8_t> out, std::uint8_t payloadType, bool marker,
                            std::uint32_t timestamp);
    // Moves the timestamp on by the duration of what was sent or skipped, in clock ticks.
    void advance(std::uint32_t ticks) { timestamp_ += ticks; }

    std::uint32_t ssrc() const { return ssrc_; }
    std::uint16_t sequence() const { return sequence_; }
    std::uint32_t timestamp() const { return timestamp_; }

private:
    std::uint32_t ssrc_;
    std::uint16_t sequence_;
    std::uint32_t timestamp_;
};

} // namespace rtcgate::rtp
