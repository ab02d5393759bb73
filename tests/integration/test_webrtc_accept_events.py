"""A carrier calls a browser that takes no telephone-event (aiortc drops it from its answer), through the Kamailio
WebRTC recipe with rtpengine's `codec: {accept: [telephone-event]}` in the offer (issue 11, point 4). As rtpengine
10.5 does, the carrier is answered with its telephone-event all the same, and rtcgated carries DTMF across: the
carrier's RFC 4733 events reach the browser as tones in its audio (never as a payload type it did not negotiate,
which it would drop, leaving a hole), and the browser's tones reach the carrier as events."""

import asyncio

from dtmf_audio import DIGITS, EVENT_OF, detect_digits, dialed
from ngclient import assert_ok
from test_webrtc import carrier_calls_browser, hang_up

from bridged import CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER
CALLED = "159#"
CALLING = "2580"


async def inbound_packets_lost(browser):
    stats = [s for s in (await browser.pc.getStats()).values() if s.type == "inbound-rtp"]
    assert len(stats) == 1, stats
    return stats[0].packetsLost, stats[0].packetsReceived


def digits_of(events):
    """The digits of the carrier's received RFC 4733 events, one per event timestamp, once it has ended."""
    ended = {}
    for event in events:
        if event.end:
            ended.setdefault(event.timestamp, DIGITS[event.event])
    return "".join(ended[timestamp] for timestamp in sorted(ended))


async def wait_for(predicate, timeout):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate() and loop.time() < deadline:
        await asyncio.sleep(0.05)
    return predicate()


def test_dtmf_crosses_between_a_carriers_events_and_a_browsers_tones(ng):
    call_id = "accept-events"

    async def scenario():
        browser, carrier = await carrier_calls_browser(ng, call_id, offer_keys=CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER)
        try:
            # aiortc answers without telephone-event; the carrier is answered with it.
            assert carrier.remote.payload_type_of("TELEPHONE-EVENT") == 101
            heard_before = browser.received_seconds
            seconds = carrier.dial(CALLED)
            assert await browser.wait_for_audio(heard_before + seconds + 0.5, timeout=10)
            heard = [digit for digit, milliseconds in detect_digits(browser.received_audio()[int(heard_before * 8000):])
                     if milliseconds >= 40]
            lost, received = await inbound_packets_lost(browser)

            browser.track.play(dialed(CALLING))
            got_all = await wait_for(lambda: len(digits_of(carrier.telephone_events)) >= len(CALLING), timeout=10)
            query = assert_ok(ng("query", **{"call-id": call_id}))
            return heard, lost, received, got_all, digits_of(carrier.telephone_events), carrier, query
        finally:
            await hang_up(browser, carrier)

    heard, lost, received, got_all, events, carrier, query = asyncio.run(scenario())
    assert "".join(heard) == CALLED, heard
    assert received > 0 and lost == 0, f"the browser lost {lost} of {received + lost} packets"
    assert got_all and events == CALLING, events
    assert {event.payload_type for event in carrier.telephone_events} == {101}
    assert [EVENT_OF[digit] for digit in events] == [EVENT_OF[d] for d in CALLING]
    assert query["tags"]["browser"]["medias"][0]["transcoding"] == 1
