#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# many_test.sh ECHO_SERVER [WRAPPER...] - drive one of examples/many/'s echo
# servers with 40 python3 clients connected at the same time over loopback
# (port chosen by the OS) and check:
#   - every client gets each of its lines back, in order, while the other
#     39 stay connected (the server serves them all at once);
#   - two lines in one packet come back as two lines; a line sent in two
#     pieces (a pause between) comes back whole; CR LF comes back as LF;
#   - after the 40 clients leave, the server (COUNT 40) exits 0.
# Every wait is bounded (count and time); the server is killed on exit.
set -euo pipefail

server="${1:?usage: many_test.sh ECHO_SERVER [WRAPPER...]}"
shift
wrapper=("$@")
name="$(basename "$server")"
command -v python3 >/dev/null 2>&1 || {
    echo "many_test: python3 is required (Debian: apt-get install python3)" >&2
    exit 1
}

work=$(mktemp -d)
pid=
cleanup() {
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

log="$work/server.log"
: >"$log"
"${wrapper[@]}" "$server" 0 40 >"$log" 2>&1 </dev/null &
pid=$!

port=
for _ in $(seq 1 300); do # <= 30 s for the "listening on" line (Wine starts slowly)
    port=$(awk '/^listening on/ {print $4; exit}' "$log")
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "many_test: $name did not start" >&2
    cat "$log" >&2
    exit 1
fi
echo "many_test: $name on 127.0.0.1 port $port"

py_rc=0
timeout 90 python3 - "$port" <<'PY' || py_rc=$?
import socket, sys, time

port = int(sys.argv[1])
N = 40

def fail(msg):
    print("many_test: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

class Client:
    def __init__(self, i):
        self.i = i
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def expect(self, want):
        deadline = time.monotonic() + 20
        while b"\n" not in self.buf:
            if time.monotonic() > deadline:
                fail("client %d: no line within 20 s (want %r)" % (self.i, want))
            try:
                data = self.s.recv(4096)
            except socket.timeout:
                continue
            if not data:
                fail("client %d: server closed (want %r)" % (self.i, want))
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        if line.decode() != want:
            fail("client %d: got %r, want %r" % (self.i, line, want))

clients = [Client(i) for i in range(N)]
# Round 1: every client, all connected, in reverse order of connecting.
for c in reversed(clients):
    c.s.sendall(b"hello from %d\n" % c.i)
for c in clients:
    c.expect("hello from %d" % c.i)
# Round 2: two lines in one packet, a CR LF line.
for c in clients:
    c.s.sendall(b"one %d\ntwo %d\r\n" % (c.i, c.i))
for c in clients:
    c.expect("one %d" % c.i)
    c.expect("two %d" % c.i)
# Round 3: a line in two pieces; the others meanwhile keep being served.
for c in clients:
    c.s.sendall(b"par")
time.sleep(0.2)
clients[0].s.sendall(b"tial 0\n")
clients[0].expect("partial 0")
for c in clients[1:]:
    c.s.sendall(b"tial %d\n" % c.i)
for c in clients[1:]:
    c.expect("partial %d" % c.i)
for c in clients:
    c.s.close()
print("many_test: %d clients OK" % N)
PY
if ((py_rc != 0)); then
    echo "many_test: FAIL: the clients failed (exit $py_rc); $name's log:" >&2
    cat "$log" >&2
    exit 1
fi

for _ in $(seq 1 200); do # <= 20 s to notice the 40 clients left
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    echo "many_test: FAIL: $name still running after the clients left" >&2
    cat "$log" >&2
    exit 1
fi
rc=0
wait "$pid" || rc=$?
pid=
sed 's/^/  server: /' "$log"
if ((rc != 0)); then
    echo "many_test: FAIL: $name exit status $rc" >&2
    exit 1
fi
echo "many_test: PASS"
