#include "rtcgate/rtp/SendStatistics.hpp"

#include "rtcgate/rtp/NtpTime.hpp"

namespace rtcgate::rtp {

void SendStatistics::onPacket(std::uint32_t rtpTimestamp, std::size_t payloadOctets,
                              std::chrono::steady_clock::time_point sentAt) {
    ++packets_;
    octets_ += payloadOctets;
    lastRtpTimestamp_ = rtpTimestamp;
    lastSentAt_ = sentAt;
}

SenderInfo SendStatistics::senderInfo(std::chrono::system_clock::time_point now,
                                      std::chrono::steady_clock::time_point steadyNow, std::uint32_t clockRate) const {
    std::int64_t elapsedUnits = 0;
    if (hasSent()) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(steadyNow - lastSentAt_).count();
        elapsedUnits = elapsed * clockRate / 1'000'000;
    }
    // The packet and octet counts wrap modulo 2^32 on the wire (RFC 3550 section 6.4.1).
    return SenderInfo{.ntpTimestamp = toNtp(now),
                      .rtpTimestamp = lastRtpTimestamp_ + static_cast<std::uint32_t>(elapsedUnits),
                      .packetCount = static_cast<std::uint32_t>(packets_),
                      .octetCount = static_cast<std::uint32_t>(octets_)};
}

} // namespace rtcgate::rtp
