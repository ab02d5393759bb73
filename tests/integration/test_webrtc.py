"""A browser (aiortc: ICE, DTLS-SRTP, rtcp-mux) and a plain-RTP carrier bridged by rtcgated, driven with the ng
flags of the well-known Kamailio WebRTC <-> SIP recipe exactly as a proxy sends them; the SDPs rtcgated produces
go to aiortc and the carrier untouched, and tones are checked both ways."""

import asyncio

import pytest

import tones
from ngclient import assert_ok
from webrtc import Browser

from bridged import (
    BROWSER_CALLS_CARRIER_ANSWER,
    BROWSER_CALLS_CARRIER_OFFER,
    BROWSER_HZ,
    CARRIER_CALLS_BROWSER_ANSWER,
    CARRIER_CALLS_BROWSER_OFFER,
    CARRIER_HZ,
    RATE,
    SECONDS,
    Carrier,
    media_of,
)

WEBRTC_ONLY_ATTRIBUTES = ("a=ice-", "a=candidate", "a=fingerprint", "a=setup", "a=extmap", "a=msid", "a=ssrc",
                          "a=mid", "a=group", "a=rtcp-fb", "a=end-of-candidates", "a=rtcp-mux", "a=crypto")


def assert_carrier_sdp(sdp):
    """The carrier side gets a clean RTP/AVP SDP: no WebRTC-only attribute at any level."""
    assert "RTP/AVP " in sdp and "SAVP" not in sdp, sdp
    for line in sdp.splitlines():
        assert not line.startswith(WEBRTC_ONLY_ATTRIBUTES), f"{line!r} in the carrier's SDP:\n{sdp}"


def assert_browser_sdp(sdp):
    for needed in ("UDP/TLS/RTP/SAVPF", "a=ice-lite", "a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:sha-256 ",
                   "a=candidate:", "a=rtcp-mux", "a=mid:", "a=group:BUNDLE", "a=setup:"):
        assert needed in sdp, f"{needed!r} missing from the browser's SDP:\n{sdp}"


async def judge_tones(browser, carrier):
    assert await browser.wait_connected(10), f"browser connection {browser.pc.connectionState}"
    assert await carrier.wait_for_audio(SECONDS, timeout=10), f"carrier heard {carrier.received_seconds:.2f} s"
    assert await browser.wait_for_audio(SECONDS, timeout=10), f"browser heard {browser.received_seconds:.2f} s"
    heard_by_carrier = carrier.received_audio()
    heard_by_browser = browser.received_audio()
    carrier_snr = tones.tone_snr(heard_by_carrier, RATE, BROWSER_HZ)
    browser_snr = tones.tone_snr(heard_by_browser, browser.received_rate, CARRIER_HZ)
    assert tones.detect_tone(heard_by_carrier, RATE, BROWSER_HZ), f"carrier: {carrier_snr:.1f} dB"
    assert tones.detect_tone(heard_by_browser, browser.received_rate, CARRIER_HZ), f"browser: {browser_snr:.1f} dB"
    await wait_for_rtcp_both_ways(browser, carrier)


async def wait_for_rtcp_both_ways(browser, carrier, timeout=5.0):
    """The browser's muxed RTCP reaches the carrier's RTCP port, and the carrier's sender reports (port+1) reach
    the browser on its one muxed port (aiortc then reports remote-outbound-rtp)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    browser_has_report = False
    while loop.time() < deadline:
        stats = (await browser.pc.getStats()).values()
        browser_has_report = any(s.type == "remote-outbound-rtp" for s in stats)
        if browser_has_report and carrier.rtcp_received > 0:
            return
        await asyncio.sleep(0.1)
    assert carrier.rtcp_received > 0, "no RTCP from the browser reached the carrier"
    assert browser_has_report, "no sender report from the carrier reached the browser"


async def browser_calls_carrier(ng, call_id="webrtc-out"):
    browser = Browser(tone_hz=BROWSER_HZ)
    carrier = Carrier(tone_hz=CARRIER_HZ)
    await carrier.start()
    try:
        offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "browser", "sdp": await browser.offer(),
                                         **BROWSER_CALLS_CARRIER_OFFER}))
        assert_carrier_sdp(offer["sdp"])
        carrier_answer = carrier.answer_sdp(offer["sdp"])
        carrier.set_remote(offer["sdp"])
        answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "browser", "to-tag": "carrier",
                                           "sdp": carrier_answer, **BROWSER_CALLS_CARRIER_ANSWER}))
        assert_browser_sdp(answer["sdp"])
        await browser.accept_answer(answer["sdp"])
        await judge_tones(browser, carrier)
        return browser, carrier
    except BaseException:
        await browser.close()
        await carrier.stop()
        raise


async def carrier_calls_browser(ng, call_id="webrtc-in", before_answer=None, offer_keys=CARRIER_CALLS_BROWSER_OFFER):
    """`before_answer(ng, call_id)`, if given, runs between the browser's answer and the proxy's ng answer;
    `offer_keys`: the ng keys of the offer."""
    browser = Browser(tone_hz=BROWSER_HZ)
    carrier = Carrier(tone_hz=CARRIER_HZ)
    await carrier.start()
    try:
        offer = assert_ok(ng("offer", **{"call-id": call_id, "from-tag": "carrier", "sdp": carrier.offer_sdp(),
                                         **offer_keys}))
        assert_browser_sdp(offer["sdp"])
        browser_answer = await browser.answer(offer["sdp"])
        if before_answer is not None:
            await before_answer(ng, call_id)
        answer = assert_ok(ng("answer", **{"call-id": call_id, "from-tag": "carrier", "to-tag": "browser",
                                           "sdp": browser_answer, **CARRIER_CALLS_BROWSER_ANSWER}))
        assert_carrier_sdp(answer["sdp"])
        carrier.set_remote(answer["sdp"])
        await judge_tones(browser, carrier)
        return browser, carrier
    except BaseException:
        await browser.close()
        await carrier.stop()
        raise


async def hang_up(browser, carrier):
    await browser.close()
    await carrier.stop()


def test_browser_calls_carrier(ng):
    async def scenario():
        browser, carrier = await browser_calls_carrier(ng)
        query = assert_ok(ng("query", **{"call-id": "webrtc-out"}))
        await hang_up(browser, carrier)
        return query

    query = asyncio.run(scenario())
    webrtc = media_of(query, "browser")
    assert webrtc["ICE"]["state"] == "connected"
    assert webrtc["DTLS"]["state"] == "connected"
    assert webrtc["DTLS"]["role"] == "active"  # aiortc offered actpass: rtcgated answers active (RFC 8842)
    assert webrtc["SRTP"]["profile"] == "AES_CM_128_HMAC_SHA1_80"  # aiortc's only profile
    assert webrtc["rtcp-mux"] == 1
    carrier = media_of(query, "carrier")
    assert "ICE" not in carrier and "DTLS" not in carrier


def test_carrier_calls_browser(ng):
    async def scenario():
        browser, carrier = await carrier_calls_browser(ng)
        query = assert_ok(ng("query", **{"call-id": "webrtc-in"}))
        await hang_up(browser, carrier)
        return query

    query = asyncio.run(scenario())
    webrtc = media_of(query, "browser")
    assert webrtc["ICE"]["state"] == "connected"
    assert webrtc["DTLS"]["state"] == "connected"
    assert webrtc["DTLS"]["role"] == "passive"  # rtcgated offered actpass, aiortc answers active
    assert webrtc["rtcp-mux"] == 1


def test_a_client_hello_that_beats_the_answer_is_held_until_the_answer(ng):
    """The browser answers, connects ICE and sends its ClientHello while the proxy still holds its answer: rtcgated
    (which offered actpass) takes the server role, holds the hello until the answer's fingerprint, and the call
    comes up."""

    async def proxy_is_slow(ng, call_id):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while loop.time() < deadline:
            webrtc = media_of(assert_ok(ng("query", **{"call-id": call_id})), "")  # tagged by the answer
            if webrtc["ICE"]["state"] == "connected" and webrtc.get("DTLS", {}).get("state") == "connecting":
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"no ClientHello before the answer: {webrtc}")

    async def scenario():
        browser, carrier = await carrier_calls_browser(ng, call_id="early-hello", before_answer=proxy_is_slow)
        query = assert_ok(ng("query", **{"call-id": "early-hello"}))
        await hang_up(browser, carrier)
        return query

    webrtc = media_of(asyncio.run(scenario()), "browser")
    assert webrtc["DTLS"]["state"] == "connected"
    assert webrtc["DTLS"]["role"] == "passive"


async def audio_goes_on(browser, carrier, seconds=1.0):
    """Each side hears `seconds` more of the other's tone."""
    for party, frequency in ((browser, CARRIER_HZ), (carrier, BROWSER_HZ)):
        rate = party.received_rate if party is browser else RATE
        heard = party.received_seconds
        assert await party.wait_for_audio(heard + seconds, timeout=10), f"{party.received_seconds - heard:.2f} s more"
        recent = party.received_audio()[-int(seconds * rate):]
        assert tones.detect_tone(recent, rate, frequency), f"{tones.tone_snr(recent, rate, frequency):.1f} dB"


def test_re_invites_without_transport_keys_keep_the_browsers_transport(ng):
    """A carrier's re-INVITE, then the browser's, each passed with rtpengine_offer()/rtpengine_answer() and no
    transport keys (as many proxy configurations do for in-dialog requests): the browser is still offered ICE and
    DTLS-SRTP, the carrier plain RTP; the browser's actpass re-offer is answered in rtcgated's DTLS role of
    before, so the association and its keys stay, and the tones go on both ways (rtpengine does the same)."""
    call_id = "re-invites"

    async def scenario():
        browser, carrier = await carrier_calls_browser(ng, call_id=call_id)
        try:
            tags = {"call-id": call_id, "from-tag": "carrier", "to-tag": "browser"}
            re_offer = assert_ok(ng("offer", **tags, sdp=carrier.offer_sdp()))
            assert_browser_sdp(re_offer["sdp"])
            answer = assert_ok(ng("answer", **tags, sdp=await browser.answer(re_offer["sdp"])))
            assert_carrier_sdp(answer["sdp"])
            carrier.set_remote(answer["sdp"])
            await audio_goes_on(browser, carrier)

            tags = {"call-id": call_id, "from-tag": "browser", "to-tag": "carrier"}
            re_offer = assert_ok(ng("offer", **tags, sdp=await browser.offer()))
            # Plain RTP; rtcp-mux is offered as the browser offered it (rtpengine does too): the carrier declines it.
            assert_carrier_sdp(re_offer["sdp"].replace("a=rtcp-mux\r\n", ""))
            carrier_answer = carrier.answer_sdp(re_offer["sdp"])
            carrier.set_remote(re_offer["sdp"])
            answer = assert_ok(ng("answer", **tags, sdp=carrier_answer))
            assert_browser_sdp(answer["sdp"])
            assert "a=setup:passive" in answer["sdp"], answer["sdp"]
            await browser.accept_answer(answer["sdp"])
            await audio_goes_on(browser, carrier)
            return assert_ok(ng("query", **{"call-id": call_id}))
        finally:
            await hang_up(browser, carrier)

    webrtc = media_of(asyncio.run(scenario()), "browser")
    assert webrtc["DTLS"]["state"] == "connected"
    assert webrtc["DTLS"]["role"] == "passive"
    assert webrtc["rtcp-mux"] == 1


def write_certificate(directory):
    """A self-signed ECDSA P-256 certificate and its key as PEM files, and its SHA-256 fingerprint as SDP writes it."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rtcgate-test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    fingerprint = ":".join(f"{b:02X}" for b in certificate.fingerprint(hashes.SHA256()))
    return cert_path, key_path, fingerprint


def test_dtls_certificate_from_files_is_the_one_in_the_sdp_and_in_the_handshake(start_daemon, tmp_path):
    cert_path, key_path, fingerprint = write_certificate(tmp_path)
    daemon = start_daemon(extra_args=(f"--dtls-cert={cert_path}", f"--dtls-key={key_path}"))

    async def scenario():
        with daemon.client() as ng:
            browser, carrier = await carrier_calls_browser(ng, call_id="own-certificate")
            offered = browser.pc.remoteDescription.sdp  # aiortc checked the handshake's certificate against it
            await hang_up(browser, carrier)
            return offered

    offered = asyncio.run(scenario())
    assert f"a=fingerprint:sha-256 {fingerprint}" in offered


def test_a_dtls_key_that_cannot_be_read_stops_the_daemon_at_start(start_daemon, tmp_path):
    cert_path, _, _ = write_certificate(tmp_path)
    with pytest.raises(RuntimeError, match="exited with 1"):
        start_daemon(extra_args=(f"--dtls-cert={cert_path}", f"--dtls-key={tmp_path / 'missing.pem'}"))
