"""RTP/RTCP packets (RFC 3550) and a plain-RTP party with its RTP and RTCP sockets."""

import collections
import select
import socket
import struct
import time

RtpHeader = collections.namedtuple("RtpHeader", "version padding marker payload_type sequence timestamp ssrc payload")


def rtp_packet(sequence, timestamp, ssrc, payload, payload_type=0, marker=False):
    """An RTP packet with the 12-byte fixed header (RFC 3550 section 5.1), no CSRCs or extension."""
    first = 0x80  # version 2, no padding, no extension, CC 0
    second = (0x80 if marker else 0) | (payload_type & 0x7F)
    return struct.pack("!BBHII", first, second, sequence & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc) + bytes(payload)


def parse_rtp(data):
    if len(data) < 12:
        raise ValueError(f"RTP packet of {len(data)} bytes")
    first, second, sequence, timestamp, ssrc = struct.unpack("!BBHII", data[:12])
    csrc_count = first & 0x0F
    return RtpHeader(
        version=first >> 6,
        padding=bool(first & 0x20),
        marker=bool(second & 0x80),
        payload_type=second & 0x7F,
        sequence=sequence,
        timestamp=timestamp,
        ssrc=ssrc,
        payload=bytes(data[12 + 4 * csrc_count :]),
    )


def rtcp_receiver_report(ssrc, reportee_ssrc, highest_sequence=0, jitter=0):
    """An RTCP RR with one report block (RFC 3550 section 6.4.2)."""
    block = struct.pack("!IIIIII", reportee_ssrc, 0, highest_sequence, jitter, 0, 0)
    length_words = (8 + len(block)) // 4 - 1
    return struct.pack("!BBHI", 0x81, 201, length_words, ssrc) + block


def rtcp_sender_report(ssrc, ntp_seconds, rtp_timestamp, packets, octets):
    """An RTCP SR without report blocks (RFC 3550 section 6.4.1)."""
    body = struct.pack("!IIIII", ntp_seconds, 0, rtp_timestamp, packets, octets)
    length_words = (8 + len(body)) // 4 - 1
    return struct.pack("!BBHI", 0x80, 200, length_words, ssrc) + body


def parse_rtcp_type(data):
    """Packet type of the first RTCP packet in a compound packet (200 SR, 201 RR, ...)."""
    return data[1]


class Party:
    """One side of a call: an RTP socket on an even port and its RTCP socket on port + 1."""

    def __init__(self, address="127.0.0.1", rtcp=True):
        self.address = address
        self.rtp, self.rtcp = _bind_pair(address, rtcp)
        self.rtp_port = self.rtp.getsockname()[1]
        self.rtcp_port = self.rtp_port + 1

    def close(self):
        self.rtp.close()
        if self.rtcp is not None:
            self.rtcp.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def rtp_address(self):
        return (self.address, self.rtp_port)


def _bind_pair(address, with_rtcp, attempts=200):
    for _ in range(attempts):
        rtp = socket.socket(family_of(address), socket.SOCK_DGRAM)
        rtp.bind((address, 0))
        port = rtp.getsockname()[1]
        if not with_rtcp:
            rtp.setblocking(False)
            return rtp, None
        if port % 2 == 0 and port < 65535:
            rtcp = socket.socket(family_of(address), socket.SOCK_DGRAM)
            try:
                rtcp.bind((address, port + 1))
            except OSError:
                rtcp.close()
            else:
                rtp.setblocking(False)
                rtcp.setblocking(False)
                return rtp, rtcp
        rtp.close()
    raise RuntimeError(f"no free even/odd port pair on {address}")


def family_of(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def udp_socket(address="127.0.0.1"):
    sock = socket.socket(family_of(address), socket.SOCK_DGRAM)
    sock.bind((address, 0))
    sock.setblocking(False)
    return sock


def receive(sock, timeout):
    """(data, source) of the next datagram on `sock`, or None after `timeout` seconds."""
    ready, _, _ = select.select([sock], [], [], max(timeout, 0))
    if not ready:
        return None
    return sock.recvfrom(65536)


def receive_count(sock, count, timeout):
    """Up to `count` datagrams as [(data, source)], waiting at most `timeout` seconds in total."""
    deadline = time.monotonic() + timeout
    received = []
    while len(received) < count:
        item = receive(sock, deadline - time.monotonic())
        if item is None:
            break
        received.append(item)
    return received


def drain(sock, quiet=0.3, limit=5.0):
    """Every datagram that arrives until the socket has been quiet for `quiet` seconds
    (or `limit` seconds have passed)."""
    deadline = time.monotonic() + limit
    received = []
    while time.monotonic() < deadline:
        item = receive(sock, min(quiet, deadline - time.monotonic()))
        if item is None:
            break
        received.append(item)
    return received
