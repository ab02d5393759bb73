"""Flooding rtcgated's control socket from one client while others watch (issue 13, points 2, 4 and 7): shared by
test_control.py and benchmarks/control-flood."""

import pathlib
import time

import ngclient
import rtp
from calls import Call


def rss_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Bystanders:
    """A canary call that relays every 20 ms both ways and a client that pings every 100 ms, both polled without
    blocking from the flood's loop, so that neither delays the flood nor is delayed by the test's own waits."""

    def __init__(self, daemon, ng):
        self.canary = Call(ng, name="canary")
        self.canary.setup()
        self.canary.exchange(2, what="canary before")
        self.pinger = daemon.client()
        self.sent = self.at_a = self.at_b = 0
        self.next_media = self.next_ping = time.monotonic()
        self.last_arrival = None
        self.longest_gap = 0.0
        self.ping_sent = None
        self.pings = []  # seconds to each pong
        self.stalls = []  # and how long this process's own loop stalled meanwhile (a busy machine's share)
        self.last_poll = None
        self.stall = 0.0

    def poll(self):
        now = time.monotonic()
        if self.last_poll is not None:
            self.stall = max(self.stall, now - self.last_poll)
        self.last_poll = now
        if now >= self.next_media:
            self.canary.send_a(self.canary.a_stream.next())
            self.canary.send_b(self.canary.b_stream.next())
            self.sent += 1
            self.next_media += 0.02
        arrived = self._take(self.canary.b.rtp)
        self.at_a += self._take(self.canary.a.rtp)
        self.at_b += arrived
        if arrived:
            if self.last_arrival is not None:
                self.longest_gap = max(self.longest_gap, now - self.last_arrival)
            self.last_arrival = now
        if self.ping_sent is None and now >= self.next_ping:
            self.pinger.send_raw(ngclient.encode_message(f"ping{len(self.pings)}", {"command": "ping"}))
            self.ping_sent, self.next_ping, self.stall = now, now + 0.1, 0.0
        elif self.ping_sent is not None and self.pinger.recv_raw(1e-6) is not None:
            self.pings.append(time.monotonic() - self.ping_sent)
            self.stalls.append(self.stall)
            self.ping_sent = None

    @staticmethod
    def _take(sock):
        count = 0
        while rtp.receive(sock, 0) is not None:
            count += 1
        return count

    def lost(self):
        """The canary's packets that never arrived, toward B and toward A, once what is on its way has come."""
        self.at_b += len(rtp.receive_count(self.canary.b.rtp, self.sent - self.at_b, 10.0))
        self.at_a += len(rtp.receive_count(self.canary.a.rtp, self.sent - self.at_a, 10.0))
        return self.sent - self.at_b, self.sent - self.at_a

    def close(self):
        self.canary.close()
        self.pinger.close()

    def report(self):
        lost_b, lost_a = self.lost()
        self.close()
        pings = [p * 1000 for p in self.pings]
        return (f"canary lost {lost_b} + {lost_a} of 2 x {self.sent}, longest gap "
                f"{self.longest_gap * 1000:.0f} ms; pings {len(pings)}: p50 {percentile(pings, 0.5):.1f} ms, "
                f"p99 {percentile(pings, 0.99):.1f} ms, max {max(pings, default=float('nan')):.1f} ms")


def pipeline(client, requests, window, bystanders, on_reply, limit_seconds=300):
    """Sends `requests` (cookie, dict) with `window` in flight; on_reply(cookie, reply, seconds) for each."""
    sent_at = {}
    pending = list(reversed(requests))
    deadline = time.monotonic() + limit_seconds
    while (pending or sent_at) and time.monotonic() < deadline:
        while pending and len(sent_at) < window:
            cookie, request = pending.pop()
            client.send_raw(ngclient.encode_message(cookie, request))
            sent_at[cookie] = time.monotonic()
        bystanders.poll()
        data = client.recv_raw(0.002)
        while data is not None:
            cookie, reply = ngclient.split_message(data)
            if cookie in sent_at:
                on_reply(cookie, reply, time.monotonic() - sent_at.pop(cookie))
            data = client.recv_raw(1e-6)
    if sent_at:
        raise RuntimeError(f"{len(sent_at)} requests never answered")
