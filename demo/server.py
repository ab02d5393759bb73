#!/usr/bin/python3
"""The rtcgate demo: a browser calls a carrier (or the carrier calls the browser) through rtcgated, on loopback.

This server plays the two parts a real deployment has around rtcgated: the SIP proxy, which hands each SDP to the
daemon over ng with the flags of the Kamailio WebRTC <-> SIP recipe and passes on the SDP it returns untouched, and
the carrier, a plain-RTP G.711 party (demo/carrier.py) that plays a tone and then echoes what it hears.

    demo/server.py [--listen 127.0.0.1:8080] [--ng HOST:PORT] [--tone-hz HZ] [--tone-seconds S] [--no-echo]
                   [--always-transcode]

Without --ng it starts build/rtcgated itself (media and ng on 127.0.0.1) and stops it on exit.

HTTP API of the page (JSON bodies):
    POST /call {sdp}              the browser's offer -> {call_id, sdp: rtcgated's answer}
    POST /incoming                the carrier calls   -> {call_id, sdp: rtcgated's offer for the browser}
    POST /answer {call_id, sdp}   the browser's answer to /incoming
    POST /hangup {call_id}        ng delete, the carrier hangs up
    GET  /state?call_id=ID        what rtcgated says about the call (ICE, DTLS, SRTP, packets each way)
    POST /report {call_id, ...}   what the page measured (auto mode); kept with what the carrier heard
    GET  /report                  the last report, with the carrier's audio (for the browser tests)
"""

import argparse
import asyncio
import base64
import ctypes
import ipaddress
import itertools
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

from aiohttp import web

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # the repository root, for demo/
from demo.carrier import Carrier  # noqa: E402
from demo.ng import NgClient, NgError  # noqa: E402
from demo.recipe import (  # noqa: E402
    BROWSER_CALLS_CARRIER_ANSWER,
    BROWSER_CALLS_CARRIER_OFFER,
    CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER,
    CARRIER_CALLS_BROWSER_ANSWER,
    CARRIER_CALLS_BROWSER_OFFER,
)

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]
STATIC = pathlib.Path(__file__).resolve().parent / "static"
CARRIER_HOST = "127.0.0.1"
MAX_REPORT_BYTES = 64 * 1024 * 1024
CALL_IDLE_SECONDS = 30.0  # a call whose page stopped asking about it (closed tab) is hung up after this
DIAL_AFTER_SECONDS = 1.0  # --carrier-dials: from the moment the carrier may send
DAEMON_READY_SECONDS = 10.0
DAEMON_STOP_SECONDS = 10.0


class Call:
    """One call: its ng identity (call-id, and the caller's tag that deletes it) and the carrier's side of it."""

    def __init__(self, call_id, direction, carrier):
        self.call_id = call_id
        self.direction = direction  # "call": the browser calls the carrier; "incoming": the carrier calls
        self.caller_tag = "browser" if direction == "call" else "carrier"
        self.carrier = carrier
        self.carrier_sdp = None  # the carrier's own offer or answer
        self.echo_started = None  # time.time() when the carrier went from its tone to echoing
        self.echo_timer = None
        self.dial_timer = None
        self.last_seen = time.monotonic()


class Demo:
    """The proxy and carrier parts of the demo, for calls to and from browsers."""

    def __init__(self, ng, tone_hz, tone_seconds, echo, call_seconds, always_transcode=False, accept_events=False,
                 carrier_dials=""):
        self.ng = ng
        # The browser's calls: rtpengine's "always transcode" answers the browser with its first codec (Opus) even
        # when it offered the carrier's PCMU too.
        self.browser_offer_flags = {"flags": ["always transcode"]} if always_transcode else {}
        # The carrier's calls: the recipe, or its variant for a browser that may take no telephone-event.
        self.carrier_offer_flags = (CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER if accept_events
                                    else CARRIER_CALLS_BROWSER_OFFER)
        self.carrier_dials = carrier_dials
        self.tone_hz = tone_hz
        self.tone_seconds = tone_seconds
        self.echo = echo
        self.call_seconds = call_seconds
        self.calls = {}
        self.last_report = None
        self._call_numbers = itertools.count(1)

    # --- the page's API -------------------------------------------------------------------------------------------

    async def call(self, request):
        """The browser calls the carrier: its offer goes through rtcgated to the carrier, whose answer comes back
        through rtcgated."""
        body = await _json_body(request, "sdp")
        call = await self._new_call("call")
        try:
            offer = await self.ng.ok("offer", **{"call-id": call.call_id, "from-tag": "browser", "sdp": body["sdp"],
                                                 **BROWSER_CALLS_CARRIER_OFFER, **self.browser_offer_flags})
            carrier_answer = call.carrier_sdp = call.carrier.answer_sdp(offer["sdp"])
            answer = await self.ng.ok("answer", **{"call-id": call.call_id, "from-tag": "browser",
                                                   "to-tag": "carrier", "sdp": carrier_answer,
                                                   **BROWSER_CALLS_CARRIER_ANSWER})
            self._start_carrier(call, offer["sdp"])
        except (NgError, ValueError) as error:
            await self._end(call)
            raise web.HTTPBadGateway(text=str(error))
        return web.json_response({"call_id": call.call_id, "sdp": answer["sdp"]})

    async def incoming(self, request):
        """The carrier calls the browser: its offer, through rtcgated, is what the page answers."""
        call = await self._new_call("incoming")
        call.carrier_sdp = call.carrier.offer_sdp()
        try:
            offer = await self.ng.ok("offer", **{"call-id": call.call_id, "from-tag": "carrier",
                                                 "sdp": call.carrier_sdp, **self.carrier_offer_flags})
        except NgError as error:
            await self._end(call)
            raise web.HTTPBadGateway(text=str(error))
        return web.json_response({"call_id": call.call_id, "sdp": offer["sdp"]})

    async def answer(self, request):
        """The browser's answer to an incoming call, through rtcgated to the carrier."""
        body = await _json_body(request, "call_id", "sdp")
        call = self._call_of(body["call_id"])
        try:
            answer = await self.ng.ok("answer", **{"call-id": call.call_id, "from-tag": "carrier",
                                                   "to-tag": "browser", "sdp": body["sdp"],
                                                   **CARRIER_CALLS_BROWSER_ANSWER})
            self._start_carrier(call, answer["sdp"])
        except (NgError, ValueError) as error:
            await self._end(call)
            raise web.HTTPBadGateway(text=str(error))
        return web.json_response({"call_id": call.call_id})

    async def hangup(self, request):
        body = await _json_body(request, "call_id")
        call = self.calls.get(body["call_id"])
        if call is not None:
            await self._end(call)
        return web.json_response({"call_id": body["call_id"]})

    async def state(self, request):
        call = self._call_of(request.query.get("call_id", ""))
        try:
            query = await self.ng.ok("query", **{"call-id": call.call_id})
        except NgError as error:
            raise web.HTTPBadGateway(text=str(error))
        return web.json_response(self._summary(call, query))

    async def report(self, request):
        """What the page measured, kept (as the last report) with what the carrier heard and rtcgated's view."""
        body = await _json_body(request)
        call = self.calls.get(body.get("call_id"))
        kept = dict(body)
        if call is not None:
            heard = call.carrier.received_audio()
            kept["carrier"] = {
                "tone_hz": self.tone_hz,
                "echo_started_ms": call.echo_started * 1000.0 if call.echo_started else None,
                "packets_received": call.carrier.packets_received,
                "packets_sent": call.carrier.packets_sent,
                "sample_rate": 8000,
                "samples": base64.b64encode(heard.astype("<i2").tobytes()).decode(),
                "sdp": call.carrier_sdp,
                "payload_types": dict(call.carrier.payload_types),
                "telephone_events": [event._asdict() for event in call.carrier.telephone_events],
            }
            try:
                query = await self.ng.ok("query", **{"call-id": call.call_id})
                kept["rtcgated"] = self._summary(call, query)
            except NgError as error:
                kept["rtcgated"] = {"error": str(error)}
        self.last_report = kept
        carrier = kept.get("carrier", {})
        return web.json_response({"carrier": {key: carrier.get(key) for key in ("packets_received", "packets_sent")}})

    async def get_report(self, request):
        if self.last_report is None:
            raise web.HTTPNotFound(text="no report yet")
        return web.json_response(self.last_report)

    # --- calls ----------------------------------------------------------------------------------------------------

    async def _new_call(self, direction):
        call_id = f"demo-{os.getpid()}-{next(self._call_numbers)}-{int(time.time())}"
        carrier = Carrier(host=CARRIER_HOST, tone_hz=self.tone_hz, duration=self.call_seconds)
        await carrier.start()
        call = self.calls[call_id] = Call(call_id, direction, carrier)
        return call

    def _start_carrier(self, call, remote_sdp):
        """The carrier starts sending: the tone, then (unless --no-echo) what it hears."""
        call.carrier.set_remote(remote_sdp)
        if self.carrier_dials:
            call.dial_timer = asyncio.get_running_loop().call_later(DIAL_AFTER_SECONDS, self._dial, call)
        if self.echo:
            call.echo_timer = asyncio.get_running_loop().call_later(self.tone_seconds, self._start_echo, call)

    def _dial(self, call):
        try:
            call.carrier.dial(self.carrier_dials)
        except ValueError as error:  # telephone-event not negotiated
            print(f"demo: the carrier cannot dial on {call.call_id}: {error}", file=sys.stderr)

    @staticmethod
    def _start_echo(call):
        call.carrier.echo = True
        call.echo_started = time.time()

    def _call_of(self, call_id):
        call = self.calls.get(call_id)
        if call is None:
            raise web.HTTPNotFound(text=f"no call {call_id!r}")
        call.last_seen = time.monotonic()
        return call

    async def _end(self, call):
        if self.calls.pop(call.call_id, None) is None:
            return
        for timer in (call.echo_timer, call.dial_timer):
            if timer is not None:
                timer.cancel()
        try:
            await self.ng.request("delete", **{"call-id": call.call_id, "from-tag": call.caller_tag})
        except NgError as error:
            print(f"demo: ng delete of {call.call_id}: {error}", file=sys.stderr)
        await call.carrier.stop()

    async def end_all(self):
        for call in list(self.calls.values()):
            await self._end(call)

    async def reap_idle_calls(self):
        """Hangs up calls that no page has asked about for a while (a tab closed mid-call)."""
        while True:
            await asyncio.sleep(CALL_IDLE_SECONDS / 3)
            for call in list(self.calls.values()):
                if time.monotonic() - call.last_seen > CALL_IDLE_SECONDS:
                    print(f"demo: hanging up {call.call_id}: its page went away", file=sys.stderr)
                    await self._end(call)

    def _summary(self, call, query):
        """rtcgated's view of the call, per party: its transport (ICE, DTLS, SRTP) and the packets rtcgated got
        from it; and the carrier's own counters."""
        parties = {}
        for tag, leg in query.get("tags", {}).items():
            media = (leg.get("medias") or [{}])[0]
            ice = media.get("ICE") or {}
            dtls = media.get("DTLS") or {}
            srtp = media.get("SRTP") or {}
            parties[tag] = {
                "protocol": media.get("protocol"),
                "rtcp_mux": bool(media.get("rtcp-mux")),
                "ice": ice.get("state"),
                "ice_selected": ice.get("selected"),
                "dtls": dtls.get("state"),
                "dtls_role": dtls.get("role"),
                "srtp_profile": srtp.get("profile"),
                "packets_from": sum(s.get("stats", {}).get("packets", 0) for s in media.get("streams", [])),
                "endpoint": _endpoint_text(media),
            }
        carrier = call.carrier
        return {
            "call_id": call.call_id,
            "direction": call.direction,
            "parties": parties,
            "carrier": {
                "mode": "echo" if carrier.echo else "tone",
                "tone_hz": self.tone_hz,
                "codec": carrier.codec,
                "packets_sent": carrier.packets_sent,
                "packets_received": carrier.packets_received,
            },
        }


def _endpoint_text(media):
    for stream in media.get("streams", []):
        endpoint = stream.get("endpoint") or {}
        if endpoint.get("address"):
            return f"{endpoint['address']}:{endpoint.get('port')}"
    return None


async def _json_body(request, *required):
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="the body is not JSON")
    if not isinstance(body, dict) or any(not isinstance(body.get(key), str) for key in required):
        raise web.HTTPBadRequest(text=f"a JSON object with {', '.join(required)} expected")
    return body


async def _index(request):
    return web.FileResponse(STATIC / "index.html")


def make_app(demo):
    app = web.Application(client_max_size=MAX_REPORT_BYTES)
    app.router.add_get("/", _index)
    app.router.add_static("/static/", STATIC)
    app.router.add_post("/call", demo.call)
    app.router.add_post("/incoming", demo.incoming)
    app.router.add_post("/answer", demo.answer)
    app.router.add_post("/hangup", demo.hangup)
    app.router.add_get("/state", demo.state)
    app.router.add_post("/report", demo.report)
    app.router.add_get("/report", demo.get_report)
    return app


# --- rtcgated, when the demo runs its own -------------------------------------------------------------------------


def _free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent():
    """In the child before exec: SIGTERM when this server dies, however it dies (prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


class OwnDaemon:
    """build/rtcgated on loopback, in its own process group (so a Ctrl-C reaches only this server, which hangs up
    its calls before it stops the daemon)."""

    def __init__(self, binary, log_level):
        self.ng_address = ("127.0.0.1", _free_udp_port())
        self.args = [str(binary), "--config-file=none", "--interface=127.0.0.1",
                     f"--listen-ng=127.0.0.1:{self.ng_address[1]}", f"--log-level={log_level}"]
        self.process = None

    async def start(self, ng):
        print("demo: $ " + " ".join(self.args), file=sys.stderr)
        self.process = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=_die_with_parent)
        deadline = time.monotonic() + DAEMON_READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rtcgated exited with {self.process.returncode} at start")
            try:
                if (await asyncio.wait_for(ng.request("ping"), 0.5)).get("result") == "pong":
                    return
            except (NgError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError(f"rtcgated did not answer ping within {DAEMON_READY_SECONDS} s")

    async def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        deadline = time.monotonic() + DAEMON_STOP_SECONDS
        while self.process.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if self.process.poll() is None:
            print("demo: rtcgated did not stop on SIGTERM; killing it", file=sys.stderr)
            self.process.kill()
            self.process.wait()
        elif self.process.returncode != 0:
            print(f"demo: rtcgated exited with {self.process.returncode}", file=sys.stderr)


# --- command line -------------------------------------------------------------------------------------------------


def _loopback_address(text, default_port=None):
    """(host, port) of HOST:PORT (or [V6]:PORT), which must be a loopback address."""
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host == "localhost":
        host = "127.0.0.1"  # one address family for sure: "localhost" may resolve to ::1 first
    if not port and default_port is None:
        raise argparse.ArgumentTypeError(f"{text!r}: HOST:PORT expected")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
        port = int(port or default_port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: HOST:PORT expected")
    if not loopback:
        raise argparse.ArgumentTypeError(f"{text!r}: the demo runs on loopback only (127.0.0.1, ::1, localhost)")
    return host, port


def parse_args(argv):
    parser = argparse.ArgumentParser(description="rtcgate demo: a browser and a carrier bridged by rtcgated.")
    parser.add_argument("--listen", type=_loopback_address, default=("127.0.0.1", 8080), metavar="HOST:PORT",
                        help="where the page is served (loopback only; default 127.0.0.1:8080, port 0: any free)")
    parser.add_argument("--ng", type=_loopback_address, metavar="HOST:PORT",
                        help="the ng address of a running rtcgated; default: start build/rtcgated on loopback")
    parser.add_argument("--rtcgated", default=os.environ.get("RTCGATED") or str(REPO_ROOT / "build" / "rtcgated"),
                        help="the daemon to start without --ng (default $RTCGATED, else build/rtcgated)")
    parser.add_argument("--log-level", type=int, default=6, help="log level of the daemon it starts (0-7)")
    parser.add_argument("--tone-hz", type=float, default=440.0, help="the carrier's tone (default 440 Hz)")
    parser.add_argument("--tone-seconds", type=float, default=5.0,
                        help="seconds of tone before the carrier echoes what it hears (default 5)")
    parser.add_argument("--no-echo", dest="echo", action="store_false", help="the carrier plays its tone only")
    parser.add_argument("--call-seconds", type=float, default=600.0,
                        help="the carrier hangs up (stops sending) after this long (default 600)")
    parser.add_argument("--always-transcode", action="store_true",
                        help="transcode the browser's calls (Opus toward the browser) even when it offers PCMU too")
    parser.add_argument("--accept-events", action="store_true",
                        help="the carrier's calls offer the browser the carrier's codecs with codec accept "
                             "telephone-event (for a browser that may take no telephone-event)")
    parser.add_argument("--carrier-dials", default="", metavar="DIGITS",
                        help=f"the carrier sends these digits as RFC 4733 events {DIAL_AFTER_SECONDS:g} s into each call")
    return parser.parse_args(argv)


async def serve(options):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    daemon = None
    ng_address = options.ng
    if ng_address is None:
        daemon = OwnDaemon(options.rtcgated, options.log_level)
        ng_address = daemon.ng_address
    ng = await NgClient(ng_address).open()
    demo = Demo(ng, options.tone_hz, options.tone_seconds, options.echo, options.call_seconds,
                options.always_transcode, options.accept_events, options.carrier_dials)
    runner = web.AppRunner(make_app(demo), access_log=None)
    reaper = None
    try:
        if daemon is not None:
            await daemon.start(ng)
        await runner.setup()
        site = web.TCPSite(runner, options.listen[0], options.listen[1])
        await site.start()
        host, port = runner.addresses[0][:2]
        host = f"[{host}]" if ":" in host else host
        print(f"demo: open http://{host}:{port}/ (rtcgated ng at {ng_address[0]}:{ng_address[1]})", flush=True)
        reaper = loop.create_task(demo.reap_idle_calls())
        await stop.wait()
        print("demo: stopping", file=sys.stderr)
    finally:
        if reaper is not None:
            reaper.cancel()
        await demo.end_all()
        await runner.cleanup()
        ng.close()
        if daemon is not None:
            await daemon.stop()


def main(argv=None):
    options = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        asyncio.run(serve(options))
    except (RuntimeError, OSError) as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
