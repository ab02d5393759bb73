"""Checks of the suite's own helpers (bencode, ng framing, RTP/RTCP, SDP); no daemon needed."""

import struct

import pytest

import bencode
import ngclient
import rtp
import sdp


def test_bencode_encodes_canonically():
    assert bencode.encode({"command": "ping"}) == b"d7:command4:pinge"
    # Keys in raw byte order, whatever the insertion order.
    assert bencode.encode({"sdp": "x", "call-id": "c", "a": [1, -2, b"\xff"]}) == (
        b"d1:ali1ei-2e1:\xffe7:call-id1:c3:sdp1:xe"
    )
    assert bencode.encode(0) == b"i0e"
    assert bencode.encode("") == b"0:"


def test_bencode_round_trips_nested_values():
    value = {"result": "ok", "list": ["a", 1, {"k": []}], "n": -42, "bin": b"\x00\xff", "utf": "h\u00e9"}
    assert bencode.decode(bencode.encode(value)) == value


@pytest.mark.parametrize("data", [b"d7:command4:pi", b"d7:comm", b"l", b"i12", b"3:ab", b"12", b""])
def test_bencode_reports_truncated_input_as_incomplete(data):
    with pytest.raises(bencode.Incomplete):
        bencode.decode(data)


@pytest.mark.parametrize("data", [b"x", b"i1x2e", b"ie", b"i-0e", b"i03e", b"di1e1:ae", b"3x", b"05:abcde", b"1:ab"])
def test_bencode_rejects_malformed_input(data):
    with pytest.raises(bencode.DecodeError) as error:
        bencode.decode(data)
    assert not isinstance(error.value, bencode.Incomplete)


def test_bencode_decode_prefix_stops_after_one_value():
    value, end = bencode.decode_prefix(b"xx d4:name3:abce rest", 3)
    assert value == {"name": "abc"}
    assert end == len(b"xx d4:name3:abce")


def test_ng_message_framing():
    assert ngclient.encode_message("5_1", {"command": "ping"}) == b"5_1 d7:command4:pinge"
    assert ngclient.split_message(b"5_1 d6:result4:ponge") == ("5_1", {"result": "pong"})
    with pytest.raises(bencode.DecodeError):
        ngclient.split_message(b"d6:result4:ponge")


def test_tcp_reader_splits_a_stream_into_messages():
    reader = ngclient.NgTcpClient.__new__(ngclient.NgTcpClient)
    stream = b"c1 d6:result4:ponge" + b"c2 d6:result2:ok3:sdp5:v=0\r\ne"
    reader.buffer = b""
    messages = []
    for byte in stream:  # one byte at a time: every split point
        reader.buffer += bytes([byte])
        message = reader._take_message()
        if message is not None:
            messages.append(message)
    assert messages == [("c1", {"result": "pong"}), ("c2", {"result": "ok", "sdp": "v=0\r\n"})]
    assert reader.buffer == b""


def test_rtp_packet_layout_and_parse():
    packet = rtp.rtp_packet(0x1234, 0x01020304, 0xCAFEBABE, b"\x01\x02", payload_type=8, marker=True)
    assert packet == b"\x80\x88\x12\x34\x01\x02\x03\x04\xca\xfe\xba\xbe\x01\x02"
    header = rtp.parse_rtp(packet)
    assert (header.version, header.marker, header.payload_type) == (2, True, 8)
    assert (header.sequence, header.timestamp, header.ssrc, header.payload) == (0x1234, 0x01020304, 0xCAFEBABE, b"\1\2")
    assert rtp.rtp_packet(0x10000, 1 << 32, 1, b"")[2:8] == b"\x00\x00\x00\x00\x00\x00"


def test_rtcp_packets_have_consistent_length_fields():
    rr = rtp.rtcp_receiver_report(1, 2, highest_sequence=5)
    sr = rtp.rtcp_sender_report(3, 4, 5, 6, 7)
    for packet, packet_type in ((rr, 201), (sr, 200)):
        assert packet[0] >> 6 == 2
        assert rtp.parse_rtcp_type(packet) == packet_type
        assert (struct.unpack("!H", packet[2:4])[0] + 1) * 4 == len(packet)
    assert rr[0] & 0x1F == 1 and len(rr) == 32
    assert len(sr) == 28


def test_party_binds_an_even_rtp_port_with_rtcp_on_the_next():
    with rtp.Party() as party:
        assert party.rtp_port % 2 == 0
        assert party.rtcp.getsockname() == ("127.0.0.1", party.rtp_port + 1)
        party.rtp.sendto(b"x", ("127.0.0.1", party.rtcp_port))
        data, source = rtp.receive(party.rtcp, 1.0)
        assert (data, source) == (b"x", ("127.0.0.1", party.rtp_port))


def test_sdp_builder_and_parser_agree():
    text = sdp.audio_sdp("127.0.0.2", 4000, direction="sendonly", rtcp="long", video_port=4002)
    assert "\r\n" in text and text.endswith("\r\n")
    parsed = sdp.ParsedSdp(text)
    assert parsed.connection == "127.0.0.2"
    assert parsed.audio_port == 4000
    assert parsed.audio_address() == "127.0.0.2"
    assert parsed.attribute("rtcp") == ["4001 IN IP4 127.0.0.2"]
    assert parsed.attribute("sendonly") == [""]
    assert [(m["type"], m["port"]) for m in parsed.media] == [("audio", 4000), ("video", 4002)]
    assert sdp.ParsedSdp("v=0\nc=IN IP4 1.2.3.4\nm=audio 5/2 RTP/AVP 0\nc=IN IP4 5.6.7.8\n").audio_address() == "5.6.7.8"
