"""A "browser" for the integration tests: an aiortc RTCPeerConnection on loopback that sends a tone over PCMU and
records the audio it receives.

    browser = Browser(tone_hz=440)
    offer = await browser.offer()            # or: answer = await browser.answer(their_offer)
    await browser.accept_answer(their_answer)
    await browser.wait_connected(timeout=5)
    ...
    audio = browser.received_audio()         # int16 at browser.received_rate (8000 Hz)
    await browser.close()

What Debian's aiortc 1.4.0 / aioice 0.8.0 do on the wire, read from their sources (the gateway's ICE-lite and
DTLS side is written against these):

ICE (aioice/ice.py, aiortc/rtcpeerconnection.py, aiortc/sdp.py)
- Role: as offerer aiortc is always controlling; as answerer it is controlling iff the offer has a=ice-lite, and
  only a SESSION-level a=ice-lite is read (a media-level one is ignored, so aiortc would stay controlled and wait
  for checks a lite agent never sends).
- Nomination: against a full agent, aggressive (USE-CANDIDATE on every check); against an ice-lite peer, regular:
  a first Binding request without USE-CANDIDATE and, once it succeeds, a second one with USE-CANDIDATE (once per
  component). ICE completes, and DTLS starts, only when that second request got its success response.
- Checks carry USERNAME "<remote ufrag>:<local ufrag>", PRIORITY, ICE-CONTROLLING (tie-breaker), MESSAGE-INTEGRITY
  and FINGERPRINT. The response must come from the exact address the request went to (else the pair fails); its
  MESSAGE-INTEGRITY is not verified, a FINGERPRINT (if any) is. An error 487 makes aiortc switch role and retry.
- Retransmissions: RTO 0.5 s doubling, 7 transmissions (gives up after ~63 s).
- Consent freshness (RFC 7675): after ICE completes, one Binding request (no USE-CANDIDATE) every 4-6 s on the
  selected pair, no retransmission, 0.5 s to answer; 6 failures in a row close the connection.
- Remote candidates come only from a=candidate lines (c= and the m= port are ignored); types host, srflx and relay
  are accepted (prflx is dropped); a lite peer must list at least one. With a=end-of-candidates and no usable
  candidate ICE fails at once; without it and without candidates aiortc waits (forever) for trickled ones.
  A pair whose checks all time out fails after ~63 s, and with it ICE.
- Local candidates: host candidates of every interface except 127.0.0.1 and ::1 (aioice skips loopback!), so
  this module makes aioice gather on 127.0.0.1 only (see below). aiortc's offer/answer lists them with
  a=end-of-candidates (gathering finishes before setLocalDescription returns: no trickle).

SDP (aiortc/sdp.py, RTCPeerConnection.__validate_description)
- Every m= line needs a=ice-ufrag and a=ice-pwd (session- or media-level), and an audio/video one needs
  a=rtcp-mux (else "RTCP mux is not enabled").
- a=setup is required (without it setRemoteDescription raises AttributeError) and so is a sha-256
  a=fingerprint (without one the DTLS start asserts and the connection hangs in "connecting").
- An offer's a=setup must be actpass, an answer's active or passive (else ValueError); holdconn is a KeyError.
  aiortc answers a=setup:active (it is the DTLS client); when it offered, a=setup:passive in the answer makes it
  the DTLS client, a=setup:active the DTLS server.
- An answer's m= lines must carry the offer's a=mid values, in order ("Media sections in answer do not match
  offer"). aiortc itself always writes a=mid, a=group:BUNDLE, a=rtcp-mux and "a=rtcp:9 IN IP4 0.0.0.0".
- Only the long form a=rtcp:PORT IN IP4 ADDR parses; the short a=rtcp:PORT raises ValueError.
- Codecs come only from a=rtpmap (a static payload type without its rtpmap is not negotiated); an a=fmtp for a
  payload type without a=rtpmap raises (StopIteration). aiortc sends with the first common codec in the order of
  the remote SDP (offer or answer), or of its own preferences when setCodecPreferences was used. Without
  preferences it offers opus/48000/2 (96), PCMU, PCMA. telephone-event is not supported (dropped).
- Header extensions (mid, ssrc-audio-level) are used only if the peer's SDP has the matching a=extmap lines.

DTLS-SRTP (aiortc/rtcdtlstransport.py)
- DTLS starts only after ICE completed; ECDSA P-256 self-signed certificate, fingerprint sha-256 only (another
  algorithm never verifies), ciphers "HIGH:!CAMELLIA:!aNULL", and it demands the peer's certificate either way.
- use_srtp offers exactly one profile: SRTP_AES128_CM_SHA1_80.
- RTCP is always muxed on the RTP 5-tuple (one ICE component); an SR + SDES(CNAME) compound every 0.5-1.5 s once
  it sends, an RR every 0.5-1.5 s once it receives, a BYE when the sender stops. Datagrams are demuxed by first
  byte (20-63 DTLS, 128-191 SRTP/SRTCP, with RTCP for a second byte of 192-208); SRTP before the handshake ends is
  dropped.

Receiving audio (aiortc/rtcrtpreceiver.py, jitterbuffer.py, codecs/g711.py)
- The PCMU/PCMA decoder takes exactly 160 bytes (20 ms at 8 kHz): any other payload size raises in its decoder
  thread, which then dies and no more audio is delivered. Packets with equal timestamps are glued into one frame
  (so also break it).
- The audio jitter buffer holds 16 packets and releases a frame once 4 later ones are in (~80 ms latency).
- An RTCP BYE for the sending SSRC ends the receiving track.
"""

import asyncio
import ctypes
import fractions
import sys
import time
import warnings
from pathlib import Path

import aioice.ice
import av
import numpy as np

with warnings.catch_warnings():
    # aiortc's G.711 codec imports audioop, deprecated (PEP 594) but present in 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
    from aiortc.codecs.opus import OpusEncoder
    from aiortc.codecs._opus import ffi as _opus_ffi
    from aiortc.mediastreams import MediaStreamError

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.carrier import wait_until  # noqa: E402

SAMPLE_RATE = 8000
FRAME_SAMPLES = 160  # 20 ms
LOOPBACK_ADDRESSES = ["127.0.0.1"]


def _loopback_host_addresses(use_ipv4, use_ipv6):
    return [address for address in LOOPBACK_ADDRESSES if use_ipv4]


# Applied once, at import, for the whole test process: aioice gathers host candidates on every interface except
# loopback; the tests must offer only 127.0.0.1 (nothing may leave the machine). gather_candidates() looks the
# function up in the module at call time, so replacing the module attribute is enough.
aioice.ice.get_host_addresses = _loopback_host_addresses

# opus_defines.h: the encoder CTLs aiortc's cffi module does not expose.
OPUS_SET_BITRATE = 4002
OPUS_GET_BITRATE = 4003
OPUS_SET_INBAND_FEC = 4012
OPUS_GET_INBAND_FEC = 4013
OPUS_SET_PACKET_LOSS_PERC = 4014
OPUS_GET_PACKET_LOSS_PERC = 4015
# opus_private.h: a CTL libopus 1.3 implements for its own tests, with the MODE_* values of opus_encoder.c.
OPUS_SET_FORCE_MODE = 11002
OPUS_MODES = {"silk": 1000, "hybrid": 1001, "celt": 1002}

_libopus = None


def libopus():
    """The system libopus (the library aiortc's _opus module links), through ctypes, with the prototypes the tests
    call: the encoder CTLs and a decoder for FEC / PLC checks."""
    global _libopus
    if _libopus is None:
        library = ctypes.CDLL("libopus.so.0")
        library.opus_encoder_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int]  # variadic: int arguments follow
        library.opus_encoder_ctl.restype = ctypes.c_int
        library.opus_decoder_create.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        library.opus_decoder_create.restype = ctypes.c_void_p
        library.opus_decoder_destroy.argtypes = [ctypes.c_void_p]
        library.opus_decode.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32,
                                        ctypes.POINTER(ctypes.c_int16), ctypes.c_int, ctypes.c_int]
        library.opus_decode.restype = ctypes.c_int
        _libopus = library
    return _libopus


class TunedOpusEncoder(OpusEncoder):
    """aiortc's Opus encoder (48 kHz stereo, 20 ms, VOIP) with settings aiortc 1.4 never makes: in-band FEC
    (RFC 6716 section 2.1.7) for `fec_loss_percent` expected loss, a fixed `bitrate` (bit/s), a forced `mode`
    ("silk", "hybrid" or "celt"). None leaves aiortc's default.

    With FEC on and a loss percentage libopus leaves CELT-only mode for SILK / hybrid, whose frames carry a low-bitrate
    copy (LBRR) of the previous frame; a decoder that lost a packet rebuilds it from the next one (decode_fec=1).
    Without FEC aiortc's encoder runs CELT-only, whose concealment differs from SILK's: mode="hybrid" without FEC is
    the stream that differs from the FEC one only by the missing LBRR."""

    def __init__(self, fec_loss_percent=None, bitrate=None, mode=None):
        super().__init__()
        if fec_loss_percent is not None:
            self.ctl(OPUS_SET_INBAND_FEC, 1)
            self.ctl(OPUS_SET_PACKET_LOSS_PERC, int(fec_loss_percent))
        if bitrate is not None:
            self.ctl(OPUS_SET_BITRATE, int(bitrate))
        if mode is not None:
            self.ctl(OPUS_SET_FORCE_MODE, OPUS_MODES[mode])

    def ctl(self, request, value):
        """opus_encoder_ctl(encoder, request, value) for a SET request; raises on an error code."""
        pointer = ctypes.c_void_p(int(_opus_ffi.cast("uintptr_t", self.encoder)))
        result = libopus().opus_encoder_ctl(pointer, request, ctypes.c_int(value))
        if result != 0:
            raise RuntimeError(f"opus_encoder_ctl({request}, {value}) failed with {result}")

    def get(self, request):
        """The value of a GET request (OPUS_GET_INBAND_FEC, OPUS_GET_PACKET_LOSS_PERC, ...)."""
        pointer = ctypes.c_void_p(int(_opus_ffi.cast("uintptr_t", self.encoder)))
        value = ctypes.c_int32()
        result = libopus().opus_encoder_ctl(pointer, request, ctypes.byref(value))
        if result != 0:
            raise RuntimeError(f"opus_encoder_ctl({request}) failed with {result}")
        return value.value


class ToneTrack(MediaStreamTrack):
    """An audio track of a sine at `frequency` Hz: s16 mono 8000 Hz frames of 20 ms, paced in real time
    (as aiortc's AudioStreamTrack paces its silence). play(samples) sends those samples instead, from the next
    frame on, then the sine again."""

    kind = "audio"

    def __init__(self, frequency, amplitude=0.5):
        super().__init__()
        self.frequency = frequency
        self.amplitude = amplitude
        self._start = None
        self._timestamp = 0
        self._inserted = np.zeros(0, dtype=np.int16)

    def play(self, samples):
        """`samples` (int16 at 8 kHz, e.g. DTMF tone pairs) after whatever is still to play."""
        self._inserted = np.concatenate([self._inserted, np.asarray(samples, dtype=np.int16)])

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            self._timestamp += FRAME_SAMPLES
            await asyncio.sleep(self._start + self._timestamp / SAMPLE_RATE - time.time())
        index = self._timestamp + np.arange(FRAME_SAMPLES)
        wave = self.amplitude * 32767.0 * np.sin(2.0 * np.pi * self.frequency * index / SAMPLE_RATE)
        samples = np.round(wave).astype(np.int16)
        if self._inserted.size:
            taken = self._inserted[:FRAME_SAMPLES]
            samples[: taken.size] = taken
            samples[taken.size:] = 0
            self._inserted = self._inserted[FRAME_SAMPLES:]
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._timestamp
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        return frame


class Browser:
    """An aiortc peer with one sendrecv audio transceiver restricted to `codec` (PCMU), sending a `tone_hz` tone and
    recording what it receives (for at most `record_seconds` of wall time after the remote track appears).

    opus_fec_loss_percent, opus_bitrate, opus_mode (with codec="audio/opus"; default None, aiortc's own encoder):
    send with a TunedOpusEncoder of these settings instead (in-band FEC for that expected loss, that bitrate, that
    forced mode); `opus_encoder` is it."""

    def __init__(self, tone_hz=440.0, amplitude=0.5, codec="audio/PCMU", record_seconds=60.0,
                 opus_fec_loss_percent=None, opus_bitrate=None, opus_mode=None):
        tuned_opus = (opus_fec_loss_percent, opus_bitrate, opus_mode) != (None, None, None)
        if tuned_opus and codec != "audio/opus":
            raise ValueError("opus_fec_loss_percent, opus_bitrate and opus_mode need codec='audio/opus'")
        self.pc = RTCPeerConnection()
        self.track = ToneTrack(tone_hz, amplitude)
        self.transceiver = self.pc.addTransceiver(self.track, direction="sendrecv")
        # With only PCMU preferred, aiortc 1.4 offers "m=audio ... 0" and, answering, keeps only PCMU of the
        # offer (OperationError if the offer has none): no transcoding between browser and carrier.
        capabilities = RTCRtpSender.getCapabilities("audio").codecs
        self.transceiver.setCodecPreferences([c for c in capabilities if c.mimeType == codec])
        self.opus_encoder = None
        if tuned_opus:
            self.opus_encoder = TunedOpusEncoder(opus_fec_loss_percent, opus_bitrate, opus_mode)
            # RTCRtpSender creates its encoder on the first frame only if it has none (aiortc 1.4
            # _next_encoded_frame); with Opus the only codec allowed, this one is the right one.
            self.transceiver.sender._RTCRtpSender__encoder = self.opus_encoder
        self.received_rate = SAMPLE_RATE
        self.record_seconds = record_seconds
        self.remote_track = None
        self._chunks = []
        self._record_task = None
        self._audio_event = asyncio.Event()
        self.pc.on("track", self._on_track)

    # --- signalling ---------------------------------------------------------------------------------------------

    async def offer(self):
        """The local offer, with its (loopback) candidates."""
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return self.pc.localDescription.sdp

    async def accept_answer(self, sdp):
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    async def answer(self, offer_sdp):
        """The answer to `offer_sdp`, with its (loopback) candidates."""
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return self.pc.localDescription.sdp

    async def wait_connected(self, timeout):
        """Wait until ICE and DTLS are up (connectionState "connected"); False on failure or after `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.pc.connectionState not in ("connected", "failed", "closed") and loop.time() < deadline:
            await asyncio.sleep(0.02)
        return self.pc.connectionState == "connected"

    async def close(self):
        if self._record_task is not None:
            self._record_task.cancel()
            try:
                await self._record_task
            except asyncio.CancelledError:
                pass
            self._record_task = None
        await self.pc.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    # --- media --------------------------------------------------------------------------------------------------

    def received_audio(self):
        """Everything received so far as int16 mono samples at `received_rate`."""
        if not self._chunks:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(self._chunks)

    @property
    def received_seconds(self):
        return sum(chunk.size for chunk in self._chunks) / self.received_rate

    async def wait_for_audio(self, seconds, timeout):
        """Wait until at least `seconds` of audio arrived; False if `timeout` passed first."""
        return await wait_until(self._audio_event, lambda: self.received_seconds >= seconds, timeout)

    async def stats(self):
        """Packet counters from getStats(): packets_sent / packets_received (RTP, as the RTP stream stats count
        them) and transport_packets_sent / transport_packets_received (every datagram incl. DTLS and RTCP)."""
        counters = dict(packets_sent=0, packets_received=0, transport_packets_sent=0, transport_packets_received=0)
        for stats in (await self.pc.getStats()).values():
            if stats.type == "outbound-rtp":
                counters["packets_sent"] += stats.packetsSent
            elif stats.type == "inbound-rtp":
                counters["packets_received"] += stats.packetsReceived
            elif stats.type == "transport":
                counters["transport_packets_sent"] += stats.packetsSent
                counters["transport_packets_received"] += stats.packetsReceived
        return counters

    def _on_track(self, track):
        if track.kind != "audio" or self._record_task is not None:
            return
        self.remote_track = track
        self._record_task = asyncio.ensure_future(self._record(track))

    async def _record(self, track):
        """Read the remote track until it ends or `record_seconds` passed, resampled to s16 mono."""
        resampler = av.AudioResampler(format="s16", layout="mono", rate=self.received_rate)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.record_seconds
        while loop.time() < deadline:
            try:
                frame = await asyncio.wait_for(track.recv(), deadline - loop.time())
            except (MediaStreamError, asyncio.TimeoutError):
                return
            for converted in resampler.resample(frame):
                self._chunks.append(converted.to_ndarray().reshape(-1).astype(np.int16))
            self._audio_event.set()
