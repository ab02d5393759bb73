#include "rtcgate/media/CodecPlan.hpp"

#include <algorithm>
#include <bitset>
#include <iterator>

namespace rtcgate::media {

namespace {

constexpr unsigned kFirstDynamicPayloadType = 96; // RFC 3551 section 3
constexpr unsigned kLastDynamicPayloadType = 127;

// Payload formats that carry no audio of their own: not candidates for the codec of a side.
bool isAudioCodec(const sdp::PayloadFormat& format) {
    return !format.encoding.empty() && !isTelephoneEvent(format) && !isComfortNoise(format) && !format.is("red");
}

// Adds an audio codec to an offer's formats after its other audio codecs: before telephone-event, comfort noise and
// RED, so that a phone that takes the first format it can decode never takes telephone-event (rtpengine's order).
void addAudioCodec(std::vector<sdp::PayloadFormat>& formats, const sdp::PayloadFormat& format) {
    const auto lastCodec = std::find_if(formats.rbegin(), formats.rend(), isAudioCodec);
    formats.insert(lastCodec.base(), format);
}

bool containsMatch(const std::vector<sdp::PayloadFormat>& formats, const CodecMatch& match) {
    return std::any_of(formats.begin(), formats.end(), [&](const sdp::PayloadFormat& f) { return match.matches(f); });
}

bool containsFormat(const std::vector<sdp::PayloadFormat>& formats, const sdp::PayloadFormat& format) {
    return std::any_of(formats.begin(), formats.end(), [&](const sdp::PayloadFormat& f) {
        return f.payloadType == format.payloadType && f.sameCodec(format);
    });
}

// Removed by the offer's strip or mask: explicitly, or by all/full without an except.
bool removedFromOffer(const sdp::PayloadFormat& format, const CodecRequest& request) {
    if (anyMatches(request.strip, format, true) || anyMatches(request.mask, format, true)) {
        return true;
    }
    return (request.stripsAll() || request.masksAll()) && !anyMatches(request.except, format);
}

// offer/transcode bring back only what all (not full) removed.
bool restorable(const sdp::PayloadFormat& format, const CodecRequest& request) {
    return !request.full() && !anyMatches(request.strip, format, true) && !anyMatches(request.mask, format, true);
}

// What the offer's request stripped is as if never offered: the offerer may not send it.
bool strippedFromOfferer(const sdp::PayloadFormat& format, const CodecRequest& request) {
    if (anyMatches(request.strip, format, true)) {
        return true;
    }
    if (!request.stripsAll() || anyMatches(request.except, format)) {
        return false;
    }
    return request.full() || !(anyMatches(request.offer, format) || anyMatches(request.transcode, format));
}

std::optional<std::uint8_t> freeDynamicPayloadType(const std::vector<sdp::PayloadFormat>& offered,
                                                   const std::vector<sdp::PayloadFormat>& planned) {
    std::bitset<128> used;
    for (const auto* list : {&offered, &planned}) {
        for (const auto& format : *list) {
            used.set(format.payloadType & 0x7fU);
        }
    }
    for (unsigned pt = kFirstDynamicPayloadType; pt <= kLastDynamicPayloadType; ++pt) {
        if (!used.test(pt)) {
            return static_cast<std::uint8_t>(pt);
        }
    }
    return std::nullopt;
}

// The format `transcode` adds for a codec rtcgate can encode; nullopt for any other codec.
std::optional<sdp::PayloadFormat> formatToAdd(const CodecMatch& match, const std::vector<sdp::PayloadFormat>& offered,
                                              const std::vector<sdp::PayloadFormat>& planned) {
    if (match.all || match.payloadType) {
        return std::nullopt;
    }
    sdp::PayloadFormat format;
    format.encoding = match.name;
    if (format.is("opus")) {
        // RFC 7587 section 7: opus is always written opus/48000/2, whatever it carries.
        if (match.clockRate.value_or(48000) != 48000 || match.channels.value_or(2) != 2) {
            return std::nullopt;
        }
        auto payloadType = freeDynamicPayloadType(offered, planned);
        if (!payloadType) {
            return std::nullopt;
        }
        return sdp::PayloadFormat{
            *payloadType, "opus", 48000, 2, match.fmtp.value_or("minptime=10;useinbandfec=1"), {}};
    }
    if (match.clockRate.value_or(8000) != 8000 || match.channels.value_or(1) != 1) {
        return std::nullopt;
    }
    if (format.is("PCMU")) {
        return sdp::PayloadFormat{0, "PCMU", 8000, 1, {}, {}};
    }
    if (format.is("PCMA")) {
        return sdp::PayloadFormat{8, "PCMA", 8000, 1, {}, {}};
    }
    return std::nullopt;
}

// Brings back, in the offerer's order, the formats matching `match` that all removed; false when the offerer
// offered nothing `match` names.
bool restore(const CodecMatch& match, const std::vector<sdp::PayloadFormat>& offered, const CodecRequest& request,
             std::vector<sdp::PayloadFormat>& planned) {
    bool named = false;
    for (const auto& format : offered) {
        if (!match.matches(format)) {
            continue;
        }
        named = true;
        if (restorable(format, request) && !containsFormat(planned, format)) {
            addAudioCodec(planned, format);
        }
    }
    return named;
}

// The first telephone-event of `formats` at `clockRate`.
std::optional<sdp::PayloadFormat> telephoneEventAt(const std::vector<sdp::PayloadFormat>& formats,
                                                   std::uint32_t clockRate) {
    auto event = std::find_if(formats.begin(), formats.end(), [&](const sdp::PayloadFormat& format) {
        return isTelephoneEvent(format) && format.clockRate == clockRate;
    });
    return event == formats.end() ? std::nullopt : std::optional(*event);
}

// The first telephone-event of `formats` at `clockRate`, else the first at any rate.
std::optional<sdp::PayloadFormat> telephoneEventFor(const std::vector<sdp::PayloadFormat>& formats,
                                                    std::uint32_t clockRate) {
    if (auto event = telephoneEventAt(formats, clockRate)) {
        return event;
    }
    auto any = std::find_if(formats.begin(), formats.end(), isTelephoneEvent);
    return any == formats.end() ? std::nullopt : std::optional(*any);
}

// telephone-event only at the clock rates of the audio codecs planned (RFC 4733 section 2.1: the event clock is the
// audio codec's); when the offerer offered any, at each rate that lacks one: its own at that rate, else a new one
// where a codec was added for transcoding; when it offered none and `eventsTranscoded`, a new one at every rate.
void planTelephoneEvents(const std::vector<sdp::PayloadFormat>& offered,
                         const std::vector<sdp::PayloadFormat>& offeredEvents,
                         const std::vector<std::uint32_t>& addedClockRates, bool eventsTranscoded,
                         std::vector<sdp::PayloadFormat>& planned) {
    std::vector<std::uint32_t> clockRates;
    for (const auto& format : planned) {
        if (isAudioCodec(format) &&
            std::find(clockRates.begin(), clockRates.end(), format.clockRate) == clockRates.end()) {
            clockRates.push_back(format.clockRate);
        }
    }
    std::erase_if(planned, [&](const sdp::PayloadFormat& format) {
        return isTelephoneEvent(format) &&
               std::find(clockRates.begin(), clockRates.end(), format.clockRate) == clockRates.end();
    });
    if (offeredEvents.empty() && !eventsTranscoded) {
        return;
    }
    for (auto clockRate : clockRates) {
        bool present = std::any_of(planned.begin(), planned.end(), [&](const sdp::PayloadFormat& format) {
            return isTelephoneEvent(format) && format.clockRate == clockRate;
        });
        if (present) {
            continue;
        }
        auto own = std::find_if(offeredEvents.begin(), offeredEvents.end(),
                                [&](const sdp::PayloadFormat& format) { return format.clockRate == clockRate; });
        bool added = offeredEvents.empty() ||
                     std::find(addedClockRates.begin(), addedClockRates.end(), clockRate) != addedClockRates.end();
        if (own != offeredEvents.end()) {
            planned.push_back(*own);
        } else if (!added) {
            continue;
        } else if (auto payloadType = freeDynamicPayloadType(offered, planned)) {
            // rtpengine's: the 16 DTMF events (RFC 4733 section 3.2), before the offerer's own telephone-events.
            const sdp::PayloadFormat event{*payloadType, "telephone-event", clockRate, 1, "0-15", {}};
            const auto offerers = std::find_if(planned.begin(), planned.end(), [&](const sdp::PayloadFormat& format) {
                return isTelephoneEvent(format) && containsFormat(offeredEvents, format);
            });
            planned.insert(offerers, event);
        }
    }
}

} // namespace

std::optional<AudioCodec> transcodableCodec(const sdp::PayloadFormat& format) {
    if (format.is("opus") && format.clockRate == 48000 && (format.channels == 2 || format.channels == 1)) {
        return AudioCodec::Opus;
    }
    if (format.clockRate != 8000 || format.channels != 1) {
        return std::nullopt;
    }
    if (format.is("PCMU")) {
        return AudioCodec::Pcmu;
    }
    if (format.is("PCMA")) {
        return AudioCodec::Pcma;
    }
    return std::nullopt;
}

bool isTelephoneEvent(const sdp::PayloadFormat& format) {
    return format.is("telephone-event");
}

bool isComfortNoise(const sdp::PayloadFormat& format) {
    return format.is("CN");
}

OfferPlan planOffer(const std::vector<sdp::PayloadFormat>& offered, const CodecRequest& request) {
    OfferPlan plan;
    for (const auto& format : offered) {
        if (!removedFromOffer(format, request)) {
            plan.formats.push_back(format);
        }
    }

    for (const auto& match : request.offer) {
        if (!restore(match, offered, request, plan.formats)) {
            plan.ignored.push_back("codec-offer: " + match.toString());
        }
    }
    std::vector<std::uint32_t> addedClockRates;
    for (const auto& match : request.transcode) {
        if (containsMatch(plan.formats, match) || match.names("telephone-event")) {
            continue; // telephone-event: planTelephoneEvents
        }
        bool restorableOffered = std::any_of(offered.begin(), offered.end(), [&](const sdp::PayloadFormat& format) {
            return match.matches(format) && restorable(format, request);
        });
        if (restorableOffered) {
            restore(match, offered, request, plan.formats);
        } else if (auto format = formatToAdd(match, offered, plan.formats)) {
            addAudioCodec(plan.formats, *format);
            addedClockRates.push_back(format->clockRate);
        } else {
            plan.ignored.push_back("codec-transcode: " + match.toString());
        }
    }

    std::vector<sdp::PayloadFormat> offeredEvents;
    for (const auto& format : offered) {
        bool named = anyMatches(request.strip, format, true) || anyMatches(request.mask, format, true);
        if (isTelephoneEvent(format) && !named) {
            offeredEvents.push_back(format);
        }
    }
    planTelephoneEvents(offered, offeredEvents, addedClockRates, request.transcodesEvents(), plan.formats);
    if (std::none_of(plan.formats.begin(), plan.formats.end(), isAudioCodec)) {
        // An m= line needs a format (RFC 8866 section 5.14): a strip of everything keeps the offer's, as rtpengine.
        plan.formats = offered;
        plan.ignored.emplace_back("codec-strip: it would leave no audio codec; the offer's formats are kept");
    }
    return plan;
}

void keepOnlyOpusClockEvents(std::vector<sdp::PayloadFormat>& formats) {
    const auto first = std::find_if(formats.begin(), formats.end(), isAudioCodec);
    const bool atOpusClock = std::any_of(formats.begin(), formats.end(), [](const sdp::PayloadFormat& format) {
        return isTelephoneEvent(format) && format.clockRate == 48000;
    });
    if (first == formats.end() || transcodableCodec(*first) != AudioCodec::Opus || !atOpusClock) {
        return;
    }
    std::erase_if(formats, [](const sdp::PayloadFormat& format) {
        return isTelephoneEvent(format) && format.clockRate != 48000;
    });
}

std::optional<CodecSelection> selectCodecs(const std::vector<sdp::PayloadFormat>& offered,
                                           const std::vector<sdp::PayloadFormat>& answered,
                                           const CodecRequest& offerRequest, const CodecRequest& answerRequest) {
    auto answerer = std::find_if(answered.begin(), answered.end(), isAudioCodec);
    if (answerer == answered.end()) {
        return std::nullopt;
    }

    std::vector<sdp::PayloadFormat> sendable; // what the offerer may send, in its order
    for (const auto& format : offered) {
        if (!strippedFromOfferer(format, offerRequest)) {
            sendable.push_back(format);
        }
    }
    const bool acceptAll = offerRequest.alwaysTranscode || answerRequest.alwaysTranscode ||
                           std::any_of(offerRequest.accept.begin(), offerRequest.accept.end(),
                                       [](const CodecMatch& m) { return m.all; }) ||
                           std::any_of(answerRequest.accept.begin(), answerRequest.accept.end(),
                                       [](const CodecMatch& m) { return m.all; });
    const bool force = offerRequest.forceTranscoding || answerRequest.forceTranscoding;

    std::vector<sdp::PayloadFormat> candidates;
    std::copy_if(sendable.begin(), sendable.end(), std::back_inserter(candidates), isAudioCodec);
    auto shared = std::find_if(candidates.begin(), candidates.end(), [&](const sdp::PayloadFormat& format) {
        return format.payloadType == answerer->payloadType && format.sameCodec(*answerer);
    });
    auto accepted = std::find_if(candidates.begin(), candidates.end(), [&](const sdp::PayloadFormat& format) {
        return transcodableCodec(format) &&
               (acceptAll || anyMatches(offerRequest.accept, format) || anyMatches(answerRequest.accept, format));
    });
    auto firstTranscodable = std::find_if(candidates.begin(), candidates.end(),
                                          [](const sdp::PayloadFormat& format) { return transcodableCodec(format); });

    CodecSelection selection;
    selection.answerer = *answerer;
    if (accepted != candidates.end() && accepted < shared) { // the offerer prefers an accepted codec
        selection.offerer = *accepted;
        selection.transcode =
            force || accepted->payloadType != answerer->payloadType || !accepted->sameCodec(*answerer);
    } else if (shared != candidates.end()) {
        selection.offerer = *shared;
        selection.transcode = force;
    } else if (firstTranscodable != candidates.end()) {
        selection.offerer = *firstTranscodable;
        selection.transcode = true;
    } else {
        return std::nullopt;
    }
    if (selection.transcode && (!transcodableCodec(selection.offerer) || !transcodableCodec(selection.answerer))) {
        return std::nullopt;
    }

    selection.offererTelephoneEvent = telephoneEventFor(sendable, selection.offerer.clockRate);
    selection.answererTelephoneEvent = telephoneEventFor(answered, selection.answerer.clockRate);
    // DTMF crosses between RFC 4733 on one side and tones on the other only through the decoded audio; and digits
    // are injected ("inject DTMF") only into audio rtcgate encodes.
    const bool eventsOnOneSide =
        selection.offererTelephoneEvent.has_value() != selection.answererTelephoneEvent.has_value();
    const bool eventsTranscoded =
        offerRequest.transcodesEvents() || offerRequest.acceptsEvents() || answerRequest.transcodesEvents();
    if (((eventsOnOneSide && eventsTranscoded) || offerRequest.injectDtmf || answerRequest.injectDtmf) &&
        transcodableCodec(selection.offerer) && transcodableCodec(selection.answerer)) {
        selection.transcode = true;
    }
    if (!selection.transcode) {
        // Passed through: every format the answerer took that the offerer offered, in the answerer's order and with
        // its fmtp (RFC 3264 section 6.1; a carrier may switch between them mid-call, and they are relayed as they
        // come), and nothing it did not take (telephone-event the answerer lacks would never reach it).
        // telephone-event goes by clock rate: each side keeps its own payload type, mapped on the way.
        for (const auto& format : answered) {
            if (containsFormat(sendable, format)) {
                selection.answerFormats.push_back(format);
            } else if (auto event =
                           isTelephoneEvent(format) ? telephoneEventAt(sendable, format.clockRate) : std::nullopt) {
                event->fmtp = format.fmtp;
                selection.answerFormats.push_back(*event);
            }
        }
        return selection;
    }
    selection.answerFormats.push_back(selection.offerer);
    if (selection.offererTelephoneEvent) {
        selection.answerFormats.push_back(*selection.offererTelephoneEvent);
    }
    return selection;
}

} // namespace rtcgate::media
