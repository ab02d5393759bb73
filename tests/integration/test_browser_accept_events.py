"""The demo's carrier calls headless Chromium, which answers without telephone-event (the page's noEvents=1), with
the recipe's variant `codec: {accept: [telephone-event]}` (demo/recipe.py, the demo server's --accept-events; issue
11, point 4). The carrier dials RFC 4733 digits: Chromium must hear them as tones, with no packet missing from what
it receives; Chromium's microphone (a file) plays DTMF tones: the carrier must receive them as RFC 4733 events."""

import wave

import numpy as np
import pytest

import tones
from dtmf_audio import DIGITS, detect_digits, frequencies_of
from test_browser import (BROWSER_HZ, FAKE_MICROPHONE_RATE, audio_of, chromium_binary, chromium_stats,
                          run_page_with_own_server)

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="Debian's chromium is not installed")

CARRIER_DIALS = "159#"
MICROPHONE_DIALS = "2580"
DIGIT_SECONDS = 0.12
RECORD_SECONDS = 5


def write_microphone(path, rate=FAKE_MICROPHONE_RATE):
    """Chromium's microphone: a second of BROWSER_HZ, MICROPHONE_DIALS as tone pairs (gaps of silence between),
    a second of BROWSER_HZ (Chromium loops the file)."""
    parts = [tones.tone(BROWSER_HZ, 1.0, rate)]
    count = int(DIGIT_SECONDS * rate)
    times = np.arange(count) / rate
    for digit in MICROPHONE_DIALS:
        low, high = frequencies_of(digit)
        parts.append(0.25 * 32767 * (np.sin(2 * np.pi * low * times) + np.sin(2 * np.pi * high * times)))
        parts.append(np.zeros(count))
    parts.append(tones.tone(BROWSER_HZ, 1.0, rate))
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(rate)
        output.writeframes(np.round(np.concatenate(parts)).astype("<i2").tobytes())
    return path


def digits_of(telephone_events):
    """The digits of the carrier's RFC 4733 packets: one per event (its RTP timestamp), in order."""
    digits = {}
    for packet in telephone_events:
        digits.setdefault((packet["ssrc"], packet["timestamp"]), DIGITS[packet["event"]])
    return "".join(digits.values())


def test_chromium_without_telephone_event_hears_a_carriers_digits_and_sends_its_own_as_events(start_daemon,
                                                                                              tmp_path):
    report, context = run_page_with_own_server(
        start_daemon, tmp_path, ("--accept-events", "--carrier-dials", CARRIER_DIALS, "--no-echo"),
        {"auto": "incoming", "seconds": RECORD_SECONDS, "noEvents": 1}, write_microphone(tmp_path / "microphone.wav"))

    assert "telephone-event" not in report["localSdp"], report["localSdp"]
    assert "telephone-event/8000" in report["carrier"]["sdp"], report["carrier"]["sdp"]

    # Chromium hears the carrier's digits as tones, and misses no packet of what rtcgated sends it.
    recorded = audio_of(report["samples"]).astype(np.float64)
    # To the detector's 8 kHz: what rtcgated sends Chromium is G.711, with nothing above 4 kHz to alias.
    seconds = recorded.size / report["sampleRate"]
    heard = np.interp(np.arange(int(seconds * 8000)) / 8000, np.arange(recorded.size) / report["sampleRate"], recorded)
    digits = "".join(digit for digit, milliseconds in detect_digits(heard) if milliseconds >= 40)
    (inbound,) = chromium_stats(report, "inbound-rtp")
    print(f"Chromium heard {digits!r}; inbound {inbound.get('packetsReceived')} packets,"
          f" {inbound.get('packetsLost')} lost; the carrier received {digits_of(report['carrier']['telephone_events'])!r}")
    assert CARRIER_DIALS in digits, f"Chromium heard {digits!r}{context}"
    assert inbound["packetsReceived"] > 0 and inbound["packetsLost"] == 0, f"Chromium: {inbound}"

    # The carrier receives Chromium's tones as events (the file loops: its digits come round again).
    received = digits_of(report["carrier"]["telephone_events"])
    assert MICROPHONE_DIALS in received, f"the carrier received {received!r}{context}"
    assert set(received) <= set(MICROPHONE_DIALS), received
