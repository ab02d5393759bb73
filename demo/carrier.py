"""The media side of a SIP carrier: plain RTP/AVP with G.711 (RFC 3550, RFC 3551), on asyncio.

A Carrier binds an even RTP port and the RTCP port above it, speaks the offer/answer a carrier's SBC would
(PCMU, PCMA, telephone-event, 20 ms; or only one of the G.711 laws, and a ptime of 10/30/40 ms), sends a tone (or
echoes what it hears) as packets of its ptime with an RTCP SR about every second, and records everything it
receives: packet counts, payload types, the decoded audio of each source in sequence order (G.711 packets of any
size, by payload type), RFC 4733 events, and the RTCP it gets (count, packet types, the datagrams, and the sender
info of each SR).

    carrier = Carrier(tone_hz=1000, duration=10)
    await carrier.start()
    offer = carrier.offer_sdp()          # or carrier.answer_sdp(their_offer)
    carrier.set_remote(their_answer)     # where to send; sending starts here
    ...
    audio = carrier.received_audio()     # int16 at 8000 Hz
    await carrier.stop()
"""

import asyncio
import collections
import errno
import itertools
import random
import re
import socket
import struct
import time
import warnings

import numpy as np

with warnings.catch_warnings():
    # audioop is deprecated (PEP 594) but still in 3.11, and Debian's aiortc 1.4 relies on it too.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

SAMPLE_RATE = 8000
PACKET_SECONDS = 0.020  # the default ptime
SAMPLES_PER_PACKET = 160
PTIMES_MS = (10, 20, 30, 40, 60)
RTCP_INTERVAL_PACKETS = 50  # ~1 s; RFC 3550 section 6.2 allows a fixed interval at this bandwidth
TELEPHONE_EVENT_PAYLOAD_TYPE = 101
DTMF_EVENT_CODES = "0123456789*#ABCD"  # RFC 4733 section 3.2
END_PACKETS = 3  # the end of an event goes three times (RFC 4733 section 2.5.1.4)
ECHO_PREFETCH_SAMPLES = 2 * SAMPLES_PER_PACKET
ECHO_MAX_SAMPLES = 10 * SAMPLES_PER_PACKET
BIND_ATTEMPTS = 200
NTP_UNIX_OFFSET = 2208988800  # seconds from 1900-01-01 to 1970-01-01

_G711 = {
    "PCMU": (audioop.lin2ulaw, audioop.ulaw2lin, 0xFF),
    "PCMA": (audioop.lin2alaw, audioop.alaw2lin, 0xD5),
}
_STATIC_PAYLOAD_TYPES = {0: ("PCMU", 8000), 8: ("PCMA", 8000)}  # RFC 3551 section 6
_REVERSED_DIRECTION = {"sendrecv": "sendrecv", "sendonly": "recvonly", "recvonly": "sendonly", "inactive": "inactive"}
_session_ids = itertools.count(int(time.time()) % 1000000 * 1000)

# One RFC 4733 packet: its event payload (section 2.3), with the RTP marker and payload type it came with.
TelephoneEvent = collections.namedtuple(
    "TelephoneEvent", "ssrc timestamp event end volume duration marker payload_type", defaults=(False, None)
)
ReceivedPacket = collections.namedtuple(
    "ReceivedPacket", "source ssrc payload_type sequence timestamp marker payload_size arrival"
)
# The sender info of an SR (RFC 3550 section 6.4.1) and when it arrived (time.monotonic(), as ReceivedPacket's).
SenderReport = collections.namedtuple(
    "SenderReport", "ssrc ntp_timestamp rtp_timestamp packet_count octet_count arrival"
)


class RemoteMedia:
    """The audio line of an SDP as a carrier reads it: where to send RTP and RTCP, which formats, which direction."""

    def __init__(self, text):
        session_address = None
        media_address = None
        self.port = None
        self.proto = None
        self.formats = []
        self.rtpmaps = {}
        self.rtcp_port = None
        self.rtcp_address = None
        self.direction = "sendrecv"
        self.rtcp_mux = False
        in_media = in_audio = False
        for line in re.split(r"\r?\n", text):
            kind, _, value = line.partition("=")
            if kind == "m":
                media_type, port, proto, *formats = value.split()
                in_media = True
                in_audio = media_type == "audio" and self.port is None  # the first audio line only
                if in_audio:
                    self.port = int(port.split("/")[0])
                    self.proto = proto
                    self.formats = [int(f) for f in formats]
            elif kind == "c":
                address = value.split()[2].split("/")[0]
                if not in_media:
                    session_address = address
                elif in_audio:
                    media_address = address
            elif kind == "a" and not in_media and value in _REVERSED_DIRECTION:
                self.direction = value  # session-level default (RFC 8866 section 6.7)
            elif kind == "a" and in_audio:
                name, _, argument = value.partition(":")
                if name == "rtpmap":
                    payload_type, encoding = argument.split(None, 1)
                    encoding_name, clock_rate, *_ = encoding.split("/") + [""]
                    self.rtpmaps[int(payload_type)] = (encoding_name.upper(), int(clock_rate or 0))
                elif name == "rtcp":
                    words = argument.split()
                    self.rtcp_port = int(words[0])
                    if len(words) >= 4:
                        self.rtcp_address = words[3]
                elif name == "rtcp-mux":
                    self.rtcp_mux = True
                elif name in _REVERSED_DIRECTION:
                    self.direction = name
        if self.port is None:
            raise ValueError("no m=audio line in SDP")
        self.address = media_address or session_address
        if self.address is None:
            raise ValueError("no c= line for the audio in SDP")
        if self.rtcp_address is None:
            self.rtcp_address = self.address
        if self.rtcp_port is None:
            self.rtcp_port = self.port + 1  # RFC 3550 section 11

    def encoding(self, payload_type):
        """(name, clock rate) of a payload type of the audio line, from a=rtpmap or the static table."""
        return self.rtpmaps.get(payload_type) or _STATIC_PAYLOAD_TYPES.get(payload_type)

    def payload_type_of(self, name, clock_rate=8000):
        """The first payload type of the m= line with that encoding, or None."""
        for payload_type in self.formats:
            if self.encoding(payload_type) == (name, clock_rate):
                return payload_type
        return None

    @property
    def on_hold(self):
        return self.port == 0 or self.address in ("0.0.0.0", "::")


class _Stream:
    """What arrived from one SSRC: payloads by extended sequence number (RFC 3550 appendix A.1) and jitter (A.8)."""

    def __init__(self, ssrc, sequence):
        self.ssrc = ssrc
        self.base_sequence = sequence
        self.max_sequence = sequence
        self.cycles = 0
        self.received = 0
        self.audio = {}
        self.jitter = 0.0
        self.last_transit = None
        self.expected_prior = 0
        self.received_prior = 0

    def extend(self, sequence):
        """The extended sequence number of `sequence`, updating the highest one seen."""
        delta = (sequence - self.max_sequence) & 0xFFFF
        if delta < 0x8000:  # in order (or a small jump forward)
            if sequence < self.max_sequence:
                self.cycles += 0x10000
            self.max_sequence = sequence
            return self.cycles + sequence
        # late packet: it belongs to the current cycle unless that would put it ahead of the highest
        extended = self.cycles + sequence
        return extended - 0x10000 if extended > self.cycles + self.max_sequence else extended

    def update_jitter(self, rtp_timestamp, arrival_seconds):
        transit = arrival_seconds * SAMPLE_RATE - rtp_timestamp
        if self.last_transit is not None:
            difference = abs(transit - self.last_transit)
            self.jitter += (difference - self.jitter) / 16.0
        self.last_transit = transit

    @property
    def extended_max(self):
        return self.cycles + self.max_sequence

    def report_block(self, last_sr, last_sr_arrival):
        """An RTCP reception report block (RFC 3550 section 6.4.1) about this source."""
        expected = self.extended_max - self.base_sequence + 1
        lost = max(expected - self.received, 0)
        expected_interval = expected - self.expected_prior
        lost_interval = expected_interval - (self.received - self.received_prior)
        self.expected_prior, self.received_prior = expected, self.received
        fraction = (lost_interval << 8) // expected_interval if expected_interval > 0 and lost_interval > 0 else 0
        delay = 0
        if last_sr:
            delay = int((time.monotonic() - last_sr_arrival) * 65536) & 0xFFFFFFFF
        return struct.pack(
            "!IIIIII",
            self.ssrc,
            (min(fraction, 255) << 24) | min(lost, 0x7FFFFF),
            self.extended_max & 0xFFFFFFFF,
            int(self.jitter) & 0xFFFFFFFF,
            last_sr,
            delay,
        )


async def wait_until(event, condition, timeout):
    """Waits until condition() holds, checking it each time `event` is set (the event is cleared before each wait);
    its last value once `timeout` seconds have passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        remaining = deadline - loop.time()
        if remaining <= 0:
            return False
        event.clear()
        try:
            await asyncio.wait_for(event.wait(), remaining)
        except asyncio.TimeoutError:
            return condition()
    return True


class Datagrams(asyncio.DatagramProtocol):
    def __init__(self, on_datagram):
        self.on_datagram = on_datagram
        self.errors = 0

    def datagram_received(self, data, addr):
        self.on_datagram(data, addr)

    def error_received(self, exc):
        # ICMP port unreachable from a peer that is not listening (yet); the next packet may get through.
        self.errors += 1


class Carrier:
    """A plain-RTP party on `host`: offers or answers G.711, sends `tone_hz` (or, with echo=True, what it hears)
    for `duration` seconds once it knows where to send, and records what it receives.

    law: None (offer PCMU and PCMA, answer PCMU if offered, else PCMA) or "PCMU" / "PCMA" (offer and accept only
    that one). events: offer and accept telephone-event/8000. ptime_ms: the packet duration it announces (a=ptime) and sends (10, 20, 30, 40 or 60)."""

    def __init__(self, host="127.0.0.1", tone_hz=1000.0, echo=False, duration=30.0, amplitude=0.5, law=None,
                 ptime_ms=20, events=True):
        if law not in (None, *_G711):
            raise ValueError(f"law {law!r}: None, 'PCMU' or 'PCMA'")
        if ptime_ms not in PTIMES_MS:
            raise ValueError(f"ptime {ptime_ms} ms: one of {PTIMES_MS}")
        self.law = law
        self.events = events  # telephone-event/8000 offered and accepted (False: a carrier that takes DTMF in-band)
        self.ptime_ms = ptime_ms
        self.packet_seconds = ptime_ms / 1000.0
        self.samples_per_packet = SAMPLE_RATE * ptime_ms // 1000
        self._rtcp_interval_packets = round(RTCP_INTERVAL_PACKETS * PACKET_SECONDS / self.packet_seconds)  # ~1 s
        self.host = host
        self.tone_hz = tone_hz
        self.echo = echo
        self.duration = duration
        self.amplitude = amplitude
        self.rtp_port = None
        self.rtcp_port = None
        self.remote = None
        self.ssrc = random.getrandbits(32)
        self.cname = f"carrier-{self.ssrc:08x}@{host}"
        self.codec = None  # "PCMU" or "PCMA" once negotiated
        self.send_payload_type = None
        self.packets_sent = 0
        self.rtcp_sent = 0
        self.packets_received = 0
        self.payload_types = collections.Counter()
        self.received_packets = []
        self.telephone_events = []
        self.rtcp_received = 0
        self.rtcp_types = collections.Counter()
        self.rtcp_packets = []
        self.sender_reports = []
        self.rtcp_on_rtp_port = 0
        self.rtp_sources = set()
        self._local_payload_types = {}
        self._session_id = next(_session_ids)
        self._sdp_version = 0
        self._streams = {}
        self._last_sr = 0
        self._last_sr_arrival = 0.0
        self._echo_buffer = bytearray()
        self._echo_playing = False
        self._sequence_base = random.getrandbits(16)
        self._timestamp_base = random.getrandbits(32)
        self._octets_sent = 0
        self._rtp_transport = None
        self._rtcp_transport = None
        self._send_task = None
        self._audio_event = asyncio.Event()
        self._next_tick = 0  # of the send loop: where a dialed digit can start
        self._dialed = []  # (first tick, last tick, event code): RFC 4733 events that replace the audio
        self._pauses = []  # (first tick, last tick): nothing is sent, the clock runs on
        self._resumed = False  # a pause ended: the next packet is marked
        self.last_sent_at = None  # time.monotonic() of the last RTP packet sent

    # --- life cycle -------------------------------------------------------------------------------------------

    async def start(self):
        """Bind the RTP (even) and RTCP (RTP + 1) sockets on `host`."""
        rtp_socket, rtcp_socket = _bind_even_pair(self.host)
        self.rtp_port = rtp_socket.getsockname()[1]
        self.rtcp_port = self.rtp_port + 1
        loop = asyncio.get_running_loop()
        self._rtp_transport, _ = await loop.create_datagram_endpoint(
            lambda: Datagrams(self._rtp_received), sock=rtp_socket
        )
        self._rtcp_transport, _ = await loop.create_datagram_endpoint(
            lambda: Datagrams(self._rtcp_received), sock=rtcp_socket
        )
        return self

    async def stop(self):
        """Stop sending and close both sockets (idempotent)."""
        if self._send_task is not None:
            self._send_task.cancel()
            try:
                await self._send_task
            except asyncio.CancelledError:
                pass
            self._send_task = None
        for transport in (self._rtp_transport, self._rtcp_transport):
            if transport is not None:
                transport.close()
        self._rtp_transport = self._rtcp_transport = None

    async def __aenter__(self):
        return await self.start()

    async def __aexit__(self, *exc):
        await self.stop()

    @property
    def sending(self):
        return self._send_task is not None and not self._send_task.done()

    # --- offer / answer (RFC 3264) ------------------------------------------------------------------------------

    def offer_sdp(self):
        """An offer as a carrier's SBC sends it: PCMU, PCMA (or only its `law`) and telephone-event at its ptime,
        RTCP on port + 1."""
        self._require_started()
        laws = [(payload_type, name) for payload_type, (name, _) in _STATIC_PAYLOAD_TYPES.items()]
        laws = [(payload_type, name) for payload_type, name in laws if self.law in (None, name)]
        self._local_payload_types = dict(laws)
        formats = [(payload_type, f"{name}/8000") for payload_type, name in laws]
        if self.events:
            self._local_payload_types[TELEPHONE_EVENT_PAYLOAD_TYPE] = "telephone-event"
            formats.append((TELEPHONE_EVENT_PAYLOAD_TYPE, "telephone-event/8000"))
        return self._sdp(formats, "sendrecv")

    def answer_sdp(self, offer_sdp):
        """The answer to `offer_sdp`: PCMU (else PCMA) and telephone-event if offered, with the offer's payload
        types. Raises ValueError if the offer has no G.711 audio. Call set_remote(offer_sdp) to start sending."""
        self._require_started()
        offer = RemoteMedia(offer_sdp)
        if offer.port == 0:
            raise ValueError("the offer rejects its audio line (port 0)")
        for name in [law for law in ("PCMU", "PCMA") if self.law in (None, law)]:
            payload_type = offer.payload_type_of(name)
            if payload_type is not None:
                break
        else:
            raise ValueError(f"no {self.law or 'PCMU or PCMA'} in the offer's formats {offer.formats}")
        self.codec, self.send_payload_type = name, payload_type
        formats = [(payload_type, f"{name}/8000")]
        self._local_payload_types = {payload_type: name}
        event_payload_type = offer.payload_type_of("TELEPHONE-EVENT")
        if event_payload_type is not None and self.events:
            formats.append((event_payload_type, "telephone-event/8000"))
            self._local_payload_types[event_payload_type] = "telephone-event"
        return self._sdp(formats, _REVERSED_DIRECTION[offer.direction])

    def set_remote(self, sdp):
        """Learn where to send from the peer's SDP (its answer, or the offer this carrier answered) and start
        sending; called again (a re-offer), it only changes where and whether to send."""
        self._require_started()
        remote = RemoteMedia(sdp)
        if self.codec is None or remote.payload_type_of(self.codec) is None:
            for payload_type in remote.formats:
                encoding = remote.encoding(payload_type)
                if encoding and encoding[0] in _G711 and encoding[1] == SAMPLE_RATE and self.law in (None, encoding[0]):
                    self.codec, self.send_payload_type = encoding[0], payload_type
                    break
            else:
                raise ValueError(f"no {self.law or 'PCMU or PCMA'} in the remote formats {remote.formats}")
        else:
            self.send_payload_type = remote.payload_type_of(self.codec)
        for payload_type in remote.formats:
            encoding = remote.encoding(payload_type)
            if encoding and payload_type not in self._local_payload_types:
                self._local_payload_types[payload_type] = encoding[0] if encoding[0] in _G711 else encoding[0].lower()
        self.remote = remote
        if self._send_task is None:
            self._send_task = asyncio.get_running_loop().create_task(self._send_loop())

    @property
    def may_send(self):
        """RFC 3264 section 5.1: not to a peer that is on hold, sendonly or inactive."""
        return (
            self.remote is not None and not self.remote.on_hold and self.remote.direction in ("sendrecv", "recvonly")
        )

    def dial(self, digits, tone_ms=100, gap_ms=100):
        """Sends `digits` (0-9, *, #, A-D) as RFC 4733 telephone-event on the negotiated payload type, from the next
        packet on, each `tone_ms` long and `gap_ms` after the one before, in place of the audio while it lasts (as an
        SBC that takes DTMF out of band does); the end packet goes three times (RFC 4733 section 2.5.1.4).
        Returns the seconds the digits take."""
        if self.remote is None or self.remote.payload_type_of("TELEPHONE-EVENT") is None:
            raise ValueError("telephone-event is not negotiated")
        ticks = max(tone_ms // self.ptime_ms, 1)
        start = self._next_tick + 1
        for digit in digits:
            code = DTMF_EVENT_CODES.index(digit)
            self._dialed.append((start, start + ticks + END_PACKETS - 2, code))
            start += ticks + END_PACKETS - 1 + max(gap_ms // self.ptime_ms, 1)
        return (start - self._next_tick) * self.packet_seconds

    def pause(self, seconds):
        """Sends nothing for `seconds` from the next packet on, its clock running on (a phone that stops talking
        and suppresses its silence, a one-way announcement on the other side); the first packet after it is marked
        (RFC 3551 section 4.1). Returns time.monotonic() of the last packet sent before it."""
        first = self._next_tick + 1
        self._pauses.append((first, first + max(int(round(seconds / self.packet_seconds)), 1) - 1))
        return self.last_sent_at

    # --- what was received --------------------------------------------------------------------------------------

    def received_audio(self):
        """The decoded audio (int16, 8000 Hz): each source in the order it first appeared, its packets in
        sequence order; lost packets leave no gap."""
        chunks = []
        for stream in self._streams.values():
            chunks += [stream.audio[sequence] for sequence in sorted(stream.audio)]
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(chunks)

    @property
    def received_seconds(self):
        samples = sum(chunk.size for stream in self._streams.values() for chunk in stream.audio.values())
        return samples / SAMPLE_RATE

    async def wait_for_audio(self, seconds, timeout):
        """Wait until at least `seconds` of audio arrived; False if `timeout` passed first."""
        return await wait_until(self._audio_event, lambda: self.received_seconds >= seconds, timeout)

    # --- receiving ------------------------------------------------------------------------------------------------

    def _rtp_received(self, data, source):
        if len(data) >= 2 and 192 <= data[1] <= 223:  # RTCP sent to the RTP port (RFC 5761 section 4)
            self.rtcp_on_rtp_port += 1
            return
        header = parse_rtp(data)
        if header is None:
            return
        marker, payload_type, sequence, timestamp, ssrc, payload = header
        arrival = time.monotonic()
        self.packets_received += 1
        self.payload_types[payload_type] += 1
        self.rtp_sources.add(source[:2])
        self.received_packets.append(
            ReceivedPacket(source[:2], ssrc, payload_type, sequence, timestamp, marker, len(payload), arrival)
        )
        stream = self._streams.get(ssrc)
        if stream is None:
            stream = self._streams[ssrc] = _Stream(ssrc, sequence)
        extended = stream.extend(sequence)
        stream.received += 1
        stream.update_jitter(timestamp, arrival)
        encoding = self._local_payload_types.get(payload_type) or _STATIC_PAYLOAD_TYPES.get(payload_type, ("",))[0]
        if encoding in _G711:
            linear = _G711[encoding][1](payload, 2)
            stream.audio[extended] = np.frombuffer(linear, dtype=np.int16)
            if self.echo:
                self._echo_buffer += linear
                del self._echo_buffer[: max(len(self._echo_buffer) - 2 * ECHO_MAX_SAMPLES, 0)]
            self._audio_event.set()
        elif encoding == "telephone-event" and len(payload) >= 4:
            event, flags, duration = struct.unpack("!BBH", payload[:4])  # RFC 4733 section 2.3
            self.telephone_events.append(
                TelephoneEvent(ssrc, timestamp, event, bool(flags & 0x80), flags & 0x3F, duration, marker, payload_type)
            )

    def _rtcp_received(self, data, source):
        if len(data) < 8 or data[0] >> 6 != 2:
            return
        self.rtcp_received += 1
        self.rtcp_types[data[1]] += 1
        self.rtcp_packets.append(bytes(data))
        if data[1] == 200 and len(data) >= 28:  # SR: remember LSR for our report blocks (RFC 3550 section 6.4.1)
            ssrc, ntp_seconds, ntp_fraction, rtp_timestamp, packet_count, octet_count = struct.unpack(
                "!IIIIII", data[4:28]
            )
            self._last_sr = ((ntp_seconds & 0xFFFF) << 16) | (ntp_fraction >> 16)
            self._last_sr_arrival = time.monotonic()
            self.sender_reports.append(
                SenderReport(ssrc, (ntp_seconds << 32) | ntp_fraction, rtp_timestamp, packet_count, octet_count,
                             self._last_sr_arrival)
            )

    # --- sending --------------------------------------------------------------------------------------------------

    async def _send_loop(self):
        loop = asyncio.get_running_loop()
        total = max(int(round(self.duration / self.packet_seconds)), 0)
        start = loop.time()
        tick = 0
        for _ in range(total):
            delay = start + tick * self.packet_seconds - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.1:
                tick = int((loop.time() - start) / self.packet_seconds)  # stalled: skip, as after silence suppression
            if tick >= total:
                break
            self._next_tick = tick
            if self.may_send and self._rtp_transport is not None:
                self._send_packet(tick)
                if self.packets_sent % self._rtcp_interval_packets == 1:
                    self._send_sender_report(tick)
            tick += 1

    def _send_packet(self, tick):
        self._pauses = [pause for pause in self._pauses if pause[1] >= tick]
        if self._pauses and self._pauses[0][0] <= tick:
            self._resumed = True
            return
        if self._send_event(tick):
            return
        encode, _, silence = _G711[self.codec]
        linear = self._echo_samples() if self.echo else self._tone_samples(tick)
        payload = encode(linear, 2) if linear is not None else bytes([silence]) * self.samples_per_packet
        # marker: the start of a talkspurt
        marker = self.packets_sent == 0 or self._resumed
        self._resumed = False
        self._send_rtp(marker, self.send_payload_type, tick * self.samples_per_packet, payload)

    def _send_rtp(self, marker, payload_type, timestamp, payload):
        packet = struct.pack(
            "!BBHII",
            0x80,
            (0x80 if marker else 0) | payload_type,
            (self._sequence_base + self.packets_sent) & 0xFFFF,
            (self._timestamp_base + timestamp) & 0xFFFFFFFF,
            self.ssrc,
        )
        self._rtp_transport.sendto(packet + payload, (self.remote.address, self.remote.port))
        self.last_sent_at = time.monotonic()
        self.packets_sent += 1
        self._octets_sent += len(payload)

    def _send_event(self, tick):
        """The packet of a dialed digit due at `tick`, if there is one: sent, True."""
        self._dialed = [event for event in self._dialed if event[1] >= tick]
        if not self._dialed or self._dialed[0][0] > tick:
            return False
        first, last, code = self._dialed[0]
        ticks = last - first + 1 - (END_PACKETS - 1)  # of the tone; then the end packet twice more
        end = tick >= first + ticks - 1
        duration = min(tick - first + 1, ticks) * self.samples_per_packet
        payload = struct.pack("!BBH", code, (0x80 if end else 0) | 10, duration)  # E bit, volume -10 dBm0
        self._send_rtp(tick == first, self.remote.payload_type_of("TELEPHONE-EVENT"), first * self.samples_per_packet,
                       payload)
        return True

    def _tone_samples(self, tick):
        index = tick * self.samples_per_packet + np.arange(self.samples_per_packet)
        wave = self.amplitude * 32767.0 * np.sin(2.0 * np.pi * self.tone_hz * index / SAMPLE_RATE)
        return np.round(wave).astype(np.int16).tobytes()

    def _echo_samples(self):
        """The oldest ptime heard, once a small prefetch has built up (a minimal jitter buffer); None: silence."""
        needed = 2 * self.samples_per_packet
        if not self._echo_playing and len(self._echo_buffer) >= 2 * ECHO_PREFETCH_SAMPLES:
            self._echo_playing = True
        if not self._echo_playing or len(self._echo_buffer) < needed:
            self._echo_playing = False
            return None
        samples = bytes(self._echo_buffer[:needed])
        del self._echo_buffer[:needed]
        return samples

    def _send_sender_report(self, tick):
        now = time.time() + NTP_UNIX_OFFSET
        ntp_seconds = int(now)
        ntp_fraction = int((now - ntp_seconds) * (1 << 32)) & 0xFFFFFFFF
        blocks = b""
        if self._streams:
            stream = next(reversed(self._streams.values()))  # the newest source
            blocks = stream.report_block(self._last_sr, self._last_sr_arrival)
        sender_info = struct.pack(
            "!IIIII",
            ntp_seconds & 0xFFFFFFFF,
            ntp_fraction,
            (self._timestamp_base + tick * self.samples_per_packet) & 0xFFFFFFFF,
            self.packets_sent & 0xFFFFFFFF,
            self._octets_sent & 0xFFFFFFFF,
        )
        body = struct.pack("!I", self.ssrc) + sender_info + blocks
        report = struct.pack("!BBH", 0x80 | (len(blocks) // 24), 200, len(body) // 4) + body
        compound = report + _sdes_cname(self.ssrc, self.cname)  # RFC 3550 section 6.1: SR/RR first, then CNAME
        self._rtcp_transport.sendto(compound, (self.remote.rtcp_address, self.remote.rtcp_port))
        self.rtcp_sent += 1

    # --- helpers ---------------------------------------------------------------------------------------------------

    def _sdp(self, formats, direction):
        family = "IP6" if ":" in self.host else "IP4"
        self._sdp_version += 1
        lines = [
            "v=0",
            f"o=- {self._session_id} {self._sdp_version} IN {family} {self.host}",
            "s=-",
            f"c=IN {family} {self.host}",
            "t=0 0",
            f"m=audio {self.rtp_port} RTP/AVP {' '.join(str(payload_type) for payload_type, _ in formats)}",
        ]
        for payload_type, encoding in formats:
            lines.append(f"a=rtpmap:{payload_type} {encoding}")
            if encoding.startswith("telephone-event"):
                lines.append(f"a=fmtp:{payload_type} 0-16")
        lines += [f"a=ptime:{self.ptime_ms}", f"a={direction}"]
        return "\r\n".join(lines) + "\r\n"

    def _require_started(self):
        if self._rtp_transport is None:
            raise RuntimeError("Carrier.start() first")


def parse_rtp(data):
    """(marker, payload type, sequence, timestamp, ssrc, payload) of an RTP packet, or None if it is not one."""
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    first, second, sequence, timestamp, ssrc = struct.unpack("!BBHII", data[:12])
    offset = 12 + 4 * (first & 0x0F)
    if first & 0x10:  # header extension (RFC 3550 section 5.3.1)
        if len(data) < offset + 4:
            return None
        offset += 4 + 4 * struct.unpack("!H", data[offset + 2 : offset + 4])[0]
    end = len(data)
    if first & 0x20 and end > offset:
        end -= data[-1]
    if end < offset:
        return None
    return bool(second & 0x80), second & 0x7F, sequence, timestamp, ssrc, bytes(data[offset:end])


def _sdes_cname(ssrc, cname):
    """An RTCP SDES packet with one CNAME chunk (RFC 3550 section 6.5), padded to 32 bits."""
    text = cname.encode()
    chunk = struct.pack("!IBB", ssrc, 1, len(text)) + text + b"\x00"
    chunk += b"\x00" * (-len(chunk) % 4)
    return struct.pack("!BBH", 0x81, 202, len(chunk) // 4) + chunk


def _bind_even_pair(host):
    """Non-blocking UDP sockets on an even port and the port above it (RFC 3550 section 11)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(BIND_ATTEMPTS):
        rtp = socket.socket(family, socket.SOCK_DGRAM)
        rtp.bind((host, 0))
        port = rtp.getsockname()[1]
        if port % 2 == 0 and port < 65535:
            rtcp = socket.socket(family, socket.SOCK_DGRAM)
            try:
                rtcp.bind((host, port + 1))
            except OSError as error:
                rtcp.close()
                if error.errno != errno.EADDRINUSE:
                    rtp.close()
                    raise
            else:
                rtp.setblocking(False)
                rtcp.setblocking(False)
                return rtp, rtcp
        rtp.close()
    raise RuntimeError(f"no free even/odd port pair on {host} after {BIND_ATTEMPTS} attempts")
