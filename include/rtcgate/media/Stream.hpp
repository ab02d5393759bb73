// One transport component (RTP or RTCP) of one party's side of a media line: the socket that faces
// the party, where packets to the party go, and the counters of what it sent. This is the media hot
// path: each datagram is accepted, unprotected, routed by the stream's RouteTable and forwarded.
#pragma once

#include "rtcgate/dtmf/EventEmitter.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/EndpointLearning.hpp"
#include "rtcgate/media/LogContext.hpp"
#include "rtcgate/media/RouteTable.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/net/UdpSocket.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace rtcgate::media {

class LegTransport;
struct MediaContext;

enum class Component {
    Rtp,
    Rtcp
};

struct StreamStats {
    std::uint64_t packets = 0; // received from the party and accepted
    std::uint64_t bytes = 0;
    std::uint64_t errors = 0;  // dropped: malformed, truncated, from a foreign source under strict source,
                               // from rtcgated's own port, refused STUN/DTLS, SRTP that fails
                               // authentication or replay checks
    std::uint64_t blocked = 0; // accepted but not forwarded (hold, no destination yet, call deleted)
    std::uint64_t sent = 0;    // packets rtcgate made and sent to the party (transcoded media)
    std::optional<Clock::time_point> lastPacket;
};

class Stream {
public:
    // `transport` (ICE, DTLS, SRTP and rtcp-mux toward the party) belongs to the same side of the line
    // and outlives the stream's use: a retired stream is closed first.
    Stream(MediaContext& context, Component component, LegTransport& transport, LogContext log);
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    bool open(std::uint16_t port);
    // Whether the last open() failed for want of a file descriptor.
    bool outOfDescriptors() const { return socket_.outOfDescriptors(); }
    // Stops reading. The object must outlive the handlers already queued:
    // destroy it from a handler posted after close() (retire()).
    void close();
    // Closes the stream and frees it once the handlers already queued for it
    // have run (they hold a pointer to it).
    static void retire(std::unique_ptr<Stream> stream);

    Component component() const { return component_; }
    std::uint16_t localPort() const { return socket_.localPort(); }
    void setLogContext(const LogContext& log) { log_ = log; }

    // What each packet of the party does; set by the MediaLine.
    void setRoutes(const RouteTable& routes) { routes_ = routes; }
    const RouteTable& routes() const { return routes_; }

    // The party's events that ended (relayed or followed by the route table's translator) since
    // clearEndedEvents(): for the call to log and count, and to play as tones where the other party
    // takes no events.
    std::span<const dtmf::RelayedEvent> endedEvents() const { return std::span(ended_).first(endedCount_); }
    void clearEndedEvents() { endedCount_ = 0; }

    // Sends one packet rtcgate made (transcoded RTP, its own RTCP) to the party: protected in
    // place when the party speaks SRTP (`buffer` has room for the tag). False when it could not go.
    bool send(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t length);
    // Sends one packet that is not relayed media (a STUN response, a DTLS flight) from this socket,
    // as it is. False when it could not go.
    bool sendControl(std::span<const std::uint8_t> packet, const net::Endpoint& to);

    // Where the party said (in its SDP) it receives, at each offer or answer; a change forgets the
    // latched source so that the new address is used until it is learnt again.
    void setAdvertised(const std::optional<net::Endpoint>& advertised, Clock::time_point now);
    // Another offer or answer of the call (EndpointLearning::signalled).
    void signalled(Clock::time_point now) { learning_.signalled(now); }
    const std::optional<net::Endpoint>& advertised() const { return learning_.advertised(); }
    // Where packets to this party go: the ICE-nominated path when the party
    // does ICE, else where it was learnt to send from (EndpointLearning).
    const std::optional<net::Endpoint>& destination() const;
    const std::optional<net::Endpoint>& latched() const { return learning_.learnt(); }

    void setSourceRules(const SourceRules& rules) { learning_.setRules(rules); }

    const StreamStats& stats() const { return stats_; }
    // What the party sent that, transcoded, could not go to the other party (no destination or keys yet).
    void countBlocked() { ++stats_.blocked; }

    // Handles what waits unread in the socket now, as if it had just turned readable: a transcoder about
    // to conceal a frame the shard was too busy to read reads it first.
    void receivePending();

private:
    void waitForPackets();
    void onReadable();
    void relay(std::size_t count);
    // When datagram `i` of the receive batch arrived: the kernel's time, else the wake-up's.
    Clock::time_point arrivalOf(std::size_t i) const;
    // The steps of relay() for datagram `i` of the shard's receive batch.
    // Whether it is media from the party: not malformed, not STUN/DTLS (handed to the transport), from
    // the party's source. Sets `kind`.
    // `fromParty`: whether the packet keeps the call alive (not a stranger's beside the learnt source).
    bool accept(std::size_t i, rtp::PacketKind& kind, bool& fromParty);
    void logLearnt() const;
    // SRTP/SRTCP off in place, when the party speaks it; `length` becomes the clear length.
    bool unprotect(std::size_t i, rtp::PacketKind kind, std::size_t& length);
    void route(std::size_t i, rtp::PacketKind kind, std::size_t length);
    // Adds the datagram to the shard's send batch toward `target`'s party.
    void forward(std::size_t i, rtp::PacketKind kind, std::size_t length, Stream* target);
    void translateEvent(const rtp::RtpPacket& packet);
    // Hands a telephone-event packet to the route table's translator, keeps the events it ended;
    // the packets to relay.
    std::span<const dtmf::EventEmitter::Packet> followEvent(const rtp::RtpPacket& packet, std::uint32_t startTimestamp);

    MediaContext& context_;
    net::UdpSocket socket_;
    Component component_;
    LegTransport& transport_;
    LogContext log_;
    RouteTable routes_;
    std::array<dtmf::RelayedEvent, 8> ended_{};
    std::size_t endedCount_ = 0;
    EndpointLearning learning_;
    // The send batch of the datagram burst being relayed goes out of this socket.
    int batchFd_ = -1;
    StreamStats stats_;
};

} // namespace rtcgate::media
