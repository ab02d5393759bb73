"""DTMF (RFC 4733 telephone-event) through rtcgated: what the ng commands "block DTMF" and "unblock DTMF" do to a
party's events while its audio keeps flowing."""

import time

import rtp
import sdp
from calls import RTCGATE, Call, expect_packets, streams
from ngclient import assert_error, assert_ok

TELEPHONE_EVENT = 101  # what sdp.audio_sdp offers and answers


def event_packets(sequence, ssrc, digit=5, count=3, timestamp=80000):
    """RFC 4733 packets of one event: start (marker), an update, the end; one timestamp for all."""
    packets = []
    for index in range(count):
        end = index == count - 1
        payload = bytes([digit, (0x80 if end else 0) | 10]) + (160 * (index + 1)).to_bytes(2, "big")
        packets.append(rtp.rtp_packet(sequence + index, timestamp, ssrc, payload, TELEPHONE_EVENT, marker=index == 0))
    return packets


def send_events_and_audio(call, events_from_a):
    """A sends `events_from_a` and one audio packet after them; returns that audio packet."""
    for packet in events_from_a:
        call.send_a(packet)
    audio = call.a_stream.next()
    call.send_a(audio)
    return audio


def counted_digits(call, tag, count):
    """The digits query counts for `tag`, once it counts `count` (a passed-through line's are counted on the
    100 ms housekeeping tick), or after 2 s."""
    deadline = time.monotonic() + 2.0
    while True:
        dtmf = assert_ok(call.query())["tags"][tag]["DTMF"]
        if dtmf["count"] >= count or time.monotonic() > deadline:
            assert dtmf["count"] == count, dtmf
            return dtmf["digits"]
        time.sleep(0.05)


def block(call, command, **keys):
    return call.ng.request({"command": command, "call-id": call.call_id, **keys})


def test_block_dtmf_drops_a_partys_events_and_keeps_its_audio_until_unblocked(ng):
    """Passed through (PCMU both sides): a blocked party's events are dropped, and still counted."""
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
        audio = send_events_and_audio(call, event_packets(5003, call.a_stream.ssrc, timestamp=81600))
        expect_packets(call.b.rtp, [audio], source, what="blocked: audio only")
        assert streams(assert_ok(call.query()), call.from_tag)[0]["blocked"] == blocked_before + 3
        # Blocked, not ignored: the digit is still counted (rtpengine processes blocked DTMF, to log it).
        assert counted_digits(call, call.from_tag, 2) == "55"

        # B's events are not A's: they still pass.
        b_events = event_packets(7000, call.b_stream.ssrc)
        for packet in b_events:
            call.send_b(packet)
        expect_packets(call.a.rtp, b_events, (RTCGATE, call.port_for_a), what="the other party's events")

        assert_ok(block(call, "unblock DTMF", **{"from-tag": call.from_tag}))
        events = event_packets(5006, call.a_stream.ssrc, timestamp=83200)
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


# --- telephone-event across clock rates on a transcoded line -----------------------------------------------------------

def opus_sdp(party):
    """A plain-RTP party that speaks Opus with telephone-event/48000 (as a browser does, without ICE/DTLS)."""
    return "\r\n".join([
        "v=0", f"o=- 7 1 IN IP4 {party.address}", "s=-", f"c=IN IP4 {party.address}", "t=0 0",
        f"m=audio {party.rtp_port} RTP/AVP 111 110",
        "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:110 telephone-event/48000", "a=fmtp:110 0-16", "a=sendrecv", ""])


def pcmu_answer(party, offer):
    """The carrier's answer: PCMU and the telephone-event/8000 the offer carries."""
    parsed = sdp.ParsedSdp(offer)
    event = next(value.split()[0] for value in parsed.attribute("rtpmap") if "telephone-event/8000" in value)
    return "\r\n".join([
        "v=0", f"o=- 8 1 IN IP4 {party.address}", "s=-", f"c=IN IP4 {party.address}", "t=0 0",
        f"m=audio {party.rtp_port} RTP/AVP 0 {event}",
        "a=rtpmap:0 PCMU/8000", f"a=rtpmap:{event} telephone-event/8000", f"a=fmtp:{event} 0-16", "a=sendrecv",
        ""]), int(event)


def transcoded_call(ng, call_id, browser, carrier):
    """Opus + telephone-event/48000 on the browser side, PCMU + telephone-event/8000 on the carrier side. Returns
    rtcgated's port for the browser, its port for the carrier, and the carrier's telephone-event payload type."""
    offer = assert_ok(ng.request({"command": "offer", "call-id": call_id, "from-tag": "browser",
                                  "sdp": opus_sdp(browser), "codec": {"mask": ["all"], "transcode": ["PCMU"]}}))
    answer_sdp, event_type = pcmu_answer(carrier, offer["sdp"])
    answer = assert_ok(ng.request({"command": "answer", "call-id": call_id, "from-tag": "browser",
                                   "to-tag": "carrier", "sdp": answer_sdp}))
    query = assert_ok(ng.request({"command": "query", "call-id": call_id}))
    assert query["tags"]["browser"]["medias"][0]["transcoding"] == 1
    return sdp.ParsedSdp(answer["sdp"]).audio_port, sdp.ParsedSdp(offer["sdp"]).audio_port, event_type


def send_event(sock, port, payload_type, durations, digit, timestamp=96000, ssrc=0x4444):
    """One event as its sender sends it: the start (marker), updates, then the end packets, at `durations`."""
    for index, duration in enumerate(durations):
        end = index >= len(durations) - 3
        payload = bytes([digit, (0x80 if end else 0) | 10]) + duration.to_bytes(2, "big")
        sock.sendto(rtp.rtp_packet(300 + index, timestamp, ssrc, payload, payload_type, marker=index == 0),
                    (RTCGATE, port))


def received_events(sock, payload_type, count):
    received = [rtp.parse_rtp(data) for data, _ in rtp.receive_count(sock, count, 2.0)]
    received += [rtp.parse_rtp(data) for data, _ in rtp.drain(sock, quiet=0.3)]
    return [packet for packet in received if packet.payload_type == payload_type], received


def assert_one_event(events, digit, durations, sender_ssrc=0x4444):
    """One event on rtcgated's own stream: one timestamp, marker on the start, `durations`, three end packets."""
    assert len(events) == len(durations), events
    assert {packet.timestamp for packet in events} == {events[0].timestamp}
    assert [packet.marker for packet in events] == [True] + [False] * (len(durations) - 1)
    assert [int.from_bytes(packet.payload[2:4], "big") for packet in events] == durations
    assert [packet.payload[0] for packet in events] == [digit] * len(durations)
    assert [bool(packet.payload[1] & 0x80) for packet in events] == [False] * (len(durations) - 3) + [True] * 3
    sequences = [packet.sequence for packet in events]
    assert sequences == list(range(sequences[0], sequences[0] + len(durations)))
    assert len({packet.ssrc for packet in events}) == 1 and events[0].ssrc != sender_ssrc


def test_a_48khz_event_reaches_an_8khz_carrier_rescaled_with_its_boundaries(ng):
    """Digit 7 for 100 ms at 48 kHz (start, an update, three end packets) reaches the carrier at 8 kHz on rtcgated's
    own stream: the carrier's payload type, one timestamp, the marker on the start, durations / 6."""
    with rtp.Party() as browser, rtp.Party() as carrier:
        port_for_browser, _, event_type = transcoded_call(ng, "dtmf-48k", browser, carrier)
        send_event(browser.rtp, port_for_browser, 110, [960, 2880, 4800, 4800, 4800], digit=7)
        events, _ = received_events(carrier.rtp, event_type, 5)
    assert_one_event(events, 7, [160, 480, 800, 800, 800])


def test_an_8khz_event_reaches_the_48khz_side_rescaled(ng):
    """The carrier's digit # for 100 ms at 8 kHz reaches the browser side at 48 kHz: durations x 6, payload type 110."""
    with rtp.Party() as browser, rtp.Party() as carrier:
        _, port_for_carrier, event_type = transcoded_call(ng, "dtmf-8k", browser, carrier)
        send_event(carrier.rtp, port_for_carrier, event_type, [160, 480, 800, 800, 800], digit=11)
        events, _ = received_events(browser.rtp, 110, 5)
    assert_one_event(events, 11, [960, 2880, 4800, 4800, 4800])


def test_a_re_offer_during_a_digit_leaves_it_one_event(ng):
    """The browser side re-offers (the same media, as a proxy's re-INVITE does) while its digit 3 plays: the carrier
    still sees one event, one timestamp, the durations going on and three end packets, nothing twice."""
    with rtp.Party() as browser, rtp.Party() as carrier:
        port_for_browser, _, event_type = transcoded_call(ng, "dtmf-reoffer", browser, carrier)
        durations = [960, 1920, 2880, 3840, 4800, 4800, 4800]
        packets = []
        for index, duration in enumerate(durations):
            end = index >= len(durations) - 3
            payload = bytes([3, (0x80 if end else 0) | 10]) + duration.to_bytes(2, "big")
            packets.append(rtp.rtp_packet(300 + index, 96000, 0x4444, payload, 110, marker=index == 0))
        for packet in packets[:2]:
            browser.rtp.sendto(packet, (RTCGATE, port_for_browser))
        offer = assert_ok(ng.request({"command": "offer", "call-id": "dtmf-reoffer", "from-tag": "browser",
                                      "sdp": opus_sdp(browser).replace("o=- 7 1", "o=- 7 2"),
                                      "codec": {"mask": ["all"], "transcode": ["PCMU"]}}))
        answer_sdp, _ = pcmu_answer(carrier, offer["sdp"])
        assert_ok(ng.request({"command": "answer", "call-id": "dtmf-reoffer", "from-tag": "browser",
                              "to-tag": "carrier", "sdp": answer_sdp.replace("o=- 8 1", "o=- 8 2")}))
        for packet in packets[2:]:
            browser.rtp.sendto(packet, (RTCGATE, port_for_browser))
        events, _ = received_events(carrier.rtp, event_type, 7)
    assert_one_event(events, 3, [d // 6 for d in durations])


def test_passed_through_digits_are_counted_per_party(ng):
    """On a passed-through line the events go as they came, and query still counts each digit of its sender, once
    (its end packet duplicated or not), with its duration."""
    with Call(ng) as call:
        call.setup()
        source = (RTCGATE, call.port_for_b)
        first = event_packets(5000, call.a_stream.ssrc, digit=5)  # up to 3 x 160 ticks: 60 ms
        second = event_packets(5003, call.a_stream.ssrc, digit=11, count=4, timestamp=81600)  # 80 ms, end sent twice
        for packet in first + second + [second[-1]]:
            call.send_a(packet)
        expect_packets(call.b.rtp, first + second + [second[-1]], source, what="relayed as they came")
        assert counted_digits(call, call.from_tag, 2) == "5#"
        dtmf = assert_ok(call.query())["tags"][call.from_tag]["DTMF"]
        assert [(e["duration"], e["source"]) for e in dtmf["events"]] == [(60, "RFC 4733"), (80, "RFC 4733")]
        assert assert_ok(call.query())["tags"][call.to_tag]["DTMF"]["count"] == 0


def test_duplicated_and_reordered_event_packets_make_one_event_at_8khz(ng):
    """The browser side's digit 9 arrives out of order and with a duplicate (an update after a later one, the later
    one again, then the end packets): the carrier gets one event, its durations never going back, ended once."""
    with rtp.Party() as browser, rtp.Party() as carrier:
        port_for_browser, _, event_type = transcoded_call(ng, "dtmf-reorder", browser, carrier)
        order = [(0, 960), (2, 2880), (1, 1920), (2, 2880), (3, 4800), (4, 4800), (5, 4800)]
        for index, duration in order:
            end = index >= 3
            payload = bytes([9, (0x80 if end else 0) | 10]) + duration.to_bytes(2, "big")
            browser.rtp.sendto(rtp.rtp_packet(700 + index, 48000, 0x4545, payload, 110, marker=index == 0),
                               (RTCGATE, port_for_browser))
        events, _ = received_events(carrier.rtp, event_type, 5)
    assert_one_event(events, 9, [160, 480, 800, 800, 800], sender_ssrc=0x4545)
