"""A SIP phone that speaks Opus over plain RTP (RTP/AVP, RFC 7587): it sends a tone in packets of its ptime (10, 20,
40 or 60 ms of one Opus frame each), says that ptime in its SDP, and records what it receives, decoded at 8 kHz.
libopus through aiortc's bindings (Debian's python3-aiortc), as the browser tests' Opus is."""

import asyncio
import socket
import sys
import time
from pathlib import Path

import numpy as np
from aiortc.codecs._opus import ffi, lib

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.carrier import Datagrams, ReceivedPacket, RemoteMedia, parse_rtp, wait_until  # noqa: E402

PTIMES_MS = (10, 20, 40, 60)
PAYLOAD_TYPE = 96
CLOCK_RATE = 48000
DECODED_RATE = 8000
MAX_PACKET = 1500


class OpusPhone:
    def __init__(self, host="127.0.0.1", ptime_ms=20, tone_hz=1000.0, duration=30.0, amplitude=0.5):
        if ptime_ms not in PTIMES_MS:
            raise ValueError(f"ptime {ptime_ms} ms: one of {PTIMES_MS}")
        self.host = host
        self.ptime_ms = ptime_ms
        self.tone_hz = tone_hz
        self.duration = duration
        self.amplitude = amplitude
        self.samples_per_packet = CLOCK_RATE * ptime_ms // 1000
        self.rtp_port = None
        self.remote = None
        self.ssrc = 0x0B05
        self.received_packets = []
        self._audio = {}  # sequence -> decoded int16 samples
        self._audio_event = asyncio.Event()
        self._transport = None
        self._send_task = None
        error = ffi.new("int *")
        self._encoder = lib.opus_encoder_create(CLOCK_RATE, 1, lib.OPUS_APPLICATION_VOIP, error)
        self._decoder = lib.opus_decoder_create(DECODED_RATE, 1, error)
        self._encoded = ffi.new("unsigned char[]", MAX_PACKET)
        self._decoded = ffi.new("int16_t[]", DECODED_RATE * 120 // 1000)

    async def start(self):
        rtp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp_socket.bind((self.host, 0))
        self.rtp_port = rtp_socket.getsockname()[1]
        self._transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: Datagrams(self._received), sock=rtp_socket)
        return self

    async def stop(self):
        if self._send_task is not None:
            self._send_task.cancel()
            try:
                await self._send_task
            except asyncio.CancelledError:
                pass
            self._send_task = None
        if self._transport is not None:
            self._transport.close()
            self._transport = None
        if self._encoder is not None:
            lib.opus_encoder_destroy(self._encoder)
            lib.opus_decoder_destroy(self._decoder)
            self._encoder = self._decoder = None

    def offer_sdp(self):
        return "\r\n".join([
            "v=0", f"o=- 7 1 IN IP4 {self.host}", "s=-", f"c=IN IP4 {self.host}", "t=0 0",
            f"m=audio {self.rtp_port} RTP/AVP {PAYLOAD_TYPE}",
            f"a=rtpmap:{PAYLOAD_TYPE} opus/48000/2", f"a=fmtp:{PAYLOAD_TYPE} useinbandfec=1",
            f"a=ptime:{self.ptime_ms}", "a=sendrecv", ""])

    def set_remote(self, sdp):
        self.remote = RemoteMedia(sdp)
        if self.remote.payload_type_of("OPUS", CLOCK_RATE) is None:
            raise ValueError(f"no Opus in the remote formats {self.remote.formats}")
        if self._send_task is None:
            self._send_task = asyncio.get_running_loop().create_task(self._send_loop())

    @property
    def received_seconds(self):
        return sum(chunk.size for chunk in self._audio.values()) / DECODED_RATE

    def received_audio(self):
        """What it heard, decoded at 8 kHz, in sequence order."""
        chunks = [self._audio[sequence] for sequence in sorted(self._audio)]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)

    async def wait_for_audio(self, seconds, timeout):
        return await wait_until(self._audio_event, lambda: self.received_seconds >= seconds, timeout)

    def _received(self, data, source):
        header = parse_rtp(data) if len(data) < 2 or not 192 <= data[1] <= 223 else None  # RTCP on the RTP port
        if header is None:
            return
        marker, payload_type, sequence, timestamp, ssrc, payload = header
        self.received_packets.append(ReceivedPacket(source[:2], ssrc, payload_type, sequence, timestamp, marker,
                                                    len(payload), time.monotonic()))
        count = lib.opus_decode(self._decoder, payload, len(payload), self._decoded, len(self._decoded), 0)
        if count > 0:
            self._audio[len(self.received_packets)] = np.frombuffer(
                ffi.buffer(self._decoded, count * 2), dtype=np.int16).copy()
            self._audio_event.set()

    async def _send_loop(self):
        loop = asyncio.get_running_loop()
        total = int(round(self.duration * 1000 / self.ptime_ms))
        start = loop.time()
        for tick in range(total):
            delay = start + tick * self.ptime_ms / 1000 - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            index = tick * self.samples_per_packet + np.arange(self.samples_per_packet)
            pcm = np.round(self.amplitude * 32767.0 * np.sin(2.0 * np.pi * self.tone_hz * index / CLOCK_RATE))
            pcm = np.ascontiguousarray(pcm.astype(np.int16))
            size = lib.opus_encode(self._encoder, ffi.from_buffer("int16_t[]", pcm), self.samples_per_packet,
                                   self._encoded, MAX_PACKET)
            header = bytes([0x80, (0x80 if tick == 0 else 0) | PAYLOAD_TYPE]) + (tick & 0xFFFF).to_bytes(2, "big") + (
                (tick * self.samples_per_packet) & 0xFFFFFFFF).to_bytes(4, "big") + self.ssrc.to_bytes(4, "big")
            self._transport.sendto(header + bytes(ffi.buffer(self._encoded, size)),
                                   (self.remote.address, self.remote.port))
