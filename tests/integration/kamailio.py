"""Kamailio 5.6 (Debian's kamailio) with its stock rtpengine module, pointed at a daemon's ng port: a real proxy that
drives rtcgated and reads its replies as it does rtpengine's. The routes are the test's; QUERY_ROUTES runs
rtpengine_query() for each SIP request and answers 200 with what the module read, one X-Rtpengine-<name> header
per variable.

    with Kamailio(tmp_path, ng_address) as proxy:
        headers = proxy.query(call_id, from_tag, to_tag, label_a="caller", label_b="callee")
"""

import os
import shutil
import socket
import time
import uuid

from child_process import ChildProcess
from daemon import free_port

MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules"
START_TIMEOUT = 10.0
REPLY_TIMEOUT = 5.0

# The module's mos_* variables (its README, section 4), each read back into a reply header of the same name.
MOS_VARIABLES = [f"mos_{which}{what}{side}"
                 for side in ("", "_A", "_B")
                 for which in ("min", "max", "average")
                 for what in ("", "_packetloss", "_jitter", "_roundtrip") + (("_roundtrip_leg",) if side else ())]
MOS_VARIABLES += [f"mos_{which}_at{side}" for side in ("", "_A", "_B") for which in ("min", "max")]
MOS_VARIABLES += [f"mos_average_samples{side}" for side in ("", "_A", "_B")]


def kamailio_binary():
    return shutil.which("kamailio") or ("/usr/sbin/kamailio" if os.path.exists("/usr/sbin/kamailio") else None)


def _query_routes():
    headers = "".join(f"X-Rtpengine-{name}: $avp({name})\\r\\n" for name in MOS_VARIABLES)
    return f"""
request_route {{
    if (is_method("OPTIONS")) {{
        sl_send_reply("200", "ready");
        exit;
    }}
    $avp(mos_A_label) = $hdr(X-Label-A);
    $avp(mos_B_label) = $hdr(X-Label-B);
    if (!rtpengine_query()) {{
        sl_send_reply("500", "rtpengine_query failed");
        exit;
    }}
    append_to_reply("{headers}");
    sl_send_reply("200", "queried");
    exit;
}}
"""


QUERY_ROUTES = _query_routes()


def _config(sip_port, ng_address, routes):
    """The configuration: SIP on 127.0.0.1:`sip_port`, the rtpengine module on `ng_address`, then `routes` (each
    must answer OPTIONS 200, how start-up is awaited). {sip_port} in `routes` is the proxy's own port."""
    params = "\n".join(f'modparam("rtpengine", "{name}_pv", "$avp({name})")' for name in MOS_VARIABLES)
    return f"""#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
disable_sctp=yes
listen=udp:127.0.0.1:{sip_port}
mpath="{MODULES}"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "rtpengine.so"
modparam("rtpengine", "rtpengine_sock", "udp:{ng_address[0]}:{ng_address[1]}")
modparam("rtpengine", "mos_A_label_pv", "$avp(mos_A_label)")
modparam("rtpengine", "mos_B_label_pv", "$avp(mos_B_label)")
{params}
{routes.replace("{sip_port}", str(sip_port))}"""


class Kamailio(ChildProcess):
    def __init__(self, directory, ng_address, routes=QUERY_ROUTES):
        self.sip_port = free_port()
        self.config = directory / "kamailio.cfg"
        self.config.write_text(_config(self.sip_port, ng_address, routes))
        super().__init__([kamailio_binary(), "-f", str(self.config), "-DD", "-E", "-Y", str(directory), "-P",
                          str(directory / "kamailio.pid")], directory / "kamailio.log", directory)
        self._wait_ready()

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                status, _ = self.request("OPTIONS", "ping", "", "", timeout=0.5)
                if status == 200:
                    return
            except TimeoutError:
                continue
        self.stop()
        raise RuntimeError(f"kamailio did not answer within {START_TIMEOUT} s\n{self.log()}")

    def request(self, method, call_id, from_tag, to_tag, extra_headers=(), timeout=REPLY_TIMEOUT):
        """One SIP request over UDP; (status code, headers dict) of its final reply."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            branch = "z9hG4bK" + uuid.uuid4().hex
            lines = [
                f"{method} sip:gateway@127.0.0.1:{self.sip_port} SIP/2.0",
                f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch={branch}",
                "Max-Forwards: 70",
                f"From: <sip:caller@127.0.0.1>;tag={from_tag or 'none'}",
                f"To: <sip:callee@127.0.0.1>{';tag=' + to_tag if to_tag else ''}",
                f"Call-ID: {call_id}",
                f"CSeq: 1 {method}",
                *extra_headers,
                "Content-Length: 0",
            ]
            sock.sendto(("\r\n".join(lines) + "\r\n\r\n").encode(), ("127.0.0.1", self.sip_port))
            sock.settimeout(timeout)
            while True:
                try:
                    data, _ = sock.recvfrom(65535)
                except socket.timeout as error:
                    raise TimeoutError(f"no reply to {method} within {timeout} s") from error
                status_line, *header_lines = data.decode(errors="replace").split("\r\n\r\n")[0].split("\r\n")
                status = int(status_line.split()[1])
                if status >= 200:
                    headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
                    return status, headers

    def query(self, call_id, from_tag, to_tag, label_a="", label_b=""):
        """rtpengine_query() for the call; the module's mos_* variables by name, as it printed them."""
        extra = [f"X-Label-A: {label_a}", f"X-Label-B: {label_b}"]
        status, headers = self.request("INFO", call_id, from_tag, to_tag, extra)
        assert status == 200, f"kamailio answered {status}\n{self.log()}"
        prefix = "X-Rtpengine-"
        return {name[len(prefix):]: value for name, value in headers.items() if name.startswith(prefix)}
