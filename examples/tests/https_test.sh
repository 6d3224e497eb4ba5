#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# https_test.sh CERTDIR HTTPS_GET [WRAPPER...] - run examples/https_get
# against nginx serving 1 MiB over https on loopback (IPv4 and IPv6), with
# the certificates of tests/tls/make-certs.sh in CERTDIR, and check:
#   - "localhost" with the test CA: exit 0, TLS 1.3, ALPN http/1.1,
#     "body 1048576 bytes", the body's SHA-256;
#   - "::1" (the certificate's IP address): the same;
#   - the system's trust store only: exit 2, SK_ETLSUNTRUSTED;
#   - -k (no verification): exit 0.
# Exit 77 (skipped) when nginx is not installed.  Every wait is bounded;
# nginx is stopped on exit.
set -euo pipefail

certs="${1:?usage: https_test.sh CERTDIR HTTPS_GET [WRAPPER...]}"
https_get="${2:?usage: https_test.sh CERTDIR HTTPS_GET [WRAPPER...]}"
shift 2
wrapper=("$@")
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$nginx" ]] || { echo "https_test: no nginx (Debian: nginx-light): skipped"; exit 77; }

work=$(mktemp -d)
pid=''
cleanup() {
    if [[ -n "$pid" ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "https_test: FAIL: $*" >&2
    [[ -f "$work/error.log" ]] && sed 's/^/  nginx: /' "$work/error.log" >&2
    exit 1
}
get() {
    timeout 60 "${wrapper[@]}" "$https_get" -t 20 "$@"
}

mkdir -p "$work/www" "$work/tmp"
head -c 1048576 /dev/urandom >"$work/www/file.bin"
want=$(sha256sum <"$work/www/file.bin" | cut -d' ' -f1)

# nginx takes no port 0: a free one from the system, retried if taken.
started=0
for _ in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    six=''
    python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null &&
        six="listen [::1]:$port ssl;"
    user=''
    [[ "$(id -u)" == 0 ]] && user='user root;' # workers must read $work
    cat >"$work/nginx.conf" <<CONF
$user
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/tmp;
    server {
        listen 127.0.0.1:$port ssl;
        $six
        ssl_certificate $certs/server.pem;
        ssl_certificate_key $certs/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $work/www;
    }
}
CONF
    "$nginx" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
    pid=$!
    for _ in $(seq 1 100); do
        [[ -s "$work/nginx.pid" ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -s "$work/nginx.pid" ]] && kill -0 "$pid" 2>/dev/null; then
        started=1
        break
    fi
    wait "$pid" 2>/dev/null || true
    pid=''
done
((started)) || fail "nginx did not start"
echo "https_test: nginx $("$nginx" -v 2>&1 | sed 's/.*\///') on port $port${six:+ (and ::1)}"

# check NAME HOST : GET /file.bin from HOST with the test CA, all checks.
check() {
    local name="$1" host="$2" rc=0 got
    get -ca "$certs/ca.pem" -o "$work/body.$name" "$host" "$port" /file.bin \
        >"$work/info.$name" 2>&1 || rc=$?
    sed 's/^/  /' "$work/info.$name"
    ((rc == 0)) || fail "$name: exit $rc"
    grep -q '^tls: TLSv1\.3$' "$work/info.$name" || fail "$name: not TLS 1.3"
    grep -q '^alpn: http/1\.1$' "$work/info.$name" || fail "$name: no ALPN"
    grep -q '^body 1048576 bytes$' "$work/info.$name" || fail "$name: body size"
    got=$(sha256sum <"$work/body.$name" | cut -d' ' -f1)
    [[ "$got" == "$want" ]] || fail "$name: body SHA-256 $got, want $want"
}
check localhost localhost
if [[ -n "$six" ]]; then
    check ipv6 ::1
else
    echo "https_test: no IPv6 loopback: ::1 skipped"
fi

rc=0
get localhost "$port" /file.bin >"$work/info.system" 2>&1 || rc=$?
sed 's/^/  /' "$work/info.system"
((rc == 2)) || fail "system trust only: exit $rc, want 2"
grep -q 'SK_ETLSUNTRUSTED' "$work/info.system" || fail "system trust only: not SK_ETLSUNTRUSTED"

rc=0
get -k -o "$work/body.k" localhost "$port" /file.bin >"$work/info.k" 2>&1 || rc=$?
((rc == 0)) || fail "-k: exit $rc"

echo "https_test: PASS"
