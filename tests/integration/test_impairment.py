"""Checks of the impairment relay alone (no daemon): a sender socket plays the browser, a receiver socket rtcgated."""

import asyncio
import socket
import struct

import pytest

from impairment import GilbertElliott, ImpairmentRelay, LossModel, is_rtp, route_sdp_through, sdp_media_target

HOST = "127.0.0.1"

# Every wait below is for an event (a datagram read, a count reached); this bounds it, and only a broken relay (a
# packet it never forwards, a counter that never gets there) runs into it, however loaded the machine.
WAIT_SECONDS = 30.0
# RTP datagrams in the kernel at most at any time, sent to the relay but not read by it yet or forwarded by it but not
# read by the gateway yet. The relay reads one datagram per turn of the event loop that also runs the sender: a burst
# sent unpaced overflows its socket's receive buffer (208 KiB, 256 of these datagrams) whenever the machine is
# loaded, and the packets the kernel drops would look like the relay's. 32 can never overflow either buffer.
WINDOW = 32


def rtp_datagram(sequence, payload_type=111, size=80):
    return struct.pack("!BBHII", 0x80, payload_type, sequence, sequence * 960, 0x1234) + bytes(size)


async def wait_until(condition, timeout=WAIT_SECONDS):
    """Whether condition() came true (checked each millisecond, the event loop running in between) within `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.001)
    return True


class Party:
    """A non-blocking loopback UDP socket that collects what it receives, with the source address, as it arrives
    (created inside the event loop), and counts the RTP it sent and received."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((HOST, 0))
        self.socket.setblocking(False)
        self.address = self.socket.getsockname()
        self.received = []
        self.rtp_sent = 0
        self.rtp_received = 0
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.socket, self.drain)

    def send(self, data, address):
        self.socket.sendto(data, address)
        self.rtp_sent += is_rtp(data)

    def drain(self):
        while True:
            try:
                data, source = self.socket.recvfrom(2048)
            except BlockingIOError:
                return
            self.received.append((data, source))
            self.rtp_received += is_rtp(data)

    async def collect(self, count):
        """The datagrams received, once `count` of them arrived in all (fewer only if they never come: see
        WAIT_SECONDS)."""
        await wait_until(lambda: len(self.received) >= count)
        self.drain()
        return [data for data, _ in self.received]

    def close(self):
        self._loop.remove_reader(self.socket)
        self.socket.close()


async def relay_between(browser, gateway, **impairment):
    return await ImpairmentRelay(gateway.address, **impairment).start()


def in_flight(browser, relay, gateway):
    """RTP datagrams in the kernel's socket buffers: sent by the browser and not read by the relay yet, or forwarded
    by the relay (neither dropped nor held back by the jitter) and not read by the gateway yet."""
    return browser.rtp_sent - relay.dropped - relay.pending - gateway.rtp_received


async def send_rtp(browser, relay, gateway, count):
    """Send `count` RTP packets (sequence numbers on from the browser's last) to the relay, paced so that never more
    than WINDOW of them are in flight (none is lost but by the relay's model); returns once the relay read them all."""

    def stuck():
        return (
            f"the relay stopped: the browser sent {browser.rtp_sent} RTP packets, the relay read {relay.rtp_packets},"
            f" dropped {relay.dropped}, holds {relay.pending}; the gateway got {gateway.rtp_received}"
        )

    first = browser.rtp_sent
    for sequence in range(first, first + count):
        assert await wait_until(lambda: in_flight(browser, relay, gateway) < WINDOW), stuck()
        browser.send(rtp_datagram(sequence), (HOST, relay.browser_port))
    assert await wait_until(lambda: relay.rtp_packets == browser.rtp_sent), stuck()


def sequences(datagrams):
    return [struct.unpack("!H", data[2:4])[0] for data in datagrams]


def sent_after_a_later_one(arrived):
    """How many of the sequence numbers `arrived` (in their order) came after a higher one."""
    return sum(1 for index, sequence in enumerate(arrived) if index and sequence < max(arrived[:index]))


def test_random_loss_drops_about_the_rate_and_exactly_what_it_counts():
    async def scenario():
        browser, gateway = Party(), Party()
        relay = await relay_between(browser, gateway, loss=0.1, seed=7)
        try:
            await send_rtp(browser, relay, gateway, 2000)
            # Without jitter the relay forwards a packet as it reads it: once it read all 2000, whatever it let
            # through (more than it should, if its model or count were wrong) is in the gateway's socket.
            received = await gateway.collect(2000 - relay.dropped)
        finally:
            await relay.close()
            browser.close()
            gateway.close()
        return relay, sequences(received)

    relay, arrived = asyncio.run(scenario())
    assert relay.rtp_packets == 2000
    assert 0.08 <= relay.dropped / 2000 <= 0.12  # binomial sd 0.67 %: a seed far off would mean a broken model
    assert len(arrived) == 2000 - relay.dropped, f"{len(arrived)} of {2000 - relay.dropped} arrived"
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
            # Sent in one go, not spaced: the packets reach the relay within far less than the 40 ms of jitter
            # however late the sender's timers fire, so they overtake each other.
            await send_rtp(browser, relay, gateway, 100)
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
    # One socket to one socket on loopback keeps the relay's order: it counts exactly the packets it sent late.
    assert relay.reordered == sent_after_a_later_one(arrived)


def test_stun_dtls_and_rtcp_pass_untouched_in_order_and_replies_come_back_from_the_browser_port():
    stun = bytes([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42]) + bytes(12)
    dtls = bytes([22, 0xFE, 0xFD]) + bytes(20)
    rtcp = [bytes([0x80, packet_type]) + bytes(30) for packet_type in range(200, 207)]
    others = [stun, dtls] + rtcp
    assert not any(is_rtp(data) for data in others) and is_rtp(rtp_datagram(1))

    jitter_ms = 50.0

    async def scenario():
        browser, gateway = Party(), Party()
        relay = await relay_between(browser, gateway, loss=1.0, jitter_ms=jitter_ms, seed=1)
        try:
            for data in others:
                browser.send(data, (HOST, relay.browser_port))
            await send_rtp(browser, relay, gateway, 20)
            await gateway.collect(len(others))
            # An RTP packet the relay let through (wrongly) is forwarded at the latest `jitter_ms` after the relay
            # read it, which it did before send_rtp returned: the loop runs that timer before this one, however late.
            await asyncio.sleep(jitter_ms / 1000.0 + 0.01)
            to_gateway = await gateway.collect(0)
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
        # Delays of up to a second (this seed: 13, 66, 234 ms, ..., 837 ms): 8 of the packets are held if the relay
        # closes within 234 ms of reading them, and one at least unless the test stalls for 837 ms.
        relay = await relay_between(browser, gateway, jitter_ms=jitter_ms, seed=2)
        try:
            await send_rtp(browser, relay, gateway, 10)
            held = relay.pending
            await relay.close()  # nothing runs in between: it cancels exactly the `held` packets
            # The timer of a held packet would fire `jitter_ms` after the relay read it at the latest, so before this
            # one, however late: whatever the relay sends after closing is in the gateway's socket by then.
            await asyncio.sleep(jitter_ms / 1000.0 + 0.01)
            return held, relay.pending, await gateway.collect(0)
        finally:
            browser.close()
            gateway.close()

    jitter_ms = 1000.0
    held, pending, arrived = asyncio.run(scenario())
    assert held >= 1 and pending == 0
    assert len(arrived) == 10 - held, f"{len(arrived)} arrived, {held} of 10 held back at the close"


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
