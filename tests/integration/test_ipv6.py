"""Media over IPv6: rtcgated on ::1 relays between two IPv6 parties and writes
IN IP6 into the SDP it returns."""

import rtp
import sdp
from ngclient import assert_ok


def test_a_call_over_ipv6(start_daemon):
    daemon = start_daemon(interface="::1")
    with daemon.client() as ng, rtp.Party("::1") as a, rtp.Party("::1") as b:
        offer = assert_ok(ng("offer", **{"call-id": "v6", "from-tag": "a", "sdp": sdp.audio_sdp("::1", a.rtp_port)}))
        offered = sdp.ParsedSdp(offer["sdp"])
        assert "c=IN IP6 ::1" in offer["sdp"].split("\r\n")
        assert offered.audio_address() == "::1"
        answer = assert_ok(ng("answer", **{"call-id": "v6", "from-tag": "a", "to-tag": "b",
                                          "sdp": sdp.audio_sdp("::1", b.rtp_port)}))
        port_for_a = sdp.ParsedSdp(answer["sdp"]).audio_port
        port_for_b = offered.audio_port

        to_b = [rtp.rtp_packet(n, n * 160, 0xA6, bytes([n]) * 160) for n in range(10)]
        to_a = [rtp.rtp_packet(n, n * 160, 0xB6, bytes([n + 100]) * 160) for n in range(10)]
        for packet_to_b, packet_to_a in zip(to_b, to_a):
            a.rtp.sendto(packet_to_b, ("::1", port_for_a))
            b.rtp.sendto(packet_to_a, ("::1", port_for_b))
        got_b = [rtp.receive(b.rtp, 2.0) for _ in to_b]
        got_a = [rtp.receive(a.rtp, 2.0) for _ in to_a]
        assert [g[0] for g in got_b if g] == to_b
        assert [g[0] for g in got_a if g] == to_a
        assert all(g[1][:2] == ("::1", port_for_b) for g in got_b)

        query = assert_ok(ng("query", **{"call-id": "v6"}))
        endpoint = query["tags"]["a"]["medias"][0]["streams"][0]["endpoint"]
        assert endpoint == {"family": "IPv6", "address": "::1", "port": a.rtp_port}
