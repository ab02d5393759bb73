#include "rtcgate/media/LineSide.hpp"

#include "rtcgate/net/PortPool.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

namespace rtcgate::media {

LineSide::LineSide(MediaContext& context, LogContext log) : context_(context), log_(std::move(log)) {}

LineSide::~LineSide() {
    close();
}

std::optional<CallError> LineSide::open() {
    if (relayed()) {
        return std::nullopt;
    }
    auto transport = std::make_unique<LegTransport>(context_, log_);
    auto rtp = std::make_unique<Stream>(context_, Component::Rtp, *transport, log_);
    auto rtcp = std::make_unique<Stream>(context_, Component::Rtcp, *transport, log_);
    const auto now = Clock::now();
    auto port = context_.ports.acquire(
        [&](std::uint16_t even) {
            if (!rtp->open(even)) {
                return false;
            }
            if (!rtcp->open(static_cast<std::uint16_t>(even + 1))) {
                rtp->close();
                return false;
            }
            return true;
        },
        now);
    if (!port) {
        const bool noDescriptor = rtp->outOfDescriptors() || rtcp->outOfDescriptors();
        Stream::retire(std::move(rtp));
        Stream::retire(std::move(rtcp));
        if (noDescriptor) {
            return CallError::OutOfDescriptors;
        }
        return context_.ports.quarantined(now) > 0 ? CallError::PortsInQuarantine : CallError::OutOfPorts;
    }
    port_ = *port;
    transport_ = std::move(transport);
    rtp_ = std::move(rtp);
    rtcp_ = std::move(rtcp);
    return std::nullopt;
}

void LineSide::close() {
    reports_.reset();
    quality_ = QualityHistory();
    writer_.reset();
    // A retired stream is closed before its transport goes: it never reads again.
    Stream::retire(std::move(rtp_));
    Stream::retire(std::move(rtcp_));
    transport_.reset();
    if (relayed()) {
        context_.ports.release(port_, Clock::now());
        port_ = 0;
    }
}

void LineSide::stop() {
    if (relayed()) {
        rtp_->close();
        rtcp_->close();
    }
}

void LineSide::setLogContext(const LogContext& log) {
    if (log == log_) {
        return;
    }
    log_ = log;
    if (relayed()) {
        transport_->setLogContext(log);
        rtp_->setLogContext(log);
        rtcp_->setLogContext(log);
    }
}

void LineSide::setAdvertised(const std::optional<net::Endpoint>& rtp, const std::optional<net::Endpoint>& rtcp,
                             Clock::time_point now) {
    rtp_->setAdvertised(rtp, now);
    rtcp_->setAdvertised(rtcp, now);
}

void LineSide::signalled(Clock::time_point now) {
    if (relayed()) {
        rtp_->signalled(now);
        rtcp_->signalled(now);
    }
}

rtp::RtpStreamWriter& LineSide::writer() {
    if (!writer_) {
        writer_ = std::make_unique<rtp::RtpStreamWriter>();
    }
    return *writer_;
}

void LineSide::startReports(Clock::time_point now) {
    if (!reports_ && description.codec) {
        reports_ = std::make_unique<LegRtcp>(description.codec->clockRate, writer(), now);
    }
}

bool LineSide::sendReport(Clock::time_point now) {
    std::size_t length = 0;
    auto report = reports_->nextReport(now, length);
    return length != 0 && rtcpSender().send(rtp::PacketKind::Rtcp, report, length);
}

} // namespace rtcgate::media
