"""rtcgated follows the source of a transcoded stream (issue 12, point 2): when a phone stops sending for 5 s (a
pause before DTMF, silence suppression, a one-way announcement), rtcgated stops sending toward the other phone
once its jitter buffer has played out, instead of inventing 5 s of audio, and resumes with the marker bit and its
timestamps advanced by the time that passed (RFC 3550 section 5.1)."""

import asyncio

from bridged import RATE, Carrier, media_of
from ngclient import assert_ok
from test_ptime import call

PAUSE_SECONDS = 5.0
# rtcgated plays out its buffer (its target delay, at most 200 ms) and two frames more after the last packet.
STOPS_WITHIN_SECONDS = 0.4
MIN_PAUSE_MS = 100  # a silence shorter than this is loss to conceal, not a pause


def test_a_phone_that_pauses_is_followed_and_its_return_is_marked(ng):
    async def scenario():
        a = Carrier(law="PCMA", tone_hz=1000.0, duration=30.0)
        b = Carrier(law="PCMU", tone_hz=600.0, duration=30.0)
        await a.start()
        await b.start()
        try:
            await call(ng, "pause", a, b)
            assert await b.wait_for_audio(2.0, timeout=20), "B heard nothing of A"
            paused_after = a.pause(PAUSE_SECONDS)
            # B's packets from rtcgated while A is away, then after A is back.
            heard = await b.wait_for_audio(b.received_seconds + PAUSE_SECONDS + 2.0, timeout=PAUSE_SECONDS + 20)
            query = assert_ok(ng("query", **{"call-id": "pause"}))
            return paused_after, heard, list(b.received_packets), query
        finally:
            await a.stop()
            await b.stop()

    paused_after, heard, packets, query = asyncio.run(scenario())
    assert heard, f"B got {len(packets)} packets"
    assert paused_after is not None
    gaps = [(before, after) for before, after in zip(packets, packets[1:]) if after.arrival - before.arrival > 1.0]
    assert len(gaps) == 1, [(round(a.arrival, 3), round(b.arrival, 3)) for a, b in gaps]
    [(last, resumed)] = gaps
    # Stopped once the buffer played out, not seconds later; nothing sent while A was away.
    assert last.arrival - paused_after < STOPS_WITHIN_SECONDS, last.arrival - paused_after
    assert resumed.arrival - paused_after > PAUSE_SECONDS - STOPS_WITHIN_SECONDS
    # Back with the marker, the sequence running on, the timestamp advanced by the time that passed.
    assert resumed.marker and not any(p.marker for p in packets[1:] if p is not resumed)
    assert (resumed.sequence - last.sequence) & 0xFFFF == 1
    step = (resumed.timestamp - last.timestamp) & 0xFFFFFFFF
    assert step % 160 == 0
    assert abs(step / RATE - (resumed.arrival - last.arrival)) < 0.1, (step / RATE, resumed.arrival - last.arrival)
    # A pause is not loss: only the frames concealed before it was one (100 ms at least, JitterBufferConfig::minPause,
    # of 20 ms frames) count as lost.
    jitter_buffer = media_of(query, "a")["jitter buffer"]
    assert jitter_buffer["lost"] <= MIN_PAUSE_MS // 20 + 1 and jitter_buffer["lost in silence"] == 0, jitter_buffer
