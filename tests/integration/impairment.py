"""An impairment relay for the integration tests: a UDP hop on loopback between aiortc and rtcgated's browser-side
port that loses, delays and so reorders the browser's RTP, as a lossy access network would, so that the gateway's
jitter buffer, Opus FEC and PLC have something to repair.

    relay = ImpairmentRelay(target=sdp_media_target(answer), loss=0.1, seed=1)
    await relay.start()
    await browser.accept_answer(route_sdp_through(answer, relay.browser_port))
    ...
    relay.dropped, relay.delayed, relay.reordered
    await relay.close()

The browser is told about `browser_port` only; the relay forwards what it gets there to rtcgated from a second socket,
and what rtcgated sends to that socket back to the browser from `browser_port`. rtcgated is ICE-lite and answers a
check to where it came from, so the whole 5-tuple (ICE, DTLS, SRTP, SRTCP) runs through the relay. Only RTP from the
browser toward rtcgated is impaired (RFC 7983 section 7: first byte 128..191; RFC 5761 section 4: a second byte of
200..206 is RTCP, which passes like STUN and DTLS, untouched and at once).
"""

import asyncio
import dataclasses
import random
import re
import socket

RTCP_PACKET_TYPES = range(200, 207)  # SR, RR, SDES, BYE, APP, RTPFB, PSFB


def is_rtp(data):
    """Whether a datagram of the muxed 5-tuple is (S)RTP rather than STUN, DTLS or (S)RTCP."""
    return len(data) >= 12 and 128 <= data[0] <= 191 and data[1] not in RTCP_PACKET_TYPES


def rtp_sequence(data):
    return int.from_bytes(data[2:4], "big")  # SRTP leaves the header in the clear (RFC 3711 section 3.1)


@dataclasses.dataclass(frozen=True)
class GilbertElliott:
    """The two-state burst loss model: per packet, Good -> Bad with `good_to_bad`, Bad -> Good with `bad_to_good`,
    then loss with `loss_in_bad` (Bad) or `loss_in_good` (Good). The mean loss rate is
    (good_to_bad * loss_in_bad + bad_to_good * loss_in_good) / (good_to_bad + bad_to_good); the mean burst length
    (loss_in_bad 1) is 1 / bad_to_good packets."""

    good_to_bad: float
    bad_to_good: float
    loss_in_bad: float = 1.0
    loss_in_good: float = 0.0

    @property
    def mean_loss(self):
        total = self.good_to_bad + self.bad_to_good
        return (self.good_to_bad * self.loss_in_bad + self.bad_to_good * self.loss_in_good) / total


class LossModel:
    """Seeded packet loss: independent with probability `loss`, or bursty with a GilbertElliott `burst` (not both)."""

    def __init__(self, loss=0.0, burst=None, seed=0):
        if loss and burst is not None:
            raise ValueError("random loss or burst loss, not both")
        self.loss = loss
        self.burst = burst
        self._random = random.Random(seed)
        self._bad = False

    def drops(self):
        """Whether the next packet is lost."""
        if self.burst is None:
            return self.loss > 0.0 and self._random.random() < self.loss
        flip = self.burst.bad_to_good if self._bad else self.burst.good_to_bad
        if self._random.random() < flip:
            self._bad = not self._bad
        loss = self.burst.loss_in_bad if self._bad else self.burst.loss_in_good
        return self._random.random() < loss


class _Endpoint(asyncio.DatagramProtocol):
    def __init__(self, on_datagram):
        self.on_datagram = on_datagram

    def datagram_received(self, data, addr):
        self.on_datagram(data, addr)

    def error_received(self, exc):
        pass  # ICMP port unreachable: the peer is gone (end of the test) or not listening yet


class ImpairmentRelay:
    """A loopback UDP relay toward `target` (rtcgated's browser-side address, port) that drops the browser's RTP
    with `loss` / `burst` (see LossModel) and delays each of its RTP packets by a uniform 0..`jitter_ms` (packets
    overtake each other when the jitter exceeds their spacing). Every random choice comes from `seed`.

    Counters: rtp_packets (RTP from the browser), dropped, delayed, reordered (sent after one that arrived later),
    passed (non-RTP toward rtcgated), to_browser (anything back); dropped_sequences lists the RTP sequence numbers it
    dropped."""

    def __init__(self, target, *, loss=0.0, burst=None, jitter_ms=0.0, seed=0, host="127.0.0.1"):
        self.target = (target[0], int(target[1]))
        self.host = host
        self.jitter_ms = jitter_ms
        self.browser_port = None
        self.browser_address = None
        self.rtp_packets = 0
        self.dropped = 0
        self.delayed = 0
        self.reordered = 0
        self.passed = 0
        self.to_browser = 0
        self.dropped_sequences = []
        self._loss = LossModel(loss, burst, seed)
        self._delay_random = random.Random(seed + 1)  # the loss pattern of a seed is the same with or without jitter
        self._latest_sent = -1
        self._pending = set()
        self._browser_side = None
        self._gateway_side = None

    async def start(self):
        """Bind the browser-facing and the gateway-facing sockets (ephemeral ports on `host`)."""
        loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._browser_side, _ = await loop.create_datagram_endpoint(
            lambda: _Endpoint(self._from_browser), local_addr=(self.host, 0), family=family
        )
        self._gateway_side, _ = await loop.create_datagram_endpoint(
            lambda: _Endpoint(self._from_gateway), local_addr=(self.host, 0), family=family
        )
        self.browser_port = self._browser_side.get_extra_info("sockname")[1]
        return self

    async def close(self):
        """Forget the packets still held back and close both sockets (idempotent)."""
        for handle in self._pending:
            handle.cancel()
        self._pending.clear()
        for transport in (self._browser_side, self._gateway_side):
            if transport is not None:
                transport.close()
        self._browser_side = self._gateway_side = None

    async def __aenter__(self):
        return await self.start()

    async def __aexit__(self, *exc):
        await self.close()

    @property
    def pending(self):
        """RTP packets held back by the jitter and not sent yet."""
        return len(self._pending)

    def _from_browser(self, data, source):
        self.browser_address = source
        if not is_rtp(data):
            self.passed += 1
            self._gateway_side.sendto(data, self.target)
            return
        serial = self.rtp_packets
        self.rtp_packets += 1
        if self._loss.drops():
            self.dropped += 1
            self.dropped_sequences.append(rtp_sequence(data))
            return
        delay = self._delay_random.uniform(0.0, self.jitter_ms) / 1000.0 if self.jitter_ms > 0 else 0.0
        if delay <= 0.0:
            self._send_rtp(data, serial, None)
            return
        self.delayed += 1
        handle = asyncio.get_running_loop().call_later(delay, lambda: self._send_rtp(data, serial, handle))
        self._pending.add(handle)

    def _send_rtp(self, data, serial, handle):
        self._pending.discard(handle)
        if self._gateway_side is None:
            return
        if serial < self._latest_sent:
            self.reordered += 1
        self._latest_sent = max(self._latest_sent, serial)
        self._gateway_side.sendto(data, self.target)

    def _from_gateway(self, data, source):
        if self.browser_address is not None and self._browser_side is not None:
            self.to_browser += 1
            self._browser_side.sendto(data, self.browser_address)


# --- SDP -----------------------------------------------------------------------------------------------------------

_CANDIDATE = re.compile(r"^a=candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) (typ .*)$")


def sdp_media_target(sdp):
    """(address, port) of the first host candidate of the first m=audio line: where rtcgated receives the browser."""
    for line in re.split(r"\r?\n", sdp):
        match = _CANDIDATE.match(line)
        if match and match.group(3).lower() == "udp":
            return match.group(5), int(match.group(6))
    raise ValueError(f"no UDP a=candidate in the SDP:\n{sdp}")


def route_sdp_through(sdp, relay_port, target=None):
    """`sdp` with rtcgated's `target` (default: sdp_media_target) replaced by the relay's port on the m= line, its
    a=rtcp line and its candidate; every other candidate is removed, so ICE cannot pick a pair around the relay
    (aiortc reads only a=candidate for where to send, the m= port only for show)."""
    address, port = target or sdp_media_target(sdp)
    lines = []
    for line in re.split(r"\r?\n", sdp):
        match = _CANDIDATE.match(line)
        if match:
            if (match.group(5), int(match.group(6))) != (address, port) or match.group(3).lower() != "udp":
                continue
            line = line[: match.start(6)] + str(relay_port) + line[match.end(6) :]
        elif line.startswith("m=") and line.split()[1] == str(port):
            words = line.split(" ")
            words[1] = str(relay_port)
            line = " ".join(words)
        elif line.startswith(f"a=rtcp:{port}"):
            line = f"a=rtcp:{relay_port}" + line[len(f"a=rtcp:{port}") :]
        lines.append(line)
    return "\r\n".join(lines)
