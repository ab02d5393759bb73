#include "rtcgate/media/Call.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/media/CallQuality.hpp"
#include "rtcgate/media/TransportPlan.hpp"
#include "rtcgate/net/Endpoint.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace rtcgate::media {

namespace {

// The silence after each digit played as tones for a party's event: two equal digits stay two.
constexpr auto kTonePause = std::chrono::milliseconds(60);

bool canSend(sdp::Direction d) {
    return d == sdp::Direction::SendRecv || d == sdp::Direction::SendOnly;
}

bool canReceive(sdp::Direction d) {
    return d == sdp::Direction::SendRecv || d == sdp::Direction::RecvOnly;
}

// An address of 0.0.0.0 (RFC 2543 hold) or port 0 names no destination.
std::optional<net::Endpoint> destinationOf(const std::string& address, std::uint16_t port) {
    auto endpoint = net::makeEndpoint(address, port);
    if (!endpoint || port == 0 || endpoint->address().is_unspecified()) {
        return std::nullopt;
    }
    return endpoint;
}

// Whether the SDP toward a party must describe another transport than the
// other party's: anything beyond plain RTP on either side, or a change of it.
bool bridged(const sdp::MediaTransport& source, const sdp::MediaTransport& ours) {
    return sdp::isWebRtc(source) || sdp::isWebRtc(ours) || !source.crypto.empty() || !ours.crypto.empty() ||
           source.protocol != ours.protocol || source.rtcpMux != ours.rtcpMux;
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

QualitySnapshot qualityOf(const jitter::JitterStatistics& jitter, const TranscoderStatistics& transcoder,
                          const LegRtcpSnapshot& rtcp) {
    QualitySnapshot q;
    const auto frames = static_cast<double>(jitter.received + jitter.lost);
    q.loss = frames > 0 ? static_cast<double>(jitter.lost) / frames : 0;
    q.jitterMs = rtcp.jitterMs;
    const auto played = static_cast<double>(transcoder.decoded + transcoder.fecRecovered + transcoder.concealed);
    q.concealedShare = played > 0 ? static_cast<double>(transcoder.concealed) / played : 0;
    auto oneWay = std::chrono::duration_cast<std::chrono::milliseconds>(jitter.currentDelay) +
                  std::chrono::milliseconds(codec::kFrameMilliseconds); // buffering and packetization
    if (rtcp.roundTrip) {
        q.rttMs = static_cast<double>(rtcp.roundTrip->count()) / 1000;
        oneWay += std::chrono::duration_cast<std::chrono::milliseconds>(*rtcp.roundTrip / 2);
    }
    q.mos = mosFromR(rFactor({.packetLoss = q.concealedShare, .oneWayDelay = oneWay}));
    return q;
}

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

} // namespace

Call::Call(std::string id, MediaContext& context)
    : id_(std::move(id)),
      context_(context),
      created_(std::chrono::system_clock::now()),
      lastSignal_(created_),
      lastSignalSteady_(Clock::now()) {}

Call::~Call() {
    for (auto& leg : legs_) {
        for (auto& media : leg->media()) {
            closeMedia(media);
        }
    }
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
    from.setPeer(to);
    to->setPeer(&from);
    if (auto error = applyRemote(from, *to, signal, Exchange::Offer); !error.empty()) {
        return {.sdp = {}, .error = error};
    }
    return render(*to, signal, Exchange::Offer);
}

SignalResult Call::answer(const Signal& signal) {
    lastSignal_ = std::chrono::system_clock::now();
    lastSignalSteady_ = Clock::now();
    Leg* from = findLeg(signal.fromTag);
    if (from == nullptr || from->peer() == nullptr) {
        return {.sdp = {}, .error = "Unknown from-tag"};
    }
    Leg* to = findLeg(signal.toTag);
    if (to == nullptr || to != from->peer()) {
        // The first answer names the party the offer went to. A different
        // to-tag later (a forked call answered elsewhere) takes its place.
        to = from->peer();
        to->setTag(signal.toTag);
    }
    if (signal.sdp.media.size() != from->media().size()) {
        return {.sdp = {},
                .error = "Answer has " + std::to_string(signal.sdp.media.size()) + " media lines, the offer had " +
                         std::to_string(from->media().size())};
    }
    if (auto error = applyRemote(*to, *from, signal, Exchange::Answer); !error.empty()) {
        return {.sdp = {}, .error = error};
    }
    return render(*from, signal, Exchange::Answer);
}

std::string Call::applyRemote(Leg& owner, Leg& other, const Signal& signal, Exchange exchange) {
    if (signal.strictSource) {
        strictSource_ = true;
    }
    const auto& description = signal.sdp;
    std::size_t count = description.media.size();
    for (Leg* leg : {&owner, &other}) {
        auto& media = leg->media();
        while (media.size() > count) {
            closeMedia(media.back());
            media.pop_back();
        }
        media.resize(count);
    }
    for (std::size_t i = 0; i < count; ++i) {
        const auto& line = description.media[i];
        LegMedia& mine = owner.media()[i];
        LegMedia& theirs = other.media()[i];
        mine.type = line.media;
        mine.protocol = line.protocol;
        mine.formats = sdp::readPayloadFormats(line);
        mine.ptime = ptimeOf(line);
        if (theirs.type.empty()) {
            theirs.type = line.media;
            theirs.protocol = line.protocol;
        }
        auto transport = sdp::peerTransport(description, i);
        if (!transport) {
            closeMedia(mine);
            closeMedia(theirs);
            continue;
        }
        for (LegMedia* media : {&mine, &theirs}) {
            if (auto error = openMedia(*media); !error.empty()) {
                return error;
            }
        }
        negotiate(mine, theirs, sdp::readMediaTransport(description, i), signal, exchange);
        if (exchange == Exchange::Answer) {
            applyCodecs(theirs, mine, signal.codec);
        }
        wire(mine, theirs);
        mine.direction = transport->direction;
        const std::string& address = signal.addressOverride.value_or(transport->address);
        const std::string& rtcpAddress = signal.addressOverride.value_or(transport->rtcpAddress);
        mine.rtp->setAdvertised(destinationOf(address, transport->rtpPort));
        mine.rtcp->setAdvertised(destinationOf(rtcpAddress, transport->rtcpPort));
    }
    updateForwarding();
    updateDtmfBlocking();
    transcoding_ = anyTranscoder();
    return {};
}

// `owner` described its side as `remote`; `other` is the line the SDP goes to.
void Call::negotiate(LegMedia& owner, LegMedia& other, const sdp::MediaTransport& remote, const Signal& signal,
                     Exchange exchange) {
    owner.remote = remote;
    const Clock::time_point now = Clock::now();
    if (exchange == Exchange::Offer) {
        owner.transport->receiveOffer(remote);
        other.transport->sendOffer(planOffer(remote, signal.transport), now);
    } else {
        owner.transport->receiveAnswer(remote, now);
        other.transport->sendAnswer(planAnswer(other.remote, signal.transport), now);
    }
}

void Call::applyCodecs(LegMedia& offerer, LegMedia& answerer, const CodecRequest& answerRequest) {
    auto selection = offerer.type == "audio"
                         ? media::selectCodecs(offerer.formats, answerer.formats, offerCodecs_, answerRequest)
                         : std::nullopt;
    if (!selection) {
        offerer.codec.reset();
        answerer.codec.reset();
        stopTranscoding(offerer);
        stopTranscoding(answerer);
        return;
    }
    offerer.codec = selection->offerer;
    answerer.codec = selection->answerer;
    if (selection->transcode) {
        startTranscoding(offerer, selection->offerer, answerer, selection->answerer);
        startTranscoding(answerer, selection->answerer, offerer, selection->offerer);
        startEvents(offerer, selection->offererTelephoneEvent, answerer, selection->answererTelephoneEvent);
        startEvents(answerer, selection->answererTelephoneEvent, offerer, selection->offererTelephoneEvent);
        for (LegMedia* media : {&offerer, &answerer}) {
            if (media->transcoder && !media->reports) {
                media->reports = std::make_unique<LegRtcp>(media->codec->clockRate, *media->writer, Clock::now());
            }
            for (Stream* stream : {media->rtp.get(), media->rtcp.get()}) {
                stream->setReports(media->reports.get());
            }
        }
    } else {
        stopTranscoding(offerer);
        stopTranscoding(answerer);
        followEvents(offerer, selection->offererTelephoneEvent, answerer);
        followEvents(answerer, selection->answererTelephoneEvent, offerer);
    }
}

void Call::followEvents(LegMedia& source, const std::optional<sdp::PayloadFormat>& format, LegMedia& target) {
    if (!format) {
        return;
    }
    if (!target.writer) {
        target.writer = std::make_unique<rtp::RtpStreamWriter>();
    }
    useTranslator(
        source,
        {.sourceClockRate = format->clockRate, .targetClockRate = format->clockRate, .targetPayloadType = std::nullopt},
        format->payloadType, *target.writer);
}

void Call::useTranslator(LegMedia& source, const dtmf::EventTranslatorConfig& config, std::uint8_t payloadType,
                         rtp::RtpStreamWriter& writer) {
    if (!source.events || !(source.events->config() == config)) {
        source.rtp->setEvents(nullptr, 0);
        source.events = std::make_unique<dtmf::EventTranslator>(config, writer);
    }
    source.rtp->setEvents(source.events.get(), payloadType);
}

void Call::startTranscoding(LegMedia& source, const sdp::PayloadFormat& from, LegMedia& target,
                            const sdp::PayloadFormat& to) {
    const auto sourceCodec = transcodableCodec(from);
    const auto targetCodec = transcodableCodec(to);
    if (!sourceCodec || !targetCodec) {
        stopTranscoding(source);
        return;
    }
    const TranscoderConfig config{
        .sourceCodec = *sourceCodec,
        .sourcePayloadType = from.payloadType,
        .sourcePtimeMs = *sourceCodec == codec::AudioCodec::Opus ? codec::kFrameMilliseconds : source.ptime,
        .targetCodec = *targetCodec,
        .targetPayloadType = to.payloadType,
        .targetPtimeMs = target.ptime,
        .jitter = context_.transcoding.jitter,
        .opus = context_.transcoding.opus,
    };
    if (!target.writer) {
        target.writer = std::make_unique<rtp::RtpStreamWriter>();
    }
    if (!source.transcoder || !(source.transcoder->config() == config)) {
        source.rtp->setTranscoder(nullptr);
        source.transcoder = std::make_unique<Transcoder>(config, *target.writer);
    }
    source.rtp->setTranscoder(source.transcoder.get());
}

void Call::startEvents(LegMedia& source, const std::optional<sdp::PayloadFormat>& from, LegMedia& target,
                       const std::optional<sdp::PayloadFormat>& to) {
    if (!source.transcoder || !target.writer) {
        return;
    }
    // Toward the target: what rtcgate originates, as events or as tones.
    if (to) {
        const dtmf::EventSenderConfig config{.clockRate = to->clockRate, .payloadType = to->payloadType};
        if (!target.eventSender || !(target.eventSender->config() == config)) {
            target.eventSender = std::make_unique<dtmf::EventSender>(config, *target.writer);
        }
        source.transcoder->setToneGenerator(nullptr);
        target.toneGenerator.reset();
    } else {
        if (!target.toneGenerator) {
            target.toneGenerator = std::make_unique<dtmf::DtmfGenerator>();
        }
        source.transcoder->setToneGenerator(target.toneGenerator.get());
        target.eventSender.reset();
    }
    // From the source: its events relayed (or followed, to be played as tones), or its tones detected.
    if (from) {
        useTranslator(source,
                      {.sourceClockRate = from->clockRate,
                       .targetClockRate = to ? to->clockRate : from->clockRate,
                       .targetPayloadType = to ? std::optional(to->payloadType) : std::nullopt},
                      from->payloadType, *target.writer);
    } else {
        source.rtp->setEvents(nullptr, 0);
        source.events.reset();
    }
    // A source without telephone-event may dial tones: they are detected to be counted, sent on as events where the
    // target takes them, and cut from the audio where they go on as events or are blocked (block DTMF).
    if (!from) {
        if (!source.toneDetector) {
            source.toneDetector = std::make_unique<dtmf::DtmfDetector>();
        }
        source.transcoder->setToneDetector(source.toneDetector.get());
    } else {
        source.transcoder->setToneDetector(nullptr);
        source.toneDetector.reset();
    }
}

void Call::stopTranscoding(LegMedia& media) {
    for (Stream* stream : {media.rtp.get(), media.rtcp.get()}) {
        if (stream != nullptr) {
            stream->setTranscoder(nullptr);
            stream->setReports(nullptr);
            stream->setEvents(nullptr, 0);
        }
    }
    media.events.reset();
    media.transcoder.reset();
    media.reports.reset();
    media.toneDetector.reset();
    media.eventSender.reset();
    media.toneGenerator.reset();
}

std::string Call::openMedia(LegMedia& media) {
    if (media.relayed()) {
        return {};
    }
    auto rtp = std::make_unique<Stream>(context_, Component::Rtp);
    auto rtcp = std::make_unique<Stream>(context_, Component::Rtcp);
    auto port = context_.ports.acquire([&](std::uint16_t even) {
        if (!rtp->open(even)) {
            return false;
        }
        if (!rtcp->open(static_cast<std::uint16_t>(even + 1))) {
            rtp->close();
            return false;
        }
        return true;
    });
    if (!port) {
        Stream::retire(std::move(rtp));
        Stream::retire(std::move(rtcp));
        return "Ran out of ports";
    }
    media.port = *port;
    media.rtp = std::move(rtp);
    media.rtcp = std::move(rtcp);
    media.transport = std::make_unique<LegTransport>(context_);
    media.transport->attach(media.rtp.get());
    media.rtp->setTransport(media.transport.get());
    media.rtcp->setTransport(media.transport.get());
    return {};
}

void Call::closeMedia(LegMedia& media) {
    stopTranscoding(media);
    media.writer.reset();
    for (auto* stream : {&media.rtp, &media.rtcp}) {
        if (!*stream) {
            continue;
        }
        for (Stream* partner : {(*stream)->partner(), (*stream)->rtcpPartner()}) {
            if (partner != nullptr) {
                partner->forgetPartner(stream->get());
            }
        }
        (*stream)->setTransport(nullptr);
        Stream::retire(std::move(*stream));
    }
    media.transport.reset();
    if (media.relayed()) {
        context_.ports.release(media.port);
        media.port = 0;
    }
}

void Call::wire(LegMedia& a, LegMedia& b) {
    // With rtcp-mux a party's RTCP arrives at, and is sent from, the RTP socket.
    // A transcoded line ends RTCP at each leg: the other party's reports describe a stream this
    // party never receives (RFC 3550 section 7.2, a translator that changes the payload).
    const bool relayRtcp = !a.transcoder && !b.transcoder;
    Stream* aRtcp = !relayRtcp ? nullptr : a.transport->rtcpMux() ? a.rtp.get() : a.rtcp.get();
    Stream* bRtcp = !relayRtcp ? nullptr : b.transport->rtcpMux() ? b.rtp.get() : b.rtcp.get();
    a.rtp->setPartners(b.rtp.get(), bRtcp);
    a.rtcp->setPartners(bRtcp, bRtcp);
    b.rtp->setPartners(a.rtp.get(), aRtcp);
    b.rtcp->setPartners(aRtcp, aRtcp);
}

void Call::updateForwarding() {
    for (auto& leg : legs_) {
        Leg* peer = leg->peer();
        for (std::size_t i = 0; i < leg->media().size(); ++i) {
            LegMedia& media = leg->media()[i];
            if (!media.relayed()) {
                continue;
            }
            bool peerReceives = true;
            if (peer != nullptr && i < peer->media().size()) {
                peerReceives = canReceive(peer->media()[i].direction);
            }
            bool forward = canSend(media.direction) && peerReceives;
            media.rtp->setForwardRtp(forward);
            if (media.transcoder) {
                media.transcoder->setHeld(!forward);
            }
            media.rtp->setStrictSource(strictSource_);
            media.rtcp->setStrictSource(strictSource_);
        }
    }
}

bool Call::setDtmfBlocked(const std::string& tag, bool blocked) {
    bool found = false;
    for (auto& leg : legs_) {
        if (tag.empty() || leg->tag() == tag) {
            leg->setDtmfBlocked(blocked);
            found = true;
        }
    }
    updateDtmfBlocking();
    return found;
}

void Call::updateDtmfBlocking() {
    for (auto& leg : legs_) {
        for (auto& media : leg->media()) {
            if (!media.rtp) {
                continue;
            }
            std::bitset<128> types;
            for (const auto& format : media.formats) {
                if (leg->dtmfBlocked() && isTelephoneEvent(format)) {
                    types.set(format.payloadType & 0x7FU);
                }
            }
            media.rtp->setBlockedPayloadTypes(types);
            if (media.events) {
                media.events->setMuted(leg->dtmfBlocked());
            }
        }
    }
}

SignalResult Call::render(Leg& recipient, const Signal& signal, Exchange exchange) {
    sdp::SessionDescription out = signal.sdp;
    std::vector<sdp::LocalMedia> local(out.media.size());
    std::vector<std::string> warnings;
    bool toWebRtc = false;
    std::optional<std::string> bridgedProtocol;
    for (std::size_t i = 0; i < local.size(); ++i) {
        const LegMedia& media = recipient.media()[i];
        if (!media.relayed()) {
            continue;
        }
        const bool mux = media.transport->rtcpMux();
        local[i] = {.relayed = true,
                    .rtpPort = media.port,
                    .rtcpPort = static_cast<std::uint16_t>(mux ? media.port : media.port + 1),
                    .transport = std::nullopt};
        sdp::MediaTransport ours = media.transport->describe(media.port);
        if (auto warning = renderCodecs(recipient, i, out.media[i], signal, exchange, sdp::isWebRtc(ours));
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
                local[i].transport->mid = recipient.media()[i].remote.mid;
                continue;
            }
            auto source = sdp::readMediaTransport(signal.sdp, i).mid;
            local[i].transport->mid = source ? source : std::optional<std::string>(std::to_string(i));
        }
    }
    sdp::rewrite(out, local,
                 {.address = context_.advertisedAddress,
                  .replaceOrigin = signal.replaceOrigin,
                  .replaceSessionConnection = signal.replaceSessionConnection});
    return {.sdp = recipient.finalizeSdp(out), .error = {}, .warnings = std::move(warnings)};
}

std::vector<std::string> Call::renderCodecs(Leg& recipient, std::size_t index, sdp::MediaDescription& line,
                                            const Signal& signal, Exchange exchange, bool toWebRtc) {
    const Leg* source = recipient.peer();
    if (source == nullptr || index >= source->media().size()) {
        return {};
    }
    const LegMedia& from = source->media()[index];
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
    const LegMedia& offerer = recipient.media()[index];
    auto selection = from.type == "audio"
                         ? media::selectCodecs(offerer.formats, from.formats, offerCodecs_, signal.codec)
                         : std::nullopt;
    if (selection && selection->answerFormats != from.formats) {
        sdp::writePayloadFormats(line, selection->answerFormats);
    }
    return {};
}

void Call::onMediaTick(Clock::time_point now) {
    if (deleted_ || !transcoding_) {
        return;
    }
    for (auto& leg : legs_) {
        Leg* peer = leg->peer();
        for (std::size_t i = 0; i < leg->media().size(); ++i) {
            LegMedia& source = leg->media()[i];
            Transcoder* transcoder = source.transcoder.get();
            if (transcoder == nullptr || peer == nullptr || i >= peer->media().size() || !peer->media()[i].rtp) {
                continue;
            }
            LegMedia& target = peer->media()[i];
            drainEvents(*leg, source, &target, now);
            if (target.eventSender) {
                sendPackets(target, target.eventSender->poll(now, transcoder->nextTimestamp()).packets);
            }
            // An event replaces the audio while it plays (RFC 4733 section 2.6); a blocked party's DTMF reaches the
            // other party in no form, whatever --dtmf-no-suppress says.
            const bool blocked = leg->dtmfBlocked();
            const bool suppress = context_.transcoding.suppressDtmfAudio || blocked;
            transcoder->setSuppressed(suppress && ((source.events && source.events->active()) ||
                                                   (target.eventSender && target.eventSender->active())));
            transcoder->setCuttingTones(blocked || (suppress && target.eventSender));
            while (auto packet = transcoder->next(now)) {
                const rtp::RtpPacket sent(packet->buffer.first(packet->length));
                const std::size_t payload = sent.payload().size();
                if (!target.rtp->send(rtp::PacketKind::Rtp, packet->buffer, packet->length)) {
                    source.rtp->countBlocked();
                } else if (target.reports) {
                    target.reports->onSent(sent, payload, now);
                }
            }
            for (const auto& tone : transcoder->detectedDigits()) {
                const auto event = dtmf::eventOf(tone.digit);
                const auto volume = static_cast<std::uint8_t>(std::clamp(-tone.levelDbm0, 0, 63));
                if (event && target.eventSender && !blocked) {
                    target.eventSender->queue(*event, std::chrono::milliseconds(tone.durationMs()), volume,
                                              std::chrono::milliseconds(0));
                }
                recordDigit(*leg, &source,
                            {.digit = tone.digit,
                             .durationMs = tone.durationMs(),
                             .volume = volume,
                             .source = dtmf::DtmfSource::InBand,
                             .ended = std::chrono::system_clock::now()});
            }
            transcoder->clearDetectedDigits();
        }
    }
}

void Call::sendPackets(LegMedia& target, std::span<const dtmf::EventEmitter::Packet> packets) {
    for (const auto& packet : packets) {
        target.rtp->send(rtp::PacketKind::Rtp, packet.buffer, packet.length);
    }
}

void Call::drainEvents(Leg& party, LegMedia& source, LegMedia* target, Clock::time_point now) {
    if (source.events) {
        const auto output = source.events->poll(now);
        if (target != nullptr) {
            sendPackets(*target, output.packets);
        }
        for (const auto& event : output.ended) {
            onPartyEvent(party, source, target, event);
        }
    }
    for (const auto& event : source.rtp->endedEvents()) {
        onPartyEvent(party, source, target, event);
    }
    source.rtp->clearEndedEvents();
}

void Call::onPartyEvent(Leg& party, const LegMedia& source, LegMedia* target, const dtmf::RelayedEvent& event) {
    if (event.digit == '\0') {
        return; // not DTMF (a flash, a tone of RFC 4734): relayed, not counted
    }
    if (target != nullptr && target->toneGenerator && !party.dtmfBlocked()) {
        target->toneGenerator->queue(event.digit, std::chrono::milliseconds(event.durationMs), -int{event.volume},
                                     kTonePause);
    }
    recordDigit(party, &source,
                {.digit = event.digit,
                 .durationMs = event.durationMs,
                 .volume = event.volume,
                 .source = dtmf::DtmfSource::Rfc4733,
                 .ended = std::chrono::system_clock::now()});
}

void Call::recordDigit(Leg& party, const LegMedia* media, const DtmfDigit& digit) {
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
                            .sourceEndpoint = media != nullptr && media->rtp ? media->rtp->latched() : std::nullopt,
                            .when = digit.ended});
}

std::string Call::playDtmf(const DtmfPlay& play) {
    Leg* sender = nullptr;
    Leg* receiver = nullptr;
    if (!play.fromTag.empty()) {
        sender = findLeg(play.fromTag);
        if (sender == nullptr) {
            return "Unknown from-tag";
        }
        receiver = sender->peer();
    } else if (!play.toTag.empty()) {
        receiver = findLeg(play.toTag);
        if (receiver == nullptr) {
            return "Unknown to-tag";
        }
        sender = receiver->peer();
    } else {
        return "No from-tag or to-tag in message";
    }
    if (sender == nullptr || receiver == nullptr) {
        return "The call has no answer yet";
    }
    std::vector<LegMedia*> targets;
    for (std::size_t i = 0; i < receiver->media().size() && i < sender->media().size(); ++i) {
        LegMedia& target = receiver->media()[i];
        if (sender->media()[i].transcoder && (target.eventSender || target.toneGenerator)) {
            targets.push_back(&target);
        }
    }
    if (targets.empty()) {
        return "Media toward '" + receiver->tag() + "' is not transcoded: offer with the flag 'inject DTMF'";
    }
    // All the digits or none: a request that does not fit is refused before anything is queued.
    for (const LegMedia* target : targets) {
        const std::size_t room = target->eventSender
                                     ? dtmf::EventSender::kQueueCapacity - target->eventSender->queued()
                                     : dtmf::DtmfGenerator::kQueueCapacity - target->toneGenerator->queued();
        if (play.digits.size() > room) {
            return "Too many DTMF digits queued";
        }
    }
    for (LegMedia* target : targets) {
        for (const char digit : play.digits) {
            if (target->eventSender) {
                target->eventSender->queue(*dtmf::eventOf(digit), play.duration, static_cast<std::uint8_t>(play.volume),
                                           play.pause);
            } else {
                target->toneGenerator->queue(digit, play.duration, -play.volume, play.pause);
            }
        }
    }
    for (const char digit : play.digits) {
        recordDigit(*sender, nullptr,
                    {.digit = digit,
                     .durationMs = static_cast<std::uint32_t>(play.duration.count()),
                     .volume = static_cast<std::uint8_t>(play.volume),
                     .source = dtmf::DtmfSource::PlayDtmf,
                     .ended = std::chrono::system_clock::now()});
    }
    return {};
}

bool Call::anyTranscoder() const {
    return std::any_of(legs_.begin(), legs_.end(), [](const auto& leg) {
        return std::any_of(leg->media().begin(), leg->media().end(),
                           [](const LegMedia& media) { return media.transcoder != nullptr; });
    });
}

template <typename Function>
void Call::forEachStream(Function&& function) const {
    for (const auto& leg : legs_) {
        for (const auto& media : leg->media()) {
            for (Stream* stream : {media.rtp.get(), media.rtcp.get()}) {
                if (stream != nullptr) {
                    function(*stream);
                }
            }
        }
    }
}

void Call::markDeleted() {
    deleted_ = true;
    forEachStream([](Stream& stream) {
        stream.setForwarding(false);
        stream.close();
    });
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
    for (auto& leg : legs_) {
        for (std::size_t i = 0; i < leg->media().size(); ++i) {
            LegMedia& media = leg->media()[i];
            if (media.transport) {
                media.transport->onTick(now);
            }
            if (media.events && !media.transcoder) {
                drainEvents(*leg, media, nullptr, now); // a transcoded line's are drained on the media tick
            }
            if (media.reports && !deleted_) {
                sendReport(media, now);
                // What the party loses of rtcgate's stream sets how strongly its Opus FEC is coded.
                const Leg* peer = leg->peer();
                if (auto loss = media.reports->remoteLossPercent();
                    loss && peer != nullptr && i < peer->media().size() && peer->media()[i].transcoder) {
                    peer->media()[i].transcoder->setExpectedLoss(*loss);
                }
            }
        }
    }
}

void Call::sendReport(LegMedia& media, Clock::time_point now) {
    std::size_t length = 0;
    auto report = media.reports->nextReport(now, length);
    if (length == 0) {
        return;
    }
    Stream* stream = media.transport->rtcpMux() ? media.rtp.get() : media.rtcp.get();
    stream->send(rtp::PacketKind::Rtcp, report, length);
}

CallSnapshot Call::snapshot() const {
    CallSnapshot call{.callId = id_, .created = created_, .lastSignal = lastSignal_, .deleted = deleted_, .legs = {}};
    for (const auto& leg : legs_) {
        LegSnapshot legSnapshot{.tag = leg->tag(),
                                .dtmfBlocked = leg->dtmfBlocked(),
                                .dtmfCount = leg->digitCount(),
                                .dtmf = {leg->digits().begin(), leg->digits().end()},
                                .created = leg->created(),
                                .peerTag = leg->peer() != nullptr ? leg->peer()->tag() : std::string{},
                                .medias = {}};
        unsigned index = 0;
        for (const auto& media : leg->media()) {
            MediaSnapshot m{.index = ++index,
                            .type = media.type,
                            .protocol = media.protocol,
                            .direction = std::string(sdp::toString(media.direction)),
                            .streams = {}};
            for (const auto* stream : {media.rtp.get(), media.rtcp.get()}) {
                if (stream != nullptr) {
                    m.streams.push_back(snapshotOf(*stream));
                }
            }
            if (media.transport && (media.transport->iceEnabled() || media.transport->secure())) {
                m.transport = media.transport->snapshot();
            }
            if (media.codec) {
                m.codec = media.codec->name();
            }
            if (media.transcoder) {
                m.transcoding = true;
                m.jitter = media.transcoder->jitterStatistics();
                m.transcoder = media.transcoder->statistics();
            }
            if (media.reports) {
                m.rtcp = media.reports->snapshot();
                if (m.jitter && m.transcoder) {
                    m.quality = qualityOf(*m.jitter, *m.transcoder, *m.rtcp);
                }
            }
            legSnapshot.medias.push_back(std::move(m));
        }
        call.legs.push_back(std::move(legSnapshot));
    }
    return call;
}

} // namespace rtcgate::media
