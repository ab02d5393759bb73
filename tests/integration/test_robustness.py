"""Hostile input: random and mutated datagrams on the ng port, the media ports
and the TCP control port. Nothing may crash the daemon or stop a call, every
ng datagram with a cookie gets a reply, and bad media is counted as errors.
The inputs come from a fixed seed so that a failure can be replayed."""

import random
import socket

import bencode
import ngclient
import rtp
import sdp
from calls import RTCGATE, Call, streams
from ngclient import assert_ok

SEED = 20261121


def mutations(rng, message, count):
    """`count` variants of `message`: bit flips, truncations, insertions, random bytes."""
    for _ in range(count):
        data = bytearray(message)
        kind = rng.randrange(4)
        if kind == 0:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data = data[: rng.randrange(len(data))]
        elif kind == 2:
            at = rng.randrange(len(data))
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            data = bytearray(rng.randrange(256) for _ in range(rng.randint(0, 600)))
        yield bytes(data)


def test_random_and_mutated_ng_datagrams_get_replies_and_harm_nothing(start_daemon):
    daemon = start_daemon(num_threads=2)
    rng = random.Random(SEED)
    with daemon.client() as ng, Call(ng) as call, Call(ng, name="fuzz") as target:
        call.setup()
        # The mutations hit another call's offer: a valid mutation may re-route that one.
        offer = bencode.encode(target.offer_request())
        replies = 0
        for index, body in enumerate(mutations(rng, offer, 600)):
            cookie = f"fuzz{index}"
            ng.send_raw(cookie.encode() + b" " + body)
            data = ng.recv_raw(timeout=2.0)
            assert data is not None, f"no reply to mutation {index}: {body[:80]!r}"
            reply_cookie, reply = ngclient.split_message(data)
            assert reply_cookie == cookie
            assert reply["result"] in ("ok", "error"), reply
            replies += 1
            if index % 100 == 0:
                call.exchange(2)  # media keeps flowing through it all
        assert replies == 600
        call.exchange(5)
        assert ng("ping")["result"] == "pong"


def test_random_datagrams_on_media_ports_are_dropped_and_counted(rtcgated, ng):
    rng = random.Random(SEED + 1)
    with Call(ng) as call, rtp.Party() as stranger:
        call.setup()
        call.exchange(3)
        junk = [bytes(rng.randrange(256) for _ in range(rng.randint(0, 40))) for _ in range(200)]
        # Not RTP version 2: first byte below 0x80, or too short for any header.
        junk = [j for j in junk if len(j) < 8 or j[0] >> 6 != 2]
        for j in junk:
            call.a.rtp.sendto(j, (RTCGATE, call.port_for_a))
            stranger.rtp.sendto(j, (RTCGATE, call.port_for_b + 1))
        to_b, to_a = call.exchange(5)
        query = assert_ok(call.query())
        a_rtp, _ = streams(query, call.from_tag)
        _, b_rtcp = streams(query, call.to_tag)
        assert a_rtp["stats"]["errors"] == len(junk)
        assert b_rtcp["stats"]["errors"] == len(junk)
        assert a_rtp["stats"]["packets"] == 8


def test_garbage_on_tcp_gets_an_error_and_the_connection_closes(start_daemon):
    daemon = start_daemon(tcp=True)
    with socket.create_connection(daemon.tcp_address, timeout=5) as conn:
        conn.sendall(b"c1 d7:command4:pinge" + b"c2 x:garbage")
        received = b""
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                break
            received += chunk
        assert received.startswith(b"c1 d6:result4:ponge")
        assert b"c2 d" in received and b"error" in received
    with daemon.client() as ng:
        assert ng("ping")["result"] == "pong"


def test_a_call_id_with_cr_lf_cannot_forge_a_log_line(rtcgated, ng):
    forged = "2026-12-07 00:00:00.000 [crit] forged"
    call_id = f"log-forge\r\n{forged}\x1b[2J"
    assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "a", "sdp": sdp.audio_sdp("127.0.0.1", 40000)}))
    assert_ok(ng("delete", **{"call-id": call_id, "from-tag": "a"}))
    log = rtcgated.log()
    assert not any(line.startswith(forged) for line in log.splitlines()), log
    assert f"[log-forge\\x0d\\x0a{forged}\\x1b[2J] offer" in log, log
