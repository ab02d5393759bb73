"""A call through rtcgate between two plain-RTP parties, A (the offerer) and B (the answerer).

rtcgate's port FOR B (B sends there) is the audio port of the SDP that `offer`
returns; its port FOR A is the audio port of the SDP that `answer` returns.
"""

import itertools

import rtp
import sdp
from ngclient import assert_ok

RTCGATE = "127.0.0.1"  # the daemon's --interface
RECEIVE_TIMEOUT = 2.0

_call_numbers = itertools.count(1)


class Call:
    def __init__(self, ng, *, a_address="127.0.0.1", b_address="127.0.0.1", rtcp=True, flags=None, name="call"):
        number = next(_call_numbers)
        self.ng = ng
        self.call_id = f"{name}-{number}@rtcgate.test"
        self.from_tag = f"a-{number}"
        self.to_tag = f"b-{number}"
        self.flags = list(flags or [])
        self.a = rtp.Party(a_address, rtcp=rtcp)
        self.b = rtp.Party(b_address, rtcp=rtcp)
        self.a_sdp_version = 0  # o= version: every SDP a party sends is a new version
        self.b_sdp_version = 0
        self.offer_sdp = None
        self.answer_sdp = None
        self.a_stream = Stream(0xA0000000 + number, tag=b"A")
        self.b_stream = Stream(0xB0000000 + number, tag=b"B")

    def close(self):
        self.a.close()
        self.b.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- signaling ---

    def offer_request(self, sdp_text=None, direction="sendrecv", re_offer=False, **sdp_options):
        if sdp_text is None:
            self.a_sdp_version += 1
            sdp_text = sdp.audio_sdp(
                self.a.address, self.a.rtp_port, direction=direction, session_id=self.a.rtp_port,
                version=self.a_sdp_version, **sdp_options)
        request = {"command": "offer", "call-id": self.call_id, "from-tag": self.from_tag, "sdp": sdp_text}
        if self.flags:
            request["flags"] = self.flags
        if re_offer:
            request["to-tag"] = self.to_tag
        return request

    def offer(self, **kwargs):
        reply = assert_ok(self.ng.request(self.offer_request(**kwargs)))
        self.offer_sdp = sdp.ParsedSdp(reply["sdp"])
        return reply

    def answer_request(self, sdp_text=None, direction="sendrecv", **sdp_options):
        if sdp_text is None:
            self.b_sdp_version += 1
            sdp_text = sdp.audio_sdp(
                self.b.address, self.b.rtp_port, direction=direction, session_id=self.b.rtp_port,
                version=self.b_sdp_version, **sdp_options)
        return {
            "command": "answer",
            "call-id": self.call_id,
            "from-tag": self.from_tag,
            "to-tag": self.to_tag,
            "sdp": sdp_text,
        }

    def answer(self, **kwargs):
        reply = assert_ok(self.ng.request(self.answer_request(**kwargs)))
        self.answer_sdp = sdp.ParsedSdp(reply["sdp"])
        return reply

    def setup(self):
        self.offer()
        self.answer()
        return self

    def query(self):
        return self.ng.request({"command": "query", "call-id": self.call_id})

    def delete(self):
        return self.ng.request({"command": "delete", "call-id": self.call_id, "from-tag": self.from_tag})

    # --- media ---

    @property
    def port_for_a(self):
        """Where A sends: the audio port of the answer's SDP."""
        return self.answer_sdp.audio_port

    @property
    def port_for_b(self):
        """Where B sends: the audio port of the offer's SDP."""
        return self.offer_sdp.audio_port

    def send_a(self, packet, rtcp=False):
        sock = self.a.rtcp if rtcp else self.a.rtp
        sock.sendto(packet, (RTCGATE, self.port_for_a + (1 if rtcp else 0)))

    def send_b(self, packet, rtcp=False):
        sock = self.b.rtcp if rtcp else self.b.rtp
        sock.sendto(packet, (RTCGATE, self.port_for_b + (1 if rtcp else 0)))

    def exchange(self, count=1, what="media"):
        """Sends `count` RTP packets each way and asserts they all arrive unchanged, in order,
        from rtcgate's port for the receiving party. Returns (packets to B, packets to A)."""
        to_b = [self.a_stream.next() for _ in range(count)]
        to_a = [self.b_stream.next() for _ in range(count)]
        for packet_to_b, packet_to_a in zip(to_b, to_a):
            self.send_a(packet_to_b)
            self.send_b(packet_to_a)
        expect_packets(self.b.rtp, to_b, (RTCGATE, self.port_for_b), what=f"{what}: A->B")
        expect_packets(self.a.rtp, to_a, (RTCGATE, self.port_for_a), what=f"{what}: B->A")
        return to_b, to_a


class Stream:
    """Numbered RTP packets from one party: distinct payloads and consecutive sequence numbers."""

    def __init__(self, ssrc, first_sequence=1000, payload_size=160, tag=b""):
        """Payloads are payload_size to payload_size + 6 bytes long, varying with the sequence number."""
        self.ssrc = ssrc
        self.sequence = first_sequence
        self.timestamp = ssrc * 7 % 100000
        self.payload_size = payload_size
        self.tag = tag

    def next(self):
        label = self.tag + b"#%d:%d|" % (self.ssrc, self.sequence)
        size = self.payload_size + self.sequence % 7
        payload = (label * (size // len(label) + 1))[:size]
        packet = rtp.rtp_packet(self.sequence, self.timestamp, self.ssrc, payload)
        self.sequence = (self.sequence + 1) & 0xFFFF
        self.timestamp = (self.timestamp + 160) & 0xFFFFFFFF
        return packet


def expect_packets(sock, packets, source, timeout=RECEIVE_TIMEOUT, what="packets"):
    """Asserts that exactly `packets` arrive on `sock`, in order, byte for byte, from `source`."""
    received = rtp.receive_count(sock, len(packets), timeout)
    extra = rtp.drain(sock, quiet=0.05)
    datas = [data for data, _ in received]
    assert len(received) == len(packets), (
        f"{what}: {len(received)} of {len(packets)} arrived at {sock.getsockname()} within {timeout} s"
    )
    assert not extra, f"{what}: {len(extra)} unexpected extra datagrams at {sock.getsockname()}"
    for index, (data, expected) in enumerate(zip(datas, packets)):
        assert data == expected, f"{what}: datagram {index} differs (order or bytes changed)"
    sources = {src for _, src in received}
    assert sources == {source}, f"{what}: came from {sources}, expected {source}"


def expect_silence(sock, quiet=0.4, what="packets"):
    """Asserts that nothing arrives on `sock` for `quiet` seconds."""
    received = rtp.drain(sock, quiet=quiet, limit=quiet * 2)
    assert not received, f"{what}: {len(received)} datagrams arrived at {sock.getsockname()}, expected none"


def streams(query_reply, tag):
    """(RTP stream, RTCP stream) of the first media of `tag` in a query reply."""
    assert_ok(query_reply)
    tags = query_reply["tags"]
    assert tag in tags, f"tag {tag!r} not in query reply tags {list(tags)}"
    media = tags[tag]["medias"][0]
    return media["streams"][0], media["streams"][1]
