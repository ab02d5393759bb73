"""DTMF from the demo page in headless Chromium: RTCRtpSender.dtmf.insertDTMF sends the 16 events as RFC 4733
telephone-event, and the demo's carrier (plain RTP, G.711, telephone-event/8000) must receive each digit once, in
order, with its boundaries (marker on the start, end packets) and its duration at 8 kHz.

Three lines through rtcgated: the browser's call as the recipe makes it (Chromium offers Opus and PCMU, the carrier
answers PCMU: passed through, Chromium sends telephone-event/8000 itself), and the same call with the demo server's
--always-transcode (ng flag "always transcode": Chromium is answered Opus, sends telephone-event/48000, and rtcgated
rescales it to the carrier's telephone-event/8000); and the carrier's call to Chromium (Opus, transcoded).

Chromium sends each 100 ms digit as 7 packets: durations of 1 to 5 packets of 20 ms (the marker on the first), the
last one three times with the end bit; at 8 kHz 160, 320, 480, 640, 800 x 3 (at 48 kHz 960 ... 4800 x 3).
"""

import sys

import pytest

from daemon import REPO_ROOT
from test_browser import BROWSER_HZ, chromium_binary, run_page_with_own_server, write_tone_wav

sys.path.insert(0, str(REPO_ROOT))  # for demo/
from demo.carrier import RemoteMedia  # noqa: E402

DIGITS = "0123456789*#ABCD"
EVENT_CODES = {digit: code for code, digit in enumerate(DIGITS)}  # RFC 4733 section 3.2
TONE_MS = 100
GAP_MS = 70
CARRIER_RATE = 8000
AUDIO_SECONDS = 1  # of audio before the digits
# Chromium sends an event's duration in whole audio frames from its start: the final duration may be a packet
# (20 ms at 8 kHz) off the requested one.
DURATION_TOLERANCE = 160

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="Debian's chromium is not installed")

LINES = {
    # the line: (demo server options, Chromium's codec, the telephone-event clock rate Chromium sends, the call)
    "passthrough": ((), "audio/PCMU", 8000, "call"),
    "transcoded": (("--always-transcode",), "audio/opus", 48000, "call"),
    # The carrier calls: Chromium answers Opus, and is offered telephone-event/48000 only (beside Opus, libwebrtc
    # would pick the lowest-clock telephone-event offered and send 3 broken end packets per digit).
    "incoming": ((), "audio/opus", 48000, "incoming"),
}


def run_dtmf_call(start_daemon, tmp_path, line):
    """The call (?auto=call or incoming, &dtmf=DIGITS) through a fresh rtcgated; the page's report."""
    server_args, _, _, direction = LINES[line]
    query = {"auto": direction, "seconds": AUDIO_SECONDS, "dtmf": DIGITS, "dtmfDuration": TONE_MS, "dtmfGap": GAP_MS}
    return run_page_with_own_server(start_daemon, tmp_path, server_args, query,
                                    write_tone_wav(tmp_path / "microphone.wav", BROWSER_HZ))


def events_by_timestamp(telephone_events):
    """The carrier's RFC 4733 packets as events: one list of packets per RTP timestamp, in order of arrival."""
    events = {}
    for packet in telephone_events:
        events.setdefault((packet["ssrc"], packet["timestamp"]), []).append(packet)
    return list(events.values())


def telephone_event_types(sdp_text, clock_rate):
    media = RemoteMedia(sdp_text)
    return [payload_type for payload_type in media.formats if media.encoding(payload_type) == ("TELEPHONE-EVENT",
                                                                                              clock_rate)]


@pytest.mark.parametrize("line", LINES)
def test_chromium_sends_digits_the_carrier_receives_at_8khz(start_daemon, tmp_path, line):
    _, codec, browser_event_rate, _ = LINES[line]
    report, context = run_dtmf_call(start_daemon, tmp_path, line)

    # What Chromium did: the codec it sent, the telephone-event rate it negotiated, and every tone it played.
    outbound = [stats for stats in report["stats"].values() if stats["type"] == "outbound-rtp"]
    codecs = {stats["id"]: stats["mimeType"] for stats in report["stats"].values() if stats["type"] == "codec"}
    assert [codecs.get(stats.get("codecId")) for stats in outbound] == [codec], f"Chromium: {outbound}"
    # rtcgated answers Chromium with telephone-event at its codec's clock rate only: the one Chromium sends.
    answered_rates = [rate for rate in (8000, 48000) if telephone_event_types(report["remoteSdp"], rate)]
    assert answered_rates == [browser_event_rate], f"rtcgated's answer to Chromium:\n{report['remoteSdp']}"
    dtmf = report["dtmf"]
    assert dtmf["canInsertDTMF"] and dtmf["complete"], f"the page's DTMF: {dtmf}{context}"
    assert [change["tone"] for change in dtmf["toneChanges"]] == list(DIGITS) + [""], dtmf

    # What the carrier got: its own telephone-event/8000 payload type only, no other clock rate's.
    carrier = report["carrier"]
    (carrier_type,) = telephone_event_types(carrier["sdp"], CARRIER_RATE)
    received_types = {int(payload_type) for payload_type in carrier["payload_types"]}
    assert received_types == {0, carrier_type}, f"the carrier received payload types {carrier['payload_types']}"
    assert_digits_received(carrier["telephone_events"], carrier_type, dtmf["toneChanges"], line)


def assert_digits_received(packets, carrier_type, tone_changes, line=""):
    """The carrier's RFC 4733 packets carry DIGITS, each once and in order, with their boundaries and TONE_MS at
    8 kHz (`tone_changes`: the page's tonechange events, for the message)."""
    assert {packet["payload_type"] for packet in packets} == {carrier_type}, f"payload types of the events: {packets}"

    # Each digit once, in order: one RTP timestamp per event, one event code per timestamp.
    events = events_by_timestamp(packets)
    summary = [
        (DIGITS[event[0]["event"]] if event[0]["event"] < len(DIGITS) else event[0]["event"],
         [(packet["duration"], packet["end"], packet["marker"]) for packet in event])
        for event in events
    ]
    print(f"{line}: Chromium played {tone_changes}; the carrier received (digit, [(duration, end, marker)]):"
          f" {summary}")
    assert "".join(str(digit) for digit, _ in summary) == DIGITS, f"the carrier's events: {summary}"
    assert len({packet["ssrc"] for packet in packets}) == 1, summary
    for digit, event in zip(DIGITS, events):
        assert {packet["event"] for packet in event} == {EVENT_CODES[digit]}, f"{digit}: {event}"
        # RFC 4733 section 2.5.1: the marker on the start only; the duration grows; the end packet(s) last,
        # repeated at the final duration.
        assert [packet["marker"] for packet in event] == [True] + [False] * (len(event) - 1), f"{digit}: {event}"
        durations = [packet["duration"] for packet in event]
        assert durations == sorted(durations), f"{digit}: {event}"
        ends = [packet["end"] for packet in event]
        first_end = ends.index(True) if True in ends else None
        assert first_end is not None and all(ends[first_end:]), f"{digit}: no end packet, or updates after: {event}"
        assert len({packet["duration"] for packet in event[first_end:]}) == 1, f"{digit}: {event}"
        final = event[-1]["duration"]
        assert abs(final - TONE_MS * CARRIER_RATE // 1000) <= DURATION_TOLERANCE, (
            f"{digit}: the final duration {final} is not {TONE_MS} ms at {CARRIER_RATE} Hz: {event}"
        )
