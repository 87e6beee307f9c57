# SPDX-License-Identifier: MIT
"""A small client for evgwd's JSON-lines socket protocol (gateway/api/PROTOCOL.md).

Written from PROTOCOL.md alone, independently of the C CLI, with Python's
standard library only -- what a shop's script author would write.

    c = EvgwClient("/run/evgw/evgw.sock")
    hello = c.call("hello")                    # the result, or raises EvgwError
    reply = c.request("signals", glob="SOC*")  # the whole reply object
    c.call("subscribe", topic="signals", glob="SOC", max_rate=5)
    ev = c.read_event(timeout=2.0)             # None on timeout

Replies are matched by "type" and "id"; events that arrive in between are
kept, in order, for read_event().
"""

import collections
import json
import select
import socket
import time

__all__ = ["EvgwClient", "EvgwError", "ProtocolError", "parse_compact_frame"]


class EvgwError(Exception):
    """An error reply: .code and .message from the reply's "error" object."""

    def __init__(self, code, message, reply=None):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.reply = reply


class ProtocolError(Exception):
    """The daemon sent something the protocol does not allow (or hung up)."""


class EvgwClient:
    def __init__(self, path, timeout=5.0, connect=True):
        self.path = path
        self.timeout = timeout
        self.sock = None
        self._buf = b""
        self._next_id = 1
        self.events = collections.deque()   # events not read yet
        self.stray = collections.deque()    # replies nobody waited for
        self.eof = False
        if connect:
            self.connect()

    # --- connection -----------------------------------------------------

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    s.connect(self.path)
                    break
                except BlockingIOError:
                    # A Unix socket's full listen backlog is EAGAIN, not a
                    # wait: try again until the deadline.
                    if time.monotonic() >= deadline:
                        raise TimeoutError("connect %s: the daemon does not accept" % self.path)
                    time.sleep(0.005)
        except BaseException:
            s.close()
            raise
        s.setblocking(False)
        self.sock = s
        return self

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def fileno(self):
        return self.sock.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- raw I/O --------------------------------------------------------

    def send_raw(self, data, timeout=None):
        """Write bytes (all of them, within timeout)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("send: the daemon does not take our data")
            _, w, _ = select.select([], [self.sock], [], left)
            if not w:
                continue
            try:
                n = self.sock.send(view)
            except BlockingIOError:
                continue
            view = view[n:]

    def send(self, obj):
        """Write one request object as a JSON line."""
        self.send_raw(json.dumps(obj, separators=(",", ":")) + "\n")

    def _fill(self, timeout):
        """Read what is available (waiting up to timeout). False on timeout."""
        if self.eof:
            raise ProtocolError("the daemon closed the connection")
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return False
        try:
            data = self.sock.recv(1 << 16)
        except BlockingIOError:
            return True
        if not data:
            self.eof = True
            raise ProtocolError("the daemon closed the connection")
        self._buf += data
        return True

    def read_line(self, timeout=None):
        """One raw line (bytes, without the newline), or None on timeout.
        Raises ProtocolError at end of stream."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            nl = self._buf.find(b"\n")
            if nl >= 0:
                line, self._buf = self._buf[:nl], self._buf[nl + 1:]
                return line
            if self.eof:
                raise ProtocolError("the daemon closed the connection")
            left = deadline - time.monotonic()
            # Always look once, even with no time left (timeout 0 = poll).
            if not self._fill(max(0.0, left)) and left <= 0:
                return None

    def read_message(self, timeout=None):
        """The next JSON object from the daemon, or None on timeout."""
        while True:
            line = self.read_line(timeout)
            if line is None:
                return None
            if not line.strip():
                continue
            try:
                msg = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise ProtocolError("not a JSON line: %r (%s)" % (line[:200], e))
            if not isinstance(msg, dict) or msg.get("type") not in ("reply", "event"):
                raise ProtocolError("not a reply or an event: %r" % (line[:200],))
            return msg

    def wait_closed(self, timeout=None):
        """True if the daemon closes the connection within timeout (pending
        lines are read and kept)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                msg = self.read_message(left)
                if msg is not None:
                    self._keep(msg)
        except ProtocolError:
            return self.eof
        except (ConnectionResetError, BrokenPipeError):
            return True

    def _keep(self, msg):
        if msg.get("type") == "event":
            self.events.append(msg)
        else:
            self.stray.append(msg)

    # --- requests -------------------------------------------------------

    def new_id(self):
        rid = self._next_id
        self._next_id += 1
        return rid

    def read_reply(self, rid, timeout=None):
        """The reply whose id is rid; events met on the way are kept."""
        for i, msg in enumerate(self.stray):
            if msg.get("id") == rid:
                del self.stray[i]
                return msg
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply to request id %r within the deadline" % (rid,))
            msg = self.read_message(left)
            if msg is None:
                continue
            if msg["type"] == "reply" and msg.get("id") == rid:
                return msg
            self._keep(msg)

    def request(self, cmd, timeout=None, **args):
        """Send {"cmd": cmd, "id": <fresh>, **args}; return the whole reply."""
        rid = self.new_id()
        req = {"cmd": cmd, "id": rid}
        req.update(args)
        self.send(req)
        return self.read_reply(rid, timeout)

    def call(self, cmd, timeout=None, **args):
        """request(), returning the result or raising EvgwError."""
        reply = self.request(cmd, timeout=timeout, **args)
        if reply.get("ok") is True:
            return reply.get("result")
        err = reply.get("error") or {}
        raise EvgwError(err.get("code"), err.get("message"), reply)

    # --- events ---------------------------------------------------------

    def read_event(self, timeout=None):
        """The next event (kept ones first), or None on timeout."""
        if self.events:
            return self.events.popleft()
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            msg = self.read_message(left)
            if msg is None:
                return None
            if msg["type"] == "event":
                return msg
            self.stray.append(msg)

    def events_for(self, seconds, sub=None):
        """Every event read during the next `seconds` (of subscription sub if given)."""
        out = []
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return out
            ev = self.read_event(left)
            if ev is None:
                return out
            if sub is None or ev.get("sub") == sub:
                out.append(ev)


def parse_compact_frame(text):
    """can-utils' compact frame text -> (id, extended, flags, data, kind).

    kind is "data", "remote" or "fd". Raises ValueError on anything else.
    Accepts 123#11223344, 12345678#..., 123#R, 123#R4, 123##<flags><data>,
    and the raw-DLC suffix 123#1122_C."""
    if "#" not in text:
        raise ValueError("no '#' in %r" % text)
    ident, body = text.split("#", 1)
    if len(ident) not in (3, 8) or any(c not in "0123456789ABCDEFabcdef" for c in ident):
        raise ValueError("bad id in %r" % text)
    can_id = int(ident, 16)
    extended = len(ident) == 8
    if extended and can_id > 0x1FFFFFFF or not extended and can_id > 0x7FF:
        raise ValueError("id out of range in %r" % text)

    def hexbytes(s):
        s = s.replace(".", "")
        if len(s) % 2 or any(c not in "0123456789ABCDEFabcdef" for c in s):
            raise ValueError("bad data in %r" % text)
        return bytes.fromhex(s)

    if body.startswith("#"):
        if len(body) < 2 or body[1] not in "0123456789ABCDEFabcdef":
            raise ValueError("bad FD flags in %r" % text)
        data = hexbytes(body[2:])
        if len(data) > 64:
            raise ValueError("FD frame too long in %r" % text)
        return can_id, extended, int(body[1], 16), data, "fd"
    if body[:1] in ("R", "r"):
        rest = body[1:]
        if rest and (len(rest) != 1 or rest not in "012345678"):
            raise ValueError("bad remote frame %r" % text)
        return can_id, extended, 0, b"", "remote"
    if "_" in body:
        body, dlc = body.split("_", 1)
        if len(dlc) != 1 or dlc not in "9ABCDEFabcdef":
            raise ValueError("bad raw DLC in %r" % text)
    data = hexbytes(body)
    if len(data) > 8:
        raise ValueError("classic frame longer than 8 bytes in %r" % text)
    return can_id, extended, 0, data, "data"
