// What the signaling proxy asks of the codecs of an offer or answer: rtpengine's ng `codec` dictionary and the
// flags "always transcode" and "force transcoding", as Kamailio and OpenSIPS send them. rtcgate transcodes Opus
// (opus/48000/2), PCMU and PCMA; telephone-event is relayed (its clock rate scaled) and CN passed as it is.
//
// The sub-keys, as rtpengine defines them (docs/ng_control_protocol.md, "codec manipulations") and as rtcgate
// applies them (media/CodecPlan.hpp). Each entry is a codec name (case-insensitive here), "name/clock",
// "name/clock/channels", a payload type number, or `all` (`full`: `all`, except that nothing named in `offer` or
// `transcode` is brought back). As in rtpengine, "name/clock" names the one-channel codec: `opus/48000` does not
// match opus/48000/2.
//   strip      remove these formats of the offer: as if the offerer had never offered them; the answer toward the
//              offerer cannot use them.
//   mask       remove these formats from the offer toward the answerer, but the offerer may still send them:
//              they remain candidates for transcoding on the offerer's side.
//   except     with strip or mask `all`: keep these formats of the offer, in the offerer's order. Names the
//              offerer did not offer do nothing.
//   offer      with strip or mask `all`: bring these formats of the offer back, in the order named, after the
//              formats kept (so the first named leads when nothing else was kept). A name that matches nothing
//              offered is reported as ignored.
//   transcode  like `offer` for a format the offerer offered (unless stripped or masked by its own name, or by
//              `full`); otherwise add it to the offer (PCMU 0, PCMA 8, opus on a free dynamic payload type) and
//              transcode when the answerer picks it. Adding one removes from the offer the formats rtcgate can
//              neither transcode nor relay as they are toward a transcoded side (all but Opus, PCMU, PCMA,
//              telephone-event, CN), as rtpengine does. A codec rtcgate cannot transcode is reported as ignored.
//   accept     when the answerer picks a codec the offerer also offered, the offerer may still be answered with
//              an accepted codec it prefers (earlier in its list), transcoding between them. `accept` may come
//              in the offer or the answer.
//   always transcode   rtpengine's legacy synonym of `accept: [all]`: the offerer is answered with its first
//              codec rtcgate can transcode, whatever the answerer picked.
//   force transcoding  decode and re-encode even when both sides use the same codec.
//   transcode: telephone-event   (rtpengine's codec-transcode-telephone-event) when only one side negotiates
//              telephone-event, transcode the line (even a shared codec) so that rtcgate turns that side's events
//              into tones for the other and the other's tones into events. The offer toward the answerer gets
//              telephone-event at every clock rate when the offerer had none.
//   accept: telephone-event   (in the offer) the same for an answerer that rejects telephone-event: the offerer
//              is answered with its telephone-event all the same, and DTMF crosses as above (rtpengine 10.5 reads
//              it in the offer only).
//   inject DTMF        (flag) transcode the line even when both sides share a codec, so that "play DTMF" can
//              put digits into what goes to either party.
// strip, mask, except, offer and transcode are applied to offers only (rtpengine ignores them in answers).
// telephone-event is kept at the clock rates of the audio codecs that remain and added at the rate of a codec added
// for transcoding when the offerer offered it at all (unless stripped or masked by its own name): rtpengine's codec
// tracker does the same for its supplemental codecs.
#pragma once

#include "rtcgate/sdp/PayloadFormat.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::media {

// One entry of a `codec` list: "PCMU", "opus/48000/2", "8", "all", "full". After the channels come rtpengine's
// bitrate and ptime (accepted, not used) and the format parameters of a codec added for transcoding
// ("opus/48000/2///useinbandfec=1;stereo=1"; Kamailio's flags write "=" as "--").
struct CodecMatch {
    std::string name; // empty for all/full and for a payload type number
    std::optional<std::uint32_t> clockRate;
    std::optional<unsigned> channels;
    std::optional<std::uint8_t> payloadType;
    std::optional<std::string> fmtp; // for a format added to the offer
    bool all = false;
    bool full = false; // "full": like all, and nothing is brought back by offer or transcode

    // nullopt when the text is not a codec entry (empty, a clock rate that is not a number).
    static std::optional<CodecMatch> parse(std::string_view text);

    bool matches(const sdp::PayloadFormat& format) const;
    // The entry names this encoding (case-insensitive, RFC 4855 section 3), whatever its clock rate.
    bool names(std::string_view encoding) const;
    // The entry as written back in a warning: "opus/48000/2", "all".
    std::string toString() const;

    bool operator==(const CodecMatch&) const = default;
};

struct CodecRequest {
    std::vector<CodecMatch> strip, except, offer, transcode, mask, accept;
    bool alwaysTranscode = false;  // flag "always transcode": accept all
    bool forceTranscoding = false; // flag "force transcoding"
    // flag "inject DTMF" (rtpengine's): the line is transcoded even when both sides share a codec, so that
    // "play DTMF" can put digits into what goes to either party.
    bool injectDtmf = false;

    bool empty() const;
    // `all` or `full` in strip or mask.
    bool stripsAll() const;
    bool masksAll() const;
    bool full() const;
    // `transcode` names telephone-event: DTMF may cross between events on one side and tones on the other.
    bool transcodesEvents() const;
    // `accept` names telephone-event.
    bool acceptsEvents() const;
    // The request asks for transcoding (a codec to add or accept, or a transcoding flag): the call will likely
    // cost a transcoded call's CPU (the answer decides).
    bool asksForTranscoding() const;
};

// True when one of `matches` matches `format`; `explicitOnly` leaves out the all/full entries.
bool anyMatches(const std::vector<CodecMatch>& matches, const sdp::PayloadFormat& format, bool explicitOnly = false);

} // namespace rtcgate::media
