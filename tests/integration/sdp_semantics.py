"""What an SDP says that a proxy or a phone acts on, per media line, for the differential tests (issue 11): the SDP
rtcgated returns for a request against the one rtpengine 10.5 returns for the same request.

Left out is what differs by nature between two media servers, or two runs of one: ports and addresses (kept only
as relations: whether a line is declined or on hold, whether RTCP is on the RTP port, the next one or another, and
whether a=rtcp names an address), the o= line, ICE credentials and candidates (kept: whether there are any),
fingerprint values (kept: the hash function), SDES keys (kept: the suites, in order).
"""

from sdp import ParsedSdp, attribute_values

HOLD_ADDRESSES = {"0.0.0.0", "::"}
DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")


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
    parsed = ParsedSdp(text)
    session = parsed.attributes
    session_direction = next((name for name in session if name in DIRECTIONS), None)
    described = []
    for line in parsed.media:
        port = line["port"]
        attributes = line["attributes"]

        def values(name, *, inherited=False):
            found = attribute_values(attributes, name)
            return found or (attribute_values(session, name) if inherited else [])

        address = line["connection"] or parsed.connection
        fingerprints = values("fingerprint", inherited=True)
        setup = values("setup", inherited=True)
        described.append({
            "type": line["type"],
            "proto": line["proto"],
            "declined": port == 0,
            "hold address": address in HOLD_ADDRESSES,
            "formats": line["formats"],
            "rtpmap": {value.split()[0]: value.split(None, 1)[1] for value in values("rtpmap")},
            "fmtp": {value.split()[0]: value.split(None, 1)[1] for value in values("fmtp")
                     if len(value.split(None, 1)) == 2},
            "ptime": values("ptime"),
            "rtcp": [_rtcp(value, port, address) for value in values("rtcp")],
            "rtcp-mux": bool(values("rtcp-mux")),
            "ICE": bool(values("ice-ufrag", inherited=True)),
            "ICE lite": bool(values("ice-lite", inherited=True)),
            "candidates": bool(values("candidate")),
            "setup": setup[0] if setup else None,
            "fingerprint": fingerprints[0].split()[0].lower() if fingerprints else None,
            "crypto suites": [value.split()[1] for value in values("crypto")],
            "direction": next((name for name in attributes if name in DIRECTIONS), session_direction) or "sendrecv",
            "mid": values("mid"),
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
