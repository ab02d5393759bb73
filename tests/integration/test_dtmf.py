"""DTMF (RFC 4733 telephone-event) through rtcgated: what the ng commands "block DTMF" and "unblock DTMF" do to a
party's events while its audio keeps flowing."""

import rtp
from calls import RTCGATE, Call, expect_packets, streams
from ngclient import assert_error, assert_ok

TELEPHONE_EVENT = 101  # what sdp.audio_sdp offers and answers


def event_packets(sequence, ssrc, digit=5, count=3):
    """RFC 4733 packets of one event: start (marker), an update, the end; one timestamp for all."""
    packets = []
    for index in range(count):
        end = index == count - 1
        payload = bytes([digit, (0x80 if end else 0) | 10]) + (160 * (index + 1)).to_bytes(2, "big")
        packets.append(rtp.rtp_packet(sequence + index, 80000, ssrc, payload, TELEPHONE_EVENT, marker=index == 0))
    return packets


def send_events_and_audio(call, events_from_a):
    """A sends `events_from_a` and one audio packet after them; returns that audio packet."""
    for packet in events_from_a:
        call.send_a(packet)
    audio = call.a_stream.next()
    call.send_a(audio)
    return audio


def block(call, command, **keys):
    return call.ng.request({"command": command, "call-id": call.call_id, **keys})


def test_block_dtmf_drops_a_partys_events_and_keeps_its_audio_until_unblocked(ng):
    with Call(ng) as call:
        call.setup()
        call.exchange(2)
        source = (RTCGATE, call.port_for_b)

        events = event_packets(5000, call.a_stream.ssrc)
        audio = send_events_and_audio(call, events)
        expect_packets(call.b.rtp, events + [audio], source, what="relayed as they came")

        assert_ok(block(call, "block DTMF", **{"from-tag": call.from_tag}))
        query = assert_ok(call.query())
        assert query["tags"][call.from_tag]["DTMF blocked"] == 1
        assert query["tags"][call.to_tag]["DTMF blocked"] == 0
        blocked_before = streams(query, call.from_tag)[0]["blocked"]
        audio = send_events_and_audio(call, event_packets(5003, call.a_stream.ssrc))
        expect_packets(call.b.rtp, [audio], source, what="blocked: audio only")
        assert streams(assert_ok(call.query()), call.from_tag)[0]["blocked"] == blocked_before + 3

        # B's events are not A's: they still pass.
        b_events = event_packets(7000, call.b_stream.ssrc)
        for packet in b_events:
            call.send_b(packet)
        expect_packets(call.a.rtp, b_events, (RTCGATE, call.port_for_a), what="the other party's events")

        assert_ok(block(call, "unblock DTMF", **{"from-tag": call.from_tag}))
        events = event_packets(5006, call.a_stream.ssrc)
        audio = send_events_and_audio(call, events)
        expect_packets(call.b.rtp, events + [audio], source, what="unblocked")


def test_block_dtmf_without_a_tag_blocks_every_party(ng):
    with Call(ng) as call:
        call.setup()
        assert_ok(block(call, "block DTMF"))
        query = assert_ok(call.query())
        assert [query["tags"][tag]["DTMF blocked"] for tag in (call.from_tag, call.to_tag)] == [1, 1]
        audio = send_events_and_audio(call, event_packets(5000, call.a_stream.ssrc))
        expect_packets(call.b.rtp, [audio], (RTCGATE, call.port_for_b), what="A's events blocked")


def test_block_dtmf_names_unknown_calls_and_tags(ng):
    with Call(ng) as call:
        call.setup()
        assert assert_error(block(call, "block DTMF", **{"from-tag": "nobody"}))["error-reason"] == "Unknown from-tag"
        reply = assert_error(ng.request({"command": "unblock DTMF", "call-id": "no-such-call"}))
        assert reply["error-reason"] == "Unknown call-id"
        assert_error(ng.request({"command": "block DTMF"}))  # no call-id
        assert assert_ok(call.query())["tags"][call.from_tag]["DTMF blocked"] == 0
