"""Calls over time and at scale: media timeouts, many calls across shards, stopping with calls up."""

import resource
import selectors
import signal
import socket
import time

import pytest

import rtp
from calls import RTCGATE, Call
from ngclient import NgTcpClient, assert_error, assert_ok


def test_idle_calls_time_out_while_calls_with_media_stay(start_daemon):
    timeout = 2
    daemon = start_daemon(timeout=timeout)
    with daemon.client() as ng, Call(ng, name="never-media") as never, Call(ng, name="media-stopped") as stopped, \
            Call(ng, name="a-sends") as a_sends, Call(ng, name="b-sends") as b_sends:
        for call in (never, stopped, a_sends, b_sends):
            call.setup()
        stopped.exchange(1, what="before going idle")

        # Keep media flowing on two calls (one direction each) until both idle calls are gone.
        started = time.monotonic()
        deadline = started + timeout + 10
        while time.monotonic() < deadline:
            a_sends.send_a(a_sends.a_stream.next())
            b_sends.send_b(b_sends.b_stream.next())
            listed = assert_ok(ng.request({"command": "list"}))["calls"]
            if never.call_id not in listed and stopped.call_id not in listed:
                if time.monotonic() - started > timeout + 1:
                    break
            time.sleep(0.2)

        listed = assert_ok(ng.request({"command": "list"}))["calls"]
        assert never.call_id not in listed, "a call that never had media must time out"
        assert stopped.call_id not in listed, "a call whose media stopped must time out"
        assert_error(never.query())
        assert_error(stopped.query())
        assert sorted(listed) == sorted([a_sends.call_id, b_sends.call_id])

        statistics = assert_ok(ng.request({"command": "statistics"}))["statistics"]
        assert statistics["totalstatistics"]["timeoutsessions"] == 2
        assert statistics["currentstatistics"]["sessionsown"] == 2

        for call in (a_sends, b_sends):
            rtp.drain(call.a.rtp, quiet=0.1)  # what the loop above sent
            rtp.drain(call.b.rtp, quiet=0.1)
            call.exchange(3, what=f"{call.call_id} after the others timed out")


def test_200_calls_across_two_shards(start_daemon):
    calls_count, packets_each_way = 200, 20
    daemon = start_daemon(ports=1000, num_threads=2)
    calls = []
    try:
        with daemon.client() as ng:
            for _ in range(calls_count):
                call = Call(ng, rtcp=False, name="load")
                calls.append(call)
                call.setup()

            # Every receiving socket, what it must get (in order) and from where.
            expected = {}
            for call in calls:
                expected[call.b.rtp] = ([], (RTCGATE, call.port_for_b))
                expected[call.a.rtp] = ([], (RTCGATE, call.port_for_a))
            received = {sock: [] for sock in expected}

            with selectors.DefaultSelector() as selector:
                for sock in expected:
                    selector.register(sock, selectors.EVENT_READ)

                def collect(wait):
                    for key, _ in selector.select(wait):
                        while True:
                            try:
                                data, source = key.fileobj.recvfrom(2048)
                            except BlockingIOError:
                                break
                            received[key.fileobj].append((data, source))

                for _ in range(packets_each_way):
                    for call in calls:
                        to_b, to_a = call.a_stream.next(), call.b_stream.next()
                        expected[call.b.rtp][0].append(to_b)
                        expected[call.a.rtp][0].append(to_a)
                        call.send_a(to_b)
                        call.send_b(to_a)
                    collect(0)

                total = 2 * calls_count * packets_each_way
                deadline = time.monotonic() + 15
                while sum(map(len, received.values())) < total and time.monotonic() < deadline:
                    collect(0.2)
                collect(0.2)  # anything beyond the expected packets

            missing = [sock.getsockname() for sock in expected if len(received[sock]) != len(expected[sock][0])]
            assert not missing, f"{len(missing)} sockets did not get exactly {packets_each_way} packets: {missing[:5]}"
            for sock, (packets, source) in expected.items():
                assert [data for data, _ in received[sock]] == packets, f"packets at {sock.getsockname()} differ"
                assert {src for _, src in received[sock]} == {source}

            statistics = assert_ok(ng.request({"command": "statistics"}))["statistics"]
            shards = statistics["shards"]
            assert sorted(shard["index"] for shard in shards) == [0, 1]
            assert all(shard["sessions"] > 0 for shard in shards), f"a shard owns no calls: {shards}"
            assert sum(shard["sessions"] for shard in shards) == calls_count
            assert statistics["currentstatistics"]["sessionsown"] == calls_count

            for call in calls[:: calls_count // 10]:
                totals = assert_ok(call.query())["totals"]["RTP"]
                assert totals["packets"] == 2 * packets_each_way
    finally:
        for call in calls:
            call.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_the_daemon_cleanly_with_calls_up(start_daemon, sig):
    daemon = start_daemon()
    with daemon.client() as ng, Call(ng) as first, Call(ng) as second, Call(ng) as third:
        first.setup()
        second.setup()
        third.offer()
        first.exchange(5, what="first call")
        second.send_a(second.a_stream.next())  # media still in flight when the signal comes
        assert daemon.stop(sig, timeout=10) == 0, f"rtcgated did not exit 0 within 10 s of {sig.name}"


def test_the_daemon_raises_its_open_file_limit_for_its_sockets(start_daemon):
    # Started with a soft limit of 128 files, it must still hold 60 calls (240 sockets).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    hard_for_daemon = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    assert hard_for_daemon >= 512, f"the hard open-file limit here ({hard}) is too low for this test"
    daemon = start_daemon(ports=300, open_files=(128, hard_for_daemon))
    calls = []
    try:
        with daemon.client() as ng:
            for _ in range(60):
                call = Call(ng, rtcp=False, name="fds")
                calls.append(call)
                call.setup()
            calls[0].exchange(3)
            calls[-1].exchange(3)
            statistics = assert_ok(ng("statistics"))["statistics"]
            assert statistics["currentstatistics"]["sessionsown"] == 60
    finally:
        for call in calls:
            call.close()


def test_at_the_open_file_limit_offers_say_why_and_tcp_accepts_back_off(start_daemon):
    """Started with a hard limit of 64 files and 200 ports: the sockets run out before the ports. An offer then gets
    an error that names the open-file limit (not "Ran out of ports"), TCP connections beyond the limit wait in the
    backlog while the listener retries ten times a second (it does not spin), and both work again once files are
    free."""
    daemon = start_daemon(ports=200, tcp=True, open_files=(64, 64))
    calls, connections = [], []
    try:
        with daemon.client() as ng:
            # Under UBSan, the first check of a dynamic type opens a pipe (compiler-rt's IsAccessibleMemoryRange); with
            # no file left that fails and UBSan reports a false "invalid vptr". Statistics runs once while files are free.
            ng("statistics")
            failure = None
            for _ in range(40):
                call = Call(ng, rtcp=False, name="nofile")
                calls.append(call)
                reply = ng.request(call.offer_request())
                if reply["result"] != "ok":
                    failure = reply
                    break
            assert failure is not None, "64 open files held 40 calls"
            assert "open-file limit" in failure["error-reason"], failure

            # The offers' sockets are held; fill the rest with TCP connections, then some the daemon cannot take.
            for _ in range(80):
                connection = socket.create_connection(daemon.tcp_address, timeout=2)
                connections.append(connection)
            deadline = time.monotonic() + 10
            retries = 0
            while time.monotonic() < deadline and retries < 5:
                retries = ng("statistics")["statistics"]["control"]["TCP accept retries"]
                time.sleep(0.1)
            assert retries >= 5, "the listener never hit the open-file limit"
            time.sleep(1.0)
            later = ng("statistics")["statistics"]["control"]["TCP accept retries"]
            assert later - retries < 100, f"{later - retries} accept retries in a second: the listener spins"

            for connection in connections:
                connection.close()
            connections.clear()
            for call in calls:
                ng.request({"command": "delete", "call-id": call.call_id})
            with NgTcpClient(daemon.tcp_address) as tcp:
                assert tcp("ping")["result"] == "pong"
            with Call(ng, rtcp=False, name="after") as call:
                call.setup()
                call.exchange(2)
    finally:
        for connection in connections:
            connection.close()
        for call in calls:
            call.close()


def test_a_freed_port_pair_waits_out_its_quarantine(start_daemon):
    """With no delete delay, a call's port pairs are freed at its delete, but no new call gets them before
    --port-quarantine has passed: late packets of the old call (or a stranger who learnt its ports) never reach a new
    one. Meanwhile an offer that finds only such pairs free says so."""
    quarantine = 2.0
    daemon = start_daemon(ports=8, extra_args=[f"--port-quarantine={quarantine:.0f}"])  # 4 pairs: two calls
    with daemon.client() as ng, Call(ng, name="first") as first, Call(ng, name="second") as second, \
            Call(ng, name="third") as third:
        first.setup()
        first_ports = {first.port_for_a, first.port_for_b}
        deleted_at = time.monotonic()  # before the delete: rtcgated frees the ports before it replies
        assert_ok(first.delete())
        second.setup()  # the two pairs never used
        assert {second.port_for_a, second.port_for_b}.isdisjoint(first_ports)
        assert_ok(second.delete())

        refused = assert_error(ng.request(third.offer_request()))
        assert "released too recently" in refused["error-reason"], refused
        assert assert_ok(ng.request({"command": "list"}))["calls"] == [], "a refused offer left a call behind"

        deadline = time.monotonic() + quarantine + 30
        while time.monotonic() < deadline:
            reply = ng.request(third.offer_request())
            if reply.get("result") == "ok":
                break
            assert "released too recently" in reply["error-reason"], reply
            time.sleep(0.1)
        else:
            pytest.fail("the quarantined ports never came back")
        assert time.monotonic() - deleted_at >= quarantine
