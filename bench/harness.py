#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/harness.py - runs sockit's benchmark suite (called by bench/run).

Every workload runs every implementation side by side in one invocation:
several rounds, the order of the implementations rotated each round, each
run a server process and a client process pinned with taskset, loopback
only.  Absolute figures are medians over the rounds; the claimed figures
are ratios taken *within* a round (sockit's run against another
implementation's run a few seconds apart), then the median over rounds.

Adding an implementation (as "sockit-loop", issue 5's event loop, was):
write one program with the same command line as bench/bench_sockit.c
(`PROG server|client WORKLOAD key=value...`, "PORT <n>" then "RESULT ..."
lines; see bench/common.h), build it in bench/CMakeLists.txt, and add one
Impl(...) line to IMPLS below.  It becomes one more column of the table and
of every ratio; add its name to RATIO_SUBJECTS to get RATIO lines for it.
"""
import argparse
import datetime
import os
import platform
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Impl:
    def __init__(self, name, cmd, skip=None, extra=None, alt=None):
        self.name = name
        self.cmd = cmd            # argv prefix: PROG (or interpreter + script)
        self.skip = skip or {}    # workload -> reason it does not apply
        self.extra = extra or {}  # key=value arguments added to every run
        self.alt = alt or {}      # workload -> the argv prefix it runs instead

    def argv(self, role, workload, args):
        args = dict(self.extra, **args)  # a run's own key (backend=) wins
        return self.alt.get(workload, self.cmd) + [role, workload] + [
            "%s=%s" % kv for kv in args.items()]


# The TLS workloads (issue 15): sockit's TLS layer (bench_sockit_tls,
# tls_sockit.c) beside the same work written directly on OpenSSL
# (bench_tls_openssl, tls_openssl.c: the "raw" of TLS), and that program
# once more as "control" (raw against raw: the noise beside each ratio).
TLS_WORKLOADS = ("tls-bulk", "tls-handshake")
NOT_TLS = lambda why: dict((w, why) for w in TLS_WORKLOADS)


CONTROL = "raw-control"


_uring = {}


def uring_skip(build):
    """None when this machine gives sockit's loop io_uring, else why not
    (the program that tried says it: forbidden, too old, built without)."""
    if build not in _uring:
        prog = os.path.join(build, "bench_sockit_loop")
        try:
            p = subprocess.run([prog, "server", "probe", "backend=uring"],
                               capture_output=True, text=True, timeout=30)
            ok = p.returncode == 0
            why = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
        except (OSError, subprocess.TimeoutExpired) as e:
            ok, why = False, str(e)
        _uring[build] = None if ok else "no io_uring here (%s)" % why
        if not ok:
            log("sockit-uring: " + _uring[build] + ": its cells are skipped")
    return _uring[build]


def impls(build):
    b = lambda p: os.path.join(build, p)
    tls = os.path.exists(b("bench_tls_openssl")) and os.path.exists(b("bench_sockit_tls"))
    no_tls = NOT_TLS("bench/ was built without OpenSSL") if not tls else {}
    other = NOT_TLS("TLS is measured on sockit and OpenSSL only")
    loop_skip = dict(dict((w, "the event loop is measured on pingpong, fan-in and idle")
                          for w in ("bulk", "sendfile", "lines", "connrate", "udp-pps",
                                    "udp-pps-conn", "udp-bulk", "udp-batch")), **other)
    return [
        Impl("raw", [b("bench_raw")], skip=no_tls,
             alt=dict((w, [b("bench_tls_openssl")]) for w in TLS_WORKLOADS)),
        # the same raw program again, a column of its own: raw-control/raw
        # is the noise of a ratio that should be 1.00 (every RATIO line
        # ends with it; the TLS workloads have their "control" below)
        Impl(CONTROL, [b("bench_raw")],
             skip=dict({"idle": "memory is not noisy", "idle-watched": "memory is not noisy"},
                       **NOT_TLS("the TLS workloads have their own control column"))),
        Impl("sockit", [b("bench_sockit")], skip=no_tls,
             alt=dict((w, [b("bench_sockit_tls")]) for w in TLS_WORKLOADS)),
        # sockit's fan-in server on the stateless sk_select (the column
        # "sockit" uses sk_selector); the other workloads are the same code.
        Impl("sockit-select", [b("bench_sockit")], extra={"select": 1},
             skip=dict({w: "same code as sockit (only fan-in differs)"
                        for w in ("bulk", "sendfile", "lines", "pingpong",
                                  "connrate", "idle", "idle-watched", "udp-pps",
                                  "udp-pps-conn", "udp-bulk", "udp-batch")}, **other)),
        Impl("libuv", [b("bench_uv")],
             skip=dict({"udp-batch": "libuv sends one datagram per call"}, **other)),
        # issue 5's event loop: sk_loop + sk_server/sk_conn; only the
        # event-driven workloads (the others measure the synchronous API),
        # on epoll (by name: the default loop on Linux is io_uring's where
        # the kernel has all it needs, epoll's otherwise)...
        Impl("sockit-loop", [b("bench_sockit_loop")], extra={"backend": "epoll"},
             skip=dict(loop_skip)),
        # ... and on io_uring (issue 18; by name only, where the kernel
        # allows it): every cell skipped, saying why, where it does not.
        Impl("sockit-uring", [b("bench_sockit_loop")], extra={"backend": "uring"},
             skip=dict(loop_skip) if uring_skip(build) is None
             else dict((w, uring_skip(build)) for w in WORKLOADS)),
        Impl("luasocket", ["lua5.4", os.path.join(HERE, "luasocket.lua")],
             skip=dict({"udp-batch": "LuaSocket sends one datagram per call",
                        "idle-watched": "socket.select keeps no set: nothing to watch with",
                        "fanin10000": "socket.select is select(2): no descriptor "
                                      "may reach FD_SETSIZE (1024)"}, **other)),
        # raw against raw on the TLS workloads: the noise of each ratio
        Impl("control", [b("bench_tls_openssl")],
             skip=dict((w, "the control runs the TLS workloads only")
                       for w in WORKLOADS if w not in TLS_WORKLOADS)
             if tls else dict((w, "no TLS") for w in WORKLOADS)),
    ]


# Whose RATIO lines end the output (the exact form for "sockit").
RATIO_SUBJECTS = ["sockit-uring", "sockit-loop", "sockit"]
# Columns of a RATIO line, in the order.
RATIO_AGAINST = ["raw", "libuv", "luasocket"]
# ... and for some subjects one more: the io_uring loop against the epoll
# loop (issue 18's "no worse than the epoll loop").
RATIO_AGAINST_MORE = {"sockit-uring": ["sockit-loop"]}

# ---------------------------------------------------------------------------
# Workloads.  side: who is the implementation ("both": server and client;
# "server": the server, with bench_loadgen as the client).  cpus: "one" pins
# both processes to one CPU (the cost of both ends; the reference
# pingpong runs so), "two" puts the client on another CPU.
# ---------------------------------------------------------------------------
FULL = {
    "bulk": dict(bytes=1 << 30),
    "sendfile": dict(bytes=512 << 20),
    "lines": dict(n=2000000),
    "pingpong": dict(n=100000),
    "connrate": dict(n=20000),
    "fanin1000": dict(clients=1000, rt=100),
    "fanin10000": dict(clients=10000, rt=100),
    "idle": dict(clients=10000),
    "idle-watched": dict(clients=10000),
    "udp-pps": dict(n=100000),
    "udp-pps-conn": dict(n=100000),
    "udp-bulk": dict(bytes=512 << 20),
    "udp-batch": dict(n=640000),
    "tls-bulk": dict(bytes=512 << 20),
    "tls-handshake": dict(n=2000),
}
QUICK = {
    "bulk": dict(bytes=256 << 20),
    "sendfile": dict(bytes=128 << 20),
    "lines": dict(n=500000),
    "pingpong": dict(n=20000),
    "connrate": dict(n=5000),
    "fanin1000": dict(clients=1000, rt=20),
    "fanin10000": dict(clients=10000, rt=10),
    "idle": dict(clients=10000),
    "idle-watched": dict(clients=10000),
    "udp-pps": dict(n=20000),
    "udp-pps-conn": dict(n=20000),
    "udp-bulk": dict(bytes=128 << 20),
    "udp-batch": dict(n=128000),
    "tls-bulk": dict(bytes=128 << 20),
    "tls-handshake": dict(n=500),
}
WORKLOADS = ["bulk", "sendfile", "lines", "pingpong", "connrate", "fanin1000",
             "fanin10000", "idle", "idle-watched", "udp-pps", "udp-pps-conn", "udp-bulk",
             "udp-batch", "tls-bulk", "tls-handshake"]
# Workloads that run a program workload of another name, with extra keys:
# udp-pps names the server in every sendto and takes the sender from
# recvfrom on both sides (conn=0); udp-pps-conn gives the client a peer
# (connect; send / recv); udp-bulk sends 8 KiB datagrams one way, 8 per
# 1-byte ack; udp-batch keeps 64 datagrams of 64 bytes in flight, echoed
# (sockit with sk_sendmany / sk_recvmany, raw with one call per datagram).
PROGRAM = {"idle-watched": ("idle", dict(watch=1)),
           "udp-pps": ("udp", dict(conn=0)), "udp-pps-conn": ("udp", dict(conn=1)),
           "udp-bulk": ("udpbulk", dict(size=8192, win=8)),
           "udp-batch": ("udpbatch", dict(win=64))}
UNITS = {"bulk": "MB/s", "sendfile": "MB/s", "lines": "lines/s", "pingpong": "rt/s",
         "connrate": "conn/s", "fanin1000": "rt/s", "fanin10000": "rt/s",
         "idle": "B/conn", "idle-watched": "B/conn", "udp-pps": "rt/s", "udp-pps-conn": "rt/s",
         "udp-bulk": "MB/s", "udp-batch": "dgram/s", "tls-bulk": "MB/s", "tls-handshake": "hs/s"}
# The TLS workloads' record size (tls-bulk writes one record per call).
TLS_RECORD = 16384
# Workloads whose one run takes under a second (lines: about 40 ms) are run
# this many times in a row per implementation and round, and the fastest
# run is that round's figure: on this shared machine noise only ever adds
# time, and one preemption is a large part of so short a run.  Every
# implementation gets the same treatment.
BEST_OF = {"bulk": 3, "sendfile": 3, "lines": 5, "udp-bulk": 3, "tls-bulk": 3}
CPUS = {"bulk": "one", "sendfile": "one", "lines": "two", "pingpong": "one", "connrate": "one",
        "fanin1000": "two", "fanin10000": "two", "idle": "two", "idle-watched": "two",
        "udp-pps": "one", "udp-pps-conn": "one", "udp-bulk": "one", "udp-batch": "one",
        "tls-bulk": "one", "tls-handshake": "one"}


# The TLS workloads' certificates: tests/tls/make-certs.sh (the openssl
# command) into the build directory, once; passed as certs=DIR.
CERTS = [None]


def tls_certs(build):
    if CERTS[0] is None:
        d = os.path.join(build, "tls-certs")
        try:
            subprocess.run(["bash", os.path.join(ROOT, "tests", "tls", "make-certs.sh"), d],
                           check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as e:
            raise RunError("make-certs.sh: %s (the TLS workloads need the openssl command)" % e)
        CERTS[0] = d
    return CERTS[0]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def parse_result(text):
    """All key=value pairs of the RESULT lines of a program's output."""
    out = {}
    for line in text.splitlines():
        if line.startswith("RESULT "):
            for kv in line.split()[1:]:
                k, _, v = kv.partition("=")
                try:
                    out[k] = float(v)
                except ValueError:
                    out[k] = v
    return out


class RunError(Exception):
    pass


def kill(p):
    if p is not None and p.poll() is None:
        try:
            p.kill()
        except OSError:
            pass
        p.wait()


def pair(server_argv, client_argv_fn, timeout, server_wrap=(), client_wrap=(),
         scpu=None, ccpu=None):
    """Start the server, read its PORT line, run the client with port=P.
    Returns (server RESULT dict, client RESULT dict)."""
    pin = lambda cpu: ["taskset", "-c", str(cpu)] if cpu is not None else []
    deadline = time.monotonic() + timeout
    errs = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
    srv = cli = None
    try:
        srv = subprocess.Popen(pin(scpu) + list(server_wrap) + server_argv,
                               stdout=subprocess.PIPE, stderr=errs[0],
                               stdin=subprocess.DEVNULL)
        port = None
        buf = b""
        while port is None:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([srv.stdout], [], [], min(left, 1.0))
            if not r:
                if srv.poll() is not None:
                    break
                continue
            ch = os.read(srv.stdout.fileno(), 1)
            if not ch:
                break
            buf += ch
            m = re.search(rb"^PORT (\d+)\n", buf, re.M)
            if m:
                port = int(m.group(1))
        if port is None:
            raise RunError("server gave no port")
        cli = subprocess.Popen(pin(ccpu) + list(client_wrap) + client_argv_fn(port),
                               stdout=subprocess.PIPE, stderr=errs[1],
                               stdin=subprocess.DEVNULL)
        cout, _ = cli.communicate(timeout=max(1, deadline - time.monotonic()))
        sout, _ = srv.communicate(timeout=max(1, deadline - time.monotonic()))
        if cli.returncode != 0 or srv.returncode != 0:
            raise RunError("exit %s/%s" % (srv.returncode, cli.returncode))
        return parse_result((buf + sout).decode()), parse_result(cout.decode())
    except subprocess.TimeoutExpired:
        raise RunError("timed out after %ds" % timeout)
    except RunError as e:
        msgs = []
        for f in errs:
            f.seek(0)
            t = f.read().decode(errors="replace").strip()
            if t:
                msgs.append(t.splitlines()[-1])
        raise RunError("%s %s" % (e, " | ".join(msgs)))
    finally:
        kill(cli)
        kill(srv)
        for f in errs:
            f.close()


def run_one(impl, w, params, cpus, loadgen, timeout, server_wrap=(),
            client_wrap=(), extra_server=None, extra_client=None):
    """One run of workload w on impl; returns (metric, details dict)."""
    a, b = cpus
    scpu, ccpu = (a, a) if CPUS[w] == "one" else (a, b)
    base = "fanin" if w.startswith("fanin") else w
    sargs = dict(params)
    cargs = dict(params)
    if w in PROGRAM:
        base = PROGRAM[w][0]
        sargs.update(PROGRAM[w][1])
        cargs.update(PROGRAM[w][1])
    sargs.update(extra_server or {})
    cargs.update(extra_client or {})
    lg = lambda mode, args: [loadgen, mode] + ["%s=%s" % kv for kv in args.items()]
    if base in TLS_WORKLOADS:
        sargs["certs"] = cargs["certs"] = tls_certs(os.path.dirname(loadgen))
    server_argv = impl.argv("server", base, sargs)
    if base in ("bulk", "pingpong", "connrate", "udp", "udpbulk", "udpbatch") + TLS_WORKLOADS:
        cfn = lambda port: impl.argv("client", base, dict(cargs, port=port))
    elif base == "sendfile":  # the implementation sends, loadgen receives
        server_argv = lg("sink", sargs)
        cfn = lambda port: impl.argv("client", base, dict(port=port, file=sendfile_path(params["bytes"])))
    else:
        cfn = lambda port: lg(base, dict(cargs, port=port))
    s, c = pair(server_argv, cfn, timeout, server_wrap, client_wrap, scpu, ccpu)
    if base in ("bulk", "sendfile", "udpbulk", "tls-bulk"):
        return c["bytes"] / c["ns"] * 1e3, dict(c)
    if base == "tls-handshake":
        return c["n"] / c["ns"] * 1e9, dict(c)
    if base == "lines":
        n = params["n"]
        if int(s.get("lines", -1)) != n:
            raise RunError("read %s lines of %d" % (s.get("lines"), n))
        return s["lines"] / s["ns"] * 1e9, dict(s)
    if base == "pingpong":
        return c["n"] / c["ns"] * 1e9, dict(c)
    if base in ("connrate", "udp", "udpbatch"):
        return c["n"] / c["ns"] * 1e9, dict(c)
    if base == "fanin":
        d = dict(c)
        d.update(s)
        return c["rt"] / c["ns"] * 1e9, d
    if base == "idle":
        return s["bytes_per_conn"], dict(s)
    raise RunError("unknown workload")


SENDFILE_DIR = [None]


def sendfile_path(size):
    """A file of size bytes (in the page cache after its first use)."""
    path = os.path.join(SENDFILE_DIR[0] or tempfile.gettempdir(), "sendfile-%d.dat" % size)
    if not os.path.exists(path) or os.path.getsize(path) != size:
        block = bytes(range(256)) * 4096  # 1 MiB
        with open(path + ".tmp", "wb") as f:
            left = size
            while left > 0:
                f.write(block[:min(left, len(block))])
                left -= len(block)
        os.rename(path + ".tmp", path)
    return path


def fmt(x, unit=""):
    if x is None:
        return "-"
    if unit == "B/conn":
        return "%.0f" % x
    if x >= 1e6:
        return "%.2fM" % (x / 1e6)
    if x >= 1e4:
        return "%.1fk" % (x / 1e3)
    return "%.0f" % x


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------------------
# Profiles: callgrind instruction counts (N and 2N operations, difference
# divided by N, so start-up cancels out) and strace system-call counts.
# ---------------------------------------------------------------------------
def callgrind_ir(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RunError("no totals in " + path)


def callgrind_split(path, src=os.path.join(ROOT, "src")):
    """Self instructions of a callgrind profile: (by object file, in
    sockit's own sources under src/ (inlined code too), total)."""
    obs, by_ob, cur_ob = {}, {}, None
    files, cur_fl, cur_fi = {}, None, None
    own = total = 0
    after_calls = False

    def name(table, text):
        m = re.match(r"\((\d+)\)(?: (.*))?$", text)
        if not m:
            return text
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1))
    with open(path) as f:
        for line in f:
            c = line[0]
            if c.isdigit() or c in "+-*":
                if after_calls:  # the cost of the call: not self cost
                    after_calls = False
                    continue
                t = line.split()
                if len(t) < 2:
                    continue
                v = int(t[1])
                total += v
                by_ob[cur_ob] = by_ob.get(cur_ob, 0) + v
                fl = cur_fi or cur_fl
                if fl is not None and fl.startswith(src):
                    own += v
                continue
            line = line.rstrip("\n")
            if line.startswith("calls="):
                after_calls = True
            elif line.startswith("ob="):
                cur_ob = name(obs, line[3:])
            elif line.startswith("cob="):
                name(obs, line[4:])
            elif line.startswith("fl="):
                cur_fl, cur_fi = name(files, line[3:]), None
            elif line.startswith(("fi=", "fe=")):
                cur_fi = name(files, line[3:])
                if cur_fi == cur_fl:
                    cur_fi = None
            elif line.startswith("fn="):
                cur_fi = None
            elif line.startswith(("cfi=", "cfl=")):
                name(files, line[4:])
    return by_ob, own, total


TLS_LIBS = ("libssl.so", "libcrypto.so")


def tls_split(path):
    """(total, outside libssl/libcrypto, sockit's own sources) of a
    profile."""
    by_ob, own, total = callgrind_split(path)
    inside = sum(v for ob, v in by_ob.items()
                 if ob and any(l in os.path.basename(ob) for l in TLS_LIBS))
    return total, total - inside, own


def callgrind_per_op(im, w, side, params, key, ops, loadgen, cpus, out, env=(),
                     timeout=900, lockstep=False):
    """User instructions per operation of one side ("server" or "client") of
    workload w on im: a run at params and one with params[key] doubled, each
    under callgrind (out.1, out.2: the profiles), the difference of the two
    totals divided by ops (the operations the doubling added), so that
    start-up and set-up cancel out.  env: NAME=VALUE strings for the
    measured process only.  lockstep: both processes on cpus[0], the
    measured one at SCHED_IDLE, so that it runs only while the other waits
    (which then answers every message at once): a wait of the measured
    side always finds every busy peer ready, and the count no longer
    depends on how the two were scheduled.  Returns (per operation, None or (waits, ready
    objects, instructions) of the extra operations when the program counts
    its waits).  Raises RunError."""
    irs, dets = [], []
    for mult in (1, 2):
        p = {k: (v * mult if k == key else v) for k, v in params.items()}
        wrap = (["chrt", "--idle", "0"] if lockstep else []) + (
            ["env"] + list(env) if env else []) + [
            "valgrind", "--tool=callgrind", "-q", "--callgrind-out-file=%s.%d" % (out, mult)]
        _, d = run_one(im, w, p, (cpus[0], cpus[0]) if lockstep else cpus, loadgen, timeout,
                       server_wrap=wrap if side == "server" else (),
                       client_wrap=wrap if side == "client" else ())
        irs.append(callgrind_ir("%s.%d" % (out, mult)))
        dets.append(d)
    det = None
    if "selects" in dets[1]:
        det = (dets[1]["selects"] - dets[0]["selects"],
               dets[1]["ready"] - dets[0]["ready"], irs[1] - irs[0])
    return (irs[1] - irs[0]) / ops, det


def profile(ims, loadgen, cpus, outdir, quick, deadline, fanin=False, tls_only=False):
    """Instruction counts and system-call counts; keys of the result:
    (what, impl) -> per-operation figure (or a dict of syscall -> count).
    Nothing new starts after the deadline (time.monotonic())."""
    res = {}

    def late(what):
        if time.monotonic() < deadline:
            return False
        log("  skipped (time budget spent): " + what)
        return True
    def callgrind(im, w, side, params, key, label, ops):
        """callgrind_per_op, its result kept under (label, im.name)."""
        if late("callgrind %s %s" % (label, im.name)):
            return None
        try:
            per, det = callgrind_per_op(im, w, side, params, key, ops, loadgen,
                                        cpus, os.path.join(outdir, "callgrind.%s.%s" % (label, im.name)))
        except RunError as e:
            log("  callgrind %s %s: %s" % (label, im.name, e))
            return None
        res[(label, im.name)] = per
        if det is not None:
            res[(label + "-selects", im.name)] = det
        log("  callgrind %-16s %-10s %10.1f user instructions per operation" %
            (label, im.name, per))
        return per

    n_lines = 10000 if quick else 40000
    n_pp = 2000 if quick else 10000
    ims = [im for im in ims if im.name != CONTROL]  # (the same program as raw)
    # TLS: per record (tls-bulk: the sender, the client, and the receiver)
    # and per handshake (the client), split into the TLS library
    # (libssl, libcrypto), everything else, and sockit's own sources.
    tls_rec = (512 if quick else 2048) * TLS_RECORD
    tls_hs = 50 if quick else 200
    for im in ims:
        if im.name not in ("raw", "sockit") or "tls-bulk" in im.skip:
            continue
        for w, side, params, key, ops, label in (
                ("tls-bulk", "client", dict(bytes=tls_rec), "bytes", tls_rec // TLS_RECORD,
                 "tls-record-send"),
                ("tls-bulk", "server", dict(bytes=tls_rec), "bytes", tls_rec // TLS_RECORD,
                 "tls-record-receive"),
                ("tls-handshake", "client", dict(n=tls_hs), "n", tls_hs, "tls-handshake")):
            if late("callgrind %s %s" % (label, im.name)):
                continue
            out = os.path.join(outdir, "callgrind.%s.%s" % (label, im.name))
            try:
                callgrind_per_op(im, w, side, params, key, ops, loadgen, cpus, out)
            except RunError as e:
                log("  callgrind %s %s: %s" % (label, im.name, e))
                continue
            a, b = tls_split(out + ".1"), tls_split(out + ".2")
            per = tuple((y - x) / ops for x, y in zip(a, b))
            res[(label, im.name)] = per
            log("  callgrind %-18s %-6s per operation: %.0f in all, %.0f outside "
                "libssl/libcrypto, %.0f in sockit's sources" % ((label, im.name) + per))
    if tls_only:
        return res  # (--workloads named TLS workloads only)
    for im in ims:
        if "lines" not in im.skip:
            callgrind(im, "lines", "server", dict(n=n_lines), "n", "lines", n_lines)
        if "pingpong" not in im.skip:
            callgrind(im, "pingpong", "client", dict(n=n_pp, lat=0), "n", "pingpong", n_pp)
        if "udp-pps" not in im.skip and im.name != "luasocket":
            for w in ("udp-pps", "udp-pps-conn"):
                callgrind(im, w, "client", dict(n=n_pp), "n", w + "-client", n_pp)
                callgrind(im, w, "server", dict(n=n_pp), "n", w + "-server", n_pp)
    # fan-in servers (full runs, or quick ones with --profile-fanin): every
    # client busy ("busy"), and 10 busy clients among many idle ones
    # ("sparse": what one wait costs when few of the watched sockets are
    # ready).
    if not quick or fanin:
        for clients in (1000, 10000):
            w = "fanin%d" % clients
            for im in ims:
                if w in im.skip or im.name == "luasocket":
                    continue  # (the Lua interpreter would dominate)
                rt = 2 if clients == 10000 else 10
                callgrind(im, w, "server", dict(clients=clients, rt=rt), "rt",
                          "%s-busy" % w, clients * rt)
                # The connection set-up varies by some 10^5 instructions
                # between two runs: cheap servers get more round trips so
                # that the difference is well above that.
                per = callgrind(im, w, "server", dict(clients=clients, rt=100, active=10),
                                "rt", "%s-sparse" % w, 10 * 100)
                if per is not None and per < 5000:
                    callgrind(im, w, "server", dict(clients=clients, rt=3000, active=10),
                              "rt", "%s-sparse" % w, 10 * 3000)
    # ... and the sparse case timed (no profiler): 10 busy clients making
    # 1,000 round trips each among 1,000 / 10,000 connected ones.
    if not quick:
        for clients in (1000, 10000):
            w = "fanin%d" % clients
            for im in ims:
                if w in im.skip or late("sparse %s %s" % (w, im.name)):
                    continue
                try:
                    v, _ = run_one(im, w, dict(clients=clients, rt=1000, active=10),
                                   cpus, loadgen, 300)
                except RunError as e:
                    log("  sparse %s %s: %s" % (w, im.name, e))
                    continue
                res[(w + "-sparse-rate", im.name)] = v
                log("  sparse %-10s %-10s %s rt/s" % (w, im.name, fmt(v)))
    # strace: system calls per operation: (workload, params, the size
    # doubled, operations in the size, which ends are traced: s server,
    # c client).  bulk and sendfile: per 64 KiB; fanin1000: per round trip
    # at the server (1,000 loadgen clients).
    st = lambda o: ["strace", "-f", "-c", "-o", o]
    chunks = 512 if quick else 2048
    for im in ims:
        for w, params, key, ops, sides in (
                ("pingpong", dict(n=n_pp, lat=0), "n", n_pp, "sc"),
                ("lines", dict(n=5 * n_lines), "n", 5 * n_lines, "s"),
                ("fanin1000", dict(clients=1000, rt=10), "rt", 1000 * 10, "s"),
                ("connrate", dict(n=n_pp // 2), "n", n_pp // 2, "sc"),
                ("udp-pps", dict(n=n_pp), "n", n_pp, "sc"),
                ("udp-batch", dict(n=32 * n_pp), "n", 32 * n_pp, "sc"),
                ("bulk", dict(bytes=chunks * 65536), "bytes", chunks, "sc"),
                ("sendfile", dict(bytes=chunks * 65536), "bytes", chunks, "c")):
            counts = []
            if w in im.skip:
                continue
            if late("strace %s %s" % (w, im.name)):
                continue
            for mult in (1, 2):
                p = dict(params)
                p[key] = params[key] * mult
                so = os.path.join(outdir, "strace.%s.%s.%d.server" % (w, im.name, mult))
                co = os.path.join(outdir, "strace.%s.%s.%d.client" % (w, im.name, mult))
                try:
                    run_one(im, w, p, cpus, loadgen, 300,
                            server_wrap=st(so) if "s" in sides else (),
                            client_wrap=st(co) if "c" in sides else ())
                except RunError as e:
                    log("  strace %s %s: %s" % (w, im.name, e))
                    break
                counts.append((strace_counts(so) if "s" in sides else {},
                               strace_counts(co) if "c" in sides else {}))
            if len(counts) == 2:
                per = {}
                for side in (0, 1):
                    a, b = counts[0][side], counts[1][side]
                    for sc in set(a) | set(b):
                        d = (b.get(sc, 0) - a.get(sc, 0)) / ops
                        if abs(d) >= 0.0005:
                            per[("server", "client")[side] + ":" + sc] = d
                res[("strace-" + w, im.name)] = per
                log("  strace %-9s %-10s %s" % (w, im.name, fmt_sys(per)))
    return res


def tls_overhead(prof):
    """The TLS profile lines: each operation's split for OpenSSL direct
    ("raw") and sockit, and sockit's overhead in per cent of OpenSSL's
    total."""
    out = []
    for label, what in (("tls-record-send", "per 16 KiB record, sender"),
                        ("tls-record-receive", "per 16 KiB record, receiver"),
                        ("tls-handshake", "per handshake, client")):
        o, k = prof.get((label, "raw")), prof.get((label, "sockit"))
        if o is None or k is None:
            continue
        out.append("%-28s openssl %.0f / %.0f / -   sockit %.0f / %.0f / %.0f   "
                   "overhead %+.0f = %.2f %%" % (what, o[0], o[1], k[0], k[1], k[2],
                                                 k[1] - o[1], 100.0 * (k[1] - o[1]) / o[0]))
    return out


def fmt_sys(per):
    return " ".join("%s=%s" % (k, ("%.2f" % v) if v >= 0.1 else ("%.4f" % v))
                    for k, v in sorted(per.items()))


def strace_counts(path):
    counts = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
            if m and m.group(2) != "total":
                counts[m.group(2)] = int(m.group(1))
    return counts


def annotate(path, n=16):
    """The top of callgrind_annotate (self cost per function) for one
    profile, without the source listings."""
    try:
        out = subprocess.run(["callgrind_annotate", path], capture_output=True,
                             text=True, timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = out.splitlines()
    start = next((i for i, l in enumerate(lines) if "file:function" in l), None)
    if start is None:
        return ""
    keep = [lines[start]]
    for l in lines[start + 2:]:
        if l.startswith("----") or not l.strip() or len(keep) > n:
            break
        keep.append(l.replace(ROOT + "/", "").rstrip())
    return "\n".join(keep)


# ---------------------------------------------------------------------------
def machine_info():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except Exception:
            return ""
    model = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    return [
        ("cpu", "%s, %s CPUs online" % (model, os.cpu_count())),
        ("memory", sh("free -m | awk '/^Mem:/ {print $2 \" MiB\"}'")),
        ("kernel", platform.release()),
        ("os", sh(". /etc/os-release && echo \"$PRETTY_NAME\"")),
        ("compiler", sh("cc --version | head -1")),
        ("libuv", sh("pkg-config --modversion libuv")),
        ("lua", sh("lua5.4 -v 2>&1 | head -1") + "; " +
         sh("lua5.4 -e 'print(require(\"socket\")._VERSION)'") +
         " (Debian lua-socket " + sh("dpkg-query -W -f='${Version}' lua-socket") + ")"),
        ("sockit", sh("cd %s && git describe --always --dirty 2>/dev/null" % ROOT)),
        ("descriptor limit", sh("ulimit -n") + " (soft, raised to the hard limit by bench/run)"),
        ("load at start", sh("cut -d' ' -f1-3 /proc/loadavg")),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--impls", default="")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--profile-fanin", action="store_true",
                    help="with --quick: also the fan-in callgrind profiles (busy, sparse)")
    ap.add_argument("--budget", type=float, help="seconds: start no new round after this")
    ap.add_argument("--report", help="write a Markdown report here")
    ap.add_argument("--results", help="also splice the report into this RESULTS.md")
    ap.add_argument("--command", default="bench/run")
    ap.add_argument("--max-clients", type=int, default=10000)
    o = ap.parse_args()

    ims = impls(o.build)
    if o.impls:
        want = o.impls.split(",")
        ims = [i for i in ims if i.name in want]
    loadgen = os.path.join(o.build, "bench_loadgen")
    SENDFILE_DIR[0] = o.build
    params = QUICK if o.quick else FULL
    rounds = o.rounds or (3 if o.quick else 7)
    budget = o.budget or (120 if o.quick else 600)
    wls = [w for w in o.workloads.split(",") if w]
    for w in wls:
        if w not in params:
            sys.exit("unknown workload " + w)
    # The descriptor limit caps the client counts (say so).
    for w in wls:
        c = params[w].get("clients")
        if c and c > o.max_clients:
            log("note: %s capped to %d clients (descriptor limit)" % (w, o.max_clients))
            params[w] = dict(params[w], clients=o.max_clients)
    try:
        cpuset = sorted(os.sched_getaffinity(0))
    except AttributeError:
        cpuset = list(range(os.cpu_count() or 1))
    env_cpus = os.environ.get("SOCKIT_BENCH_CPUS", "").split()
    if env_cpus:
        cpus = (int(env_cpus[0]), int(env_cpus[-1]))
    else:
        cpus = (cpuset[-1], cpuset[0]) if len(cpuset) > 1 else (cpuset[0], cpuset[0])
    log("pinning: server CPU %d, client CPU %d (one-CPU workloads: both on %d)" %
        (cpus[0], cpus[1], cpus[0]))

    t_start = time.monotonic()
    data = {w: {i.name: [] for i in ims} for w in wls}   # per round
    details = {w: {i.name: [] for i in ims} for w in wls}
    done_rounds = 0
    for r in range(rounds):
        if r > 0 and time.monotonic() - t_start > budget:
            log("time budget (%.0fs) spent: stopping after %d rounds" % (budget, r))
            break
        log("== round %d/%d" % (r + 1, rounds))
        for w in wls:
            order = ims[r % len(ims):] + ims[:r % len(ims)]
            row = {}
            for im in order:
                if w in im.skip:
                    data[w][im.name].append(None)
                    continue
                try:
                    t1 = time.monotonic()
                    v, d = None, {}
                    for _ in range(BEST_OF.get(w, 1)):
                        v1, d1 = run_one(im, w, params[w], cpus, loadgen, 300)
                        if v is None or v1 > v:
                            v, d = v1, d1
                    d["secs"] = time.monotonic() - t1
                except RunError as e:
                    log("  %-10s %-10s FAILED: %s" % (w, im.name, e))
                    v, d = None, {}
                data[w][im.name].append(v)
                details[w][im.name].append(d)
                row[im.name] = v
            log("  %-10s %s" % (w, "  ".join("%s=%s (%.1fs)" % (k, fmt(v, UNITS[w]),
                                                                  (details[w][k][-1] or {}).get("secs", 0))
                                             for k, v in row.items())))
        done_rounds += 1
    t_bench = time.monotonic() - t_start

    prof = {}
    if not o.no_profile:
        log("== profiles (callgrind, strace)")
        pdir = os.path.join(o.build, "profiles")
        os.makedirs(pdir, exist_ok=True)
        prof = profile(ims, loadgen, cpus, pdir, o.quick,
                       t_start + (240 if o.quick and not o.profile_fanin else 1000),
                       fanin=o.profile_fanin,
                       tls_only=all(w in TLS_WORKLOADS for w in wls))

    # ---- ratios within a round, then medians -----------------------------
    def ratio(w, a, b):
        rs = []
        for x, y in zip(data[w].get(a, []), data[w].get(b, [])):
            if x is not None and y is not None and y > 0:
                rs.append(x / y)
        return statistics.median(rs) if rs else None

    lines_out = []
    P = lines_out.append
    P("sockit benchmark: %s, %d rounds, %.0f s (+ profiles %.0f s)" %
      ("quick" if o.quick else "full", done_rounds, t_bench,
       time.monotonic() - t_start - t_bench))
    names = [i.name for i in ims]
    hdr = "%-10s %-8s " % ("workload", "unit") + " ".join("%12s" % n for n in names)
    subjects = [s for s in RATIO_SUBJECTS if s in names]
    for s in subjects:
        hdr += " " + " ".join("%14s" % ("%s/%s" % (s, n)) for n in names if n != s)
    P("")
    P("median of rounds (every round in the report); ratios: median of the per-round ratios")
    P(hdr)
    for w in wls:
        row = "%-10s %-8s " % (w, UNITS[w])
        row += " ".join("%12s" % fmt(median(data[w][n]), UNITS[w]) for n in names)
        if not w.startswith("idle"):
            for s in subjects:
                row += " " + " ".join("%14s" % (("%.2f" % ratio(w, s, n)) if ratio(w, s, n) is not None else "na")
                                      for n in names if n != s)
        P(row)
    # latency of pingpong, memory of fan-in
    if "pingpong" in wls:
        P("")
        P("pingpong latency (us, median of rounds): " + "  ".join(
            "%s p50=%s p99=%s" % (n, fmt_f(median([d.get("lat_p50_us") for d in details["pingpong"][n]])),
                                  fmt_f(median([d.get("lat_p99_us") for d in details["pingpong"][n]])))
            for n in names))
    for w in ("fanin1000", "fanin10000"):
        if w in wls:
            P("%s server peak RSS (KiB, median): " % w + "  ".join(
                "%s=%s" % (n, fmt_f(median([d.get("hwm", None) and d["hwm"] / 1024 for d in details[w][n]]), 0))
                for n in names))
    for iw in ("idle", "idle-watched"):
        if iw in wls:
            P("%s: RSS growth per connection (B) " % iw + "  ".join(
                "%s=%s" % (n, fmt(median(data[iw][n]), "B/conn")) for n in names) +
              "; heap per connection (B) " + "  ".join(
                "%s=%s" % (n, fmt_f(median([d.get("heap_per_conn") for d in details[iw][n]]), 0)) for n in names))
    if prof:
        P("")
        P("profiles: user instructions (callgrind: (I(2N) - I(N)) / N, start-up cancels out)")
        for w, unit in (("lines", "per line (reader)"),
                        ("pingpong", "per round trip (client)"),
                        ("udp-pps-client", "per round trip (client)"),
                        ("udp-pps-server", "per round trip (server)"),
                        ("udp-pps-conn-client", "per round trip (client)"),
                        ("udp-pps-conn-server", "per round trip (server)"),
                        ("fanin1000-busy", "per round trip (server)"),
                        ("fanin10000-busy", "per round trip (server)"),
                        ("fanin1000-sparse", "per round trip (server)"),
                        ("fanin10000-sparse", "per round trip (server)")):
            vals = ["%s=%.0f" % (n, prof[(w, n)]) for n in names if (w, n) in prof]
            if vals:
                P("  %-17s %-24s %s" % (w, unit, "  ".join(vals)))
        for w in ("fanin1000-sparse-rate", "fanin10000-sparse-rate"):
            vals = ["%s=%s" % (n, fmt(prof[(w, n)])) for n in names if (w, n) in prof]
            if vals:
                P("  %-17s %-24s %s" % (w[:-5], "round trips/s (timed)", "  ".join(vals)))
        for w in ("fanin1000-busy", "fanin10000-busy", "fanin1000-sparse", "fanin10000-sparse"):
            for n in ("sockit", "sockit-select"):
                if (w + "-selects", n) in prof:
                    ds, dr, dir_ = prof[(w + "-selects", n)]
                    P("  %-17s %s: %.0f user instructions per wait loop turn, %.1f ready per call" %
                      (w, n, dir_ / max(ds, 1), dr / max(ds, 1)))
        tls_lines = tls_overhead(prof)
        if tls_lines:
            P("TLS: user instructions per operation (callgrind), in all / outside libssl and "
              "libcrypto / in sockit's src/; overhead: sockit's outside minus OpenSSL's, "
              "over OpenSSL's total")
            for l in tls_lines:
                P("  " + l)
        P("system calls (strace -c -f: (count(2N) - count(N)) / N)")
        for w, unit in (("pingpong", "per round trip"), ("fanin1000", "per round trip"),
                        ("lines", "per line"),
                        ("connrate", "per connection"), ("udp-pps", "per round trip"),
                        ("udp-batch", "per round trip"), ("bulk", "per 64 KiB"),
                        ("sendfile", "per 64 KiB")):
            for n in names:
                per = prof.get(("strace-" + w, n))
                if per is not None:
                    P("  %-8s %-14s %-10s %s" % (w, unit, n, fmt_sys(per)))
    # ---- the RATIO lines: last, one per workload ----------------------------
    ratio_lines = []
    skips = dict((i.name, i.skip) for i in ims)
    for s in subjects:
        for w in wls:
            if w in TLS_WORKLOADS:
                if s == "sockit" and w not in skips[s]:
                    x, c = ratio(w, "sockit", "raw"), ratio(w, "control", "raw")
                    f = lambda v: "%.2f" % v if v is not None else "na"
                    ratio_lines.append("RATIO %s sockit/openssl=%s control(openssl/openssl)=%s"
                                       % (w, f(x), f(c)))
                continue
            if s != "sockit" and w in skips[s]:
                continue  # (sockit's lines keep the full form)
            if w.startswith("idle"):
                vals = []
                others = ["libuv", "luasocket"] + RATIO_AGAINST_MORE.get(s, [])
                for n in [s] + others:
                    m = median(data[w].get(n, []))
                    vals.append("na" if m is None else "%d" % round(m))
                ratio_lines.append("RATIO %s " % w + " ".join(
                    "%s_bytes=%s" % (n, v) for n, v in zip([s] + others, vals)))
                continue
            parts = []
            for n in RATIO_AGAINST + RATIO_AGAINST_MORE.get(s, []):
                x = ratio(w, s, n) if n in names else None
                parts.append("%s/%s=%s" % (s, n, "%.2f" % x if x is not None else "na"))
            if CONTROL in names:
                x = ratio(w, CONTROL, "raw")
                parts.append("control %s/raw=%s" % (CONTROL, "%.2f" % x if x is not None else "na"))
            ratio_lines.append("RATIO %s %s" % (w, " ".join(parts)))
    text = "\n".join(lines_out)
    print(text)
    print("")
    print("\n".join(ratio_lines))
    sys.stdout.flush()

    if o.report:
        write_report(o, ims, wls, params, data, details, prof, done_rounds, t_bench,
                     text, ratio_lines, cpus)


def fmt_f(x, digits=1):
    return "-" if x is None else ("%%.%df" % digits) % x


def write_report(o, ims, wls, params, data, details, prof, rounds, secs, text,
                 ratio_lines, cpus):
    names = [i.name for i in ims]
    r = []
    r.append("Generated by `%s` on %s (UTC)." % (
        o.command, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")))
    r.append("")
    r.append("| machine | |")
    r.append("|---|---|")
    for k, v in machine_info():
        r.append("| %s | %s |" % (k, v.replace("|", "/")))
    r.append("| pinning | server on CPU %d, client on CPU %d; %s: both on CPU %d |" % (
        cpus[0], cpus[1], ", ".join(w for w in wls if CPUS[w] == "one"), cpus[0]))
    r.append("")
    r.append("Sizes: " + "; ".join("%s %s" % (w, " ".join("%s=%s" % kv for kv in params[w].items()))
                                   for w in wls) + ".")
    r.append("")
    r.append("Per-round figures (the order of implementations rotates each round):")
    r.append("")
    r.append("| workload | unit | impl | " + " | ".join("r%d" % (i + 1) for i in range(rounds)) + " | median |")
    r.append("|---|---|---|" + "---|" * (rounds + 1))
    for w in wls:
        for n in names:
            vals = data[w][n]
            r.append("| %s | %s | %s | %s | %s |" % (
                w, UNITS[w], n, " | ".join(fmt(v, UNITS[w]) for v in vals),
                fmt(median(vals), UNITS[w])))
    r.append("")
    r.append("Summary as printed:")
    r.append("")
    r.append("```")
    r.append(text)
    r.append("")
    r.extend(ratio_lines)
    r.append("```")
    if prof:
        ex = []
        for im_name, w, side in (("sockit", "lines", "reader"), ("sockit", "pingpong", "client"),
                                 ("sockit", "fanin10000-sparse", "server"),
                                 ("sockit-loop", "pingpong", "client"),
                                 ("sockit-loop", "fanin10000-sparse", "server")):
            p = os.path.join(o.build, "profiles", "callgrind.%s.%s.2" % (w, im_name))
            if os.path.exists(p):
                a = annotate(p)
                if a:
                    ex.append("`callgrind_annotate` (self cost) of %s's %s %s, 2N run:" % (im_name, w, side))
                    ex.append("")
                    ex.append("```")
                    ex.append(a)
                    ex.append("```")
                    ex.append("")
        if ex:
            r.append("")
            r.extend(ex)
    body = "\n".join(r) + "\n"
    with open(o.report, "w") as f:
        f.write(body)
    log("report written to " + o.report)
    if o.results:
        splice(o.results, body)
        log("run section of %s replaced" % o.results)


BEGIN, END = "<!-- BEGIN RUN (written by bench/run --write-results) -->", "<!-- END RUN -->"


def splice(path, body):
    """Replace the generated section of RESULTS.md, keeping the rest."""
    old = open(path).read() if os.path.exists(path) else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        head, tail = "# sockit benchmark results\n\n", "\n"
    with open(path, "w") as f:
        f.write(head + BEGIN + "\n\n" + body + "\n" + END + tail)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
