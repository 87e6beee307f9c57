#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evgw decode, now and before: the same log through both programs in one run.

usage: decode_bench.py --evgw NEW [--baseline OLD] --dbc FILE --frames LOG
                       [--min-frames N] [--repeat R] [--quick]

The log is the given candump log repeated until it holds at least N frames
(default 500000: a large real DBC's traffic, as issue 15 measured it). Each
program decodes it R times per output form, alternating, with its output
going to /dev/null; the figure is the best CPU time (user + system, from
wait4), so other load on the machine makes it worse, not noisy. Printed as
key=value lines:

- decode_<form>_<which>_s (the whole run), _start_s (loading the DBC: the
  same run on one frame), _frames_per_s and _out_mb_per_s (per CPU second
  less the start, as for the Python peers below), and speedup_<form> for
  the three forms (json, text, table), <which> = new or baseline;
- decode_json_<gz|xz|zst>_frames_per_s: compressed logs (new only);
- decode_rss_kb_<N>_frames: peak memory of the new program on the log and
  on the log four times over (through a pipe): bounded, not growing;
- with valgrind: instructions per frame for both (callgrind; exact, immune
  to load) on a 20000-frame slice;
- cantools' own `decode` where Python can import it, and Debian's
  python3-canmatrix (canmatrix_decode.py), on a slice of the same frames:
  frames per CPU second less their start, and evgw's speedup over them.

The baseline is the evgw built from the commit before issue 15 (dev.sh's
bench builds it into build-baseline/); without --baseline only the new
figures are printed.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

FORMS = {"json": ["--json"], "text": [], "table": ["--table"]}


def run_cpu(cmd, stdin_path=None):
    """CPU seconds (user + sys) of one run, output dropped."""
    with open(os.devnull, "wb") as null:
        stdin = open(stdin_path, "rb") if stdin_path else None
        try:
            p = subprocess.Popen(cmd, stdin=stdin, stdout=null, stderr=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdin:
                stdin.close()
    if p.returncode not in (0, 1):
        raise RuntimeError("%s exited %d" % (" ".join(cmd), p.returncode))
    return ru.ru_utime + ru.ru_stime


def peak_rss_kb(cmd, stdin_path, copies):
    """Peak RSS of cmd reading stdin_path `copies` times over a pipe. Read
    from the process's own VmHWM while it runs: wait4's ru_maxrss would
    carry this (large) Python process's, since the child starts as its
    copy."""
    peak = 0
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=null, stderr=subprocess.DEVNULL)
        status = "/proc/%d/status" % p.pid
        with open(stdin_path, "rb") as f:
            for _ in range(copies):
                f.seek(0)
                while True:
                    b = f.read(1 << 20)
                    if not b:
                        break
                    p.stdin.write(b)
                    try:
                        with open(status) as st:
                            for line in st:
                                if line.startswith("VmHWM:"):
                                    peak = max(peak, int(line.split()[1]))
                    except OSError:
                        pass
        p.stdin.close()
        p.wait()
    return peak


def out_bytes(cmd):
    n = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as p:
        while True:
            b = p.stdout.read(1 << 20)
            if not b:
                break
            n += len(b)
    return n


def count_frames(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip() and not line.startswith(b"#"))


def build_log(src, min_frames, path):
    with open(src, "rb") as f:
        lines = [l for l in f.read().splitlines(keepends=True) if l.strip() and not l.startswith(b"#")]
    copies = max(1, -(-min_frames // len(lines)))
    with open(path, "wb") as out:
        for _ in range(copies):
            out.writelines(lines)
    return copies * len(lines)


def slice_log(src, n_frames, path):
    """The first n_frames frames of the log (fewer when it has fewer)."""
    n = 0
    with open(src, "rb") as f, open(path, "wb") as out:
        for line in f:
            if line.strip() and not line.startswith(b"#"):
                out.write(line)
                n += 1
                if n == n_frames:
                    break
    return n


def callgrind_ir(cmd):
    with tempfile.NamedTemporaryFile(suffix=".cg") as cg:
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg.name] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        for line in r.stderr.decode(errors="replace").splitlines():
            if "Collected" in line:
                return int(line.split()[-1].replace(",", ""))
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evgw", required=True)
    ap.add_argument("--baseline")
    ap.add_argument("--dbc", required=True)
    ap.add_argument("--frames", required=True)
    ap.add_argument("--min-frames", type=int, default=500000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="skip compression, memory and callgrind")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="evgw-decode-bench-")
    try:
        log = os.path.join(tmp, "big.log")
        frames = build_log(a.frames, a.min_frames, log)
        print("decode_log_frames=%d" % frames)
        print("decode_log_mb=%.1f" % (os.path.getsize(log) / 1e6))
        print("decode_timing=best CPU time (user+sys) of %d runs each, alternating, output to /dev/null"
              % a.repeat)
        progs = [("new", a.evgw)] + ([("baseline", a.baseline)] if a.baseline else [])
        one_frame = os.path.join(tmp, "one-frame.log")
        slice_log(a.frames, 1, one_frame)
        new_s = {}  # form: the new program's best time on the log, less its start
        for form, opts in FORMS.items():
            best = {}
            size = {}
            start = {}
            for which, exe in progs:
                cmd = [exe, "decode", "--quiet", "--dbc", a.dbc] + opts + [log]
                size[which] = out_bytes(cmd)
                best[which] = 1e9
                # Its start (loading the DBC): the same run on one frame.
                start[which] = min(run_cpu([exe, "decode", "--quiet", "--dbc", a.dbc] + opts + [one_frame])
                                   for _ in range(3))
            for _ in range(a.repeat):
                for which, exe in progs:
                    cmd = [exe, "decode", "--quiet", "--dbc", a.dbc] + opts + [log]
                    t = run_cpu(cmd)
                    best[which] = min(best[which], t)
            for which, _ in progs:
                t = best[which]
                d = max(t - start[which], 1e-6)
                print("decode_%s_%s_s=%.3f" % (form, which, t))
                print("decode_%s_%s_start_s=%.3f" % (form, which, start[which]))
                print("decode_%s_%s_frames_per_s=%.0f" % (form, which, frames / d))
                print("decode_%s_%s_out_mb_per_s=%.0f" % (form, which, size[which] / d / 1e6))
                print("decode_%s_%s_bytes_per_frame=%.0f" % (form, which, size[which] / frames))
                best[which] = d
            new_s[form] = best["new"]
            if "baseline" in best:
                print("speedup_%s=%.1f" % (form, best["baseline"] / best["new"]))
        if not a.quick:
            for ext, tool in (("gz", ["gzip", "-6", "-c"]), ("xz", ["xz", "-1", "-T1", "-c"]),
                              ("zst", ["zstd", "-q", "-3", "-c"])):
                if not shutil.which(tool[0]):
                    print("decode_json_%s=skipped (no %s)" % (ext, tool[0]))
                    continue
                zpath = log + "." + ext
                with open(log, "rb") as src, open(zpath, "wb") as dst:
                    subprocess.run(tool, stdin=src, stdout=dst, check=True)
                cmd = [a.evgw, "decode", "--json", "--quiet", "--dbc", a.dbc, zpath]
                t = min(run_cpu(cmd) for _ in range(max(1, a.repeat // 2)))
                print("decode_json_%s_ratio=%.1f" % (ext, os.path.getsize(log) / os.path.getsize(zpath)))
                print("decode_json_%s_frames_per_s=%.0f" % (ext, frames / t))
            # Bounded memory: the log, and four times it, through a pipe.
            cmd = [a.evgw, "decode", "--json", "--quiet", "--dbc", a.dbc, "-"]
            for copies in (1, 4):
                print("decode_rss_kb_%d_frames=%d" % (copies * frames, peak_rss_kb(cmd, log, copies)))
            if shutil.which("valgrind"):
                small = os.path.join(tmp, "small.log")
                n = build_log(a.frames, 20000, small)
                # Less the program's start (loading the DBC): the same run
                # on a one-frame log.
                one = os.path.join(tmp, "one.log")
                with open(small, "rb") as f, open(one, "wb") as g:
                    g.write(f.readline())
                base = None
                for which, exe in progs:
                    ir = callgrind_ir([exe, "decode", "--json", "--quiet", "--dbc", a.dbc, small])
                    ir0 = callgrind_ir([exe, "decode", "--json", "--quiet", "--dbc", a.dbc, one])
                    if ir is None or ir0 is None:
                        continue
                    per = (ir - ir0) / (n - 1)
                    print("decode_json_%s_instructions_per_frame=%.0f" % (which, per))
                    if which == "new":
                        base = per
                    elif base:
                        print("speedup_json_instructions=%.1f" % (per / base))
        # Python peers, side by side: cantools' own `decode` where Python can
        # import it (Debian does not package it: see README for how it was
        # run), and Debian's python3-canmatrix, a pure-Python decoder of the
        # same kind, through canmatrix_decode.py (one line per known frame
        # with its signals, as cantools and evgw print).
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "canmatrix_decode.py")
        slice_path, one = os.path.join(tmp, "slice.log"), os.path.join(tmp, "one.log")
        n = build_log(a.frames, 20000 if a.quick else 100000, slice_path)
        slice_log(a.frames, 1, one)
        peers = (("cantools", "cantools", ["-m", "cantools", "decode", "--single-line", a.dbc]),
                 ("canmatrix", "canmatrix.formats", [script, a.dbc]))
        for name, module, args in peers:
            python = next((py for py in (sys.executable, "/usr/bin/python3") if os.path.exists(py) and
                           subprocess.run([py, "-c", "import " + module], capture_output=True).returncode == 0),
                          None)
            if not python:
                print("%s=not installed" % name)
                continue
            # Frames per CPU second less the start (Python importing, the
            # DBC parsed: the same run on one frame), beside evgw's on the
            # big log of the same frames.
            cmd = [python] + args
            t = min(run_cpu(cmd, stdin_path=slice_path) for _ in range(1 if a.quick else 2))
            t -= min(run_cpu(cmd, stdin_path=one) for _ in range(3))
            rate = n / t
            print("%s_decode_frames_per_s=%.0f" % (name, rate))
            for form in ("text", "json"):
                print("speedup_%s_vs_%s=%.0f" % (form, name, frames / new_s[form] / rate))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
