// RTCP of one transcoded media line toward its party (RFC 3550 section 6). Once rtcgate
// re-encodes, the two parties no longer see the same RTP stream, so each leg ends RTCP: it
// reports what rtcgate really received from the party and sent to it, and reads the party's
// reports for the round-trip time and the loss of rtcgate's own stream.
#pragma once

#include "rtcgate/media/Clock.hpp"
#include "rtcgate/rtp/ReceiveStatistics.hpp"
#include "rtcgate/rtp/RtcpPacket.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"
#include "rtcgate/rtp/SendStatistics.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace rtcgate::media {

struct LegRtcpSnapshot {
    std::optional<std::uint32_t> ssrc; // of the party's stream, once it counts (RFC 3550 A.1)
    std::uint64_t packetsReceived = 0; // RTP from the party, as RFC 3550 A.1 counts them
    std::int64_t lost = 0;             // of the party's stream: expected minus received
    double fractionLost = 0;           // of the party's stream, over the last report interval
    double jitterMs = 0;               // interarrival jitter of the party's stream
    std::uint64_t packetsSent = 0;     // rtcgate's own stream to the party
    std::uint64_t reportsSent = 0;
    std::uint64_t reportsReceived = 0;
    std::uint64_t malformed = 0;
    std::optional<std::chrono::microseconds> roundTrip;
    std::optional<double> remoteFractionLost; // what the party says it lost of rtcgate's stream
    std::optional<double> remoteJitterMs;     // what the party measured on rtcgate's stream
};

class LegRtcp {
public:
    // RTCP packets are at most this large here: an SR with one block and a CNAME, plus the SRTCP trailer.
    static constexpr std::size_t kMaxReportSize = 256;

    // `clockRate`: the RTP clock of the party's codec, both ways. `writer` is rtcgate's stream
    // toward the party; it must outlive this object.
    LegRtcp(std::uint32_t clockRate, const rtp::RtpStreamWriter& writer, Clock::time_point now);

    // The hot path: an RTP packet of the party, and one rtcgate sent to it.
    void onReceived(const rtp::RtpPacket& packet, Clock::time_point arrival);
    void onSent(const rtp::RtpPacket& packet, std::size_t payloadOctets, Clock::time_point at);
    // The party's RTCP (already unprotected). False when it is not a valid compound.
    bool onReport(std::span<const std::uint8_t> packet, Clock::time_point arrival);

    // The next report when it is due (about every 5 s, RFC 3550 section 6.2): the packet and room
    // after it for SRTCP's trailer. Empty when none is due.
    std::span<std::uint8_t> nextReport(Clock::time_point now, std::size_t& length);

    // The loss the party reported last, in percent; nullopt before its first report.
    std::optional<int> remoteLossPercent() const;
    LegRtcpSnapshot snapshot() const;

private:
    std::uint32_t clockRate_;
    const rtp::RtpStreamWriter& writer_;
    std::string cname_;
    rtp::ReceiveStatistics received_;
    rtp::SendStatistics sent_;
    Clock::time_point nextReport_;
    std::uint64_t reportsSent_ = 0;
    std::uint64_t reportsReceived_ = 0;
    std::uint64_t malformed_ = 0;
    std::optional<std::chrono::microseconds> roundTrip_;
    std::optional<rtp::ReportBlock> remoteBlock_; // the party's last report block about rtcgate's stream
    alignas(8) std::array<std::uint8_t, kMaxReportSize> buffer_{}; // libsrtp2 reads 32-bit words in place
};

} // namespace rtcgate::media
