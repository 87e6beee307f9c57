#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evgw_json_check (gateway/api/json_check.c) against Python's json module,
an independent RFC 8259 parser, on the same bytes: hand-written lines, random
valid requests written in varied styles, and random mutations of those.

Python in strict mode is the reference: json.loads(text, strict=True) with
NaN/Infinity refused (parse_constant), the bytes decoded as strict UTF-8
first. The validator's own rules on top of RFC 8259, applied here to
Python's result: the text must be one object, its values at most 32 levels
deep (the object is level 1, a member or element one below its container),
with at most one top-level "id" key. The one difference: Python accepts an
unpaired surrogate escape ("\\ud800") and the validator refuses it (RFC 8259,
section 8.2: its behaviour is unpredictable; json-c turns it into U+FFFD);
such lines are expected to be refused.

When both accept a line with an "id", the bytes the validator points at must
parse alone to the same value as the object's "id" (numbers compared as
written).

usage: json_crosscheck.py JSON_CHECK_DRIVER
"""

import json
import random
import subprocess
import sys

MAX_DEPTH = 32


class Refused(Exception):
    pass


def no_constants(name):
    raise Refused("constant " + name)


class Pairs(dict):
    """An object that remembers its keys in order, repeats included."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self.pairs = pairs


def loads(text):
    # Numbers kept as written, so that "1.0" and "1.00" stay apart.
    return json.loads(text, strict=True, parse_constant=no_constants,
                      parse_int=lambda s: ("int", s), parse_float=lambda s: ("num", s),
                      object_pairs_hook=Pairs)


def depth(v):
    """Levels as the validator and json-c count them: a value is one level
    below its container; the top-level object is level 1."""
    children = list(v.values()) if isinstance(v, dict) else v if isinstance(v, list) else []
    return 1 + max([depth(x) for x in children], default=0)


def has_surrogate(v):
    if isinstance(v, str):
        return any(0xD800 <= ord(ch) <= 0xDFFF for ch in v)
    if isinstance(v, Pairs):
        return any(has_surrogate(k) or has_surrogate(x) for k, x in v.pairs)
    if isinstance(v, list):
        return any(has_surrogate(x) for x in v)
    return False


def python_verdict(line):
    """(accepted, the top-level "id" value or a marker, why refused)."""
    try:
        text = line.decode("utf-8")
        obj = loads(text)
    except (UnicodeDecodeError, ValueError, Refused) as e:
        return False, None, str(e)
    except RecursionError:
        return False, None, "too deep for Python"
    if not isinstance(obj, dict):
        return False, None, "not an object"
    if depth(obj) > MAX_DEPTH:
        return False, None, "deeper than 32"
    if sum(1 for k, _ in obj.pairs if k == "id") > 1:
        return False, None, "two ids"
    if has_surrogate(obj):
        return False, None, "a lone surrogate (Python accepts it; the validator refuses it)"
    return True, obj.get("id", NO_ID), ""


NO_ID = object()

HAND = [
    # RFC 8259, section 13 (the first example, one object), and the second
    # example's array inside an object.
    b'{"Image": {"Width": 800, "Height": 600, "Title": "View from 15th Floor", '
    b'"Thumbnail": {"Url": "http://www.example.com/image/481989943", "Height": 125, '
    b'"Width": 100}, "Animated" : false, "IDs": [116, 943, 234, 38793]}}',
    b'{"a": [{"precision": "zip", "Latitude": 37.7668, "Longitude": -122.3959, '
    b'"Address": "", "City": "SAN FRANCISCO", "State": "CA", "Zip": "94107", "Country": "US"}, '
    b'{"precision": "zip", "Latitude": 37.371991, "Longitude": -122.026020, "Address": "", '
    b'"City": "SUNNYVALE", "State": "CA", "Zip": "94085", "Country": "US"}]}',
    b'"Hello world!"', b"42", b"true", b"[]", b"null",
    # The review's A1-A4 lines.
    b"{'cmd':'hello'}", b'{"cmd":"hello","id":2,}', b'{"cmd":"hello","id":4 /* c */}',
    b'{"cmd":"hello","id":NaN}', b'{"cmd":"hello","id":Infinity}', b'{"cmd":"hello","id":True}',
    b'{"cmd":"hello","id":007}', b'{"cmd":"hello","id":1.}', b'{"cmd":"sta',
    b'{"cmd":"hello","id":5} // c', b'{"cmd":"hello","id":123456789012345678901234567890}',
    b'{"cmd":"hello","id":"\\u00e9"}',
    # Numbers.
    b'{"a":0}', b'{"a":-0}', b'{"a":0.5}', b'{"a":.5}', b'{"a":-.5}', b'{"a":1e5}', b'{"a":1E+5}',
    b'{"a":1e-5}', b'{"a":1e}', b'{"a":1e+}', b'{"a":01}', b'{"a":-01}', b'{"a":+1}', b'{"a":1.e5}',
    b'{"a":0x10}', b'{"a":-}', b'{"a":--1}', b'{"a":1.5.5}', b'{"a":-Infinity}', b'{"a":1e400}',
    b'{"a":123456789012345678901234567890.5e-999}', b'{"a":00}', b'{"a":0e0}', b'{"a":0.0e-0}',
    # Literals.
    b'{"a":true}', b'{"a":false}', b'{"a":null}', b'{"a":TRUE}', b'{"a":nul}', b'{"a":nulll}',
    b'{"a":None}', b'{"a":undefined}',
    # Strings.
    b'{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t"}', b'{"a":"\\u0000"}', b'{"a":"\\uD834\\uDD1E"}',
    b'{"a":"\\ud834"}', b'{"a":"\\udd1e"}', b'{"a":"\\uDEAD"}', b'{"a":"\\ud834\\u0041"}',
    b'{"a":"\\u12"}', b'{"a":"\\u12G4"}', b'{"a":"\\x41"}', b'{"a":"\\a"}', b'{"a":"\\\'"}',
    b'{"a":"tab\there"}', b'{"a":"nul\x00"}', b'{"a":"del\x7f"}', b'{"a":"\xc3\xa9"}',
    b'{"a":"\xc3"}', b'{"a":"\xc0\x80"}', b'{"a":"\xe0\x80\x80"}', b'{"a":"\xed\xa0\x80"}',
    b'{"a":"\xf4\x8f\xbf\xbf"}', b'{"a":"\xf4\x90\x80\x80"}', b'{"a":"\xf8\x88\x80\x80\x80"}',
    b'{"a":"\xef\xbb\xbf"}', b'\xef\xbb\xbf{}', b'{"a":"\xe2\x82\xac"}', b'{"a":"\xff"}',
    # Structure and whitespace.
    b'{}', b' \t\r\n{}\r\n\t ', b'{,}', b'{"a"}', b'{"a":}', b'{"a" 1}', b'{"a":1 "b":2}',
    b'{"a":[1,2,]}', b'{"a":[,1]}', b'{"a":[1,,2]}', b'{"a":{"b":1,}}', b'{"a":1}}', b'{"a":1}{}',
    b'{"a":1', b'{"a":[1', b'{"a":"x', b'{', b'', b' ', b'{"a":1}\x0c', b'\x0b{}', b'{"a":\xc2\xa01}',
    b'{1:2}', b'{a:1}', b'{"a":1,"a":2}', b'{"id":1,"id":2}', b'{"id":1,"\\u0069d":2}',
    b'{"x":{"id":1},"id":2}', b'{"id":{"id":1,"id":2}}', b'{"id":[1, {"a" : null} ]  ,"cmd":"x"}',
    b'{"id\\u0000":1,"id":2}', b'{"i":1}', b'{"idd":1}', b'{"id" : "\\u00e9" }',
    b'{"a":[' + b"[" * 30 + b"]" * 30 + b']}', b'{"a":[' + b"[" * 31 + b"]" * 31 + b']}',
    b'{"a":' + b'{"b":' * 31 + b"1" + b"}" * 31 + b"}",
    b'{"a":' + b'{"b":' * 30 + b"1" + b"}" * 30 + b"}",
    b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}",
] + [
    # Around the depth limit, with json-c's way of counting.
    b'{"a":' + b"[" * k + inner + b"]" * k + b"}"
    for k in range(28, 33) for inner in (b"", b"1", b"{}", b'{"b":1}', b"[]", b'"x"', b"[1]", b"1,[]")
]


def random_string(rng):
    out = []
    for _ in range(rng.randrange(6)):
        k = rng.randrange(10)
        if k == 0:
            out.append(rng.choice(['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]))
        elif k == 1:
            out.append("\\u%04x" % rng.choice([0, 0x1F, 0x41, 0xE9, 0x20AC, 0xFFFF, 0xD7FF, 0xE000]))
        elif k == 2:
            cp = rng.randrange(0x10000, 0x110000) - 0x10000
            hi, lo = 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)
            out.append(("\\u%04X\\u%04x" if rng.random() < 0.5 else "\\u%04x\\u%04X") % (hi, lo))
        elif k == 3:
            out.append(rng.choice(["é", "€", "𝄞", "\u007f", "\U0010FFFF", "中"]))
        else:
            out.append(rng.choice(["a", "id", "cmd", " ", "'", "/*", "x1", "{", "]"]))
    return '"' + "".join(out) + '"'


def random_number(rng):
    s = rng.choice(["", "-"]) + rng.choice(["0", str(rng.randrange(1, 10**rng.randrange(1, 25)))])
    if rng.random() < 0.4:
        s += "." + str(rng.randrange(10**rng.randrange(1, 8))).zfill(rng.randrange(1, 4))
    if rng.random() < 0.3:
        s += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randrange(400))
    return s


def ws(rng):
    return "".join(rng.choice(" \t\r\n") for _ in range(rng.choice([0, 0, 0, 1, 2])))


def random_value(rng, level):
    """A value at this level; its members, if any, one below (at most 32)."""
    k = rng.randrange(9)
    if k == 0:
        return random_string(rng)
    if k == 1:
        return random_number(rng)
    if k in (2, 3, 4):
        return rng.choice(["true", "false", "null", random_number(rng)])
    if k in (5, 6):
        n = rng.randrange(4) if level < MAX_DEPTH else 0
        items = [ws(rng) + random_value(rng, level + 1) + ws(rng) for _ in range(n)]
        return "[" + ",".join(items) + "]" if items else "[" + ws(rng) + "]"
    return random_object(rng, level)


def random_object(rng, level, top=False):
    members = []
    keys = ["cmd", "bus", "x", "id", "glob"] if top else ["a", "id", "b"]
    for _ in range(rng.randrange(5) if level < MAX_DEPTH else 0):
        key = rng.choice(keys) if rng.random() < 0.8 else random_string(rng)[1:-1]
        members.append(ws(rng) + '"' + key + '"' + ws(rng) + ":" + ws(rng)
                       + random_value(rng, level + 1) + ws(rng))
    return "{" + (",".join(members) if members else ws(rng)) + "}"


TOKENS = [b"{", b"}", b"[", b"]", b":", b",", b'"', b"\\", b"/", b" ", b"\t", b"\r", b"\n", b"0",
          b"1", b"-", b"+", b".", b"e", b"E", b"true", b"false", b"null", b"NaN", b"Infinity",
          b"'", b"\x00", b"\x1f", b"\x7f", b"\xc0", b"\xc3\xa9", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
          b"\xe2\x82", b"\\u", b"\\ud800", b"\\udc00", b"\\u0041", b'"id":', b"x", b"T"]


def mutate(rng, line):
    b = bytearray(line)
    for _ in range(rng.randrange(1, 4)):
        k = rng.randrange(4)
        at = rng.randrange(len(b) + 1)
        if k == 0:
            b[at:at] = rng.choice(TOKENS)
        elif k == 1 and b:
            del b[at:at + rng.randrange(1, 4)]
        elif k == 2 and at < len(b):
            b[at:at + 1] = rng.choice(TOKENS)
        else:
            seg = bytes(b[at:at + rng.randrange(1, 8)])
            b[at:at] = seg
    return bytes(b)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rng = random.Random(8259)
    valid = [(ws(rng) + random_object(rng, 1, top=True) + ws(rng)).encode() for _ in range(3000)]
    lines = HAND + valid + [mutate(rng, rng.choice(valid + HAND)) for _ in range(30000)]
    out = subprocess.run([sys.argv[1]], input=b"".join(l.hex().encode() + b"\n" for l in lines),
                         stdout=subprocess.PIPE, check=True).stdout.decode().splitlines()
    if len(out) != len(lines):
        sys.exit("the driver answered %d lines for %d" % (len(out), len(lines)))
    bad = 0
    counts = {"accepted": 0, "refused": 0, "surrogate": 0, "ids": 0}
    for line, verdict in zip(lines, out):
        ok, pid, why = python_verdict(line)
        words = verdict.split(" ", 2)
        c_ok = words[0] == "ok"
        if ok != c_ok:
            bad += 1
            print("DIFFER: %r\n  python: %s  validator: %s" % (line, why or "accepted", verdict))
            continue
        counts["accepted" if ok else "refused"] += 1
        counts["surrogate"] += "surrogate" in why
        if not ok:
            col = int(words[1])
            if not (1 <= col <= len(line) + 1) or not words[2].startswith("column %d: " % col):
                bad += 1
                print("BAD ERROR: %r -> %s" % (line, verdict))
            continue
        off, n = int(words[1]), int(words[2])
        if (off < 0) != (pid is NO_ID):
            bad += 1
            print("ID PRESENCE: %r -> %s (python: %r)" % (line, verdict, pid))
        elif off >= 0:
            span = line[off:off + n]
            counts["ids"] += 1
            try:
                same = loads(span.decode()) == pid
            except ValueError:
                same = False
            if not same:
                bad += 1
                print("ID SPAN: %r -> %r, python's id %r" % (line, span, pid))
    print("json_crosscheck: %d lines, %d accepted and %d refused by both (%d for a lone "
          "surrogate, which Python alone accepts), %d id spans checked, %d disagreements"
          % (len(lines), counts["accepted"], counts["refused"], counts["surrogate"], counts["ids"], bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
