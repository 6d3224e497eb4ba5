#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# skcat_tls_test.sh CERTDIR SKCAT - skcat --tls on loopback with the
# certificates of tests/tls/make-certs.sh in CERTDIR:
#   - skcat client -> skcat -l --tls: 4 MiB, sha256sum equal (IPv4, IPv6);
#   - curl -> skcat -l --tls answering an HTTP response from stdin;
#   - a server certificate for another host: exit 1, SK_ETLSHOSTNAME;
#   - --tls-insecure against it: the data goes through;
#   - --tls with -l and no certificate: usage error (exit 2).
# Exit 77 (skipped) when curl or sha256sum is missing.  Every process runs
# under `timeout`; every wait is bounded.
set -uo pipefail

C="${1:?usage: skcat_tls_test.sh CERTDIR SKCAT}"
SKCAT="${2:?usage: skcat_tls_test.sh CERTDIR SKCAT}"
T=60
for tool in curl sha256sum timeout; do
    command -v "$tool" >/dev/null || { echo "skcat_tls_test: SKIPPED, $tool missing" >&2; exit 77; }
done

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

# listen NAME HOST CERT : skcat -l --tls on HOST port 0 with stdin from
# $tmp/NAME.in (empty when there is none: the server's sending side ends at
# once, its receiving side goes on until the client's end), output to
# $tmp/NAME.out; sets $port.
listen() {
    local name="$1" host="$2" cert="$3" _
    [[ -f "$tmp/$name.in" ]] || : >"$tmp/$name.in"
    timeout "$T" "$SKCAT" -v -l --tls --tls-cert "$C/$cert.pem" --tls-key "$C/$cert.key" \
        "$host" 0 <"$tmp/$name.in" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pids+=($!)
    port=''
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^skcat: listening on [^ ]* \([0-9]*\).*/\1/p' "$tmp/$name.err")
        [[ -n "$port" ]] && break
        sleep 0.05
    done
    [[ -n "$port" ]] || { cat "$tmp/$name.err" >&2; fail "$name: no listening line"; }
}

head -c $((4 << 20)) /dev/urandom >"$tmp/big"
want=$(sha256sum <"$tmp/big" | cut -d' ' -f1)

# 1. skcat to skcat over TLS, IPv4 and IPv6.
for host in 127.0.0.1 ::1; do
    name="pair-${host//[:.]/_}"
    listen "$name" "$host" server
    [[ -n "$port" ]] || continue
    rc=0
    timeout "$T" "$SKCAT" --tls --tls-ca "$C/ca.pem" "$host" "$port" <"$tmp/big" \
        >"$tmp/$name.cout" 2>"$tmp/$name.cerr" || rc=$?
    wait "${pids[-1]}" 2>/dev/null
    got=$(sha256sum <"$tmp/$name.out" | cut -d' ' -f1)
    if ((rc == 0)) && [[ "$got" == "$want" ]] && grep -q 'TLSv1.3' "$tmp/$name.err"; then
        pass "skcat --tls -> skcat -l --tls ($host): 4 MiB, sha256 equal"
    else
        cat "$tmp/$name.err" "$tmp/$name.cerr" >&2
        fail "skcat --tls -> skcat -l --tls ($host): exit $rc"
    fi
done

# 2. curl against skcat -l --tls serving a canned response.
printf 'HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello, tls!\n' >"$tmp/curl.in"
listen curl 127.0.0.1 server
if [[ -n "$port" ]]; then
    body=$(timeout "$T" curl -sS --cacert "$C/ca.pem" "https://localhost:$port/x" 2>"$tmp/curl.cerr")
    wait "${pids[-1]}" 2>/dev/null
    if [[ "$body" == "hello, tls!" ]] && grep -q '^GET /x HTTP/1.1' "$tmp/curl.out"; then
        pass "curl -> skcat -l --tls"
    else
        cat "$tmp/curl.err" "$tmp/curl.cerr" >&2
        fail "curl -> skcat -l --tls: body '$body'"
    fi
fi

# 3. The wrong host: verification fails, exit 1, the reason named.
listen other 127.0.0.1 other
if [[ -n "$port" ]]; then
    rc=0
    echo data | timeout "$T" "$SKCAT" --tls --tls-ca "$C/ca.pem" 127.0.0.1 "$port" \
        >/dev/null 2>"$tmp/other.cerr" || rc=$?
    wait "${pids[-1]}" 2>/dev/null
    if ((rc == 1)) && grep -q SK_ETLSHOSTNAME "$tmp/other.cerr"; then
        pass "wrong host: exit 1, SK_ETLSHOSTNAME"
    else
        cat "$tmp/other.cerr" >&2
        fail "wrong host: exit $rc"
    fi
fi

# 4. --tls-insecure: the same server, no verification.
listen insecure 127.0.0.1 other
if [[ -n "$port" ]]; then
    rc=0
    echo insecure | timeout "$T" "$SKCAT" --tls --tls-insecure 127.0.0.1 "$port" \
        >/dev/null 2>"$tmp/insecure.cerr" || rc=$?
    wait "${pids[-1]}" 2>/dev/null
    if ((rc == 0)) && [[ "$(cat "$tmp/insecure.out")" == insecure ]]; then
        pass "--tls-insecure"
    else
        cat "$tmp/insecure.cerr" "$tmp/insecure.err" >&2
        fail "--tls-insecure: exit $rc"
    fi
fi

# 5. Usage: -l --tls without a certificate.
rc=0
timeout "$T" "$SKCAT" -l --tls 127.0.0.1 0 </dev/null >/dev/null 2>&1 || rc=$?
((rc == 2)) && pass "-l --tls without --tls-cert: exit 2" || fail "-l --tls without --tls-cert: exit $rc"

((fails == 0)) || { echo "skcat_tls_test: $fails failed" >&2; exit 1; }
echo "skcat_tls_test: PASS"
