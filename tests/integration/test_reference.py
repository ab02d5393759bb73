"""The harness of the differential tests (issue 11): rtpengine 10.5, the reference implementation, started beside
rtcgated like it (fixture `rtpengine`), and sdp_semantics, which compares the SDPs of the two the way a party reads
them. These tests check the harness itself: the comparison leaves out what differs by nature and sees what a party
acts on, and either media server gives a repeated request the same answer through it."""

import sys
from pathlib import Path

import pytest

from ngclient import assert_ok
from sdp import audio_sdp
from sdp_semantics import differences, semantics

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.recipe import BROWSER_CALLS_CARRIER_OFFER, CARRIER_CALLS_BROWSER_OFFER  # noqa: E402


def browser_offer(port=40000, ufrag="Kp3e", key="AB"):
    """An offer as Chromium writes it (one audio line, ICE, DTLS, rtcp-mux, BUNDLE), its credentials and
    fingerprint made from `ufrag` and `key`."""
    return "\r\n".join([
        "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "a=msid-semantic: WMS", f"m=audio {port} UDP/TLS/RTP/SAVPF 111 0 8 126", "c=IN IP4 127.0.0.1",
        f"a=rtcp:{port} IN IP4 127.0.0.1", f"a=candidate:1 1 udp 2122260223 127.0.0.1 {port} typ host",
        f"a=ice-ufrag:{ufrag}", f"a=ice-pwd:{ufrag * 6}", "a=ice-options:trickle",
        "a=fingerprint:sha-256 " + ":".join([key] * 32), "a=setup:actpass", "a=mid:0", "a=sendrecv",
        "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:126 telephone-event/8000", "",
    ])


def sdes_offer(port, key):
    return audio_sdp("127.0.0.2", port).replace("RTP/AVP", "RTP/SAVP") + (
        f"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{key * 40}\r\n"
        f"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:{key * 40}\r\n")


def test_semantics_leave_out_what_differs_by_nature():
    """Ports, addresses, o=, ICE credentials, candidates' addresses, fingerprint values and SDES keys differ between
    two media servers, or two calls of one: the comparison sees none of them."""
    assert differences(browser_offer(40000, "Kp3e", "AB"), browser_offer(50002, "Zz9q", "1C")) == []
    assert differences(sdes_offer(40000, "a"), sdes_offer(41000, "b")) == []
    assert differences(audio_sdp("127.0.0.1", 40000, rtcp="short"), audio_sdp("127.0.0.9", 30000, rtcp="short")) == []


@pytest.mark.parametrize("change, seen", [
    (lambda s: s.replace("RTP/AVP 0 8 101", "RTP/AVP 8 0 101"), "formats"),
    (lambda s: s.replace("a=fmtp:101 0-16", "a=fmtp:101 0-15"), "fmtp"),
    (lambda s: s.replace("a=sendrecv", "a=sendonly"), "direction"),
    (lambda s: s.replace("m=audio 40000", "m=audio 0"), "declined"),
    (lambda s: s.replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0"), "hold address"),
    (lambda s: s + "a=rtcp:40001\r\n", "rtcp"),
    (lambda s: s + "a=rtcp:40000\r\n", "rtcp"),
    (lambda s: s + "a=rtcp-mux\r\n", "rtcp-mux"),
    (lambda s: s.replace("RTP/AVP 0", "RTP/SAVP 0"), "proto"),
    (lambda s: s + "a=setup:active\r\n", "setup"),
])
def test_semantics_see_what_a_party_acts_on(change, seen):
    plain = audio_sdp("127.0.0.1", 40000)
    found = differences(change(plain), plain)
    assert found and all(f" {seen}: " in line for line in found), found


def test_semantics_tell_where_rtcp_goes_and_how_it_is_written():
    base = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\n"
    assert semantics(base + "a=rtcp:30001\r\n")[0]["rtcp"] == [("next port", "short")]
    assert semantics(base + "a=rtcp:30000 IN IP4 10.0.0.1\r\n")[0]["rtcp"] == [("rtp port", "long")]
    assert semantics(base + "a=rtcp:9 IN IP4 0.0.0.0\r\n")[0]["rtcp"] == [("other port", "long, other address")]
    assert semantics(base)[0]["rtcp"] == []
    assert differences(sdes_offer(40000, "a").replace("a=crypto:2", "a=crypto:3").replace("SHA1_32", "SHA1_80", 1),
                       sdes_offer(40000, "a")) != []


@pytest.mark.parametrize("server", ["rtpengine", "rtcgated"])
@pytest.mark.parametrize("flags, offer", [
    (BROWSER_CALLS_CARRIER_OFFER, browser_offer()),
    (CARRIER_CALLS_BROWSER_OFFER, audio_sdp("127.0.0.2", 40000)),
    ({}, sdes_offer(40000, "k")),
], ids=["browser calls carrier", "carrier calls browser", "SDES trunk"])
def test_a_media_server_answers_a_repeated_request_alike(request, server, flags, offer):
    """The same offer on two calls gets two SDPs that differ as text (ports, credentials, keys) and say the same
    to the party: what the differential tests need of both servers to compare one with the other."""
    daemon = request.getfixturevalue(server)
    with daemon.client() as ng:
        replies = [assert_ok(ng("offer", **{"call-id": f"repeat-{n}", "from-tag": "caller", "sdp": offer, **flags}))
                   for n in (1, 2)]
    first, second = (reply["sdp"] for reply in replies)
    assert first != second
    assert differences(first, second) == [], f"{first}\n---\n{second}"
    assert semantics(first)[0]["type"] == "audio" and not semantics(first)[0]["declined"]
