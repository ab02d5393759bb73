#include "rtcgate/media/Stream.hpp"

#include "rtcgate/dtmf/EventTranslator.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/Transcoder.hpp"
#include "rtcgate/net/PacketBatch.hpp"
#include "rtcgate/srtp/SrtpSession.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace rtcgate::media {

namespace {
// Batches read per wake-up before yielding to the shard's other sockets.
constexpr int kMaxBatchesPerWakeup = 8;
} // namespace

Stream::Stream(MediaContext& context, Component component, LegTransport& transport, LogContext log)
    : context_(context),
      socket_(context.io),
      component_(component),
      transport_(transport),
      log_(std::move(log)),
      learning_(SourceRules{.learning = context.learning}) {}

bool Stream::open(std::uint16_t port) {
    if (!socket_.bind(net::Endpoint(context_.localAddress, port))) {
        return false;
    }
    waitForPackets();
    return true;
}

void Stream::close() {
    socket_.close();
    routes_ = RouteTable::closed();
}

void Stream::retire(std::unique_ptr<Stream> stream) {
    if (!stream) {
        return;
    }
    stream->close();
    // Closing queues the aborted wait; this runs after it (handlers run in order).
    auto& io = stream->context_.io;
    boost::asio::post(io, [doomed = std::move(stream)]() mutable { doomed.reset(); });
}

const std::optional<net::Endpoint>& Stream::destination() const {
    if (transport_.iceEnabled()) {
        return transport_.iceDestination();
    }
    return learning_.destination();
}

bool Stream::sendControl(std::span<const std::uint8_t> packet, const net::Endpoint& to) {
    return socket_.isOpen() && ::sendto(socket_.fd(), packet.data(), packet.size(), MSG_DONTWAIT, to.data(),
                                        static_cast<socklen_t>(to.size())) >= 0;
}

bool Stream::send(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t length) {
    const auto& to = destination();
    if (!to || !socket_.isOpen() ||
        (transport_.secure() && transport_.protect(kind, buffer, length) != srtp::SrtpStatus::Ok)) {
        return false;
    }
    if (!sendControl(buffer.first(length), *to)) {
        return false;
    }
    ++stats_.sent;
    return true;
}

void Stream::setAdvertised(const std::optional<net::Endpoint>& advertised, Clock::time_point now) {
    learning_.setAdvertised(advertised, now);
}

void Stream::waitForPackets() {
    socket_.waitReadable([this](const boost::system::error_code& error) {
        if (!error) {
            onReadable();
        }
    });
}

void Stream::onReadable() {
    receivePending();
    if (socket_.isOpen()) {
        waitForPackets();
    }
}

void Stream::receivePending() {
    if (!socket_.isOpen()) {
        return;
    }
    context_.now = Clock::now();
    context_.wallToClock = context_.now.time_since_epoch() - std::chrono::system_clock::now().time_since_epoch();
    for (int round = 0; round < kMaxBatchesPerWakeup; ++round) {
        std::size_t count = context_.receiveBatch.receive(socket_.fd());
        if (count == 0) {
            break;
        }
        relay(count);
        if (count < net::ReceiveBatch::kCapacity) {
            break;
        }
    }
}

void Stream::logLearnt() const {
    spdlog::debug("{}: {} latched to {}", log_, component_ == Component::Rtp ? "RTP" : "RTCP",
                  net::toString(*learning_.learnt()));
}

// The steps of relay(), inlined there: as calls they cost 274 instructions per relayed packet
// instead of 197 (callgrind, RelayThroughStream).
[[gnu::always_inline]] inline bool Stream::accept(std::size_t i, rtp::PacketKind& kind, bool& fromParty) {
    auto& batch = context_.receiveBatch;
    const auto packet = batch.packet(i);
    if (batch.truncated(i) || packet.empty()) {
        ++stats_.errors;
        return false;
    }
    // RFC 7983: below 128 the first byte is STUN (0-3) or DTLS (20-63), not media.
    if (packet[0] < 128) {
        if (!transport_.onControlPacket(*this, packet, batch.source(i), batch.sourceLength(i), context_.now)) {
            ++stats_.errors;
        }
        return false;
    }
    kind = rtp::classify(packet);
    if (kind == rtp::PacketKind::Invalid) {
        ++stats_.errors;
        return false;
    }
    const net::Endpoint source = net::endpointFrom(batch.source(i), batch.sourceLength(i));
    fromParty = true;
    if (transport_.iceEnabled()) {
        // Under ICE the nominated path says where media goes, and only a source that passed a check may send.
        // RTCP on its own port (no rtcp-mux) has no checks of its own: SRTCP authentication guards it.
        if (component_ == Component::Rtp && !transport_.acceptsMediaFrom(source)) {
            ++stats_.errors;
            return false;
        }
        return true;
    }
    const bool learnt = learning_.learnt().has_value();
    if (!learnt && context_.ownSockets.contains(source)) {
        ++stats_.errors; // a packet from rtcgated's own port: replying there would loop
        return false;
    }
    switch (learning_.onPacket(source, context_.now)) {
    case EndpointLearning::Verdict::FromParty:
        break;
    case EndpointLearning::Verdict::FromOther:
        fromParty = false; // relayed, but a stranger's packets do not keep the call alive
        break;
    case EndpointLearning::Verdict::Refused:
        ++stats_.errors;
        return false;
    }
    if (!learnt && learning_.learnt()) {
        logLearnt();
    }
    return true;
}

[[gnu::always_inline]] inline bool Stream::unprotect(std::size_t i, rtp::PacketKind kind, std::size_t& length) {
    length = context_.receiveBatch.packet(i).size();
    if (transport_.secure() &&
        transport_.unprotect(kind, context_.receiveBatch.buffer(i), length) != srtp::SrtpStatus::Ok) {
        ++stats_.errors; // unauthenticated, replayed, or before the keys: counted by the transport too
        return false;
    }
    return true;
}

Clock::time_point Stream::arrivalOf(std::size_t i) const {
    const auto received = context_.receiveBatch.kernelTimestampNs(i);
    if (!received) {
        return context_.now;
    }
    const Clock::time_point arrival{std::chrono::nanoseconds(*received) + context_.wallToClock};
    return std::min(arrival, context_.now);
}

[[gnu::always_inline]] inline void Stream::route(std::size_t i, rtp::PacketKind kind, std::size_t length) {
    const std::span<const std::uint8_t> clear(context_.receiveBatch.buffer(i).data(), length);
    const bool isRtp = kind == rtp::PacketKind::Rtp;
    switch (isRtp ? routes_.rtp[clear[1] & 0x7FU] : routes_.rtcp) {
    case Route::Forward:
        forward(i, kind, length, isRtp ? routes_.rtpTarget : routes_.rtcpTarget);
        return;
    case Route::FollowAndForward:
        followEvent(rtp::RtpPacket(clear), 0);
        forward(i, kind, length, routes_.rtpTarget);
        return;
    case Route::Transcode: {
        const rtp::RtpPacket packet(clear);
        const Clock::time_point arrival = arrivalOf(i);
        if (routes_.reports != nullptr) {
            routes_.reports->onReceived(packet, arrival);
        }
        if (!routes_.forwardRtp || !routes_.transcoder->push(packet, packet.payload(), arrival)) {
            ++stats_.blocked;
        }
        return;
    }
    case Route::TranslateEvent: {
        const rtp::RtpPacket packet(clear);
        if (routes_.reports != nullptr) {
            routes_.reports->onReceived(packet, context_.now);
        }
        translateEvent(packet);
        return;
    }
    case Route::FollowAndBlock:
        // A blocked digit is still followed, to be counted and logged, as rtpengine does; its translator is
        // muted, so nothing of it is sent.
        followEvent(rtp::RtpPacket(clear), routes_.transcoder != nullptr ? routes_.transcoder->nextTimestamp() : 0);
        ++stats_.blocked;
        return;
    case Route::Block:
        ++stats_.blocked;
        return;
    case Route::Terminate:
        routes_.reports->onReport(clear, context_.now); // a malformed one is counted there
        return;
    }
}

[[gnu::always_inline]] inline void Stream::forward(std::size_t i, rtp::PacketKind kind, std::size_t length,
                                                   Stream* target) {
    if (target == nullptr || (kind == rtp::PacketKind::Rtp && !routes_.forwardRtp)) {
        ++stats_.blocked;
        return;
    }
    auto& batch = context_.receiveBatch;
    const auto& destination = target->destination();
    if (!destination || (target->transport_.secure() &&
                         target->transport_.protect(kind, batch.buffer(i), length) != srtp::SrtpStatus::Ok)) {
        ++stats_.blocked; // no path yet, or no keys yet toward that party
        return;
    }
    auto& out = context_.sendBatch;
    const int fd = target->socket_.fd();
    if (fd != batchFd_ && out.size() > 0) {
        out.flush(batchFd_);
    }
    batchFd_ = fd;
    out.add({batch.buffer(i).data(), length}, destination->data(), static_cast<socklen_t>(destination->size()));
}

void Stream::relay(std::size_t count) {
    batchFd_ = -1;
    for (std::size_t i = 0; i < count; ++i) {
        rtp::PacketKind kind = rtp::PacketKind::Invalid;
        std::size_t length = 0;
        bool fromParty = false;
        if (!accept(i, kind, fromParty) || !unprotect(i, kind, length)) {
            continue;
        }
        if (!rtp::hasValidLengths(kind, context_.receiveBatch.buffer(i).first(length))) {
            ++stats_.errors; // padding beyond the packet, RTCP lengths that do not add up: never forwarded
            continue;
        }
        ++stats_.packets;
        stats_.bytes += context_.receiveBatch.packet(i).size();
        if (fromParty) {
            stats_.lastPacket = context_.now;
        }
        route(i, kind, length);
    }
    if (context_.sendBatch.size() > 0) {
        context_.sendBatch.flush(batchFd_);
    }
}

std::span<const dtmf::EventEmitter::Packet> Stream::followEvent(const rtp::RtpPacket& packet,
                                                                std::uint32_t startTimestamp) {
    const auto output = routes_.events->push(packet, context_.now, startTimestamp);
    for (const auto& event : output.ended) {
        if (endedCount_ < ended_.size()) {
            ended_[endedCount_++] = event;
        }
    }
    return output.packets;
}

void Stream::translateEvent(const rtp::RtpPacket& packet) {
    for (const auto& out : followEvent(packet, routes_.transcoder->nextTimestamp())) {
        if (!routes_.forwardRtp || routes_.rtpTarget == nullptr ||
            !routes_.rtpTarget->send(rtp::PacketKind::Rtp, out.buffer, out.length)) {
            ++stats_.blocked;
        }
    }
}

} // namespace rtcgate::media
