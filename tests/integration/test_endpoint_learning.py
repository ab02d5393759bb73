"""Endpoint learning of plain-RTP parties (--endpoint-learning, rtpengine's modes): a stranger who sends first to a
party's port gets none of the other party's media, a party behind NAT whose SDP names a private address is still
learnt, a stranger's packets do not keep a call alive, and the ng flags "endpoint-learning-..." and
"media handover" act on one call."""

import time

import pytest

import rtp
import sdp
from calls import RTCGATE, Call, Stream, expect_packets, expect_silence, streams
from ngclient import assert_ok

LEARNING_DELAY = 3.0  # seconds after the last offer or answer (rtpengine's)
WAIT = LEARNING_DELAY + 7.0  # a bound for what the delay makes wait
STRANGER = "127.0.0.9"


def arrived(sock):
    """How many datagrams wait on `sock` now (read and dropped)."""
    count = 0
    while rtp.receive(sock, 0) is not None:
        count += 1
    return count


def endpoint(address, port):
    return {"family": "IPv4", "address": address, "port": port}


def test_a_stranger_who_sends_first_gets_none_of_the_media(ng):
    """The stranger is on another host than A's SDP names (a source on that host is taken for A's)."""
    with Call(ng) as call, rtp.Party(STRANGER) as stranger:
        call.setup()
        intruding = Stream(0xBAD).next()
        stranger.rtp.sendto(intruding, (RTCGATE, call.port_for_a))
        # rtcgated relays it (as rtpengine does without strict source), but does not take it for A.
        expect_packets(call.b.rtp, [intruding], (RTCGATE, call.port_for_b), what="the stranger's packet at B")

        to_a = [call.b_stream.next() for _ in range(5)]
        for packet in to_a:
            call.send_b(packet)
        expect_packets(call.a.rtp, to_a, (RTCGATE, call.port_for_a), what="B->A before A sent: to A's SDP address")
        call.exchange(5, what="once A sends")
        stranger.rtp.sendto(Stream(0xBAD, first_sequence=2000).next(), (RTCGATE, call.port_for_a))
        rtp.receive_count(call.b.rtp, 1, 2.0)
        call.exchange(5, what="after the stranger sent again")
        expect_silence(stranger.rtp, quiet=0.2, what="media at the stranger")

        a_stream = streams(assert_ok(call.query()), call.from_tag)[0]
        assert a_stream["endpoint"] == endpoint("127.0.0.1", call.a.rtp_port)


def test_a_natted_party_whose_sdp_names_a_private_address_is_learnt_after_the_delay(ng):
    """A's SDP names 127.0.0.5 (its "private" address, where a socket watches what arrives); A sends from 127.0.0.7
    (its "NAT"). B's media goes to the SDP's address until the delay has passed since the answer, then to where A
    sends from."""
    with Call(ng) as call, rtp.udp_socket("127.0.0.5") as private, rtp.udp_socket("127.0.0.7") as nat:
        private_port = private.getsockname()[1]
        call.offer(sdp_text=sdp.audio_sdp("127.0.0.5", private_port))
        call.answer()
        answered = time.monotonic()
        to_a = call.b_stream
        sent_at_private = received_at_nat = 0
        deadline = answered + WAIT
        while received_at_nat < 5 and time.monotonic() < deadline:
            nat.sendto(call.a_stream.next(), (RTCGATE, call.port_for_a))
            call.send_b(to_a.next())
            time.sleep(0.02)
            sent_at_private += arrived(private)
            received_at_nat += arrived(nat)
        assert received_at_nat >= 5, f"A behind NAT got {received_at_nat} packets within {WAIT} s"
        assert sent_at_private > 0, "B's media went to A's NAT before the delay"
        assert time.monotonic() - answered >= LEARNING_DELAY
        a_stream = streams(assert_ok(call.query()), call.from_tag)[0]
        assert a_stream["endpoint"] == endpoint("127.0.0.7", nat.getsockname()[1])
        assert a_stream["advertised endpoint"] == endpoint("127.0.0.5", private_port)


def a_sends_from(call, party, what):
    """A sends from `party`'s socket: its packet reaches B, and B's next ones reach `party`, none A's SDP port."""
    from_a = call.a_stream.next()
    party.rtp.sendto(from_a, (RTCGATE, call.port_for_a))
    expect_packets(call.b.rtp, [from_a], (RTCGATE, call.port_for_b), what=f"A->B {what}")
    to_a = [call.b_stream.next() for _ in range(3)]
    for packet in to_a:
        call.send_b(packet)
    expect_packets(party.rtp, to_a, (RTCGATE, call.port_for_a), what=f"B->A {what}")
    expect_silence(call.a.rtp, quiet=0.2, what=f"B->A at A's SDP port {what}")


def test_a_source_on_the_sdp_host_is_sent_to_at_once(ng):
    """A proxy that wrote the party's NAT address into its SDP (Kamailio's fix_nated_sdp, "SIP-source-address"):
    another port of that address is the party's, sent to from its first packet on."""
    with Call(ng) as call, rtp.Party() as a_real:
        call.setup()
        a_sends_from(call, a_real, "from A's real port")


@pytest.mark.parametrize("how", [{"flags": ["endpoint-learning-immediate"]}, {"endpoint-learning": "immediate"}])
def test_immediate_learning_of_one_call_takes_the_first_source(ng, how):
    """rtpengine's "immediate", asked for one call by flag or key: the first source is the party, a stranger too."""
    with Call(ng) as call, rtp.Party(STRANGER) as stranger:
        call.offer_sdp = sdp.ParsedSdp(assert_ok(ng.request({**call.offer_request(), **how}))["sdp"])
        call.answer()
        stranger.rtp.sendto(Stream(0xBAD).next(), (RTCGATE, call.port_for_a))
        rtp.receive_count(call.b.rtp, 1, 2.0)
        to_a = [call.b_stream.next() for _ in range(3)]
        for packet in to_a:
            call.send_b(packet)
        expect_packets(stranger.rtp, to_a, (RTCGATE, call.port_for_a), what="B->A at the first source")


def test_media_handover_follows_a_party_that_moves(ng):
    with Call(ng, flags=["media handover"]) as call, rtp.Party() as moved:
        call.setup()
        call.exchange(2, what="both learnt")
        a_sends_from(call, moved, "after the handover")


def test_a_strangers_packets_do_not_keep_a_call_alive(start_daemon):
    daemon = start_daemon(timeout=2)
    with daemon.client() as ng, Call(ng) as call, rtp.Party(STRANGER) as stranger:
        call.setup()
        call.exchange(2, what="both learnt")
        stream = Stream(0xBAD)
        deadline = time.monotonic() + 15.0
        while time.monotonic() < deadline:
            stranger.rtp.sendto(stream.next(), (RTCGATE, call.port_for_a))
            if call.query().get("result") != "ok":
                break
            time.sleep(0.05)
        reply = call.query()
        assert reply["result"] == "error", "the call outlived --timeout while a stranger sent to it"
