"""An off-path attacker against the WebRTC leg: a stranger who knows the browser-facing port, not the ICE password,
keeps sending early ClientHellos, DTLS alerts, garbage records or a complete foreign handshake of its own from
before the answer (or from just after it) until the call has media both ways. The browser (aiortc) connects and
hears the carrier every time, the carrier hears the browser, and the stranger gets nothing back: DTLS from a source
that passed no ICE check never reaches OpenSSL, and rtcgated's own flights go only to the nominated path. SRTP from
such a source is dropped before libsrtp."""

import asyncio
import re

import pytest

from bridged import (
    BROWSER_CALLS_CARRIER_ANSWER,
    BROWSER_CALLS_CARRIER_OFFER,
    BROWSER_HZ,
    CARRIER_CALLS_BROWSER_ANSWER,
    CARRIER_CALLS_BROWSER_OFFER,
    CARRIER_HZ,
    Carrier,
    media_of,
)
from dtls_attacker import KINDS, Attacker
from ngclient import assert_ok
from test_webrtc import audio_goes_on, judge_tones
from webrtc import Browser


def port_of(sdp):
    return int(re.search(r"^m=audio (\d+) ", sdp, re.MULTILINE).group(1))


async def carrier_calls_browser_under_attack(ng, call_id, kind):
    """The attack starts as soon as rtcgated's offer names the browser's port: before the browser answers."""
    browser, carrier = Browser(tone_hz=BROWSER_HZ), Carrier(tone_hz=CARRIER_HZ)
    await carrier.start()
    offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "carrier", "sdp": carrier.offer_sdp(),
                                     **CARRIER_CALLS_BROWSER_OFFER}))
    attacker = Attacker(("127.0.0.1", port_of(offer["sdp"])))
    attack = asyncio.ensure_future(attacker.keep_sending(kind))
    try:
        await asyncio.sleep(0.2)  # a few bursts before anything of the browser's
        browser_answer = await browser.answer(offer["sdp"])
        answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "carrier", "to-tag": "browser",
                                           "sdp": browser_answer, **CARRIER_CALLS_BROWSER_ANSWER}))
        carrier.set_remote(answer["sdp"])
        await judge_tones(browser, carrier)
        await audio_goes_on(browser, carrier)
        return attacker, assert_ok(ng("query", **{"call-id": call_id}))
    finally:
        attacker.stop()
        await attack
        attacker.close()
        await browser.close()
        await carrier.stop()


async def browser_calls_carrier_under_attack(ng, call_id, kind):
    """The attack starts with the answer that names the browser's port, before the browser has it: rtcgated
    answered active, so it is the DTLS client."""
    browser, carrier = Browser(tone_hz=BROWSER_HZ), Carrier(tone_hz=CARRIER_HZ)
    await carrier.start()
    attacker = attack = None
    try:
        offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "browser", "sdp": await browser.offer(),
                                         **BROWSER_CALLS_CARRIER_OFFER}))
        carrier_answer = carrier.answer_sdp(offer["sdp"])
        carrier.set_remote(offer["sdp"])
        answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "browser", "to-tag": "carrier",
                                           "sdp": carrier_answer, **BROWSER_CALLS_CARRIER_ANSWER}))
        attacker = Attacker(("127.0.0.1", port_of(answer["sdp"])))
        attack = asyncio.ensure_future(attacker.keep_sending(kind))
        await asyncio.sleep(0.2)
        await browser.accept_answer(answer["sdp"])
        await judge_tones(browser, carrier)
        await audio_goes_on(browser, carrier)
        return attacker, assert_ok(ng("query", **{"call-id": call_id}))
    finally:
        if attacker is not None:
            attacker.stop()
            await attack
            attacker.close()
        await browser.close()
        await carrier.stop()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("when", ["before the answer", "after the answer"])
def test_a_stranger_neither_breaks_nor_joins_the_browsers_dtls(ng, kind, when):
    call_id = f"attacked-{kind}-{when.split()[0]}"
    flow = carrier_calls_browser_under_attack if when == "before the answer" else browser_calls_carrier_under_attack
    attacker, query = asyncio.run(flow(ng, call_id, kind))

    assert attacker.sent > 20, f"the attacker sent only {attacker.sent} datagrams"
    assert attacker.received == [], f"rtcgated answered the stranger: {[d[:16].hex() for d in attacker.received]}"
    webrtc = media_of(query, "browser")
    assert webrtc["DTLS"]["state"] == "connected", webrtc["DTLS"]
    assert webrtc["DTLS"]["failures"] == 0
    refused = webrtc["ICE"]["foreign media"] if kind == "srtp" else webrtc["DTLS"]["refused"]
    assert refused >= attacker.sent // 2, (webrtc, attacker.sent)
    assert webrtc["DTLS"]["role"] == ("passive" if when == "before the answer" else "active")
