"""Integration tests of rtcgated: the real daemon, driven over real loopback sockets.

Run them with `scripts/test` (builds, runs the unit tests, then this suite in a
loopback-only network namespace when the machine allows one), or by hand after
building:

    /usr/bin/python3 -m pytest tests/integration -v          # tests build/rtcgated
    RTCGATED=/path/to/rtcgated /usr/bin/python3 -m pytest tests/integration -v -k hold

Only Debian's python3 and python3-pytest are used: the bencode codec, the ng
client, RTP/RTCP packets and SDP are the small helper modules next to this file.

Each test that needs a daemon gets its own (fixtures `rtcgated` and
`start_daemon`): a free ng port (bind probe), its own block of media ports below
the ephemeral range, --log-level=7 with stderr in the test's tmp dir (appended
to the report of a failing test). At teardown every daemon still running gets
SIGTERM and must exit 0 within 10 s. Every wait in the suite is bounded.

The differential tests (issue 11) also start rtpengine 10.5, the reference
implementation (fixture `rtpengine`), the same way, and compare the SDPs of the
two through sdp_semantics.py.
"""

import resource

import pytest

from daemon import Daemon, MediaPortRanges, RtpEngine

_port_ranges = MediaPortRanges()


def pytest_configure(config):
    # 200 concurrent calls need 400+ sockets here and 800+ in the daemon (which inherits the limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for index, daemon in enumerate(getattr(item, "rtcgated_daemons", [])):
            report.sections.append((f"{daemon.name} #{index} log ({daemon.log_path})", daemon.log()))


@pytest.fixture
def start_daemon(request, tmp_path):
    """start_daemon(ports=40, num_threads=1, timeout=60, delete_delay=0, tcp=False, extra_args=())
    starts an rtcgated that is ready (answers ping) and returns its Daemon."""
    daemons = []
    request.node.rtcgated_daemons = daemons

    def start(*, ports=40, kind=Daemon, **options):
        daemon = kind(tmp_path / f"{kind.name}-{len(daemons)}.log", _port_ranges.allocate(ports), **options)
        daemons.append(daemon)
        return daemon.start()

    yield start

    problems = []
    for index, daemon in enumerate(daemons):
        if daemon.process is None or daemon.killed or (not daemon.running and daemon.returncode is not None):
            continue  # never started, failed to start, or the test stopped it and checked the exit itself
        was_running = daemon.running
        code = daemon.stop()
        if not was_running:
            problems.append(f"{daemon.name} #{index} died during the test with exit code {code}")
        elif code is None:
            problems.append(f"{daemon.name} #{index} did not exit within 10 s of SIGTERM (killed)")
        elif code != 0:
            problems.append(f"{daemon.name} #{index} exited with {code} after SIGTERM")
    if problems:
        logs = "\n".join(f"--- {d.name} #{i} log ---\n{d.log()}" for i, d in enumerate(daemons))
        pytest.fail("\n".join(problems) + "\n" + logs, pytrace=False)


@pytest.fixture
def rtcgated(start_daemon):
    """A ready rtcgated with the default test options (one thread, delete-delay 0)."""
    return start_daemon()


@pytest.fixture
def rtpengine(start_daemon):
    """A ready rtpengine (the reference implementation), stopped and checked like rtcgated."""
    return start_daemon(kind=RtpEngine)


@pytest.fixture
def ng(rtcgated):
    """A UDP ng client of the `rtcgated` fixture's daemon."""
    with rtcgated.client() as client:
        yield client
