#include "rtcgate/media/CallSnapshot.hpp"

#include "rtcgate/media/Call.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/Direction.hpp"
#include "rtcgate/media/Leg.hpp"
#include "rtcgate/media/LineSide.hpp"
#include "rtcgate/media/MediaLine.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

namespace rtcgate::media {

namespace {

StreamSnapshot snapshotOf(const Stream& stream) {
    StreamSnapshot s;
    s.component = stream.component();
    s.localPort = stream.localPort();
    s.endpoint = stream.destination();
    s.advertised = stream.advertised();
    s.stats = stream.stats();
    if (s.stats.lastPacket) {
        s.lastPacket = wallClockOf(*s.stats.lastPacket);
    }
    return s;
}

// The party's side of a line, what it sends and what it receives.
MediaSnapshot snapshotOf(unsigned index, const LineSide& side, const Direction& sent, const Direction& received) {
    const SideDescription& description = side.description;
    MediaSnapshot m{.index = index,
                    .type = description.type,
                    .protocol = description.protocol,
                    .direction = std::string(sdp::toString(description.direction)),
                    .streams = {}};
    if (side.relayed()) {
        m.streams = {snapshotOf(side.rtp()), snapshotOf(side.rtcp())};
        if (side.transport().iceEnabled() || side.transport().secure()) {
            m.transport = side.transport().snapshot();
        }
    }
    if (description.codec) {
        m.codec = description.codec->name();
    }
    if (const Transcoder* transcoder = sent.transcoder()) {
        m.transcoding = true;
        m.jitter = transcoder->jitterStatistics();
        m.transcoder = transcoder->statistics();
    }
    if (const Transcoder* toward = received.transcoder()) {
        m.opusComplexity = toward->opusComplexity();
    }
    if (const LegRtcp* reports = side.reports()) {
        m.rtcp = reports->snapshot();
        if (m.jitter && m.transcoder) {
            m.quality = measureQuality(*m.jitter, *m.transcoder, *m.rtcp);
        }
    }
    m.qualityHistory = side.qualityHistory();
    return m;
}

// A party's side of a line that is declined: what its SDP said, nothing relayed.
MediaSnapshot snapshotOf(unsigned index, const DeclinedLine* line, std::size_t side) {
    MediaSnapshot m{.index = index,
                    .type = {},
                    .protocol = {},
                    .direction = std::string(sdp::toString(SideDescription{}.direction)),
                    .streams = {}};
    if (line != nullptr) {
        m.type = line->sides[side].type;
        m.protocol = line->sides[side].protocol;
    }
    return m;
}

} // namespace

CallSnapshot snapshotOf(const Call& call) {
    CallSnapshot snapshot{.callId = call.id(),
                          .created = call.created(),
                          .lastSignal = call.lastSignal(),
                          .deleted = call.deleted(),
                          .legs = {}};
    for (const auto& leg : call.legs()) {
        LegSnapshot legSnapshot{.tag = leg->tag(),
                                .label = leg->label(),
                                .dtmfBlocked = leg->dtmfBlocked(),
                                .dtmfCount = leg->digitCount(),
                                .dtmf = {leg->digits().begin(), leg->digits().end()},
                                .created = leg->created(),
                                .peerTag = leg->peer() != nullptr ? leg->peer()->tag() : std::string{},
                                .medias = {}};
        if (const auto side = leg->side()) {
            unsigned index = 0;
            for (const auto& line : call.lines()) {
                ++index;
                if (const MediaLine* media = mediaLineOf(line)) {
                    legSnapshot.medias.push_back(snapshotOf(index, media->side(*side), media->from(*side),
                                                            media->from(MediaLine::other(*side))));
                } else {
                    legSnapshot.medias.push_back(snapshotOf(index, declinedLineOf(line)->get(), *side));
                }
            }
        }
        snapshot.legs.push_back(std::move(legSnapshot));
    }
    return snapshot;
}

} // namespace rtcgate::media
