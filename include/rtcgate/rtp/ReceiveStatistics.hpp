// What one leg received from its party's RTP source, and the report block that says so
// (RFC 3550 section 6.4.1 and appendices A.1, A.3, A.8).
#pragma once

#include "rtcgate/rtp/RtcpPacket.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace rtcgate::rtp {

class ReceiveStatistics {
public:
    using SteadyTime = std::chrono::steady_clock::time_point;

    explicit ReceiveStatistics(std::uint32_t clockRate) : clockRate_(clockRate) {}

    // One RTP packet as it arrived. A new SSRC restarts everything. A source counts once two
    // packets in sequence arrived (RFC 3550 A.1 probation); packets before that, and those
    // rejected as a jump in sequence, return false and are not counted.
    bool onPacket(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t rtpTimestamp, SteadyTime arrival);
    // The source's SR: its NTP timestamp's middle 32 bits, for LSR and DLSR.
    void onSenderReport(std::uint32_t ntpMiddle32, SteadyTime arrival);

    // Whether a validated source exists, i.e. whether a report block has anything to say.
    bool hasSource() const { return validated_; }
    // The block for the next SR/RR; starts a new interval for fraction lost.
    ReportBlock reportBlock(SteadyTime now);

    std::uint32_t ssrc() const { return ssrc_; }
    std::uint64_t packetsReceived() const { return received_; }
    // Expected minus received, negative with duplicates (RFC 3550 A.3); not clamped.
    std::int64_t cumulativeLost() const;
    std::uint32_t extendedHighestSequence() const { return cycles_ + maxSequence_; }
    // Of the interval that the last reportBlock() closed, in 1/256.
    std::uint8_t fractionLost() const { return fractionLost_; }
    // Interarrival jitter in RTP timestamp units and in milliseconds.
    std::uint32_t jitter() const;
    double jitterMs() const;

private:
    void startSequence(std::uint16_t sequence);
    bool updateSequence(std::uint16_t sequence);
    void updateJitter(std::uint32_t rtpTimestamp, SteadyTime arrival);
    std::uint64_t expected() const;

    std::uint32_t clockRate_;
    std::uint32_t ssrc_ = 0;
    bool haveSsrc_ = false;
    bool validated_ = false;

    // RFC 3550 A.1 source state.
    std::uint16_t maxSequence_ = 0;
    std::uint32_t cycles_ = 0; // shifted count of sequence number cycles
    std::uint32_t baseSequence_ = 0;
    std::uint32_t badSequence_ = 0;
    std::uint32_t probation_ = 0;
    std::uint64_t received_ = 0;
    std::uint64_t expectedPrior_ = 0;
    std::uint64_t receivedPrior_ = 0;
    std::uint8_t fractionLost_ = 0;

    // RFC 3550 A.8: jitter times 16, so the 1/16 gain stays in integers.
    SteadyTime arrivalBase_{};
    std::optional<std::uint32_t> lastTransit_;
    std::uint64_t jitterScaled_ = 0; // 64 bits: 16 |D| of a 2^31 transit jump still fits

    std::uint32_t lastSenderReport_ = 0;
    SteadyTime lastSenderReportArrival_{};
};

} // namespace rtcgate::rtp
