"""What the differential tests (issue 11) share: the calls they make on rtcgated and on rtpengine 10.5, the SDPs
they send, and the reductions of the SDPs returned to what they compare."""

import base64

from ngclient import assert_ok
from sdp import audio_sdp
from sdp_semantics import semantics

CALLER = "127.0.0.2"
CALLEE = "127.0.0.3"


def exchange(server, call_id, offer, answer, offer_flags=None, answer_flags=None):
    """The SDP `server` sends the callee for `offer`, and the one it sends the caller for `answer` (None: no
    answer)."""
    steps = [("offer", "caller", None, offer, offer_flags or {})]
    if answer is not None:
        steps.append(("answer", "caller", "callee", answer, answer_flags or {}))
    return renegotiate(server, call_id, steps)


def renegotiate(server, call_id, steps):
    """Sends each (command, from-tag, to-tag, SDP, ng keys) of `steps` on one call; the SDPs returned. An SDP may
    be a function of the SDP the server returned last: an answer to what the answerer was offered."""
    returned = []
    with server.client() as ng:
        for command, from_tag, to_tag, sdp_text, keys in steps:
            tags = {"from-tag": from_tag, **({"to-tag": to_tag} if to_tag else {})}
            if callable(sdp_text):
                sdp_text = sdp_text(returned[-1])
            returned.append(assert_ok(ng(command, **{"call-id": call_id, "sdp": sdp_text, **tags, **keys}))["sdp"])
    return returned


def formats_by_name(sdp_text):
    """Each line's formats as their encoding names, in order."""
    return [[line["rtpmap"].get(pt, pt).split("/")[0] for pt in line["formats"]] for line in semantics(sdp_text)]


def rtcp_ports(sdp_text):
    """Where each line's a=rtcp points (RTP port, next port): the form is a deliberate difference toward WebRTC."""
    return [[where for where, _ in line["rtcp"]] for line in semantics(sdp_text)]


UNUSABLE_SUITES = {"F8_128_HMAC_SHA1_80", "F8_128_HMAC_SHA1_32", "NULL_HMAC_SHA1_80", "NULL_HMAC_SHA1_32"}


def without_unusable_suites(sdp_text):
    """rtpengine's SDP without its F8 and NULL a=crypto lines: rtcgated offers neither (a deliberate difference:
    libsrtp2 has no F8, and NULL does not encrypt)."""
    return "".join(line for line in sdp_text.splitlines(keepends=True)
                   if not (line.startswith("a=crypto:") and line.split()[1] in UNUSABLE_SUITES))


def sdes_sdp(address, port, suites, protocol="RTP/SAVP", **audio):
    """An RTP/SAVP line (audio_sdp's, with `audio`'s options) with one a=crypto per suite (tags from 1), keys of the
    suite's length."""
    lengths = {"AES_CM_128_HMAC_SHA1_80": 30, "AES_CM_128_HMAC_SHA1_32": 30, "AEAD_AES_128_GCM": 28,
               "AEAD_AES_256_GCM": 44, "AES_256_CM_HMAC_SHA1_80": 46, "AES_192_CM_HMAC_SHA1_80": 38}
    text = audio_sdp(address, port, **audio).replace("RTP/AVP", protocol)
    for tag, suite in enumerate(suites, start=1):
        key = base64.b64encode(bytes(range(tag, tag + lengths[suite]))).decode()
        text += f"a=crypto:{tag} {suite} inline:{key}\r\n"
    return text
