"""SIP phones played by SIPp (Debian's sip-tester): a caller and a callee with one PCMU audio line, each of which
either plays a tone (SIPp's rtp_stream, once: 150 packets of 20 ms) or echoes every RTP packet it gets back to its
sender (-rtp_echo), so that what reaches a phone shows up at the media server again.

    with SippPhone.callee(tmp_path, "127.0.0.3", plays=False) as callee, \\
         SippPhone.caller(tmp_path, "127.0.0.2", proxy_port, callee, plays=True) as caller:
        ...
"""

import shutil
import sys
from pathlib import Path

from child_process import ChildProcess
from daemon import free_port
from tones import tone

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.carrier import audioop  # noqa: E402  (imported there without its deprecation warning)

TONE_SECONDS = 3
TONE_PACKETS = TONE_SECONDS * 50
# A phone hangs up (the caller sends BYE) this long after the call is answered, and SIPp quits 30 s after that
# whatever happened: the bound of each run. A test waits for what it needs to see and stops the phones before.
CALL_SECONDS = 60

SDP = """v=0
o=phone 53655765 2353687637 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
a=ptime:20
"""

PLAY = '<nop><action><exec rtp_stream="{tone},1,0"/></action></nop>'

CALLER = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller">
  <send retrans="500"><![CDATA[
INVITE sip:callee@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:caller@[local_ip]:[local_port]>;tag=caller[call_number]
To: <sip:callee@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{sdp}]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:caller@[local_ip]:[local_port]>;tag=caller[call_number]
To: <sip:callee@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
  {play}
  <pause milliseconds="{call_ms}"/>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:caller@[local_ip]:[local_port]>;tag=caller[call_number]
To: <sip:callee@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>
</scenario>
"""

CALLEE = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="callee">
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=callee[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:callee@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

{sdp}]]></send>
  <recv request="ACK"/>
  {play}
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
</scenario>
"""


def sipp_binary():
    return shutil.which("sipp")


def write_tone(path):
    """TONE_SECONDS of a 1 kHz tone as raw PCMU, what rtp_stream plays for payload type 0."""
    path.write_bytes(audioop.lin2ulaw(tone(1000, TONE_SECONDS).tobytes(), 2))
    return path


class SippPhone(ChildProcess):
    """One SIPp process playing one phone of one call: SIP and media on `address`, media on its own port."""

    def __init__(self, directory, name, address, scenario, plays, target=()):
        self.name = name
        self.address = address
        self.sip_port = free_port()
        self.media_port = free_port()
        tone_file = write_tone(directory / f"{name}.pcmu")
        play = PLAY.format(tone=tone_file) if plays else ""
        self.scenario = directory / f"{name}.xml"
        self.scenario.write_text(scenario.format(sdp=SDP, play=play, call_ms=CALL_SECONDS * 1000))
        command = [sipp_binary(), *target, "-sf", str(self.scenario), "-i", address, "-p", str(self.sip_port),
                   "-mi", address, "-mp", str(self.media_port), "-m", "1", "-timeout", f"{CALL_SECONDS + 30}s",
                   "-nostdin", "-trace_err", "-error_file", str(directory / f"{name}.errors")]
        if not plays:
            command.append("-rtp_echo")
        super().__init__(command, directory / f"{name}.log", directory)

    @classmethod
    def callee(cls, directory, address, plays):
        return cls(directory, "callee", address, CALLEE, plays)

    @classmethod
    def caller(cls, directory, address, proxy_port, plays):
        """Calls sip:callee@ the proxy at 127.0.0.1:`proxy_port`."""
        return cls(directory, "caller", address, CALLER, plays, target=(f"127.0.0.1:{proxy_port}",))

    def log(self, tail=3000):
        return f"--- SIPp {self.name} ---\n" + super().log(tail)
