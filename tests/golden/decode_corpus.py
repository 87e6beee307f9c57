#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`evgw decode --json` against an independent decoder: every corpus folder
(../shared/dbc-corpus: real DBC files, frames.log, and expected.jsonl made by
cantools) decoded by the real CLI, its text parsed back, and every frame
compared: id, extended, fd, message, the set of signals, each value within
1e-9 (relative, or absolute below 1) and each label exactly. This checks the
printed text, number formatting included, where corpus_check checks the
library's doubles.

usage: decode_corpus.py EVGW CORPUS_DIR   (exit 77 when the corpus is absent)
"""
import json
import os
import subprocess
import sys


def same_value(got, want):
    if isinstance(want, str) or isinstance(got, str):
        return got == want
    return abs(got - want) <= 1e-9 * max(1.0, abs(want))


def check_folder(evgw, folder):
    dbcs = [f for f in sorted(os.listdir(folder)) if f.endswith(".dbc")]
    exp_path = os.path.join(folder, "expected.jsonl")
    if len(dbcs) != 1 or not os.path.exists(exp_path):
        return 0, []
    run = subprocess.run([evgw, "decode", "--json", "--quiet", "--dbc", os.path.join(folder, dbcs[0]),
                          os.path.join(folder, "frames.log")], capture_output=True, check=False)
    problems = []
    if run.returncode != 0:
        problems.append("exit %d: %s" % (run.returncode, run.stderr.decode(errors="replace")[:200]))
    got = {}
    for text in run.stdout.decode("utf-8").splitlines():
        obj = json.loads(text)
        got[obj["line"]] = obj
    n = 0
    with open(exp_path, encoding="utf-8") as f:
        for text in f:
            want = json.loads(text)
            n += 1
            line = want["line"]
            g = got.get(line)
            where = "%s frame %d" % (os.path.basename(folder), line)
            if g is None:
                problems.append("%s: not decoded" % where)
                continue
            for key in ("id", "extended", "fd", "message", "labels"):
                if g[key] != want[key]:
                    problems.append("%s: %s %r, expected %r" % (where, key, g[key], want[key]))
            if g["signals"].keys() != want["signals"].keys():
                problems.append("%s: signals %s, expected %s" % (where, sorted(g["signals"]),
                                                                  sorted(want["signals"])))
                continue
            for k, v in want["signals"].items():
                if not same_value(g["signals"][k], v):
                    problems.append("%s: %s = %r, expected %r" % (where, k, g["signals"][k], v))
    if len(got) != n:
        problems.append("%s: %d frames printed, %d expected" % (os.path.basename(folder), len(got), n))
    return n, problems


def main():
    evgw, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(corpus):
        print("corpus absent: %s" % corpus)
        return 77
    frames = folders = 0
    problems = []
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        if os.path.isdir(path):
            n, p = check_folder(evgw, path)
            frames += n
            folders += 1 if n else 0
            problems += p
    for p in problems[:50]:
        print("FAIL:", p)
    print("evgw decode --json: %d corpus folders, %d frames compared with cantools" % (folders, frames))
    print("%d passed, %d failed" % (frames - min(frames, len(problems)), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
