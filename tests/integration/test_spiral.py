"""A signaling spiral: a proxy that routes an INVITE back through itself hands rtcgated the SDP rtcgated wrote, as
if a party had sent it (issue 11). With "loop protect" rtcgated marks what it writes (rtpengine's a=rtpengine:ID)
and passes a marked SDP back unchanged; without it, and for any SDP that names one of rtcgated's own ports, that
address is refused (a warning says so) and nothing is ever sent there, so no packet circles through rtcgated.
"""

import time

import pytest

import rtp
import sdp
from calls import RTCGATE, Call, expect_packets, streams
from ngclient import assert_ok

LOOP_PROTECT = ["loop-protect"]


def second_pass(call, request, flags):
    """The request of the spiral's second pass through the proxy: the same call and tags, the SDP of the first."""
    request["flags"] = list(flags)
    request["via-branch"] = "z9hG4bK-second-pass"
    return assert_ok(call.ng.request(request))


def spiral(call, flags):
    """Offer and answer each pass rtcgated twice, as through a proxy that spirals the INVITE. The replies that
    reach the parties (the second passes) become the call's SDPs; returns the four replies."""
    first_offer = assert_ok(call.ng.request({**call.offer_request(), "flags": list(flags)}))
    second_offer = second_pass(call, call.offer_request(sdp_text=first_offer["sdp"]), flags)
    first_answer = assert_ok(call.ng.request({**call.answer_request(), "flags": list(flags)}))
    second_answer = second_pass(call, call.answer_request(sdp_text=first_answer["sdp"]), flags)
    call.offer_sdp = sdp.ParsedSdp(second_offer["sdp"])
    call.answer_sdp = sdp.ParsedSdp(second_answer["sdp"])
    return first_offer, second_offer, first_answer, second_answer


def loop_markers(sdp_text):
    return [line for line in sdp_text.splitlines() if line.startswith("a=rtpengine:")]


def assert_no_packet_circled(call, sent):
    """rtcgated received exactly what the two parties sent: nothing it sent came back to one of its own ports."""
    totals = assert_ok(call.query())["totals"]
    assert totals["RTP"]["packets"] == sent, totals


def test_a_spiral_with_loop_protect_passes_the_marked_sdp_back_and_carries_audio(ng):
    with Call(ng, a_address="127.0.0.2", b_address="127.0.0.3", name="spiral") as call:
        first_offer, second_offer, first_answer, second_answer = spiral(call, LOOP_PROTECT)
        for reply in (first_offer, first_answer):
            assert len(loop_markers(reply["sdp"])) == 1, reply["sdp"]
            assert "warning" not in reply, reply
        assert second_offer["sdp"] == first_offer["sdp"]
        assert second_answer["sdp"] == first_answer["sdp"]
        assert "warning" not in second_offer and "warning" not in second_answer

        call.exchange(20, what="through the spiral")
        assert_no_packet_circled(call, 40)
        query = assert_ok(call.query())
        assert set(query["tags"]) == {call.from_tag, call.to_tag}
        a_rtp, _ = streams(query, call.from_tag)
        assert a_rtp["endpoint"]["address"] == "127.0.0.2"


def test_a_marked_sdp_is_processed_without_loop_protect_and_another_daemons_mark_is_kept(ng):
    """The mark only counts with "loop protect" (rtpengine's rule): without the flag a marked SDP is a party's
    like any other. Another instance's mark is not ours: the SDP is processed, and that mark goes on."""
    foreign = "a=rtpengine:0123456789ab"
    with Call(ng, a_address="127.0.0.2", name="foreign-mark") as call:
        offer = sdp.audio_sdp("127.0.0.2", call.a.rtp_port).replace("t=0 0\r\n", f"t=0 0\r\n{foreign}\r\n")
        reply = assert_ok(ng.request({**call.offer_request(sdp_text=offer), "flags": LOOP_PROTECT}))
        assert sdp.ParsedSdp(reply["sdp"]).audio_port != call.a.rtp_port
        markers = loop_markers(reply["sdp"])
        assert markers[0] == foreign and len(markers) == 2, reply["sdp"]
        unprotected = assert_ok(ng.request(call.offer_request(sdp_text=reply["sdp"])))
        assert "own port" in unprotected.get("warning", ""), unprotected


def test_a_spiral_without_loop_protect_refuses_its_own_ports_and_still_carries_audio(ng):
    """Each party's second pass names rtcgated's own port: refused, with a warning, and never a destination;
    each party keeps the address its own SDP gave on the first pass, so that a phone that waits to hear the other
    before it sends is reached all the same (test_sipp.py), and no packet circles."""
    with Call(ng, a_address="127.0.0.2", b_address="127.0.0.3", name="unprotected-spiral") as call:
        first_offer, second_offer, first_answer, second_answer = spiral(call, [])
        for reply in (second_offer, second_answer):
            assert "rtcgated's own port" in reply.get("warning", ""), reply
        assert not loop_markers(second_answer["sdp"])

        first = call.b_stream.next()
        call.send_b(first)
        expect_packets(call.a.rtp, [first], (RTCGATE, call.port_for_a), what="B's first packet")
        first = call.a_stream.next()
        call.send_a(first)
        expect_packets(call.b.rtp, [first], (RTCGATE, call.port_for_b), what="A's first packet")
        call.exchange(20, what="through the unprotected spiral")
        assert_no_packet_circled(call, 42)


def wait_for_blocked(call, tag, component, count, limit=10.0):
    """The `blocked` count of `tag`'s stream of `component` (0 RTP, 1 RTCP), once it reaches `count` (bounded
    wait)."""
    deadline = time.monotonic() + limit
    while True:
        blocked = streams(assert_ok(call.query()), tag)[component]["blocked"]
        if blocked >= count or time.monotonic() > deadline:
            return blocked
        time.sleep(0.05)


@pytest.mark.parametrize("component", ["RTP", "RTCP"])
def test_a_forged_sdp_naming_an_own_port_makes_rtcgated_send_nothing_there(ng, component):
    """An offer that points a party at another call's rtcgated port (its RTP, or its RTCP through a=rtcp): the
    reply warns, the answerer's packets toward that party are dropped and counted, and the other call's socket
    receives nothing."""
    with Call(ng, a_address="127.0.0.2", b_address="127.0.0.3", name="victim") as victim, \
            Call(ng, b_address="127.0.0.4", name="forged") as forged:
        victim.setup()
        own_port = victim.port_for_b
        if component == "RTP":
            offer = sdp.audio_sdp("127.0.0.1", own_port)
        else:
            offer = sdp.audio_sdp("127.0.0.2", forged.a.rtp_port) + f"a=rtcp:{own_port + 1} IN IP4 127.0.0.1\r\n"
        reply = assert_ok(ng.request(forged.offer_request(sdp_text=offer)))
        forged.offer_sdp = sdp.ParsedSdp(reply["sdp"])
        assert f"127.0.0.1:{own_port + (component == 'RTCP')} is rtcgated's own port" in reply["warning"], reply
        forged.answer()

        rtcp = component == "RTCP"
        for _ in range(5):
            packet = rtp.rtcp_receiver_report(forged.b_stream.ssrc, 0x1234) if rtcp else forged.b_stream.next()
            forged.send_b(packet, rtcp=rtcp)
        assert wait_for_blocked(forged, forged.to_tag, int(rtcp), 5) == 5
        victim_streams = streams(assert_ok(victim.query()), victim.to_tag)
        assert [s["stats"]["packets"] + s["stats"]["errors"] for s in victim_streams] == [0, 0]
