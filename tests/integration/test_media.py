"""Media relay between two plain-RTP parties: forwarding, RTCP, latching, strict source, hold, delete."""

import time

import pytest

import rtp
import sdp
from calls import RTCGATE, Call, Stream, expect_packets, expect_silence, streams
from ngclient import assert_error, assert_ok


def endpoint(address, port):
    return {"family": "IPv4", "address": address, "port": port}


def test_plain_call_relays_rtp_both_ways_and_query_counts_it(ng):
    started = int(time.time())
    with Call(ng, a_address="127.0.0.2", b_address="127.0.0.3") as call:
        call.setup()
        to_b, to_a = call.exchange(50)
        finished = int(time.time())

        query = assert_ok(call.query())
        assert started - 1 <= query["created"] <= finished + 1
        a_rtp, a_rtcp = streams(query, call.from_tag)
        b_rtp, b_rtcp = streams(query, call.to_tag)
        assert query["tags"][call.from_tag]["in dialogue with"] == call.to_tag
        assert query["tags"][call.to_tag]["in dialogue with"] == call.from_tag
        for tag in (call.from_tag, call.to_tag):
            media = query["tags"][tag]["medias"][0]
            assert (media["index"], media["type"], media["protocol"]) == (1, "audio", "RTP/AVP")

        # A's streams: what rtcgate received from A on the port A sends to.
        assert (a_rtp["local port"], a_rtcp["local port"]) == (call.port_for_a, call.port_for_a + 1)
        assert a_rtp["stats"]["packets"] == 50
        assert a_rtp["stats"]["bytes"] == sum(map(len, to_b))
        assert a_rtp["stats"]["errors"] == 0
        assert a_rtp["endpoint"] == endpoint("127.0.0.2", call.a.rtp_port)
        assert a_rtp["advertised endpoint"] == endpoint("127.0.0.2", call.a.rtp_port)
        assert started - 1 <= a_rtp["last packet"] <= finished + 1

        assert (b_rtp["local port"], b_rtcp["local port"]) == (call.port_for_b, call.port_for_b + 1)
        assert b_rtp["stats"]["packets"] == 50
        assert b_rtp["stats"]["bytes"] == sum(map(len, to_a))
        assert b_rtp["endpoint"] == endpoint("127.0.0.3", call.b.rtp_port)

        assert a_rtcp["stats"]["packets"] == b_rtcp["stats"]["packets"] == 0
        totals = query["totals"]
        assert totals["RTP"]["packets"] == 100
        assert totals["RTP"]["bytes"] == sum(map(len, to_b + to_a))
        assert totals["RTP"]["errors"] == 0
        assert totals["RTCP"]["packets"] == 0


def test_log_lines_of_a_media_line_name_the_call_the_party_and_the_line(rtcgated, ng):
    """A media line's log lines say which call, party and line they are about: here each party's source as
    rtcgated latches it (debug level, as the test daemons log), B's under the tag its answer gave it."""
    with Call(ng, a_address="127.0.0.2", b_address="127.0.0.3") as call:
        call.setup()
        call.exchange(1)
        expected = [f"[{call.call_id}] tag '{tag}' line 1: RTP latched to {party.address}:{party.rtp_port}"
                    for tag, party in ((call.from_tag, call.a), (call.to_tag, call.b))]
        deadline = time.monotonic() + 5  # the lines are written before the packets are relayed; this is slack
        while not all(line in rtcgated.log() for line in expected) and time.monotonic() < deadline:
            time.sleep(0.05)
        log = rtcgated.log()
        for line in expected:
            assert line in log, f"no line {line!r} in:\n{log}"


@pytest.mark.parametrize("rtcp_attribute", [None, "short", "long"])
def test_rtcp_is_forwarded_both_ways_on_port_plus_one(ng, rtcp_attribute):
    with Call(ng) as call:
        call.offer(rtcp=rtcp_attribute)
        call.answer(rtcp=rtcp_attribute)
        reports_to_b = [rtp.rtcp_receiver_report(0xA1, 0xB1, highest_sequence=n) for n in range(5)]
        reports_to_a = [rtp.rtcp_sender_report(0xB1, n, n * 160, n, n * 172) for n in range(5)]
        for report_to_b, report_to_a in zip(reports_to_b, reports_to_a):
            call.send_a(report_to_b, rtcp=True)
            call.send_b(report_to_a, rtcp=True)
        expect_packets(call.b.rtcp, reports_to_b, (RTCGATE, call.port_for_b + 1), what="RTCP A->B")
        expect_packets(call.a.rtcp, reports_to_a, (RTCGATE, call.port_for_a + 1), what="RTCP B->A")
        expect_silence(call.a.rtp, quiet=0.1, what="RTP at A")
        expect_silence(call.b.rtp, quiet=0.1, what="RTP at B")

        query = assert_ok(call.query())
        assert streams(query, call.from_tag)[1]["stats"]["packets"] == 5
        assert streams(query, call.to_tag)[1]["stats"]["packets"] == 5
        assert query["totals"]["RTCP"]["packets"] == 10
        assert query["totals"]["RTCP"]["bytes"] == sum(map(len, reports_to_a + reports_to_b))
        assert query["totals"]["RTP"]["packets"] == 0


def test_latching_follows_the_real_source_port(ng):
    with Call(ng) as call, rtp.Party() as b_real:
        call.setup()
        to_b_source = (RTCGATE, call.port_for_b)

        # Before B's first packet rtcgate sends to the port in B's SDP.
        first = call.a_stream.next()
        call.send_a(first)
        expect_packets(call.b.rtp, [first], to_b_source, what="A->B before B sent (SDP address)")

        # B sends from another socket than its SDP says...
        from_b = call.b_stream.next()
        b_real.rtp.sendto(from_b, (RTCGATE, call.port_for_b))
        expect_packets(call.a.rtp, [from_b], (RTCGATE, call.port_for_a), what="B->A from B's real socket")

        # ... and from then on A's packets go to that socket, not to the SDP port.
        later = [call.a_stream.next() for _ in range(5)]
        for packet in later:
            call.send_a(packet)
        expect_packets(b_real.rtp, later, to_b_source, what="A->B after latching (real source)")
        expect_silence(call.b.rtp, quiet=0.2, what="A->B at B's SDP port after latching")

        b_stream = streams(assert_ok(call.query()), call.to_tag)[0]
        assert b_stream["endpoint"] == endpoint("127.0.0.1", b_real.rtp_port)
        assert b_stream["advertised endpoint"] == endpoint("127.0.0.1", call.b.rtp_port)


@pytest.mark.parametrize("flag", ["strict source", "strict-source"])
def test_strict_source_drops_and_counts_packets_from_other_sources(ng, flag):
    with Call(ng, flags=[flag]) as call, rtp.Party() as intruder:
        call.setup()
        call.exchange(1, what="latching both parties")
        spoofed = [Stream(0xEEEE).next() for _ in range(3)]
        for packet in spoofed:
            intruder.rtp.sendto(packet, (RTCGATE, call.port_for_a))
        genuine = call.a_stream.next()
        call.send_a(genuine)
        # Only A's packet reaches B: the spoofed ones (sent before it) were dropped.
        expect_packets(call.b.rtp, [genuine], (RTCGATE, call.port_for_b), what="A->B with an intruder")

        a_stream = streams(assert_ok(call.query()), call.from_tag)[0]
        assert a_stream["stats"]["errors"] == 3
        assert a_stream["endpoint"] == endpoint("127.0.0.1", call.a.rtp_port)
        call.exchange(1, what="after the intruder")
        expect_silence(intruder.rtp, quiet=0.1, what="packets at the intruder")


def test_without_strict_source_other_sources_are_forwarded(ng):
    with Call(ng) as call, rtp.Party() as other:
        call.setup()
        call.exchange(1, what="latching both parties")
        foreign = [Stream(0xEEEE).next() for _ in range(3)]
        for packet in foreign:
            other.rtp.sendto(packet, (RTCGATE, call.port_for_a))
        expect_packets(call.b.rtp, foreign, (RTCGATE, call.port_for_b), what="A->B from another source")

        # The latch stays on A: B's packets still go to A, not to the other source.
        call.exchange(1, what="after the other source")
        expect_silence(other.rtp, quiet=0.1, what="packets at the other source")
        assert streams(assert_ok(call.query()), call.from_tag)[0]["stats"]["errors"] == 0


def test_hold_with_sendonly_and_inactive_then_resume(ng):
    with Call(ng) as call:
        call.setup()
        port_for_a, port_for_b = call.port_for_a, call.port_for_b
        call.exchange(2, what="before hold")

        def only_a_to_b(what):
            to_b = call.a_stream.next()
            call.send_a(to_b)
            call.send_b(call.b_stream.next())
            expect_packets(call.b.rtp, [to_b], (RTCGATE, port_for_b), what=f"{what}: A->B")
            expect_silence(call.a.rtp, what=f"{what}: B->A")

        def nothing(what):
            call.send_a(call.a_stream.next())
            call.send_b(call.b_stream.next())
            expect_silence(call.b.rtp, what=f"{what}: A->B")
            expect_silence(call.a.rtp, quiet=0.05, what=f"{what}: B->A")

        # A puts B on hold: A only sends.
        call.offer(direction="sendonly", re_offer=True)
        assert call.port_for_b == port_for_b, "a re-offer must keep rtcgate's ports"
        only_a_to_b("after the sendonly re-offer")
        call.answer(direction="recvonly")
        assert call.port_for_a == port_for_a, "a re-answer must keep rtcgate's ports"
        only_a_to_b("after the recvonly answer")

        call.offer(direction="inactive", re_offer=True)
        assert call.port_for_b == port_for_b
        nothing("after the inactive re-offer")
        call.answer(direction="inactive")
        assert call.port_for_a == port_for_a
        nothing("after the inactive answer")

        call.offer(direction="sendrecv", re_offer=True)
        call.answer(direction="sendrecv")
        assert (call.port_for_a, call.port_for_b) == (port_for_a, port_for_b)
        call.exchange(5, what="after resume")


def test_hold_with_a_zero_address_then_resume(ng):
    """RFC 2543 hold: A re-offers c=IN IP4 0.0.0.0 (and sendrecv). B is told the zero address and sendonly, as
    rtpengine does; A's media still reaches B, B's reaches A no more. A real address again resumes both ways."""
    with Call(ng) as call:
        call.setup()
        port_for_a, port_for_b = call.port_for_a, call.port_for_b
        call.exchange(2, what="before hold")

        call.a_sdp_version += 1
        held = sdp.audio_sdp("0.0.0.0", call.a.rtp_port, session_id=call.a.rtp_port, version=call.a_sdp_version)
        call.offer(sdp_text=held, re_offer=True)
        assert call.offer_sdp.audio_address() == "0.0.0.0", call.offer_sdp.text
        assert call.offer_sdp.attribute("sendonly") == [""], call.offer_sdp.text
        assert call.port_for_b == port_for_b, "a re-offer must keep rtcgate's ports"
        call.answer(direction="recvonly")
        assert call.port_for_a == port_for_a

        to_b = call.a_stream.next()
        call.send_a(to_b)
        call.send_b(call.b_stream.next())
        expect_packets(call.b.rtp, [to_b], (RTCGATE, port_for_b), what="on hold: A->B")
        expect_silence(call.a.rtp, what="on hold: B->A")

        call.offer(re_offer=True)
        assert call.offer_sdp.audio_address() == RTCGATE
        call.answer()
        call.exchange(2, what="after resume")


def test_repeated_answer_returns_the_same_sdp(ng):
    with Call(ng) as call:
        call.offer()
        request = call.answer_request()
        first = assert_ok(ng.request(request))
        second = assert_ok(ng.request(request))
        assert second["sdp"] == first["sdp"]
        call.answer_sdp = sdp.ParsedSdp(first["sdp"])
        call.exchange(1, what="after the repeated answer")


def test_delete_stops_media_at_once(start_daemon):
    daemon = start_daemon(delete_delay=30)
    with daemon.client() as ng, Call(ng) as call:
        call.setup()
        call.exchange(1, what="before delete")
        assert_ok(call.delete())
        call.send_a(call.a_stream.next())
        call.send_b(call.b_stream.next())
        expect_silence(call.b.rtp, what="A->B after delete")
        expect_silence(call.a.rtp, quiet=0.05, what="B->A after delete")


def test_delete_frees_the_ports_for_the_next_call(start_daemon):
    # Room for exactly two calls (2 legs x RTP+RTCP each); no quarantine, which test_lifecycle.py checks.
    daemon = start_daemon(ports=8, delete_delay=0, extra_args=["--port-quarantine=0"])
    with daemon.client() as ng, Call(ng) as first, Call(ng) as second, Call(ng) as third:
        first.setup()
        second.setup()
        first_ports = {first.port_for_a, first.port_for_b}
        used = first_ports | {second.port_for_a, second.port_for_b}
        assert len(used) == 4
        assert {port + 1 for port in used} | used == set(range(daemon.port_min, daemon.port_max + 1))

        assert_error(ng.request(third.offer_request()))

        assert_ok(first.delete())
        third.setup()
        assert {third.port_for_a, third.port_for_b} == first_ports
        third.exchange(3, what="the call on the freed ports")
        second.exchange(3, what="the call that stayed")


def test_an_osrtp_offer_answered_plain_relays_plain_rtp_both_ways(ng):
    """OSRTP=offer (RFC 8643) toward a party that answers plain RTP/AVP: the line stays plain, and media flows
    both ways at once (nothing waits for keys that never come)."""
    with Call(ng, a_address="127.0.0.2", b_address="127.0.0.3", name="osrtp") as call:
        reply = assert_ok(ng.request({**call.offer_request(), "OSRTP": ["offer"]}))
        call.offer_sdp = sdp.ParsedSdp(reply["sdp"])
        assert reply["sdp"].count("a=crypto:") == 8 and "RTP/AVP " in reply["sdp"], reply["sdp"]
        call.answer()
        assert "a=crypto" not in call.answer_sdp.text
        call.exchange(10, what="OSRTP declined")
