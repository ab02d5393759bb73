"""The ng control protocol: ping over UDP and TCP, SDP rewriting, the reply cache, errors."""

import socket
import time

import ngclient
import sdp
from calls import RTCGATE, Call
from flood import Bystanders, pipeline
from ngclient import assert_error, assert_ok


def test_ping_over_udp(ng):
    assert ng.request({"command": "ping"}) == {"result": "pong"}


def test_ping_over_tcp(start_daemon):
    daemon = start_daemon(tcp=True)
    with daemon.tcp_client() as tcp:
        assert tcp.request({"command": "ping"}) == {"result": "pong"}
        assert tcp.request({"command": "ping"}) == {"result": "pong"}  # the connection stays open


def test_tcp_messages_back_to_back_and_split_across_segments(start_daemon):
    daemon = start_daemon(tcp=True)
    with daemon.tcp_client() as tcp, daemon.client() as udp, Call(udp) as call:
        # Three requests in one write: three replies, in order, on the same connection.
        cookies = ["t1", "t2", "t3"]
        tcp.send_raw(b"".join(ngclient.encode_message(c, {"command": "ping"}) for c in cookies))
        assert [tcp.read_message() for _ in cookies] == [(c, {"result": "pong"}) for c in cookies]

        # One offer dribbled out in small segments (TCP_NODELAY, a pause between writes).
        message = ngclient.encode_message("t4", call.offer_request())
        for start in range(0, len(message), 37):
            tcp.send_raw(message[start : start + 37])
            time.sleep(0.01)
        cookie, reply = tcp.read_message()
        assert cookie == "t4"
        assert_ok(reply)
        assert sdp.ParsedSdp(reply["sdp"]).audio_address() == RTCGATE

        # The call made over TCP is the daemon's call: UDP sees it.
        assert call.call_id in assert_ok(udp.request({"command": "list"}))["calls"]
        assert tcp.request({"command": "ping"}) == {"result": "pong"}


def test_offer_and_answer_rewrite_the_sdp(rtcgated, ng):
    with Call(ng, a_address="127.0.0.2", b_address="127.0.0.3") as call:
        offer = call.offer(rtcp="short", video_port=call.a.rtp_port + 10)
        offered = sdp.ParsedSdp(offer["sdp"])
        for media in offered.media:
            assert media["connection"] in (None, RTCGATE)
        assert offered.connection in (None, RTCGATE)
        assert offered.audio_address() == RTCGATE
        assert rtcgated.port_min <= offered.audio_port <= rtcgated.port_max
        assert offered.attribute("rtcp") == [f"{offered.audio_port + 1}"]  # rtpengine's form: the address is c='s
        video = [m for m in offered.media if m["type"] == "video"]
        assert [m["port"] for m in video] == [0], "a non-audio m= line must be rejected with port 0"

        # RFC 3264 section 6: the answer has as many m= lines as the offer; B rejects video too.
        answer = call.answer(rtcp="long", video_port=0)
        answered = sdp.ParsedSdp(answer["sdp"])
        assert [m["port"] for m in answered.media if m["type"] == "video"] == [0]
        assert answered.audio_address() == RTCGATE
        assert "127.0.0.3" not in [answered.connection] + [m["connection"] for m in answered.media]
        assert rtcgated.port_min <= answered.audio_port <= rtcgated.port_max
        assert answered.audio_port != offered.audio_port
        assert answered.attribute("rtcp") == [f"{answered.audio_port + 1}"]


def test_replace_origin_puts_rtcgate_in_the_o_line(ng):
    with Call(ng, a_address="127.0.0.2") as call:
        request = call.offer_request()
        request["replace"] = ["origin", "session-connection"]
        reply = assert_ok(ng.request(request))
        origin = [line for line in reply["sdp"].splitlines() if line.startswith("o=")]
        assert len(origin) == 1 and origin[0].split()[-1] == RTCGATE, origin


def test_retransmitted_cookie_is_answered_from_the_cache(ng):
    with Call(ng) as call:
        call.setup()
        delete = {"command": "delete", "call-id": call.call_id, "from-tag": call.from_tag}
        cookie = ngclient.new_cookie()
        message = ngclient.encode_message(cookie, delete)
        first = ng.exchange_raw(message, cookie)
        second = ng.exchange_raw(message, cookie)  # the retransmission: not executed again
        assert_ok(ngclient.split_message(first)[1])
        assert second == first, "a retransmission must get the cached reply bytes"

        # A new cookie executes again: the call is gone (delete-delay 0).
        assert_error(ng.request(delete))
        assert_error(call.query())


def test_retransmitted_offer_is_not_executed_twice(ng):
    with Call(ng) as call:
        cookie = ngclient.new_cookie()
        message = ngclient.encode_message(cookie, call.offer_request())
        first = ng.exchange_raw(message, cookie)
        assert_ok(ngclient.split_message(first)[1])
        assert_ok(call.delete())
        # Executed again this would create the call anew; from the cache it only repeats the reply.
        assert ng.exchange_raw(message, cookie) == first
        assert call.call_id not in assert_ok(ng.request({"command": "list"}))["calls"]


BAD_REQUESTS = [
    ("not bencode", b"this is not bencode"),
    ("truncated bencode", b"d7:command4:pi"),
    ("a list instead of a dict", b"l4:pinge"),
    ("a string instead of a dict", b"4:ping"),
    ("missing command", {"call-id": "x"}),
    ("command not a string", {"command": 5}),
    ("unknown command", {"command": "frobnicate"}),
    ("offer without sdp", {"command": "offer", "call-id": "bad-1", "from-tag": "a"}),
    ("offer without call-id", {"command": "offer", "from-tag": "a", "sdp": sdp.audio_sdp("127.0.0.1", 4000)}),
    ("offer without from-tag", {"command": "offer", "call-id": "bad-2", "sdp": sdp.audio_sdp("127.0.0.1", 4000)}),
    ("offer with an SDP that is not SDP", {"command": "offer", "call-id": "bad-3", "from-tag": "a", "sdp": "hello"}),
    ("query of an unknown call", {"command": "query", "call-id": "no-such-call"}),
    ("delete of an unknown call", {"command": "delete", "call-id": "no-such-call", "from-tag": "a"}),
    (
        "answer of an unknown call",
        {"command": "answer", "call-id": "no-such-call", "from-tag": "a", "to-tag": "b",
         "sdp": sdp.audio_sdp("127.0.0.1", 4000)},
    ),
]


def test_bad_requests_get_errors_while_a_call_keeps_flowing(ng):
    with Call(ng) as call:
        call.setup()
        call.exchange(1, what="after set-up")
        for name, request in BAD_REQUESTS:
            reply = ng.request(request)
            assert reply.get("result") == "error", f"{name}: expected an error reply, got {reply!r}"
            assert_error(reply)
            call.exchange(1, what=f"after {name}")

        assert ng.request({"command": "ping"}) == {"result": "pong"}
        assert call.call_id in assert_ok(ng.request({"command": "list"}))["calls"]
        assert assert_ok(call.query())["totals"]["RTP"]["packets"] == 2 * (len(BAD_REQUESTS) + 1)


def test_datagram_without_a_cookie_gets_no_reply_and_is_counted(ng):
    ng.send_raw(b"d7:command4:pinge")
    ng.send_raw(b" d7:command4:pinge")
    assert ng.recv_raw(0.5) is None
    assert ng.request({"command": "ping"}) == {"result": "pong"}
    control = assert_ok(ng.request({"command": "statistics"}))["statistics"]["control"]
    assert control["undecodable"] == 2


def test_unknown_flag_is_ignored_with_a_warning(ng):
    with Call(ng, flags=["no-such-flag-xyz"]) as call:
        reply = ng.request(call.offer_request())
        assert_ok(reply)
        assert isinstance(reply.get("warning"), str) and reply["warning"], reply
        assert sdp.ParsedSdp(reply["sdp"]).audio_address() == RTCGATE


def test_list_shows_calls_until_they_are_deleted(ng):
    with Call(ng) as first, Call(ng) as second:
        assert assert_ok(ng.request({"command": "list"}))["calls"] == []
        first.setup()
        second.offer()
        assert sorted(assert_ok(ng.request({"command": "list"}))["calls"]) == sorted([first.call_id, second.call_id])
        assert_ok(first.delete())
        assert assert_ok(ng.request({"command": "list"}))["calls"] == [second.call_id]


def test_statistics_count_sessions(ng):
    with Call(ng) as first, Call(ng) as second:
        first.setup()
        second.setup()
        statistics = assert_ok(ng.request({"command": "statistics"}))["statistics"]
        assert statistics["currentstatistics"]["sessionsown"] == 2
        assert statistics["totalstatistics"]["managedsessions"] == 2
        assert sum(shard["sessions"] for shard in statistics["shards"]) == 2
        control = statistics["control"]
        assert control["errors"] == 0 and control["retransmits"] == 0
        ng.request({"command": "frobnicate"})
        after = assert_ok(ng.request({"command": "statistics"}))["statistics"]["control"]
        assert after["requests"] == control["requests"] + 2  # frobnicate, statistics
        assert after["errors"] == 1
        assert_ok(first.delete())
        statistics = assert_ok(ng.request({"command": "statistics"}))["statistics"]
        assert statistics["currentstatistics"]["sessionsown"] == 1
        assert statistics["totalstatistics"]["managedsessions"] == 2


def test_supports_load_limit_is_understood_without_a_warning(ng):
    """Kamailio's rtpengine module sends supports: ["load limit"] with every request; a feature rtcgated does not
    know is named in the warning."""
    with Call(ng) as call:
        request = call.offer_request()
        request["supports"] = ["load limit"]
        assert "warning" not in assert_ok(ng.request(request))
        request["supports"] = ["load limit", "teleportation"]
        assert assert_ok(ng.request(request))["warning"] == "Ignored: 'supports: teleportation'"


def test_a_list_too_large_for_udp_is_truncated_and_says_so_and_tcp_gets_it_all(start_daemon):
    """400 calls with 200-byte call-ids (declined lines only: no ports) make a `list` of about 80 KB: over UDP the
    reply keeps the ids that fit one datagram and says how many there are; over TCP it has them all."""
    daemon = start_daemon(tcp=True)
    declined = sdp.audio_sdp("192.0.2.10", 4000).replace("m=audio 4000 ", "m=audio 0 ")
    ids = [f"{index:04d}-" + "x" * 195 for index in range(400)]
    with daemon.client() as ng:
        for call_id in ids:
            assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "a", "sdp": declined}))
        reply = assert_ok(ng("list"))
        assert 0 < len(reply["calls"]) < 400, len(reply["calls"])
        assert reply["total calls"] == 400
        assert f"Truncated to {len(reply['calls'])} of 400 calls" in reply["warning"], reply["warning"]
        assert set(reply["calls"]) <= set(ids)
        assert len(assert_ok(ng("list", limit=100))["calls"]) == 100  # rtpengine's limit fits
    with ngclient.NgTcpClient(daemon.tcp_address) as tcp:
        assert sorted(assert_ok(tcp("list"))["calls"]) == ids


def test_an_sdp_beyond_the_limits_gets_an_error_and_costs_nothing(start_daemon):
    """The default limits (--max-sdp-size 65536, --max-media-lines 64, --max-sdp-lines 512): an offer of 1,000
    declined media lines (43 KB), one with 600 attributes on its line, and one of 70 KB (over TCP: no UDP datagram
    holds it) are refused with the reason, and no call is left behind."""
    daemon = start_daemon(tcp=True)
    head = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
    declined = head + "m=audio 0 RTP/AVP 0\r\na=sendrecv\r\n" * 1000
    attributes = head + "m=audio 4000 RTP/AVP 0\r\n" + "".join(f"a=x-{i}:{i}\r\n" for i in range(600))
    large = head + "m=audio 4000 RTP/AVP 0\r\n" + "a=x-padding:" + "p" * 70000 + "\r\n"
    with daemon.client() as udp, ngclient.NgTcpClient(daemon.tcp_address) as tcp:
        for name, text, reason in [("lines", declined, "more than 64 media lines"),
                                   ("attributes", attributes, "more than 512 lines in one media section"),
                                   ("large", large, "more than 65536")]:
            reply = assert_error(tcp("offer", **{"call-id": f"limit-{name}", "from-tag": "a", "sdp": text}))
            assert reason in reply["error-reason"], reply
        assert_error(udp("offer", **{"call-id": "limit-udp", "from-tag": "a", "sdp": declined}))
        assert assert_ok(udp("list"))["calls"] == []
        assert udp("ping")["result"] == "pong"


def test_a_client_pipelining_queries_waits_for_itself_and_stalls_neither_media_nor_others(start_daemon):
    """One client keeps 100 queries of a 100-line call in flight, 400 in all, on the shard that also relays a canary
    call. Its commands run a few at a time (statistics: "commands delayed"), it gets every reply, another client's
    pings are answered meanwhile, and the canary call relays every packet both ways. (benchmarks/control-flood
    measures 20,000.)"""
    lines = 100
    # The large call has no media: under a sanitizer the queries can outlast the default 60 s media timeout.
    daemon = start_daemon(ports=4 * lines + 40, num_threads=1, tcp=True, timeout=3600,
                          extra_args=[f"--max-media-lines={lines}"])
    head = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    big = head + "".join(f"m=audio {20000 + 2 * i} RTP/AVP 0\r\n" for i in range(lines))
    with daemon.client() as ng, daemon.tcp_client() as tcp:
        assert_ok(tcp("offer", **{"call-id": "big", "from-tag": "a", "sdp": big}))
        assert_ok(tcp("answer", **{"call-id": "big", "from-tag": "a", "to-tag": "b", "sdp": big}))
        bystanders = Bystanders(daemon, ng)
        flooder = ngclient.NgUdpClient(daemon.ng_address)
        flooder.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        results = []
        pipeline(flooder, [(f"q{i}", {"command": "query", "call-id": "big"}) for i in range(400)], 100, bystanders,
                 lambda cookie, reply, seconds: results.append(reply["result"]))
        flooder.close()
        assert results == ["ok"] * 400
        assert bystanders.lost() == (0, 0), "the canary call lost packets"
        assert bystanders.pings, "no ping was answered"
        bystanders.close()
        control = assert_ok(ng("statistics"))["statistics"]["control"]
        assert control["commands delayed"] > 0, control
        assert control["commands refused"] == 0, control


def test_a_flood_of_large_offers_costs_running_calls_nothing(start_daemon):
    """One client pipelines 300 offers of 40 KB SDPs (an audio line and 480 attributes) and then deletes them, 16 in
    flight, while a canary call relays on the same shard and another client pings every 100 ms: every offer and
    delete is answered, the canary loses no packet, and each ping is answered within 100 ms, unless this process
    itself stalled meanwhile (a busy machine's delay, not rtcgated's). A ping waits at most for the commands the
    client may have running (ClientGate: 16); a daemon so slow (a sanitizer, a starved core) that one offer alone
    takes over 100 / 16 ms gets the bound that this implies, twice over."""
    count = 300
    daemon = start_daemon(ports=4 * count + 40, num_threads=1, timeout=3600)  # the flood's calls have no media
    head = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    padded = (head + "m=audio 40000 RTP/AVP 0\r\n" + ("a=x-padding:" + "p" * 66 + "\r\n") * 480)
    assert 38000 < len(padded) < 40000
    with daemon.client() as ng:
        one_offer = []
        for attempt in range(3):
            started = time.monotonic()
            assert_ok(ng("offer", **{"call-id": f"alone-{attempt}", "from-tag": "a", "sdp": padded}))
            one_offer.append(time.monotonic() - started)
            assert_ok(ng("delete", **{"call-id": f"alone-{attempt}", "from-tag": "a"}))
        bound_ms = max(100, 2 * 16 * 1000 * min(one_offer))
        bystanders = Bystanders(daemon, ng)
        flooder = ngclient.NgUdpClient(daemon.ng_address)
        flooder.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        results = []
        record = lambda cookie, reply, seconds: results.append((cookie[0], reply["result"]))  # noqa: E731
        pipeline(flooder, [(f"o{i}", {"command": "offer", "call-id": f"flood-{i}", "from-tag": "a", "sdp": padded})
                           for i in range(count)], 16, bystanders, record)
        pipeline(flooder, [(f"d{i}", {"command": "delete", "call-id": f"flood-{i}", "from-tag": "a"})
                           for i in range(count)], 16, bystanders, record)
        flooder.close()
        assert sorted(results) == [("d", "ok")] * count + [("o", "ok")] * count
        assert bystanders.lost() == (0, 0), "the canary call lost packets"
        judged = [(round(ping * 1000), round(stall * 1000)) for ping, stall in zip(bystanders.pings, bystanders.stalls)
                  if stall < 0.02]
        bystanders.close()
        assert judged, "every ping was sent while this process stalled"
        assert max(ping for ping, _ in judged) < bound_ms, (bound_ms, judged)
