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
