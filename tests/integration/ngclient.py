"""ng protocol clients (rtpengine's control protocol) over UDP and TCP.

A message is `<cookie> <bencoded dict>`; the reply carries the same cookie.
"""

import itertools
import os
import select
import socket
import time

import bencode

_cookies = itertools.count(1)


def new_cookie():
    return f"{os.getpid()}_{next(_cookies)}"


def encode_message(cookie, command):
    """`command` is a dict (bencoded) or bytes (sent as they are)."""
    body = command if isinstance(command, (bytes, bytearray)) else bencode.encode(command)
    return cookie.encode() + b" " + bytes(body)


def split_message(data):
    """(cookie, decoded dict) of one reply datagram."""
    cookie, sep, body = bytes(data).partition(b" ")
    if not sep:
        raise bencode.DecodeError(f"reply without a cookie: {data[:80]!r}")
    return cookie.decode(), bencode.decode(body)


class NgTimeout(AssertionError):
    """No reply within the deadline."""


class _NgClient:
    """What both transports share: the socket's life and client("command", **fields)."""

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __call__(self, command, **fields):
        """client("offer", **{"call-id": ...}) -> reply dict."""
        message = {"command": command}
        message.update(fields)
        return self.request(message)


class NgUdpClient(_NgClient):
    def __init__(self, address, timeout=5.0):
        self.address = address
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)

    def send_raw(self, data):
        self.sock.sendto(data, self.address)

    def recv_raw(self, timeout):
        """The next datagram from the daemon, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                return None
            data, source = self.sock.recvfrom(65536)
            if source == self.address:
                return data

    def exchange_raw(self, data, cookie=None, timeout=None):
        """Sends raw bytes and returns the raw reply whose cookie is `cookie`
        (any reply when cookie is None); raises NgTimeout if none comes."""
        self.send_raw(data)
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            reply = self.recv_raw(deadline - time.monotonic())
            if reply is None:
                raise NgTimeout(f"no ng reply to {data[:120]!r} within the deadline")
            if cookie is None or reply.partition(b" ")[0] == cookie.encode():
                return reply

    def request(self, command, cookie=None):
        """Sends `command` (dict, or raw bencode bytes) and returns the decoded reply dict."""
        cookie = cookie or new_cookie()
        reply = self.exchange_raw(encode_message(cookie, command), cookie)
        reply_cookie, body = split_message(reply)
        assert reply_cookie == cookie
        return body


class NgTcpClient(_NgClient):
    """ng over a TCP stream: the same messages back to back, no other framing."""

    def __init__(self, address, timeout=5.0):
        self.address = address
        self.timeout = timeout
        self.sock = socket.create_connection(address, timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def read_message(self, timeout=None):
        """The next complete `<cookie> <bencode>` message on the stream, as (cookie, dict)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            message = self._take_message()
            if message is not None:
                return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NgTimeout(f"no complete ng message on TCP (have {self.buffer[:120]!r})")
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if ready:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError(f"daemon closed the TCP connection (have {self.buffer[:120]!r})")
                self.buffer += chunk

    def _take_message(self):
        cookie, sep, _ = self.buffer.partition(b" ")
        if not sep:
            return None
        try:
            body, end = bencode.decode_prefix(self.buffer, len(cookie) + 1)
        except bencode.Incomplete:
            return None
        self.buffer = self.buffer[end:]
        return cookie.decode(), body

    def request(self, command, cookie=None):
        cookie = cookie or new_cookie()
        self.send_raw(encode_message(cookie, command))
        reply_cookie, body = self.read_message()
        assert reply_cookie == cookie, f"TCP reply cookie {reply_cookie!r}, expected {cookie!r}"
        return body


def assert_ok(reply):
    assert reply.get("result") == "ok", f"expected result ok, got {reply!r}"
    return reply


def assert_error(reply):
    assert reply.get("result") == "error", f"expected result error, got {reply!r}"
    reason = reply.get("error-reason")
    assert isinstance(reason, str) and reason, f"error reply without an error-reason: {reply!r}"
    return reply
