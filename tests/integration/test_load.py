"""rtcgate-load, the synthetic load tool, against the real daemon (a small load: no timing thresholds)."""

import json
import os
import pathlib
import subprocess
import time

from daemon import daemon_binary, free_port

CALLS = 20
DURATION_S = 2
PTIME_MS = 20


def load_binary():
    override = os.environ.get("RTCGATE_LOAD")
    return pathlib.Path(override) if override else daemon_binary().parent / "rtcgate-load"


def run_load(ng_address, *args):
    """Runs rtcgate-load; returns the CompletedProcess (stdout and stderr as text)."""
    address = f"{ng_address[0]}:{ng_address[1]}"
    return subprocess.run(
        [str(load_binary()), "--ng", address, *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)


def test_a_small_load_is_relayed_whole_and_the_calls_are_deleted(start_daemon):
    daemon = start_daemon(ports=4 * CALLS + 8)
    done = run_load(daemon.ng_address, "--calls", str(CALLS), "--duration", str(DURATION_S),
                    "--ptime", str(PTIME_MS), "--pid", str(daemon.process.pid), "--drain-ms", "5000", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)

    per_direction = CALLS * DURATION_S * 1000 // PTIME_MS
    packets = report["packets"]
    assert packets["expected"] == 2 * per_direction
    assert (packets["sent"], packets["received"], packets["lost"]) == (2 * per_direction, 2 * per_direction, 0)
    assert (packets["misrouted"], packets["foreign"], packets["send_errors"]) == (0, 0, 0)
    for name in ("caller_to_callee", "callee_to_caller"):
        direction = report["directions"][name]
        assert (direction["sent"], direction["received"], direction["lost"]) == (per_direction, per_direction, 0)
        assert direction["duplicates"] == 0
        assert 0 < direction["latency_us"]["p50"] <= direction["latency_us"]["p99"] <= direction["latency_us"]["max"]

    assert report["daemon"]["pid"] == daemon.process.pid
    assert report["daemon"]["cpu_s"] > 0
    assert report["daemon"]["cpu_us_per_packet"] > 0
    assert report["daemon"]["counted_rtp_packets"] == 2 * per_direction
    assert report["deleted"] == CALLS and report["delete_failed"] == 0
    assert report["error"] is None

    # A deleted call is listed until --delete-delay (0 here) is over: the next housekeeping, every 100 ms.
    with daemon.client() as ng:
        deadline = time.monotonic() + 5
        calls = ng.request({"command": "list"})["calls"]
        while calls and time.monotonic() < deadline:
            time.sleep(0.1)
            calls = ng.request({"command": "list"})["calls"]
        assert calls == []


def test_the_summary_names_the_figures(start_daemon):
    daemon = start_daemon(ports=16)
    done = run_load(daemon.ng_address, "--calls", "2", "--duration", "0.2", "--pid", str(daemon.process.pid))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sent 40, received 40, lost 0" in done.stdout
    assert "us per relayed packet" in done.stdout
    assert "calls deleted: 2" in done.stdout


def test_refuses_addresses_that_are_not_loopback():
    done = run_load(("192.0.2.1", 2223), "--calls", "1", "--duration", "1")
    assert done.returncode == 2 and "loopback" in done.stderr and done.stdout == ""
    done = run_load(("127.0.0.1", 2223), "--calls", "1", "--duration", "1", "--address", "192.0.2.1")
    assert done.returncode == 2 and "loopback" in done.stderr and done.stdout == ""


def test_no_daemon_fails_the_set_up_and_exits_1():
    done = run_load(("127.0.0.1", free_port()), "--calls", "3", "--duration", "1", "--timeout-ms", "100", "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["calls_established"] == 0 and "set-up" in report["error"]
    assert report["packets"]["sent"] == 0
