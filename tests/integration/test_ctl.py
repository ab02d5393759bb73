"""rtcgate-ctl, the ng command-line client, against the real daemon."""

import json
import os
import pathlib
import subprocess

import sdp
from daemon import daemon_binary, free_port

import rtp


def ctl_binary():
    override = os.environ.get("RTCGATE_CTL")
    return pathlib.Path(override) if override else daemon_binary().parent / "rtcgate-ctl"


def ctl(daemon_address, *args, timeout_ms=1000):
    """Runs rtcgate-ctl; returns (exit code, reply dict or None, stderr)."""
    address = f"{daemon_address[0]}:{daemon_address[1]}"
    done = subprocess.run(
        [str(ctl_binary()), "--ng", address, "--timeout-ms", str(timeout_ms), *args],
        stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False)
    reply = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, reply, done.stderr.decode()


def test_ping(rtcgated):
    code, reply, _ = ctl(rtcgated.ng_address, "ping")
    assert (code, reply) == (0, {"result": "pong"})


def test_a_whole_call_by_hand(rtcgated):
    with rtp.Party() as a, rtp.Party() as b:
        offer = {"command": "offer", "call-id": "ctl-1", "from-tag": "alice",
                 "sdp": sdp.audio_sdp(a.address, a.rtp_port)}
        code, reply, _ = ctl(rtcgated.ng_address, "raw", json.dumps(offer))
        assert code == 0 and reply["result"] == "ok"
        port_for_b = sdp.ParsedSdp(reply["sdp"]).audio_port
        answer = {"command": "answer", "call-id": "ctl-1", "from-tag": "alice", "to-tag": "bob",
                  "sdp": sdp.audio_sdp(b.address, b.rtp_port)}
        code, reply, _ = ctl(rtcgated.ng_address, "raw", json.dumps(answer))
        assert code == 0 and reply["result"] == "ok"
        port_for_a = sdp.ParsedSdp(reply["sdp"]).audio_port
        assert port_for_a != port_for_b

        code, reply, _ = ctl(rtcgated.ng_address, "list")
        assert (code, reply) == (0, {"result": "ok", "calls": ["ctl-1"]})

        code, reply, _ = ctl(rtcgated.ng_address, "query", "ctl-1")
        assert code == 0
        assert set(reply["tags"]) == {"alice", "bob"}
        assert reply["tags"]["alice"]["medias"][0]["streams"][0]["local port"] == port_for_a

        code, reply, _ = ctl(rtcgated.ng_address, "statistics")
        assert code == 0 and reply["statistics"]["currentstatistics"]["sessionsown"] == 1

        code, reply, _ = ctl(rtcgated.ng_address, "delete", "ctl-1", "--from-tag", "alice")
        assert code == 0 and reply["result"] == "ok"

        code, reply, _ = ctl(rtcgated.ng_address, "query", "ctl-1")
        assert code == 1
        assert reply == {"result": "error", "error-reason": "Unknown call-id"}


def test_error_replies_exit_1_and_bad_json_exits_2(rtcgated):
    code, reply, _ = ctl(rtcgated.ng_address, "raw", '{"command":"frobnicate"}')
    assert (code, reply) == (1, {"result": "error", "error-reason": "Unrecognized command"})
    code, reply, stderr = ctl(rtcgated.ng_address, "raw", '{"command": ')
    assert code == 2 and reply is None and stderr


def test_no_daemon_exits_2():
    code, reply, stderr = ctl(("127.0.0.1", free_port()), "ping", timeout_ms=100)
    assert code == 2 and reply is None and stderr
