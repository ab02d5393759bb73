// One party of a call (one SIP tag): the media lines as that party described
// them, and rtcgate's sockets that face it.
#pragma once

#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rtcgate::media {

// One m= line of one leg.
struct LegMedia {
    std::string type;     // audio, video, ...
    std::string protocol; // as the party's SDP says
    sdp::Direction direction = sdp::Direction::SendRecv;
    std::uint16_t port = 0; // the even port of the pair held in the shard's pool; 0: not relayed
    std::unique_ptr<Stream> rtp;
    std::unique_ptr<Stream> rtcp;
    std::unique_ptr<LegTransport> transport; // with the streams: ICE, DTLS, SRTP, rtcp-mux toward the party
    sdp::MediaTransport remote;              // what the party's last SDP said of its side of the line

    bool relayed() const { return port != 0; }
};

class Leg {
public:
    explicit Leg(std::string tag) : tag_(std::move(tag)), created_(std::chrono::system_clock::now()) {}

    const std::string& tag() const { return tag_; }
    void setTag(std::string tag) { tag_ = std::move(tag); }
    std::chrono::system_clock::time_point created() const { return created_; }

    Leg* peer() const { return peer_; }
    void setPeer(Leg* peer) { peer_ = peer; }

    std::vector<LegMedia>& media() { return media_; }
    const std::vector<LegMedia>& media() const { return media_; }

    // Fixes the o= session version of an SDP about to be sent to this party:
    // the same SDP keeps the version it had, any change increments it
    // (RFC 3264 section 8). Returns the serialized SDP.
    std::string finalizeSdp(sdp::SessionDescription& sdp);

private:
    std::string tag_;
    std::chrono::system_clock::time_point created_;
    Leg* peer_ = nullptr;
    std::vector<LegMedia> media_;
    std::string lastSdp_;
    std::uint64_t lastVersion_ = 0;
};

} // namespace rtcgate::media
