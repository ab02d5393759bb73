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
