"""DTMF from a carrier to a WebRTC party through a transcoded line: the carrier sends RFC 4733 telephone-event at
8 kHz next to its PCMU; the WebRTC side (a SecurePeer: ICE, SDES-SRTP, rtcp-mux, Opus + telephone-event/48000)
must receive each digit once, at its own 48 kHz clock, on rtcgated's own stream, protected with SRTP.

The peer decrypts what it receives with rtcgated's a=crypto key, so the test reads the event packets as the peer's
browser would: payload type, marker, timestamp, sequence number, event code, end bit and duration.
"""

import select
import sys
import time
from pathlib import Path

import rtp
import sdp
from ngclient import assert_ok
from secure_peer import BROWSER_CODECS, SecurePeer
from test_dtmf import pcmu_answer

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.recipe import BROWSER_CALLS_CARRIER_OFFER  # noqa: E402

# The recipe's offer toward a plain-RTP carrier, transcoding to PCMU only (its telephone-event/8000 comes along).
PEER_CALLS_CARRIER_OFFER = {**BROWSER_CALLS_CARRIER_OFFER, "codec": {"mask": ["all"], "transcode": ["PCMU"]}}
# The peer's side stays what it offered: RTP/SAVPF with SDES keys, ICE (rtcgated is ice-lite), rtcp-mux.
PEER_CALLS_CARRIER_ANSWER = {"ICE": "force"}

PACKET_INTERVAL = 0.02
CARRIER_TICKS = 160  # 20 ms at 8 kHz
CLOCK_RATIO = 48000 // 8000
END_PACKETS = 3  # RFC 4733 section 2.5.1.4
DIGITS = {"0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "*": 10, "#": 11,
          "A": 12, "B": 13, "C": 14, "D": 15}  # RFC 4733 section 3.2
CARRIER_SSRC = 0xCA77E4D1
RECEIVE_TAIL = 0.6  # seconds of receiving after the script: rtcgated's end timeout is 250 ms


class Carrier:
    """The plain-RTP side: an rtp.Party that answers PCMU + telephone-event/8000 and sends its packets as a carrier's
    media gateway does: 20 ms PCMU, and during an event only the event's packets (the audio timestamp runs on)."""

    def __init__(self):
        self.party = rtp.Party()
        self.sock = self.party.rtp
        self.remote = None
        self.event_type = None
        self.sequence = 4000
        self.timestamp = 160000
        self.received = 0

    def close(self):
        self.party.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def answer(self, offer_text):
        parsed = sdp.ParsedSdp(offer_text)
        self.remote = (parsed.audio_address(), parsed.audio_port)
        text, self.event_type = pcmu_answer(self.party, offer_text)
        return text

    def _packet(self, payload, payload_type, timestamp, marker=False):
        packet = rtp.rtp_packet(self.sequence, timestamp, CARRIER_SSRC, payload, payload_type, marker=marker)
        self.sequence = (self.sequence + 1) & 0xFFFF
        return packet

    def audio(self):
        """The next 20 ms of PCMU (a quiet ramp, not silence: the transcoder has something to encode)."""
        payload = bytes((0xF0 + (index + self.sequence) % 8) for index in range(CARRIER_TICKS))
        packet = self._packet(payload, 0, self.timestamp)
        self.timestamp = (self.timestamp + CARRIER_TICKS) & 0xFFFFFFFF
        return packet

    def event(self, digit, milliseconds, *, lose_end=False):
        """The packets of one event, grouped by the 20 ms slot they are sent in: an update every 20 ms (the first
        with the marker), then the three end packets together with the final duration, unless `lose_end` (the
        last updates and the end packets never arrive: only the first three updates are sent). Returns (slots,
        the durations rtcgated must relay at 48 kHz)."""
        code = DIGITS[digit]
        final = milliseconds * 8
        updates = list(range(CARRIER_TICKS, final, CARRIER_TICKS))
        start = self.timestamp
        slots = []
        for index, duration in enumerate(updates):
            payload = bytes([code, 10]) + duration.to_bytes(2, "big")
            slots.append([self._packet(payload, self.event_type, start, marker=index == 0)])
        if lose_end:
            slots = slots[:3]
            sent = updates[:3]
            relayed = [duration * CLOCK_RATIO for duration in sent] + [sent[-1] * CLOCK_RATIO] * END_PACKETS
        else:
            payload = bytes([code, 0x80 | 10]) + final.to_bytes(2, "big")
            slots.append([self._packet(payload, self.event_type, start) for _ in range(END_PACKETS)])
            relayed = [duration * CLOCK_RATIO for duration in updates] + [final * CLOCK_RATIO] * END_PACKETS
        self.timestamp = (start + final) & 0xFFFFFFFF  # the audio after the event goes on from its end
        return slots, relayed

    def send(self, packet):
        self.sock.sendto(packet, self.remote)

    def poll(self):
        while True:
            try:
                self.sock.recvfrom(65536)
            except BlockingIOError:
                return
            self.received += 1


class Script:
    """What the carrier sends, 20 ms slot by 20 ms slot, and the events the peer must then receive."""

    def __init__(self, carrier):
        self.carrier = carrier
        self.slots = []  # a list of packets per slot ([] for a slot in which nothing is sent)
        self.expected = []  # (event code, [durations at 48 kHz])

    def audio(self, count):
        self.slots += [[self.carrier.audio()] for _ in range(count)]

    def pause(self, count):
        self.slots += [[] for _ in range(count)]

    def event(self, digit, milliseconds, *, lose_end=False):
        slots, relayed = self.carrier.event(digit, milliseconds, lose_end=lose_end)
        self.slots += slots
        self.expected.append((DIGITS[digit], relayed))


def play(peer, carrier, script):
    """Sends the script's slots every 20 ms in real time while the peer sends an Opus frame every 20 ms (SRTP) and
    both receive; then receives for RECEIVE_TAIL more seconds. Bounded by the script's length."""
    start = time.monotonic()
    for index, slot in enumerate(script.slots):
        for packet in slot:
            carrier.send(packet)
        peer.send_rtp()
        due = start + (index + 1) * PACKET_INTERVAL
        while (remaining := due - time.monotonic()) > 0:
            ready, _, _ = select.select([peer.sock, carrier.sock], [], [], remaining)
            if peer.sock in ready:
                peer.poll()
            if carrier.sock in ready:
                carrier.poll()
    peer.pump(RECEIVE_TAIL)
    carrier.poll()


def peer_calls_carrier(ng, peer, carrier, call_id):
    """The peer offers (ICE, SDES, rtcp-mux, Opus + telephone-event/48000), the carrier answers PCMU +
    telephone-event/8000; the peer nominates rtcgated's candidate. Returns the query after the call is up."""
    offer = assert_ok(ng.request({"command": "offer", "call-id": call_id, "from-tag": "peer",
                                  "sdp": peer.offer_sdp(), **PEER_CALLS_CARRIER_OFFER}))
    to_carrier = sdp.ParsedSdp(offer["sdp"])
    assert to_carrier.audio()["proto"] == "RTP/AVP", offer["sdp"]
    assert "telephone-event/8000" in " ".join(to_carrier.attribute("rtpmap")), offer["sdp"]
    answer = assert_ok(ng.request({"command": "answer", "call-id": call_id, "from-tag": "peer", "to-tag": "carrier",
                                   "sdp": carrier.answer(offer["sdp"]), **PEER_CALLS_CARRIER_ANSWER}))
    peer.accept_answer(answer["sdp"])
    remote = peer.remote
    assert remote.protocol == "RTP/SAVPF" and remote.rtcp_mux and remote.ice_pwd and remote.crypto, answer["sdp"]
    event_type = peer.payload_type_of("telephone-event/48000")
    assert f"{event_type} telephone-event/48000" in sdp.ParsedSdp(answer["sdp"]).attribute("rtpmap"), answer["sdp"]
    nominated = peer.check(use_candidate=True)
    assert nominated.kind == "success", nominated
    query = assert_ok(ng.request({"command": "query", "call-id": call_id}))
    assert query["tags"]["peer"]["medias"][0]["transcoding"] == 1, query
    return query


def sequence_after(first, second):
    return (second - first) & 0xFFFF


def assert_events(peer, expected, event_type):
    """The peer got exactly the `expected` events, each once and in order, as RFC 4733 at 48 kHz on rtcgated's own
    SRTP stream. Returns the event packets, one list per event."""
    assert peer.unprotect_failures == 0, f"{peer.unprotect_failures} datagrams did not unprotect with rtcgated's key"
    assert peer.other_received == 0, f"{peer.other_received} datagrams were neither SRTP nor STUN"
    received = peer.received
    assert received, "nothing reached the peer"
    ssrcs = {packet.ssrc for packet in received}
    assert len(ssrcs) == 1, f"rtcgated's audio and events must share its one stream: {ssrcs}"
    assert ssrcs != {CARRIER_SSRC}, "the carrier's stream went through: rtcgated must send on its own"
    # Nothing lost on loopback: every sequence number rtcgated used toward the peer is in `received`, so the event
    # packets' sequence numbers are consecutive but for the audio the peer received in between.
    sequences = [packet.sequence for packet in received]
    assert all(sequence_after(a, b) == 1 for a, b in zip(sequences, sequences[1:])), sequences

    packets = [packet for packet in received if packet.payload_type == event_type]
    others = {packet.payload_type for packet in received} - {event_type}
    assert others <= {peer.audio_codec.payload_type}, f"payload types {others} toward the peer"
    events = []
    for packet in packets:
        if not events or packet.timestamp != events[-1][0].timestamp:
            events.append([])
        events[-1].append(packet)
    summary = [(event[0].payload[0], event[0].timestamp, len(event)) for event in events]
    assert len(events) == len(expected), f"expected {len(expected)} events, got (code, timestamp, packets) {summary}"
    assert len({event[0].timestamp for event in events}) == len(events), f"an event's timestamp came back: {summary}"

    for number, (event, (code, durations)) in enumerate(zip(events, expected)):
        what = f"event {number} (code {code})"
        assert [packet.payload[0] for packet in event] == [code] * len(event), what
        assert [packet.marker for packet in event] == [True] + [False] * (len(event) - 1), what
        assert [int.from_bytes(packet.payload[2:4], "big") for packet in event] == durations, what
        ends = [bool(packet.payload[1] & 0x80) for packet in event]
        assert ends == [False] * (len(durations) - END_PACKETS) + [True] * END_PACKETS, what
        assert all(len(packet.payload) == 4 for packet in event), what
        # SRTP: the datagram carried the header in clear and the payload encrypted, with an 80-bit tag after it
        # (RFC 3711 section 3.1): the digit and duration are only readable after unprotecting.
        for packet in event:
            wire = rtp.parse_rtp(packet.datagram)
            assert (wire.sequence, wire.timestamp, wire.ssrc, wire.payload_type, wire.marker) == (
                packet.sequence, packet.timestamp, packet.ssrc, packet.payload_type, packet.marker), what
            assert len(wire.payload) == 4 + 10, what
            assert wire.payload[:4] != packet.payload, f"{what}: the event went out unencrypted"
    # At the peer's own clock: each event starts on a 20 ms slot of rtcgated's 48 kHz Opus stream, after the audio
    # before it and before the audio after it (RFC 4733 section 2.3.1: the event's timestamp is its start).
    slot = peer.audio_codec.samples_per_packet
    for number, event in enumerate(events):
        before = [packet for packet in received[:received.index(event[0])] if packet.payload_type != event_type]
        after = [packet for packet in received[received.index(event[-1]):] if packet.payload_type != event_type]
        assert before and after, f"event {number}: the scripts send audio before and after each event"
        for earlier, later, least in ((before[-1], event[0], 1), (event[0], after[0], 0)):
            # The audio after may carry the event's own start: a shard tick that ran late (a loaded machine, the
            # sanitizer build) sends the slots it owes after the event already ended.
            offset = (later.timestamp - earlier.timestamp) & 0xFFFFFFFF
            assert least <= offset < 1 << 31 and offset % slot == 0, (
                f"event {number} at {event[0].timestamp} is off the audio's 48 kHz slots "
                f"({before[-1].timestamp} before, {after[0].timestamp} after)")
    for earlier, later in zip(events, events[1:]):
        assert 0 < (later[0].timestamp - earlier[0].timestamp) & 0xFFFFFFFF < 1 << 31, "event timestamps go back"
        assert received.index(earlier[-1]) < received.index(later[0]), "events overlap"
    return events


def test_carrier_digits_reach_the_webrtc_side_at_48khz_once_each(ng):
    """The carrier's "1", "#" and "D" (100 ms each: an update every 20 ms, three end packets) and "5" (250 ms),
    between stretches of PCMU: the peer decrypts each as one event at 48 kHz, durations x 6, with the payload type
    it offered, the marker on its first packet only, three end packets, on rtcgated's own stream."""
    with SecurePeer(ice=True, codecs=BROWSER_CODECS) as peer, Carrier() as carrier:
        peer_calls_carrier(ng, peer, carrier, "dtmf-webrtc")
        script = Script(carrier)
        script.audio(5)
        for digit in ("1", "#", "D"):
            script.event(digit, 100)
            script.audio(5)
        script.event("5", 250)
        script.audio(5)
        play(peer, carrier, script)
        query = assert_ok(ng.request({"command": "query", "call-id": "dtmf-webrtc"}))

    event_type = peer.payload_type_of("telephone-event/48000")
    events = assert_events(peer, script.expected, event_type)
    assert [event[-1].payload[2:4] for event in events] == [(4800).to_bytes(2, "big")] * 3 + [
        (12000).to_bytes(2, "big")]
    audio = [packet for packet in peer.received if packet.payload_type != event_type]
    assert audio, "the carrier's PCMU must reach the peer as Opus too"
    # The peer's own Opus frames (real libopus frames of silence) decoded on their way to the carrier.
    transcoder = query["tags"]["peer"]["medias"][0]["transcoder"]
    assert transcoder["decoded"] > 0 and transcoder["decode errors"] == 0, transcoder
    assert carrier.received > 0


def test_an_event_whose_end_packets_are_lost_is_ended_by_rtcgated(ng):
    """The carrier's "9" stops after three updates (its last updates and end packets lost): rtcgated ends it
    itself after its timeout with three end packets at the last duration it knew (480 x 6); the next digit "*" is
    a new event."""
    with SecurePeer(ice=True, codecs=BROWSER_CODECS) as peer, Carrier() as carrier:
        peer_calls_carrier(ng, peer, carrier, "dtmf-webrtc-lost-end")
        script = Script(carrier)
        script.audio(5)
        script.event("9", 200, lose_end=True)
        script.pause(25)  # nothing from the carrier for 500 ms: well past rtcgated's 250 ms
        script.audio(5)
        script.event("*", 100)
        script.audio(5)
        play(peer, carrier, script)

    events = assert_events(peer, script.expected, peer.payload_type_of("telephone-event/48000"))
    assert [int.from_bytes(packet.payload[2:4], "big") for packet in events[0]] == [960, 1920, 2880] + [2880] * 3
