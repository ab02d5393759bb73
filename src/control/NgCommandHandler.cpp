#include "rtcgate/control/NgCommandHandler.hpp"

#include "rtcgate/dtmf/DtmfEventLog.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/sdp/SdpRewriter.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace rtcgate::control {

void appendWarning(bencode::Dict& reply, std::string text) {
    if (auto earlier = reply.find("warning"); earlier != reply.end() && earlier->second.isString()) {
        text = earlier->second.asString() + "; " + text;
    }
    reply["warning"] = std::move(text);
}

namespace {

using bencode::Dict;
using bencode::List;

bencode::Integer unixSeconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The microseconds within the second, as rtpengine's "created_us" beside "created".
bencode::Integer microsecondsOfSecond(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count() % 1'000'000;
}

Dict endpointDict(const std::optional<net::Endpoint>& endpoint) {
    if (!endpoint) {
        return Dict{};
    }
    return Dict{{"family", std::string(net::familyName(*endpoint))},
                {"address", endpoint->address().to_string()},
                {"port", bencode::Integer{endpoint->port()}}};
}

struct Counters {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    std::uint64_t errors = 0;

    Dict toDict() const {
        return Dict{{"packets", static_cast<bencode::Integer>(packets)},
                    {"bytes", static_cast<bencode::Integer>(bytes)},
                    {"errors", static_cast<bencode::Integer>(errors)}};
    }
};

bencode::Integer count(std::uint64_t value) {
    return static_cast<bencode::Integer>(value);
}

std::string_view keyingName(media::Keying keying) {
    switch (keying) {
    case media::Keying::None:
        return "";
    case media::Keying::Dtls:
        return "DTLS";
    case media::Keying::Sdes:
        return "SDES";
    }
    return "";
}

// rtcgate's own keys (rtpengine's query has none for these): per media line,
// what rtcgate runs toward the party.
void addTransport(const media::TransportSnapshot& transport, Dict& media) {
    media["transport protocol"] = transport.protocol;
    media["rtcp-mux"] = transport.rtcpMux ? 1 : 0;
    if (transport.ice != media::IceState::Off) {
        media["ICE"] = Dict{{"state", std::string(media::toString(transport.ice))},
                            {"selected", transport.iceSelected ? net::toString(*transport.iceSelected) : ""},
                            {"checks answered", count(transport.stunAnswered)},
                            {"checks rejected", count(transport.counters.stunRejected)},
                            {"foreign media", count(transport.counters.foreignMedia)}};
    }
    if (transport.dtlsState) {
        media["DTLS"] = Dict{{"state", *transport.dtlsState},
                             {"role", transport.dtlsRole},
                             {"cipher", transport.dtlsCipher},
                             {"failure", transport.dtlsFailure},
                             {"failures", count(transport.counters.dtlsFailures)},
                             {"discarded", count(transport.dtlsDiscarded)},
                             {"refused", count(transport.counters.dtlsRefused)}};
    }
    media["SRTP"] = Dict{{"keying", std::string(keyingName(transport.keying))},
                         {"profile", transport.srtpProfile},
                         {"auth failures", count(transport.counters.srtpAuthFailed)},
                         {"replayed", count(transport.counters.srtpReplayed)},
                         {"before keys", count(transport.counters.srtpNotReady)}};
}

// Adds "label 'item' 'item' ..." to the reply's warning, after what it already says.
void appendWarning(std::string_view label, const std::vector<std::string>& items, Dict& reply) {
    if (items.empty()) {
        return;
    }
    std::string text(label);
    for (const auto& item : items) {
        text += " '" + item + "'";
    }
    control::appendWarning(reply, std::move(text));
}

// bencode has no fractions: shares go out in thousandths.
bencode::Integer permille(double share) {
    return static_cast<bencode::Integer>(std::llround(share * 1000));
}

// What the party sends and receives, and, when it is transcoded, its jitter buffer, RTCP and quality.
void addCodec(const media::MediaSnapshot& media, Dict& out) {
    if (media.codec.empty()) {
        return;
    }
    out["codec"] = media.codec;
    out["transcoding"] = media.transcoding ? 1 : 0;
    if (media.opusComplexity) {
        out["Opus complexity"] = bencode::Integer{*media.opusComplexity}; // what rtcgate sends the party
    }
    if (!media.jitter || !media.transcoder) {
        return;
    }
    const auto& jitter = *media.jitter;
    const auto& transcoder = *media.transcoder;
    const auto milliseconds = [](std::chrono::microseconds us) {
        return static_cast<bencode::Integer>(us.count() / 1000);
    };
    out["jitter buffer"] = Dict{{"current delay ms", milliseconds(jitter.currentDelay)},
                                {"target delay ms", milliseconds(jitter.targetDelay)},
                                {"received", count(jitter.received)},
                                {"late", count(jitter.late)},
                                {"duplicates", count(jitter.duplicates)},
                                {"lost", count(jitter.lost)},
                                {"concealed", count(transcoder.concealed)},
                                {"FEC recovered", count(transcoder.fecRecovered)},
                                {"lost in silence", count(jitter.silent)},
                                {"dropped", count(jitter.dropped)},
                                {"inserted", count(jitter.inserted)},
                                {"resyncs", count(jitter.resyncs)}};
    if (media.rtcp) {
        const auto& rtcp = *media.rtcp;
        Dict reports{{"packets received", count(rtcp.packetsReceived)},
                     {"lost", static_cast<bencode::Integer>(rtcp.lost)},
                     {"fraction lost", permille(rtcp.fractionLost)},
                     {"jitter ms", static_cast<bencode::Integer>(rtcp.jitterMs)},
                     {"packets sent", count(rtcp.packetsSent)},
                     {"reports sent", count(rtcp.reportsSent)},
                     {"reports received", count(rtcp.reportsReceived)},
                     {"malformed", count(rtcp.malformed)}};
        if (rtcp.roundTrip) {
            reports["RTT ms"] = static_cast<bencode::Integer>(rtcp.roundTrip->count() / 1000);
        }
        if (rtcp.remoteFractionLost) {
            reports["remote fraction lost"] = permille(*rtcp.remoteFractionLost);
            reports["remote jitter ms"] = static_cast<bencode::Integer>(rtcp.remoteJitterMs.value_or(0));
        }
        out["RTCP"] = std::move(reports);
    }
    if (media.quality) {
        const auto& quality = *media.quality;
        Dict q{{"loss permille", permille(quality.loss)},
               {"jitter ms", static_cast<bencode::Integer>(quality.jitterMs)},
               {"concealed permille", permille(quality.concealedShare)},
               {"MOS x100", static_cast<bencode::Integer>(std::llround(quality.mos * 100))}};
        if (quality.rttMs) {
            q["RTT ms"] = static_cast<bencode::Integer>(*quality.rttMs);
        }
        out["quality"] = std::move(q);
    }
    out["transcoder"] = Dict{{"decoded", count(transcoder.decoded)},
                             {"decode errors", count(transcoder.decodeErrors)},
                             {"other payload", count(transcoder.otherPayload)},
                             {"sent", count(transcoder.sent)},
                             {"skipped", count(transcoder.skipped)}};
}

// One of rtpengine's MOS entries: MOS times ten, loss in percent, jitter in ms, round-trip times in microseconds,
// as Kamailio's rtpengine_query() reads them into its mos_* variables.
Dict mosEntry(const media::QualitySample& sample) {
    const auto& q = sample.quality;
    Dict entry{{"MOS", static_cast<bencode::Integer>(std::llround(q.mos * 10))},
               {"packet loss", static_cast<bencode::Integer>(std::llround(q.loss * 100))},
               {"jitter", static_cast<bencode::Integer>(std::llround(q.jitterMs))},
               {"reported at", unixSeconds(sample.at)}};
    if (q.rttMs) {
        // rtpengine's "round-trip time" spans both legs; rtcgated ends RTCP on each leg of a transcoded line and
        // measures the party's leg only: both keys carry that (the other party's leg is its own SSRC's entry).
        const auto microseconds = static_cast<bencode::Integer>(std::llround(*q.rttMs * 1000));
        entry["round-trip time"] = microseconds;
        entry["round-trip time leg"] = microseconds;
    }
    return entry;
}

// rtpengine's per-SSRC quality of what each party sends: average, lowest and highest MOS over the call.
void addSsrcQuality(const media::MediaSnapshot& media, Dict& ssrcs) {
    const auto& history = media.qualityHistory;
    const auto average = history.average();
    if (!average || !history.ssrc()) {
        return;
    }
    Dict mean = mosEntry(*average);
    mean.erase("reported at");
    mean["samples"] = static_cast<bencode::Integer>(history.samples());
    Dict entry{{"average MOS", std::move(mean)},
               {"lowest MOS", mosEntry(*history.lowest())},
               {"highest MOS", mosEntry(*history.highest())}};
    if (media.rtcp) {
        entry["cumulative loss"] = static_cast<bencode::Integer>(std::max<std::int64_t>(media.rtcp->lost, 0));
    }
    ssrcs[std::to_string(*history.ssrc())] = std::move(entry);
}

std::string describe(const media::CallFailure& failure) {
    switch (failure.error) {
    case media::CallError::UnknownFromTag:
        return "Unknown from-tag";
    case media::CallError::UnknownToTag:
        return "Unknown to-tag";
    case media::CallError::NoTag:
        return "No from-tag or to-tag in message";
    case media::CallError::NotAnswered:
        return "The call has no answer yet";
    case media::CallError::MediaLineCount:
        return "Answer has " + std::to_string(failure.answerLines) + " media lines, the offer had " +
               std::to_string(failure.offerLines);
    case media::CallError::OutOfPorts:
        return "Ran out of ports";
    case media::CallError::PortsInQuarantine:
        return "Ran out of ports: the free ones were released too recently (--port-quarantine)";
    case media::CallError::OutOfDescriptors:
        return "Out of file descriptors: the open-file limit (ulimit -n, LimitNOFILE) is below what the port range "
               "needs";
    case media::CallError::NotTranscoded:
        return "Media toward '" + failure.tag + "' is not transcoded: offer with the flag 'inject DTMF'";
    case media::CallError::DtmfQueueFull:
        return "Too many DTMF digits queued";
    }
    return "Call error";
}

Dict signalReply(const media::SignalResult& result) {
    if (result.failure) {
        return errorReply(describe(*result.failure));
    }
    Dict reply{{"result", "ok"}, {"sdp", result.sdp}};
    appendWarning("Not done:", result.warnings, reply);
    return reply;
}

media::Signal signalFrom(const NgRequest& request, sdp::SessionDescription description) {
    media::Signal signal;
    signal.fromTag = request.fromTag;
    signal.toTag = request.toTag;
    signal.label = request.label;
    signal.sdp = std::move(description);
    signal.strictSource = request.flags.strictSource;
    signal.mediaHandover = request.flags.mediaHandover;
    signal.endpointLearning = request.flags.endpointLearning;
    signal.replaceOrigin = request.flags.replaceOrigin;
    signal.replaceSessionConnection = request.flags.replaceSessionConnection;
    signal.replaceZeroAddress = request.flags.replaceZeroAddress;
    signal.loopProtect = request.flags.loopProtect;
    signal.transport = request.transport;
    signal.codec = request.codec;
    if (request.flags.sipSourceAddress && request.receivedFrom) {
        signal.addressOverride = request.receivedFrom;
    }
    return signal;
}

// rtpengine's answer to an offer past a load limit: "load limit" for a proxy that said it understands it (it then
// tries another media server), an error otherwise.
Dict loadLimitReply(const NgRequest& request, engine::LoadLimit limit) {
    const std::string reason(engine::describe(limit));
    if (request.supportsLoadLimit) {
        return Dict{{"result", "load limit"}, {"message", reason}};
    }
    return errorReply(reason);
}

Dict offerOrAnswer(const NgRequest& request, engine::Shard& shard, const sdp::ParseLimits& limits) {
    std::string parseError;
    auto description = sdp::SessionDescription::parse(request.sdp, &parseError, limits);
    if (!description) {
        return errorReply("Failed to parse SDP: " + parseError);
    }
    if (request.flags.loopProtect && sdp::carriesLoopMarker(*description, shard.context().instanceId)) {
        // rtcgated wrote this SDP: the message has looped through the proxy and the call has it already
        // (rtpengine hands it back unchanged as well).
        spdlog::info("[{}] {}: the SDP is rtcgated's own (loop protect): passed through unchanged", request.callId,
                     toString(request.command));
        return Dict{{"result", "ok"}, {"sdp", request.sdp}};
    }
    media::Call* call = shard.findCall(request.callId);
    if (request.command == NgCommand::Answer) {
        if (call == nullptr || call->deleted()) {
            return errorReply("Unknown call-id");
        }
        return signalReply(call->answer(signalFrom(request, std::move(*description))));
    }
    bool created = call == nullptr || call->deleted();
    if (created) {
        if (auto refusal = shard.admitCall(request.codec.asksForTranscoding())) {
            spdlog::warn("[{}] offer refused: {} ({})", request.callId, engine::describe(refusal->limit),
                         refusal->detail);
            return loadLimitReply(request, refusal->limit);
        }
        call = &shard.createCall(request.callId);
    }
    auto result = call->offer(signalFrom(request, std::move(*description)));
    if (!result.ok() && created) {
        shard.discardCall(request.callId);
        shard.countRejectedOffer();
    }
    if (result.failure) {
        spdlog::warn("[{}] offer failed: {}", request.callId, describe(*result.failure));
    }
    return signalReply(result);
}

} // namespace

Dict errorReply(std::string_view reason) {
    return Dict{{"result", "error"}, {"error-reason", std::string(reason)}};
}

void addIgnored(const std::vector<std::string>& ignored, Dict& reply) {
    appendWarning("Ignored:", ignored, reply);
}

namespace {

// One party's part of query's statistics: its media lines and their streams, its digits; its SSRCs' quality goes
// to `ssrcs`.
Dict legStatistics(const media::LegSnapshot& leg, Dict& ssrcs) {
    List medias;
    for (const auto& media : leg.medias) {
        List streams;
        for (const auto& stream : media.streams) {
            Dict s{{"local port", bencode::Integer{stream.localPort}},
                   {"endpoint", endpointDict(stream.endpoint)},
                   {"advertised endpoint", endpointDict(stream.advertised)},
                   {"last packet", stream.lastPacket ? unixSeconds(*stream.lastPacket) : 0},
                   {"stats", Counters{stream.stats.packets, stream.stats.bytes, stream.stats.errors}.toDict()},
                   {"blocked", static_cast<bencode::Integer>(stream.stats.blocked)},
                   {"component", stream.component == media::Component::Rtp ? 1 : 2}};
            streams.emplace_back(std::move(s));
        }
        // Kamailio finds a labelled party's MOS by the SSRC of its first (RTP) stream.
        const auto ssrc = media.rtcp && media.rtcp->ssrc ? media.rtcp->ssrc : media.qualityHistory.ssrc();
        if (ssrc && !streams.empty()) {
            streams.front().asDict()["SSRC"] = static_cast<bencode::Integer>(*ssrc);
        }
        addSsrcQuality(media, ssrcs);
        Dict m{{"index", bencode::Integer{media.index}},
               {"type", media.type},
               {"protocol", media.protocol},
               {"direction", media.direction}};
        // Moved in, not listed above: an initializer list copies what it holds, and these are large.
        m["streams"] = std::move(streams);
        if (media.transport) {
            addTransport(*media.transport, m);
        }
        addCodec(media, m);
        medias.emplace_back(std::move(m));
    }
    List digits;
    std::string dialed;
    for (const auto& digit : leg.dtmf) {
        dialed += digit.digit;
        digits.emplace_back(Dict{{"digit", std::string(1, digit.digit)},
                                 {"duration", bencode::Integer{digit.durationMs}},
                                 {"volume", bencode::Integer{digit.volume}},
                                 {"source", std::string(dtmf::dtmfSourceName(digit.source))},
                                 {"time", unixSeconds(digit.ended)}});
    }
    Dict tag{{"tag", leg.tag},
             {"DTMF blocked", leg.dtmfBlocked ? 1 : 0},
             {"DTMF", Dict{{"count", static_cast<bencode::Integer>(leg.dtmfCount)},
                           {"digits", std::move(dialed)},
                           {"events", std::move(digits)}}},
             {"created", unixSeconds(leg.created)},
             {"in dialogue with", leg.peerTag}};
    tag["medias"] = std::move(medias);
    if (!leg.label.empty()) {
        tag["label"] = leg.label;
    }
    return tag;
}

} // namespace

Dict callStatistics(const media::CallSnapshot& call, bool perParty) {
    Counters rtp;
    Counters rtcp;
    for (const auto& leg : call.legs) {
        for (const auto& media : leg.medias) {
            for (const auto& stream : media.streams) {
                Counters& total = stream.component == media::Component::Rtp ? rtp : rtcp;
                total.packets += stream.stats.packets;
                total.bytes += stream.stats.bytes;
                total.errors += stream.stats.errors;
            }
        }
    }
    Dict reply{{"created", unixSeconds(call.created)},
               {"created_us", microsecondsOfSecond(call.created)},
               {"last signal", unixSeconds(call.lastSignal)},
               {"deleted", call.deleted ? 1 : 0},
               {"totals", Dict{{"RTP", rtp.toDict()}, {"RTCP", rtcp.toDict()}}}};
    if (!perParty) {
        return reply;
    }
    Dict tags;
    Dict ssrcs;
    for (const auto& leg : call.legs) {
        tags[leg.tag] = legStatistics(leg, ssrcs);
    }
    reply["SSRC"] = std::move(ssrcs);
    reply["tags"] = std::move(tags);
    return reply;
}

namespace {

// offer, answer and the DTMF commands.
Dict executeOnShardReply(const NgRequest& request, engine::Shard& shard, const NgHandlerConfig& config) {
    switch (request.command) {
    case NgCommand::Offer:
    case NgCommand::Answer:
        return offerOrAnswer(request, shard, config.sdpLimits);
    case NgCommand::BlockDtmf:
    case NgCommand::UnblockDtmf: {
        media::Call* call = shard.findCall(request.callId);
        if (call == nullptr || call->deleted()) {
            return errorReply("Unknown call-id");
        }
        if (!call->setDtmfBlocked(request.fromTag, request.command == NgCommand::BlockDtmf)) {
            return errorReply("Unknown from-tag");
        }
        return Dict{{"result", "ok"}};
    }
    case NgCommand::PlayDtmf: {
        media::Call* call = shard.findCall(request.callId);
        if (call == nullptr || call->deleted()) {
            return errorReply("Unknown call-id");
        }
        // rtpengine's bounds: 100-5000 ms for both (a receiver may miss a shorter digit or gap), 0-63 dBm0 below
        // full scale (8 and -8 both mean -8 dBm0).
        const auto clampMs = [](std::optional<long long> value, long long fallback) {
            return std::chrono::milliseconds(std::clamp(value.value_or(fallback), 100LL, 5000LL));
        };
        const media::DtmfPlay play{
            .fromTag = request.fromTag,
            .toTag = request.toTag,
            .digits = request.dtmfDigits,
            .duration = clampMs(request.dtmfDuration, 250),
            .pause = clampMs(request.dtmfPause, 100),
            .volume = static_cast<int>(std::clamp(std::llabs(request.dtmfVolume.value_or(8)), 0LL, 63LL)),
        };
        if (auto failure = call->playDtmf(play)) {
            return errorReply(describe(*failure));
        }
        return Dict{{"result", "ok"}};
    }
    default:
        return errorReply("Command not handled by a shard");
    }
}

} // namespace

ShardOutcome executeOnShard(const NgRequest& request, engine::Shard& shard, const NgHandlerConfig& config) {
    if (request.command != NgCommand::Query && request.command != NgCommand::Delete) {
        return {.reply = executeOnShardReply(request, shard, config), .call = std::nullopt};
    }
    media::Call* call = shard.findCall(request.callId);
    if (call == nullptr) {
        return {.reply = errorReply("Unknown call-id"), .call = std::nullopt};
    }
    ShardOutcome outcome{.reply = Dict{{"result", "ok"}}, .call = media::snapshotOf(*call)};
    if (request.command == NgCommand::Delete) {
        auto delay = request.deleteDelay ? std::chrono::seconds(*request.deleteDelay) : config.deleteDelay;
        shard.deleteCall(request.callId, delay);
    }
    return outcome;
}

void warnPartiesLeftOut(Dict& reply, std::string_view size) {
    appendWarning(reply, "Per-party statistics left out: the reply (" + std::string(size) +
                             " bytes) does not fit a UDP datagram; query over the TCP control socket for them");
}

Dict finishReply(ShardOutcome outcome, std::size_t maxBytes) {
    if (!outcome.call) {
        return std::move(outcome.reply);
    }
    // Each stream takes more than this in the per-party statistics (its keys alone take about 100 bytes).
    constexpr std::size_t kLeastBytesPerStream = 150;
    std::size_t streams = 0;
    for (const auto& leg : outcome.call->legs) {
        for (const auto& media : leg.medias) {
            streams += media.streams.size();
        }
    }
    const bool perParty = streams <= maxBytes / kLeastBytesPerStream;
    Dict reply = callStatistics(*outcome.call, perParty);
    reply.merge(outcome.reply);
    if (!perParty) {
        warnPartiesLeftOut(reply, "at least " + std::to_string(streams * kLeastBytesPerStream));
    }
    return reply;
}

Dict listReply(const std::vector<std::string>& callIds, std::optional<long long> limit) {
    List calls;
    for (const auto& id : callIds) {
        if (limit && static_cast<long long>(calls.size()) >= *limit) {
            break;
        }
        calls.emplace_back(id);
    }
    Dict reply{{"result", "ok"}};
    reply["calls"] = std::move(calls); // not in the list above, which would copy them
    return reply;
}

Dict statisticsReply(const std::vector<engine::ShardStatistics>& shards, std::chrono::seconds uptime,
                     const NgServerCounters& control) {
    engine::ShardStatistics sum;
    List perShard;
    for (const auto& s : shards) {
        sum.calls += s.calls;
        sum.activeCalls += s.activeCalls;
        sum.transcodedMedia += s.transcodedMedia;
        sum.managedCalls += s.managedCalls;
        sum.timedOutCalls += s.timedOutCalls;
        sum.deletedCalls += s.deletedCalls;
        sum.rejectedOffers += s.rejectedOffers;
        for (std::size_t limit = 0; limit < engine::kLoadLimitCount; ++limit) {
            sum.refusedByLimit.at(limit) += s.refusedByLimit.at(limit);
        }
        sum.portsAvailable += s.portsAvailable;
        sum.portsCapacity += s.portsCapacity;
        sum.packets += s.packets;
        sum.bytes += s.bytes;
        sum.errors += s.errors;
        perShard.emplace_back(Dict{{"index", bencode::Integer{s.index}},
                                   {"sessions", static_cast<bencode::Integer>(s.activeCalls)},
                                   {"CPU percent", static_cast<bencode::Integer>(std::lround(s.cpuPercent))},
                                   {"Opus complexity", bencode::Integer{s.opusComplexity}},
                                   {"Opus complexity lowered", static_cast<bencode::Integer>(s.opusComplexityLowered)},
                                   {"Opus complexity raised", static_cast<bencode::Integer>(s.opusComplexityRaised)},
                                   {"ports available", static_cast<bencode::Integer>(s.portsAvailable)},
                                   {"ports total", static_cast<bencode::Integer>(s.portsCapacity)}});
    }
    auto n = [](auto v) { return static_cast<bencode::Integer>(v); };
    Dict current{{"sessionsown", n(sum.activeCalls)},
                 {"sessionsforeign", 0},
                 {"sessionstotal", n(sum.activeCalls)},
                 {"transcodedmedia", n(sum.transcodedMedia)},
                 {"packets", n(sum.packets)},
                 {"bytes", n(sum.bytes)},
                 {"errors", n(sum.errors)}};
    const auto refused = [&](engine::LoadLimit limit) {
        return n(sum.refusedByLimit.at(static_cast<std::size_t>(limit)));
    };
    Dict total{{"uptime", n(uptime.count())},
               {"managedsessions", n(sum.managedCalls)},
               {"rejectedsessions", n(sum.rejectedOffers)},
               // Of those, refused by a load limit (the rest: no ports left).
               {"refused for load limits", Dict{{"sessions", refused(engine::LoadLimit::Sessions)},
                                                {"CPU", refused(engine::LoadLimit::Cpu)},
                                                {"load", refused(engine::LoadLimit::Load)},
                                                {"bandwidth", refused(engine::LoadLimit::Bandwidth)}}},
               {"timeoutsessions", n(sum.timedOutCalls)},
               {"regularterminatedsessions", n(sum.deletedCalls)}};
    return Dict{{"result", "ok"},
                {"statistics", Dict{{"currentstatistics", std::move(current)},
                                    {"totalstatistics", std::move(total)},
                                    {"control", Dict{{"requests", n(control.requests)},
                                                     {"errors", n(control.errors)},
                                                     {"retransmits", n(control.retransmits)},
                                                     {"undecodable", n(control.undecodable)},
                                                     {"TCP accept retries", n(control.acceptBackoffs)},
                                                     {"commands delayed", n(control.delayedCommands)},
                                                     {"commands refused", n(control.refusedCommands)}}},
                                    {"shards", std::move(perShard)}}}};
}

} // namespace rtcgate::control
