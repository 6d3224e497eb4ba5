#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# chat_test.sh CHAT_SERVER [WRAPPER...] - drive examples/chat_server with
# three python3 clients over loopback (port chosen by the OS) and check:
#   - a line from client 1 reaches clients 2 and 3 as "[PORT1] text", and
#     client 1 never gets its own line back;
#   - two lines in one packet arrive as two lines;
#   - a line sent in two pieces (a pause between) arrives whole;
#   - after the 3 clients leave, the server (-n 3) exits 0 and logged 3
#     joins and 3 leaves.
# Every wait is bounded (count and time); the server is killed on exit.
set -euo pipefail

# WRAPPER: a command to run the server with, e.g. a Wine loader for a
# cross-built chat_server.exe.
server="${1:?usage: chat_test.sh CHAT_SERVER [WRAPPER...]}"
shift
wrapper=("$@")
command -v python3 >/dev/null 2>&1 || {
    echo "chat_test: python3 is required (Debian: apt-get install python3)" >&2
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
: >"$log" # before the server's redirection: awk may look first
# -t 60: the server gives up on its own too, whatever happens here.
"${wrapper[@]}" "$server" -n 3 -t 60 127.0.0.1 0 >"$log" 2>&1 </dev/null &
pid=$!

port=
for _ in $(seq 1 100); do # <= 10 s for the "listening on" line
    port=$(awk '/^listening on/ {print $4; exit}' "$log")
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "chat_test: server did not start" >&2
    cat "$log" >&2
    exit 1
fi
echo "chat_test: server on 127.0.0.1 port $port"

# The clients.  Exits non-zero with a message on the first failed check.
py_rc=0
timeout 60 python3 - "$port" "$log" <<'EOF' || py_rc=$?
import socket, sys, time

port, log = int(sys.argv[1]), sys.argv[2]

def fail(msg):
    print("chat_test: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

class Client:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.port = self.s.getsockname()[1]
        self.buf = b""

    def line(self):
        """The next line (without LF); fails after 10 s."""
        deadline = time.monotonic() + 10
        while b"\n" not in self.buf:
            if time.monotonic() > deadline:
                fail("client %d: no line within 10 s" % self.port)
            try:
                data = self.s.recv(4096)
            except socket.timeout:
                continue
            if not data:
                fail("client %d: server closed" % self.port)
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def expect(self, want):
        got = self.line()
        if got != want:
            fail("client %d: got %r, want %r" % (self.port, got, want))
        print("client %d got %r" % (self.port, got))

c1, c2, c3 = Client(), Client(), Client()

# Wait (<= 10 s) until the server has accepted all three, so that none of
# them misses the first broadcast.
for _ in range(100):
    with open(log) as f:
        if sum(1 for l in f if l.startswith("join ")) >= 3:
            break
    time.sleep(0.1)
else:
    fail("server did not log 3 joins")

c1.s.sendall(b"hello world\n")
c2.expect("[%d] hello world" % c1.port)
c3.expect("[%d] hello world" % c1.port)

# Client 2 answers only now: had the server echoed client 1's line back to
# it, that echo would have been sent before this line, so client 1's first
# line proves it did not get its own.
c2.s.sendall(b"second\n")
c1.expect("[%d] second" % c2.port)
c3.expect("[%d] second" % c2.port)

# Two lines in one send: sk_select sees the second one buffered.
c1.s.sendall(b"one\ntwo\n")
for c in (c2, c3):
    c.expect("[%d] one" % c1.port)
    c.expect("[%d] two" % c1.port)

# A line in two pieces: the server keeps the partial line and waits.
c3.s.sendall(b"par")
time.sleep(0.3)
c3.s.sendall(b"tial\r\n")
c1.expect("[%d] partial" % c3.port)
c2.expect("[%d] partial" % c3.port)

for c in (c1, c2, c3):
    c.s.close()
print("chat_test: clients OK")
EOF
if ((py_rc != 0)); then
    echo "chat_test: FAIL: the clients failed (exit $py_rc); server log:" >&2
    cat "$log" >&2
    exit 1
fi

# The server exits after the 3 clients have gone (<= 10 s).
for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    echo "chat_test: FAIL: server still running after the clients left" >&2
    cat "$log" >&2
    exit 1
fi
rc=0
wait "$pid" || rc=$?
pid=
sed 's/^/  server: /' "$log"
if ((rc != 0)); then
    echo "chat_test: FAIL: server exit status $rc" >&2
    exit 1
fi
joins=$(grep -c '^join ' "$log" || true)
leaves=$(grep -c '^leave ' "$log" || true)
if [[ "$joins" != 3 || "$leaves" != 3 ]]; then
    echo "chat_test: FAIL: $joins joins, $leaves leaves (want 3 and 3)" >&2
    exit 1
fi
echo "chat_test: PASS"
