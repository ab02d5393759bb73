"""rtcgate-load, the synthetic load tool, run against a daemon under test."""

import os
import pathlib
import subprocess

from daemon import daemon_binary


def load_binary():
    override = os.environ.get("RTCGATE_LOAD")
    return pathlib.Path(override) if override else daemon_binary().parent / "rtcgate-load"


def load_command(ng_address, *args):
    return [str(load_binary()), "--ng", f"{ng_address[0]}:{ng_address[1]}", *args]


def run_load(ng_address, *args):
    """Runs rtcgate-load to its end; returns the CompletedProcess (stdout and stderr as text)."""
    return subprocess.run(load_command(ng_address, *args), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120, check=False)


def start_load(ng_address, *args):
    """Starts rtcgate-load in the background; the caller waits for it (communicate)."""
    return subprocess.Popen(load_command(ng_address, *args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


# The audio checker times a marker's onset to 40 samples at 8 kHz (AudioCheck.cpp, kMarkerSpanTolerance).
MARKER_TOLERANCE_MS = 5


def stall_ms(report):
    """How long rtcgate-load's own stalls (a loaded machine) kept it from sending, and what each may add: after a
    stall of S ms it sends a burst, and the receiving jitter buffer conceals up to that long or, if it plays the
    burst rather than dropping it, falls that far behind until it catches up (the checker counts audio dropped
    between two markers, and as much extra later). Each stall may add a frame for where its gap fell, a frame the
    adaptive jitter buffer's target grows by after a delay spike, and the checker's tolerance."""
    tool = report["load_tool"]
    return tool["stalled_ms"] + (2 * report["ptime_ms"] + MARKER_TOLERANCE_MS) * tool["stalls"]


def stalled_audio_ms(report):
    """The holes in either direction's audio that rtcgate-load's stalls may cost though rtcgated did its part:
    concealed, and dropped (behind)."""
    return 2 * stall_ms(report)
