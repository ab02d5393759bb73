#include "rtcgate/media/Call.hpp"

#include "rtcgate/dtmf/DtmfEventLog.hpp"
#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/media/CodecPlan.hpp"
#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/LineSide.hpp"
#include "rtcgate/net/Endpoint.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"
#include "rtcgate/sdp/SdpRewriter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace rtcgate::media {

namespace {

// Whether the SDP toward a party must describe another transport than the
// other party's: anything beyond plain RTP on either side, or a change of it.
bool bridged(const sdp::MediaTransport& source, const sdp::MediaTransport& ours) {
    return sdp::isWebRtc(source) || sdp::isWebRtc(ours) || !source.crypto.empty() || !ours.crypto.empty() ||
           source.protocol != ours.protocol || source.rtcpMux != ours.rtcpMux;
}

SignalResult withWarnings(SignalResult result, std::vector<std::string> first) {
    result.warnings.insert(result.warnings.begin(), std::make_move_iterator(first.begin()),
                           std::make_move_iterator(first.end()));
    return result;
}

} // namespace

Call::Call(std::string id, MediaContext& context)
    : id_(std::move(id)),
      context_(context),
      created_(std::chrono::system_clock::now()),
      lastSignal_(created_),
      lastSignalSteady_(Clock::now()),
      sourceRules_{.learning = context.learning} {}

Call::~Call() = default;

// An address of 0.0.0.0 (RFC 2543 hold) or port 0 names no destination.
std::optional<net::Endpoint> Call::destinationOf(const std::string& address, std::uint16_t port, std::size_t line,
                                                 const std::optional<net::Endpoint>& current,
                                                 std::vector<std::string>& warnings) const {
    auto endpoint = net::makeEndpoint(address, port);
    if (!endpoint || port == 0 || endpoint->address().is_unspecified()) {
        return std::nullopt;
    }
    if (context_.ownSockets.contains(*endpoint)) {
        // An SDP that rtcgate wrote came back as a party's (a signaling spiral): relaying there would loop.
        spdlog::warn("[{}] line {}: {} is rtcgated's own port; nothing is sent there", id_, line,
                     net::toString(*endpoint));
        warnings.push_back("line " + std::to_string(line) + ": " + net::toString(*endpoint) +
                           " is rtcgated's own port, not used");
        return current;
    }
    return endpoint;
}

Leg* Call::findLeg(const std::string& tag) {
    auto it = std::find_if(legs_.begin(), legs_.end(), [&](const auto& leg) { return leg->tag() == tag; });
    return it == legs_.end() ? nullptr : it->get();
}

Leg& Call::legFor(const std::string& tag) {
    if (Leg* leg = findLeg(tag)) {
        return *leg;
    }
    legs_.push_back(std::make_unique<Leg>(tag));
    return *legs_.back();
}

Leg* Call::legOnSide(std::size_t side) {
    auto it = std::find_if(legs_.begin(), legs_.end(), [&](const auto& leg) { return leg->side() == side; });
    return it == legs_.end() ? nullptr : it->get();
}

void Call::pair(Leg& from, Leg& to) {
    from.setPeer(&to);
    to.setPeer(&from);
    // A party that joins in another's place (a new tag toward one of the two) takes that one's side.
    const std::size_t fromSide = from.side().value_or(to.side() ? MediaLine::other(*to.side()) : 0);
    for (auto [leg, side] : {std::pair{&from, fromSide}, std::pair{&to, MediaLine::other(fromSide)}}) {
        if (Leg* holder = legOnSide(side); holder != nullptr && holder != leg) {
            holder->setSide(std::nullopt);
            for (std::size_t i = 0; i < lines_.size(); ++i) {
                if (MediaLine* line = mediaLineOf(lines_[i])) {
                    line->closeSide(side);
                } else if (const DeclinedLine* declined = declinedLineOf(lines_[i])->get()) {
                    DeclinedLine forgotten = *declined;
                    forgotten.sides[side] = {};
                    setDeclined(i, std::move(forgotten));
                }
            }
        }
        leg->setSide(side);
    }
}

SignalResult Call::offer(const Signal& signal) {
    lastSignal_ = std::chrono::system_clock::now();
    lastSignalSteady_ = Clock::now();
    offerCodecs_ = signal.codec;
    Leg& from = legFor(signal.fromTag);
    Leg* to = signal.toTag.empty() ? from.peer() : &legFor(signal.toTag);
    if (to == nullptr) {
        legs_.push_back(std::make_unique<Leg>(std::string{})); // tagged by the answer
        to = legs_.back().get();
    }
    pair(from, *to);
    if (!signal.label.empty()) {
        from.setLabel(signal.label);
    }
    std::vector<std::string> refused;
    if (auto failure = applyRemote(from, *to, signal, Exchange::Offer, refused)) {
        return {.sdp = {}, .failure = failure};
    }
    return withWarnings(render(*to, signal, Exchange::Offer), std::move(refused));
}

SignalResult Call::answer(const Signal& signal) {
    lastSignal_ = std::chrono::system_clock::now();
    lastSignalSteady_ = Clock::now();
    Leg* from = findLeg(signal.fromTag);
    if (from == nullptr || from->peer() == nullptr) {
        return {.sdp = {}, .failure = CallFailure{.error = CallError::UnknownFromTag}};
    }
    Leg* to = findLeg(signal.toTag);
    if (to == nullptr || to != from->peer()) {
        // The first answer names the party the offer went to. A different
        // to-tag later (a forked call answered elsewhere) takes its place.
        to = from->peer();
        to->setTag(signal.toTag);
    }
    if (signal.sdp.media.size() != lines_.size()) {
        return {.sdp = {},
                .failure = CallFailure{.error = CallError::MediaLineCount,
                                       .answerLines = signal.sdp.media.size(),
                                       .offerLines = lines_.size()}};
    }
    pair(*from, *to);
    if (!signal.label.empty()) {
        to->setLabel(signal.label);
    }
    std::vector<std::string> refused;
    if (auto failure = applyRemote(*to, *from, signal, Exchange::Answer, refused)) {
        return {.sdp = {}, .failure = failure};
    }
    return withWarnings(render(*from, signal, Exchange::Answer), std::move(refused));
}

std::optional<CallFailure> Call::applyRemote(Leg& owner, Leg& other, const Signal& signal, Exchange exchange,
                                             std::vector<std::string>& warnings) {
    sourceRules_.strictSource = sourceRules_.strictSource || signal.strictSource;
    sourceRules_.mediaHandover = sourceRules_.mediaHandover || signal.mediaHandover;
    if (signal.endpointLearning) {
        sourceRules_.learning.mode = *signal.endpointLearning;
    }
    const std::size_t mine = *owner.side();
    const std::size_t theirs = *other.side();
    const auto& description = signal.sdp;
    const std::size_t count = description.media.size();
    lines_.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto transport = sdp::peerTransport(description, i);
        if (!transport && mediaLineOf(lines_[i]) == nullptr) {
            decline(i, mine, description.media[i]);
            continue;
        }
        MediaLine& line = relay(i);
        const auto index = static_cast<unsigned>(i + 1);
        line.setLogContext(mine, {.callId = id_, .tag = owner.tag(), .line = index});
        line.setLogContext(theirs, {.callId = id_, .tag = other.tag(), .line = index});
        line.describe(mine, description.media[i]);
        if (!transport) {
            line.close();
            continue;
        }
        if (auto failure = line.open(mine)) {
            return CallFailure{.error = *failure};
        }
        line.negotiate(mine, sdp::readMediaTransport(description, i), signal.transport, exchange);
        if (exchange == Exchange::Answer) {
            const SideDescription& offerer = line.side(theirs).description;
            line.configure(theirs, offerer.type == "audio"
                                       ? media::selectCodecs(offerer.formats, line.side(mine).description.formats,
                                                             offerCodecs_, signal.codec)
                                       : std::nullopt);
        }
        line.setSourceRules(sourceRules_);
        line.setDtmfBlocked(mine, owner.dtmfBlocked());
        line.setDtmfBlocked(theirs, other.dtmfBlocked());
        const std::string& address = signal.addressOverride.value_or(transport->address);
        const std::string& rtcpAddress = signal.addressOverride.value_or(transport->rtcpAddress);
        const LineSide& side = line.side(mine);
        const auto rtp = destinationOf(address, transport->rtpPort, index, side.rtp().advertised(), warnings);
        line.setRemote(mine, *transport, rtp,
                       destinationOf(rtcpAddress, transport->rtcpPort, index, side.rtcp().advertised(), warnings));
    }
    transcoding_ = transcodedLines() > 0;
    return std::nullopt;
}

void Call::decline(std::size_t index, std::size_t owner, const sdp::MediaDescription& line) {
    const DeclinedLine* current = declinedLineOf(lines_[index])->get();
    DeclinedLine declined = current ? *current : DeclinedLine{};
    declined.describe(owner, line);
    if (current && *current == declined) {
        return;
    }
    setDeclined(index, std::move(declined));
}

void Call::setDeclined(std::size_t index, DeclinedLine declined) {
    if (index > 0) {
        const auto* before = declinedLineOf(lines_[index - 1]);
        if (before != nullptr && *before && **before == declined) {
            lines_[index] = *before;
            return;
        }
    }
    lines_[index] = std::make_shared<const DeclinedLine>(std::move(declined));
}

MediaLine& Call::relay(std::size_t index) {
    if (MediaLine* line = mediaLineOf(lines_[index])) {
        return *line;
    }
    const DeclinedLine* declined = declinedLineOf(lines_[index])->get();
    auto line = std::make_unique<MediaLine>(context_, static_cast<DigitRecorder&>(*this), declined);
    MediaLine& made = *line;
    lines_[index] = std::move(line);
    return made;
}

std::size_t Call::transcodedLines() const {
    std::size_t transcoded = 0;
    forEachMediaLine([&](const MediaLine& line) { transcoded += line.transcoding() ? 1 : 0; });
    return transcoded;
}

bool Call::setDtmfBlocked(const std::string& tag, bool blocked) {
    bool found = false;
    for (auto& leg : legs_) {
        if (!tag.empty() && leg->tag() != tag) {
            continue;
        }
        leg->setDtmfBlocked(blocked);
        found = true;
        if (const auto side = leg->side()) {
            forEachMediaLine([&](MediaLine& line) { line.setDtmfBlocked(*side, blocked); });
        }
    }
    return found;
}

SignalResult Call::render(Leg& recipient, const Signal& signal, Exchange exchange) {
    const std::size_t side = *recipient.side();
    sdp::SessionDescription out = signal.sdp;
    std::vector<sdp::LocalMedia> local(out.media.size());
    std::vector<std::string> warnings;
    bool toWebRtc = false;
    std::optional<std::string> bridgedProtocol;
    for (std::size_t i = 0; i < local.size(); ++i) {
        const MediaLine* line = mediaLineOf(lines_[i]);
        if (line == nullptr || !line->side(side).relayed()) {
            continue;
        }
        const LineSide& media = line->side(side);
        // An offer of rtcp-mux names port+1 for a party that declines it (RFC 5761 section 5.1.3), as rtpengine does,
        // unless the party muxes already (a re-offer); an answer that takes it up names the RTP port.
        const bool muxing =
            exchange == Exchange::Answer || (media.description.described && media.description.remote.rtcpMux);
        const bool muxed = media.transport().rtcpMux() && muxing;
        local[i] = {.relayed = true,
                    .rtpPort = media.port(),
                    .rtcpPort = static_cast<std::uint16_t>(muxed ? media.port() : media.port() + 1),
                    .transport = std::nullopt,
                    .held = line->side(MediaLine::other(side)).description.zeroAddress,
                    .replaceZeroAddress = signal.replaceZeroAddress};
        sdp::MediaTransport ours = media.transport().describe(media.port());
        if (auto warning = renderCodecs(recipient, *line, out.media[i], signal, exchange, sdp::isWebRtc(ours));
            !warning.empty()) {
            warnings.insert(warnings.end(), warning.begin(), warning.end());
        }
        sdp::MediaTransport source = sdp::readMediaTransport(signal.sdp, i);
        if (bridged(source, ours)) {
            toWebRtc = toWebRtc || sdp::isWebRtc(ours);
            bridgedProtocol = bridgedProtocol.value_or(ours.protocol);
            local[i].transport = std::move(ours);
        }
    }
    // Declined lines (video, ...) lose the other party's transport too, and
    // take the protocol of the bridged lines: a carrier refuses UDP/TLS/...
    for (std::size_t i = 0; i < local.size() && bridgedProtocol; ++i) {
        if (!local[i].relayed) {
            local[i].transport = sdp::MediaTransport{.protocol = *bridgedProtocol};
        }
    }
    if (toWebRtc) {
        // RFC 8843 and JSEP: every m= line of an offer to a browser has a
        // mid; an answer repeats the offer's and adds none it lacked (section 7.3).
        for (std::size_t i = 0; i < local.size(); ++i) {
            if (!local[i].transport) {
                local[i].transport = sdp::MediaTransport{.protocol = out.media[i].protocol};
            }
            if (exchange == Exchange::Answer) {
                const MediaLine* line = mediaLineOf(lines_[i]);
                local[i].transport->mid = line != nullptr ? line->side(side).description.remote.mid : std::nullopt;
                continue;
            }
            auto source = sdp::readMediaTransport(signal.sdp, i).mid;
            local[i].transport->mid = source ? source : std::optional<std::string>(std::to_string(i));
        }
    }
    sdp::rewrite(out, local,
                 {.address = context_.advertisedAddress,
                  .replaceOrigin = signal.replaceOrigin,
                  .replaceSessionConnection = signal.replaceSessionConnection,
                  .loopMarker = signal.loopProtect ? context_.instanceId : std::string()});
    return {.sdp = recipient.finalizeSdp(out), .failure = std::nullopt, .warnings = std::move(warnings)};
}

std::vector<std::string> Call::renderCodecs(const Leg& recipient, const MediaLine& media, sdp::MediaDescription& line,
                                            const Signal& signal, Exchange exchange, bool toWebRtc) const {
    const std::size_t side = *recipient.side();
    const SideDescription& from = media.side(MediaLine::other(side)).description;
    if (exchange == Exchange::Offer) {
        if (signal.codec.empty() || from.type != "audio") {
            return {};
        }
        auto plan = planOffer(from.formats, signal.codec);
        if (toWebRtc) {
            keepOnlyOpusClockEvents(plan.formats);
        }
        sdp::writePayloadFormats(line, plan.formats);
        return std::move(plan.ignored);
    }
    // The answer toward the offerer lists what the offerer offered and will get (RFC 3264 section 6.1).
    const SideDescription& offerer = media.side(side).description;
    auto selection = from.type == "audio"
                         ? media::selectCodecs(offerer.formats, from.formats, offerCodecs_, signal.codec)
                         : std::nullopt;
    if (selection && selection->answerFormats != from.formats) {
        sdp::writePayloadFormats(line, selection->answerFormats);
    }
    return {};
}

std::optional<CallFailure> Call::playDtmf(const DtmfPlay& play) {
    Leg* sender = nullptr;
    Leg* receiver = nullptr;
    if (!play.fromTag.empty()) {
        sender = findLeg(play.fromTag);
        if (sender == nullptr) {
            return CallFailure{.error = CallError::UnknownFromTag};
        }
        receiver = sender->peer();
    } else if (!play.toTag.empty()) {
        receiver = findLeg(play.toTag);
        if (receiver == nullptr) {
            return CallFailure{.error = CallError::UnknownToTag};
        }
        sender = receiver->peer();
    } else {
        return CallFailure{.error = CallError::NoTag};
    }
    if (sender == nullptr || receiver == nullptr || !sender->side()) {
        return CallFailure{.error = CallError::NotAnswered};
    }
    std::vector<Direction*> directions;
    forEachMediaLine([&](MediaLine& line) {
        if (Direction& toward = line.from(*sender->side()); toward.canPlay()) {
            directions.push_back(&toward);
        }
    });
    if (directions.empty()) {
        return CallFailure{.error = CallError::NotTranscoded, .tag = receiver->tag()};
    }
    // All the digits or none: a request that does not fit is refused before anything is queued.
    if (std::any_of(directions.begin(), directions.end(),
                    [&](const Direction* toward) { return play.digits.size() > toward->room(); })) {
        return CallFailure{.error = CallError::DtmfQueueFull};
    }
    for (Direction* toward : directions) {
        toward->play(play);
    }
    for (const char digit : play.digits) {
        recordDigit(*sender,
                    {.digit = digit,
                     .durationMs = static_cast<std::uint32_t>(play.duration.count()),
                     .volume = static_cast<std::uint8_t>(play.volume),
                     .source = dtmf::DtmfSource::PlayDtmf,
                     .ended = std::chrono::system_clock::now()},
                    std::nullopt);
    }
    return std::nullopt;
}

void Call::recordDigit(std::size_t side, const DtmfDigit& digit, const std::optional<net::Endpoint>& from) {
    if (Leg* party = legOnSide(side)) {
        recordDigit(*party, digit, from);
    }
}

void Call::recordDigit(Leg& party, const DtmfDigit& digit, const std::optional<net::Endpoint>& from) {
    party.recordDigit(digit);
    const std::string_view source = dtmf::dtmfSourceName(digit.source);
    spdlog::info("[{}] DTMF '{}' {} ms from tag '{}' ({})", id_, digit.digit, digit.durationMs, party.tag(), source);
    if (context_.dtmfLog == nullptr) {
        return;
    }
    const Leg* peer = party.peer();
    context_.dtmfLog->send({.callId = id_,
                            .tag = party.tag(),
                            .peerTag = peer != nullptr ? std::string_view(peer->tag()) : std::string_view(),
                            .label = {},
                            .digit = digit.digit,
                            .event = dtmf::eventOf(digit.digit).value_or(0),
                            .durationMs = digit.durationMs,
                            .volume = digit.volume,
                            .source = digit.source,
                            .sourceEndpoint = from,
                            .when = digit.ended});
}

template <typename Function>
void Call::forEachMediaLine(Function&& function) const {
    for (const auto& line : lines_) {
        if (MediaLine* media = mediaLineOf(line)) {
            function(*media);
        }
    }
}

template <typename Function>
void Call::forEachStream(Function&& function) const {
    forEachMediaLine([&](const MediaLine& line) {
        for (std::size_t side = 0; side < MediaLine::kSides; ++side) {
            if (const LineSide& party = line.side(side); party.relayed()) {
                function(party.rtp());
                function(party.rtcp());
            }
        }
    });
}

void Call::markDeleted() {
    deleted_ = true;
    forEachMediaLine([](MediaLine& line) { line.stop(); });
}

Clock::time_point Call::lastActivity() const {
    Clock::time_point last = lastSignalSteady_;
    forEachStream([&](const Stream& stream) {
        if (stream.stats().lastPacket) {
            last = std::max(last, *stream.stats().lastPacket);
        }
    });
    return last;
}

StreamStats Call::totals() const {
    StreamStats sum;
    forEachStream([&](const Stream& stream) {
        sum.packets += stream.stats().packets;
        sum.bytes += stream.stats().bytes;
        sum.errors += stream.stats().errors;
        sum.blocked += stream.stats().blocked;
    });
    return sum;
}

void Call::onTick(Clock::time_point now) {
    if (deleted_) {
        return;
    }
    forEachMediaLine([&](MediaLine& line) { line.onTick(now); });
}

void Call::setOpusComplexity(int complexity) {
    forEachMediaLine([&](MediaLine& line) { line.setOpusComplexity(complexity); });
}

void Call::onMediaTick(Clock::time_point now) {
    if (deleted_ || !transcoding_) {
        return;
    }
    forEachMediaLine([&](MediaLine& line) { line.onMediaTick(now); });
}

} // namespace rtcgate::media
