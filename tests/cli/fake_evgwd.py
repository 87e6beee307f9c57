# SPDX-License-Identifier: MIT
"""A stand-in for evgwd that answers with replies a test wrote by hand
(from gateway/api/PROTOCOL.md and the issue-13 shapes), so the CLI's
printers are checked against shapes the real daemon may not send yet, and
the requests the CLI sends can be read back. Standard library only."""
import json
import os
import socket
import threading


class FakeDaemon:
    """answer(request) returns what to send back: a dict {"result": ...},
    {"raw": "<result as JSON text>"} (numbers exactly as written there) or
    {"error": {...}}, optionally with "events": [event dicts] sent after the
    reply and "close": True to hang up after them."""

    def __init__(self, path, answer):
        self.path = path
        self.answer = answer
        self.requests = []
        self.lock = threading.Lock()
        if os.path.exists(path):
            os.unlink(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(16)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        if os.path.exists(self.path):
            os.unlink(self.path)

    def cmds(self):
        with self.lock:
            return [r.get("cmd") for r in self.requests]

    def last(self, cmd):
        with self.lock:
            for r in reversed(self.requests):
                if r.get("cmd") == cmd:
                    return r
        return None

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buf = b""
        with conn:
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    req = json.loads(line)
                    with self.lock:
                        self.requests.append(req)
                    out = self.answer(req) or {"result": {}}
                    reply = {"type": "reply", "id": req.get("id")}
                    if "error" in out:
                        reply.update(ok=False, error=out["error"])
                    elif "raw" not in out:
                        reply.update(ok=True, result=out["result"])
                    text = json.dumps(reply) + "\n"
                    if "raw" in out:
                        text = text[:-2] + ', "ok": true, "result": ' + out["raw"] + "}\n"
                    for ev in out.get("events", []):
                        text += json.dumps(dict({"type": "event"}, **ev)) + "\n"
                    conn.sendall(text.encode())
                    if out.get("close"):
                        return
