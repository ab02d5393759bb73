#include "rtcgate/media/LegRtcp.hpp"

#include "rtcgate/rtp/NtpTime.hpp"
#include "rtcgate/rtp/RtcpPacket.hpp"

#include <spdlog/fmt/fmt.h>

namespace rtcgate::media {

namespace {

// RFC 3550 section 6.2: 5 s between reports at most sizes of session; the first after half of it.
constexpr auto kReportInterval = std::chrono::milliseconds(5000);

} // namespace

LegRtcp::LegRtcp(std::uint32_t clockRate, const rtp::RtpStreamWriter& writer, Clock::time_point now)
    : clockRate_(clockRate),
      writer_(writer),
      cname_(fmt::format("rtcgate-{:08x}", writer.ssrc())),
      received_(clockRate),
      nextReport_(now + kReportInterval / 2) {}

void LegRtcp::onReceived(const rtp::RtpPacket& packet, Clock::time_point arrival) {
    received_.onPacket(packet.ssrc(), packet.sequenceNumber(), packet.timestamp(), arrival);
}

void LegRtcp::onSent(const rtp::RtpPacket& packet, std::size_t payloadOctets, Clock::time_point at) {
    sent_.onPacket(packet.timestamp(), payloadOctets, at);
}

bool LegRtcp::onReport(std::span<const std::uint8_t> packet, Clock::time_point arrival) {
    const auto summary = rtp::parseCompound(packet);
    if (!summary) {
        ++malformed_;
        return false;
    }
    ++reportsReceived_;
    if (summary->senderInfo && summary->senderSsrc == received_.ssrc()) {
        received_.onSenderReport(rtp::ntpMiddle32(summary->senderInfo->ntpTimestamp), arrival);
    }
    for (const auto& block : summary->blocks()) {
        if (block.ssrc != writer_.ssrc()) {
            continue;
        }
        remoteBlock_ = block;
        const auto arrivalNtp = rtp::ntpMiddle32(rtp::toNtp(wallClockOf(arrival)));
        if (auto rtt = rtp::roundTripTime(arrivalNtp, block.lastSenderReport, block.delaySinceLastSenderReport)) {
            roundTrip_ = rtt;
        }
    }
    return true;
}

std::span<std::uint8_t> LegRtcp::nextReport(Clock::time_point now, std::size_t& length) {
    length = 0;
    if (now < nextReport_ || (!sent_.hasSent() && !received_.hasSource())) {
        return {};
    }
    nextReport_ = now + kReportInterval;
    rtp::ReportBlock block;
    const bool withBlock = received_.hasSource();
    if (withBlock) {
        block = received_.reportBlock(now);
    }
    rtp::SenderInfo sender;
    if (sent_.hasSent()) {
        sender = sent_.senderInfo(wallClockOf(now), now, clockRate_);
    }
    length = rtp::writeReport(buffer_, writer_.ssrc(), sent_.hasSent() ? &sender : nullptr,
                              withBlock ? std::span(&block, 1) : std::span<const rtp::ReportBlock>{}, cname_);
    if (length == 0) {
        return {};
    }
    ++reportsSent_;
    return buffer_;
}

std::optional<int> LegRtcp::remoteLossPercent() const {
    if (!remoteBlock_) {
        return std::nullopt;
    }
    return (remoteBlock_->fractionLost * 100 + 128) / 256;
}

LegRtcpSnapshot LegRtcp::snapshot() const {
    LegRtcpSnapshot s;
    if (received_.hasSource()) {
        s.ssrc = received_.ssrc();
    }
    s.packetsReceived = received_.packetsReceived();
    s.lost = received_.cumulativeLost();
    s.fractionLost = received_.fractionLost() / 256.0;
    s.jitterMs = received_.jitterMs();
    s.packetsSent = sent_.packetsSent();
    s.reportsSent = reportsSent_;
    s.reportsReceived = reportsReceived_;
    s.malformed = malformed_;
    s.roundTrip = roundTrip_;
    if (remoteBlock_) {
        s.remoteFractionLost = remoteBlock_->fractionLost / 256.0;
        s.remoteJitterMs = 1000.0 * remoteBlock_->jitter / clockRate_;
    }
    return s;
}

} // namespace rtcgate::media
