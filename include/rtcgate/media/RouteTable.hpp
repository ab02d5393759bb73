// What a Stream does with each packet its party sends: decided by the stream's MediaLine once per
// negotiation (and at block DTMF), read on the hot path with one lookup by payload type.
#pragma once

#include <array>
#include <cstdint>

namespace rtcgate::dtmf {
class EventTranslator;
}

namespace rtcgate::media {

class LegRtcp;
class Stream;
class Transcoder;

enum class Route : std::uint8_t {
    Forward,          // to the other party as it came (protected for it when it speaks SRTP)
    FollowAndForward, // telephone-event passed through: followed by the translator so that its digits are counted
    Transcode,        // into the Transcoder, counted by rtcgate's RTCP toward the party
    TranslateEvent,   // telephone-event re-sent by the translator at the other party's clock (transcoded line)
    Block,            // dropped, counted as blocked
    FollowAndBlock,   // a blocked party's telephone-event: followed (muted) to be counted and logged, then dropped
    Terminate,        // RTCP read by rtcgate's own RTCP toward the party (transcoded line)
};

struct RouteTable {
    std::array<Route, 128> rtp{}; // by payload type; Forward by default
    Route rtcp = Route::Forward;
    // RTP may flow from this party to the other: its direction sends and the other's receives (RFC 3264
    // section 5.1). RTCP always flows.
    bool forwardRtp = true;

    // What the routes hand packets to; all of them belong to the same MediaLine as the stream.
    Stream* rtpTarget = nullptr;  // the other party's stream that RTP is sent from
    Stream* rtcpTarget = nullptr; // the one RTCP is sent from (its RTP stream when it muxes, RFC 5761)
    Transcoder* transcoder = nullptr;
    LegRtcp* reports = nullptr;
    dtmf::EventTranslator* events = nullptr;

    // Everything blocked, no targets: a stream whose line is closed or whose call is deleted.
    static RouteTable closed() {
        RouteTable table;
        table.rtp.fill(Route::Block);
        table.rtcp = Route::Block;
        return table;
    }
};

} // namespace rtcgate::media
