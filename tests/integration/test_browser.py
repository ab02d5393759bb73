"""The demo, driven by headless Chromium: a real browser calls the demo's carrier through rtcgated, and the carrier
calls the browser, with the ng flags of the Kamailio WebRTC <-> SIP recipe (demo/server.py plays the proxy).

Chromium's microphone is a file (a 700 Hz tone); the demo page runs the call by itself (?auto=...), records what
it hears and reports it to the demo server, which keeps it with what the carrier heard. The carrier plays a
1300 Hz tone for a few seconds, then echoes what it hears, so the browser must hear 1300 Hz and then its own
700 Hz back. Neither the page nor the server touches an SDP: Chromium gets rtcgated's SDP as it is.
"""

import base64
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import wave

import numpy as np
import pytest

import tones
from daemon import REPO_ROOT

BROWSER_HZ = 700.0
CARRIER_HZ = 1300.0
FAKE_MICROPHONE_RATE = 48000
TONE_SECONDS = 3.5  # the carrier's tone, from the moment it may send; then it echoes
CALL_SECONDS = 6  # how long the page keeps the call up once connected
MIN_WINDOW_SECONDS = 1.0  # of tone, and of echo, that the browser must have recorded to judge them
# The recording is lined up with the carrier's switch to echo by the wall clock; these margins cover the jitter
# buffers (~100 ms) on both sides of the switch.
BEFORE_ECHO_MARGIN = 0.3
AFTER_ECHO_MARGIN = 0.6
SERVER_START_TIMEOUT = 10.0
REPORT_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def chromium_binary():
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="Debian's chromium is not installed")


def write_tone_wav(path, frequency, seconds=2.0, rate=FAKE_MICROPHONE_RATE):
    """A mono 16-bit WAV of a whole number of the tone's periods (Chromium loops the file without a click)."""
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(rate)
        output.writeframes(tones.tone(frequency, seconds, rate).astype("<i2").tobytes())
    return path


class DemoServer:
    """demo/server.py against a running rtcgated, on a free loopback port (`extra_args`: more of its options)."""

    def __init__(self, ng_address, log_path, extra_args=()):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "demo" / "server.py"), "--listen", "127.0.0.1:0",
             "--ng", f"{ng_address[0]}:{ng_address[1]}", "--tone-hz", str(CARRIER_HZ),
             "--tone-seconds", str(TONE_SECONDS), *extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log, cwd=REPO_ROOT,
        )
        self.url = self._read_url()

    def _read_url(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        line = b""
        while time.monotonic() < deadline and not line.endswith(b"\n"):
            ready, _, _ = select.select([self.process.stdout], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                break
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                break
            line += chunk
        words = [word for word in line.decode(errors="replace").split() if word.startswith("http://")]
        if not words:
            self.stop()
            raise RuntimeError(f"the demo server printed no URL ({line!r})\n{self.log()}")
        return words[0]

    def report(self):
        """The page's last report (with what the carrier heard), or None before there is one."""
        try:
            with urllib.request.urlopen(self.url + "report", timeout=5) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    def stop(self):
        """SIGTERM, as a person's Ctrl-C or a service manager would; the exit code (None: had to be killed)."""
        code = None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)
        else:
            code = self.process.returncode
        self.process.stdout.close()
        self._log.close()
        return code

    def log(self):
        return self.log_path.read_text(errors="replace")[-5000:]


class Chromium:
    """Headless Chromium on one page, with a file for a microphone; in its own process group, killed whole."""

    def __init__(self, url, microphone_wav, profile_dir, log_path):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        args = [
            chromium_binary(),
            "--headless=new",
            "--no-sandbox",  # root in CI, and no user namespaces inside `unshare --net`
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile_dir}",
            "--use-fake-ui-for-media-stream",  # grant the microphone without asking
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone_wav}",
            "--autoplay-policy=no-user-gesture-required",
            # WebRTC ignores loopback interfaces unless told otherwise; with the microphone granted, Chromium lists
            # its host addresses as they are (no mDNS .local names), and rtcgated's 127.0.0.1 candidate is usable.
            "--allow-loopback-in-peer-connection",
            "--enable-logging=stderr",  # the page's console, for a failing test's message
            "--v=0",
            url,
        ]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    @property
    def running(self):
        return self.process.poll() is None

    def close(self):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)  # the browser and every helper process it started
            except ProcessLookupError:
                break
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                continue
        self._log.close()

    def console(self):
        """The page's console and WebRTC's complaints, from Chromium's log."""
        text = self.log_path.read_text(errors="replace")
        wanted = (":CONSOLE", "webrtc", "/p2p/", "media")
        lines = [line for line in text.splitlines() if any(word in line for word in wanted)]
        return "\n".join(lines)[-8000:]


@pytest.fixture
def demo(rtcgated, tmp_path):
    server = DemoServer(rtcgated.ng_address, tmp_path / "demo-server.log")
    yield server
    code = server.stop()
    assert code == 0, f"the demo server exited with {code} after SIGTERM\n{server.log()}"


@pytest.fixture
def browser(demo, tmp_path):
    """open(query) loads the demo page in headless Chromium; every browser opened is closed at teardown."""
    opened = []
    microphone = write_tone_wav(tmp_path / "microphone-700hz.wav", BROWSER_HZ)

    def open_page(query):
        chromium = Chromium(demo.url + "?" + query, microphone, tmp_path / f"chromium-profile-{len(opened)}",
                            tmp_path / f"chromium-{len(opened)}.log")
        opened.append(chromium)
        return chromium

    yield open_page
    for chromium in opened:
        chromium.close()


def wait_for_report(demo, chromium):
    """The page's report (None if none came within REPORT_TIMEOUT, or Chromium ended), and the diagnostics."""
    deadline = time.monotonic() + REPORT_TIMEOUT
    report = None
    while report is None and time.monotonic() < deadline and chromium.running:
        time.sleep(0.25)
        report = demo.report()
    return report, f"\n--- page console ---\n{chromium.console()}\n--- demo server ---\n{demo.log()}"


def run_page_with_own_server(start_daemon, tmp_path, server_args, query, microphone):
    """The page at ?`query` (a dict), with `microphone` (a WAV) as Chromium's microphone, against a demo server of
    its own (`server_args`) and a fresh rtcgated; the page's report (checked to be there and without an error) and
    the diagnostics."""
    daemon = start_daemon()
    demo = DemoServer(daemon.ng_address, tmp_path / "demo-server.log", server_args)
    chromium = None
    try:
        chromium = Chromium(demo.url + "?" + urllib.parse.urlencode(query), microphone, tmp_path / "chromium-profile",
                            tmp_path / "chromium.log")
        report, context = wait_for_report(demo, chromium)
    finally:
        if chromium is not None:
            chromium.close()
        code = demo.stop()
    assert code == 0, f"the demo server exited with {code} after SIGTERM\n{demo.log()}"
    assert report is not None, f"no report from the page within {REPORT_TIMEOUT} s{context}"
    (tmp_path / "report.json").write_text(json.dumps(report))  # for a failing test's post-mortem
    assert "error" not in report, f"the page failed: {report['error']}{context}"
    return report, context


def run_auto_call(demo, browser, direction):
    """Loads the page with ?auto=<direction>, waits for its report and returns it (with the diagnostics of a
    failure in the assertion message)."""
    chromium = browser(f"auto={direction}&seconds={CALL_SECONDS}")
    report, context = wait_for_report(demo, chromium)
    assert report is not None, (
        f"no report from the page within {REPORT_TIMEOUT} s (chromium running: {chromium.running}){context}"
    )
    if "error" in report:
        pytest.fail(
            f"the page failed: {report['error']}\n"
            f"--- rtcgated's SDP, as the page got it ---\n{report.get('gatewaySdp')}\n"
            f"--- Chromium's SDP ---\n{report.get('localSdp')}{context}",
            pytrace=False,
        )
    return report, context


def audio_of(encoded):
    return np.frombuffer(base64.b64decode(encoded), dtype="<i2")


def chromium_stats(report, kind):
    return [stats for stats in report.get("stats", {}).values() if stats["type"] == kind]


def judge_call(report, context, expected_dtls_role, expected_codec):
    assert "connected" in report["connectionStates"], f"connection states {report['connectionStates']}{context}"

    gateway = report["rtcgated"]["parties"]
    webrtc, carrier = gateway["browser"], gateway["carrier"]
    assert (webrtc["ice"], webrtc["dtls"]) == ("connected", "connected"), f"rtcgated: {webrtc}{context}"
    assert webrtc["dtls_role"] == expected_dtls_role, f"rtcgated: {webrtc}"
    assert webrtc["srtp_profile"], f"rtcgated: {webrtc}"
    assert webrtc["protocol"] == "UDP/TLS/RTP/SAVPF" and webrtc["rtcp_mux"], f"rtcgated: {webrtc}"
    assert carrier["protocol"] == "RTP/AVP" and carrier["ice"] is None and carrier["dtls"] is None, carrier

    (transport,) = chromium_stats(report, "transport")
    assert transport["dtlsState"] == "connected" and transport.get("srtpCipher"), f"Chromium: {transport}"
    codecs = {stats["id"]: stats["mimeType"] for stats in chromium_stats(report, "codec")}
    inbound = chromium_stats(report, "inbound-rtp")
    assert [codecs.get(stats.get("codecId")) for stats in inbound] == [expected_codec], f"Chromium: {inbound}"
    if expected_codec == "audio/opus":
        # rtcgated's Opus carries in-band FEC: Chromium counts it (and discards it when nothing was lost).
        assert all(stats.get("fecPacketsReceived", 0) > 0 for stats in inbound), f"Chromium: {inbound}"

    heard_by_carrier = audio_of(report["carrier"]["samples"])
    carrier_snr = tones.tone_snr(heard_by_carrier, report["carrier"]["sample_rate"], BROWSER_HZ)
    assert carrier_snr >= tones.DEFAULT_MIN_SNR_DB, (
        f"the carrier heard {heard_by_carrier.size / 8000:.2f} s, {BROWSER_HZ} Hz at {carrier_snr:.1f} dB{context}"
    )

    # The browser's recording: the carrier's tone up to the switch to echo, then its own tone coming back.
    heard_by_browser = audio_of(report["samples"])
    rate = report["sampleRate"]
    recorded = heard_by_browser.size / rate
    echo_at = (report["carrier"]["echo_started_ms"] - report["captureStartedMs"]) / 1000.0
    tone_part = heard_by_browser[: int((echo_at - BEFORE_ECHO_MARGIN) * rate)]
    echo_part = heard_by_browser[int((echo_at + AFTER_ECHO_MARGIN) * rate) :]
    assert tone_part.size >= MIN_WINDOW_SECONDS * rate and echo_part.size >= MIN_WINDOW_SECONDS * rate, (
        f"recorded {recorded:.2f} s, the carrier echoed from {echo_at:.2f} s: too little of either to judge"
    )
    tone_snr = tones.tone_snr(tone_part, rate, CARRIER_HZ)
    echo_snr = tones.tone_snr(echo_part, rate, BROWSER_HZ)
    print(f"carrier heard {BROWSER_HZ} Hz at {carrier_snr:.1f} dB; the browser recorded {recorded:.2f} s at {rate} Hz:"
          f" {CARRIER_HZ} Hz at {tone_snr:.1f} dB, then (echo from {echo_at:.2f} s) its own {BROWSER_HZ} Hz at"
          f" {echo_snr:.1f} dB")
    assert tone_snr >= tones.DEFAULT_MIN_SNR_DB, (
        f"the browser heard the carrier's {CARRIER_HZ} Hz at {tone_snr:.1f} dB in the first {echo_at:.2f} s{context}"
    )
    assert echo_snr >= tones.DEFAULT_MIN_SNR_DB, (
        f"the browser heard its own {BROWSER_HZ} Hz echoed at {echo_snr:.1f} dB after {echo_at:.2f} s{context}"
    )


def test_browser_calls_carrier(demo, browser):
    report, context = run_auto_call(demo, browser, "call")
    # Chromium offered actpass: rtcgated answers active (RFC 8842 section 5.3). Chromium offered PCMU as well as
    # Opus, and the carrier answered PCMU: passed through, not transcoded.
    judge_call(report, context, expected_dtls_role="active", expected_codec="audio/PCMU")


def test_carrier_calls_browser(demo, browser):
    report, context = run_auto_call(demo, browser, "incoming")
    # The recipe's DTLS=passive: rtcgated offers passive, Chromium answers active. The recipe offers Chromium Opus
    # first: it answers Opus, and rtcgated transcodes to the carrier's PCMU.
    judge_call(report, context, expected_dtls_role="passive", expected_codec="audio/opus")
