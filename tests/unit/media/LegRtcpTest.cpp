#include "rtcgate/media/LegRtcp.hpp"

#include "AllocationCounter.hpp"
#include "RtpPacketBuilder.hpp"

#include "rtcgate/rtp/NtpTime.hpp"
#include "rtcgate/rtp/RtcpPacket.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kClockRate = 8000;
constexpr std::uint32_t kSamplesPerPacket = 160; // 20 ms of G.711
constexpr std::size_t kPayloadOctets = 160;
constexpr std::uint8_t kPcmu = 0;
constexpr std::uint32_t kPartySsrc = 0x5EEDF00D;
constexpr std::uint16_t kPartyFirstSequence = 1000;

using Bytes = std::vector<std::uint8_t>;

// An RTP packet of the party: fixed header and a payload of G.711 silence.
Bytes partyPacket(std::uint16_t sequence, std::uint32_t timestamp) {
    const Bytes silence(kPayloadOctets, 0xFF);
    return testing::makeRtpPacket(
        {.payloadType = kPcmu, .sequence = sequence, .timestamp = timestamp, .ssrc = kPartySsrc}, silence);
}

class LegRtcpTest : public ::testing::Test {
protected:
    // The party's packets `first`..`first + count - 1` (sequence offsets from kPartyFirstSequence), 20 ms apart.
    void receive(std::uint16_t first, std::uint16_t count, Clock::time_point start) {
        for (std::uint16_t offset = first; offset < first + count; ++offset) {
            const Bytes packet =
                partyPacket(static_cast<std::uint16_t>(kPartyFirstSequence + offset), offset * kSamplesPerPacket);
            rtcp_.onReceived(rtp::RtpPacket(packet), start + offset * 20ms);
        }
    }

    // `count` packets of rtcgate's stream toward the party, written by the writer as the transcoder does.
    void send(std::size_t count, Clock::time_point start) {
        for (std::size_t index = 0; index < count; ++index) {
            std::array<std::uint8_t, rtp::RtpStreamWriter::kHeaderSize + kPayloadOctets> packet{};
            ASSERT_EQ(writer_.writeHeader(packet, kPcmu, index == 0), rtp::RtpStreamWriter::kHeaderSize);
            rtcp_.onSent(rtp::RtpPacket(packet), kPayloadOctets, start + index * 20ms);
            writer_.advance(kSamplesPerPacket);
        }
    }

    // The report due at `now`, parsed; nullopt when none is due.
    std::optional<rtp::RtcpSummary> reportAt(Clock::time_point now) {
        std::size_t length = 0;
        const auto report = rtcp_.nextReport(now, length);
        if (report.empty()) {
            EXPECT_EQ(length, 0u);
            return std::nullopt;
        }
        EXPECT_GT(length, 0u);
        EXPECT_LE(length, report.size());
        auto summary = rtp::parseCompound(report.first(length));
        EXPECT_TRUE(summary.has_value()) << "rtcgate's own report does not parse";
        return summary;
    }

    // The party's RR (with a CNAME) carrying `block`.
    static Bytes receiverReport(const rtp::ReportBlock& block) {
        Bytes out(128);
        out.resize(rtp::writeReport(out, kPartySsrc, nullptr, std::span(&block, 1), "party@example"));
        EXPECT_FALSE(out.empty());
        return out;
    }

    const Clock::time_point start_ = Clock::now();
    rtp::RtpStreamWriter writer_;
    LegRtcp rtcp_{kClockRate, writer_, start_};
};

TEST_F(LegRtcpTest, NothingIsReportedBeforeAnyRtp) {
    EXPECT_FALSE(reportAt(start_ + 10s).has_value());
    EXPECT_EQ(rtcp_.snapshot().reportsSent, 0u);
}

// RFC 3550 section 6.2: the first report after half the interval, 2.5 s.
TEST_F(LegRtcpTest, FirstReportIsDueAfterTwoAndAHalfSecondsAndNoneBefore) {
    receive(0, 2, start_);
    EXPECT_FALSE(reportAt(start_).has_value());
    EXPECT_FALSE(reportAt(start_ + 2s).has_value());
    EXPECT_FALSE(reportAt(start_ + 2499ms).has_value());
    EXPECT_TRUE(reportAt(start_ + 2500ms).has_value());
}

// Then one every 5 s from the previous one, however often the tick asks.
TEST_F(LegRtcpTest, ReportsFollowEveryFiveSeconds) {
    receive(0, 2, start_);
    const Clock::time_point first = start_ + 3s; // due by then in any case
    ASSERT_TRUE(reportAt(first).has_value());
    EXPECT_FALSE(reportAt(first).has_value()); // one per interval, not one per call
    EXPECT_FALSE(reportAt(first + 4999ms).has_value());
    ASSERT_TRUE(reportAt(first + 5s).has_value());
    EXPECT_FALSE(reportAt(first + 9999ms).has_value());
    ASSERT_TRUE(reportAt(first + 10s).has_value());
    EXPECT_EQ(rtcp_.snapshot().reportsSent, 3u);
}

TEST_F(LegRtcpTest, SendsASenderReportWithWhatItSent) {
    constexpr std::size_t kSent = 50;
    send(kSent, start_);
    const auto report = reportAt(start_ + 2500ms);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->senderSsrc, writer_.ssrc());
    ASSERT_TRUE(report->senderInfo.has_value());
    EXPECT_EQ(report->senderInfo->packetCount, kSent);
    EXPECT_EQ(report->senderInfo->octetCount, kSent * kPayloadOctets);
    // The last packet's timestamp extrapolated from its send time (0.98 s) to the report's (2.5 s) at 8 kHz.
    const std::uint32_t lastTimestamp = writer_.timestamp() - kSamplesPerPacket;
    EXPECT_EQ(report->senderInfo->rtpTimestamp - lastTimestamp, (2500 - 980) * kClockRate / 1000);
    EXPECT_EQ(report->blocks().size(), 0u); // nothing received from the party: no block
    EXPECT_EQ(rtcp_.snapshot().packetsSent, kSent);
}

TEST_F(LegRtcpTest, SendsAReceiverReportWhenItOnlyReceived) {
    receive(0, 10, start_);
    const auto report = reportAt(start_ + 2500ms);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->senderSsrc, writer_.ssrc());
    EXPECT_FALSE(report->senderInfo.has_value());
    ASSERT_EQ(report->blocks().size(), 1u);
    EXPECT_EQ(report->blocks()[0].ssrc, kPartySsrc);
}

TEST_F(LegRtcpTest, ItsReportBlockDescribesThePartysStreamWithItsLoss) {
    receive(0, 20, start_);
    receive(22, 18, start_); // offsets 20 and 21 lost
    send(5, start_);
    const auto report = reportAt(start_ + 2500ms);
    ASSERT_TRUE(report.has_value());
    ASSERT_TRUE(report->senderInfo.has_value());
    ASSERT_EQ(report->blocks().size(), 1u);
    const rtp::ReportBlock& block = report->blocks()[0];
    EXPECT_EQ(block.ssrc, kPartySsrc);
    EXPECT_EQ(block.cumulativeLost, 2);
    EXPECT_EQ(block.extendedHighestSequence, kPartyFirstSequence + 39u);
    // RFC 3550 A.1: the first packet only starts the probation, the count begins at the second (offset 1), so 2
    // of 39 expected were lost.
    EXPECT_EQ(block.fractionLost, 2 * 256 / 39);
    EXPECT_EQ(block.lastSenderReport, 0u); // the party sent no SR yet

    const LegRtcpSnapshot snapshot = rtcp_.snapshot();
    EXPECT_EQ(snapshot.packetsReceived, 37u);
    EXPECT_EQ(snapshot.lost, 2);
    EXPECT_DOUBLE_EQ(snapshot.fractionLost, (2 * 256 / 39) / 256.0);
}

TEST_F(LegRtcpTest, ItsReportBlockEchoesThePartysSenderReportAsLsr) {
    receive(0, 10, start_);
    const rtp::SenderInfo partySender{.ntpTimestamp = 0xE5A1B2C3'40000000ULL, .packetCount = 10, .octetCount = 1600};
    Bytes partyReport(128);
    partyReport.resize(rtp::writeReport(partyReport, kPartySsrc, &partySender, {}, "party@example"));
    ASSERT_TRUE(rtcp_.onReport(partyReport, start_ + 1s));

    const auto report = reportAt(start_ + 2500ms);
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->blocks().size(), 1u);
    EXPECT_EQ(report->blocks()[0].lastSenderReport, rtp::ntpMiddle32(partySender.ntpTimestamp));
    EXPECT_NEAR(rtp::fromCompactNtp(report->blocks()[0].delaySinceLastSenderReport).count(), 1'500'000, 100);
}

// The party's RR about rtcgate's stream, its LSR taken from rtcgate's own SR (RFC 3550 section 6.4.1).
TEST_F(LegRtcpTest, ThePartysReportGivesRemoteLossAndRoundTripTime) {
    send(50, start_);
    const Clock::time_point srSent = start_ + 2500ms;
    const auto ownReport = reportAt(srSent);
    ASSERT_TRUE(ownReport.has_value());
    ASSERT_TRUE(ownReport->senderInfo.has_value());
    EXPECT_FALSE(rtcp_.remoteLossPercent().has_value());

    constexpr auto kDelaySinceSr = 300ms;
    constexpr auto kRoundTrip = 40ms;
    const rtp::ReportBlock block{.ssrc = writer_.ssrc(),
                                 .fractionLost = 64, // 25 %
                                 .cumulativeLost = 12,
                                 .extendedHighestSequence = writer_.sequence(),
                                 .jitter = 80, // 10 ms at 8 kHz
                                 .lastSenderReport = rtp::ntpMiddle32(ownReport->senderInfo->ntpTimestamp),
                                 .delaySinceLastSenderReport = rtp::toCompactNtp(kDelaySinceSr)};
    ASSERT_TRUE(rtcp_.onReport(receiverReport(block), srSent + kDelaySinceSr + kRoundTrip));

    EXPECT_EQ(rtcp_.remoteLossPercent(), 25);
    const LegRtcpSnapshot snapshot = rtcp_.snapshot();
    EXPECT_EQ(snapshot.reportsReceived, 1u);
    ASSERT_TRUE(snapshot.remoteFractionLost.has_value());
    EXPECT_DOUBLE_EQ(*snapshot.remoteFractionLost, 0.25);
    ASSERT_TRUE(snapshot.remoteJitterMs.has_value());
    EXPECT_DOUBLE_EQ(*snapshot.remoteJitterMs, 10.0);
    ASSERT_TRUE(snapshot.roundTrip.has_value());
    // Compact NTP has a resolution of 15 us; the wall clock is read again at each conversion.
    EXPECT_NEAR(snapshot.roundTrip->count(), std::chrono::microseconds(kRoundTrip).count(), 1000);
}

TEST_F(LegRtcpTest, WithoutLsrTheReportGivesLossButNoRoundTripTime) {
    send(10, start_);
    const rtp::ReportBlock block{.ssrc = writer_.ssrc(), .fractionLost = 26}; // LSR 0: no SR received yet
    ASSERT_TRUE(rtcp_.onReport(receiverReport(block), start_ + 1s));
    EXPECT_EQ(rtcp_.remoteLossPercent(), 10);
    EXPECT_FALSE(rtcp_.snapshot().roundTrip.has_value());
}

TEST_F(LegRtcpTest, ABlockAboutAnotherSsrcIsIgnored) {
    send(50, start_);
    const auto ownReport = reportAt(start_ + 2500ms);
    ASSERT_TRUE(ownReport.has_value() && ownReport->senderInfo.has_value());
    const rtp::ReportBlock block{.ssrc = writer_.ssrc() ^ 0x1U,
                                 .fractionLost = 128,
                                 .jitter = 800,
                                 .lastSenderReport = rtp::ntpMiddle32(ownReport->senderInfo->ntpTimestamp),
                                 .delaySinceLastSenderReport = rtp::toCompactNtp(100ms)};
    ASSERT_TRUE(rtcp_.onReport(receiverReport(block), start_ + 2700ms));

    EXPECT_FALSE(rtcp_.remoteLossPercent().has_value());
    const LegRtcpSnapshot snapshot = rtcp_.snapshot();
    EXPECT_EQ(snapshot.reportsReceived, 1u); // a valid report, only not about rtcgate's stream
    EXPECT_FALSE(snapshot.roundTrip.has_value());
    EXPECT_FALSE(snapshot.remoteFractionLost.has_value());
    EXPECT_FALSE(snapshot.remoteJitterMs.has_value());
}

TEST_F(LegRtcpTest, AMalformedCompoundCountsAsMalformed) {
    const rtp::ReportBlock block{.ssrc = writer_.ssrc(), .fractionLost = 64};
    Bytes truncated = receiverReport(block);
    truncated.resize(truncated.size() - 4); // the lengths no longer add up to the datagram
    EXPECT_FALSE(rtcp_.onReport(truncated, start_ + 1s));
    const Bytes notVersionTwo{0x40, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01};
    EXPECT_FALSE(rtcp_.onReport(notVersionTwo, start_ + 1s));

    const LegRtcpSnapshot snapshot = rtcp_.snapshot();
    EXPECT_EQ(snapshot.malformed, 2u);
    EXPECT_EQ(snapshot.reportsReceived, 0u);
    EXPECT_FALSE(rtcp_.remoteLossPercent().has_value()); // nothing of the truncated block was used
}

TEST_F(LegRtcpTest, TheHotPathAndReportsAllocateNothing) {
    // Prepared outside the scope: the party's packets, its reports and rtcgate's packets.
    std::vector<Bytes> received;
    for (std::uint16_t offset = 0; offset < 600; ++offset) {
        received.push_back(
            partyPacket(static_cast<std::uint16_t>(kPartyFirstSequence + offset), offset * kSamplesPerPacket));
    }
    const Bytes partyReport = receiverReport({.ssrc = writer_.ssrc(), .fractionLost = 3, .lastSenderReport = 1});
    const Bytes malformed(partyReport.begin(), partyReport.end() - 4);
    std::array<std::uint8_t, rtp::RtpStreamWriter::kHeaderSize + kPayloadOctets> sent{};

    std::size_t reports = 0;
    rtcgate::testing::AllocationScope scope;
    for (std::size_t index = 0; index < received.size(); ++index) {
        const Clock::time_point now = start_ + index * 20ms;
        rtcp_.onReceived(rtp::RtpPacket(received[index]), now);
        writer_.writeHeader(sent, kPcmu, false);
        rtcp_.onSent(rtp::RtpPacket(sent), kPayloadOctets, now);
        writer_.advance(kSamplesPerPacket);
        if (index % 50 == 0) {
            rtcp_.onReport(partyReport, now);
            rtcp_.onReport(malformed, now);
        }
        std::size_t length = 0;
        if (!rtcp_.nextReport(now, length).empty()) {
            ++reports;
        }
    }
    EXPECT_EQ(scope.count(), 0u);
    EXPECT_EQ(reports, 2u); // at 2.5 and 7.5 s of the 12 s: the loop did produce reports
}

} // namespace
} // namespace rtcgate::media
