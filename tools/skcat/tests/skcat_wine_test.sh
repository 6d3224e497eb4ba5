#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# skcat_wine_test.sh SKCAT_EXE [WRAPPER...] — the Windows skcat (run by
# WRAPPER, Wine in the mingw lane) against python3 peers on loopback:
#   - connect: a server that sends a line and shuts its sending side down
#     first, then reads everything: skcat sends all of 1 MiB (sha256) and
#     prints the line, exit 0;
#   - listen: skcat -l (stdin at its end) receives 1 MiB from a client,
#     exit 0;
#   - -l -k: skcat serves three clients one after another, each client's
#     bytes arrive whole and each client gets skcat's end of stream;
#   - -u: a datagram from skcat's stdin reaches a UDP peer, whose answer
#     reaches skcat's stdout (stdin held open until it has).
# Every process runs under `timeout`; every wait is bounded.
set -uo pipefail

SKCAT="${1:?usage: skcat_wine_test.sh SKCAT_EXE [WRAPPER...]}"
shift
WRAP=("$@")
T=60
command -v python3 >/dev/null || { echo "skcat_wine_test: SKIPPED, python3 missing" >&2; exit 77; }

tmp="$(mktemp -d)"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
pass() { printf 'ok   %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
sk() { timeout "$T" "${WRAP[@]}" "$SKCAT" "$@"; }

head -c 1048576 /dev/urandom >"$tmp/small"
want="$(sha256sum <"$tmp/small" | cut -d' ' -f1)"

# ---- connect --------------------------------------------------------------
python3 -u -c 'import hashlib, socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
s.settimeout(60); c, _ = s.accept(); c.settimeout(60)
c.sendall(b"from the server\n"); c.shutdown(socket.SHUT_WR)
h = hashlib.sha256()
while True:
    d = c.recv(1 << 16)
    if not d: break
    h.update(d)
c.close(); print(h.hexdigest(), flush=True)' >"$tmp/srv.out" 2>&1 &
ppid=$!; pids+=("$ppid")
for ((i = 0; i < 100; i++)); do [[ -s "$tmp/srv.out" ]] && break; sleep 0.05; done
sk 127.0.0.1 "$(head -n1 "$tmp/srv.out")" <"$tmp/small" >"$tmp/got" 2>"$tmp/sk.err"
rc=$?; wait "$ppid"
if [[ $rc == 0 && "$(sed -n 2p "$tmp/srv.out")" == "$want" ]] && [[ "$(cat "$tmp/got")" == "from the server" ]]; then
    pass "connect: 1 MiB to a server that shut its side first, its line back, exit 0"
else fail "connect (exit $rc)"; cat "$tmp/sk.err" "$tmp/srv.out"; fi

# skcat_listen ARGS... : start skcat -l -v ARGS (stdin at its end); sets
# PORT and SKPID.
skcat_listen() {
    local i
    rm -f "$tmp/l.err"
    sk -l -v "$@" </dev/null >"$tmp/l.out" 2>"$tmp/l.err" &
    SKPID=$!; pids+=("$SKPID")
    PORT=
    for ((i = 0; i < 400; i++)); do
        PORT="$(sed -n 's/^skcat: listening on .* \([0-9][0-9]*\) (inet)\r\{0,1\}$/\1/p' "$tmp/l.err" 2>/dev/null)"
        [[ -n "$PORT" ]] && return 0
        sleep 0.05
    done
    return 1
}

# client PORT FILE OUT : send FILE, half-close, save what comes back.
client() {
    timeout "$T" python3 -c 'import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
c.sendall(open(sys.argv[2], "rb").read()); c.shutdown(socket.SHUT_WR)
got = b""
while True:
    d = c.recv(1 << 16)
    if not d: break
    got += d
c.close(); open(sys.argv[3], "wb").write(got)' "$@"
}

# ---- listen -----------------------------------------------------------------
if skcat_listen 127.0.0.1 0; then
    client "$PORT" "$tmp/small" "$tmp/back"; crc=$?
    wait "$SKPID"; rc=$?
    if [[ $rc == 0 && $crc == 0 ]] && cmp -s "$tmp/small" "$tmp/l.out" && [[ ! -s "$tmp/back" ]]; then
        pass "listen: 1 MiB from a client, exit 0"
    else fail "listen (exit $rc, client $crc)"; cat "$tmp/l.err"; fi
else fail "listen: skcat -l did not start"; cat "$tmp/l.err"; fi

# ---- -l -k: three clients one after another ------------------------------------
if skcat_listen -k 127.0.0.1 0; then
    : >"$tmp/want"
    ok=1
    for k in 1 2 3; do
        printf 'client %d\n' "$k" >"$tmp/c$k"
        cat "$tmp/c$k" >>"$tmp/want"
        client "$PORT" "$tmp/c$k" "$tmp/back" || ok=0
        for ((i = 0; i < 200; i++)); do [[ $(grep -c '^skcat: received' "$tmp/l.err") -ge $k ]] && break; sleep 0.05; done
    done
    kill -0 "$SKPID" 2>/dev/null && alive=1 || alive=0
    kill "$SKPID" 2>/dev/null; wait "$SKPID" 2>/dev/null
    if [[ $ok == 1 && $alive == 1 ]] && cmp -s "$tmp/want" "$tmp/l.out"; then
        pass "-l -k: three clients served one after another, still serving"
    else fail "-l -k (clients ok $ok, still running $alive)"; cat "$tmp/l.err"; od -c "$tmp/l.out" | head; fi
else fail "-k: skcat -l -k did not start"; cat "$tmp/l.err"; fi

# ---- -u: one datagram each way ---------------------------------------------------
python3 -u -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
s.settimeout(60); d, a = s.recvfrom(65536); print(d.decode().strip(), flush=True)
s.sendto(b"answer\n", a)' >"$tmp/udp.out" 2>&1 &
ppid=$!; pids+=("$ppid")
for ((i = 0; i < 100; i++)); do [[ -s "$tmp/udp.out" ]] && break; sleep 0.05; done
mkfifo "$tmp/ufifo"
sk -u 127.0.0.1 "$(head -n1 "$tmp/udp.out")" <>"$tmp/ufifo" >"$tmp/ugot" 2>"$tmp/u.err" &
upid=$!; pids+=("$upid")
printf 'datagram\n' >>"$tmp/ufifo"
wait "$ppid"
for ((i = 0; i < 200; i++)); do [[ "$(cat "$tmp/ugot")" == answer ]] && break; sleep 0.05; done
kill "$upid" 2>/dev/null; wait "$upid" 2>/dev/null
if [[ "$(sed -n 2p "$tmp/udp.out")" == datagram && "$(cat "$tmp/ugot")" == answer ]]; then
    pass "-u: a datagram each way"
else fail "-u"; cat "$tmp/u.err" "$tmp/udp.out"; fi

if ((fails)); then echo "skcat_wine_test: $fails failure(s)"; exit 1; fi
echo "skcat_wine_test: all passed"
