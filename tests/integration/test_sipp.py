"""Two SIP phones (SIPp) call each other through a real Kamailio 5.6 whose routing spirals the INVITE through
itself, calling rtpengine_offer()/rtpengine_answer() of its stock rtpengine module on each pass, as many real
configurations do (issue 11, point 8): each offer and answer reaches rtcgated twice, the second time with the SDP
rtcgated wrote. One phone plays a tone, the other echoes every packet it gets: the echo coming back proves that
the tone reached it, and the call is played once each way. rtcgated must carry every packet and nothing else:
with "loop-protect" it passes its own SDP back unchanged, without it it refuses its own ports as a party's address;
either way no packet circles through it (rtcgated 5.5 million packets in 9 s before the fix).
"""

import time

import pytest

from calls import streams
from kamailio import Kamailio, kamailio_binary
from ngclient import assert_ok
from sipp import TONE_PACKETS, SippPhone, sipp_binary

pytestmark = pytest.mark.skipif(kamailio_binary() is None or sipp_binary() is None,
                                reason="Debian's kamailio or sip-tester is not installed")

CALLER = "127.0.0.2"
CALLEE = "127.0.0.3"
MEDIA_TIMEOUT = 30.0  # bound of the wait for the tone and its echo (3 s of audio)

# The INVITE to sip:callee@proxy goes round once more as sip:spiral@proxy, then to the callee phone; the replies
# come back through both transactions.
SPIRAL_ROUTES = """
request_route {
    if (is_method("OPTIONS")) {
        sl_send_reply("200", "ready");
        exit;
    }
    if (is_method("INVITE") && $rU == "callee") {
        rtpengine_offer("FLAGS");
        t_on_reply("answered");
        $ru = "sip:spiral@127.0.0.1:{sip_port}";
        t_relay();
        exit;
    }
    if (is_method("INVITE") && $rU == "spiral") {
        rtpengine_offer("FLAGS");
        t_on_reply("answered");
        $ru = "CALLEE_URI";
        t_relay();
        exit;
    }
    t_relay();
}

onreply_route[answered] {
    if (has_body("application/sdp")) {
        rtpengine_answer("FLAGS");
    }
}
"""


def wait_for_media(ng, expected, phones):
    """The query of the one call once each phone's RTP stream has `expected` packets (bounded wait)."""
    deadline = time.monotonic() + MEDIA_TIMEOUT
    counts = {}
    while time.monotonic() < deadline:
        calls = assert_ok(ng.request({"command": "list"}))["calls"]
        if calls:
            query = assert_ok(ng.request({"command": "query", "call-id": calls[0]}))
            counts = {tag: streams(query, tag)[0]["stats"]["packets"] for tag in query["tags"]}
            if len(counts) == 2 and all(count >= expected for count in counts.values()):
                return calls, query
        time.sleep(0.2)
    pytest.fail(f"packets per tag {counts} after {MEDIA_TIMEOUT} s, expected {expected} each\n" +
                "\n".join(phone.log() for phone in phones))


@pytest.mark.parametrize("flags", ["loop-protect replace-origin replace-session-connection",
                                   "replace-origin replace-session-connection"],
                         ids=["loop-protect", "without loop-protect"])
@pytest.mark.parametrize("player", ["caller", "callee"])
def test_a_call_that_spirals_through_kamailio_carries_every_packet_once(rtcgated, ng, tmp_path, flags, player):
    with SippPhone.callee(tmp_path, CALLEE, plays=player == "callee") as callee:
        routes = SPIRAL_ROUTES.replace("FLAGS", flags).replace(
            "CALLEE_URI", f"sip:callee@{CALLEE}:{callee.sip_port}")
        with Kamailio(tmp_path, rtcgated.ng_address, routes) as proxy, \
                SippPhone.caller(tmp_path, CALLER, proxy.sip_port, plays=player == "caller") as caller:
            calls, query = wait_for_media(ng, TONE_PACKETS, (caller, callee))
            context = f"\n{query}\n{caller.log()}\n{callee.log()}\n{proxy.log()}"
            assert len(calls) == 1, calls
            # Every packet of the tone reached the echoing phone and came back: rtcgated received exactly the tone
            # and its echo, from the two phones' own addresses, nothing from itself.
            endpoints = {}
            for tag in query["tags"]:
                rtp_stream, _ = streams(query, tag)
                assert rtp_stream["stats"]["packets"] == TONE_PACKETS, context
                endpoints[rtp_stream["endpoint"]["address"]] = rtp_stream["endpoint"]["port"]
            assert endpoints == {CALLER: caller.media_port, CALLEE: callee.media_port}, context
            assert query["totals"]["RTP"]["packets"] == 2 * TONE_PACKETS, context
            assert query["totals"]["RTP"]["errors"] == 0, context
        assert_ok(ng.request({"command": "delete", "call-id": calls[0]}))
