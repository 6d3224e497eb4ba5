#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_seeds.py - writes the hand-made seed corpus of sockit's fuzz targets
(tests/fuzz/corpus/<target>/).  The input formats are described atop
each fuzz_<target>.c.  Run it from anywhere;
it overwrites only the files it names.  Output is deterministic."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- fuzz_receive --------------------------------------------------------
CLOSED, RESET, TIMEOUT = 0, 1, 2
ALL, LINE, BYTES, SOME, READ, SETLIM, GETLIM, SETTMO, SEND, CLOSE = \
    0, 1, 2, 3, 4, 5, 6, 7, 8, 10


def op(code, *args):
    a = list(args) + [0] * (7 - len(args))
    return bytes([code] + a)


def recv(pattern, n=0, mode=0, plen=0, big=0):
    return op(pattern, n & 255, n >> 8, mode, plen, big)


def data(b):
    out = b""
    while b:
        part, b = b[:256], b[256:]
        out += bytes([0, len(part) - 1]) + part
    return out


def rep(n, pattern):
    # length 1 + n (multiplier 1), pattern of len(pattern) <= 8 bytes
    k = 4 | ((len(pattern) - 1) << 5)
    return bytes([k, n & 255, n >> 8]) + pattern


BLOCK, INTR, STALL = b"\x05", b"\x06", b"\x07"

# sk_receiveline: GETLIM's code with a[3] bit 0 set (also LINE with a[5] & 3
# == 3).
RLINE = op(GETLIM, 0, 0, 1)


def receive_seed(flags, ops, script):
    return bytes([flags, len(ops) - 1]) + b"".join(ops) + script


receive = {
    "lines": receive_seed(CLOSED, [recv(LINE), recv(LINE, mode=1, plen=7),
                                   recv(LINE), recv(ALL)],
                          data(b"hello\r\nwor") + BLOCK + data(b"ld\n") +
                          INTR + data(b"\r\n\rlast line, no LF")),
    "bytes-some-read": receive_seed(RESET, [recv(BYTES, 5, mode=1, plen=3),
                                            recv(SOME, 3), op(READ, 4),
                                            recv(SOME, 0, mode=2, plen=2),
                                            recv(BYTES, 100)],
                                    data(b"0123456789") + STALL +
                                    data(b"abcdefghij") + BLOCK +
                                    data(b"KLMNOPQRSTUVWXYZ")),
    "line-limit": receive_seed(0x80 | 3 << 5 | CLOSED,
                               [recv(LINE), recv(LINE), op(SETLIM, 1),
                                recv(LINE), op(SETLIM, 200, 0, 1),
                                op(GETLIM), recv(LINE), recv(LINE)],
                               data(b"abcdefgh\r\nxy\n\r\r\rz") + STALL +
                               data(b"12345\n")),
    "big-stream": receive_seed(TIMEOUT, [recv(BYTES, 20000 >> 4, big=1),
                                         recv(SOME, 0), recv(BYTES, 40000),
                                         recv(ALL, mode=1, plen=9)],
                               rep(30000, b"ab\r\ncd") + BLOCK +
                               rep(50000, b"x") + STALL + rep(1000, b"\n")),
    "send-partial": receive_seed(CLOSED, [
        op(SEND, 0x10, 0x27, 1, 0xff, 10, 3 | 5 << 3, 0x40),
        op(SEND, 100, 0, 0xfe, 0xff, 0, 31 << 3, 0),
        op(SEND, 200, 0, 5, 20, 1, 1 << 3, 0x80),
        op(SETTMO, 8, 0), op(SETTMO, 0xf8, 1),
        op(SEND, 50, 0, 0, 0, 255, 0, 4), recv(ALL)],
        data(b"ok\n")),
    "connect-late": receive_seed(CLOSED | 3 << 2, [recv(LINE), recv(LINE),
                                                   op(SEND, 5, 0, 1, 0xff,
                                                      255, 31 << 3, 4),
                                                   recv(ALL)],
                                 data(b"late\nbut\nthere")),
    "connect-progress": receive_seed(RESET | 2 << 2 | 1 << 5,
                                     [recv(SOME), recv(BYTES, 3)],
                                     data(b"xyzw")),
    "refused": receive_seed(CLOSED | 4 << 2 | 2 << 5,
                            [recv(ALL), op(SETLIM, 5), op(SEND, 3)],
                            data(b"never read")),
    "close-midway": receive_seed(CLOSED, [recv(BYTES, 2), op(CLOSE, 8),
                                          recv(LINE), op(READ, 2),
                                          op(GETLIM)],
                                 data(b"abcdef\n")),
    "lineview": receive_seed(CLOSED, [RLINE, RLINE, RLINE, RLINE, RLINE,
                                       recv(LINE), op(READ, 2), RLINE,
                                       RLINE, RLINE, RLINE, RLINE],
                             data(b"one\r\ntw") + STALL +
                             data(b"o\n\r\rx\ry\nrest\nmo") + BLOCK +
                             data(b"re\nab\n") + INTR +
                             data(b"\r\npartial end")),
    "lineview-bound": receive_seed(0x80 | 2 | TIMEOUT,
                                   [RLINE, RLINE, RLINE,
                                    op(SETLIM, 0, 0x80, 1), RLINE, RLINE,
                                    RLINE, RLINE, RLINE, recv(SOME), RLINE],
                                   data(b"abcdef\nxy\n") +
                                   rep(20000, b"a\rb") + data(b"\n") +
                                   rep(17000, b"z") + STALL +
                                   data(b"\nq")),
    "bad-buffers": receive_seed(CLOSED, [recv(LINE, mode=3), recv(ALL, mode=7),
                                         op(11, 1, 0), op(11, 0, 3),
                                         recv(BYTES, 0), recv(ALL)],
                                data(b"still all here")),
}

# ---- fuzz_parse ----------------------------------------------------------


def s(text):
    b = text.encode() if isinstance(text, str) else text
    return bytes([len(b)]) + b


def i32(v):
    return struct.pack("<i", v)


def i64(v):
    return struct.pack("<q", v)


def f64(v):
    return struct.pack("<d", v)


def cmd(opcode, which, *parts):
    return bytes([opcode, which]) + b"".join(parts)


parse = {
    "bind-listen": b"\x00" + cmd(0, 0, s("127.0.0.1"), i32(0)) +
    cmd(11, 0, i32(5)) + cmd(12, 0) + cmd(10, 0) +
    cmd(0, 1, s("*"), i32(65535)) + cmd(10, 1) +
    cmd(0, 2, s("::"), i32(-1)) + cmd(0, 2, s("0.0.0.0"), i32(65536)),
    "connect-send": b"\x00" + cmd(1, 0, b"\x00", s("127.0.0.1"), i32(80)) +
    cmd(9, 0, b"\x0a", i64(2), i64(-2), b"\x00") + cmd(10, 0) +
    cmd(1, 1, b"\x01", s("::1"), i32(443)) +
    cmd(9, 1, b"\x40", i64(-100), i64(100), b"\x00") +
    cmd(9, 1, b"\x05", i64(0), i64(0), b"\x01") + cmd(16, 1, i32(1)) +
    cmd(19, 0, i32(1), i64(10)),
    "options": b"\x00" + cmd(2, 0, s("keepalive")) +
    cmd(3, 0, s("linger"), i32(-1)) + cmd(3, 2, s("tcp-nodelay"), i32(1)) +
    cmd(4, 2, s("tcp-nodelay")) + cmd(3, 1, s("ipv6-v6only"), i32(0)) +
    cmd(5, 0x40, i32(15), i32(2)) + cmd(6, 0, i32(-1)) +
    cmd(3, 0, s("reuseaddr\x00junk"), i32(1)) + cmd(4, 1, s("")),
    "timeouts": b"\x00" + cmd(7, 0, f64(float("nan")), b"b") +
    cmd(7, 0, f64(float("inf")), b"t") + cmd(7, 1, f64(-0.0), b"b") +
    cmd(7, 2, f64(1e300), b"x") + cmd(7, 0x80, f64(1.5), b"t") +
    cmd(13, 0, f64(1e12), i64(-1), i64(5)) + cmd(18, 3, f64(-1.0)) +
    cmd(18, 1, f64(float("nan"))),
    "errors": b"\x00" + cmd(8, 0, i32(-1)) + cmd(8, 0, i32(-22)) +
    cmd(8, 0, i32(-23)) + cmd(8, 0, i32(-2**31)) + cmd(8, 0, i32(1)),
    "hosts": b"\x01" + cmd(0, 0, s(""), i32(1)) +
    cmd(0, 0, b"\xff" + b"1", i32(1)) + cmd(1, 2, b"\x00", s("localhost"),
                                            i32(80)) +
    cmd(1, 2, b"\x00", s("1.2.3.4.5"), i32(80)) +
    cmd(1, 1, b"\x04", s("::ffff:1.2.3.4"), i32(80)) +
    cmd(1, 0, b"\x02", s("10.0.0.1"), i32(0)) +
    cmd(14, 1, b"\x01") + cmd(15, 0) + cmd(15, 0) + cmd(10, 0),
}

# ---- fuzz_addr -----------------------------------------------------------
A_BIND, A_CONNECT, A_PEER, A_SENDTO, A_GROUP, A_GAI, A_GNI, A_NEW, \
    A_NAMES, A_CLOSE = 0, 1, 2, 3, 4, 5, 7, 8, 9, 10
P0, P1, P65535, P65536, PNEG, PMIN, PMAX = (bytes([i]) for i in range(7))
K_TCP4, K_TCP6, K_TCP, K_UDP4, K_UDP6, K_UDP, K_UNIX, K_UNIXDGRAM = range(8)


def port(v):
    return bytes([7]) + struct.pack("<H", v)


def abind(obj, host, p, null=0):
    return cmd(A_BIND, obj, s(host), p, bytes([null]))


def aconnect(obj, host, p, mode=0):
    return cmd(A_CONNECT, obj, bytes([mode]), s(host), p)


def apeer(obj, host, p):
    return cmd(A_PEER, obj, s(host), p)


def asendto(obj, host, p, nohost=0, length=4):
    return cmd(A_SENDTO, obj, bytes([nohost, length]), s(host), p)


def agai(host, svc, family=0, typ=0, flags=0, sel=0):
    # family: an index into fuzz_addr's table (0 unspec, 1 inet, 2 inet6,
    # 3 unix, 4 and 5 no family at all)
    return cmd(A_GAI, 0, bytes([sel, family, typ, flags]), s(host or ""),
               s(svc or ""))


def agni(addr, cap=None):
    c = b"\x01" if cap is None else b"\x00" + bytes([cap])
    return cmd(A_GNI, 0, c, b"\x01", s(addr))


def anew(obj, kind):
    return cmd(A_NEW, obj, bytes([kind]))


def longstr(kind, k, first, fill):
    # kind 254: a host of 250 + k % 10 bytes; 255: a path of 100 + k % 16
    return bytes([kind, k, ord(first), ord(fill)])


addr = {
    "ipv4-shorthand": b"\x00" + abind(0, "127.1", port(8080)) +
    aconnect(2, "0x7f.1", port(80)) + agai("127.1", "80") +
    agai("0x7f.0.0.1", "0443", 1) + agai("017700000001", None, sel=2) +
    agai("1.2.3", "65535", 1, 1) + agai("4294967295", "1") +
    agai("0x100.1", "1") + agni("127.1") + agni("0x7f.1", 3) +
    anew(1, K_UDP4) + apeer(1, "10.1", port(53)) +
    asendto(1, "x", port(1), nohost=1),
    "ipv6-scope": b"\x00" + anew(0, K_TCP6) + abind(0, "fe80::1%lo", port(1)) +
    aconnect(2, "fe80::1%1", port(22)) + agai("fe80::1%lo", "22", 2) +
    agai("fe80::1%4294967296", "22") + agai("ff02::1%", "1") +
    agai("::ffff:127.0.0.1", "80", 2, 2) + agai("::1%lo0", None, sel=2) +
    agni("fe80::1%lo") + agni("::ffff:10.0.0.1") +
    anew(1, K_UDP6) + asendto(1, "fe80::2%lo", port(9)) +
    anew(3, K_UDP) + cmd(A_GROUP, 3, b"\x00\x01", s("ff02::1%lo")) +
    cmd(A_GROUP, 3, b"\x05\x00", s("239.1.1.1")),
    "brackets": b"\x00" + abind(0, "[::1]", port(80)) +
    aconnect(2, "[127.0.0.1]", port(80)) + agai("[::1]", "80") +
    agai("[::1]:80", None, sel=2) + agai("::1]", "1") + agni("[::1]") +
    anew(1, K_UDP) + apeer(1, "[::]", port(1)) + apeer(1, "*", port(0)) +
    asendto(1, "*", port(5)),
    "ports": b"\x00" + abind(0, "127.0.0.1", P65536) +
    abind(0, "127.0.0.1", PNEG) + abind(0, "127.0.0.1", PMIN) +
    aconnect(2, "::1", P0) + aconnect(2, "::1", PMAX) +
    aconnect(2, "::1", P65535) + agai("::1", "65536") +
    agai("::1", "00000065535") + agai("::1", "") + agai("::1", "-1") +
    agai(None, "http", sel=1) + agai("::1", "echo", 3, 0, 2) + agai("1.1.1.1", "99999999999999") +
    anew(1, K_UDP4) + asendto(1, "127.0.0.1", P0) +
    asendto(1, "127.0.0.1", P65536) +
    apeer(1, "127.0.0.1", PNEG),
    "unix-paths": b"\x00" + abind(3, "", P0) +
    cmd(A_BIND, 3, longstr(255, 8, "/", "p"), P0 + b"\x00") +
    cmd(A_BIND, 3, longstr(255, 7, "/", "p"), P0 + b"\x00") +
    anew(3, K_UNIX) +
    cmd(A_BIND, 3, longstr(255, 6, "/", "p"), P0 + b"\x00") +
    anew(3, K_UNIX) +
    cmd(A_BIND, 3, longstr(255, 8, "@", "a"), P0 + b"\x00") +
    anew(3, K_UNIX) +
    cmd(A_BIND, 3, longstr(255, 9, "@", "a"), P0 + b"\x00") +
    anew(3, K_UNIX) + abind(3, "@", P0) + abind(3, "*", P0) +
    abind(3, "/tmp/x.sock", port(1)) + abind(3, "rel/x.sock", P0) +
    cmd(A_NAMES, 3) + anew(1, K_UNIXDGRAM) +
    asendto(1, "@peer", P0) + apeer(1, "/tmp/peer", P0) +
    asendto(1, "x", P0, nohost=1) + cmd(A_CLOSE, 1) +
    anew(2, K_UNIX) + aconnect(2, "@srv", P0) + cmd(A_NAMES, 2),
    "long-hosts": b"\x01" + cmd(A_BIND, 0, longstr(254, 5, "1", "1"),
                                P1 + b"\x00") +
    cmd(A_BIND, 0, longstr(254, 6, "1", "1"), P1 + b"\x00") +
    cmd(A_CONNECT, 2, b"\x00", longstr(254, 5, "a", "b"), P1) +
    cmd(A_GAI, 0, b"\x00\x00\x00\x01", longstr(254, 5, "1", "1"), s("1")) +
    cmd(A_GNI, 0, b"\x01\x01", longstr(254, 2, "1", "1")) +
    agni("255.255.255.255") + agni("::") + agni("1.2.3.4", 0) +
    agni("1.2.3.4", 1) + agni("8.8.4.4", 9) + agni("not-an-address"),
}

# ---- fuzz_conn -----------------------------------------------------------
# Commands are [op, slot, operands]; the same byte stream also answers the
# backend (one byte per poller wait, more for some actions; one per
# connect start) and the handlers (one byte each: NOP does nothing), in
# the order the calls happen (see fuzz_conn.c, fake_plat.h).  Build
# fuzz_conn.c with -DFUZZ_CONN_TRACE to see the handler calls of a seed.
NOP = 10          # a handler that does nothing (act: 10 % 24)
C_NEW, C_CONNECT, C_WRITE, C_READ, C_LINE, C_ALL, C_DISC, C_ABORT, C_FREE, \
    C_TMO, C_RLIMIT, C_BIND, C_LLIMIT, C_QUERY = range(14)
C_RUN, C_LISTEN, C_SRVCLOSE, C_POST, C_STOP, C_WAKE = range(14, 20)
# poller decisions (fake_plat.c fp_happen): k % 8 is the action
W_TIME = b"\x00"


def w_data(reg, amount):
    return bytes([1, reg, amount])


def w_close(reg):
    return bytes([2, reg])


def w_reset(reg):
    return bytes([3, reg])


def w_settle(reg, ok=True):
    return bytes([4 | (2 << 3 if ok else 0), reg])


def w_toggle(reg):  # the send buffer fills up / drains
    return bytes([5, reg])


def w_client(reg, fail=False):
    return bytes([6 | (0 if fail else 1 << 3), reg])


def w_nothing(reg=0):  # something happens to nobody: report what is ready
    return bytes([6 | 1 << 3, reg])


def c(op, slot=0, *rest):
    return bytes([op, slot]) + bytes(rest)


def run(n=1, nowait=False):
    return c(C_RUN + (0x78 if nowait else 0), n - 1)


conn = {
    # connect to 127.0.0.1 (no hook), settle, data, lines, a write, close
    "connect-lines": b"\x00" + c(C_NEW) + c(C_CONNECT, 0, 0x08) +
    bytes([NOP]) + run() + W_TIME + bytes([NOP, NOP]) + b"\x00" +
    run() + w_settle(1) + bytes([NOP, NOP]) +
    c(C_LLIMIT, 0, 30) + run() + w_data(1, 200) + bytes([NOP]) +
    c(C_LINE, 0, 0) + c(C_LINE, 0, 1) + c(C_LINE, 0, 0) + c(C_READ, 0, 3) +
    c(C_LINE, 0, 0) + c(C_LINE, 0, 0) + c(C_WRITE, 0, 3) +
    run() + w_nothing() + bytes([NOP]) +
    run() + w_close(1) + bytes([NOP, NOP, NOP]) + c(C_LINE, 0, 0) +
    c(C_ALL, 0) + c(C_QUERY, 0),
    # a name through the hook: three addresses, Happy Eyeballs with a 1 ms
    # delay, the first refused, the second wins; a numeric host whose
    # connect timeout (0.05 s) runs out, with bytes written meanwhile
    "hook-eyeballs": b"\x00" + c(C_NEW) + c(C_TMO, 0, 9) +
    c(C_CONNECT, 0, 0x4a) + bytes([3, 0, 1, 2]) + bytes([NOP]) +
    c(C_NEW, 1) + c(C_TMO, 1, 12) + c(C_CONNECT, 1, 0x0b) + bytes([NOP]) +
    c(C_WRITE, 1, 2) +
    run() + w_nothing(0) + bytes([NOP, NOP]) + b"\x00" +
    bytes([NOP, NOP]) + b"\x00" +
    run() + W_TIME + b"\x00" +
    run() + w_settle(1, False) + b"\x00" +
    run() + w_settle(3) + bytes([NOP, NOP]) +
    run() + W_TIME + bytes([NOP, NOP]) + c(C_QUERY, 1) + c(C_QUERY, 0),
    # a server: a client, one accept that fails (the listener pauses for
    # 0.1 s), three at once (the callback frees the server); connections
    # free themselves in ready_read and in a post; a reset
    "server-free": b"\x00" + c(C_LISTEN, 0, 1) +
    run() + w_client(1) + bytes([10, NOP]) +
    run() + w_client(1, True) +
    run() + W_TIME +
    run() + bytes([7 | 2 << 3, 1]) + bytes([10, NOP, 1]) +
    run() + w_data(1, 10) + bytes([0]) +
    run() + w_reset(1) + bytes([NOP, NOP, NOP]) +
    c(C_POST, 2) + run() + w_nothing() + bytes([0]),
    # CLOSING: writes wait behind a full send buffer, disconnect, drain,
    # shutdown, bytes still delivered, the linger time (0.3 s) runs out;
    # an abort in state_changed(HOST_LOOKUP); an asynchronous bind whose
    # callback frees the connection
    "closing-flush": b"\x00" + c(C_NEW) + c(C_TMO, 0, 18) +
    c(C_CONNECT, 0, 0x08) + bytes([NOP]) + run() + W_TIME +
    bytes([NOP, NOP]) + b"\x01" + bytes([NOP, NOP]) +
    run() + w_toggle(1) + c(C_WRITE, 0, 4) + c(C_WRITE, 0, 5) +
    c(C_DISC, 0) + bytes([NOP]) + c(C_QUERY, 0) +
    run() + w_toggle(1) + bytes([NOP]) +
    run() + w_data(1, 5) + bytes([NOP]) +
    run() + W_TIME + bytes([NOP, NOP]) +
    c(C_NEW, 2) + c(C_CONNECT, 2, 0x08) + bytes([1, NOP]) +
    c(C_NEW, 3) + c(C_BIND, 3, 2) + run() + W_TIME + bytes([NOP, 0]),
}


def write(sub, seeds):
    d = os.path.join(HERE, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    for name, blob in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(blob)


write("receive", receive)
write("parse", parse)
write("addr", addr)
write("conn", conn)
