#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# chat_fd_test.sh CHAT_SERVER [EMULATOR...] - examples/chat_server out of
# descriptors (run through EMULATOR when given: qemu-user for a
# cross-compiled server)
# (POSIX: `ulimit -n`).  The server runs with a limit of 24 descriptors
# and -t 6; python3 opens 48 connections and holds them (twice what the
# server can take).  Checked, with counts and not CPU time:
#   - the limit was hit (the server logged "accept failed ... (pausing)");
#   - it did not spin: its failed accept attempts stay few.  Each failure
#     pauses the listener until a client leaves or a quiet 0.25 s passes
#     (or 50 select rounds), so over 6 s there can be at most about
#     6 / 0.25 + the clients that left; a server that retries at once makes
#     thousands;
#   - it recovers: after 10 clients leave it accepts queued ones again;
#   - it exits 0 at its time limit.
# Every wait is bounded; the server is killed on exit.
set -euo pipefail

server="${1:?usage: chat_fd_test.sh CHAT_SERVER [EMULATOR...]}"
shift
runner=("$@")
command -v python3 >/dev/null 2>&1 || { echo "chat_fd_test: python3 is required" >&2; exit 1; }
MAX_FAILED=60 # 6 s / 0.25 s + 10 leaves, with room to spare

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
(ulimit -n 24 && exec "${runner[@]}" "$server" -t 6 127.0.0.1 0) >"$log" 2>&1 </dev/null &
pid=$!
port=
for _ in $(seq 1 100); do
    port=$(awk '/^listening on/ {print $4; exit}' "$log")
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[[ -n "$port" ]] || { echo "chat_fd_test: server did not start" >&2; cat "$log" >&2; exit 1; }

py_rc=0
timeout 60 python3 - "$port" "$log" "$pid" <<'PY' || py_rc=$?
import os, socket, sys, time
port, log, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])

def fail(msg):
    print("chat_fd_test: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

def text():
    with open(log) as f:
        return f.read()

def wait_for(pred, what):
    for _ in range(200):  # <= 10 s
        if pred():
            return
        time.sleep(0.05)
    fail(what)

held = []
for _ in range(48):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    held.append(s)
wait_for(lambda: "accept failed" in text(), "the server never ran out of descriptors")
joins = text().count("join ")
print("chat_fd_test: out of descriptors after %d joins" % joins)
for s in held[:10]:
    s.close()
wait_for(lambda: text().count("join ") > joins, "no client accepted after 10 left")
print("chat_fd_test: %d joins after 10 clients left" % text().count("join "))
# hold the rest until the server's time limit ends it
for _ in range(400):  # <= 20 s
    try:
        os.kill(pid, 0)
    except OSError:
        break
    if "accept attempts" in text():
        break
    time.sleep(0.05)
for s in held[10:]:
    s.close()
PY
((py_rc == 0)) || { echo "chat_fd_test: FAIL: clients (exit $py_rc)" >&2; cat "$log" >&2; exit 1; }

rc=0
wait "$pid" || rc=$?
pid=
line=$(grep '^accept attempts' "$log" || true)
echo "chat_fd_test: $line"
if ((rc != 0)); then echo "chat_fd_test: FAIL: server exit $rc" >&2; cat "$log" >&2; exit 1; fi
failed=$(sed -n 's/^accept attempts [0-9]*, failed \([0-9]*\), rounds [0-9]*$/\1/p' "$log")
[[ -n "$failed" ]] || { echo "chat_fd_test: FAIL: no counts in the log" >&2; cat "$log" >&2; exit 1; }
if ((failed < 1 || failed > MAX_FAILED)); then
    echo "chat_fd_test: FAIL: $failed failed accept attempts (want 1..$MAX_FAILED)" >&2
    exit 1
fi
echo "chat_fd_test: PASS"
