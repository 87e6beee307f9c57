# SPDX-License-Identifier: MIT
"""Starts the real evgwd --demo and the real evgw-web for the web tests
(standard library only): temporary directories, a free port, teardown."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rig:
    def __init__(self, evgwd, web, extra_conf="", max_streams=128, idle_timeout=30):
        self.evgwd_path, self.web_path = evgwd, web
        self.dir = tempfile.mkdtemp(prefix="evgw-web-test-")
        os.chmod(self.dir, 0o700)
        self.sock = os.path.join(self.dir, "evgw.sock")
        self.state = os.path.join(self.dir, "state")
        self.port = free_port()
        self.conf = os.path.join(self.dir, "web.conf")
        self.password_file = os.path.join(self.dir, "password")
        with open(self.conf, "w") as f:
            f.write("[web]\nlisten = 127.0.0.1:%d\nsocket = %s\npassword_file = %s\n"
                    "recordings_dir = %s/recordings\nmax_streams = %d\nidle_timeout = %d\n%s"
                    % (self.port, self.sock, self.password_file, self.state, max_streams,
                       idle_timeout, extra_conf))
        self.daemon = None
        self.web = None

    def start_daemon(self, config=None):
        """evgwd --demo, or with a configuration text of the caller's."""
        self.daemon_log = open(os.path.join(self.dir, "evgwd.log"), "ab")
        what = ["--demo"]
        if config is not None:
            path = os.path.join(self.dir, "evgw.conf")
            with open(path, "w") as f:
                f.write(config)
            what = ["--config", path]
        self.daemon = subprocess.Popen(
            [self.evgwd_path] + what + ["--socket", self.sock, "--state-dir", self.state,
                                        "--foreground"], stdout=self.daemon_log, stderr=subprocess.STDOUT)
        for _ in range(100):
            if os.path.exists(self.sock):
                return
            time.sleep(0.05)
        raise RuntimeError("evgwd did not make its socket")

    def stop_daemon(self):
        if self.daemon:
            self.daemon.send_signal(signal.SIGTERM)
            self.daemon.wait(10)
            self.daemon = None
            self.daemon_log.close()

    def start_web(self):
        self.web_log = open(os.path.join(self.dir, "web.log"), "ab")
        self.web = subprocess.Popen([self.web_path, "--config", self.conf],
                                    stdout=self.web_log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if self.web.poll() is not None:
                    raise RuntimeError("evgw-web exited: " + self.log("web.log"))
                time.sleep(0.05)
        raise RuntimeError("evgw-web does not listen")

    def set_password(self, pw):
        r = subprocess.run([self.web_path, "--config", self.conf, "--set-password"],
                           input=pw + "\n", text=True, capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)

    def daemon_request(self, obj):
        """One request straight to evgwd's socket (not through evgw-web)."""
        import json
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.sock)
            s.sendall((json.dumps(obj) + "\n").encode())
            f = s.makefile("rb")
            while True:
                reply = json.loads(f.readline())
                if reply.get("type") == "reply":
                    return reply

    def log(self, name):
        with open(os.path.join(self.dir, name), errors="replace") as f:
            return f.read()

    def rss_kb(self):
        with open("/proc/%d/status" % self.web.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def close(self):
        """Stop both; what went wrong with evgw-web (its exit status, a
        sanitizer's report) is returned as text, "" when nothing did."""
        problem = ""
        if self.web:
            self.web.send_signal(signal.SIGTERM)
            try:
                rc = self.web.wait(10)
            except subprocess.TimeoutExpired:
                self.web.kill()
                self.web.wait()
                rc = "hung on SIGTERM"
            self.web_log.close()
            log = self.log("web.log")
            if rc != 0 or "Sanitizer" in log or "runtime error" in log:
                problem = "evgw-web ended with %s:\n%s" % (rc, log[-4000:])
        self.stop_daemon()
        shutil.rmtree(self.dir, ignore_errors=True)
        return problem
