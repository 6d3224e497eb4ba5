#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/budget.py - the instruction budgets (ci/test's perf lane, issue 17).

Runs each line of bench/budgets (a workload, an implementation, the backend
it waits with, a budget) under callgrind through bench/harness.py's
callgrind_per_op (N and 2N operations; the difference divided by N, so
start-up cancels out) and prints every count beside its budget.  Exits 1
when a count exceeds its budget by more than 2 % (TOLERANCE), or when
glibc's string functions were not pinned.

Counts must not depend on the machine: the measured process runs with
GLIBC_TUNABLES (PIN below) turning off every x86-64 feature above the
baseline, so that glibc picks its SSE2 memchr/memcpy/strlen on any x86-64
CPU; each profile is then checked for a function of another family (AVX,
EVEX, ERMS, SSSE3, SSE4).  They do not depend on the load either: the
workloads are request-response (one message in flight per connection, or
per busy client), so each operation takes the same path however the
processes are scheduled: the measured process runs at SCHED_IDLE on the
CPU of its peer (harness.callgrind_per_op's lockstep), so it runs only
while the peer waits, and every wait of a fan-in server finds every busy
client ready.  The references (raw, libuv) run as bench/run profiles
them, without lockstep: libuv reads until EAGAIN, which lockstep would
turn into bursts that no real peer makes.

    budget.py --build DIR [--budgets FILE] [--only REGEX] [--top N] [--update]

--update rewrites the budget column of every line that ran with its count
(a commit that lowers counts lowers its budgets so; see bench/README.md
for when a budget may rise).
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import time

import harness
from harness import RunError, callgrind_per_op, impls, log, tls_split, uring_skip

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 0.02

# glibc 2.36 (Debian 12) names; a feature the CPU lacks is ignored.  With
# AVX2, SSSE3 and ERMS off and no preference bits, the ifunc selectors give
# __memchr_sse2, __memmove_sse2_unaligned, __strlen_sse2 and so on.
PIN = ("GLIBC_TUNABLES=glibc.cpu.hwcaps="
       "-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-EVEX,"
       "-ERMS,-FSRM,-SSSE3,-SSE4_1,-SSE4_2,-BMI1,-BMI2,-LZCNT,-MOVBE,-POPCNT,"
       "-RTM,-AVX_Fast_Unaligned_Load,-Fast_Unaligned_Copy,-Fast_Unaligned_Load,"
       "-Prefer_ERMS,-Prefer_FSRM,-Fast_Copy_Backward")
UNPINNED = re.compile(r"^fn=.*\b\w*_(avx|evex|erms|ssse3|sse4)\w*", re.I | re.M)

# name -> (harness workload, measured side, parameters, the key doubled,
# operations per unit of that key[, {impl: parameters it takes instead}]).  Iteration counts: each count stable to
# well under 1 % between two runs (bench/README.md), the lane a few minutes.
WORKLOADS = {
    # one connection, 64-byte messages, TCP_NODELAY; both ends on one CPU
    "pingpong-client": ("pingpong", "client", dict(n=10000, lat=0), "n", 1),
    "pingpong-read-client": ("pingpong", "client", dict(n=10000, lat=0, recv="read"), "n", 1),
    "pingpong-server": ("pingpong", "server", dict(n=10000, lat=0), "n", 1),
    # loadgen writes 31..51-byte lines; the reader counts them
    "lines-receiveline": ("lines", "server", dict(n=40000), "n", 1),
    "lines-receive": ("lines", "server", dict(n=40000, recv="receive"), "n", 1),
    # connect, the server accepts and closes, the client sees end of stream
    "connect-accept-client": ("connrate", "client", dict(n=2000), "n", 1),
    "connect-accept-server": ("connrate", "server", dict(n=2000), "n", 1),
    # 64-byte datagrams echoed (one operation: a round trip, two datagrams
    # at each end): the client with a peer (sk_sendto host NULL +
    # sk_recvfrom), the server answering the sender sk_recvfrom names with
    # sk_sendto(host, port); -unconn: the client names the server in every
    # sk_sendto and takes the sender from sk_recvfrom
    "udp-client": ("udp-pps-conn", "client", dict(n=10000), "n", 1),
    "udp-server": ("udp-pps-conn", "server", dict(n=10000), "n", 1),
    "udp-unconn-client": ("udp-pps", "client", dict(n=10000), "n", 1),
    # the same with the binary calls (sk_recvfromaddr, sk_sendtoaddr; the
    # client's sk_toaddr once): no text conversion per datagram
    "udp-server-addr": ("udp-pps-conn", "server", dict(n=10000, addr=1), "n", 1),
    "udp-unconn-client-addr": ("udp-pps", "client", dict(n=10000, addr=1), "n", 1),
    # 64 datagrams in flight, sk_sendmany / sk_recvmany (raw: one system
    # call per datagram); one operation: a datagram echoed
    "udp-batch-client": ("udp-batch", "client", dict(n=64000), "n", 1),
    "udp-batch-server": ("udp-batch", "server", dict(n=64000), "n", 1),
    "udp-batch-server-addr": ("udp-batch", "server", dict(n=64000, addr=1), "n", 1),
    # one echo server, loadgen's clients; busy: every client makes round
    # trips, sparse: 10 of them do and the rest stay connected and idle
    "fanin1000-busy": ("fanin1000", "server", dict(clients=1000, rt=20), "rt", 1000,
                       # sk_select's set-up (accepting 1,000 clients) costs a
                       # poll of all of them per wait: more round trips
                       # drown its spread
                       {"sockit-select": dict(clients=1000, rt=60)}),
    "fanin1000-sparse": ("fanin1000", "server", dict(clients=1000, rt=3000, active=10), "rt", 10),
    # rt=12: setting up 10,000 connections differs between two runs by
    # ~600,000 instructions; at rt=4 that was up to 5.6 % of a count
    "fanin10000-busy": ("fanin10000", "server", dict(clients=10000, rt=12), "rt", 10000,
                        {"sockit-select": dict(clients=10000, rt=20)}),
    "fanin10000-sparse": ("fanin10000", "server", dict(clients=10000, rt=3000, active=10), "rt", 10,
                          # sk_select reads all 10,000 on every wait: 50,000
                          # instructions a round trip, fewer suffice
                          {"sockit-select": dict(clients=10000, rt=300, active=10)}),
    # TLS (tls_sockit.c; OpenSSL's own work is not sockit's to budget):
    # 16 KiB records sent (the client) and received (the server), one
    # handshake with one byte each way and close_notify (the client,
    # resuming its session as sockit's client context does)
    "tls-record-send": ("tls-bulk", "client", dict(bytes=2048 * 16384), "bytes", 1 / 16384),
    # (the receiver acknowledges each record, ack=1: unacknowledged, how
    # many records one wake drains, and so its waits per record, follows
    # the kernel's buffer sizing and moved the count by 4 % between runs)
    "tls-record-receive": ("tls-bulk", "server", dict(bytes=2048 * 16384, ack=1), "bytes",
                           1 / 16384),
    "tls-handshake-client": ("tls-handshake", "client", dict(n=200), "n", 1),
}
# Lines counted in sockit's own sources only (src/, inlined code too): the
# TLS library's share depends on the CPU (OpenSSL picks its AES and GHASH
# code by CPUID, which GLIBC_TUNABLES does not pin) and on random bytes (an
# ECDSA signature); sockit's share does not.  The pinning check is moot
# there (glibc's string functions are not counted).
OWN_ONLY = ("tls-record-send", "tls-record-receive", "tls-handshake-client")
# Backends: sockit's synchronous calls and sk_select wait with poll(2); a
# selector or a loop takes the one named (passed as backend=NAME).  raw
# blocks in its system calls ("blocking") or uses epoll (fan-in); libuv
# uses epoll.  "uring" lines are skipped, saying why, on a machine that
# does not give sockit io_uring (forbidden, too old): the CI machine may.
BACKENDS = ("uring", "epoll", "poll", "kqueue", "select", "blocking")


def parse(path):
    """The lines of the budgets file: (line index, workload, impl, backend,
    budget or None for a reference)."""
    rows = []
    with open(path) as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        t = line.split("#", 1)[0].split()
        if not t:
            continue
        if len(t) != 4:
            sys.exit("%s:%d: want WORKLOAD IMPL BACKEND BUDGET" % (path, i + 1))
        w, im, be, b = t
        if w not in WORKLOADS:
            sys.exit("%s:%d: unknown workload %s (%s)" % (path, i + 1, w, " ".join(WORKLOADS)))
        if be not in BACKENDS:
            sys.exit("%s:%d: unknown backend %s" % (path, i + 1, be))
        rows.append((i, w, im, be, None if b == "-" else float(b)))
    return lines, rows


def self_costs(path):
    """function -> self instructions, from callgrind_annotate."""
    out = subprocess.run(["callgrind_annotate", "--threshold=100", "--auto=no", path],
                         capture_output=True, text=True).stdout
    out = out[out.find("file:function"):]
    costs = {}
    for line in out.splitlines()[2:]:
        if not line.strip():
            break
        m = re.match(r"^\s*([\d,]+) \([\s\d.]+%\)\s+(\S.*?)(?: \[.*\])?$", line)
        if m and "PROGRAM TOTALS" not in line:
            fn = m.group(2).split(":", 1)[-1]
            costs[fn] = costs.get(fn, 0) + int(m.group(1).replace(",", ""))
    return costs


def top(prof, ops, n):
    """The n functions costing most per operation: the difference of the
    two runs' self costs (set-up cancels out), divided by ops."""
    a, b = self_costs(prof + ".1"), self_costs(prof + ".2")
    d = sorted(((b.get(f, 0) - a.get(f, 0)) / ops, f) for f in set(a) | set(b))
    return ", ".join("%s %.1f" % (f, c) for c, f in reversed(d[-n:]) if c >= 0.5)


def update(path, lines, counts):
    """Rewrite the budget column of the lines in counts (index -> count),
    keeping the file's layout."""
    for i, c in counts.items():
        m = re.match(r"^(\s*\S+\s+\S+\s+\S+\s+)(\S+)(.*)$", lines[i])
        new = "%.1f" % c
        lines[i] = m.group(1) + new.rjust(len(m.group(2))) + m.group(3)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--budgets", default=os.path.join(HERE, "budgets"))
    ap.add_argument("--only", default="", help="regex: the workload lines to run")
    ap.add_argument("--top", type=int, default=0,
                    help="also print the N functions costing most per operation")
    ap.add_argument("--update", action="store_true",
                    help="rewrite the budgets that ran with their counts")
    o = ap.parse_args()

    # The fan-in rows hold 10,000 connections in each process (bench/'s
    # programs raise their soft limit to the hard one).
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 10100:
        sys.exit("budgets: the descriptor hard limit is %d; the fan-in rows need 10,100" % hard)
    ims = {i.name: i for i in impls(o.build)}
    loadgen = os.path.join(o.build, "bench_loadgen")
    pdir = os.path.join(o.build, "budgets")
    os.makedirs(pdir, exist_ok=True)
    try:
        cpuset = sorted(os.sched_getaffinity(0))
    except AttributeError:
        cpuset = list(range(os.cpu_count() or 1))
    cpus = (cpuset[-1], cpuset[0])
    lines, rows = parse(o.budgets)
    if o.only:
        rows = [r for r in rows if re.search(o.only, "%s %s %s" % r[1:4])]
    log("budgets: %d lines of %s; measured processes run with %s" % (len(rows), o.budgets, PIN))
    t0 = time.monotonic()
    fails, counts, out = [], {}, []
    hdr = "%-22s %-13s %-8s %10s %10s %8s  %s" % ("workload", "impl", "backend", "count",
                                                  "budget", "ratio", "")
    print(hdr)
    for i, w, name, be, budget in rows:
        hw, side, params, key, per_unit = WORKLOADS[w][:5]
        if len(WORKLOADS[w]) > 5:
            params = WORKLOADS[w][5].get(name, params)
        im = ims.get(name)
        if im is None or hw in im.skip:
            sys.exit("%s: %s has no %s workload" % (o.budgets, name, hw))
        p = dict(params)
        if name.startswith("sockit"):
            p["backend"] = be
        if be == "uring" and uring_skip(o.build):
            print("%-22s %-13s %-8s %10s %10s %8s  skipped: %s" % (
                w, name, be, "-", "-" if budget is None else "%.1f" % budget, "",
                uring_skip(o.build)), flush=True)
            continue
        prof = os.path.join(pdir, "callgrind.%s.%s.%s" % (w, name, be))
        t1 = time.monotonic()
        try:
            per, _ = callgrind_per_op(im, hw, side, p, key, params[key] * per_unit,
                                      loadgen, cpus, prof, env=[PIN], timeout=600,
                                      lockstep=budget is not None)
        except RunError as e:
            line = "%-22s %-13s %-8s %10s %10s %8s  FAIL: %s" % (w, name, be, "-", budget or "-", "", e)
            print(line, flush=True)
            fails.append(line)
            continue
        if w in OWN_ONLY:
            ops = params[key] * per_unit
            per = (tls_split(prof + ".2")[2] - tls_split(prof + ".1")[2]) / ops
            bad = None
        else:
            with open(prof + ".2") as f:
                bad = UNPINNED.search(f.read())
        counts[i] = per
        if budget is None:
            verdict = "reference"
        elif per > budget * (1 + TOLERANCE):
            verdict = "FAIL: over budget by %.1f %%" % ((per / budget - 1) * 100)
        elif per < budget * (1 - TOLERANCE):
            verdict = "ok (%.1f %% under: lower the budget)" % ((1 - per / budget) * 100)
        else:
            verdict = "ok"
        if bad:
            verdict = "FAIL: glibc not pinned (%s)" % bad.group(0)[3:].strip()
        line = "%-22s %-13s %-8s %10.1f %10s %8s  %s (%.0fs)" % (
            w, name, be, per, "-" if budget is None else "%.1f" % budget,
            "-" if budget is None else "%.3f" % (per / budget), verdict, time.monotonic() - t1)
        print(line, flush=True)
        if o.top:
            print("    top: " + top(prof, params[key] * per_unit, o.top), flush=True)
        out.append(line)
        if verdict.startswith("FAIL"):
            fails.append(line)
    print("%d lines, %d failed, %.0fs (profiles in %s)" % (len(rows), len(fails),
                                                         time.monotonic() - t0, pdir))
    if o.update:
        update(o.budgets, lines, {i: c for i, c in counts.items()
                                  if rows and lines[i].split()[3] != "-"})
        print("budgets rewritten: %s" % o.budgets)
    for f in fails:
        print("FAILED: " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
