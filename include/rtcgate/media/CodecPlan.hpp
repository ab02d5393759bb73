// Codec negotiation across the two legs of a call: the formats of the offer rtcgate sends to the answerer, and,
// once the answer is known, the codec each side uses, whether rtcgate transcodes between them, and the formats of
// the answer toward the offerer. The `codec` sub-keys are described in media/CodecRequest.hpp.
#pragma once

#include "rtcgate/codec/AudioCodec.hpp"
#include "rtcgate/media/CodecRequest.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtcgate::media {

using codec::AudioCodec; // the codecs rtcgate transcodes

// opus/48000 (two channels, or one as a lax rtpmap writes it), PCMU/8000, PCMA/8000.
std::optional<AudioCodec> transcodableCodec(const sdp::PayloadFormat& format);

// telephone-event (RFC 4733) and comfort noise (RFC 3389), relayed as they are: not audio codecs for the choice.
bool isTelephoneEvent(const sdp::PayloadFormat& format);
bool isComfortNoise(const sdp::PayloadFormat& format);

// The formats of the offer toward the answerer, from the offerer's formats and the offer's codec request.
// Added formats: PCMU 0, PCMA 8, opus on the first dynamic payload type (96..127) free in the offerer's list and
// the result, with rtpmap opus/48000/2 and fmtp "minptime=10;useinbandfec=1"; telephone-event is kept only at the
// clock rates of the audio codecs that remain and, when the offerer offered telephone-event at all, given to a
// remaining codec's clock rate that lacks one: the offerer's own at that rate (brought back when `all` removed it),
// else, at the rate of a codec added for transcoding, fmtp "0-15" on a free dynamic payload type, before the
// offerer's own telephone-events. A format rtcgate cannot transcode stays: it may still be relayed as it is. A
// request that would leave no audio codec keeps the offer's formats (and says so in `ignored`). An empty request
// changes nothing (but telephone-event at a rate no codec uses). `ignored` names the entries rtcgate did not act on
// ("codec-transcode: G729"), for the reply's warning.
struct OfferPlan {
    std::vector<sdp::PayloadFormat> formats;
    std::vector<std::string> ignored;
};
OfferPlan planOffer(const std::vector<sdp::PayloadFormat>& offered, const CodecRequest& request);

// For an offer toward a WebRTC party: when it leads with Opus and has telephone-event/48000, telephone-event at
// 48000 only. libwebrtc sends DTMF beside Opus on the lowest-clock telephone-event it was offered (it matches the
// clock only for codecs with comfort noise) and times it on the wrong clock: 3 end packets of 20 ms per digit.
void keepOnlyOpusClockEvents(std::vector<sdp::PayloadFormat>& formats);

// Once the answer is known: the codec each side sends and receives, and the formats of the answer toward the
// offerer (only formats the offerer offered, with the offerer's payload types: RFC 3264 section 6.1).
struct CodecSelection {
    sdp::PayloadFormat offerer;  // what the offerer sends and receives
    sdp::PayloadFormat answerer; // what the answerer sends and receives: the first audio codec of its answer
    std::optional<sdp::PayloadFormat> offererTelephoneEvent, answererTelephoneEvent; // at that side's codec clock
    bool transcode = false; // decode and re-encode between the sides
    std::vector<sdp::PayloadFormat> answerFormats;
};

// Passthrough when the answerer's codec is one the offerer offered (and did not have stripped), with the same
// payload type, unless an accepted codec (`accept`, "always transcode") comes earlier in the offerer's list or
// "force transcoding" is given; and unless telephone-event is on one side only (DTMF then crosses as tones) or
// "inject DTMF" is given, when both codecs are ones rtcgate transcodes. Otherwise transcoding, from the offerer's first
// transcodable format that the offer's request did not strip (masked ones count: the offerer may still send them).
// answerFormats: passed through, every format of the answer that the offerer offered (same payload type and codec), in
// the answerer's order and with its fmtp; transcoded, the offerer's codec plus its telephone-event at that codec's
// clock rate (else any telephone-event it offered). nullopt: nothing usable (no audio codec in the answer, or
// transcoding needed where one side's codec is not transcodable): the caller then relays as it does today.
std::optional<CodecSelection> selectCodecs(const std::vector<sdp::PayloadFormat>& offered,  // the offerer's own
                                           const std::vector<sdp::PayloadFormat>& answered, // the answerer's
                                           const CodecRequest& offerRequest, const CodecRequest& answerRequest);

} // namespace rtcgate::media
