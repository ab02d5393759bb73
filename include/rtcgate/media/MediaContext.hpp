// What one shard lends every stream it owns: its io_context, its ports, its
// DTLS context, the batch buffers of the hot path and the time of the current
// wake-up.
#pragma once

#include "rtcgate/codec/OpusEncoder.hpp"
#include "rtcgate/dtls/DtlsContext.hpp"
#include "rtcgate/jitter/JitterBufferConfig.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/EndpointLearning.hpp"
#include "rtcgate/net/OwnSockets.hpp"
#include "rtcgate/net/PacketBatch.hpp"
#include "rtcgate/net/PortPool.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <string>
#include <utility>

namespace rtcgate::dtmf {
class DtmfEventLog;
}

namespace rtcgate::media {

// How the shard's transcoders are set up (daemon options).
struct TranscodingSettings {
    jitter::JitterBufferConfig jitter{};
    codec::OpusEncoderConfig opus{};
    // While a DTMF event (or a detected tone) passes in a direction, its audio is not sent (RFC 4733 section 2.6).
    bool suppressDtmfAudio = true;
};

struct MediaContext {
    MediaContext(boost::asio::io_context& ioContext, net::PortPool& portPool, boost::asio::ip::address local,
                 std::string advertised)
        : io(ioContext), ports(portPool), localAddress(std::move(local)), advertisedAddress(std::move(advertised)) {}

    boost::asio::io_context& io;
    net::PortPool& ports;
    boost::asio::ip::address localAddress;   // where the media sockets bind
    std::string advertisedAddress;           // what the SDP says (the same unless behind 1:1 NAT)
    net::OwnSockets ownSockets;              // every shard's: never a destination
    std::string instanceId;                  // this daemon's mark on the SDP it writes (ng "loop protect")
    const dtls::DtlsContext* dtls = nullptr; // the shard's; nullptr: no DTLS-SRTP
    TranscodingSettings transcoding{};
    LearningPolicy learning{};             // --endpoint-learning
    dtmf::DtmfEventLog* dtmfLog = nullptr; // --dtmf-log-dest; nullptr: none. Shared by the shards.
    Clock::time_point now = Clock::now();  // refreshed at every wake-up of the hot path
    // At the same wake-up: now less the wall clock's now, which turns the kernel's receive times (wall clock)
    // into `Clock`'s.
    std::chrono::nanoseconds wallToClock{0};
    net::ReceiveBatch receiveBatch;
    net::SendBatch sendBatch;
};

} // namespace rtcgate::media
