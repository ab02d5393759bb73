"""Starting and stopping rtcgated for a test, and picking ports that nothing else uses."""

import fcntl
import os
import pathlib
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import ngclient

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
READY_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


def daemon_binary():
    """$RTCGATED, else build/rtcgated of this checkout."""
    return pathlib.Path(os.environ.get("RTCGATED") or REPO_ROOT / "build" / "rtcgated")


def free_port(kind=socket.SOCK_DGRAM, also=()):
    """A port that is free on 127.0.0.1 for `kind` and every socket type in `also` (bind probe)."""
    for _ in range(100):
        probe = socket.socket(socket.AF_INET, kind)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        try:
            if all(_bindable(port, other) for other in also):
                return port
        finally:
            probe.close()
    raise RuntimeError("no free port on 127.0.0.1")


def _bindable(port, kind):
    probe = socket.socket(socket.AF_INET, kind)
    try:
        probe.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        probe.close()


# Ports Chromium refuses to reach (net/base/port_util.cc's restricted ports, 10080 since the NAT slipstreaming
# fix): a Chromium test whose daemon got one never had its ICE checks reach rtcgated.
BROWSER_BLOCKED_PORTS = frozenset({10080})


class MediaPortRanges:
    """Hands each daemon its own block of media ports.

    All blocks lie below the kernel's ephemeral range, so they never collide with
    the test's own sockets (bound to port 0). A test run claims a region of
    REGION ports for itself with a lock file (flock, held until the run ends), so
    runs on one host at the same time never share ports; inside its region it
    hands out consecutive blocks, wrapping around (the daemons of earlier tests
    have stopped by then). Every port of a block is bind-probed as well.
    """

    FIRST = 10000
    REGION = 2000

    def __init__(self):
        ephemeral_low = 32768
        try:
            ephemeral_low = int(pathlib.Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
        regions = max(1, (max(ephemeral_low, self.FIRST + self.REGION) - self.FIRST) // self.REGION)
        lock_dir = pathlib.Path(tempfile.gettempdir()) / "rtcgate-integration-ports"
        lock_dir.mkdir(exist_ok=True)
        self._lock = None
        for attempt in range(regions):
            region = (os.getpid() + attempt) % regions
            lock = open(lock_dir / f"region-{region}.lock", "w")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                continue
            self._lock = lock
            break
        else:
            region = os.getpid() % regions  # every region taken: share one, the bind probe still helps
        self.start = self.FIRST + region * self.REGION
        self.end = self.start + self.REGION
        self.next = self.start

    def allocate(self, size):
        """(port_min, port_max), inclusive, with port_min even and every port free."""
        size += size % 2
        if size > self.REGION:
            raise ValueError(f"a block of {size} ports is larger than a region ({self.REGION})")
        for _ in range(self.REGION // 2):
            if self.next + size > self.end:
                self.next = self.start
            start = self.next
            self.next += size
            ports = range(start, start + size)
            blocked = sorted(BROWSER_BLOCKED_PORTS.intersection(ports))
            if blocked:
                # The next block starts past it: a large block that only wrapped around would meet it again.
                self.next = blocked[-1] + 1 + (blocked[-1] + 1) % 2
                continue
            if all(_bindable(port, socket.SOCK_DGRAM) for port in ports):
                return start, start + size - 1
        raise RuntimeError(f"no free block of {size} media ports in {self.start}-{self.end - 1}")


class Daemon:
    """One rtcgated process, in the foreground, logging to `log_path`."""

    name = "rtcgated"
    missing_hint = "build it, or set RTCGATED"

    def __init__(
        self,
        log_path,
        port_range,
        *,
        num_threads=1,
        timeout=60,
        delete_delay=0,
        tcp=False,
        interface="127.0.0.1",
        open_files=None,
        extra_args=(),
    ):
        self.binary = daemon_binary()
        self.log_path = pathlib.Path(log_path)
        self.port_min, self.port_max = port_range
        self.ng_address = ("127.0.0.1", free_port(socket.SOCK_DGRAM))
        self.tcp_address = ("127.0.0.1", free_port(socket.SOCK_STREAM)) if tcp else None
        self.args = [
            str(self.binary),
            f"--interface={interface}",
            f"--listen-ng=127.0.0.1:{self.ng_address[1]}",
            f"--port-min={self.port_min}",
            f"--port-max={self.port_max}",
            f"--num-threads={num_threads}",
            f"--timeout={timeout}",
            f"--delete-delay={delete_delay}",
            "--log-level=7",
            "--config-file=none",
        ]
        if tcp:
            self.args.append(f"--listen-tcp-ng=127.0.0.1:{self.tcp_address[1]}")
        self.args += list(extra_args)
        self.open_files = open_files  # (soft, hard) RLIMIT_NOFILE to start the daemon with
        self.process = None
        self.returncode = None
        self.killed = False
        self._log_file = None

    def start(self):
        if not self.binary.is_file():
            raise RuntimeError(f"{self.name} not found at {self.binary} ({self.missing_hint})")
        self._log_file = open(self.log_path, "wb")
        self._log_file.write(("$ " + " ".join(self.args) + "\n").encode())
        self._log_file.flush()
        self.process = subprocess.Popen(
            self.args, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
            preexec_fn=self._limit_open_files if self.open_files else None,
        )
        self._wait_ready()
        return self

    def _limit_open_files(self):
        resource.setrlimit(resource.RLIMIT_NOFILE, self.open_files)

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        with ngclient.NgUdpClient(self.ng_address, timeout=0.2) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self.returncode = self.process.returncode
                    raise RuntimeError(f"{self.name} exited with {self.returncode} before answering ping\n{self.log()}")
                try:
                    if client.request({"command": "ping"}).get("result") == "pong":
                        return
                except (ngclient.NgTimeout, ValueError, OSError):
                    pass
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"{self.name} did not answer ping within {READY_TIMEOUT} s\n{self.log()}")

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Sends `sig` and waits for the exit. Returns the exit code, or None when the
        daemon did not exit within `timeout` and had to be killed."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        if not self.killed:
            self.returncode = self.process.returncode
        self._close_log()
        return self.returncode

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT)
            self.killed = True
        self._close_log()

    def _close_log(self):
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def log(self, tail=20000):
        try:
            text = self.log_path.read_bytes().decode("utf-8", "replace")
        except OSError as error:
            return f"(no log: {error})"
        return text if len(text) <= tail else "...\n" + text[-tail:]

    def client(self):
        return ngclient.NgUdpClient(self.ng_address)

    def tcp_client(self):
        return ngclient.NgTcpClient(self.tcp_address)


class RtpEngine(Daemon):
    """rtpengine 10.5 (Debian's rtpengine-daemon), the reference implementation that the differential tests send
    the same requests to: in the foreground, userspace only (--table=-1: no kernel module), media on 127.0.0.1."""

    name = "rtpengine"
    missing_hint = "scripts/install-deps installs rtpengine-daemon"

    def __init__(self, log_path, port_range, *, extra_args=()):
        super().__init__(log_path, port_range)
        self.binary = pathlib.Path(shutil.which("rtpengine") or "/usr/bin/rtpengine")
        self.args = [
            str(self.binary),
            "--config-file=none",
            "--table=-1",
            "--foreground",
            "--log-stderr",
            "--interface=127.0.0.1",
            f"--listen-ng=127.0.0.1:{self.ng_address[1]}",
            f"--port-min={self.port_min}",
            f"--port-max={self.port_max}",
            "--num-threads=1",
            "--media-num-threads=1",
            "--timeout=60",
            "--delete-delay=0",
            "--log-level=6",
            *extra_args,
        ]
