"""Whole calls of real proxy configurations, sent to rtcgated and to rtpengine 10.5 (issue 11, point 11): each
offer and answer of one call, from the first INVITE through hold, resume, a re-INVITE from the other side and a
transfer (a re-INVITE that moves the media to another phone with other codecs), with the ng keys the configuration
sends, and every SDP returned compared as a party reads it (sdp_semantics.py).

Each answer is made from the offer the answerer got from that daemon, as a phone or a browser makes it: the
formats it has among those offered, on the offered payload types.

Left out of the comparison, as the issue's list leaves them out: a=ptime (rtpengine repeats toward a party the
ptime that party gave earlier in the call) and a=mid. Two deliberate differences hold on every step and are folded
in before comparing: rtpengine's F8 and NULL SDES suites, and the form of a=rtcp toward a DTLS-SRTP party (where
a=rtcp points is compared); a third is checked on every step: rtcgated is ICE-lite (a=ice-lite wherever it does
ICE), rtpengine a full ICE agent. The other deliberate differences are named per step; README lists them all.
"""

import re
import sys
from pathlib import Path

import pytest

from parity import CALLEE, CALLER, renegotiate, rtcp_ports, without_unusable_suites
from sdp import audio_sdp, browser_sdp
from sdp_semantics import semantics

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.recipe import (  # noqa: E402
    BROWSER_CALLS_CARRIER_ANSWER, BROWSER_CALLS_CARRIER_OFFER, CARRIER_CALLS_BROWSER_ANSWER,
    CARRIER_CALLS_BROWSER_OFFER)

TRANSFER_TARGET = "127.0.0.4"

# kamailio.cfg's default: rtpengine_manage("trust-address replace-origin replace-session-connection").
KAMAILIO_DEFAULT = {"flags": ["trust-address"], "replace": ["origin", "session-connection"]}
# An SRTP trunk behind it: SDES toward the carrier, plain RTP toward the phone.
TOWARD_SRTP_CARRIER = {**KAMAILIO_DEFAULT, "transport-protocol": "RTP/SAVP"}
TOWARD_PHONE = {**KAMAILIO_DEFAULT, "transport-protocol": "RTP/AVP"}
# The OpenSIPS WebRTC recipe: rtpengine_offer("RTP/SAVPF ICE=force replace-origin replace-session-connection")
# toward the browser, "RTP/AVP ICE=remove ..." toward the carrier.
OPENSIPS_TOWARD_BROWSER = {"transport-protocol": "RTP/SAVPF", "ICE": "force",
                           "replace": ["origin", "session-connection"]}
OPENSIPS_TOWARD_CARRIER = {"transport-protocol": "RTP/AVP", "ICE": "remove",
                           "replace": ["origin", "session-connection"]}


def only_formats(sdp_text, formats):
    """`sdp_text` with its audio line cut down to `formats` (payload types), their rtpmap and fmtp with them."""
    kept = []
    for line in sdp_text.splitlines(keepends=True):
        if line.startswith("m=audio"):
            fields = line.split()
            line = " ".join(fields[:3] + [pt for pt in fields[3:] if pt in formats]) + "\r\n"
        described = re.match(r"a=(rtpmap|fmtp):(\d+) ", line)
        if described and described.group(2) not in formats:
            continue
        kept.append(line)
    return "".join(kept)


def phone(address, port, formats=("0", "8", "101"), **audio):
    """A SIP phone's or carrier's SDP (audio_sdp's) with `formats` of PCMU 0, PCMA 8, telephone-event 101."""
    return only_formats(audio_sdp(address, port, **audio), formats)


def phone_answer(address, port, formats=("0", "8", "101"), **audio):
    """A phone's answer: those of its `formats` that were offered, telephone-event on the offer's payload type."""
    def answer(offer):
        offered = semantics(offer)[0]
        events = [pt for pt in offered["formats"] if offered["rtpmap"].get(pt) == "telephone-event/8000"]
        text = phone(address, port, formats, **audio)
        if events:
            text = text.replace(" 101", f" {events[0]}").replace(":101 ", f":{events[0]} ")
        taken = [pt for pt in semantics(text)[0]["formats"] if pt in offered["formats"]]
        return only_formats(text, taken)
    return answer


def chromium_answer(**options):
    """Chromium's answer (browser_sdp's): every offered format it has, on the offered payload types."""
    def answer(offer):
        offered = semantics(offer)[0]
        codecs = [f"{pt} {offered['rtpmap'][pt]}" for pt in offered["formats"]
                  if offered["rtpmap"].get(pt, "").split("/")[0].lower() in ("opus", "pcmu", "pcma", "telephone-event")]
        return browser_sdp(CALLEE, 40010, setup="active", codecs=codecs, **options)
    return answer


def chromium(**options):
    return browser_sdp(CALLEE, 40010, **options)


# rtcgated's deliberate differences, as what it writes where rtpengine writes otherwise (README, "Differences from
# rtpengine").
# telephone-event at 48000 only toward a browser led by Opus; the Opus rtcgated adds carries its FEC's fmtp.
OPUS_LED_OFFER = {
    "formats": ["96", "0", "8", "97"],
    "rtpmap": {"96": "opus/48000/2", "0": "PCMU/8000", "8": "PCMA/8000", "97": "telephone-event/48000"},
    "fmtp": {"96": "minptime=10;useinbandfec=1", "97": "0-15"},
}
# A transcoded line answers the offerer with the one codec rtcgated decodes from it (rtpengine: `0 8 101`).
ONE_TRANSCODED_CODEC = {"formats": ["0", "101"], "rtpmap": {"0": "PCMU/8000", "101": "telephone-event/8000"}}
# The answerer's fmtp goes on in the answer (rtpengine writes the offerer's where codec keys were given).
ANSWERERS_FMTP = {"fmtp": {"126": "0-16"}}
# A browser's UDP/TLS/RTP/SAVPF offer is answered on it (rtpengine answers RTP/SAVPF when asked for it).
DTLS_PROTOCOL_KEPT = {"proto": "UDP/TLS/RTP/SAVPF"}
# A browser that offered rtcp-mux keeps it, in answers and re-offers, whatever the carrier does.
RTCP_MUX_KEPT = {"rtcp-mux": True, "rtcp": ["rtp port"]}


class WebRtcRecipe:
    """The ng keys a proxy configuration sends for each SDP, by where it goes: an offer toward the browser or
    toward the carrier, an answer toward either."""

    def __init__(self, offer_to_browser, answer_to_carrier, offer_to_carrier, answer_to_browser):
        self.offer_to_browser, self.answer_to_carrier = offer_to_browser, answer_to_carrier
        self.offer_to_carrier, self.answer_to_browser = offer_to_carrier, answer_to_browser


KAMAILIO_RECIPE = WebRtcRecipe(CARRIER_CALLS_BROWSER_OFFER, CARRIER_CALLS_BROWSER_ANSWER,
                               BROWSER_CALLS_CARRIER_OFFER, BROWSER_CALLS_CARRIER_ANSWER)
OPENSIPS_RECIPE = WebRtcRecipe(OPENSIPS_TOWARD_BROWSER, OPENSIPS_TOWARD_CARRIER,
                               OPENSIPS_TOWARD_CARRIER, OPENSIPS_TOWARD_BROWSER)


def carrier_calls_browser(recipe):
    """Set-up, the carrier's hold and resume, the browser's hold, the carrier's transfer to a PCMA phone."""
    return [
        ("offer", "c", None, phone(CALLER, 40000), recipe.offer_to_browser),
        ("answer", "c", "b", chromium_answer(), recipe.answer_to_carrier),
        ("offer", "c", "b", phone(CALLER, 40000, direction="sendonly", version=2), recipe.offer_to_browser),
        ("answer", "c", "b", chromium_answer(direction="recvonly", version=2), recipe.answer_to_carrier),
        ("offer", "c", "b", phone(CALLER, 40000, version=3), recipe.offer_to_browser),
        ("answer", "c", "b", chromium_answer(version=3), recipe.answer_to_carrier),
        ("offer", "b", "c", chromium(direction="sendonly", version=4), recipe.offer_to_carrier),
        ("answer", "b", "c", phone_answer(CALLER, 40000, direction="recvonly", version=4),
         recipe.answer_to_browser),
        ("offer", "c", "b", phone(TRANSFER_TARGET, 40020, ("8", "101"), version=5), recipe.offer_to_browser),
        ("answer", "c", "b", chromium_answer(version=5), recipe.answer_to_carrier),
    ]


def browser_calls_carrier(recipe):
    """Set-up, the browser's hold, the carrier's hold, the carrier's transfer to a PCMA phone."""
    return [
        ("offer", "b", None, chromium(), recipe.offer_to_carrier),
        ("answer", "b", "c", phone_answer(CALLER, 40000), recipe.answer_to_browser),
        ("offer", "b", "c", chromium(direction="sendonly", version=2), recipe.offer_to_carrier),
        ("answer", "b", "c", phone_answer(CALLER, 40000, direction="recvonly", version=2), recipe.answer_to_browser),
        ("offer", "c", "b", phone(CALLER, 40000, direction="sendonly", version=3), recipe.offer_to_browser),
        ("answer", "c", "b", chromium_answer(direction="recvonly", version=3), recipe.answer_to_carrier),
        ("offer", "c", "b", phone(TRANSFER_TARGET, 40020, ("8", "101"), version=4), recipe.offer_to_browser),
        ("answer", "c", "b", chromium_answer(version=4), recipe.answer_to_carrier),
    ]


def kamailio_webrtc_carrier_calls_browser():
    deliberate = {0: OPUS_LED_OFFER, 1: ONE_TRANSCODED_CODEC, 2: OPUS_LED_OFFER, 3: ONE_TRANSCODED_CODEC,
                  4: OPUS_LED_OFFER, 5: ONE_TRANSCODED_CODEC, 7: ANSWERERS_FMTP, 8: OPUS_LED_OFFER}
    return carrier_calls_browser(KAMAILIO_RECIPE), deliberate


def kamailio_webrtc_browser_calls_carrier():
    deliberate = {1: ANSWERERS_FMTP, 3: ANSWERERS_FMTP, 4: OPUS_LED_OFFER, 5: ONE_TRANSCODED_CODEC,
                  6: OPUS_LED_OFFER}
    return browser_calls_carrier(KAMAILIO_RECIPE), deliberate


def opensips_webrtc_carrier_calls_browser():
    return carrier_calls_browser(OPENSIPS_RECIPE), {7: {**DTLS_PROTOCOL_KEPT, **RTCP_MUX_KEPT}, 8: RTCP_MUX_KEPT}


def opensips_webrtc_browser_calls_carrier():
    both_kept = {**DTLS_PROTOCOL_KEPT, **RTCP_MUX_KEPT}
    return browser_calls_carrier(OPENSIPS_RECIPE), {1: both_kept, 3: both_kept, 4: RTCP_MUX_KEPT}


def sip_trunk():
    """Two SIP phones; the callee takes PCMU only; a hold in each style (a=sendonly, then c=0.0.0.0)."""
    keys = KAMAILIO_DEFAULT
    rfc2543_hold = phone(CALLER, 40000, version=5).replace(f"c=IN IP4 {CALLER}", "c=IN IP4 0.0.0.0")
    steps = [
        ("offer", "a", None, phone(CALLER, 40000), keys),
        ("answer", "a", "b", phone_answer(CALLEE, 40010, ("0", "101")), keys),
        ("offer", "a", "b", phone(CALLER, 40000, direction="sendonly", version=2), keys),
        ("answer", "a", "b", phone_answer(CALLEE, 40010, ("0", "101"), direction="recvonly", version=2), keys),
        ("offer", "a", "b", phone(CALLER, 40000, version=3), keys),
        ("answer", "a", "b", phone_answer(CALLEE, 40010, ("0", "101"), version=3), keys),
        ("offer", "b", "a", phone(TRANSFER_TARGET, 40020, ("8", "101"), version=4), keys),
        ("answer", "b", "a", phone_answer(CALLER, 40000, version=4), keys),
        ("offer", "a", "b", rfc2543_hold, keys),
        ("answer", "a", "b", phone_answer(TRANSFER_TARGET, 40020, ("8", "101"), direction="recvonly", version=5),
         keys),
    ]
    return steps, {}


def sdes_answer(address, port, suite, **audio):
    """An SDES answerer's SDP: RTP/SAVP, taking `suite` on the tag it was offered under, with a key of its own."""
    def answer(offer):
        (tag,) = re.findall(rf"a=crypto:(\d+) {suite} ", offer)
        key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk"  # 30 bytes, base64: AES_CM_128's key and salt
        return (phone(address, port, **audio).replace("RTP/AVP", "RTP/SAVP") +
                f"a=crypto:{tag} {suite} inline:{key}\r\n")
    return answer


def srtp_trunk_phone_calls_carrier():
    """A plain phone calls an SDES carrier, which answers AES_CM_128_HMAC_SHA1_80; a hold re-offer; the carrier
    re-offers with _32 only; then a re-offer from the phone without transport keys (the carrier's SDES is
    remembered: the suite in use is offered first, on its tag and key, and no DTLS, as rtpengine does)."""
    steps = [
        ("offer", "a", None, phone(CALLER, 40000), TOWARD_SRTP_CARRIER),
        ("answer", "a", "b", sdes_answer(CALLEE, 40010, "AES_CM_128_HMAC_SHA1_80"), TOWARD_PHONE),
        ("offer", "a", "b", phone(CALLER, 40000, direction="sendonly", version=2), TOWARD_SRTP_CARRIER),
        ("answer", "a", "b", sdes_answer(CALLEE, 40010, "AES_CM_128_HMAC_SHA1_80", direction="recvonly",
                                         version=2), TOWARD_PHONE),
        ("offer", "b", "a", phone(CALLEE, 40010, version=3).replace("RTP/AVP", "RTP/SAVP") +
         "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\r\n", TOWARD_PHONE),
        ("answer", "b", "a", phone_answer(CALLER, 40000, version=3), TOWARD_SRTP_CARRIER),
        ("offer", "a", "b", phone(CALLER, 40000, version=4), KAMAILIO_DEFAULT),
        ("answer", "a", "b", sdes_answer(CALLEE, 40010, "AES_CM_128_HMAC_SHA1_32", version=4), KAMAILIO_DEFAULT),
    ]
    return steps, {}


def srtp_trunk_carrier_calls_phone():
    carrier_offer = (phone(CALLEE, 40010).replace("RTP/AVP", "RTP/SAVP") +
                     "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\r\n"
                     "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:YWJjZEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFla\r\n")
    steps = [
        ("offer", "c", None, carrier_offer, TOWARD_PHONE),
        ("answer", "c", "a", phone_answer(CALLER, 40000), TOWARD_SRTP_CARRIER),
        ("offer", "c", "a", carrier_offer.replace("a=sendrecv", "a=sendonly").replace(" 1 IN IP4", " 2 IN IP4"),
         TOWARD_PHONE),
        ("answer", "c", "a", phone_answer(CALLER, 40000, direction="recvonly", version=2), TOWARD_SRTP_CARRIER),
    ]
    return steps, {}


FLOWS = {
    "Kamailio WebRTC recipe, carrier calls browser": kamailio_webrtc_carrier_calls_browser,
    "Kamailio WebRTC recipe, browser calls carrier": kamailio_webrtc_browser_calls_carrier,
    "OpenSIPS WebRTC recipe, carrier calls browser": opensips_webrtc_carrier_calls_browser,
    "OpenSIPS WebRTC recipe, browser calls carrier": opensips_webrtc_browser_calls_carrier,
    "SIP trunk": sip_trunk,
    "SRTP trunk, phone calls carrier": srtp_trunk_phone_calls_carrier,
    "SRTP trunk, carrier calls phone": srtp_trunk_carrier_calls_phone,
}

LEFT_OUT = ("ptime", "mid", "ICE lite")


def compared(sdp_text):
    """What each line says, as compared here: a=rtcp as where it points only, without what is left out."""
    lines = semantics(sdp_text)
    for line, where in zip(lines, rtcp_ports(sdp_text)):
        line["rtcp"] = where
        for key in LEFT_OUT:
            del line[key]
    return lines


@pytest.mark.parametrize("flow", FLOWS)
def test_a_call_of_a_real_proxy_configuration_as_rtpengine_runs_it(rtcgated, rtpengine, flow):
    steps, deliberate = FLOWS[flow]()
    ours = renegotiate(rtcgated, "flow", steps)
    reference = [without_unusable_suites(text) for text in renegotiate(rtpengine, "flow", steps)]
    found = {}
    for step, (mine, theirs) in enumerate(zip(ours, reference)):
        assert all(line["ICE lite"] == line["ICE"] for line in semantics(mine)), mine
        assert len(compared(mine)) == len(compared(theirs)), f"step {step}:\n{mine}\n--- rtpengine:\n{theirs}"
        for line, reference_line in zip(compared(mine), compared(theirs)):
            differing = {key: value for key, value in line.items() if value != reference_line[key]}
            if differing:
                found[step] = differing
    unexpected = [step for step in sorted(set(found) | set(deliberate)) if found.get(step) != deliberate.get(step)]
    assert not unexpected, "\n".join(
        f"step {step} ({steps[step][0]}): differs in {found.get(step)}, expected {deliberate.get(step)}\n"
        f"{ours[step]}--- rtpengine:\n{reference[step]}" for step in unexpected)
