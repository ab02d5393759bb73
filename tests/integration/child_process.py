"""A program a test runs beside the daemon (a proxy, a phone): its output goes to a log file, whose tail a failing
test shows; it is stopped with SIGTERM, and killed if it does not go."""

import signal
import subprocess

STOP_TIMEOUT = 10.0


class ChildProcess:
    def __init__(self, command, log_path, cwd):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, cwd=cwd)

    def log(self, tail=6000):
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-tail:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
