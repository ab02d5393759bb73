"""An asyncio client of rtpengine's ng control protocol: `<cookie> <bencoded dict>` over UDP, the reply carrying
the same cookie. A request is retransmitted with its cookie until a reply comes (the daemon answers a retransmission
from its reply cache), so a lost datagram costs a retry, not a call.

    async with NgClient(("127.0.0.1", 2223)) as ng:
        reply = await ng.request("offer", **{"call-id": "c1", "from-tag": "a", "sdp": sdp})

Bencode (BEP 3) is written out here: Debian ships no Python bencode package.
"""

import asyncio
import itertools
import os

RETRANSMIT_SECONDS = 0.5
REQUEST_TIMEOUT = 5.0


class NgError(RuntimeError):
    """No reply in time, or a reply with result "error"."""


def bencode(value):
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, (bytes, bytearray)):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, (list, tuple)):
        return b"l" + b"".join(bencode(item) for item in value) + b"e"
    if isinstance(value, dict):
        items = sorted((key.encode() if isinstance(key, str) else key, item) for key, item in value.items())
        return b"d" + b"".join(bencode(key) + bencode(item) for key, item in items) + b"e"
    raise TypeError(f"cannot bencode {type(value).__name__}")


def bdecode(data):
    """The value that fills all of `data`; strings become str when they are UTF-8 (dict keys always)."""
    value, end = _decode(bytes(data), 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the bencoded value")
    return value


def _decode(data, pos):
    lead = data[pos : pos + 1]
    if lead == b"i":
        end = data.index(b"e", pos)
        return int(data[pos + 1 : end]), end + 1
    if lead in (b"l", b"d"):
        items, pos = [], pos + 1
        while data[pos : pos + 1] != b"e":
            if pos >= len(data):
                raise ValueError("bencoded list or dict without its end")
            item, pos = _decode(data, pos)
            items.append(item)
        if lead == b"l":
            return items, pos + 1
        keys = [key if isinstance(key, str) else key.decode("utf-8", "replace") for key in items[0::2]]
        return dict(zip(keys, items[1::2])), pos + 1
    if lead.isdigit():
        colon = data.index(b":", pos)
        end = colon + 1 + int(data[pos:colon])
        if end > len(data):
            raise ValueError("bencoded string longer than the data")
        raw = data[colon + 1 : end]
        try:
            return raw.decode(), end
        except UnicodeDecodeError:
            return raw, end
    raise ValueError(f"not bencode at byte {pos}: {lead!r}")


class _Replies(asyncio.DatagramProtocol):
    def __init__(self, client):
        self.client = client

    def datagram_received(self, data, addr):
        self.client._reply_received(data)

    def error_received(self, exc):
        pass  # ICMP unreachable: the daemon is not (yet) listening; the retransmission will tell


class NgClient:
    """ng requests to the daemon at `address` (numeric host, port) from an ephemeral UDP port on loopback."""

    def __init__(self, address, timeout=REQUEST_TIMEOUT):
        self.address = tuple(address)
        self.timeout = timeout
        self._transport = None
        self._pending = {}
        self._cookies = itertools.count(1)

    async def open(self):
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.create_datagram_endpoint(
            lambda: _Replies(self), local_addr=("::1" if ":" in self.address[0] else "127.0.0.1", 0),
            remote_addr=self.address,
        )
        return self

    def close(self):
        if self._transport is not None:
            self._transport.close()
            self._transport = None
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()

    async def __aenter__(self):
        return await self.open()

    async def __aexit__(self, *exc):
        self.close()

    async def request(self, command, **fields):
        """The reply dict to `command` with `fields`, whatever its result; NgError if none came in time."""
        cookie = f"{os.getpid()}_{next(self._cookies)}".encode()
        message = cookie + b" " + bencode({"command": command, **fields})
        future = asyncio.get_running_loop().create_future()
        self._pending[cookie] = future
        try:
            deadline = asyncio.get_running_loop().time() + self.timeout
            while True:
                self._transport.sendto(message)
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise NgError(f"no ng reply to {command!r} from {self.address} within {self.timeout} s")
                try:
                    return await asyncio.wait_for(asyncio.shield(future), min(RETRANSMIT_SECONDS, remaining))
                except asyncio.TimeoutError:
                    continue
        finally:
            self._pending.pop(cookie, None)

    async def ok(self, command, **fields):
        """The reply to `command`, which must have result "ok" (else NgError with the error-reason)."""
        reply = await self.request(command, **fields)
        if reply.get("result") != "ok":
            raise NgError(f"ng {command}: {reply.get('error-reason') or reply}")
        return reply

    def _reply_received(self, data):
        cookie, separator, body = data.partition(b" ")
        future = self._pending.get(cookie)
        if not separator or future is None or future.done():
            return  # a reply to a retransmission already answered, or not ours
        try:
            future.set_result(bdecode(body))
        except (ValueError, IndexError) as error:
            future.set_exception(NgError(f"undecodable ng reply {data[:80]!r}: {error}"))
