#include "rtcgate/media/Stream.hpp"

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
    const std::optional<net::Endpoint>* destination = partner_ != nullptr ? &partner_->destination() : nullptr;
    bool canForward = forwarding_ && destination != nullptr && destination->has_value();

    for (std::size_t i = 0; i < count; ++i) {
        auto packet = batch.packet(i);
        rtp::PacketKind kind = batch.truncated(i) ? rtp::PacketKind::Invalid : rtp::classify(packet);
        if (kind == rtp::PacketKind::Invalid) {
            ++stats_.errors;
            continue;
        }
        net::Endpoint source = net::endpointFrom(batch.source(i), batch.sourceLength(i));
        if (!latched_) {
            latched_ = source; // symmetric RTP: reply to where the party really sends from (NAT)
        } else if (strictSource_ && source != *latched_) {
            ++stats_.errors;
            continue;
        }
        ++stats_.packets;
        stats_.bytes += packet.size();
        stats_.lastPacket = context_.now;

        if (!canForward || (kind == rtp::PacketKind::Rtp && !forwardRtp_)) {
            ++stats_.blocked;
            continue;
        }
        const net::Endpoint& to = **destination;
        out.add(packet, to.data(), static_cast<socklen_t>(to.size()));
    }
    if (out.size() > 0) {
        out.flush(partner_->socket_.fd());
    }
}

} // namespace rtcgate::media
