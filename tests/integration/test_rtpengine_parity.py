"""The differential tests (issue 11): the same ng requests to rtcgated and to rtpengine 10.5, the reference
implementation, and the SDPs they return compared the way a party reads them (sdp_semantics.py). Each test says
which parts of the SDP it compares; a deliberate difference is named by its test, with the reason, and in README
("Differences from rtpengine").

Each test here compares one rule on one or two requests; test_rtpengine_call_flows.py runs whole calls of real
proxy configurations.
"""

import sys
import time
from pathlib import Path

import pytest

from ngclient import assert_ok
from parity import (CALLEE, CALLER, exchange, formats_by_name, renegotiate, rtcp_ports, sdes_sdp,
                    without_unusable_suites)
from sdp import audio_sdp, browser_sdp
from sdp_semantics import differences, semantics

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.recipe import (  # noqa: E402
    BROWSER_CALLS_CARRIER_ANSWER, BROWSER_CALLS_CARRIER_OFFER, CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER,
    CARRIER_CALLS_BROWSER_ANSWER, CARRIER_CALLS_BROWSER_OFFER)

RTCP = ("rtcp", "rtcp-mux")


def with_attribute(sdp_text, attribute):
    return sdp_text + f"a={attribute}\r\n"


def rtcp_elsewhere(address, port):
    """An offer whose RTCP goes to another address and port than its RTP."""
    return with_attribute(audio_sdp(address, port), "rtcp:45001 IN IP4 127.0.0.9")


CASES = {
    "no a=rtcp": (audio_sdp(CALLER, 40000), audio_sdp(CALLEE, 40010)),
    "short a=rtcp": (audio_sdp(CALLER, 40000, rtcp="short"), audio_sdp(CALLEE, 40010, rtcp="short")),
    "long a=rtcp": (audio_sdp(CALLER, 40000, rtcp="long"), audio_sdp(CALLEE, 40010, rtcp="long")),
    "a=rtcp on another address": (rtcp_elsewhere(CALLER, 40000), audio_sdp(CALLEE, 40010)),
    "rtcp-mux taken up": (with_attribute(audio_sdp(CALLER, 40000), "rtcp-mux"),
                          with_attribute(audio_sdp(CALLEE, 40010), "rtcp-mux")),
    "a declined video line": (audio_sdp(CALLER, 40000, video_port=0), audio_sdp(CALLEE, 40010, video_port=0)),
}


@pytest.mark.parametrize("case", CASES)
def test_rtcp_attributes_as_rtpengine_writes_them(rtcgated, rtpengine, case):
    """a=rtcp on every relayed line, also where the party had none: the port alone (its address is c='s), port+1
    unless rtcp-mux is taken up, when it is the RTP port; a=rtcp-mux where the party offered or took it up."""
    offer, answer = CASES[case]
    ours = exchange(rtcgated, f"rtcp-{case}", offer, answer)
    reference = exchange(rtpengine, f"rtcp-{case}", offer, answer)
    for step, mine, theirs in zip(("offer", "answer"), ours, reference):
        assert differences(mine, theirs, keys=RTCP) == [], f"{step}:\n{mine}\n--- rtpengine:\n{theirs}"
        assert all(line["declined"] or line["rtcp"] for line in semantics(mine)), mine


def test_toward_a_webrtc_party_a_rtcp_names_the_address_too(rtcgated, rtpengine):
    """Deliberate difference: toward a WebRTC party rtcgated writes the long form a=rtcp:PORT IN IP4 ADDR, where
    rtpengine writes the port alone. Both are RFC 3605; aiortc (a WebRTC stack of Debian's) parses only the long
    form, Chromium either. The port is the same."""
    offer = audio_sdp(CALLER, 40000)
    [ours] = exchange(rtcgated, "webrtc-rtcp", offer, None, CARRIER_CALLS_BROWSER_OFFER)
    [reference] = exchange(rtpengine, "webrtc-rtcp", offer, None, CARRIER_CALLS_BROWSER_OFFER)
    (where, form), = semantics(ours)[0]["rtcp"]
    assert semantics(reference)[0]["rtcp"] == [(where, "short")], reference
    assert form == "long", ours
    assert differences(ours, reference, keys=("rtcp-mux",)) == []


def test_a_codec_added_for_transcoding_comes_before_telephone_event(rtcgated, rtpengine):
    """codec-mask-PCMA codec-transcode-PCMU toward a PCMA phone's callee: PCMU first, telephone-event after it, so
    that a phone that takes the first format it knows never takes telephone-event."""
    offer = audio_sdp(CALLER, 40000).replace("RTP/AVP 0 8 101", "RTP/AVP 8 101").replace("a=rtpmap:0 PCMU/8000\r\n", "")
    flags = {"flags": ["codec-mask-PCMA", "codec-transcode-PCMU"]}
    [ours] = exchange(rtcgated, "added-codec", offer, None, flags)
    [reference] = exchange(rtpengine, "added-codec", offer, None, flags)
    assert differences(ours, reference, keys=("formats",)) == [], f"{ours}\n--- rtpengine:\n{reference}"
    assert semantics(ours)[0]["formats"] == ["0", "101"]


ANSWERS = {
    # RFC 3264 section 6.1: an answer may keep several codecs; a carrier switches between them mid-call.
    "two codecs, the answerer's order": "RTP/AVP 8 0",
    # The answerer took no telephone-event: the offerer must not be told it may send it.
    "no telephone-event": "RTP/AVP 0",
}


@pytest.mark.parametrize("case", ANSWERS)
def test_a_passed_through_answer_keeps_what_the_answerer_took(rtcgated, rtpengine, case):
    offer = audio_sdp(CALLER, 40000)  # RTP/AVP 0 8 101, telephone-event/8000 on 101
    answer = audio_sdp(CALLEE, 40010).replace("RTP/AVP 0 8 101", ANSWERS[case]).replace(
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16", "a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15")
    ours = exchange(rtcgated, f"answer-{case}", offer, answer)
    reference = exchange(rtpengine, f"answer-{case}", offer, answer)
    for step, mine, theirs in zip(("offer", "answer"), ours, reference):
        assert differences(mine, theirs, keys=("formats",)) == [], f"{step}:\n{mine}\n--- rtpengine:\n{theirs}"


def test_telephone_event_answered_on_another_payload_type_is_kept(rtcgated, rtpengine):
    """Deliberate difference: an answerer that takes telephone-event on a payload type of its own (96 where 101 was
    offered; RFC 3264 asks for the offer's, some carriers renumber it anyway) keeps its digits with rtcgated, which
    answers the offerer with its own 101 and maps the two. rtpengine drops telephone-event from that answer."""
    offer = audio_sdp(CALLER, 40000)
    answer = audio_sdp(CALLEE, 40010).replace("RTP/AVP 0 8 101", "RTP/AVP 0 96").replace(
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16", "a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15")
    [_, ours] = exchange(rtcgated, "renumbered-event", offer, answer)
    [_, reference] = exchange(rtpengine, "renumbered-event", offer, answer)
    assert semantics(reference)[0]["formats"] == ["0"], reference
    assert semantics(ours)[0]["formats"] == ["0", "101"], ours
    assert semantics(ours)[0]["fmtp"] == {"101": "0-15"}, ours  # the answerer's


@pytest.mark.parametrize("replace", [[], ["zero-address"]], ids=["", "replace zero-address"])
@pytest.mark.parametrize("direction", ["sendrecv", "sendonly", "recvonly", "inactive"])
def test_a_hold_with_a_zero_address_is_passed_on(rtcgated, rtpengine, direction, replace):
    """RFC 2543 hold (c=IN IP4 0.0.0.0): the zero address goes on to the other party (rtcgated's own with replace
    "zero address"), with the direction the holding party leaves (it may still send, it receives nothing: sendrecv
    becomes sendonly, recvonly inactive)."""
    offer = audio_sdp("0.0.0.0", 40000, direction=direction)
    answer = audio_sdp(CALLEE, 40010, direction="recvonly")
    call_id = f"hold-{direction}-{len(replace)}"
    ours = exchange(rtcgated, call_id, offer, answer, {"replace": replace})
    reference = exchange(rtpengine, call_id, offer, answer, {"replace": replace})
    for step, mine, theirs in zip(("offer", "answer"), ours, reference):
        assert differences(mine, theirs, keys=("hold address", "direction")) == [], \
            f"{step}:\n{mine}\n--- rtpengine:\n{theirs}"
    assert semantics(ours[0])[0]["hold address"] == (not replace)


def spiral_passes(server, call_id, flags):
    """An offer and an answer that each pass the daemon twice (a proxy that spirals the INVITE): the four SDPs it
    returns, first and second pass of the offer, then of the answer."""
    replies = []
    with server.client() as ng:
        for command, extra, sdp_text in (("offer", {}, audio_sdp(CALLER, 40000)),
                                         ("answer", {"to-tag": "callee"}, audio_sdp(CALLEE, 40010))):
            for branch in ("first", "second"):
                reply = assert_ok(ng(command, **{"call-id": call_id, "from-tag": "caller", "sdp": sdp_text,
                                                 "via-branch": branch, "flags": flags, **extra}))
                replies.append(reply["sdp"])
                sdp_text = reply["sdp"]
    return replies


def test_loop_protect_marks_the_sdp_and_passes_a_marked_one_back_unchanged(rtcgated, rtpengine):
    """ng "loop protect": the SDP written carries one session-level a=rtpengine:ID (12 hex digits, the daemon's
    own); the same SDP handed back with the flag returns unchanged, offer and answer alike."""
    for server in (rtcgated, rtpengine):
        first_offer, second_offer, first_answer, second_answer = spiral_passes(server, "loop-protect",
                                                                                ["loop-protect"])
        assert (second_offer, second_answer) == (first_offer, first_answer), server.name
        markers = {line for text in (first_offer, first_answer) for line in text.splitlines()
                   if line.startswith("a=rtpengine:")}
        assert len(markers) == 1 and len(markers.pop()) == len("a=rtpengine:") + 12, (server.name, first_offer)
        assert all(text.index("a=rtpengine:") < text.index("m=") for text in (first_offer, first_answer))


TRANSPORT = ("proto", "ICE", "candidates", "setup", "fingerprint", "crypto suites", "rtcp-mux", "direction")


CARRIER, BROWSER = "carrier", "browser"
RECIPES = {
    "carrier calls browser": ((CARRIER, audio_sdp(CALLER, 40000), CARRIER_CALLS_BROWSER_OFFER),
                              (BROWSER, browser_sdp(CALLEE, 40010, setup="active"), CARRIER_CALLS_BROWSER_ANSWER)),
    "browser calls carrier": ((BROWSER, browser_sdp(CALLEE, 40010), BROWSER_CALLS_CARRIER_OFFER),
                              (CARRIER, audio_sdp(CALLER, 40000), BROWSER_CALLS_CARRIER_ANSWER)),
}


def re_offer_sdp(party, direction, *, answering):
    """What `party` sends in a re-INVITE (or its answer) with `direction`: the same transport, a new version."""
    if party == CARRIER:
        return audio_sdp(CALLER, 40000, direction=direction, version=2)
    return browser_sdp(CALLEE, 40010, setup="active" if answering else "actpass", direction=direction, version=2)


@pytest.mark.parametrize("re_offerer", [CARRIER, BROWSER])
@pytest.mark.parametrize("recipe", RECIPES)
def test_a_re_offer_without_transport_keys_keeps_each_partys_transport(rtcgated, rtpengine, recipe, re_offerer):
    """A re-INVITE (hold) whose rtpengine_offer()/answer() carry no transport keys, after a call set up with
    Kamailio's WebRTC recipe: toward the browser the line stays ICE + DTLS-SRTP + rtcp-mux, toward the carrier
    plain RTP/AVP, and the DTLS role is kept (an actpass re-offer from the browser is answered passive or active
    as before), as rtpengine remembers them (issue 11, point 5)."""
    (offerer, offer, offer_keys), (answerer, answer, answer_keys) = RECIPES[recipe]
    tags = {offerer: "caller", answerer: "callee"}
    other = answerer if re_offerer == offerer else offerer
    steps = [
        ("offer", "caller", None, offer, offer_keys),
        ("answer", "caller", "callee", answer, answer_keys),
        ("offer", tags[re_offerer], tags[other], re_offer_sdp(re_offerer, "sendonly", answering=False), {}),
        ("answer", tags[re_offerer], tags[other], re_offer_sdp(other, "recvonly", answering=True), {}),
    ]
    ours = renegotiate(rtcgated, f"re-offer-{recipe}-{re_offerer}", steps)
    reference = renegotiate(rtpengine, f"re-offer-{recipe}-{re_offerer}", steps)
    for step, mine, theirs in list(zip(("offer", "answer", "re-offer", "its answer"), ours, reference))[2:]:
        muxes_anyway = step == "its answer" and re_offerer == BROWSER
        keys = [key for key in TRANSPORT if key != "rtcp-mux"] if muxes_anyway else TRANSPORT
        assert differences(mine, theirs, keys=keys) == [], f"{step}:\n{mine}\n--- rtpengine:\n{theirs}"
        if muxes_anyway:
            assert [line["rtcp-mux"] for line in semantics(theirs)] == [False], theirs
            assert [line["rtcp-mux"] for line in semantics(mine)] == [True], mine
            assert rtcp_ports(mine) == [["rtp port"]], mine
        else:
            assert rtcp_ports(mine) == rtcp_ports(theirs), f"{step}:\n{mine}\n--- rtpengine:\n{theirs}"


def test_accept_telephone_event_answers_the_carrier_with_it_toward_a_browser_without_it(rtcgated, rtpengine):
    """codec: {accept: [telephone-event]} in the offer toward a browser that answers without telephone-event: the
    carrier is answered with its telephone-event all the same (rtcgated turns the events into tones for the
    browser, test_webrtc_accept_events.py).

    Deliberate difference: rtpengine answers every codec of the carrier's the browser took (`0 8 101`), rtcgated the
    one it decodes from the carrier on this transcoded line (`0 101`): a carrier that switched to PCMA would not be
    heard (RFC 3264 lets the answer name a subset)."""
    steps = [("offer", "caller", None, audio_sdp(CALLER, 40000), CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER),
             ("answer", "caller", "callee",
              browser_sdp(CALLEE, 40010, setup="active", codecs=("0 PCMU/8000", "8 PCMA/8000")),
              CARRIER_CALLS_BROWSER_ANSWER)]
    ours = renegotiate(rtcgated, "accept-events", steps)
    reference = renegotiate(rtpengine, "accept-events", steps)
    assert formats_by_name(reference[1]) == [["PCMU", "PCMA", "telephone-event"]], reference[1]
    assert formats_by_name(ours[1]) == [["PCMU", "telephone-event"]], ours[1]
    assert differences(ours[1], reference[1], keys=TRANSPORT) == []


SRTP_CASES = {
    # (offer, offer keys, answer or None, answer keys)
    "SDES toward a plain offerer": (audio_sdp(CALLER, 40000), {"transport-protocol": "RTP/SAVP"}, None, {}),
    "SDES-off on RTP/SAVP gets DTLS": (audio_sdp(CALLER, 40000),
                                       {"transport-protocol": "RTP/SAVP", "SDES": ["off"]}, None, {}),
    "an SDES offerer's suites go first": (
        sdes_sdp(CALLER, 40000, ["AES_CM_128_HMAC_SHA1_32", "AES_CM_128_HMAC_SHA1_80"]), {}, None, {}),
    "the answerer's suite goes on": (
        sdes_sdp(CALLER, 40000, ["AES_CM_128_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_80", "AEAD_AES_256_GCM"]), {},
        "answer with AES_256_CM_HMAC_SHA1_80", {}),
    "no- and only- name suites": (audio_sdp(CALLER, 40000), {"transport-protocol": "RTP/SAVP", "SDES": [
        "no-AEAD_AES_256_GCM", "no-AES_192_CM_HMAC_SHA1_80", "no-NULL_HMAC_SHA1_80"]}, None, {}),
    "a declined line keeps the protocol": (audio_sdp(CALLER, 40000, video_port=0),
                                           {"transport-protocol": "RTP/SAVP"}, None, {}),
    "RTP/AVPF asked in an answer": (audio_sdp(CALLER, 40000), {}, audio_sdp(CALLEE, 40010),
                                    {"transport-protocol": "RTP/AVPF"}),
}


def answer_from(offered, answer):
    """The answerer's SDP: as given, or an RTP/SAVP answer taking `suite` from the offer it got."""
    if not answer.startswith("answer with "):
        return answer
    suite = answer[len("answer with "):]
    (tag,) = [line.split()[0].split(":")[1] for line in offered.splitlines()
              if line.startswith("a=crypto:") and line.split()[1] == suite]
    return sdes_sdp(CALLEE, 40010, [suite]).replace("a=crypto:1 ", f"a=crypto:{tag} ")


@pytest.mark.parametrize("case", SRTP_CASES)
def test_srtp_offers_and_answers_as_rtpengine_makes_them(rtcgated, rtpengine, case):
    """SDES suites in rtpengine's order (an SDES offerer's own first, then AEAD_AES_256_GCM, AEAD_AES_128_GCM,
    AES_256_CM, AES_192_CM, AES_CM_128, each _80 then _32), DTLS beside them on RTP/SAVP and alone with SDES-off,
    the answerer's suite taken toward the offerer, a declined line on the offer's protocol, RTP/AVPF when an answer
    asks for it. Deliberate difference: rtpengine also offers F8 and NULL suites; rtcgated never does."""
    offer, offer_keys, answer, answer_keys = SRTP_CASES[case]
    results = []
    for server in (rtcgated, rtpengine):
        call_id = f"srtp-{case}"
        with server.client() as ng:
            offered = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "caller", "sdp": offer,
                                               **offer_keys}))["sdp"]
            answered = None
            if answer is not None:
                answered = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "caller", "to-tag": "callee",
                                                     "sdp": answer_from(offered, answer), **answer_keys}))["sdp"]
        results.append((offered, answered))
    (ours_offer, ours_answer), (their_offer, their_answer) = results
    pairs = [("offer", ours_offer, without_unusable_suites(their_offer))]
    if answer is not None:
        pairs.append(("answer", ours_answer, their_answer))
    for step, mine, theirs in pairs:
        assert differences(mine, theirs, keys=TRANSPORT + ("declined",)) == [], \
            f"{step}:\n{mine}\n--- rtpengine:\n{theirs}"


def osrtp_sdp(address, port):
    """RFC 8643: an RTP/AVP line with a=crypto."""
    return sdes_sdp(address, port, ["AES_CM_128_HMAC_SHA1_80"], protocol="RTP/AVP")


OSRTP_CASES = {
    "OSRTP=offer": (audio_sdp(CALLER, 40000), {"OSRTP": ["offer"]}, audio_sdp(CALLEE, 40010), {}),
    "an OSRTP offerer is passed on": (osrtp_sdp(CALLER, 40000), {}, audio_sdp(CALLEE, 40010), {}),
    "OSRTP=accept in the answer takes it up": (osrtp_sdp(CALLER, 40000), {}, audio_sdp(CALLEE, 40010),
                                               {"OSRTP": ["accept"]}),
}


@pytest.mark.parametrize("case", OSRTP_CASES)
def test_opportunistic_srtp_as_rtpengine_offers_and_answers_it(rtcgated, rtpengine, case):
    """OSRTP (RFC 8643): SDES suites and DTLS on an RTP/AVP line, offered when asked or passed on from an offerer
    that made it; the offerer's OSRTP is taken up in the answer only with OSRTP=accept; a plain answer leaves
    the line plain. Deliberate difference as for SDES: no F8 or NULL suites."""
    offer, offer_keys, answer, answer_keys = OSRTP_CASES[case]
    steps = [("offer", "caller", None, offer, offer_keys), ("answer", "caller", "callee", answer, answer_keys)]
    ours = renegotiate(rtcgated, f"osrtp-{case}", steps)
    reference = [without_unusable_suites(text) for text in renegotiate(rtpengine, f"osrtp-{case}", steps)]
    for step, mine, theirs in zip(("offer", "answer"), ours, reference):
        assert differences(mine, theirs, keys=TRANSPORT) == [], f"{step}:\n{mine}\n--- rtpengine:\n{theirs}"


def g711_and_g722(address, port):
    """A phone that offers PCMA and G.722 (a codec rtcgated cannot transcode)."""
    return (audio_sdp(address, port).replace("RTP/AVP 0 8 101", "RTP/AVP 8 9")
            .replace("a=rtpmap:0 PCMU/8000\r\n", "")
            .replace("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n", "a=rtpmap:9 G722/8000\r\n"))


CODEC_OFFERS = {
    "a codec rtcgated cannot transcode stays": (g711_and_g722(CALLER, 40000), {"codec": {"transcode": ["PCMU"]}}),
    "an added telephone-event comes before the offerer's": (audio_sdp(CALLER, 40000),
                                                            {"codec": {"transcode": ["opus"]}}),
    "telephone-event added where the offerer had none": (g711_and_g722(CALLER, 40000),
                                                         {"codec": {"transcode": ["PCMU", "telephone-event"]}}),
    "a strip of everything keeps the offer": (audio_sdp(CALLER, 40000), {"codec": {"strip": ["all"]}}),
    "a strip of each codec by name keeps the offer": (audio_sdp(CALLER, 40000),
                                                      {"codec": {"strip": ["PCMU", "PCMA", "telephone-event"]}}),
}


@pytest.mark.parametrize("case", CODEC_OFFERS)
def test_the_formats_of_an_offer_as_rtpengine_makes_them(rtcgated, rtpengine, case):
    """The formats, their order, rtpmap and fmtp of the offer toward the answerer (an added telephone-event carries
    rtpengine's 0-15). Deliberate difference: an Opus that rtcgated adds carries minptime=10;useinbandfec=1 (its
    encoder sends in-band FEC, which a browser then uses), where rtpengine 10.5 writes no fmtp."""
    offer, keys = CODEC_OFFERS[case]
    [ours] = exchange(rtcgated, f"codecs-{case}", offer, None, keys)
    [reference] = exchange(rtpengine, f"codecs-{case}", offer, None, keys)
    mine, theirs = semantics(ours)[0], semantics(reference)[0]
    opus = [pt for pt, encoding in mine["rtpmap"].items() if encoding.lower().startswith("opus/")]
    assert mine["fmtp"].pop(opus[0], None) == "minptime=10;useinbandfec=1" if opus else True, ours
    for key in ("formats", "rtpmap", "fmtp"):
        assert mine[key] == theirs[key], f"{key}:\n{ours}\n--- rtpengine:\n{reference}"


def test_toward_a_browser_led_by_opus_telephone_event_is_offered_at_48000_only(rtcgated, rtpengine):
    """The recipe's offer to a browser (Opus first, then the carrier's G.711): rtpengine offers telephone-event at
    48000 and 8000 (96 0 8 97 101). Deliberate difference: rtcgated offers it at 48000 only (96 0 8 97), as libwebrtc
    sends DTMF beside Opus on the lowest-clock telephone-event it was offered and times it on the wrong clock (three
    20 ms end packets per digit, test_browser_dtmf.py); the formats are otherwise rtpengine's, in its order."""
    [ours] = exchange(rtcgated, "opus-events", audio_sdp(CALLER, 40000), None, CARRIER_CALLS_BROWSER_OFFER)
    [reference] = exchange(rtpengine, "opus-events", audio_sdp(CALLER, 40000), None, CARRIER_CALLS_BROWSER_OFFER)
    assert formats_by_name(reference) == [["opus", "PCMU", "PCMA", "telephone-event", "telephone-event"]], reference
    mine, theirs = semantics(ours)[0], semantics(reference)[0]
    assert mine["formats"] == theirs["formats"][:-1], f"{ours}\n--- rtpengine:\n{reference}"
    assert mine["rtpmap"][mine["formats"][-1]] == "telephone-event/48000"
    assert differences(ours, reference, keys=[key for key in TRANSPORT if key != "crypto suites"]) == []


@pytest.mark.parametrize("keys", [{"codec": {"transcode": ["opus/48000/2///useinbandfec=1;stereo=1"]}},
                                  {"flags": ["codec-transcode-opus/48000/2/32000//stereo--0;useinbandfec--1"]}],
                         ids=["dictionary", "Kamailio flag"])
def test_opus_options_of_a_codec_string_go_into_its_fmtp(rtcgated, rtpengine, keys):
    """The format parameters of a codec string (rtpengine's NAME/CLOCK/CHANNELS/BITRATE/PTIME/FMTP; Kamailio's
    flags write "=" as "--") become the fmtp of the Opus added to the offer."""
    [ours] = exchange(rtcgated, "opus-fmtp", audio_sdp(CALLER, 40000), None, keys)
    [reference] = exchange(rtpengine, "opus-fmtp", audio_sdp(CALLER, 40000), None, keys)
    for key in ("formats", "rtpmap", "fmtp"):
        assert semantics(ours)[0][key] == semantics(reference)[0][key], f"{key}:\n{ours}\n--- rtpengine:\n{reference}"


def test_query_says_when_the_call_was_created_as_rtpengine_does(rtcgated, rtpengine):
    """`created` in seconds and `created_us` the microseconds within that second (rtpengine's call->created % 10^6),
    and an `SSRC` dictionary (empty before any RTCP report), as query and delete replies carry them."""
    for server in (rtcgated, rtpengine):
        before = time.time()
        exchange(server, "created", audio_sdp(CALLER, 40000), audio_sdp(CALLEE, 40010))
        with server.client() as ng:
            query = assert_ok(ng("query", **{"call-id": "created"}))
        created = query["created"] + query["created_us"] / 1e6
        assert 0 <= query["created_us"] < 1_000_000, (server.name, query["created_us"])
        assert before - 1 <= created <= time.time() + 1, (server.name, created, before)
        assert query["SSRC"] == {}, (server.name, query["SSRC"])
