// What query reports of a call: taken on the shard (snapshotOf) and formatted on the control thread.
#pragma once

#include "rtcgate/jitter/JitterStatistics.hpp"
#include "rtcgate/media/DtmfDigit.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/LineQuality.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/media/Transcoder.hpp"
#include "rtcgate/net/Endpoint.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::media {

class Call;

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
    std::string codec{};                          // what the party sends and receives, once answered
    bool transcoding = false;                     // what the party sends is re-encoded for the other
    std::optional<jitter::JitterStatistics> jitter{};
    std::optional<TranscoderStatistics> transcoder{};
    std::optional<int> opusComplexity{};      // of the transcoder toward the party, when it encodes Opus
    std::optional<LegRtcpSnapshot> rtcp{};    // while transcoded: rtcgate's own RTCP with the party
    std::optional<QualitySnapshot> quality{}; // now
    QualityHistory qualityHistory{};          // over the call, sampled at each of rtcgate's reports
};
struct LegSnapshot {
    std::string tag;
    std::string label; // ng "label" of the party's offer or answer
    bool dtmfBlocked = false;
    std::uint64_t dtmfCount = 0; // the party's digits in all
    std::vector<DtmfDigit> dtmf; // its last Leg::kDigitHistory digits
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

CallSnapshot snapshotOf(const Call& call);

} // namespace rtcgate::media
