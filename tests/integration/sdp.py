"""The plain-RTP SDP a carrier would send (RFC 8866), and the few fields the tests read back."""

import itertools
import re

_session_ids = itertools.count(1000)


def audio_sdp(address, port, *, direction="sendrecv", rtcp=None, video_port=None, version=1, session_id=None):
    """A G.711 offer/answer for one audio line at address:port.

    rtcp: None (RTCP implied on port + 1), "short" (a=rtcp:PORT+1) or "long" (a=rtcp:PORT+1 IN IP4 ADDR).
    video_port: also add an m=video line on that port.
    """
    session_id = next(_session_ids) if session_id is None else session_id
    family = "IP6" if ":" in address else "IP4"
    lines = [
        "v=0",
        f"o=- {session_id} {version} IN {family} {address}",
        "s=-",
        f"c=IN {family} {address}",
        "t=0 0",
        f"m=audio {port} RTP/AVP 0 8 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
    ]
    if rtcp == "short":
        lines.append(f"a=rtcp:{port + 1}")
    elif rtcp == "long":
        lines.append(f"a=rtcp:{port + 1} IN {family} {address}")
    if direction:
        lines.append(f"a={direction}")
    if video_port is not None:
        lines += [
            f"m=video {video_port} RTP/AVP 96",
            "a=rtpmap:96 VP8/90000",
            "a=sendrecv",
        ]
    return "\r\n".join(lines) + "\r\n"


BROWSER_CODECS = ("111 opus/48000/2", "0 PCMU/8000", "8 PCMA/8000", "126 telephone-event/8000")


def browser_sdp(address, port, *, setup="actpass", direction="sendrecv", version=1, ufrag="brws",
                codecs=BROWSER_CODECS):
    """An audio SDP as Chromium writes it: BUNDLE, ICE with a host candidate, DTLS (`setup`), rtcp-mux, and
    `codecs` ("PT NAME/RATE[/CHANNELS]"; Opus gets Chromium's fmtp). Its fingerprint is a fixed one: for SDP
    tests, not for a real handshake."""
    fingerprint = ":".join(f"{byte:02X}" for byte in range(32))
    lines = [
        "v=0",
        f"o=- 4611731400430051336 {version} IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0",
        "a=msid-semantic: WMS",
        f"m=audio {port} UDP/TLS/RTP/SAVPF {' '.join(codec.split()[0] for codec in codecs)}",
        f"c=IN IP4 {address}",
        "a=rtcp:9 IN IP4 0.0.0.0",
        f"a=candidate:1 1 udp 2122260223 {address} {port} typ host generation 0",
        f"a=ice-ufrag:{ufrag}",
        "a=ice-pwd:Fus4hRjMrpP46HRkXRz+RPdL",
        "a=ice-options:trickle",
        f"a=fingerprint:sha-256 {fingerprint}",
        f"a=setup:{setup}",
        "a=mid:0",
        f"a={direction}",
        "a=rtcp-mux",
    ]
    for codec in codecs:
        lines.append(f"a=rtpmap:{codec}")
        if "opus/" in codec:
            lines.append(f"a=fmtp:{codec.split()[0]} minptime=10;useinbandfec=1")
    return "\r\n".join(lines) + "\r\n"


def attribute_values(attributes, name):
    """Values of a=name[:value] among `attributes` (the raw "name:value" texts); "" for a flag attribute."""
    found = []
    for attribute in attributes:
        key, sep, value = attribute.partition(":")
        if key == name:
            found.append(value if sep else "")
    return found


class ParsedSdp:
    """Session-level c= and attributes, and per m= line: media type, port, proto, c=, attributes."""

    def __init__(self, text):
        assert isinstance(text, str), f"SDP is not text: {text!r}"
        self.text = text
        self.connection = None
        self.attributes = []  # session-level
        self.media = []
        current = None
        for line in re.split(r"\r?\n", text):
            if not line:
                continue
            kind, _, value = line.partition("=")
            if kind == "m":
                media_type, port, proto, *formats = value.split()
                current = {
                    "type": media_type,
                    "port": int(port.split("/")[0]),
                    "proto": proto,
                    "formats": formats,
                    "connection": None,
                    "attributes": [],
                }
                self.media.append(current)
            elif kind == "c":
                address = value.split()[2].split("/")[0]
                if current is None:
                    self.connection = address
                else:
                    current["connection"] = address
            elif kind == "a":
                (self.attributes if current is None else current["attributes"]).append(value)

    def audio(self):
        lines = [m for m in self.media if m["type"] == "audio"]
        assert len(lines) == 1, f"expected one m=audio line in:\n{self.text}"
        return lines[0]

    @property
    def audio_port(self):
        return self.audio()["port"]

    def audio_address(self):
        audio = self.audio()
        return audio["connection"] or self.connection

    def attribute(self, name, media=None):
        """Values of a=name[:value] in `media` (the audio line by default); "" for a flag attribute."""
        return attribute_values((media or self.audio())["attributes"], name)
