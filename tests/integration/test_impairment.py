"""Checks of the impairment relay alone (no daemon): a sender socket plays the browser, a receiver socket rtcgated."""

import asyncio
import socket
import struct

import pytest

from impairment import GilbertElliott, ImpairmentRelay, LossModel, is_rtp, route_sdp_through, sdp_media_target

HOST = "127.0.0.1"


def rtp_datagram(sequence, payload_type=111, size=80):
    return struct.pack("!BBHII", 0x80, payload_type, sequence, sequence * 960, 0x1234) + bytes(size)


class Party:
    """A non-blocking loopback UDP socket that collects what it receives, with the source address, as it arrives
    (created inside the event loop)."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((HOST, 0))
        self.socket.setblocking(False)
        self.address = self.socket.getsockname()
        self.received = []
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.socket, self.drain)

    def drain(self):
        while True:
            try:
                self.received.append(self.socket.recvfrom(2048))
            except BlockingIOError:
                return

    async def collect(self, count, timeout=3.0):
        """Read until `count` datagrams arrived in all or `timeout` passed; the datagrams."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.received) < count and loop.time() < deadline:
            self.drain()
            await asyncio.sleep(0.005)
        self.drain()
        return [data for data, _ in self.received]

    def close(self):
        self._loop.remove_reader(self.socket)
        self.socket.close()


async def relay_between(browser, gateway, **impairment):
    return await ImpairmentRelay(gateway.address, **impairment).start()


async def send_rtp(browser, relay, count, spacing=0.0, first=0):
    for sequence in range(first, first + count):
        browser.socket.sendto(rtp_datagram(sequence), (HOST, relay.browser_port))
        if spacing:
            await asyncio.sleep(spacing)
        elif sequence % 20 == 19:
            await asyncio.sleep(0.001)  # let the relay keep up: no loss in the socket buffers
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 3.0
    while relay.rtp_packets < first + count and loop.time() < deadline:
        await asyncio.sleep(0.005)


def sequences(datagrams):
    return [struct.unpack("!H", data[2:4])[0] for data in datagrams]


def test_random_loss_drops_about_the_rate_and_exactly_what_it_counts():
    async def scenario():
        browser, gateway = Party(), Party()
        relay = await relay_between(browser, gateway, loss=0.1, seed=7)
        try:
            await send_rtp(browser, relay, 2000)
            received = await gateway.collect(2000 - relay.dropped)
        finally:
            await relay.close()
            browser.close()
            gateway.close()
        return relay, sequences(received)

    relay, arrived = asyncio.run(scenario())
    assert relay.rtp_packets == 2000
    assert 0.08 <= relay.dropped / 2000 <= 0.12  # binomial sd 0.67 %: a seed far off would mean a broken model
    assert len(arrived) == 2000 - relay.dropped
    assert sorted(set(range(2000)) - set(arrived)) == relay.dropped_sequences
    assert arrived == sorted(arrived) and relay.delayed == relay.reordered == 0


def test_a_seed_fixes_the_loss_pattern():
    def pattern(seed, **options):
        model = LossModel(seed=seed, **options)
        return [model.drops() for _ in range(500)]

    assert pattern(3, loss=0.1) == pattern(3, loss=0.1)
    assert pattern(3, loss=0.1) != pattern(4, loss=0.1)
    assert not any(pattern(3, loss=0.0))
    with pytest.raises(ValueError):
        LossModel(loss=0.1, burst=GilbertElliott(0.05, 0.5))


def test_gilbert_elliott_loss_comes_in_bursts_at_the_model_rate():
    burst = GilbertElliott(good_to_bad=0.04, bad_to_good=0.4)  # 9.1 % loss, bursts of 2.5 packets on average
    bursty, independent = LossModel(burst=burst, seed=11), LossModel(loss=burst.mean_loss, seed=11)

    def rate_and_mean_burst(model, count=40000):
        drops = [model.drops() for _ in range(count)]
        bursts = sum(1 for previous, current in zip([False] + drops, drops) if current and not previous)
        return sum(drops) / count, sum(drops) / bursts

    rate, mean_burst = rate_and_mean_burst(bursty)
    assert burst.mean_loss == pytest.approx(0.0909, abs=0.001)
    assert rate == pytest.approx(burst.mean_loss, abs=0.015)
    assert mean_burst == pytest.approx(1 / burst.bad_to_good, rel=0.15)
    independent_rate, independent_burst = rate_and_mean_burst(independent)
    assert independent_rate == pytest.approx(burst.mean_loss, abs=0.01) and independent_burst < 1.2


def test_jitter_delays_and_reorders_rtp_but_loses_nothing():
    async def scenario():
        browser, gateway = Party(), Party()
        relay = await relay_between(browser, gateway, jitter_ms=40.0, seed=5)
        try:
            await send_rtp(browser, relay, 100, spacing=0.005)
            received = await gateway.collect(100)
            return relay, sequences(received), relay.pending
        finally:
            await relay.close()
            browser.close()
            gateway.close()

    relay, arrived, pending = asyncio.run(scenario())
    assert sorted(arrived) == list(range(100)) and pending == 0
    assert relay.dropped == 0 and relay.delayed > 90  # uniform 0..40 ms: a zero delay is all but impossible
    assert relay.reordered > 10 and arrived != sorted(arrived)


def test_stun_dtls_and_rtcp_pass_untouched_in_order_and_replies_come_back_from_the_browser_port():
    stun = bytes([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42]) + bytes(12)
    dtls = bytes([22, 0xFE, 0xFD]) + bytes(20)
    rtcp = [bytes([0x80, packet_type]) + bytes(30) for packet_type in range(200, 207)]
    others = [stun, dtls] + rtcp
    assert not any(is_rtp(data) for data in others) and is_rtp(rtp_datagram(1))

    async def scenario():
        browser, gateway = Party(), Party()
        relay = await relay_between(browser, gateway, loss=1.0, jitter_ms=50.0, seed=1)
        try:
            for data in others:
                browser.socket.sendto(data, (HOST, relay.browser_port))
            await send_rtp(browser, relay, 20)
            to_gateway = await gateway.collect(len(others) + 20, timeout=0.5)
            replier = gateway.received[0][1]
            gateway.socket.sendto(b"reply", replier)
            back = await browser.collect(1)
            return relay, to_gateway, browser.received, back
        finally:
            await relay.close()
            browser.close()
            gateway.close()

    relay, to_gateway, browser_received, back = asyncio.run(scenario())
    assert to_gateway == others  # byte for byte, in order, though every RTP packet was dropped
    assert (relay.passed, relay.rtp_packets, relay.dropped) == (len(others), 20, 20)
    assert back == [b"reply"] and browser_received[0][1][1] != 0
    assert relay.to_browser == 1


def test_a_closed_relay_sends_nothing_it_held_back():
    async def scenario():
        browser, gateway = Party(), Party()
        # Delays of up to a second: all but a packet or two are still held 20 ms after sending, however slowly the
        # test runs.
        relay = await relay_between(browser, gateway, jitter_ms=1000.0, seed=2)
        try:
            await send_rtp(browser, relay, 10)
            await asyncio.sleep(0.02)
            held = relay.pending
            await relay.close()
            return held, await gateway.collect(10, timeout=0.4)
        finally:
            browser.close()
            gateway.close()

    held, arrived = asyncio.run(scenario())
    assert held >= 8 and len(arrived) <= 10 - held


GATEWAY_ANSWER = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=ice-lite\r\n"
    "m=audio 30000 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=rtcp:30000 IN IP4 127.0.0.1\r\n"
    "a=candidate:1 1 UDP 2130706431 127.0.0.1 30000 typ host\r\n"
    "a=candidate:2 1 UDP 2130706175 ::1 30002 typ host\r\n"
    "a=candidate:3 1 UDP 2130705919 10.0.0.1 30000 typ host\r\na=end-of-candidates\r\n"
)


def test_the_sdp_points_the_browser_at_the_relay_only():
    assert sdp_media_target(GATEWAY_ANSWER) == ("127.0.0.1", 30000)
    routed = route_sdp_through(GATEWAY_ANSWER, 41234)
    lines = routed.split("\r\n")
    assert "m=audio 41234 UDP/TLS/RTP/SAVPF 111" in lines
    assert "a=rtcp:41234 IN IP4 127.0.0.1" in lines
    assert [line for line in lines if line.startswith("a=candidate")] == [
        "a=candidate:1 1 UDP 2130706431 127.0.0.1 41234 typ host"
    ]
    assert "30000" not in routed and routed.endswith("a=end-of-candidates\r\n")
    with pytest.raises(ValueError):
        sdp_media_target("v=0\r\nm=audio 9 RTP/AVP 0\r\n")
