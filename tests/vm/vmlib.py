# SPDX-License-Identifier: MIT
"""What the real-kernel tests share: running commands, waiting for a
condition, and a real evgwd with its own config, socket and log."""

import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from evgw_client import EvgwClient  # noqa: E402


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True).stdout


def wait_until(pred, timeout, what, interval=0.05):
    """pred()'s first true value; AssertionError after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def connect_daemon(sock, proc, timeout=20, client_timeout=20):
    """A client of the evgwd running as proc, once it listens (the socket
    file appears at bind(), before listen()); None if it exited first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        try:
            return EvgwClient(sock, timeout=client_timeout)
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                raise AssertionError("evgwd did not listen on %s within %d s" % (sock, timeout))
            time.sleep(0.05)
    return None


class Daemon:
    """evgwd with `buses` (INI [bus ...] sections) in a fresh directory."""

    def __init__(self, buses, evgwd=None, prefix="evgw-vm-"):
        evgwd = evgwd or os.environ["EVGWD"]
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.sock = os.path.join(self.dir, "evgw.sock")
        self.conf = os.path.join(self.dir, "evgw.conf")
        with open(self.conf, "w") as f:
            f.write("[gateway]\nsocket = %s\nstate_dir = %s/state\nlog_level = debug\n"
                    % (self.sock, self.dir))
            f.write(buses)
        self.log = open(os.path.join(self.dir, "evgwd.log"), "w+")  # noqa: SIM115
        self.proc = subprocess.Popen([evgwd, "--config", self.conf], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.client = connect_daemon(self.sock, self.proc)
        if self.client is None:
            raise AssertionError("evgwd exited: " + self.logtext())

    def bus(self, name):
        for b in self.client.call("buses"):
            if b["name"] == name:
                return b
        raise KeyError(name)

    def wait_state(self, name, state, timeout=20):
        try:
            return wait_until(lambda: self.bus(name)["state"] == state, timeout,
                              "bus %s %s" % (name, state))
        except AssertionError:
            print(self.bus(name), self.logtext(), file=sys.stderr)
            raise

    def signal(self, name):
        """The first signal matching name, or None."""
        for s in self.client.call("signals", glob=name):
            return s
        return None

    def signals(self, name):
        """The signals matching name, by bus."""
        return {s["bus"]: s for s in self.client.call("signals", glob=name)}

    def logtext(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """SIGTERM; the exit status (the log is printed when it is not 0)."""
        self.client.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        rc = self.proc.returncode
        if rc != 0:
            print(self.logtext(), file=sys.stderr)
        self.log.close()
        return rc
