"""Checks of the WebRTC suite's own helpers (tones, the plain-RTP Carrier, the aiortc Browser), with the parties
connected to each other directly over loopback; no daemon needed."""

import asyncio
import socket
import sys
from pathlib import Path

import numpy as np
import pytest

import rtp
import tones
import webrtc
from sdp import ParsedSdp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.carrier import Carrier, RemoteMedia, audioop  # noqa: E402  (audioop: imported there without warnings)

RATE = 8000


def g711_round_trip(samples, law):
    encode, decode = (audioop.lin2ulaw, audioop.ulaw2lin) if law == "PCMU" else (audioop.lin2alaw, audioop.alaw2lin)
    return np.frombuffer(decode(encode(samples.tobytes(), 2), 2), dtype=np.int16)


# --- tones ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("law", ["PCMU", "PCMA"])
@pytest.mark.parametrize("frequency", [440.0, 1000.0, 2500.0])
def test_tone_is_detected_through_g711(law, frequency):
    received = g711_round_trip(tones.tone(frequency, 1.0, amplitude=0.3), law)
    assert tones.tone_snr(received, RATE, frequency) > 30.0
    assert tones.detect_tone(received, RATE, frequency)
    assert tones.dominant_frequency(received, RATE) == pytest.approx(frequency, abs=1.0)


def test_tone_is_detected_after_leading_silence_and_a_lost_packet():
    sent = g711_round_trip(tones.tone(1000.0, 1.0), "PCMU")
    received = np.concatenate([np.zeros(40, dtype=np.int16), sent[:4000], sent[4160:]])  # 5 ms late, 1 packet lost
    assert tones.detect_tone(received, RATE, 1000.0)


def test_noise_silence_and_other_tones_are_rejected():
    noise = np.random.default_rng(7).normal(0.0, 6000.0, RATE).astype(np.int16)
    assert not tones.detect_tone(noise, RATE, 1000.0)
    assert tones.tone_snr(noise, RATE, 1000.0) < 0.0
    assert not tones.detect_tone(np.zeros(RATE, dtype=np.int16), RATE, 1000.0)
    assert tones.tone_snr(np.zeros(RATE, dtype=np.int16), RATE, 1000.0) == float("-inf")
    other = g711_round_trip(tones.tone(1300.0, 1.0), "PCMU")
    assert not tones.detect_tone(other, RATE, 1000.0)
    both = g711_round_trip(tones.tone(1000.0, 1.0, amplitude=0.25) + tones.tone(1300.0, 1.0, amplitude=0.25), "PCMU")
    assert not tones.detect_tone(both, RATE, 1000.0)  # a tone mixed with another is not a clean tone


def test_tone_generator_scales_and_counts_samples():
    samples = tones.tone(1000.0, 0.5, rate=48000, amplitude=0.5)
    assert samples.dtype == np.int16 and samples.size == 24000
    assert 16000 <= int(np.abs(samples).max()) <= 16384
    assert tones.dominant_frequency(samples, 48000) == pytest.approx(1000.0, abs=1.0)


# --- Carrier --------------------------------------------------------------------------------------------------------


def test_carrier_offer_and_answer_sdp():
    async def scenario():
        async with Carrier() as offerer, Carrier() as answerer:
            assert offerer.rtp_port % 2 == 0 and offerer.rtcp_port == offerer.rtp_port + 1
            offer = ParsedSdp(offerer.offer_sdp())
            audio = offer.audio()
            assert (audio["proto"], audio["formats"]) == ("RTP/AVP", ["0", "8", "101"])
            assert offer.audio_port == offerer.rtp_port
            assert offer.audio_address() == "127.0.0.1"
            assert offer.attribute("fmtp") == ["101 0-16"]
            assert offer.attribute("ptime") == ["20"] and offer.attribute("sendrecv") == [""]

            answer = ParsedSdp(answerer.answer_sdp(offer.text))
            assert answer.audio()["formats"] == ["0", "101"] and answer.audio_port == answerer.rtp_port

            pcma_only = offer.text.replace("RTP/AVP 0 8 101", "RTP/AVP 8").replace("sendrecv", "sendonly")
            answer = ParsedSdp(answerer.answer_sdp(pcma_only))
            assert answer.audio()["formats"] == ["8"]
            assert answer.attribute("rtpmap") == ["8 PCMA/8000"] and answer.attribute("recvonly") == [""]

            with pytest.raises(ValueError):
                answerer.answer_sdp(offer.text.replace("RTP/AVP 0 8 101", "RTP/AVP 9 101"))

    asyncio.run(scenario())


def test_remote_media_reads_rtcp_address_forms():
    base = "v=0\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
    implied = RemoteMedia(base)
    assert (implied.address, implied.port) == ("127.0.0.1", 4000)
    assert (implied.rtcp_address, implied.rtcp_port) == ("127.0.0.1", 4001)
    short = RemoteMedia(base + "a=rtcp:5001\r\n")
    assert (short.rtcp_address, short.rtcp_port) == ("127.0.0.1", 5001)
    long = RemoteMedia(base + "c=IN IP4 127.0.0.2\r\na=rtcp:6001 IN IP4 127.0.0.3\r\n")
    assert (long.address, long.rtcp_address, long.rtcp_port) == ("127.0.0.2", "127.0.0.3", 6001)
    assert RemoteMedia(base.replace("4000", "0")).on_hold
    # A video line before the audio does not lend it its c=; a session-level direction applies.
    video_first = base.replace("t=0 0\r\n", "t=0 0\r\na=sendonly\r\nm=video 5000 RTP/AVP 96\r\nc=IN IP4 127.0.0.9\r\n")
    media = RemoteMedia(video_first)
    assert (media.address, media.port, media.formats, media.direction) == ("127.0.0.1", 4000, [0], "sendonly")


def test_carriers_hear_each_others_tones():
    async def scenario():
        async with Carrier(tone_hz=700.0, duration=5.0) as offerer, Carrier(tone_hz=1300.0, duration=5.0) as answerer:
            offer = offerer.offer_sdp()
            answer = answerer.answer_sdp(offer)
            answerer.set_remote(offer)
            offerer.set_remote(answer)
            assert await offerer.wait_for_audio(1.5, timeout=5.0)
            assert await answerer.wait_for_audio(1.5, timeout=5.0)
            await asyncio.sleep(1.1)  # one more RTCP interval

            for carrier, peer, heard in ((offerer, answerer, 1300.0), (answerer, offerer, 700.0)):
                audio = carrier.received_audio()
                assert tones.detect_tone(audio, RATE, heard), tones.tone_snr(audio, RATE, heard)
                assert tones.dominant_frequency(audio, RATE) == pytest.approx(heard, abs=2.0)
                assert set(carrier.payload_types) == {0}
                assert carrier.rtp_sources == {("127.0.0.1", peer.rtp_port)}
                packets = carrier.received_packets
                assert packets[0].marker and not any(p.marker for p in packets[1:])
                assert {p.ssrc for p in packets} == {peer.ssrc} and {p.payload_size for p in packets} == {160}
                assert {(b.sequence - a.sequence) & 0xFFFF for a, b in zip(packets, packets[1:])} == {1}
                assert {(b.timestamp - a.timestamp) & 0xFFFFFFFF for a, b in zip(packets, packets[1:])} == {160}

                # The SR + SDES compound parses with an independent parser and reports on what it received.
                from aiortc.rtp import RtcpPacket, RtcpSdesPacket, RtcpSrPacket  # after webrtc: no audioop warning

                assert carrier.rtcp_received >= 2 and set(carrier.rtcp_types) == {200}
                report, sdes = RtcpPacket.parse(carrier.rtcp_packets[-1])
                assert isinstance(report, RtcpSrPacket) and isinstance(sdes, RtcpSdesPacket)
                assert report.ssrc == peer.ssrc and report.sender_info.packet_count > 0
                assert [block.ssrc for block in report.reports] == [carrier.ssrc]
                assert sdes.chunks[0].items[0] == (1, peer.cname.encode())

    asyncio.run(scenario())


def test_echo_carrier_returns_what_it_hears_and_stops_at_stop():
    async def scenario():
        async with Carrier(tone_hz=900.0, duration=5.0) as caller, Carrier(echo=True, duration=5.0) as echo:
            offer = caller.offer_sdp()
            answer = echo.answer_sdp(offer)
            echo.set_remote(offer)
            caller.set_remote(answer)
            assert await caller.wait_for_audio(1.5, timeout=5.0)
            # Before the first packet arrives the echo sends silence; skip it.
            audio = caller.received_audio()
            assert tones.detect_tone(audio[np.flatnonzero(audio)[0] :], RATE, 900.0)

            await echo.stop()
            assert not echo.sending
            sent = echo.packets_sent
            await asyncio.sleep(0.1)
            assert echo.packets_sent == sent

    asyncio.run(scenario())


def test_carrier_stops_sending_after_its_duration_and_to_a_sendonly_peer():
    async def scenario():
        async with Carrier(duration=0.2) as short, Carrier(duration=2.0) as held, Carrier() as peer:
            short.set_remote(peer.offer_sdp())
            held.set_remote(peer.offer_sdp().replace("a=sendrecv", "a=sendonly"))
            await asyncio.sleep(0.5)
            assert 8 <= short.packets_sent <= 11 and not short.sending
            assert held.packets_sent == 0 and held.sending
            assert peer.packets_received == short.packets_sent

    asyncio.run(scenario())


def test_carrier_records_telephone_events():
    async def scenario():
        async with Carrier() as carrier:
            carrier.offer_sdp()
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
                payload = bytes([5, 0x80 | 10, 0x03, 0x20])  # event 5, end, volume 10, duration 800
                sender.sendto(rtp.rtp_packet(1, 1000, 42, payload, payload_type=101), ("127.0.0.1", carrier.rtp_port))
                for _ in range(100):
                    if carrier.telephone_events:
                        break
                    await asyncio.sleep(0.01)
            event = carrier.telephone_events[0]
            assert (event.ssrc, event.event, event.end, event.volume, event.duration) == (42, 5, True, 10, 800)
            assert carrier.payload_types == {101: 1} and carrier.received_audio().size == 0

    asyncio.run(scenario())


def test_a_carrier_dials_rfc4733_events_in_place_of_its_audio():
    """Each digit: a marker on its first packet, one timestamp, durations growing by a packet, the end packet three
    times; the audio stops meanwhile and its sequence numbers run on."""
    async def scenario():
        async with Carrier(duration=5.0) as dialer, Carrier(duration=5.0) as peer:
            offer = dialer.offer_sdp()
            answer = peer.answer_sdp(offer)
            peer.set_remote(offer)
            dialer.set_remote(answer)
            assert await peer.wait_for_audio(0.2, timeout=5.0)
            seconds = dialer.dial("7#", tone_ms=100, gap_ms=60)
            await asyncio.sleep(seconds + 0.2)
            return peer.received_packets, peer.telephone_events

    packets, events = asyncio.run(scenario())
    by_timestamp = {}
    for event in events:
        by_timestamp.setdefault(event.timestamp, []).append(event)
    assert [group[0].event for _, group in sorted(by_timestamp.items())] == [7, 11]
    for group in by_timestamp.values():
        assert [e.duration for e in group] == [160, 320, 480, 640, 800, 800, 800]
        assert [e.end for e in group] == [False] * 4 + [True] * 3
        assert [e.marker for e in group] == [True] + [False] * 6
        assert {e.payload_type for e in group} == {101}
    assert {(b.sequence - a.sequence) & 0xFFFF for a, b in zip(packets, packets[1:])} == {1}
    audio = [p for p in packets if p.payload_type == 0]
    assert len(audio) + len(events) == len(packets)


# --- Browser (aiortc) -----------------------------------------------------------------------------------------------


def test_browsers_offer_only_loopback_and_pcmu_and_hear_each_others_tones():
    async def scenario():
        async with webrtc.Browser(tone_hz=440.0) as caller, webrtc.Browser(tone_hz=1000.0) as callee:
            offer = await caller.offer()
            answer = await callee.answer(offer)
            await caller.accept_answer(answer)
            for text in (offer, answer):
                parsed = ParsedSdp(text)
                assert parsed.audio()["formats"] == ["0"]
                candidates = parsed.attribute("candidate")
                assert candidates and all(c.split()[4] == "127.0.0.1" for c in candidates)
            assert ParsedSdp(offer).attribute("setup") == ["actpass"]
            assert ParsedSdp(answer).attribute("setup") == ["active"]

            assert await caller.wait_connected(timeout=5.0) and await callee.wait_connected(timeout=5.0)
            assert await caller.wait_for_audio(1.0, timeout=5.0)
            assert await callee.wait_for_audio(1.0, timeout=5.0)
            for browser, heard in ((caller, 1000.0), (callee, 440.0)):
                audio = browser.received_audio()
                assert tones.detect_tone(audio, browser.received_rate, heard), tones.tone_snr(audio, RATE, heard)
                assert tones.dominant_frequency(audio, browser.received_rate) == pytest.approx(heard, abs=2.0)
            caller_stats, callee_stats = await caller.stats(), await callee.stats()
            assert caller_stats["packets_sent"] > 0 and caller_stats["packets_received"] > 0
            assert callee_stats["packets_received"] > 0

    asyncio.run(scenario())


# --- Carrier: one G.711 law, other ptimes ---------------------------------------------------------------------------


def test_a_pcma_carrier_offers_and_accepts_only_pcma():
    async def scenario():
        async with Carrier(law="PCMA") as pcma, Carrier() as peer:
            offer = ParsedSdp(pcma.offer_sdp())
            assert offer.audio()["formats"] == ["8", "101"] and offer.attribute("rtpmap")[0] == "8 PCMA/8000"
            answer = ParsedSdp(pcma.answer_sdp(peer.offer_sdp()))
            assert answer.audio()["formats"] == ["8", "101"]
            with pytest.raises(ValueError):
                pcma.answer_sdp(peer.offer_sdp().replace("RTP/AVP 0 8 101", "RTP/AVP 0 101"))

    asyncio.run(scenario())


@pytest.mark.parametrize("law", ["PCMU", "PCMA"])
@pytest.mark.parametrize("ptime_ms", [10, 30, 40])
def test_a_carrier_sends_its_ptime_and_decodes_any_packet_size(law, ptime_ms):
    """The sender announces and sends `ptime_ms` packets; the receiver (at 20 ms itself) decodes them by payload type
    whatever their size, as it must decode rtcgated's packets of the carrier's own ptime."""
    samples = 8 * ptime_ms

    async def scenario():
        async with Carrier(law=law, ptime_ms=ptime_ms, tone_hz=900.0, duration=3.0) as sender, \
                Carrier(tone_hz=1300.0, duration=3.0) as receiver:
            offer = sender.offer_sdp()
            assert ParsedSdp(offer).attribute("ptime") == [str(ptime_ms)]
            receiver.set_remote(receiver_answer := receiver.answer_sdp(offer))  # noqa: F841 (answer kept for reading)
            receiver.set_remote(offer)
            sender.set_remote(receiver_answer)
            assert await receiver.wait_for_audio(1.0, timeout=5.0)
            assert await sender.wait_for_audio(1.0, timeout=5.0)
            # Only the sender's packets: a stray datagram from another test's party may reach a reused loopback port.
            packets = [p for p in receiver.received_packets if p.source == (sender.host, sender.rtp_port)]
            return packets, receiver.received_audio(), sender.received_audio(), receiver.payload_types

    packets, heard, sender_heard, payload_types = asyncio.run(scenario())
    assert set(payload_types) == {0 if law == "PCMU" else 8}
    assert {p.payload_size for p in packets} == {samples}
    assert {(b.sequence - a.sequence) & 0xFFFF for a, b in zip(packets, packets[1:])} == {1}
    assert {(b.timestamp - a.timestamp) & 0xFFFFFFFF for a, b in zip(packets, packets[1:])} == {samples}
    arrivals = np.diff([p.arrival for p in packets])
    assert np.median(arrivals) == pytest.approx(ptime_ms / 1000.0, abs=0.004)
    assert heard.size == len(packets) * samples
    assert tones.detect_tone(heard, RATE, 900.0) and tones.dominant_frequency(heard, RATE) == pytest.approx(900, abs=2)
    assert tones.detect_tone(sender_heard, RATE, 1300.0)


def test_a_carrier_rejects_a_ptime_or_law_it_cannot_send():
    with pytest.raises(ValueError):
        Carrier(ptime_ms=25)
    with pytest.raises(ValueError):
        Carrier(law="G722")


# --- Opus in-band FEC from aiortc's encoder ---------------------------------------------------------------------


def encode_opus_tone(encoder, frequency, frames):
    """`frames` 20 ms Opus packets of a tone, through `encoder` as aiortc's sender feeds it (8 kHz mono frames)."""
    import fractions

    import av

    packets = []
    for index in range(frames):
        start = index * 160
        wave = np.round(0.5 * 32767.0 * np.sin(2.0 * np.pi * frequency * (start + np.arange(160)) / RATE))
        samples = wave.astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, start, fractions.Fraction(1, RATE)
        packets.append(encoder.encode(frame)[0][0])
    return packets


class OpusTestDecoder:
    """A libopus decoder (48 kHz stereo, as aiortc decodes) through ctypes: normal, FEC and PLC decoding."""

    def __init__(self):
        error = webrtc.ctypes.c_int()
        self.lib = webrtc.libopus()
        self.decoder = webrtc.ctypes.c_void_p(self.lib.opus_decoder_create(48000, 2, webrtc.ctypes.byref(error)))
        assert error.value == 0

    def decode(self, packet, fec=False):
        """One 20 ms frame: of `packet` (None: PLC), or with fec=True the previous frame rebuilt from `packet`."""
        output = (webrtc.ctypes.c_int16 * (960 * 2))()
        count = self.lib.opus_decode(self.decoder, packet, len(packet) if packet else 0, output, 960, int(fec))
        assert count == 960
        return np.array(output, dtype=np.float64)

    def close(self):
        self.lib.opus_decoder_destroy(self.decoder)


def recovery_snr_db(packets, lost, fec):
    """How well frame `lost` comes back when its packet is lost (dB against decoding it): rebuilt from the next
    packet's FEC (fec=True) or concealed (PLC)."""
    reference, impaired = OpusTestDecoder(), OpusTestDecoder()
    try:
        for packet in packets[:lost]:
            reference.decode(packet)
            impaired.decode(packet)
        expected = reference.decode(packets[lost])
        recovered = impaired.decode(packets[lost + 1], fec=True) if fec else impaired.decode(None)
    finally:
        reference.close()
        impaired.close()
    error = np.sum((recovered - expected) ** 2)
    return float(10.0 * np.log10(np.sum(expected**2) / max(error, 1e-9)))


def test_fec_encoder_lets_a_decoder_rebuild_a_lost_frame_far_better_than_plc():
    """Measured (libopus 1.3.1, a 700 Hz tone, aiortc's defaults otherwise): with FEC the rebuilt frame is ~40 dB
    from the decoded one, concealment ~6 dB; without FEC, in aiortc's CELT-only mode or forced to hybrid like the
    FEC stream, decode_fec has no LBRR to use and conceals."""
    with_fec = encode_opus_tone(webrtc.TunedOpusEncoder(fec_loss_percent=10), 700.0, 40)
    plain = encode_opus_tone(webrtc.OpusEncoder(), 700.0, 40)
    hybrid = encode_opus_tone(webrtc.TunedOpusEncoder(mode="hybrid"), 700.0, 40)
    for lost in (20, 25, 30):
        fec_snr, plc_snr = recovery_snr_db(with_fec, lost, fec=True), recovery_snr_db(with_fec, lost, fec=False)
        assert fec_snr > 25.0 and fec_snr > plc_snr + 15.0, (lost, fec_snr, plc_snr)
        for packets in (plain, hybrid):
            no_fec_snr, no_plc_snr = recovery_snr_db(packets, lost, fec=True), recovery_snr_db(packets, lost, fec=False)
            assert no_fec_snr == pytest.approx(no_plc_snr, abs=0.5), (lost, no_fec_snr, no_plc_snr)
    # RFC 6716 section 3.1, the TOC byte's configuration: 0..11 SILK, 12..15 hybrid, 16..31 CELT.
    assert {packet[0] >> 3 for packet in with_fec[5:]} <= set(range(12, 16))
    assert {packet[0] >> 3 for packet in hybrid[5:]} <= set(range(12, 16))
    assert {packet[0] >> 3 for packet in plain[5:]} <= set(range(16, 32))


def test_tuned_encoder_reports_its_settings_and_a_browser_sends_with_it():
    encoder = webrtc.TunedOpusEncoder(fec_loss_percent=15, bitrate=32000)
    assert encoder.get(webrtc.OPUS_GET_INBAND_FEC) == 1 and encoder.get(webrtc.OPUS_GET_PACKET_LOSS_PERC) == 15
    assert encoder.get(webrtc.OPUS_GET_BITRATE) == 32000
    assert webrtc.TunedOpusEncoder().get(webrtc.OPUS_GET_INBAND_FEC) == 0  # aiortc's default
    with pytest.raises(ValueError):
        webrtc.Browser(opus_fec_loss_percent=10)  # PCMU cannot carry Opus FEC

    async def scenario():
        async with webrtc.Browser(tone_hz=440.0, codec="audio/opus", opus_fec_loss_percent=10) as caller, \
                webrtc.Browser(tone_hz=1000.0, codec="audio/opus") as callee:
            assert caller.opus_encoder.get(webrtc.OPUS_GET_INBAND_FEC) == 1 and callee.opus_encoder is None
            await caller.accept_answer(await callee.answer(await caller.offer()))
            assert ParsedSdp(caller.pc.localDescription.sdp).attribute("rtpmap")[0].endswith("opus/48000/2")
            assert await caller.wait_connected(timeout=5.0) and await callee.wait_connected(timeout=5.0)
            assert await callee.wait_for_audio(1.0, timeout=5.0)
            assert tones.detect_tone(callee.received_audio(), callee.received_rate, 440.0)
            return caller.transceiver.sender._RTCRtpSender__encoder, caller.opus_encoder

    used, configured = asyncio.run(scenario())
    assert used is configured  # aiortc sent with the tuned encoder, not one of its own
