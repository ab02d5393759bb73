#include "rtcgate/media/Stream.hpp"

#include "rtcgate/dtmf/EventTranslator.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/Transcoder.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

#include <boost/asio/post.hpp>

namespace rtcgate::media {

namespace {
// Batches read per wake-up before yielding to the shard's other sockets.
constexpr int kMaxBatchesPerWakeup = 8;
} // namespace

bool Stream::open(std::uint16_t port) {
    if (!socket_.bind(net::Endpoint(context_.localAddress, port))) {
        return false;
    }
    waitForPackets();
    return true;
}

void Stream::close() {
    socket_.close();
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

void Stream::forgetPartner(const Stream* stream) {
    if (partner_ == stream) {
        partner_ = nullptr;
    }
    if (rtcpPartner_ == stream) {
        rtcpPartner_ = nullptr;
    }
}

const std::optional<net::Endpoint>& Stream::destination() const {
    if (transport_ != nullptr && transport_->iceEnabled()) {
        return transport_->iceDestination();
    }
    return latched_ ? latched_ : advertised_;
}

bool Stream::sendControl(std::span<const std::uint8_t> packet, const net::Endpoint& to) {
    return socket_.isOpen() && ::sendto(socket_.fd(), packet.data(), packet.size(), MSG_DONTWAIT, to.data(),
                                        static_cast<socklen_t>(to.size())) >= 0;
}

bool Stream::send(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t length) {
    const auto& to = destination();
    if (!to || !socket_.isOpen() ||
        (transport_ != nullptr && transport_->secure() &&
         transport_->protect(kind, buffer, length) != srtp::SrtpStatus::Ok)) {
        return false;
    }
    if (!sendControl(buffer.first(length), *to)) {
        return false;
    }
    ++stats_.sent;
    return true;
}

std::span<const dtmf::EventEmitter::Packet> Stream::followEvent(const rtp::RtpPacket& packet,
                                                                std::uint32_t startTimestamp) {
    const auto output = events_->push(packet, context_.now, startTimestamp);
    for (const auto& event : output.ended) {
        if (endedCount_ < ended_.size()) {
            ended_[endedCount_++] = event;
        }
    }
    return output.packets;
}

void Stream::relayEvent(const rtp::RtpPacket& packet) {
    for (const auto& out : followEvent(packet, transcoder_->nextTimestamp())) {
        if (!forwarding_ || !forwardRtp_ || partner_ == nullptr ||
            !partner_->send(rtp::PacketKind::Rtp, out.buffer, out.length)) {
            ++stats_.blocked;
        }
    }
}

void Stream::setAdvertised(const std::optional<net::Endpoint>& advertised) {
    if (advertised != advertised_) {
        advertised_ = advertised;
        latched_.reset();
    }
}

void Stream::waitForPackets() {
    socket_.waitReadable([this](const boost::system::error_code& error) {
        if (!error) {
            onReadable();
        }
    });
}

void Stream::onReadable() {
    context_.now = Clock::now();
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
    if (socket_.isOpen()) {
        waitForPackets();
    }
}

void Stream::relay(std::size_t count) {
    auto& batch = context_.receiveBatch;
    auto& out = context_.sendBatch;
    int outFd = -1;
    // What this party speaks does not change within a batch.
    const bool iceLeg = transport_ != nullptr && transport_->iceEnabled();
    const bool secure = transport_ != nullptr && transport_->secure();

    for (std::size_t i = 0; i < count; ++i) {
        auto packet = batch.packet(i);
        if (batch.truncated(i) || packet.empty()) {
            ++stats_.errors;
            continue;
        }
        // RFC 7983: below 128 the first byte is STUN (0-3) or DTLS (20-63), not media.
        if (transport_ != nullptr && packet[0] < 128) {
            if (!transport_->onControlPacket(packet, batch.source(i), batch.sourceLength(i), context_.now)) {
                ++stats_.errors;
            }
            continue;
        }
        rtp::PacketKind kind = rtp::classify(packet);
        if (kind == rtp::PacketKind::Invalid) {
            ++stats_.errors;
            continue;
        }
        if (!iceLeg) { // under ICE the nominated path says where media goes
            net::Endpoint source = net::endpointFrom(batch.source(i), batch.sourceLength(i));
            if (!latched_) {
                latched_ = source; // symmetric RTP: reply to where the party really sends from (NAT)
            } else if (strictSource_ && source != *latched_) {
                ++stats_.errors;
                continue;
            }
        }
        std::size_t length = packet.size();
        if (secure && transport_->unprotect(kind, batch.buffer(i), length) != srtp::SrtpStatus::Ok) {
            ++stats_.errors; // unauthenticated, replayed, or before the keys: counted by the transport too
            continue;
        }
        ++stats_.packets;
        stats_.bytes += packet.size();
        stats_.lastPacket = context_.now;

        const std::span<const std::uint8_t> clear(batch.buffer(i).data(), length);
        const std::uint8_t payloadType = clear[1] & 0x7FU;
        const bool event = kind == rtp::PacketKind::Rtp && events_ != nullptr && payloadType == eventPayloadType_;
        if (kind == rtp::PacketKind::Rtp && blockedPayloadTypes_.test(payloadType)) {
            if (event) {
                // A blocked digit is still followed, to be counted and logged, as rtpengine does; its translator
                // is muted, so nothing of it is sent.
                followEvent(rtp::RtpPacket(clear), transcoder_ != nullptr ? transcoder_->nextTimestamp() : 0);
            }
            ++stats_.blocked;
            continue;
        }
        if (kind == rtp::PacketKind::Rtcp && reports_ != nullptr) {
            reports_->onReport(clear, context_.now); // a malformed one is counted there
            continue;
        }
        if (kind == rtp::PacketKind::Rtp && transcoder_ != nullptr) {
            const rtp::RtpPacket rtpPacket(clear);
            if (reports_ != nullptr) {
                reports_->onReceived(rtpPacket, context_.now);
            }
            if (event) {
                relayEvent(rtpPacket);
                continue;
            }
            if (!forwarding_ || !forwardRtp_ || !transcoder_->push(rtpPacket, rtpPacket.payload(), context_.now)) {
                ++stats_.blocked;
            }
            continue;
        }
        if (event) {
            followEvent(rtp::RtpPacket(clear), 0); // passed through as it is; followed to count its digit
        }
        Stream* target = kind == rtp::PacketKind::Rtcp ? rtcpPartner_ : partner_;
        if (!forwarding_ || target == nullptr || (kind == rtp::PacketKind::Rtp && !forwardRtp_)) {
            ++stats_.blocked;
            continue;
        }
        const auto& destination = target->destination();
        LegTransport* targetTransport = target->transport_;
        if (!destination || (targetTransport != nullptr && targetTransport->secure() &&
                             targetTransport->protect(kind, batch.buffer(i), length) != srtp::SrtpStatus::Ok)) {
            ++stats_.blocked; // no path yet, or no keys yet toward that party
            continue;
        }
        int fd = target->socket_.fd();
        if (fd != outFd && out.size() > 0) {
            out.flush(outFd);
        }
        outFd = fd;
        out.add({batch.buffer(i).data(), length}, destination->data(), static_cast<socklen_t>(destination->size()));
    }
    if (out.size() > 0) {
        out.flush(outFd);
    }
}

} // namespace rtcgate::media
