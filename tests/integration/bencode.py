"""Bencode (BEP 3), the value encoding of the ng protocol.

Hand-written because the suite uses only Debian's python3 and python3-pytest
(no pip packages). Strings are decoded to str when they are valid UTF-8 and
stay bytes otherwise; dict keys are always str.
"""


class DecodeError(ValueError):
    """The input is not bencode."""


class Incomplete(DecodeError):
    """The input ends inside a value: a stream reader waits for more bytes."""


def encode(value):
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _encode(value, out):
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        out += b"i%de" % value
    elif isinstance(value, str):
        _encode(value.encode("utf-8"), out)
    elif isinstance(value, (bytes, bytearray)):
        out += b"%d:" % len(value)
        out += value
    elif isinstance(value, (list, tuple)):
        out += b"l"
        for item in value:
            _encode(item, out)
        out += b"e"
    elif isinstance(value, dict):
        items = [(k.encode("utf-8") if isinstance(k, str) else bytes(k), v) for k, v in value.items()]
        out += b"d"
        for key, item in sorted(items, key=lambda kv: kv[0]):
            _encode(key, out)
            _encode(item, out)
        out += b"e"
    else:
        raise TypeError(f"cannot bencode {type(value).__name__}")


def decode(data):
    """Decodes exactly one value that fills all of `data`."""
    value, end = decode_prefix(data)
    if end != len(data):
        raise DecodeError(f"{len(data) - end} trailing bytes after the value")
    return value


def decode_prefix(data, start=0):
    """Decodes one value at data[start:]; returns (value, index just past it)."""
    data = bytes(data)
    return _decode(data, start, 0)


def _decode(data, pos, depth):
    if depth > 64:
        raise DecodeError("nested too deeply")
    if pos >= len(data):
        raise Incomplete("input ends before a value")
    lead = data[pos : pos + 1]
    if lead == b"i":
        end = data.find(b"e", pos + 1)
        if end < 0:
            if _all_digits(data[pos + 1 :], allow_sign=True):
                raise Incomplete("input ends inside an integer")
            raise DecodeError("unterminated integer")
        text = data[pos + 1 : end]
        if not _all_digits(text, allow_sign=True) or text in (b"", b"-"):
            raise DecodeError(f"bad integer {text!r}")
        if text.startswith(b"-0") or (text.startswith(b"0") and len(text) > 1):
            raise DecodeError(f"non-canonical integer {text!r}")
        return int(text), end + 1
    if lead == b"l":
        items = []
        pos += 1
        while True:
            if pos >= len(data):
                raise Incomplete("input ends inside a list")
            if data[pos : pos + 1] == b"e":
                return items, pos + 1
            item, pos = _decode(data, pos, depth + 1)
            items.append(item)
    if lead == b"d":
        result = {}
        pos += 1
        while True:
            if pos >= len(data):
                raise Incomplete("input ends inside a dict")
            if data[pos : pos + 1] == b"e":
                return result, pos + 1
            if not data[pos : pos + 1].isdigit():
                raise DecodeError("dict key is not a string")
            key, pos = _decode_string(data, pos)
            item, pos = _decode(data, pos, depth + 1)
            result[key.decode("utf-8", "surrogateescape")] = item
    if lead.isdigit():
        raw, pos = _decode_string(data, pos)
        try:
            return raw.decode("utf-8"), pos
        except UnicodeDecodeError:
            return raw, pos
    raise DecodeError(f"unexpected byte {lead!r} at {pos}")


def _decode_string(data, pos):
    colon = data.find(b":", pos)
    if colon < 0:
        if _all_digits(data[pos:]):
            raise Incomplete("input ends inside a string length")
        raise DecodeError("string length without ':'")
    text = data[pos:colon]
    if not _all_digits(text) or text == b"" or (text.startswith(b"0") and len(text) > 1):
        raise DecodeError(f"bad string length {text!r}")
    end = colon + 1 + int(text)
    if end > len(data):
        raise Incomplete("input ends inside a string")
    return data[colon + 1 : end], end


def _all_digits(text, allow_sign=False):
    if allow_sign and text.startswith(b"-"):
        text = text[1:]
    return all(48 <= c <= 57 for c in text)
