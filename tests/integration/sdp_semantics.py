"""What an SDP says that a proxy or a phone acts on, per media line, for the differential tests (issue 11): the SDP
rtcgated returns for a request against the one rtpengine 10.5 returns for the same request.

Left out is what differs by nature between two media servers, or two runs of one: ports and addresses (kept only
as relations: whether a line is declined or on hold, whether RTCP is on the RTP port, the next one or another, and
whether a=rtcp names an address), the o= line, ICE credentials and candidates (kept: whether there are any),
fingerprint values (kept: the hash function), SDES keys (kept: the suites, in order).
"""

import re

HOLD_ADDRESSES = {"0.0.0.0", "::"}
DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")


def _parse(text):
    """(session attributes, session c= address, [media]) where a media is (m= fields, c= address, attributes);
    an attribute is (name, value or None)."""
    session_attributes = []
    session_connection = None
    media = []
    for line in re.split(r"\r?\n", text):
        kind, _, value = line.partition("=")
        if kind == "m":
            media.append({"m": value.split(), "c": None, "a": []})
        elif kind == "c":
            address = value.split()[2].split("/")[0] if len(value.split()) >= 3 else None
            if media:
                media[-1]["c"] = address
            else:
                session_connection = address
        elif kind == "a":
            name, sep, attribute = value.partition(":")
            (media[-1]["a"] if media else session_attributes).append((name, attribute if sep else None))
    return session_attributes, session_connection, media


def _values(attributes, name):
    return [value for key, value in attributes if key == name]


def _rtcp(value, port, address):
    """a=rtcp as (where, form): where is "rtp port", "next port" or "other port"; form is "short", or "long" when
    it names an address, "long, other address" when that is not the line's."""
    fields = value.split()
    rtcp_port = int(fields[0])
    where = "rtp port" if rtcp_port == port else "next port" if rtcp_port == port + 1 else "other port"
    if len(fields) < 4:
        return where, "short"
    return where, "long" if fields[3] == address else "long, other address"


def semantics(text):
    """One dict per m= line."""
    session_attributes, session_connection, media = _parse(text)
    session_direction = next((name for name, _ in session_attributes if name in DIRECTIONS), None)
    described = []
    for line in media:
        media_type, port, proto, *formats = line["m"]
        port = int(port.split("/")[0])
        attributes = line["a"]
        address = line["c"] or session_connection
        rtcp = _values(attributes, "rtcp")
        fingerprints = _values(attributes, "fingerprint") or _values(session_attributes, "fingerprint")
        setup = _values(attributes, "setup") or _values(session_attributes, "setup")
        direction = next((name for name, _ in attributes if name in DIRECTIONS), session_direction)
        described.append({
            "type": media_type,
            "proto": proto,
            "declined": port == 0,
            "hold address": address in HOLD_ADDRESSES,
            "formats": formats,
            "rtpmap": {value.split()[0]: value.split(None, 1)[1] for value in _values(attributes, "rtpmap")},
            "fmtp": {value.split()[0]: value.split(None, 1)[1] for value in _values(attributes, "fmtp")
                     if len(value.split(None, 1)) == 2},
            "ptime": _values(attributes, "ptime"),
            "rtcp": [_rtcp(value, port, address) for value in rtcp],
            "rtcp-mux": bool([1 for name, _ in attributes if name == "rtcp-mux"]),
            "ICE": bool(_values(attributes, "ice-ufrag") or _values(session_attributes, "ice-ufrag")),
            "ICE lite": any(name == "ice-lite" for name, _ in session_attributes + attributes),
            "candidates": bool(_values(attributes, "candidate")),
            "setup": setup[0] if setup else None,
            "fingerprint": fingerprints[0].split()[0].lower() if fingerprints else None,
            "crypto suites": [value.split()[1] for value in _values(attributes, "crypto")],
            "direction": direction or "sendrecv",
            "mid": _values(attributes, "mid"),
        })
    return described


def differences(ours, reference, keys=None):
    """What a party would see differently in `ours` than in `reference` (two SDP texts), one line each; empty when
    they say the same. `keys`: only these of each line's semantics."""
    mine, theirs = semantics(ours), semantics(reference)
    if len(mine) != len(theirs):
        return [f"{len(mine)} media lines, the reference has {len(theirs)}"]
    found = []
    for index, (a, b) in enumerate(zip(mine, theirs), start=1):
        for key in keys or b:
            if a[key] != b[key]:
                found.append(f"line {index} {key}: {a[key]!r}, the reference has {b[key]!r}")
    return found
