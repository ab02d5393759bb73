#include "rtcgate/media/MediaLine.hpp"

#include "rtcgate/codec/AudioCodec.hpp"
#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/LineQuality.hpp"
#include "rtcgate/media/RouteTable.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/media/Transcoder.hpp"
#include "rtcgate/media/TransportPlan.hpp"

#include <charconv>

namespace rtcgate::media {

namespace {

bool canSend(sdp::Direction d) {
    return d == sdp::Direction::SendRecv || d == sdp::Direction::SendOnly;
}

bool canReceive(sdp::Direction d) {
    return d == sdp::Direction::SendRecv || d == sdp::Direction::RecvOnly;
}

// The a=ptime of a media line (RFC 4566 section 6), or 20 ms.
unsigned ptimeOf(const sdp::MediaDescription& line) {
    constexpr unsigned kDefault = 20;
    const auto value = line.attribute("ptime");
    unsigned ptime = 0;
    if (!value || std::from_chars(value->data(), value->data() + value->size(), ptime).ec != std::errc{} ||
        ptime < 10 || ptime > 120) {
        return kDefault;
    }
    return ptime;
}

} // namespace

MediaLine::MediaLine(MediaContext& context, DigitRecorder& recorder, const DeclinedLine* declined)
    : context_(context),
      sides_{LineSide(context, {}), LineSide(context, {})},
      directions_{Direction(0, recorder), Direction(1, recorder)} {
    if (declined == nullptr) {
        return;
    }
    for (std::size_t side = 0; side < kSides; ++side) {
        SideDescription& description = sides_[side].description;
        description.type = declined->sides[side].type;
        description.protocol = declined->sides[side].protocol;
        description.described = declined->sides[side].described;
    }
}

void MediaLine::describe(std::size_t owner, const sdp::MediaDescription& line) {
    SideDescription& mine = sides_[owner].description;
    mine.described = true;
    mine.type = line.media;
    mine.protocol = line.protocol;
    mine.formats = sdp::readPayloadFormats(line);
    mine.ptime = ptimeOf(line);
    SideDescription& theirs = sides_[other(owner)].description;
    if (theirs.type.empty()) {
        theirs.type = line.media;
        theirs.protocol = line.protocol;
    }
}

std::optional<CallError> MediaLine::open(std::size_t first) {
    auto failure = sides_[first].open();
    if (!failure) {
        failure = sides_[other(first)].open();
    }
    route();
    return failure;
}

void MediaLine::closeSide(std::size_t side) {
    stopTranscoding();
    sides_[side].close();
    sides_[side].description = SideDescription{};
    route();
}

void MediaLine::close() {
    stopTranscoding();
    for (auto& side : sides_) {
        side.close();
    }
    route();
}

void MediaLine::negotiate(std::size_t owner, const sdp::MediaTransport& remote, const TransportRequest& request,
                          Exchange exchange) {
    LineSide& mine = sides_[owner];
    LineSide& theirs = sides_[other(owner)];
    mine.description.remote = remote;
    const Clock::time_point now = Clock::now();
    if (exchange == Exchange::Offer) {
        mine.transport().receiveOffer(remote);
        mine.description.offeredDtlsAlone = remote.fingerprint && remote.crypto.empty();
        const auto recipient = theirs.description.described ? std::optional(theirs.description.remote) : std::nullopt;
        theirs.transport().sendOffer(planOffer(remote, request, recipient, theirs.description.offeredDtlsAlone), now);
    } else {
        mine.transport().receiveAnswer(remote, now);
        TransportPlan plan = planAnswer(theirs.description.remote, request, theirs.transport().dtlsRole());
        plan.sdesPreferred = mine.transport().sdesSuite();
        theirs.transport().sendAnswer(plan, now);
    }
    for (auto& side : sides_) {
        side.transport().flush(side.rtp());
    }
    route(); // rtcp-mux decides where RTCP goes
}

void MediaLine::configure(std::size_t offerer, const std::optional<CodecSelection>& selection) {
    const std::size_t answerer = other(offerer);
    if (!selection) {
        sides_[offerer].description.codec.reset();
        sides_[answerer].description.codec.reset();
        stopTranscoding();
        route();
        return;
    }
    sides_[offerer].description.codec = selection->offerer;
    sides_[answerer].description.codec = selection->answerer;
    if (selection->transcode) {
        startTranscoding(offerer, selection->offerer, selection->answerer);
        startTranscoding(answerer, selection->answerer, selection->offerer);
        directions_[offerer].startEvents(selection->offererTelephoneEvent, selection->answererTelephoneEvent,
                                         sides_[answerer]);
        directions_[answerer].startEvents(selection->answererTelephoneEvent, selection->offererTelephoneEvent,
                                          sides_[offerer]);
        for (std::size_t side = 0; side < kSides; ++side) {
            if (directions_[side].transcoder() != nullptr) {
                sides_[side].startReports(Clock::now());
            }
        }
    } else {
        stopTranscoding();
        directions_[offerer].followEvents(selection->offererTelephoneEvent, sides_[answerer]);
        directions_[answerer].followEvents(selection->answererTelephoneEvent, sides_[offerer]);
    }
    route();
}

void MediaLine::startTranscoding(std::size_t source, const sdp::PayloadFormat& from, const sdp::PayloadFormat& to) {
    const auto sourceCodec = transcodableCodec(from);
    const auto targetCodec = transcodableCodec(to);
    if (!sourceCodec || !targetCodec) {
        directions_[source].stop();
        sides_[source].stopReports();
        return;
    }
    const LineSide& sender = sides_[source];
    LineSide& receiver = sides_[other(source)];
    directions_[source].startTranscoding(
        {
            .sourceCodec = *sourceCodec,
            .sourcePayloadType = from.payloadType,
            .sourcePtimeMs =
                *sourceCodec == codec::AudioCodec::Opus ? codec::kFrameMilliseconds : sender.description.ptime,
            .targetCodec = *targetCodec,
            .targetPayloadType = to.payloadType,
            .targetPtimeMs = receiver.description.ptime,
            .jitter = context_.transcoding.jitter,
            .opus = context_.transcoding.opus,
        },
        sender, receiver);
}

void MediaLine::stopTranscoding() {
    for (std::size_t side = 0; side < kSides; ++side) {
        directions_[side].stop();
        sides_[side].stopReports();
    }
}

void MediaLine::setRemote(std::size_t owner, const sdp::PeerTransport& transport,
                          const std::optional<net::Endpoint>& rtp, const std::optional<net::Endpoint>& rtcp) {
    sides_[owner].description.direction = transport.direction;
    sides_[owner].description.zeroAddress = transport.zeroAddress;
    const Clock::time_point now = Clock::now();
    sides_[owner].setAdvertised(rtp, rtcp, now);
    sides_[other(owner)].signalled(now);
    route();
}

void MediaLine::setSourceRules(const SourceRules& rules) {
    sourceRules_ = rules;
    route();
}

void MediaLine::setDtmfBlocked(std::size_t side, bool blocked) {
    directions_[side].setBlocked(blocked);
    route();
}

void MediaLine::stop() {
    for (auto& side : sides_) {
        side.stop();
    }
}

void MediaLine::route() {
    for (std::size_t side = 0; side < kSides; ++side) {
        routeSide(side);
    }
}

void MediaLine::routeSide(std::size_t side) {
    LineSide& source = sides_[side];
    LineSide& target = sides_[other(side)];
    if (!source.relayed()) {
        return;
    }
    source.rtp().setSourceRules(sourceRules_);
    source.rtcp().setSourceRules(sourceRules_);
    if (!target.relayed()) {
        source.rtp().setRoutes(RouteTable::closed());
        source.rtcp().setRoutes(RouteTable::closed());
        return;
    }
    const Direction& direction = directions_[side];
    Transcoder* transcoder = direction.transcoder();
    // A transcoded line ends RTCP at each leg: the other party's reports describe a stream this
    // party never receives (RFC 3550 section 7.2, a translator that changes the payload).
    Stream* rtcpTarget = transcoding() ? nullptr : &target.rtcpSender();
    const bool forward = canSend(source.description.direction) && canReceive(target.description.direction);
    if (transcoder != nullptr) {
        transcoder->setHeld(!forward);
    }

    RouteTable rtp{.rtp = {},
                   .rtcp = source.reports() != nullptr ? Route::Terminate : Route::Forward,
                   .forwardRtp = forward,
                   .rtpTarget = &target.rtp(),
                   .rtcpTarget = rtcpTarget,
                   .transcoder = transcoder,
                   .reports = source.reports(),
                   .events = direction.events()};
    rtp.rtp.fill(transcoder != nullptr ? Route::Transcode : Route::Forward);
    if (direction.events() != nullptr) {
        rtp.rtp[direction.eventPayloadType() & 0x7FU] =
            transcoder != nullptr ? Route::TranslateEvent : Route::FollowAndForward;
    }
    if (direction.blocked()) {
        for (const auto& format : source.description.formats) {
            if (isTelephoneEvent(format)) {
                const bool followed =
                    direction.events() != nullptr && format.payloadType == direction.eventPayloadType();
                rtp.rtp[format.payloadType & 0x7FU] = followed ? Route::FollowAndBlock : Route::Block;
            }
        }
    }
    source.rtp().setRoutes(rtp);

    // RTP that arrives on the RTCP port goes where RTCP goes.
    source.rtcp().setRoutes({.rtp = {},
                             .rtcp = rtp.rtcp,
                             .forwardRtp = true,
                             .rtpTarget = rtcpTarget,
                             .rtcpTarget = rtcpTarget,
                             .transcoder = nullptr,
                             .reports = source.reports(),
                             .events = nullptr});
}

void MediaLine::setOpusComplexity(int complexity) {
    for (auto& direction : directions_) {
        if (Transcoder* transcoder = direction.transcoder()) {
            transcoder->setOpusComplexity(complexity);
        }
    }
}

void MediaLine::onMediaTick(Clock::time_point now) {
    for (std::size_t side = 0; side < kSides; ++side) {
        if (sides_[side].relayed()) {
            directions_[side].onMediaTick(sides_[side], sides_[other(side)], context_.transcoding, now);
        }
    }
}

void MediaLine::onTick(Clock::time_point now) {
    for (std::size_t side = 0; side < kSides; ++side) {
        LineSide& party = sides_[side];
        if (!party.relayed()) {
            continue;
        }
        party.transport().onTick(now);
        party.transport().flush(party.rtp());
        directions_[side].drainFollowed(party, now);
        if (party.reports() != nullptr) {
            const Transcoder* decoding = directions_[side].transcoder();
            if (party.sendReport(now) && decoding != nullptr) {
                const LegRtcpSnapshot rtcp = party.reports()->snapshot();
                party.recordQuality(
                    {.quality = measureQuality(decoding->jitterStatistics(), decoding->statistics(), rtcp),
                     .at = wallClockOf(now),
                     .ssrc = rtcp.ssrc});
            }
            // What the party loses of rtcgate's stream sets how strongly its Opus FEC is coded.
            Transcoder* toward = directions_[other(side)].transcoder();
            if (auto loss = party.reports()->remoteLossPercent(); loss && toward != nullptr) {
                toward->setExpectedLoss(*loss);
            }
        }
    }
}

} // namespace rtcgate::media
