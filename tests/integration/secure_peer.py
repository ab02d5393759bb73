"""A scripted WebRTC-ish party whose keys the test knows, without aiortc: SDES-SRTP (RFC 4568), ICE connectivity
checks it builds itself (RFC 8445 section 7.1), rtcp-mux (RFC 5761), PCMU with telephone-event/8000 (or Opus with
telephone-event/48000), as a browser offers them, on one UDP socket.

    peer = SecurePeer(ice=True, suites=["AES_CM_128_HMAC_SHA1_80"])   # codecs=BROWSER_CODECS: Opus + events
    offer = peer.offer_sdp()                 # or: answer = peer.answer_sdp(rtcgated_offer, tag=2)
    peer.accept_answer(rtcgated_answer)      # learns rtcgated's address, ICE credentials and a=crypto
    result = peer.check(use_candidate=True)  # a Binding request; result.kind: "success", "error" or None
    sent = peer.send_rtp(b"...")             # the plain RTP packet, sent as SRTP with the peer's own key
    peer.pump(0.5)                           # receive: STUN responses, and SRTP unprotected with rtcgated's key
    peer.received_payloads, peer.unprotect_failures
    peer.received                            # ReceivedRtp: the unprotected header fields, payload, raw datagram
    peer.close()

Synchronous: plain non-blocking sockets and select with bounded waits. STUN messages are aioice's (aioice.stun,
installed with python3-aiortc), SRTP is libsrtp through pylibsrtp (likewise), Opus frames are the system libopus's
(the library aiortc links) through ctypes.

Keys: each side protects what it sends with the key of its own a=crypto and unprotects what it receives with the
key of the other side's (RFC 4568 section 6.1); the answer's a=crypto repeats the tag of the offer's line it
accepts (section 5.1.2).
"""

import base64
import collections
import ctypes
import itertools
import os
import random
import re
import secrets
import select
import socket
import string
import struct
import time

import pylibsrtp
from aioice import stun

import sdp

# SDES suite name -> (pylibsrtp profile, master key + salt length in bytes).
SUITES = {
    "AES_CM_128_HMAC_SHA1_80": (pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80, 30),
    "AES_CM_128_HMAC_SHA1_32": (pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_32, 30),
    "AEAD_AES_128_GCM": (pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_128_GCM, 28),
    "AEAD_AES_256_GCM": (pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_256_GCM, 44),
}
# RFC 8445 section 5.1.2.1 with type preference 110 (peer reflexive), local preference 65535, component 1.
CHECK_PRIORITY = (110 << 24) | (65535 << 8) | 255
HOST_PRIORITY = (126 << 24) | (65535 << 8) | 255
PAYLOAD_TYPE = 0  # PCMU
SAMPLES_PER_PACKET = 160
ICE_CHARACTERS = string.ascii_letters + string.digits + "+/"  # ice-char, RFC 8839 section 5.4

_session_ids = itertools.count(int(time.time()) % 100000 * 1000)

CryptoLine = collections.namedtuple("CryptoLine", "tag suite key")
CheckResult = collections.namedtuple("CheckResult", "kind message source error_code mapped_address")
ReceivedRtp = collections.namedtuple("ReceivedRtp",
                                     "sequence timestamp ssrc payload_type payload source arrival marker datagram")


class Codec(collections.namedtuple("Codec", "payload_type encoding fmtp samples_per_packet")):
    """One payload format of the m= line: a=rtpmap:<payload_type> <encoding>, an optional a=fmtp, and the RTP
    timestamp ticks of one 20 ms packet (None for telephone-event, which the peer does not send as audio)."""

    @property
    def name(self):
        return self.encoding.split("/")[0].lower()


PCMU = Codec(PAYLOAD_TYPE, "PCMU/8000", None, SAMPLES_PER_PACKET)
# Chrome's payload types (RFC 7587 for Opus, RFC 4733 for telephone-event at Opus's clock).
OPUS = Codec(111, "opus/48000/2", "minptime=10;useinbandfec=1", 960)
TELEPHONE_EVENT_48000 = Codec(110, "telephone-event/48000", "0-16", None)
TELEPHONE_EVENT_8000 = Codec(101, "telephone-event/8000", "0-16", None)
BROWSER_CODECS = (OPUS, TELEPHONE_EVENT_48000)

OPUS_APPLICATION_VOIP = 2048  # opus_defines.h
_opus_silence = None


def opus_silence():
    """20 ms of silence (48 kHz stereo) as libopus encodes it: a real Opus frame (RFC 6716) any decoder takes."""
    global _opus_silence
    if _opus_silence is None:
        library = ctypes.CDLL("libopus.so.0")
        library.opus_encoder_create.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.c_int,
                                                ctypes.POINTER(ctypes.c_int)]
        library.opus_encoder_create.restype = ctypes.c_void_p
        library.opus_encode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_int,
                                        ctypes.c_char_p, ctypes.c_int32]
        library.opus_encode.restype = ctypes.c_int32
        library.opus_encoder_destroy.argtypes = [ctypes.c_void_p]
        error = ctypes.c_int()
        encoder = library.opus_encoder_create(48000, 2, OPUS_APPLICATION_VOIP, ctypes.byref(error))
        assert encoder and error.value == 0, f"opus_encoder_create failed with {error.value}"
        try:
            pcm = (ctypes.c_int16 * (OPUS.samples_per_packet * 2))()
            out = ctypes.create_string_buffer(1500)
            length = library.opus_encode(encoder, pcm, OPUS.samples_per_packet, out, len(out))
            assert length > 0, f"opus_encode failed with {length}"
            _opus_silence = out.raw[:length]
        finally:
            library.opus_encoder_destroy(encoder)
    return _opus_silence


def parse_crypto(value):
    """A CryptoLine of an a=crypto value "TAG SUITE inline:KEY[|...]" (key + salt decoded)."""
    tag, suite, key_params, *_ = value.split()
    inline = key_params.split(";")[0]
    assert inline.startswith("inline:"), f"a=crypto without an inline key: {value!r}"
    key = base64.b64decode(inline[len("inline:"):].split("|")[0])
    return CryptoLine(int(tag), suite, key)


def crypto_value(line):
    return f"{line.tag} {line.suite} inline:{base64.b64encode(line.key).decode()}"


def new_crypto(tag, suite):
    return CryptoLine(tag, suite, os.urandom(SUITES[suite][1]))


def _ice_string(length):
    return "".join(secrets.choice(ICE_CHARACTERS) for _ in range(length))


class RemoteSide:
    """What rtcgated's SDP says about its side of the audio line."""

    def __init__(self, text):
        parsed = sdp.ParsedSdp(text)
        audio = parsed.audio()
        self.text = text
        self.protocol = audio["proto"]
        self.port = audio["port"]
        self.connection = parsed.audio_address()
        self.ice_ufrag = _first(parsed.attribute("ice-ufrag"))
        self.ice_pwd = _first(parsed.attribute("ice-pwd"))
        self.candidates = parsed.attribute("candidate")
        self.crypto = [parse_crypto(value) for value in parsed.attribute("crypto")]
        self.rtcp_mux = bool(parsed.attribute("rtcp-mux"))
        self.ice_lite = bool(re.search(r"^a=ice-lite\r?$", text, re.MULTILINE))
        # Where to send: the (first) host candidate under ICE, else c= and the m= port.
        self.address = (self.connection, self.port)
        for candidate in self.candidates:
            fields = candidate.split()
            if len(fields) >= 8 and fields[1] == "1" and fields[2].lower() == "udp":
                self.address = (fields[4], int(fields[5]))
                break


def _first(values):
    return values[0] if values else None


def _same_encoding(a, b):
    """rtpmap encodings are equal: name case-insensitively (RFC 4855 section 3), clock rate, channels (default 1)."""
    def parts(encoding):
        name, rate, *channels = encoding.split("/")
        return name.lower(), rate, channels[0] if channels else "1"

    return parts(a) == parts(b)


class SecurePeer:
    """One party speaking SRTP (SDES keys) on one socket, optionally with ICE credentials and checks."""

    def __init__(self, *, ice=True, protocol="RTP/SAVPF", suites=("AES_CM_128_HMAC_SHA1_80",), rtcp_mux=True,
                 address="127.0.0.1", ssrc=None, codecs=(PCMU, TELEPHONE_EVENT_8000)):
        """`codecs`: the payload formats of the m= line, in order (Codec); the first is the audio the peer sends."""
        assert codecs and codecs[0].samples_per_packet, f"the first codec must be audio: {codecs}"
        self.ice = ice
        self.codecs = tuple(codecs)
        self.protocol = protocol
        self.rtcp_mux = rtcp_mux
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((address, 0))
        self.sock.setblocking(False)
        self.address = self.sock.getsockname()
        self.ice_ufrag = _ice_string(8)
        self.ice_pwd = _ice_string(24)
        self.tie_breaker = random.getrandbits(64)
        self.local_crypto = [new_crypto(tag, suite) for tag, suite in enumerate(suites, start=1)]
        self.remote = None
        self.send_crypto = None  # the CryptoLine of ours in use
        self.receive_crypto = None  # rtcgated's CryptoLine in use
        self._outbound = None
        self._inbound = None
        self.ssrc = random.getrandbits(32) if ssrc is None else ssrc
        self.sequence = random.getrandbits(15)
        self.timestamp = random.getrandbits(31)
        self.packets_sent = 0
        self._session_id = next(_session_ids)
        self._sdp_version = 0
        # What arrived.
        self.received = []  # ReceivedRtp, unprotected
        self.rtcp_received = []  # unprotected SRTCP
        self.unprotect_failures = 0
        self.stun_received = []  # (stun.Message, source) not matched to a check of ours
        self.other_received = 0
        self._responses = {}  # transaction id -> (message or None if unparsable, source)

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- SDP -----------------------------------------------------------------------------------------------------

    def restart_ice(self):
        """New ICE credentials (RFC 8445 section 9); the next offer carries them."""
        self.ice_ufrag = _ice_string(8)
        self.ice_pwd = _ice_string(24)

    def offer_sdp(self):
        """An offer with every a=crypto of `suites` (tags 1, 2, ...)."""
        return self._sdp(self.local_crypto)

    def accept_answer(self, text):
        """rtcgated's answer to our offer: its a=crypto must carry the tag and suite of one of ours."""
        self.remote = RemoteSide(text)
        for theirs in self.remote.crypto:
            ours = next((c for c in self.local_crypto if (c.tag, c.suite) == (theirs.tag, theirs.suite)), None)
            if ours is not None:
                self._key(ours, theirs)
                return theirs
        raise AssertionError(f"no a=crypto in the answer matches one of ours:\n{text}")

    def answer_sdp(self, offer_text, tag=None):
        """The answer to rtcgated's offer, accepting its a=crypto with `tag` (default: the first one whose suite
        we know), with a fresh key of ours under the same tag."""
        self.remote = RemoteSide(offer_text)
        theirs = next((c for c in self.remote.crypto if (c.tag == tag if tag is not None else c.suite in SUITES)),
                      None)
        assert theirs is not None, f"no a=crypto with tag {tag} in the offer:\n{offer_text}"
        ours = new_crypto(theirs.tag, theirs.suite)
        self.local_crypto = [ours]
        self.codecs = tuple(self._offered_payload_type(codec) for codec in self.codecs)
        self._key(ours, theirs)
        if not self.remote.rtcp_mux:
            self.rtcp_mux = False  # an answer can only take rtcp-mux when offered (RFC 5761 section 5.1.1)
        return self._sdp([ours])

    def _offered_payload_type(self, codec):
        """`codec` under the payload type rtcgated's offer gives its encoding, as an answer must use it (RFC 3264
        section 6.1); unchanged when the offer does not carry it."""
        for rtpmap in sdp.ParsedSdp(self.remote.text).attribute("rtpmap"):
            payload_type, _, encoding = rtpmap.partition(" ")
            if _same_encoding(encoding, codec.encoding):
                return codec._replace(payload_type=int(payload_type))
        return codec

    @property
    def audio_codec(self):
        return self.codecs[0]

    def payload_type_of(self, encoding):
        """Our payload type for `encoding` ("telephone-event/48000", "opus/48000/2", ...)."""
        return next(codec.payload_type for codec in self.codecs if _same_encoding(codec.encoding, encoding))

    def _key(self, ours, theirs):
        if self.send_crypto != ours:
            self.send_crypto = ours
            policy = pylibsrtp.Policy(key=ours.key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND,
                                      srtp_profile=SUITES[ours.suite][0])
            self._outbound = pylibsrtp.Session(policy)
        if self.receive_crypto != theirs:
            self.receive_crypto = theirs
            policy = pylibsrtp.Policy(key=theirs.key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND,
                                      srtp_profile=SUITES[theirs.suite][0])
            self._inbound = pylibsrtp.Session(policy)

    def _sdp(self, crypto):
        host, port = self.address
        self._sdp_version += 1
        lines = [
            "v=0",
            f"o=- {self._session_id} {self._sdp_version} IN IP4 {host}",
            "s=-",
            f"c=IN IP4 {host}",
            "t=0 0",
            f"m=audio {port} {self.protocol} {' '.join(str(codec.payload_type) for codec in self.codecs)}",
        ]
        for codec in self.codecs:
            lines.append(f"a=rtpmap:{codec.payload_type} {codec.encoding}")
            if codec.fmtp:
                lines.append(f"a=fmtp:{codec.payload_type} {codec.fmtp}")
        lines += [
            "a=ptime:20",
            "a=sendrecv",
        ]
        if self.rtcp_mux:
            lines.append("a=rtcp-mux")
        if self.ice:
            lines += [
                f"a=ice-ufrag:{self.ice_ufrag}",
                f"a=ice-pwd:{self.ice_pwd}",
                f"a=candidate:1 1 udp {HOST_PRIORITY} {host} {port} typ host",
            ]
        lines += [f"a=crypto:{crypto_value(line)}" for line in crypto]
        return "\r\n".join(lines) + "\r\n"

    # --- ICE -----------------------------------------------------------------------------------------------------

    def binding_request(self, *, use_candidate=False, password=None, username=None):
        """A Binding request as a controlling full agent sends it (RFC 8445 section 7.1.1): USERNAME
        "<rtcgated ufrag>:<own ufrag>", PRIORITY, ICE-CONTROLLING, [USE-CANDIDATE], MESSAGE-INTEGRITY keyed by
        `password` (default: rtcgated's ice-pwd) and FINGERPRINT."""
        self._require_remote()
        request = stun.Message(message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST)
        request.attributes["USERNAME"] = username if username is not None else self.username()
        request.attributes["PRIORITY"] = CHECK_PRIORITY
        request.attributes["ICE-CONTROLLING"] = self.tie_breaker
        if use_candidate:
            request.attributes["USE-CANDIDATE"] = None
        request.add_message_integrity((password if password is not None else self.remote.ice_pwd).encode())
        return request

    def username(self, remote_ufrag=None):
        return f"{remote_ufrag or self.remote.ice_ufrag}:{self.ice_ufrag}"

    def check(self, *, use_candidate=False, password=None, username=None, timeout=1.0, sock=None):
        """Sends one Binding request (no retransmission) and waits up to `timeout` s for its response, receiving
        everything else meanwhile. Returns CheckResult(kind, message, source, error_code, mapped_address) with
        kind "success" (0x0101), "error" (0x0111) or None (no response). A success response's
        MESSAGE-INTEGRITY must verify with the password the request used (else AssertionError).
        `sock`: send from another socket (its responses are read from it, nothing else is)."""
        key = (password if password is not None else self.remote_password()).encode()
        request = self.binding_request(use_candidate=use_candidate, password=key.decode(), username=username)
        target = sock or self.sock
        target.sendto(bytes(request), self.remote.address)
        deadline = time.monotonic() + timeout
        while request.transaction_id not in self._responses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return CheckResult(None, None, None, None, None)
            if sock is None:
                self.pump(remaining, until=lambda: request.transaction_id in self._responses)
            else:
                self._read_foreign(sock, remaining)
        raw, source = self._responses.pop(request.transaction_id)
        message = stun.parse_message(raw)
        if message.message_class == stun.Class.RESPONSE:
            try:
                stun.parse_message(raw, integrity_key=key)
            except ValueError as error:
                raise AssertionError(f"success response whose MESSAGE-INTEGRITY does not verify: {error}") from None
            assert "MESSAGE-INTEGRITY" in message.attributes, "success response without MESSAGE-INTEGRITY"
            return CheckResult("success", message, source, None,
                               message.attributes.get("XOR-MAPPED-ADDRESS"))
        if message.message_class == stun.Class.ERROR:
            code = message.attributes.get("ERROR-CODE", (None, ""))[0]
            return CheckResult("error", message, source, code, None)
        return CheckResult(f"class {message.message_class:#x}", message, source, None, None)

    def remote_password(self):
        self._require_remote()
        return self.remote.ice_pwd

    def _read_foreign(self, sock, timeout):
        ready, _, _ = select.select([sock], [], [], max(timeout, 0))
        if ready:
            data, source = sock.recvfrom(65536)
            if data and data[0] < 4 and len(data) >= 20:
                self._responses[bytes(data[8:20])] = (bytes(data), source)

    # --- media ---------------------------------------------------------------------------------------------------

    def next_rtp(self, payload=None, marker=False):
        """The next plain RTP packet of our stream (the first codec, 20 ms); `payload` defaults to numbered bytes
        (PCMU) or an Opus frame of silence (Opus)."""
        codec = self.audio_codec
        if payload is None and codec.name == "opus":
            payload = opus_silence()
        elif payload is None:
            label = b"peer#%d|" % self.packets_sent
            payload = (label * (codec.samples_per_packet // len(label) + 1))[:codec.samples_per_packet]
        packet = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | codec.payload_type, self.sequence & 0xFFFF,
                             self.timestamp & 0xFFFFFFFF, self.ssrc) + bytes(payload)
        self.sequence = (self.sequence + 1) & 0xFFFF
        self.timestamp = (self.timestamp + codec.samples_per_packet) & 0xFFFFFFFF
        self.packets_sent += 1
        return packet

    def protect(self, packet):
        self._require_remote()
        return self._outbound.protect(packet)

    def protect_rtcp(self, packet):
        self._require_remote()
        return self._outbound.protect_rtcp(packet)

    def send_raw(self, data):
        self._require_remote()
        self.sock.sendto(data, self.remote.address)

    def send_rtp(self, payload=None):
        """Sends the next RTP packet as SRTP; returns (plain packet, SRTP datagram)."""
        plain = self.next_rtp(payload)
        protected = self.protect(plain)
        self.send_raw(protected)
        return plain, protected

    def poll(self):
        """Handles every datagram already queued on the socket; returns how many."""
        count = 0
        while True:
            try:
                data, source = self.sock.recvfrom(65536)
            except BlockingIOError:
                return count
            self._handle(data, source)
            count += 1

    def pump(self, seconds, until=None):
        """Receives for `seconds` (or until `until()` is true)."""
        deadline = time.monotonic() + seconds
        while until is None or not until():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if ready:
                self.poll()

    def _handle(self, data, source):
        if not data:
            return
        first = data[0]
        if first < 4:  # STUN (RFC 7983)
            if len(data) >= 20:
                transaction = bytes(data[8:20])
                try:
                    message = stun.parse_message(bytes(data))
                except ValueError:
                    self.other_received += 1
                    return
                if message.message_class in (stun.Class.RESPONSE, stun.Class.ERROR):
                    self._responses[transaction] = (bytes(data), source)
                else:
                    self.stun_received.append((message, source))
            return
        if not 128 <= first <= 191 or self._inbound is None:
            self.other_received += 1
            return
        if len(data) >= 2 and 192 <= data[1] <= 223:  # RTCP packet types 192-223 (RFC 5761 section 4)
            try:
                self.rtcp_received.append(self._inbound.unprotect_rtcp(bytes(data)))
            except pylibsrtp.Error:
                self.unprotect_failures += 1
            return
        try:
            plain = self._inbound.unprotect(bytes(data))
        except pylibsrtp.Error:
            self.unprotect_failures += 1
            return
        first, second, sequence, timestamp, ssrc = struct.unpack("!BBHII", plain[:12])
        offset = 12 + 4 * (first & 0x0F)
        self.received.append(ReceivedRtp(sequence, timestamp, ssrc, second & 0x7F, plain[offset:], source,
                                         time.monotonic(), bool(second & 0x80), bytes(data)))

    @property
    def received_payloads(self):
        return [packet.payload for packet in self.received]

    def _require_remote(self):
        if self.remote is None:
            raise RuntimeError("no SDP of rtcgated yet (accept_answer or answer_sdp first)")
