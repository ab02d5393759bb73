// A call: its legs (one per SIP tag), the offer/answer exchange that
// describes them, and the wiring of their streams.
#pragma once

#include "rtcgate/media/Leg.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/media/TransportRequest.hpp"
#include "rtcgate/sdp/SdpRewriter.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::media {

// One offer or answer as the signaling proxy hands it over.
struct Signal {
    std::string fromTag;
    std::string toTag;
    sdp::SessionDescription sdp;
    bool strictSource = false;
    bool replaceOrigin = false;
    bool replaceSessionConnection = false;
    // Where the party's media comes from when the SDP's address is not to be
    // trusted ("SIP source address" with "received from").
    std::optional<std::string> addressOverride;
    // ICE, DTLS, SDES, protocol and rtcp-mux toward the party the SDP goes to.
    TransportRequest transport;
};

struct SignalResult {
    std::string sdp;
    std::string error; // empty on success

    bool ok() const { return error.empty(); }
};

// What query reports, taken on the shard and formatted on the control thread.
struct StreamSnapshot {
    Component component = Component::Rtp;
    std::uint16_t localPort = 0;
    std::optional<net::Endpoint> endpoint;
    std::optional<net::Endpoint> advertised;
    StreamStats stats;
    std::optional<std::chrono::system_clock::time_point> lastPacket;
};
struct MediaSnapshot {
    unsigned index = 0; // 1-based, as rtpengine counts
    std::string type;
    std::string protocol;
    std::string direction;
    std::vector<StreamSnapshot> streams;
    std::optional<TransportSnapshot> transport{}; // when the line does ICE, DTLS or SRTP
};
struct LegSnapshot {
    std::string tag;
    std::chrono::system_clock::time_point created;
    std::string peerTag;
    std::vector<MediaSnapshot> medias;
};
struct CallSnapshot {
    std::string callId;
    std::chrono::system_clock::time_point created;
    std::chrono::system_clock::time_point lastSignal;
    bool deleted = false;
    std::vector<LegSnapshot> legs;
};

class Call {
public:
    Call(std::string id, MediaContext& context);
    ~Call();
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    const std::string& id() const { return id_; }

    // The offerer (fromTag) describes its media; the result is the SDP for
    // the other party, with rtcgate's sockets facing that party.
    SignalResult offer(const Signal& signal);
    // The answerer (toTag) describes its media; the result is the SDP for
    // the offerer (fromTag).
    SignalResult answer(const Signal& signal);

    // Stops media at once and closes the sockets; the ports stay held until
    // the Call is destroyed (after --delete-delay).
    void markDeleted();
    bool deleted() const { return deleted_; }

    // The last time a packet arrived on any stream, or the call was signaled.
    Clock::time_point lastActivity() const;
    CallSnapshot snapshot() const;
    // Every stream's counters added up (lastPacket left empty).
    StreamStats totals() const;
    // DTLS retransmission and ICE consent of every line; from the shard's housekeeping.
    void onTick(Clock::time_point now);

private:
    // Calls function(Stream&) for every open stream of every leg (the Call
    // owns them, so this is also how markDeleted reaches them).
    template <typename Function>
    void forEachStream(Function&& function) const;
    Leg& legFor(const std::string& tag);
    Leg* findLeg(const std::string& tag);
    // Applies `owner`'s SDP; `other` is the leg the result goes to.
    enum class Exchange {
        Offer,
        Answer
    };
    std::string applyRemote(Leg& owner, Leg& other, const Signal& signal, Exchange exchange);
    void negotiate(LegMedia& owner, LegMedia& other, const sdp::MediaTransport& remote, const Signal& signal,
                   Exchange exchange);
    std::string openMedia(LegMedia& media);
    void closeMedia(LegMedia& media);
    void wire(LegMedia& a, LegMedia& b);
    void updateForwarding();
    // The SDP for `recipient`: an offer made to it, or the answer to its offer.
    SignalResult render(Leg& recipient, const Signal& signal, Exchange exchange);

    std::string id_;
    MediaContext& context_;
    std::vector<std::unique_ptr<Leg>> legs_;
    std::chrono::system_clock::time_point created_;
    std::chrono::system_clock::time_point lastSignal_;
    Clock::time_point lastSignalSteady_;
    bool strictSource_ = false;
    bool deleted_ = false;
};

} // namespace rtcgate::media
