// What one leg sent on its own RTP stream, for the sender info of its SRs (RFC 3550 section 6.4.1).
#pragma once

#include "rtcgate/rtp/RtcpPacket.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace rtcgate::rtp {

class SendStatistics {
public:
    // One RTP packet sent: its timestamp, its payload size (no header, no padding) and when.
    void onPacket(std::uint32_t rtpTimestamp, std::size_t payloadOctets, std::chrono::steady_clock::time_point sentAt);

    bool hasSent() const { return packets_ != 0; }
    std::uint64_t packetsSent() const { return packets_; }
    std::uint64_t octetsSent() const { return octets_; }

    // The sender info for an SR sent at now: the NTP time of now and the RTP timestamp of the
    // last packet extrapolated to now at clockRate, so that both name the same instant.
    SenderInfo senderInfo(std::chrono::system_clock::time_point now, std::chrono::steady_clock::time_point steadyNow,
                          std::uint32_t clockRate) const;

private:
    std::uint64_t packets_ = 0;
    std::uint64_t octets_ = 0;
    std::uint32_t lastRtpTimestamp_ = 0;
    std::chrono::steady_clock::time_point lastSentAt_{};
};

} // namespace rtcgate::rtp
