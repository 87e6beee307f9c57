#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evgw-web's HTTP side against the real evgwd --demo, with Python's
standard library as the client: malformed and oversized requests, slow
clients, 100 event streams at once, the stream bound, CSRF and login
refusals, and the daemon restarting under the page.
usage: test_web_http.py EVGWD EVGW_WEB"""
import http.client
import json
import os
import re
import selectors
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webrig import Rig  # noqa: E402

EVGWD = EVGW_WEB = None
IDLE = 3


def raw(port, data, timeout=5.0):
    """Send bytes, read until the server closes or timeout: the reply."""
    s = socket.create_connection(("127.0.0.1", port), timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except socket.timeout:
        pass
    s.close()
    return out


def status_of(reply):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    return int(m.group(1)) if m else None


class WebHttp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rig = Rig(EVGWD, EVGW_WEB, max_streams=120, idle_timeout=IDLE)
        cls.rig.start_daemon()
        cls.rig.start_web()
        cls.port = cls.rig.port

    @classmethod
    def tearDownClass(cls):
        problem = cls.rig.close()
        if problem:
            raise AssertionError(problem)

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data

    def session(self):
        """A CSRF token and its cookie, as the page gets them."""
        r, data = self.request("GET", "/api/session")
        self.assertEqual(r.status, 200)
        cookie = r.getheader("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        token = json.loads(data)["result"]["csrf"]
        self.assertEqual(cookie.split(";")[0], "evgw_csrf=" + token)
        return token

    def post(self, path, obj, token, cookies="", origin=None):
        headers = {"Content-Type": "application/json", "X-CSRF-Token": token,
                   "Cookie": "evgw_csrf=" + token + cookies}
        if origin:
            headers["Origin"] = origin
        r, data = self.request("POST", path, json.dumps(obj), headers)
        return r, json.loads(data)

    # -- the page and its headers --

    def test_page_and_security_headers(self):
        r, data = self.request("GET", "/")
        self.assertEqual(r.status, 200)
        self.assertIn(b'src="/static/app.js"', data)
        csp = r.getheader("Content-Security-Policy")
        for part in ("default-src 'none'", "script-src 'self'", "style-src 'self'",
                     "frame-ancestors 'none'"):
            self.assertIn(part, csp)
        self.assertNotIn("unsafe", csp)
        self.assertEqual(r.getheader("X-Content-Type-Options"), "nosniff")
        # No inline script or style in the files served (the CSP forbids them).
        for path in ("/", "/report"):
            _, html = self.request("GET", path)
            self.assertIsNone(re.search(rb"<script>|<script [^>]*>[^<]", html))
            self.assertNotIn(b"style=", html)
            self.assertNotIn(b"<style", html)

    def test_api_forwards_to_daemon(self):
        r, data = self.request("GET", "/api/buses")
        self.assertEqual(r.status, 200)
        reply = json.loads(data)
        self.assertTrue(reply["ok"])
        self.assertEqual(sorted(b["name"] for b in reply["result"]), ["car", "ebus"])
        r, data = self.request("GET", "/api/signals?glob=SOC")
        names = {(s["bus"], s["signal"]) for s in json.loads(data)["result"]}
        self.assertEqual(names, {("car", "SOC")})

    def test_language(self):
        for header, want in (("ru-RU,ru;q=0.9,en;q=0.8", "ru"), ("en-US,en;q=0.9", "en"),
                             ("de-DE,ru;q=0.5", "ru"), ("fr", "en")):
            r, data = self.request("GET", "/api/session", headers={"Accept-Language": header})
            self.assertEqual(json.loads(data)["result"]["lang"], want, header)
        # The page's switch (a cookie) wins over the browser's header.
        r, data = self.request("GET", "/api/session", headers={"Accept-Language": "ru", "Cookie": "evgw_lang=en"})
        self.assertEqual(json.loads(data)["result"]["lang"], "en")
        r, data = self.request("GET", "/i18n/ru.json")
        self.assertEqual(json.loads(data)["Vehicle"], "Автомобиль")

    def test_refuses_network_without_opt_in(self):
        """Beyond loopback only with network = yes and a password; a bad
        configuration names its file and line."""
        def run(args, conf):
            path = os.path.join(self.rig.dir, "other.conf")
            with open(path, "w") as f:
                f.write(conf)
            return subprocess.run([EVGW_WEB, "--config", path] + args, capture_output=True, text=True,
                                  timeout=10)
        pw = "password_file = %s/none\n" % self.rig.dir
        r = run(["--listen", "0.0.0.0:1"], "[web]\n" + pw)
        self.assertEqual(r.returncode, 1)
        self.assertIn("network = yes", r.stderr)
        r = run(["--listen", "0.0.0.0:1"], "[web]\nnetwork = yes\n" + pw)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--set-password", r.stderr)
        r = run([], "[web]\nmax_streams = 0\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn("other.conf:2:", r.stderr)
        r = run([], "[web]\nlisten = nowhere\n")
        self.assertIn("other.conf:2:", r.stderr)
        r = run([], "[webb]\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn("other.conf:1:", r.stderr)
        r = subprocess.run([EVGW_WEB, "--listen", "127.0.0.1"], capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn("ADDR:PORT", r.stderr)

    # -- bad requests --

    def test_bad_requests(self):
        # A request line without a version: closed without an answer
        # (libmicrohttpd's way with HTTP/0.9-looking lines).
        self.assertIn(status_of(raw(self.port, b"GARBAGE\r\n\r\n")), (None, 400))
        self.assertEqual(status_of(raw(self.port, b"GET / FOO\r\n\r\n")), 400)
        self.assertEqual(status_of(raw(self.port, b"GET / HTTP/9.9\r\nHost: x\r\n\r\n")), 505)
        # HTTP/1.1 without Host (RFC 9112 3.2).
        self.assertEqual(status_of(raw(self.port, b"GET / HTTP/1.1\r\n\r\n")), 400)
        r, _ = self.request("PUT", "/", b"x")
        self.assertEqual(r.status, 405)
        r, _ = self.request("DELETE", "/api/faults")
        self.assertEqual(r.status, 405)
        r, _ = self.request("GET", "/nothing-here")
        self.assertEqual(r.status, 404)
        r, _ = self.request("GET", "/api/nothing")
        self.assertEqual(r.status, 404)
        r, _ = self.request("GET", "/recordings/..%2F..%2Fetc%2Fpasswd")
        self.assertIn(r.status, (400, 404))
        r, _ = self.request("GET", "/recordings/.hidden")
        self.assertEqual(r.status, 400)
        r, _ = self.request("GET", "/api/signals?glob=" + "x" * 300)
        self.assertEqual(r.status, 400)
        token = self.session()
        # A body that is not JSON, and one over the 8192-byte bound.
        r, data = self.request("POST", "/api/read-dtc", b"{not json", {
            "X-CSRF-Token": token, "Cookie": "evgw_csrf=" + token})
        self.assertEqual((r.status, json.loads(data)["error"]["code"]), (400, "bad_json"))
        r, data = self.request("POST", "/api/read-dtc", b"[" + b"1," * 5000 + b"1]", {
            "X-CSRF-Token": token, "Cookie": "evgw_csrf=" + token})
        self.assertEqual(r.status, 413)
        # Still serving.
        r, _ = self.request("GET", "/api/session")
        self.assertEqual(r.status, 200)

    def test_oversized_headers(self):
        big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n"
        reply = raw(self.port, big)
        self.assertIn(status_of(reply), (413, 431))
        many = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(
            b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(400)) + b"\r\n"
        self.assertIn(status_of(raw(self.port, many)), (413, 431))
        r, _ = self.request("GET", "/")
        self.assertEqual(r.status, 200)

    # -- slow clients --

    def test_slow_clients_are_cut_off(self):
        """A client that sends half a request, and one that sends a byte
        at a time slower than the idle timeout, are closed after it; others
        are served meanwhile."""
        half = socket.create_connection(("127.0.0.1", self.port))
        half.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        drip = socket.create_connection(("127.0.0.1", self.port))
        drip.sendall(b"G")
        t0 = time.monotonic()
        r, _ = self.request("GET", "/api/session")
        self.assertEqual(r.status, 200)
        self.assertLess(time.monotonic() - t0, 5.0)  # not held up (a loaded, sanitized build)
        half.settimeout(IDLE + 10)
        self.assertEqual(half.recv(100), b"")  # closed by the server
        waited = time.monotonic() - t0
        self.assertGreaterEqual(waited, IDLE - 0.5)
        self.assertLess(waited, IDLE + 8)
        drip.settimeout(IDLE + 10)
        self.assertEqual(drip.recv(100), b"")
        half.close()
        drip.close()

    def test_stream_that_does_not_read(self):
        """An event stream whose reader stops reading costs bounded memory
        and is closed after the idle timeout; the server's RSS stays put."""
        rss0 = self.rig.rss_kb()
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", self.port))
        s.sendall(b"GET /events HTTP/1.0\r\n\r\n")
        time.sleep(IDLE + 4)
        self.assertLess(self.rig.rss_kb() - rss0, 8 * 1024)
        s.close()

    # -- event streams --

    def open_streams(self, n):
        socks = []
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", self.port), 10)
            s.sendall(b"GET /events HTTP/1.0\r\n\r\n")
            socks.append(s)
        return socks

    def wait_for(self, socks, needles, timeout):
        """Read every socket until each has seen every needle."""
        sel = selectors.DefaultSelector()
        got = {s: b"" for s in socks}
        for s in socks:
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
        missing = set(socks)
        deadline = time.monotonic() + timeout
        while missing and time.monotonic() < deadline:
            for key, _ in sel.select(0.5):
                s = key.fileobj
                try:
                    b = s.recv(65536)
                except BlockingIOError:
                    continue
                if not b:
                    sel.unregister(s)
                    continue
                got[s] = (got[s] + b)[-200000:]
                if all(n in got[s] for n in needles):
                    missing.discard(s)
        sel.close()
        return got, missing

    def test_100_event_streams(self):
        socks = self.open_streams(100)
        try:
            got, missing = self.wait_for(socks, [b"200 OK", b"text/event-stream", b"event: daemon\ndata: {\"up\":true}",
                                                 b"event: signals\ndata: {", b"event: buses\n"], 20)
            self.assertEqual(len(missing), 0, "%d of 100 streams saw no signals" % len(missing))
            # A value in a stream is evgwd's own event line.
            sample = got[socks[0]].split(b"event: signals\ndata: ", 1)[1].split(b"\n", 1)[0]
            ev = json.loads(sample)
            self.assertEqual((ev["type"], ev["topic"]), ("event", "signals"))
            r, _ = self.request("GET", "/api/session")
            self.assertEqual(r.status, 200)
            # The stream bound (max_streams = 120): 20 more fit, then 503.
            more = self.open_streams(21)
            replies = [raw_first(s) for s in more]
            self.assertEqual(sum(1 for x in replies if status_of(x) == 200), 20)
            self.assertEqual(sum(1 for x in replies if status_of(x) == 503), 1)
            for s in more:
                s.close()
        finally:
            for s in socks:
                s.close()

    # -- CSRF and login --

    def test_csrf_and_login(self):
        token = self.session()
        body = {"bus": "car", "ecu": "7E7"}
        # No token at all.
        r, data = self.request("POST", "/api/clear-dtc", json.dumps(body), {"Content-Type": "application/json"})
        self.assertEqual((r.status, json.loads(data)["error"]["code"]), (403, "csrf"))
        # A header that is not the cookie's token.
        r, data = self.request("POST", "/api/clear-dtc", json.dumps(body), {
            "X-CSRF-Token": "A" * 43, "Cookie": "evgw_csrf=" + token})
        self.assertEqual((r.status, json.loads(data)["error"]["code"]), (403, "csrf"))
        # The right token sent from another site's page.
        r, reply = self.post("/api/clear-dtc", body, token, origin="http://evil.example")
        self.assertEqual((r.status, reply["error"]["code"]), (403, "csrf"))
        # The right token, our own origin, no login: refused before the daemon.
        r, reply = self.post("/api/clear-dtc", body, token, origin="http://127.0.0.1:%d" % self.port)
        self.assertEqual((r.status, reply["error"]["code"]), (401, "login_required"))
        r, reply = self.post("/api/record", {"action": "start", "bus": "car", "file": "x.log"}, token)
        self.assertEqual((r.status, reply["error"]["code"]), (401, "login_required"))
        # Fetch Metadata: another site's page may not even read, nor stream.
        r, data = self.request("GET", "/api/faults", headers={"Sec-Fetch-Site": "cross-site"})
        self.assertEqual((r.status, json.loads(data)["error"]["code"]), (403, "csrf"))
        r, data = self.request("GET", "/events", headers={"Sec-Fetch-Site": "same-site"})
        self.assertEqual(r.status, 403)
        r, data = self.request("GET", "/api/faults", headers={"Sec-Fetch-Site": "same-origin"})
        self.assertEqual(r.status, 200)
        # What sends frames on a bus is never a GET (an <img> could make one).
        r, data = self.request("GET", "/api/battery?bus=car")
        self.assertEqual(r.status, 404)
        r, data = self.request("GET", "/api/read-dtc?bus=car&ecu=7E7")
        self.assertEqual(r.status, 404)
        r, reply = self.post("/api/battery", {"bus": "car"}, token)
        self.assertTrue(reply["ok"], reply)
        self.assertEqual(reply["result"]["bus"], "car")
        # A forged session cookie.
        r, reply = self.post("/api/clear-dtc", body, token, "; evgw_session=" + "B" * 43)
        self.assertEqual(r.status, 401)
        # Reading needs no login.
        r, reply = self.post("/api/read-dtc", body, token)
        self.assertEqual(r.status, 200)
        self.assertTrue(reply["ok"], reply)
        # Login: none set, then a wrong one, then the right one.
        if os.path.exists(self.rig.password_file):
            os.unlink(self.rig.password_file)
        r, reply = self.post("/api/login", {"password": "whatever1"}, token)
        self.assertEqual((r.status, reply["error"]["code"]), (403, "no_password"))
        self.rig.set_password("shop-secret-1")
        with open(self.rig.password_file) as f:
            self.assertTrue(f.read().startswith("$y$"))  # yescrypt
        self.assertEqual(os.stat(self.rig.password_file).st_mode & 0o777, 0o600)
        r, reply = self.post("/api/login", {"password": "wrong-secret"}, token)
        self.assertEqual((r.status, reply["error"]["code"]), (403, "wrong_password"))
        time.sleep(1.1)  # failed logins are limited per second
        r, reply = self.post("/api/login", {"password": "shop-secret-1"}, token)
        self.assertEqual(r.status, 200, reply)
        cookie = r.getheader("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        session = cookie.split(";")[0]
        self.assertTrue(session.startswith("evgw_session="))
        r, data = self.request("GET", "/api/session", headers={"Cookie": session})
        self.assertTrue(json.loads(data)["result"]["logged_in"])
        # Logged in, but without the CSRF token: still refused.
        r, data = self.request("POST", "/api/clear-dtc", json.dumps(body), {"Cookie": session})
        self.assertEqual(r.status, 403)
        # Logged in with the token: evgwd clears (the test runs it as its admin).
        r, reply = self.post("/api/clear-dtc", body, token, "; " + session)
        self.assertEqual(r.status, 200)
        if os.geteuid() == 0:
            self.assertTrue(reply["ok"], reply)
            self.assertEqual(reply["result"]["ecus"][0]["ecu"], 0x7E7)
            self.assertTrue(reply["result"]["ecus"][0]["cleared"])
        # Recordings: start and stop one (logged in), list it, download it.
        name = "web-test-%d.log" % os.getpid()
        r, reply = self.post("/api/record", {"action": "start", "bus": "car", "file": name}, token, "; " + session)
        self.assertTrue(reply["ok"], reply)
        self.assertTrue(reply["result"]["file"].endswith("/recordings/" + name))
        time.sleep(1.0)
        r, reply = self.post("/api/record", {"action": "stop", "bus": "car"}, token, "; " + session)
        self.assertTrue(reply["ok"], reply)
        frames = reply["result"]["frames"]
        self.assertGreater(frames, 50)  # the demo car sends about 270 frames a second
        r, data = self.request("GET", "/api/recordings")
        listed = {f["name"]: f for f in json.loads(data)["result"]}
        self.assertIn(name, listed)
        self.assertEqual(listed[name]["bytes"], reply["result"]["bytes"])
        r, data = self.request("GET", "/recordings/" + name)
        self.assertEqual(r.status, 200)
        self.assertIn(name, r.getheader("Content-Disposition"))
        lines = data.decode().splitlines()
        self.assertTrue(lines[0].startswith("#"))
        frame_lines = [x for x in lines if not x.startswith("#")]
        self.assertEqual(len(frame_lines), frames)
        self.assertRegex(frame_lines[0], r"^\(\d+\.\d{6}\) car [0-9A-F]{3}#[0-9A-F]*( T)?$")
        # Logout ends the session.
        r, reply = self.post("/api/logout", {}, token, "; " + session)
        self.assertEqual(r.status, 200)
        r, reply = self.post("/api/clear-dtc", body, token, "; " + session)
        self.assertEqual((r.status, reply["error"]["code"]), (401, "login_required"))

    def test_zz_daemon_restart(self):
        """The stream says when evgwd goes and comes back (runs last)."""
        s = self.open_streams(1)[0]
        try:
            _, missing = self.wait_for([s], [b'event: daemon\ndata: {"up":true}'], 10)
            self.assertFalse(missing)
            self.rig.stop_daemon()
            _, missing = self.wait_for([s], [b'event: daemon\ndata: {"up":false}'], 10)
            self.assertFalse(missing)
            r, data = self.request("GET", "/api/status")
            self.assertEqual((r.status, json.loads(data)["error"]["code"]), (502, "daemon_down"))
            self.rig.start_daemon()
            # What follows "down" on the same stream: "up" and values again.
            got, missing = self.wait_for([s], [b'event: daemon\ndata: {"up":true}', b"event: signals"], 15)
            self.assertFalse(missing)
        finally:
            s.close()


def raw_first(s):
    s.settimeout(5)
    try:
        return s.recv(4096)
    except socket.timeout:
        return b""


if __name__ == "__main__":
    EVGWD, EVGW_WEB = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
