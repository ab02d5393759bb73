"""Any packet size on either side of a transcoded call (issue 12, point 1): a PCMA phone that sends packets of one
size without saying so in its SDP (no a=ptime: rtcgated must learn it from the packets, as from a carrier that
sends 30 ms under a=ptime:20), and a PCMU phone that announces its own size and sends it, exchange 10 s of audio
through rtcgated, once per pair of sizes; the same for an Opus phone on plain RTP (10, 20, 40 or 60 ms, RFC 7587)
against PCMU phones of every size. Each phone must get rtcgated's stream in its own packet size, every timestamp
one packet after the one before, and rtcgated's jitter buffers must have lost nothing but packets that came late."""

import asyncio

import pytest

import tones
from bridged import RATE, Carrier, media_of
from ngclient import assert_ok
from opus_phone import OpusPhone
from realtime import run_real_time
from test_transcoding import assert_one_stream, assert_sent_at_ptime

PTIMES_MS = (10, 20, 30, 40, 60)
OPUS_PTIMES_MS = (10, 20, 40, 60)
SECONDS = 10.0
SILENT_SDP_PTIME_MS = 20  # what rtcgated takes a party's packets to last when its SDP does not say
A_HZ, B_HZ = 1000.0, 600.0
MAX_LOST_FRAMES = 5  # of a phone's 10 s, on a loaded machine (0 on a quiet one)


def without_ptime(sdp_text):
    return "".join(line for line in sdp_text.splitlines(keepends=True) if not line.startswith("a=ptime:"))


async def call(ng, call_id, a, b, a_says_its_ptime=False):
    """A (PCMA or Opus only) calls B (PCMU only): rtcgated transcodes between them. A's SDP says no a=ptime unless
    `a_says_its_ptime`."""
    a_sdp = a.offer_sdp() if a_says_its_ptime else without_ptime(a.offer_sdp())
    offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "a", "sdp": a_sdp,
                                     "codec": {"transcode": ["PCMU"]}}))
    answer_sdp = b.answer_sdp(offer["sdp"])
    b.set_remote(offer["sdp"])
    answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "a", "to-tag": "b", "sdp": answer_sdp}))
    a.set_remote(answer["sdp"])


def run_calls(ng, name, make_a, a_ptime, a_says_its_ptime=False):
    """One call from an A made by make_a() to a B of each packet size at once; per call: (B's ptime, query, A's
    packets and audio, B's packets and audio)."""

    async def scenario(run):
        phones = [(make_a(), Carrier(law="PCMU", ptime_ms=b_ptime, tone_hz=B_HZ, duration=SECONDS + 5))
                  for b_ptime in PTIMES_MS]
        for a, b in phones:
            await a.start()
            await b.start()
        try:
            async with run.measuring():
                for (a, b), b_ptime in zip(phones, PTIMES_MS):
                    await call(ng, f"{name}-{a_ptime}-{b_ptime}-{run.attempt}", a, b, a_says_its_ptime)
                heard = await asyncio.gather(*(phone.wait_for_audio(SECONDS, timeout=SECONDS + 20)
                                               for pair in phones for phone in pair))
            queries = [assert_ok(ng("query", **{"call-id": f"{name}-{a_ptime}-{b_ptime}-{run.attempt}"}))
                       for b_ptime in PTIMES_MS]
            return heard, queries, run, [(list(a.received_packets), a.received_audio(), list(b.received_packets),
                                          b.received_audio()) for a, b in phones]
        finally:
            for a, b in phones:
                await a.stop()
                await b.stop()
            # A run done again (run_real_time) needs the ports of this one's calls: 5 calls of 2 pairs each, of the
            # 20 pairs of the daemon; two runs' calls left up made the third run out of ports.
            for b_ptime in PTIMES_MS:
                ng("delete", **{"call-id": f"{name}-{a_ptime}-{b_ptime}-{run.attempt}", "from-tag": "a"})

    heard, queries, run, received = run_real_time(scenario)
    assert all(heard), heard
    return [(b_ptime, query, run, *phones) for b_ptime, query, phones in zip(PTIMES_MS, queries, received)]


def assert_heard_without_a_hole(context, query, run, ptimes, a_audio, b_audio):
    """No hole of rtcgated's, either way: a quiet run conceals nothing; a loaded one (the test's phones run late,
    a sanitized daemon slower still) a few frames of 1000 at most, where a wrong frame size conceals hundreds, and
    what each phone sent late in the stalls `run` measured (ptimes: A's and B's packet sizes); and each phone hears
    the other's tone."""
    for tag, ptime in zip(("a", "b"), ptimes):
        jitter_buffer = media_of(query, tag)["jitter buffer"]
        allowed = MAX_LOST_FRAMES + run.frames_stalled(ptime)
        assert jitter_buffer["lost"] <= allowed, \
            f"{context}, {tag}'s jitter buffer: {dict(jitter_buffer)}; allowed {allowed}, stalls {run.stalls}"
    assert tones.detect_tone(b_audio, RATE, A_HZ), context
    assert tones.detect_tone(a_audio, RATE, B_HZ), context


@pytest.mark.parametrize("a_ptime", PTIMES_MS)
def test_a_phone_that_sends_any_packet_size_is_heard_without_a_hole(ng, a_ptime):
    """A sends `a_ptime` packets unannounced, to each B of every packet size at once (one call each)."""
    calls = run_calls(ng, "ptime", lambda: Carrier(law="PCMA", ptime_ms=a_ptime, tone_hz=A_HZ,
                                                   duration=SECONDS + 5), a_ptime)
    for b_ptime, query, run, a_packets, a_audio, b_packets, b_audio in calls:
        # Each phone gets rtcgated's stream in its packet size, one packet after another, no gap.
        assert_sent_at_ptime(b_packets, b_ptime, run.frames_stalled(b_ptime))
        assert_sent_at_ptime(a_packets, SILENT_SDP_PTIME_MS, run.frames_stalled(SILENT_SDP_PTIME_MS))
        assert_heard_without_a_hole(f"A sends {a_ptime} ms, B {b_ptime} ms", query, run, (a_ptime, b_ptime), a_audio,
                                    b_audio)


@pytest.mark.parametrize("a_ptime", OPUS_PTIMES_MS)
def test_an_opus_phone_of_any_packet_size_is_heard_without_a_hole(ng, a_ptime):
    """A speaks Opus on plain RTP in `a_ptime` packets and asks for them (a=ptime); each B speaks PCMU."""
    calls = run_calls(ng, "opus", lambda: OpusPhone(ptime_ms=a_ptime, tone_hz=A_HZ, duration=SECONDS + 5), a_ptime,
                      a_says_its_ptime=True)
    for b_ptime, query, run, a_packets, a_audio, b_packets, b_audio in calls:
        assert_sent_at_ptime(b_packets, b_ptime, run.frames_stalled(b_ptime))
        # Opus toward A in its ptime: one frame of a_ptime per packet, on the 48 kHz clock.
        assert_one_stream(a_packets, 48 * a_ptime, run.frames_stalled(a_ptime))
        assert_heard_without_a_hole(f"A sends Opus {a_ptime} ms, B {b_ptime} ms", query, run, (a_ptime, b_ptime),
                                    a_audio, b_audio)
