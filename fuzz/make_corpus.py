#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ from what the tests send: the SDPs and ng
commands of the integration suite's helpers (a browser's, a carrier's, SDES), a real DTLS ClientHello (pyOpenSSL,
as aiortc makes it), an ICE connectivity check built with aioice, RTP, compound RTCP and RFC 4733 packets.

    fuzz/make_corpus.py        (re)writes the seeds; they are checked in, so run it only when a format changes

Each seed's name is the SHA-1 of its bytes, as libFuzzer names corpus files."""

import hashlib
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import bencode  # noqa: E402
import sdp  # noqa: E402

CORPUS = ROOT / "fuzz" / "corpus"


def write(target, seeds):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    for seed in seeds:
        (directory / hashlib.sha1(seed).hexdigest()).write_bytes(seed)


def sdps():
    crypto = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0\r\n"
    return [
        sdp.audio_sdp("192.0.2.10", 4000),
        sdp.audio_sdp("192.0.2.10", 4000, direction="sendonly", rtcp="long", video_port=4002),
        sdp.audio_sdp("0.0.0.0", 4000, rtcp="short"),
        sdp.audio_sdp("2001:db8::10", 4000),
        sdp.browser_sdp("192.0.2.20", 50000),
        sdp.browser_sdp("192.0.2.20", 50000, setup="active", direction="recvonly"),
        sdp.audio_sdp("192.0.2.10", 4000).replace("RTP/AVP", "RTP/SAVP") + crypto,
    ]


def ng_commands():
    offer = {"command": "offer", "call-id": "c1", "from-tag": "a", "sdp": sdp.browser_sdp("192.0.2.20", 50000),
             "flags": ["trust-address", "strict-source", "media-handover", "codec-mask-PCMA", "SDES-off",
                       "endpoint-learning-immediate"],
             "replace": ["origin", "session-connection"], "ICE": "force", "DTLS": "passive",
             "rtcp-mux": ["demux"], "transport-protocol": "RTP/AVP", "received-from": ["IP4", "192.0.2.1"],
             "codec": {"mask": ["opus"], "transcode": ["PCMU", "opus/48000/2///useinbandfec=1"], "strip": ["all"]},
             "supports": ["load limit"], "endpoint-learning": "heuristic"}
    return [
        offer,
        {"command": "answer", "call-id": "c1", "from-tag": "a", "to-tag": "b", "sdp": sdp.audio_sdp("192.0.2.30", 6000)},
        {"command": "query", "call-id": "c1"},
        {"command": "delete", "call-id": "c1", "from-tag": "a", "delete-delay": 0},
        {"command": "list", "limit": 10},
        {"command": "statistics"},
        {"command": "ping"},
        {"command": "play DTMF", "call-id": "c1", "from-tag": "a", "code": "1#", "duration": 100, "volume": -10},
        {"command": "block DTMF", "call-id": "c1", "from-tag": "a"},
    ]


def stun_check():
    from aioice import stun
    request = stun.Message(message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST,
                           transaction_id=bytes(range(12)))
    request.attributes["USERNAME"] = "ufrag:peer"
    request.attributes["PRIORITY"] = 1853817087
    request.attributes["ICE-CONTROLLING"] = 0x1122334455667788
    request.attributes["USE-CANDIDATE"] = None
    request.add_message_integrity(b"passwordpasswordpassword")
    return bytes(request)


def client_hello():
    from aiortc.rtcdtlstransport import RTCCertificate
    from OpenSSL import SSL
    connection = SSL.Connection(RTCCertificate.generateCertificate()._create_ssl_context())
    connection.set_connect_state()
    try:
        connection.do_handshake()
    except SSL.WantReadError:
        pass
    return connection.bio_read(1500)


def rtp_packet(sequence, payload, payload_type=0, marker=False, padding=0, extension=b""):
    first = 0x80 | (0x20 if padding else 0) | (0x10 if extension else 0)
    header = struct.pack("!BBHII", first, payload_type | (0x80 if marker else 0), sequence, sequence * 160, 0x11223344)
    body = payload + (bytes(padding - 1) + bytes([padding]) if padding else b"")
    return header + extension + body


def rtcp_compound():
    report_block = struct.pack("!IIIIII", 0x55667788, 0x01000010, 1000, 20, 0x12345678, 0x10)
    sender = struct.pack("!BBHI", 0x81, 200, 12, 0x11223344) + struct.pack("!IIIII", 1, 2, 3, 4, 5) + report_block
    cname = b"\x01\x07rtcgate\x00\x00"
    sdes = struct.pack("!BBHI", 0x81, 202, 3, 0x11223344) + cname
    receiver = struct.pack("!BBHI", 0x81, 201, 7, 0x11223344) + report_block
    return [sender + sdes, receiver, struct.pack("!BBHII", 0x81, 205, 2, 1, 2)]


def telephone_events():
    seeds = []
    for sample_rate_byte in (0, 3):
        packets = b""
        for index, (end, duration) in enumerate([(0, 160), (0, 320), (1, 480), (1, 480), (1, 480)]):
            payload = struct.pack("!BBH", 5, (end << 7) | 10, duration)
            packet = rtp_packet(100 + index, payload, payload_type=101, marker=index == 0)
            packets += bytes([len(packet), 20]) + packet
        seeds.append(bytes([sample_rate_byte]) + packets)
    return seeds


def main():
    write("bencode", [bencode.encode(command) for command in ng_commands()])
    write("ng_request", [bencode.encode(command) for command in ng_commands()])
    write("sdp", [bytes([options]) + text.encode() for text in sdps() for options in (0, 1, 31)])
    check = stun_check()
    write("stun", [bytes([options]) + check for options in (0, 1, 3)])
    hello = client_hello()
    write("dtls", [bytes([role]) + struct.pack("!H", len(hello)) + hello for role in (0, 1)])
    write("rtp", [rtp_packet(1, bytes(160)), rtp_packet(2, b"\x01\x02\x03", padding=4, marker=True),
                  rtp_packet(3, bytes(20), extension=b"\xbe\xde\x00\x01\x10\xff\x00\x00")] + rtcp_compound())
    write("telephone_event", telephone_events())
    write("sdp_attributes", [
        b"1 AES_CM_128_HMAC_SHA1_80 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0|2^20|1:4 KDR=1",
        b"2 AEAD_AES_256_GCM inline:" + b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY3ODkwYWJjZGVmZ2hp",
        b"sha-256 " + b":".join(b"%02X" % byte for byte in range(32)),
        b"sha-1 " + b":".join(b"%02X" % byte for byte in range(20)),
    ])


if __name__ == "__main__":
    main()
