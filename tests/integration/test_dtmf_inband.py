"""DTMF between a side with RFC 4733 events and a side with tones only, through rtcgated: a carrier without
telephone-event dials in-band and the browser side receives events; the browser side's events reach such a carrier as
tones; and ng "play DTMF" toward each leg, as events where it negotiated them and as tones where not. Every digit
0-9 * # A-D, each once, with its duration.

The browser side is a plain-RTP party speaking Opus with telephone-event/48000 (ICE and DTLS change nothing here);
the carrier speaks PCMU. The proxy asks for DTMF transcoding as the recipe does: "telephone-event" in transcode."""

import json
import select
import time
import warnings

import numpy as np
import pytest

import rtp
import sdp
from calls import RTCGATE
from dtmf_audio import DIGITS, EVENT_OF, Opus8k, audio_of, detect_digits, dialed, events_of
from ngclient import assert_error, assert_ok, encode_message, split_message

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # noqa: E402 (G.711 in the standard library until Python 3.13)

BROWSER_EVENT_TYPE = 110
CARRIER_SSRC = 0x7777
PACKET_SECONDS = 0.02
BROWSER_TRANSCODE = {"mask": ["all"], "transcode": ["PCMU", "telephone-event"]}

# The tones come from this Python process in real time, and on a loaded CI machine it can stall for tens of ms.
# Past the jitter buffer's 20 ms floor the late frames are concealed, and a concealed frame breaks the tone the
# detector measures: a 60 ms stall inside a 100 ms tone turns it into a 25-50 ms digit (CI measured 51 ms once; a
# stall injected at the same point reproduces it). A 100 ms floor absorbs such stalls. How the jitter buffer itself
# adapts is tested in JitterBufferTest and test_transcoding.
JITTER_MIN_DELAY_MS = 100


@pytest.fixture
def ng(start_daemon):
    with start_daemon(extra_args=[f"--jitter-min-delay={JITTER_MIN_DELAY_MS}"]).client() as client:
        yield client


def opus_sdp(party):
    return "\r\n".join([
        "v=0", f"o=- 7 1 IN IP4 {party.address}", "s=-", f"c=IN IP4 {party.address}", "t=0 0",
        f"m=audio {party.rtp_port} RTP/AVP 111 {BROWSER_EVENT_TYPE}",
        "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
        f"a=rtpmap:{BROWSER_EVENT_TYPE} telephone-event/48000", f"a=fmtp:{BROWSER_EVENT_TYPE} 0-16", "a=sendrecv", ""])


def pcmu_sdp(party, offer=None, events=False):
    """The carrier's PCMU answer, with the telephone-event/8000 of `offer` when `events`."""
    formats, attributes = ["0"], ["a=rtpmap:0 PCMU/8000"]
    if events:
        event = next(value.split()[0] for value in sdp.ParsedSdp(offer).attribute("rtpmap")
                     if "telephone-event/8000" in value)
        formats.append(event)
        attributes += [f"a=rtpmap:{event} telephone-event/8000", f"a=fmtp:{event} 0-16"]
    return "\r\n".join([
        "v=0", f"o=- 8 1 IN IP4 {party.address}", "s=-", f"c=IN IP4 {party.address}", "t=0 0",
        f"m=audio {party.rtp_port} RTP/AVP {' '.join(formats)}", *attributes, "a=sendrecv", ""])


class DtmfCall:
    """browser (Opus + telephone-event/48000) offers, carrier (PCMU, with or without telephone-event/8000) answers."""

    def __init__(self, ng, call_id, browser, carrier, carrier_events=False, codec=None):
        self.ng, self.call_id = ng, call_id
        offer = assert_ok(ng.request({"command": "offer", "call-id": call_id, "from-tag": "browser",
                                      "sdp": opus_sdp(browser), "codec": codec or BROWSER_TRANSCODE}))
        answer = assert_ok(ng.request({"command": "answer", "call-id": call_id, "from-tag": "browser",
                                       "to-tag": "carrier", "sdp": pcmu_sdp(carrier, offer["sdp"], carrier_events)}))
        self.port_for_browser = sdp.ParsedSdp(answer["sdp"]).audio_port
        self.port_for_carrier = sdp.ParsedSdp(offer["sdp"]).audio_port
        self.carrier_event_type = next(
            (int(value.split()[0]) for value in sdp.ParsedSdp(offer["sdp"]).attribute("rtpmap")
             if "telephone-event/8000" in value), None)
        media = self.query()["tags"]["browser"]["medias"][0]
        assert media["transcoding"] == 1, media

    def query(self):
        return assert_ok(self.ng.request({"command": "query", "call-id": self.call_id}))

    def play(self, **keys):
        return self.ng.request({"command": "play DTMF", "call-id": self.call_id, **keys})


def carrier_dials(samples):
    """The carrier's PCMU stream of int16 `samples` in real time: [(seconds from now, packet)]."""
    return [(i * PACKET_SECONDS, p) for i, p in enumerate(pcmu_packets(samples, CARRIER_SSRC))]


def pcmu_packets(samples, ssrc, payload_type=0):
    """20 ms PCMU packets of int16 `samples`."""
    packets = []
    for index in range(len(samples) // 160):
        payload = audioop.lin2ulaw(samples[index * 160:(index + 1) * 160].tobytes(), 2)
        packets.append(rtp.rtp_packet(1000 + index, 16000 + index * 160, ssrc, payload, payload_type,
                                      marker=index == 0))
    return packets


def event_schedule(digits, payload_type, clock_rate, ssrc, duration_ms=100, gap_ms=100, start=0.3):
    """RFC 4733 as a browser sends it: per digit a start packet (marker), an update every 20 ms, three end packets,
    one timestamp per digit (on a 20 ms audio grid); [(seconds from now, packet)]."""
    schedule, sequence, at = [], 5000, start
    ticks_per_packet = clock_rate // 50
    for digit in digits:
        timestamp = 90000 + round(at / PACKET_SECONDS) * ticks_per_packet
        updates = duration_ms // 20
        for index in range(updates + 2):
            end = index >= updates - 1
            duration = ticks_per_packet * min(index + 1, updates)
            payload = bytes([EVENT_OF[digit], (0x80 if end else 0) | 10]) + duration.to_bytes(2, "big")
            schedule.append((at + min(index, updates - 1) * PACKET_SECONDS,
                             rtp.rtp_packet(sequence, timestamp, ssrc, payload, payload_type, marker=index == 0)))
            sequence += 1
        at += (duration_ms + gap_ms) / 1000
    return schedule


def run(sender, destination, schedule, receivers, tail=0.8):
    """Sends `schedule` [(seconds, packet)] from `sender` in real time while reading every socket of `receivers`;
    then reads on for `tail` seconds. Returns {socket: [parsed RTP]}."""
    received = {sock: [] for sock in receivers}
    start = time.monotonic()
    pending = list(schedule)
    end = start + (pending[-1][0] if pending else 0) + tail
    while time.monotonic() < end:
        now = time.monotonic() - start
        while pending and pending[0][0] <= now:
            sender.sendto(pending.pop(0)[1], destination)
        wait = (pending[0][0] - now) if pending else (end - time.monotonic())
        ready, _, _ = select.select(list(receivers), [], [], max(min(wait, 0.02), 0))
        for sock in ready:
            data, _ = sock.recvfrom(65536)
            packet = rtp.parse_rtp(data)
            if packet is not None:
                received[sock].append(packet)
    return received


def heard_digits(packets):
    """What a carrier hears in rtcgated's PCMU packets: [(digit, ms)]."""
    audio = [(p.timestamp, np.frombuffer(audioop.ulaw2lin(p.payload, 2), dtype=np.int16))
             for p in packets if p.payload_type == 0]
    return detect_digits(audio_of(audio))


def assert_events(events, digits, duration_ticks, packet_ticks):
    """One event per digit, in order: the marker on its first packet only, three end packets, the duration right
    within one packet."""
    assert "".join(e.digit for e in events) == digits, events
    for event in events:
        assert event.markers == 1 and event.packets[0].marker, event
        assert event.ends == 3, event
        assert abs(event.duration - duration_ticks) <= packet_ticks, (event.digit, event.duration, duration_ticks)


def assert_tones(heard, digits, duration_ms):
    assert "".join(digit for digit, _ in heard) == digits, heard
    for digit, milliseconds in heard:
        assert abs(milliseconds - duration_ms) <= 20, (digit, milliseconds, duration_ms)


def logged(query, tag):
    return query["tags"][tag]["DTMF"]


def test_a_carriers_tones_reach_the_browser_side_as_events_at_48khz(ng):
    """A carrier without telephone-event dials all 16 digits as tones (100 ms, 100 ms apart): the browser side gets
    each once as telephone-event/48000 (its payload type, 4800 ticks within one packet) on rtcgated's one stream;
    query counts them as the carrier's in-band digits. (That the tones are cut from the audio: TranscoderDtmfTest.)"""
    with rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "inband-detect", browser, carrier)
        assert call.query()["tags"]["carrier"]["DTMF"]["count"] == 0
        schedule = carrier_dials(dialed(DIGITS))
        received = run(carrier.rtp, (RTCGATE, call.port_for_carrier), schedule, [browser.rtp])[browser.rtp]
        events = events_of([p for p in received if p.payload_type == BROWSER_EVENT_TYPE])
        assert_events(events, DIGITS, 4800, 960)
        assert len({p.ssrc for p in received}) == 1
        dtmf = logged(call.query(), "carrier")
    assert (dtmf["count"], dtmf["digits"]) == (16, DIGITS)
    assert {event["source"] for event in dtmf["events"]} == {"in-band"}
    assert all(abs(event["duration"] - 100) <= 20 for event in dtmf["events"]), dtmf["events"]


def test_the_browsers_events_reach_a_carrier_without_events_as_tones(ng):
    """The browser side sends all 16 digits as telephone-event/48000 (100 ms each) and no audio: a carrier that
    answered without telephone-event hears each digit once as tones of its duration, and no event packet."""
    with rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "inband-generate", browser, carrier)
        schedule = event_schedule(DIGITS, BROWSER_EVENT_TYPE, 48000, 0x4848)
        received = run(browser.rtp, (RTCGATE, call.port_for_browser), schedule, [carrier.rtp])[carrier.rtp]
        assert {p.payload_type for p in received} == {0}
        assert_tones(heard_digits(received), DIGITS, 100)
        dtmf = logged(call.query(), "browser")
    assert (dtmf["count"], dtmf["digits"]) == (16, DIGITS)
    assert {event["source"] for event in dtmf["events"]} == {"RFC 4733"}


def test_play_dtmf_reaches_a_carrier_without_events_as_tones_and_the_browser_as_events(ng):
    with rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "play-inband", browser, carrier)
        assert_ok(call.play(**{"to-tag": "carrier", "code": "159#", "duration": 120, "pause": 100}))
        received = run(browser.rtp, (RTCGATE, call.port_for_browser), [], [carrier.rtp], tail=1.3)[carrier.rtp]
        assert_tones(heard_digits(received), "159#", 120)

        # from-tag: the party that "dials" (rtpengine's selection); the digits go to its peer.
        assert_ok(call.play(**{"from-tag": "carrier", "code": 10, "duration": 200, "volume": -12}))
        assert_ok(call.play(**{"from-tag": "carrier", "digit": "D"}))
        received = run(carrier.rtp, (RTCGATE, call.port_for_carrier), [], [browser.rtp], tail=1.0)[browser.rtp]
        events = events_of([p for p in received if p.payload_type == BROWSER_EVENT_TYPE])
        assert [(e.digit, e.duration) for e in events] == [("*", 200 * 48), ("D", 250 * 48)], events
        assert events[0].packets[0].payload[1] & 0x3F == 12
        assert all(e.ends == 3 and e.markers == 1 for e in events)

        query = call.query()
        assert logged(query, "browser")["digits"] == "159#"
        assert logged(query, "carrier")["digits"] == "*D"
        assert {e["source"] for e in logged(query, "carrier")["events"]} == {"play DTMF"}

        assert assert_error(call.play(**{"to-tag": "nobody", "code": "1"}))["error-reason"] == "Unknown to-tag"
        assert assert_error(call.play(**{"code": "1"}))["error-reason"] == "No from-tag or to-tag in message"
        assert "DTMF code" in assert_error(call.play(**{"to-tag": "carrier", "code": "x"}))["error-reason"]


def test_play_dtmf_reaches_a_carrier_with_events_at_8khz(ng):
    with rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "play-events", browser, carrier, carrier_events=True)
        assert_ok(call.play(**{"to-tag": "carrier", "code": "0A", "duration": 100}))
        received = run(browser.rtp, (RTCGATE, call.port_for_browser), [], [carrier.rtp], tail=1.0)[carrier.rtp]
        events = events_of([p for p in received if p.payload_type == call.carrier_event_type])
        assert [(e.digit, e.duration) for e in events] == [("0", 800), ("A", 800)], events
        assert events[1].timestamp > events[0].timestamp


def test_play_dtmf_that_does_not_fit_the_queue_plays_none_of_its_digits(ng):
    """20 digits are queued; 20 more do not fit the 32 a party's queue holds: that request is refused before any of
    its digits is queued, so the carrier gets the first 20 only and query counts 20."""
    with rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "play-full", browser, carrier, carrier_events=True)
        first = (DIGITS + DIGITS)[:20]
        assert_ok(call.play(**{"to-tag": "carrier", "code": first, "duration": 100, "pause": 100}))
        reply = assert_error(call.play(**{"to-tag": "carrier", "code": "1" * 20, "duration": 100, "pause": 100}))
        assert reply["error-reason"] == "Too many DTMF digits queued"
        received = run(browser.rtp, (RTCGATE, call.port_for_browser), [], [carrier.rtp], tail=4.8)[carrier.rtp]
        events = events_of([p for p in received if p.payload_type == call.carrier_event_type])
        assert "".join(e.digit for e in events) == first, events
        assert logged(call.query(), "browser")["count"] == 20


@pytest.mark.parametrize("inject", [False, True], ids=["passthrough", "inject DTMF"])
def test_play_dtmf_on_a_shared_codec_needs_inject_dtmf(ng, inject):
    """PCMU on both sides passes through untouched: play DTMF is refused with the reason, unless the offer said
    "inject DTMF" (rtpengine's flag), which transcodes the line."""
    with rtp.Party() as a, rtp.Party() as b:
        call_id = f"inject-{inject}"
        offer = assert_ok(ng.request({"command": "offer", "call-id": call_id, "from-tag": "a",
                                      "sdp": sdp.audio_sdp(a.address, a.rtp_port),
                                      "flags": ["inject DTMF"] if inject else []}))
        assert_ok(ng.request({"command": "answer", "call-id": call_id, "from-tag": "a", "to-tag": "b",
                              "sdp": sdp.audio_sdp(b.address, b.rtp_port)}))
        query = assert_ok(ng.request({"command": "query", "call-id": call_id}))
        assert query["tags"]["a"]["medias"][0]["transcoding"] == (1 if inject else 0)
        reply = ng.request({"command": "play DTMF", "call-id": call_id, "to-tag": "b", "code": "7"})
        if not inject:
            assert "inject DTMF" in assert_error(reply)["error-reason"]
            return
        assert_ok(reply)
        port_for_b = sdp.ParsedSdp(offer["sdp"]).audio_port
        received = run(a.rtp, (RTCGATE, port_for_b), [], [b.rtp], tail=0.8)[b.rtp]
        events = events_of([p for p in received if p.payload_type == 101])
        assert [(e.digit, e.duration) for e in events] == [("7", 2000)], events


def test_each_digit_goes_to_the_dtmf_log_dest_as_one_json_datagram(start_daemon):
    """--dtmf-log-dest: one JSON datagram per digit as it ends, with rtpengine's fields (callid, source_tag, event,
    duration, volume) and rtcgate's (digit, source): the browser side's events, and a digit play DTMF sent."""
    with rtp.udp_socket() as log, rtp.Party() as browser, rtp.Party() as carrier:
        daemon = start_daemon(extra_args=[f"--dtmf-log-dest=127.0.0.1:{log.getsockname()[1]}"])
        with daemon.client() as ng:
            call = DtmfCall(ng, "dtmf-log", browser, carrier)
            schedule = event_schedule("1#", BROWSER_EVENT_TYPE, 48000, 0x4848)
            run(browser.rtp, (RTCGATE, call.port_for_browser), schedule, [carrier.rtp], tail=0.5)
            assert_ok(call.play(**{"from-tag": "carrier", "code": "9", "duration": 150}))
            datagrams = [json.loads(data) for data, _ in rtp.receive_count(log, 3, 3.0)]
    assert [(d["callid"], d["source_tag"], d["digit"], d["event"], d["source"]) for d in datagrams] == [
        ("dtmf-log", "browser", "1", 1, "RFC 4733"),
        ("dtmf-log", "browser", "#", 11, "RFC 4733"),
        ("dtmf-log", "carrier", "9", 9, "play DTMF"),
    ], datagrams
    assert [d["duration"] for d in datagrams] == [100, 100, 150]
    assert datagrams[0]["volume"] == 10 and datagrams[0]["type"] == "DTMF"


def shard_of(call_id, shards):
    """Engine::shardIndexFor: FNV-1a of the call-id modulo the shard count."""
    value = 14695981039346656037
    for byte in call_id.encode():
        value = ((value ^ byte) * 1099511628211) % 2**64
    return value % shards


def test_the_shards_share_the_dtmf_log_dest_and_every_digit_arrives_whole(start_daemon):
    """--dtmf-log-dest is one socket that every shard sends on: play DTMF on calls of both shards at once (the
    requests pipelined, so that the shards log at the same time) gets each digit there as one whole datagram, in
    order per call. (scripts/tsan runs it against rtcgated built with ThreadSanitizer.)"""
    calls_per_shard, digits = 4, "0123456789*#ABCD"
    call_ids = {0: [], 1: []}
    index = 0
    while min(len(ids) for ids in call_ids.values()) < calls_per_shard:
        call_id = f"dtmf-log-shards-{index}"
        ids = call_ids[shard_of(call_id, 2)]
        if len(ids) < calls_per_shard:
            ids.append(call_id)
        index += 1
    all_ids = call_ids[0] + call_ids[1]
    with rtp.udp_socket() as log:
        daemon = start_daemon(ports=80, num_threads=2,
                              extra_args=[f"--dtmf-log-dest=127.0.0.1:{log.getsockname()[1]}"])
        parties = [(rtp.Party(), rtp.Party()) for _ in all_ids]
        try:
            with daemon.client() as ng:
                for call_id, (browser, carrier) in zip(all_ids, parties):
                    DtmfCall(ng, call_id, browser, carrier)
                shards = assert_ok(ng.request({"command": "statistics"}))["statistics"]["shards"]
                assert sorted(shard["sessions"] for shard in shards) == [calls_per_shard, calls_per_shard], shards
                for call_id in all_ids:
                    ng.send_raw(encode_message(f"play-{call_id}", {
                        "command": "play DTMF", "call-id": call_id, "from-tag": "carrier", "code": digits,
                        "duration": 100}))
                replies = []
                for _ in all_ids:
                    data = ng.recv_raw(timeout=5.0)
                    assert data is not None, f"{len(replies)} of {len(all_ids)} play DTMF replies came"
                    replies.append(split_message(data))
                assert sorted(cookie for cookie, _ in replies) == sorted(f"play-{call_id}" for call_id in all_ids)
                assert all(reply["result"] == "ok" for _, reply in replies), replies
                received = rtp.receive_count(log, len(all_ids) * len(digits), 5.0)
        finally:
            for browser, carrier in parties:
                browser.close()
                carrier.close()
    datagrams = [json.loads(data) for data, _ in received]
    assert len(datagrams) == len(all_ids) * len(digits)
    for call_id in all_ids:
        mine = [d for d in datagrams if d["callid"] == call_id]
        assert "".join(d["digit"] for d in mine) == digits, (call_id, mine)
        assert {(d["source_tag"], d["source"], d["duration"]) for d in mine} == {("carrier", "play DTMF", 100)}


def audio_during_events(received, audio_type, event_type):
    """How many audio packets arrived between the first and the last event packet."""
    kinds = [p.payload_type for p in received if p.payload_type in (audio_type, event_type)]
    first, last = kinds.index(event_type), len(kinds) - 1 - kinds[::-1].index(event_type)
    return kinds[first:last + 1].count(audio_type)


@pytest.mark.parametrize("suppress", [True, False], ids=["suppressed", "--dtmf-no-suppress"])
def test_an_event_replaces_the_audio_unless_dtmf_no_suppress(start_daemon, suppress):
    """The carrier talks (PCMU) and sends a 300 ms event: toward the browser side the event replaces the audio
    (RFC 4733 section 2.6), or, with rtpengine's --dtmf-no-suppress, the audio goes on beside it."""
    daemon = start_daemon(extra_args=[] if suppress else ["--dtmf-no-suppress"])
    with daemon.client() as ng, rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "suppress", browser, carrier, carrier_events=True)
        audio = carrier_dials(dialed("", lead_ms=600))
        events = event_schedule("5", call.carrier_event_type, 8000, CARRIER_SSRC, duration_ms=300, start=0.4)
        schedule = sorted(audio + events, key=lambda item: item[0])
        received = run(carrier.rtp, (RTCGATE, call.port_for_carrier), schedule, [browser.rtp])[browser.rtp]
    assert [e.digit for e in events_of([p for p in received if p.payload_type == BROWSER_EVENT_TYPE])] == ["5"]
    during = audio_during_events(received, 111, BROWSER_EVENT_TYPE)
    if suppress:
        assert during <= 1, during
    else:
        assert during >= 10, during


def opus_only_sdp(party):
    """A browser side without telephone-event: Opus only."""
    return opus_sdp(party).replace(f" 111 {BROWSER_EVENT_TYPE}", " 111").replace(
        f"a=rtpmap:{BROWSER_EVENT_TYPE} telephone-event/48000\r\na=fmtp:{BROWSER_EVENT_TYPE} 0-16\r\n", "")


def opus_call(ng, call_id, browser, carrier):
    """A browser side without telephone-event (Opus only) offers; the carrier answers PCMU and telephone-event/8000
    (rtcgated offered it: transcode telephone-event)."""
    offer = assert_ok(ng.request({"command": "offer", "call-id": call_id, "from-tag": "browser",
                                  "sdp": opus_only_sdp(browser), "codec": BROWSER_TRANSCODE}))
    answer = assert_ok(ng.request({"command": "answer", "call-id": call_id, "from-tag": "browser",
                                   "to-tag": "carrier", "sdp": pcmu_sdp(carrier, offer["sdp"], events=True)}))
    assert "telephone-event" not in answer["sdp"]
    event_type = next(int(value.split()[0]) for value in sdp.ParsedSdp(offer["sdp"]).attribute("rtpmap")
                      if "telephone-event/8000" in value)
    return sdp.ParsedSdp(answer["sdp"]).audio_port, sdp.ParsedSdp(offer["sdp"]).audio_port, event_type


def test_a_browsers_tones_in_opus_reach_a_carrier_as_events_at_8khz(ng):
    """A browser side without telephone-event dials all 16 digits as tones in its Opus stream: the carrier gets
    each once as telephone-event/8000 (800 ticks within one packet)."""
    with Opus8k() as opus, rtp.Party() as browser, rtp.Party() as carrier:
        port_for_browser, _, event_type = opus_call(ng, "inband-opus-detect", browser, carrier)
        samples = dialed(DIGITS)
        schedule = [(i * PACKET_SECONDS,
                     rtp.rtp_packet(2000 + i, 960 * i, 0x0505, opus.encode(samples[i * 160:(i + 1) * 160]), 111,
                                    marker=i == 0))
                    for i in range(len(samples) // 160)]
        received = run(browser.rtp, (RTCGATE, port_for_browser), schedule, [carrier.rtp])[carrier.rtp]
    # Through Opus a tone's edges blur by a block of spandsp's detector (12.75 ms) on each side: measured 76-100 ms
    # for 100 ms tones, so two packets of tolerance here (G.711 tones are found to one packet, above).
    assert_events(events_of([p for p in received if p.payload_type == event_type]), DIGITS, 800, 320)


def test_a_carriers_events_reach_a_browser_without_events_as_tones_in_opus(ng):
    """The carrier sends all 16 digits as telephone-event/8000: a browser side without telephone-event hears each
    once as tones of its duration in rtcgated's Opus stream."""
    with Opus8k() as opus, rtp.Party() as browser, rtp.Party() as carrier:
        _, port_for_carrier, event_type = opus_call(ng, "inband-opus-generate", browser, carrier)
        schedule = event_schedule(DIGITS, event_type, 8000, 0x0808)
        received = run(carrier.rtp, (RTCGATE, port_for_carrier), schedule, [browser.rtp])[browser.rtp]
        assert {p.payload_type for p in received} == {111}
        audio = opus.packets_audio(received)
    assert_tones(detect_digits(audio_of(audio)), DIGITS, 100)


def block(call, command, tag):
    return assert_ok(call.ng.request({"command": command, "call-id": call.call_id, "from-tag": tag}))


def long_tones(heard):
    """The digits heard for 40 ms or more: what a receiver takes for DTMF (ITU-T Q.24). What a blocked party's tone
    leaks while the detector confirms it (about 25 ms) is shorter."""
    return [(digit, milliseconds) for digit, milliseconds in heard if milliseconds >= 40]


def test_block_dtmf_keeps_a_carriers_tones_from_the_browser_side_and_counts_them(ng):
    """block DTMF on a carrier that dials in-band, on a transcoded line: the browser side gets neither events nor the
    tones in its Opus audio, while query still counts the digits (as rtpengine processes blocked DTMF); after
    unblock DTMF the next digit is an event again."""
    with Opus8k() as opus, rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "block-inband", browser, carrier)
        block(call, "block DTMF", "carrier")
        schedule = carrier_dials(dialed("1#5"))
        received = run(carrier.rtp, (RTCGATE, call.port_for_carrier), schedule, [browser.rtp])[browser.rtp]
        assert not [p for p in received if p.payload_type == BROWSER_EVENT_TYPE]
        audio = opus.packets_audio([p for p in received if p.payload_type == 111])
        assert len(audio) >= 20  # the audio between the digits goes on
        assert long_tones(detect_digits(audio_of(audio))) == []
        assert logged(call.query(), "carrier")["digits"] == "1#5"

        block(call, "unblock DTMF", "carrier")
        schedule = carrier_dials(dialed("7"))
        received = run(carrier.rtp, (RTCGATE, call.port_for_carrier), schedule, [browser.rtp])[browser.rtp]
        events = events_of([p for p in received if p.payload_type == BROWSER_EVENT_TYPE])
        assert [e.digit for e in events] == ["7"], events
        assert logged(call.query(), "carrier")["digits"] == "1#57"


def test_block_dtmf_keeps_the_browsers_events_from_a_carrier_without_events_and_counts_them(ng):
    """block DTMF on the browser side, whose events a carrier without telephone-event would hear as tones: the
    carrier hears none, and query still counts the digits."""
    with rtp.Party() as browser, rtp.Party() as carrier:
        call = DtmfCall(ng, "block-generate", browser, carrier)
        block(call, "block DTMF", "browser")
        schedule = event_schedule("1#5", BROWSER_EVENT_TYPE, 48000, 0x4848)
        received = run(browser.rtp, (RTCGATE, call.port_for_browser), schedule, [carrier.rtp])[carrier.rtp]
        assert {p.payload_type for p in received} <= {0}
        assert heard_digits(received) == []
        dtmf = logged(call.query(), "browser")
    assert (dtmf["digits"], {event["source"] for event in dtmf["events"]}) == ("1#5", {"RFC 4733"})


def test_tones_between_two_sides_without_events_stay_in_the_audio_and_are_counted(ng):
    """Neither side negotiated telephone-event (an Opus browser side, a PCMU carrier): the carrier's tones reach the
    browser side in its Opus audio, untouched, and query counts them as the carrier's in-band digits."""
    with Opus8k() as opus, rtp.Party() as browser, rtp.Party() as carrier:
        offer = assert_ok(ng.request({"command": "offer", "call-id": "inband-both", "from-tag": "browser",
                                      "sdp": opus_only_sdp(browser), "codec": BROWSER_TRANSCODE}))
        answer = assert_ok(ng.request({"command": "answer", "call-id": "inband-both", "from-tag": "browser",
                                       "to-tag": "carrier", "sdp": pcmu_sdp(carrier, offer["sdp"])}))
        port_for_carrier = sdp.ParsedSdp(offer["sdp"]).audio_port
        assert "telephone-event" not in answer["sdp"]
        schedule = carrier_dials(dialed("1#5"))
        received = run(carrier.rtp, (RTCGATE, port_for_carrier), schedule, [browser.rtp])[browser.rtp]
        audio = opus.packets_audio(received)
        query = assert_ok(ng.request({"command": "query", "call-id": "inband-both"}))
    assert {p.payload_type for p in received} == {111}
    assert_tones(long_tones(detect_digits(audio_of(audio))), "1#5", 100)
    dtmf = logged(query, "carrier")
    assert (dtmf["digits"], {event["source"] for event in dtmf["events"]}) == ("1#5", {"in-band"})
