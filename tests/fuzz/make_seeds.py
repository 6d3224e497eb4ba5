#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_seeds.py - writes the hand-made seed corpus of sockit's fuzz targets
(tests/fuzz/corpus/receive and tests/fuzz/corpus/parse).  The input formats
are described atop fuzz_receive.c and fuzz_parse.c.  Run it from anywhere;
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


def write(sub, seeds):
    d = os.path.join(HERE, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    for name, blob in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(blob)


write("receive", receive)
write("parse", parse)
