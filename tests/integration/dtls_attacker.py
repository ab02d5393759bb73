"""An off-path sender toward a WebRTC party's port of rtcgated: it knows the port (it can scan for it) but not the ICE
password, and sends from its own loopback socket what could break the party's DTLS handshake.

    attacker = Attacker(("127.0.0.1", port))
    task = asyncio.ensure_future(attacker.keep_sending("alerts"))   # until attacker.stop()
    ...
    attacker.stop(); await task
    attacker.sent, attacker.received                                # datagrams out, and what came back

Kinds (KINDS):
- "client-hello": a real DTLS 1.2 ClientHello (pyOpenSSL, as aiortc makes them), a new one each time;
- "alerts": plaintext fatal and close_notify alerts, at the epochs and sequence numbers a peer would use;
- "garbage": records with DTLS headers and random bodies (handshake, change_cipher_spec, encrypted epoch 1) and
  random datagrams whose first byte says DTLS;
- "handshake": a complete DTLS client (pyOpenSSL, its own certificate) that answers whatever comes back and
  retransmits, as a foreign party trying to finish a handshake of its own on the port;
- "srtp": RTP headers (PCMU, the sequence counting up) with random bodies, as SRTP that does not authenticate.

Everything it receives is counted: rtcgated must send a stranger nothing (no ServerHello, no ClientHello).
"""

import asyncio
import os
import random
import socket
import struct

from aiortc.rtcdtlstransport import RTCCertificate
from OpenSSL import SSL

KINDS = ("client-hello", "alerts", "garbage", "handshake", "srtp")
INTERVAL = 0.02  # seconds between bursts


def dtls_record(content_type, epoch, sequence, body):
    """An RFC 6347 section 4.1 record: DTLS 1.2, 48-bit sequence number."""
    return struct.pack("!BHHHI H", content_type, 0xFEFD, epoch, sequence >> 32, sequence & 0xFFFFFFFF,
                       len(body)) + body


class _DtlsClient:
    """pyOpenSSL's DTLS client over memory BIOs."""

    def __init__(self):
        self.ssl = SSL.Connection(RTCCertificate.generateCertificate()._create_ssl_context())
        self.ssl.set_connect_state()

    def step(self, incoming=None):
        """Feeds `incoming` (one datagram) and returns what the client sends now."""
        if incoming is not None:
            self.ssl.bio_write(incoming)
        try:
            self.ssl.do_handshake()
        except SSL.WantReadError:
            pass
        except SSL.Error:
            return []
        out = []
        while True:
            try:
                out.append(self.ssl.bio_read(1500))
            except SSL.WantReadError:
                return out


class Attacker:
    def __init__(self, target, seed=1):
        self.target = target
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.random = random.Random(seed)
        self.sent = 0
        self.received = []
        self._stopped = asyncio.Event()
        self._client = None
        self._flight = []
        self._sequence = 0

    def close(self):
        self.sock.close()

    def stop(self):
        self._stopped.set()

    def _send(self, datagram):
        try:
            self.sock.sendto(datagram, self.target)
            self.sent += 1
        except BlockingIOError:
            pass

    def _drain(self):
        """What came back since the last burst, counted and returned."""
        datagrams = []
        while True:
            try:
                data, _ = self.sock.recvfrom(4096)
            except BlockingIOError:
                break
            self.received.append(data)
            datagrams.append(data)
        return datagrams

    def burst(self, kind):
        """One round of `kind`."""
        replies = self._drain()
        if kind == "client-hello":
            for datagram in _DtlsClient().step():
                self._send(datagram)
        elif kind == "alerts":
            for epoch, sequence in ((0, 0), (0, 1), (0, 5), (1, 0)):
                self._send(dtls_record(21, epoch, sequence, bytes([2, 40])))  # fatal handshake_failure
                self._send(dtls_record(21, epoch, sequence, bytes([1, 0])))  # close_notify
        elif kind == "garbage":
            rng = self.random
            for content_type, epoch in ((22, 0), (22, 1), (20, 0), (23, 1)):
                self._send(dtls_record(content_type, epoch, rng.randrange(8), os.urandom(rng.randrange(1, 200))))
            # A handshake record whose fragment header is consistent: a message of a random type and sequence.
            body = os.urandom(rng.randrange(0, 100))
            fragment = struct.pack("!B3sH3s3s", rng.randrange(256), len(body).to_bytes(3, "big"), rng.randrange(4),
                                   (0).to_bytes(3, "big"), len(body).to_bytes(3, "big")) + body
            self._send(dtls_record(22, 0, rng.randrange(8), fragment))
            self._send(bytes([rng.randrange(20, 64)]) + os.urandom(rng.randrange(0, 300)))
        elif kind == "handshake":
            if self._client is None:
                self._client = _DtlsClient()
                self._flight = self._client.step()
            for reply in replies:
                self._flight = self._client.step(reply) or self._flight
            for datagram in self._flight:  # the flight, or its retransmission while nothing answers
                self._send(datagram)
        elif kind == "srtp":
            for _ in range(3):
                self._sequence = (self._sequence + 1) & 0xFFFF
                header = struct.pack("!BBHII", 0x80, 0, self._sequence, self._sequence * 160, 0x5EC12E7)
                self._send(header + os.urandom(170))
        else:
            raise ValueError(f"unknown attack {kind!r}")

    async def keep_sending(self, kind, limit=30.0):
        """Bursts of `kind` every INTERVAL until stop() (or `limit` seconds, a bound for a test that forgets)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while not self._stopped.is_set() and loop.time() < deadline:
            self.burst(kind)
            try:
                await asyncio.wait_for(self._stopped.wait(), INTERVAL)
            except asyncio.TimeoutError:
                pass
        self._drain()
