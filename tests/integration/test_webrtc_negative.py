"""What rtcgated's WebRTC leg must refuse, and what it must keep doing when things change: a DTLS peer whose
certificate does not match its a=fingerprint, STUN checks with the wrong credentials, tampered and replayed SRTP,
an ICE restart, expired consent (RFC 7675), and the choice among offered SDES suites.

The browser of the fingerprint test is aiortc (webrtc.Browser); everywhere else the WebRTC-ish party is a
SecurePeer (secure_peer.py) whose SDES keys and ICE credentials the test knows, so it can send exactly the bad
packet it means to. The plain side is a synchronous PlainCarrier (an rtp.Party) or, with aiortc, demo's Carrier.
Each test starts its own daemon.
"""

import asyncio
import re
import select
import sys
import time
from pathlib import Path

import pytest

import calls
import rtp
import sdp
from ngclient import assert_ok
from secure_peer import SecurePeer
from webrtc import Browser

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.carrier import Carrier  # noqa: E402
from demo.recipe import BROWSER_CALLS_CARRIER_ANSWER, BROWSER_CALLS_CARRIER_OFFER  # noqa: E402

# The same toward a SecurePeer, whose media line stays RTP/SAVPF (SDES).
PEER_CALLS_CARRIER_OFFER = BROWSER_CALLS_CARRIER_OFFER
PEER_CALLS_CARRIER_ANSWER = {"ICE": "force"}

PACKET_INTERVAL = 0.02
FLOW_SLACK = 0.5  # seconds for the last packets of a flow to arrive


def media_of(query, tag):
    return assert_ok(query)["tags"][tag]["medias"][0]


def endpoint_text(address):
    return f"{address[0]}:{address[1]}"


class PlainCarrier:
    """The plain-RTP side, synchronous: an rtp.Party (RTP on an even port, RTCP above) sending numbered packets
    (calls.Stream) to rtcgated and recording what it receives on its RTP socket."""

    def __init__(self, ssrc=0xCA771E55):
        self.party = rtp.Party()
        self.sock = self.party.rtp
        self.stream = calls.Stream(ssrc, tag=b"C")
        self.remote = None
        self.sent = []
        self.received = []  # (data, source)
        self._version = 0

    def close(self):
        self.party.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def sdp(self):
        self._version += 1
        return sdp.audio_sdp(self.party.address, self.party.rtp_port, session_id=self.party.rtp_port,
                             version=self._version)

    def learn(self, text):
        """Where to send: the audio address and port of rtcgated's SDP toward the carrier."""
        parsed = sdp.ParsedSdp(text)
        self.remote = (parsed.audio_address(), parsed.audio_port)

    def send(self):
        packet = self.stream.next()
        self.sock.sendto(packet, self.remote)
        self.sent.append(packet)
        return packet

    def poll(self):
        while True:
            try:
                self.received.append(self.sock.recvfrom(65536))
            except BlockingIOError:
                return

    def pump(self, seconds):
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                return
            self.poll()

    @property
    def received_packets(self):
        return [data for data, _ in self.received]


def flow(peer, carrier, seconds, *, from_peer=True, from_carrier=True):
    """Both parties send a packet every 20 ms for `seconds` (bounded), receiving all the while."""
    start = time.monotonic()
    deadline = start + seconds
    next_send = start
    while (now := time.monotonic()) < deadline:
        if now >= next_send:
            if from_peer:
                peer.send_rtp()
            if from_carrier:
                carrier.send()
            next_send += PACKET_INTERVAL
        timeout = max(min(next_send, deadline) - time.monotonic(), 0)
        ready, _, _ = select.select([peer.sock, carrier.sock], [], [], timeout)
        if peer.sock in ready:
            peer.poll()
        if carrier.sock in ready:
            carrier.poll()


def settle(peer, carrier, seconds=FLOW_SLACK):
    flow(peer, carrier, seconds, from_peer=False, from_carrier=False)


def peer_calls_carrier(ng, peer, carrier, call_id, *, offer_flags=None, answer_flags=None):
    """The peer offers, the carrier answers; returns (offer reply, answer reply)."""
    offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "peer", "sdp": peer.offer_sdp(),
                                     **(PEER_CALLS_CARRIER_OFFER if offer_flags is None else offer_flags)}))
    carrier.learn(offer["sdp"])
    answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "peer", "to-tag": "carrier",
                                       "sdp": carrier.sdp(),
                                       **(PEER_CALLS_CARRIER_ANSWER if answer_flags is None else answer_flags)}))
    peer.accept_answer(answer["sdp"])
    return offer, answer


def query(ng, call_id):
    return assert_ok(ng("query", **{"call-id": call_id}))


# --- DTLS: the certificate must match the a=fingerprint ---------------------------------------------------------


def alter_fingerprint(text):
    """`text` with the first byte of every a=fingerprint digest changed."""

    def flip(match):
        return f"{match.group(1)}{int(match.group(2), 16) ^ 0x5A:02X}"

    altered, count = re.subn(r"(a=fingerprint:sha-256 )([0-9A-Fa-f]{2})", flip, text)
    assert count >= 1, f"no sha-256 fingerprint in:\n{text}"
    assert altered != text
    return altered


@pytest.mark.parametrize("fingerprint", ["genuine", "altered"])
def test_dtls_needs_the_fingerprint_of_the_offer(ng, fingerprint):
    """The browser's offer reaches rtcgated with its own fingerprint (control) or with one hex byte changed:
    rtcgated (the DTLS client here) must then refuse the handshake, and no media may pass either way."""
    call_id = f"fingerprint-{fingerprint}"

    async def scenario():
        browser = Browser(tone_hz=700.0)
        carrier = Carrier(tone_hz=1300.0)
        await carrier.start()
        try:
            browser_offer = await browser.offer()
            sent_offer = alter_fingerprint(browser_offer) if fingerprint == "altered" else browser_offer
            offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "browser", "sdp": sent_offer,
                                             **BROWSER_CALLS_CARRIER_OFFER}))
            carrier_answer = carrier.answer_sdp(offer["sdp"])
            carrier.set_remote(offer["sdp"])
            answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "browser", "to-tag": "carrier",
                                               "sdp": carrier_answer, **BROWSER_CALLS_CARRIER_ANSWER}))
            await browser.accept_answer(answer["sdp"])
            if fingerprint == "genuine":
                assert await browser.wait_connected(10), f"browser connection {browser.pc.connectionState}"
                assert await carrier.wait_for_audio(1.0, timeout=10), f"carrier heard {carrier.received_seconds}"
                assert await browser.wait_for_audio(1.0, timeout=10), f"browser heard {browser.received_seconds}"
            else:
                await asyncio.sleep(3.0)
            stats = await browser.stats()
            return query(ng, call_id), carrier.packets_received, carrier.packets_sent, browser.received_seconds, stats
        finally:
            await browser.close()
            await carrier.stop()

    reply, carrier_received, carrier_sent, browser_heard, browser_stats = asyncio.run(scenario())
    webrtc = media_of(reply, "browser")
    assert webrtc["ICE"]["state"] == "connected", webrtc  # the path was there: only DTLS decides
    if fingerprint == "genuine":
        assert webrtc["DTLS"]["state"] == "connected", webrtc
        assert webrtc["DTLS"]["failures"] == 0, webrtc
        assert carrier_received > 0 and browser_heard > 0
        return
    assert webrtc["DTLS"]["state"] == "failed", webrtc
    assert webrtc["DTLS"]["failures"] >= 1, webrtc
    assert webrtc["SRTP"]["profile"] == "", webrtc  # never keyed
    assert carrier_sent > 50, "the carrier must have been sending all along"
    assert carrier_received == 0, f"{carrier_received} RTP packets reached the carrier without DTLS"
    assert browser_heard == 0 and browser_stats["packets_received"] == 0, (browser_heard, browser_stats)
    carrier_stream = media_of(reply, "carrier")["streams"][0]
    assert carrier_stream["stats"]["packets"] > 0, carrier_stream  # rtcgated got the carrier's RTP ...
    assert carrier_stream["blocked"] > 0, carrier_stream  # ... and held it back: no keys toward the browser


# --- ICE: checks must carry the right USERNAME and MESSAGE-INTEGRITY --------------------------------------------


def test_stun_checks_need_the_right_credentials(ng):
    call_id = "stun-credentials"
    with SecurePeer(ice=True) as peer, PlainCarrier() as carrier, SecurePeer(ice=True) as stranger_keys:
        stranger = stranger_keys.sock
        peer_calls_carrier(ng, peer, carrier, call_id)
        remote = peer.remote
        assert remote.ice_ufrag and remote.ice_pwd and remote.ice_lite and remote.candidates, remote.text
        assert remote.address[1] == remote.port

        def ice():
            return media_of(query(ng, call_id), "peer")["ICE"]

        state = ice()
        assert (state["state"], state["selected"], state["checks answered"], state["checks rejected"]) == (
            "waiting", "", 0, 0), state

        wrong_key = peer.check(use_candidate=True, password="W" * len(remote.ice_pwd))
        assert wrong_key.kind in (None, "error"), wrong_key
        assert ice()["checks rejected"] == 1
        wrong_remote = peer.check(use_candidate=True, username=f"{remote.ice_ufrag}:notthepeer")
        assert wrong_remote.kind in (None, "error"), wrong_remote
        wrong_local = peer.check(use_candidate=True, username=f"{remote.ice_ufrag[::-1]}x:{peer.ice_ufrag}")
        assert wrong_local.kind in (None, "error"), wrong_local
        state = ice()
        assert (state["checks rejected"], state["checks answered"]) == (3, 0), state
        assert (state["state"], state["selected"]) == ("waiting", ""), state  # no nomination by a bad check

        for _ in range(5):
            carrier.send()
        peer.pump(0.3)
        assert peer.received == [], "media went to the peer before any valid nomination"

        checked = peer.check()  # valid, without USE-CANDIDATE
        assert checked.kind == "success", checked
        assert checked.mapped_address == peer.address, checked  # XOR-MAPPED-ADDRESS: where the check came from
        assert checked.source == remote.address, checked  # answered from the address it was sent to
        state = ice()
        assert (state["checks answered"], state["state"]) == (1, "waiting"), state

        nominated = peer.check(use_candidate=True)
        assert nominated.kind == "success" and nominated.mapped_address == peer.address, nominated
        state = ice()
        assert state["state"] == "connected" and state["selected"] == endpoint_text(peer.address), state

        # A stranger with the right USERNAME but not the password cannot move the path to itself.
        hijack = peer.check(use_candidate=True, password="S" * len(remote.ice_pwd), sock=stranger)
        assert hijack.kind in (None, "error"), hijack
        sent = [carrier.send() for _ in range(5)]
        peer.pump(1.0, until=lambda: len(peer.received) >= 5)
        assert [rtp.parse_rtp(p).payload for p in sent] == peer.received_payloads
        state = ice()
        assert state["selected"] == endpoint_text(peer.address) and state["checks rejected"] == 4, state
        stranger_keys.poll()  # anything but the 401 would be media
        assert stranger_keys.received == [] and stranger_keys.other_received == 0


# --- SDES-SRTP: authentication and replay protection ------------------------------------------------------------


def test_tampered_and_replayed_srtp_is_dropped(ng):
    call_id = "srtp-tamper"
    with SecurePeer(ice=False, protocol="RTP/SAVP") as peer, PlainCarrier() as carrier:
        _, answer = peer_calls_carrier(ng, peer, carrier, call_id, answer_flags={})
        assert "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" in answer["sdp"], answer["sdp"]
        assert peer.receive_crypto.key != peer.send_crypto.key

        def srtp():
            return media_of(query(ng, call_id), "peer")["SRTP"]

        state = srtp()
        assert (state["keying"], state["profile"]) == ("SDES", "AES_CM_128_HMAC_SHA1_80"), state

        # Valid SRTP reaches the carrier as the plain packet the peer protected.
        valid = [peer.send_rtp() for _ in range(5)]
        carrier.pump(1.0)
        assert carrier.received_packets == [plain for plain, _ in valid]
        assert all(source == carrier.remote for _, source in carrier.received)

        # One flipped bit in the encrypted payload: the tag no longer verifies.
        plain = peer.next_rtp()
        protected = peer.protect(plain)
        tampered = bytearray(protected)
        tampered[20] ^= 0x01
        peer.send_raw(bytes(tampered))
        carrier.pump(0.4)
        assert len(carrier.received) == 5, "a tampered SRTP packet was forwarded"
        assert srtp()["auth failures"] == 1
        peer.send_raw(protected)  # the genuine one still passes: a failed packet does not enter the replay window
        carrier.pump(1.0)
        assert carrier.received_packets[-1] == plain and len(carrier.received) == 6

        # The same valid packet twice: forwarded once.
        plain = peer.next_rtp()
        protected = peer.protect(plain)
        peer.send_raw(protected)
        peer.send_raw(protected)
        carrier.pump(0.6)
        assert carrier.received_packets[6:] == [plain], "a replayed SRTP packet was forwarded"
        state = srtp()
        assert (state["replayed"], state["auth failures"]) == (1, 1), state
        peer_stream = media_of(query(ng, call_id), "peer")["streams"][0]
        assert peer_stream["stats"]["packets"] == 7 and peer_stream["stats"]["errors"] == 2, peer_stream

        # The other way: the carrier's RTP reaches the peer as SRTP under rtcgated's key.
        sent = [carrier.send() for _ in range(5)]
        raw = rtp.receive_count(peer.sock, 5, 2.0)
        assert len(raw) == 5
        for (data, source), packet in zip(raw, sent):
            assert source == peer.remote.address
            assert data[:12] == packet[:12] and data[12:len(packet)] != packet[12:], "not encrypted"
            assert len(data) == len(packet) + 10  # the 80-bit tag
            peer._handle(data, source)
        assert peer.unprotect_failures == 0
        assert peer.received_payloads == [rtp.parse_rtp(p).payload for p in sent]


# --- ICE restart ------------------------------------------------------------------------------------------------


def test_ice_restart_keeps_audio(ng):
    call_id = "ice-restart"
    with SecurePeer(ice=True) as peer, PlainCarrier() as carrier:
        peer_calls_carrier(ng, peer, carrier, call_id)
        old_ufrag, old_pwd = peer.remote.ice_ufrag, peer.remote.ice_pwd
        old_own_ufrag = peer.ice_ufrag
        assert peer.check(use_candidate=True).kind == "success"
        flow(peer, carrier, 0.6)

        peer.restart_ice()
        offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "peer", "to-tag": "carrier",
                                         "sdp": peer.offer_sdp(), **PEER_CALLS_CARRIER_OFFER}))
        flow(peer, carrier, 0.2)
        carrier.learn(offer["sdp"])
        answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "peer", "to-tag": "carrier",
                                           "sdp": carrier.sdp(), **PEER_CALLS_CARRIER_ANSWER}))
        peer.accept_answer(answer["sdp"])
        new_ufrag, new_pwd = peer.remote.ice_ufrag, peer.remote.ice_pwd
        assert new_ufrag and new_pwd
        assert new_ufrag != old_ufrag and new_pwd != old_pwd, "rtcgated's answer kept its ICE credentials"
        flow(peer, carrier, 0.2)

        stale = peer.check(username=f"{old_ufrag}:{old_own_ufrag}", password=old_pwd)
        assert stale.kind in (None, "error"), stale
        stale_mixed = peer.check(username=f"{old_ufrag}:{peer.ice_ufrag}", password=old_pwd)
        assert stale_mixed.kind in (None, "error"), stale_mixed
        fresh = peer.check(use_candidate=True)
        assert fresh.kind == "success" and fresh.mapped_address == peer.address, fresh
        flow(peer, carrier, 0.6)
        settle(peer, carrier)

        ice = media_of(query(ng, call_id), "peer")["ICE"]
        assert ice["state"] == "connected" and ice["selected"] == endpoint_text(peer.address), ice
        assert ice["checks rejected"] >= 2, ice

        # Media both ways throughout: nothing lost beyond a packet or two.
        assert peer.packets_sent >= 70 and len(carrier.sent) >= 70
        assert len(carrier.received) >= peer.packets_sent - 2, (len(carrier.received), peer.packets_sent)
        assert len(peer.received) >= len(carrier.sent) - 2, (len(peer.received), len(carrier.sent))
        assert peer.unprotect_failures == 0
        sequences = [rtp.parse_rtp(data).sequence for data in carrier.received_packets]
        gaps = sum(((b - a) & 0xFFFF) - 1 for a, b in zip(sequences, sequences[1:]))
        assert gaps <= 2, f"the carrier missed {gaps} packets"
        expected = [rtp.parse_rtp(p).payload for p in carrier.sent]
        assert set(peer.received_payloads) <= set(expected)


# --- consent freshness (RFC 7675) -------------------------------------------------------------------------------

CONSENT_SECONDS = 30.0


def test_consent_expiry_stops_media_toward_the_peer(ng):
    """LONG TEST (~35 s). After the nomination the peer sends no more checks (but keeps sending media): 30 s
    later rtcgated must stop sending toward it (RFC 7675 section 5.1) and report ICE "failed"."""
    call_id = "consent"
    with SecurePeer(ice=True) as peer, PlainCarrier() as carrier:
        peer_calls_carrier(ng, peer, carrier, call_id)
        assert peer.check(use_candidate=True).kind == "success"
        last_check = time.monotonic()
        flow(peer, carrier, CONSENT_SECONDS + 3.5 - (time.monotonic() - last_check))
        settle(peer, carrier, 0.3)
        reply = query(ng, call_id)

        arrivals = [packet.arrival - last_check for packet in peer.received]
        assert len(carrier.received) >= peer.packets_sent - 5, "the peer's media must keep reaching the carrier"
        assert any(26.0 <= t <= 29.0 for t in arrivals), "media toward the peer stopped before consent expired"
        late = [t for t in arrivals if t > CONSENT_SECONDS + 1.5]
        assert late == [], f"{len(late)} packets reached the peer after consent expired (last at {max(late):.1f} s)"
        ice = media_of(reply, "peer")["ICE"]
        assert ice["state"] == "failed", ice
        carrier_stream = media_of(reply, "carrier")["streams"][0]
        assert carrier_stream["blocked"] > 50, carrier_stream  # received from the carrier, not sent on


# --- SDES suite choice --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sdes, tag, suite", [
    ([], 1, "AES_CM_128_HMAC_SHA1_32"),
    (["no-AES_CM_128_HMAC_SHA1_32"], 2, "AES_CM_128_HMAC_SHA1_80"),
    (["only-AEAD_AES_256_GCM"], 3, "AEAD_AES_256_GCM"),
], ids=["first-offered", "no-32", "only-GCM-256"])
def test_sdes_answer_takes_the_first_allowed_suite(ng, sdes, tag, suite):
    """The peer's libsrtp is Debian's (NSS), rtcgated's runs on OpenSSL: each suite is checked across the two."""
    call_id = f"sdes-choice-{tag}"
    offered = ("AES_CM_128_HMAC_SHA1_32", "AES_CM_128_HMAC_SHA1_80", "AEAD_AES_256_GCM")
    with SecurePeer(ice=False, protocol="RTP/SAVP", suites=offered) as peer, PlainCarrier() as carrier:
        _, answer = peer_calls_carrier(ng, peer, carrier, call_id, answer_flags={"SDES": sdes} if sdes else {})
        crypto = sdp.ParsedSdp(answer["sdp"]).attribute("crypto")
        assert len(crypto) == 1, answer["sdp"]
        assert crypto[0].split()[:2] == [str(tag), suite], crypto
        assert (peer.send_crypto.tag, peer.send_crypto.suite) == (tag, suite)
        state = media_of(query(ng, call_id), "peer")["SRTP"]
        assert (state["keying"], state["profile"]) == ("SDES", suite), state

        # Keyed as answered: the peer's key of that tag one way, rtcgated's answered key the other.
        plain, _ = peer.send_rtp()
        carrier.pump(1.0)
        assert carrier.received_packets == [plain]
        sent = carrier.send()
        peer.pump(1.0, until=lambda: peer.received)
        assert peer.received_payloads == [rtp.parse_rtp(sent).payload] and peer.unprotect_failures == 0


def test_carrier_offer_gets_sdes_toward_the_peer(ng):
    """Plain RTP offered, transport-protocol=RTP/SAVP toward the peer: rtcgated offers a=crypto in rtpengine's order
    (strongest first) and keys the one the peer answers (here not the first)."""
    call_id = "sdes-offer"
    with SecurePeer(ice=False, protocol="RTP/SAVP", rtcp_mux=False) as peer, PlainCarrier() as carrier:
        offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "carrier", "sdp": carrier.sdp(),
                                         "transport-protocol": "RTP/SAVP"}))
        parsed = sdp.ParsedSdp(offer["sdp"])
        assert parsed.audio()["proto"] == "RTP/SAVP", offer["sdp"]
        offered = [value.split()[:2] for value in parsed.attribute("crypto")]
        assert [suite for _, suite in offered] == [
            "AEAD_AES_256_GCM", "AEAD_AES_128_GCM", "AES_256_CM_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_32",
            "AES_192_CM_HMAC_SHA1_80", "AES_192_CM_HMAC_SHA1_32", "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32",
        ], offered
        assert [tag for tag, _ in offered] == [str(tag) for tag in range(1, 9)], offered
        assert len({value.split()[2] for value in parsed.attribute("crypto")}) == len(offered)  # a key each

        peer_answer = peer.answer_sdp(offer["sdp"], tag=8)
        answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "carrier", "to-tag": "peer",
                                           "sdp": peer_answer}))
        carrier.learn(answer["sdp"])
        assert sdp.ParsedSdp(answer["sdp"]).audio()["proto"] == "RTP/AVP"
        assert "a=crypto" not in answer["sdp"]
        state = media_of(query(ng, call_id), "peer")["SRTP"]
        assert (state["keying"], state["profile"]) == ("SDES", "AES_CM_128_HMAC_SHA1_32"), state

        flow(peer, carrier, 0.4)
        settle(peer, carrier)
        assert len(carrier.received) == peer.packets_sent >= 15
        assert len(peer.received) == len(carrier.sent) and peer.unprotect_failures == 0
        assert peer.received_payloads == [rtp.parse_rtp(p).payload for p in carrier.sent]
