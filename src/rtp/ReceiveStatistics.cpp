#include "rtcgate/rtp/ReceiveStatistics.hpp"

#include "rtcgate/rtp/NtpTime.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace rtcgate::rtp {

namespace {
// RFC 3550 appendix A.1.
constexpr std::uint32_t kMaxDropout = 3000;
constexpr std::uint32_t kMaxMisorder = 100;
constexpr std::uint32_t kMinSequential = 2;
constexpr std::uint32_t kSequenceModulo = 1U << 16U;
constexpr std::int64_t kMaxCumulativeLost = 0x7FFFFF;
constexpr std::int64_t kMinCumulativeLost = -0x800000;
} // namespace

bool ReceiveStatistics::onPacket(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t rtpTimestamp,
                                 SteadyTime arrival) {
    if (!haveSsrc_ || ssrc != ssrc_) {
        const std::uint32_t clockRate = clockRate_;
        *this = ReceiveStatistics(clockRate);
        haveSsrc_ = true;
        ssrc_ = ssrc;
        arrivalBase_ = arrival;
        startSequence(sequence);
        maxSequence_ = static_cast<std::uint16_t>(sequence - 1);
        probation_ = kMinSequential;
    }
    if (!updateSequence(sequence)) {
        return false;
    }
    validated_ = true;
    updateJitter(rtpTimestamp, arrival);
    return true;
}

void ReceiveStatistics::startSequence(std::uint16_t sequence) {
    baseSequence_ = sequence;
    maxSequence_ = sequence;
    badSequence_ = kSequenceModulo + 1; // so that sequence == badSequence_ is false
    cycles_ = 0;
    received_ = 0;
    receivedPrior_ = 0;
    expectedPrior_ = 0;
    // A restarted sequence is a restarted sender: its timestamps no longer follow the old ones.
    lastTransit_.reset();
}

bool ReceiveStatistics::updateSequence(std::uint16_t sequence) {
    const auto delta = static_cast<std::uint16_t>(sequence - maxSequence_);
    if (probation_ > 0) {
        if (sequence == static_cast<std::uint16_t>(maxSequence_ + 1)) {
            --probation_;
            maxSequence_ = sequence;
            if (probation_ == 0) {
                startSequence(sequence);
                ++received_;
                return true;
            }
        } else {
            probation_ = kMinSequential - 1;
            maxSequence_ = sequence;
        }
        return false;
    }
    if (delta < kMaxDropout) {
        if (sequence < maxSequence_) {
            cycles_ += kSequenceModulo;
        }
        maxSequence_ = sequence;
    } else if (delta <= kSequenceModulo - kMaxMisorder) {
        // A large jump: two sequential packets after it mean the source restarted.
        if (sequence == badSequence_) {
            startSequence(sequence);
        } else {
            badSequence_ = (std::uint32_t{sequence} + 1) & (kSequenceModulo - 1);
            return false;
        }
    }
    // Otherwise a duplicate or a reordered packet: counted, the maximum unchanged.
    ++received_;
    return true;
}

void ReceiveStatistics::updateJitter(std::uint32_t rtpTimestamp, SteadyTime arrival) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(arrival - arrivalBase_).count();
    const auto arrivalUnits = static_cast<std::uint32_t>(elapsed * clockRate_ / 1'000'000);
    const std::uint32_t transit = arrivalUnits - rtpTimestamp;
    if (lastTransit_) {
        const std::int64_t difference = std::abs(std::int64_t{static_cast<std::int32_t>(transit - *lastTransit_)});
        // J += (|D| - J) / 16, with jitterScaled_ = 16 J (RFC 3550 A.8).
        jitterScaled_ = jitterScaled_ + static_cast<std::uint64_t>(difference) - ((jitterScaled_ + 8) >> 4U);
    }
    lastTransit_ = transit;
}

std::uint64_t ReceiveStatistics::expected() const {
    return std::uint64_t{extendedHighestSequence()} - baseSequence_ + 1;
}

std::int64_t ReceiveStatistics::cumulativeLost() const {
    if (!validated_) {
        return 0;
    }
    return static_cast<std::int64_t>(expected()) - static_cast<std::int64_t>(received_);
}

void ReceiveStatistics::onSenderReport(std::uint32_t ntpMiddle32, SteadyTime arrival) {
    lastSenderReport_ = ntpMiddle32;
    lastSenderReportArrival_ = arrival;
}

ReportBlock ReceiveStatistics::reportBlock(SteadyTime now) {
    ReportBlock block;
    block.ssrc = ssrc_;
    if (validated_) {
        // RFC 3550 A.3.
        const std::uint64_t expectedNow = expected();
        const std::uint64_t expectedInterval = expectedNow - expectedPrior_;
        const std::uint64_t receivedInterval = received_ - receivedPrior_;
        expectedPrior_ = expectedNow;
        receivedPrior_ = received_;
        const auto lostInterval =
            static_cast<std::int64_t>(expectedInterval) - static_cast<std::int64_t>(receivedInterval);
        fractionLost_ = 0;
        if (expectedInterval != 0 && lostInterval > 0) {
            const std::uint64_t fraction = (static_cast<std::uint64_t>(lostInterval) << 8U) / expectedInterval;
            fractionLost_ = static_cast<std::uint8_t>(std::min<std::uint64_t>(fraction, 255));
        }
        block.fractionLost = fractionLost_;
        block.cumulativeLost =
            static_cast<std::int32_t>(std::clamp(cumulativeLost(), kMinCumulativeLost, kMaxCumulativeLost));
        block.extendedHighestSequence = extendedHighestSequence();
        block.jitter = jitter();
    }
    if (lastSenderReport_ != 0) {
        block.lastSenderReport = lastSenderReport_;
        block.delaySinceLastSenderReport = toCompactNtp(now - lastSenderReportArrival_);
    }
    return block;
}

std::uint32_t ReceiveStatistics::jitter() const {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(jitterScaled_ >> 4U, UINT32_MAX));
}

double ReceiveStatistics::jitterMs() const {
    return clockRate_ == 0 ? 0.0 : static_cast<double>(jitter()) * 1000.0 / clockRate_;
}

} // namespace rtcgate::rtp
