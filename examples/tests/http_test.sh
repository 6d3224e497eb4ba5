#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# http_test.sh HTTP_GET [WRAPPER...] - run examples/http_get against
# loopback servers (ports chosen by the OS) and check:
#   - python3 -m http.server serving a 100 KiB random file: exit 0, status
#     200, "body 102400 bytes", the body's SHA-256 (through -o - and -o FILE);
#   - a missing path: status 404, exit 1;
#   - a response with no Content-Length (the body ends at close, SK_ALL):
#     exit 0, the exact body;
#   - a refused connection: exit 2.
# Every wait is bounded (count and time); servers are killed on exit.
# shellcheck disable=SC2016  # the awk programs are single-quoted on purpose
set -euo pipefail

# WRAPPER: a command to run http_get with (e.g. valgrind).
http_get="${1:?usage: http_test.sh HTTP_GET [WRAPPER...]}"
shift
wrapper=("$@")
command -v python3 >/dev/null 2>&1 || {
    echo "http_test: python3 is required (Debian: apt-get install python3)" >&2
    exit 1
}
command -v sha256sum >/dev/null 2>&1 || {
    echo "http_test: sha256sum is required (Debian: coreutils)" >&2
    exit 1
}

work=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# get ARGS... : run http_get, bounded in time.
get() {
    timeout 60 "${wrapper[@]}" "$http_get" "$@"
}

fail() {
    echo "http_test: FAIL: $*" >&2
    exit 1
}

# wait_port LOG PID AWK_PROGRAM : the port a server printed (<= 10 s).
wait_port() {
    local log="$1" pid="$2" prog="$3" port='' _
    for _ in $(seq 1 100); do
        port=$(awk "$prog" "$log")
        [[ -n "$port" ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n "$port" ]] || { cat "$log" >&2; fail "server did not start"; }
    echo "$port"
}

mkdir "$work/www"
head -c 102400 /dev/urandom >"$work/www/data.bin"
want=$(sha256sum <"$work/www/data.bin" | cut -d' ' -f1)

# -u: unbuffered, so that the "Serving HTTP on ... port N" line shows at once.
(cd "$work/www" && exec timeout 120 python3 -u -m http.server --bind 127.0.0.1 0) \
    >"$work/httpd.log" 2>&1 &
pids+=($!)
port=$(wait_port "$work/httpd.log" "${pids[-1]}" \
    '/^Serving HTTP on/ {
        for (i = 1; i < NF; i++) if ($i == "port") { print $(i + 1); exit } }')
echo "http_test: http.server on 127.0.0.1 port $port"

# 1. The file, body to stdout.
rc=0
get -o - 127.0.0.1 "$port" /data.bin \
    >"$work/body1" 2>"$work/info1" || rc=$?
sed 's/^/  /' "$work/info1"
((rc == 0)) || fail "GET /data.bin exited $rc"
grep -q '^HTTP/1\.[01] 200 ' "$work/info1" || fail "status is not 200"
grep -q '^body 102400 bytes$' "$work/info1" || fail "no 'body 102400 bytes' line"
got=$(sha256sum <"$work/body1" | cut -d' ' -f1)
[[ "$got" == "$want" ]] || fail "body SHA-256 $got, want $want"

# 2. The file again, body to a file, information to stdout.
rc=0
get -o "$work/body2" 127.0.0.1 "$port" /data.bin \
    >"$work/info2" || rc=$?
((rc == 0)) || fail "GET /data.bin -o FILE exited $rc"
grep -q '^body 102400 bytes$' "$work/info2" || fail "no 'body 102400 bytes' line (-o FILE)"
got=$(sha256sum <"$work/body2" | cut -d' ' -f1)
[[ "$got" == "$want" ]] || fail "body SHA-256 $got, want $want (-o FILE)"

# 3. A missing path: 404, exit 1.
rc=0
get 127.0.0.1 "$port" /missing >"$work/info3" 2>&1 || rc=$?
sed 's/^/  /' "$work/info3"
((rc == 1)) || fail "GET /missing exited $rc, want 1"
grep -q '^HTTP/1\.[01] 404 ' "$work/info3" || fail "status is not 404"

# 4. No Content-Length: a one-shot server that sends its body and closes.
python3 - "$work/raw.port" <<'EOF' >"$work/raw.log" 2>&1 &
import socket, sys
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
srv.settimeout(30)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("port %d\n" % srv.getsockname()[1])
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = srv.accept()
c.settimeout(30)
req = b""
while b"\r\n\r\n" not in req:
    data = c.recv(4096)
    if not data:
        break
    req += data
c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" +
          b"no length here\n" * 1000)
c.close()
EOF
pids+=($!)
: >>"$work/raw.port"
rawport=$(wait_port "$work/raw.port" "${pids[-1]}" '/^port/ {print $2; exit}')
rc=0
get -o "$work/body4" 127.0.0.1 "$rawport" / >"$work/info4" || rc=$?
sed 's/^/  /' "$work/info4"
((rc == 0)) || fail "GET without Content-Length exited $rc"
grep -q '^body 15000 bytes$' "$work/info4" || fail "no 'body 15000 bytes' line"
want4=$(python3 -c 'import sys; sys.stdout.write("no length here\n" * 1000)' | sha256sum | cut -d' ' -f1)
got=$(sha256sum <"$work/body4" | cut -d' ' -f1)
[[ "$got" == "$want4" ]] || fail "body without Content-Length differs"

# 5. Nothing listening (the one-shot server's port, now closed): exit 2.
wait "${pids[-1]}" 2>/dev/null || true
rc=0
get 127.0.0.1 "$rawport" / >/dev/null 2>"$work/info5" || rc=$?
((rc == 2)) || fail "GET from a closed port exited $rc, want 2"
grep -q 'connect' "$work/info5" || fail "no connect error message"

echo "http_test: PASS"
