// One transport component (RTP or RTCP) of one media line of one leg: the
// socket that faces that leg's party, where packets to that party go, and
// the counters of what the party sent. This is the media hot path.
#pragma once

#include "rtcgate/dtmf/EventTranslator.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/net/UdpSocket.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace rtcgate::media {

class LegTransport;
class LegRtcp;
class Transcoder;

enum class Component {
    Rtp,
    Rtcp
};

struct StreamStats {
    std::uint64_t packets = 0; // received from the party and accepted
    std::uint64_t bytes = 0;
    std::uint64_t errors = 0;  // dropped: malformed, truncated, from a foreign source under strict source,
                               // refused STUN/DTLS, SRTP that fails authentication or replay checks
    std::uint64_t blocked = 0; // accepted but not forwarded (hold, no destination yet, call deleted)
    std::uint64_t sent = 0;    // packets rtcgate made and sent to the party (transcoded media)
    std::optional<Clock::time_point> lastPacket;
};

class Stream {
public:
    Stream(MediaContext& context, Component component)
        : context_(context), socket_(context.io), component_(component) {}
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    bool open(std::uint16_t port);
    // Stops reading. The object must outlive the handlers already queued:
    // destroy it from a handler posted after close() (see Call::~Call).
    void close();

    Component component() const { return component_; }
    std::uint16_t localPort() const { return socket_.localPort(); }

    // The stream on the other leg that RTP received here is sent from, and
    // the one RTCP is sent from (the same, or the other leg's RTP stream when
    // that leg multiplexes RTCP, RFC 5761).
    void setPartners(Stream* partner, Stream* rtcpPartner) {
        partner_ = partner;
        rtcpPartner_ = rtcpPartner;
    }
    // Forgets `stream` as a partner (it is going away).
    void forgetPartner(const Stream* stream);
    Stream* partner() const { return partner_; }
    Stream* rtcpPartner() const { return rtcpPartner_; }

    // ICE, DTLS and SRTP of the line, when the party speaks more than plain
    // RTP; nullptr: plain RTP. Not owned.
    void setTransport(LegTransport* transport) { transport_ = transport; }
    // When set, RTP from this party goes into `transcoder` instead of to the partner. Not owned.
    void setTranscoder(Transcoder* transcoder) { transcoder_ = transcoder; }
    // When set, RTP from this party is counted in `reports`, and RTCP from it is read there
    // instead of being relayed. Not owned.
    void setReports(LegRtcp* reports) { reports_ = reports; }
    // When set, the party's telephone-event packets of `payloadType` go through `events`: with a
    // transcoder, out of the partner stream at the other party's clock; without (passed through as
    // they are), only followed, so that the call counts their digits. Not owned.
    void setEvents(dtmf::EventTranslator* events, std::uint8_t payloadType) {
        events_ = events;
        eventPayloadType_ = payloadType;
    }
    // The party's events that ended (relayed or followed through `events`) since clearEndedEvents():
    // for the call to log and count, and to play as tones where the other party takes no events.
    std::span<const dtmf::RelayedEvent> endedEvents() const { return std::span(ended_).first(endedCount_); }
    void clearEndedEvents() { endedCount_ = 0; }
    // Sends one packet rtcgate made (transcoded RTP, its own RTCP) to the party: protected in
    // place when the party speaks SRTP (`buffer` has room for the tag). False when it could not go.
    bool send(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t length);
    // Sends one packet that is not relayed media (a STUN response, a DTLS flight) from this socket,
    // as it is. False when it could not go.
    bool sendControl(std::span<const std::uint8_t> packet, const net::Endpoint& to);

    // Closes the stream and frees it once the handlers already queued for it
    // have run (they hold a pointer to it).
    static void retire(std::unique_ptr<Stream> stream);

    // Where the party said (in its SDP) it receives; a change forgets the
    // latched source so that the new address is used until it sends.
    void setAdvertised(const std::optional<net::Endpoint>& advertised);
    const std::optional<net::Endpoint>& advertised() const { return advertised_; }
    // Where packets to this party go: the ICE-nominated path when the party
    // does ICE, else the latched source, else the advertised address.
    const std::optional<net::Endpoint>& destination() const;
    const std::optional<net::Endpoint>& latched() const { return latched_; }

    void setStrictSource(bool strict) { strictSource_ = strict; }
    // Whether RTP from this party is forwarded (media directions, RFC 3264 section 5.1).
    // RTCP always is.
    void setForwardRtp(bool forward) { forwardRtp_ = forward; }
    void setForwarding(bool forwarding) { forwarding_ = forwarding; }
    // RTP of these payload types from this party is dropped and counted as blocked (ng "block DTMF"); events of
    // them are still followed (setEvents) to count their digits.
    void setBlockedPayloadTypes(const std::bitset<128>& types) { blockedPayloadTypes_ = types; }

    const StreamStats& stats() const { return stats_; }
    // What the party sent that, transcoded, could not go to the other party (no destination or keys yet).
    void countBlocked() { ++stats_.blocked; }

private:
    void waitForPackets();
    void onReadable();
    void relay(std::size_t count);
    void relayEvent(const rtp::RtpPacket& packet);
    // Hands a telephone-event packet to `events_`, keeps the events it ended; the packets to relay.
    std::span<const dtmf::EventEmitter::Packet> followEvent(const rtp::RtpPacket& packet, std::uint32_t startTimestamp);

    MediaContext& context_;
    net::UdpSocket socket_;
    Component component_;
    Stream* partner_ = nullptr;
    Stream* rtcpPartner_ = nullptr;
    LegTransport* transport_ = nullptr;
    Transcoder* transcoder_ = nullptr;
    LegRtcp* reports_ = nullptr;
    dtmf::EventTranslator* events_ = nullptr;
    std::uint8_t eventPayloadType_ = 0;
    std::array<dtmf::RelayedEvent, 8> ended_{};
    std::size_t endedCount_ = 0;
    std::optional<net::Endpoint> advertised_;
    std::optional<net::Endpoint> latched_;
    bool strictSource_ = false;
    bool forwardRtp_ = true;
    bool forwarding_ = true;
    std::bitset<128> blockedPayloadTypes_;
    StreamStats stats_;
};

} // namespace rtcgate::media
