#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/tls/peers.sh CERTDIR WORKDIR -- COMMAND... : the openssl s_server
# peers of test_tls_peers, started here (outside the test program, so that
# a Windows build run by Wine can talk to Linux's openssl too), then
# COMMAND run with
#   SOCKIT_TEST_PEERS  "name=port name=port ...", every peer on 127.0.0.1
#   SOCKIT_TEST_WWW    WORKDIR, the directory the -WWW peers serve (the test
#                      writes its files there); WORKDIR/cadir holds the
#                      test CA under its hashed name (openssl rehash)
#   SOCKIT_TEST_CERTS  CERTDIR (tests/tls/make-certs.sh made it)
# and every peer stopped when it ends; COMMAND's status is the script's.
# Each peer binds port 0 and reports its port in its ACCEPT line, read from
# its output (no probe connection, no fixed port).  The peers:
#   www      server.pem, -WWW, ALPN http/1.1
#   sni      other.pem by default, server.pem for SNI "localhost"
#   frag     server.pem, -WWW, records of at most 512 bytes
#   expired other self rogue   that certificate, -WWW
#   clientcert  server.pem, -WWW, a client certificate by the test CA
#               required (-Verify 1)
#   rev      server.pem, -rev (each line back reversed)
set -euo pipefail
certs="${1:?usage: peers.sh CERTDIR WORKDIR -- COMMAND...}"
work="${2:?usage: peers.sh CERTDIR WORKDIR -- COMMAND...}"
shift 2
[[ "${1:-}" == "--" ]] && shift
(($# > 0)) || { echo "peers.sh: no command" >&2; exit 2; }
command -v openssl >/dev/null || { echo "peers.sh: no openssl program" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work/cadir"
# a CA directory as OpenSSL wants it (hashed names), holding the test CA
cp "$certs/ca.pem" "$work/cadir/ca.pem"
openssl rehash "$work/cadir" >/dev/null 2>&1 || c_rehash "$work/cadir" >/dev/null

pids=()
fds=()
peers=""
stop() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT

# peer NAME CERT s_server-OPTIONS... : start one, wait for its ACCEPT line
peer() {
    local name="$1" cert="$2" fd line port=""
    shift 2
    exec {fd}< <(cd "$work" && exec openssl s_server -accept 127.0.0.1:0 \
        -cert "$certs/$cert.pem" -key "$certs/$cert.key" "$@" 2>&1 </dev/null)
    pids+=("$!")
    fds+=("$fd") # kept open: a peer writing to a closed pipe would die
    while IFS= read -r -t 30 -u "$fd" line; do
        if [[ "$line" == ACCEPT* ]]; then
            port="${line##*:}"
            break
        fi
    done
    [[ "$port" =~ ^[0-9]+$ ]] || { echo "peers.sh: peer $name did not start" >&2; exit 1; }
    peers+="$name=$port "
}

peer www server -WWW -alpn http/1.1
peer sni other -servername localhost -cert2 "$certs/server.pem" \
    -key2 "$certs/server.key" -WWW
peer frag server -WWW -max_send_frag 512
peer expired expired -WWW
peer other other -WWW
peer self self -WWW
peer rogue rogue -WWW
peer clientcert server -WWW -Verify 1 -CAfile "$certs/ca.pem"
peer rev server -rev

export SOCKIT_TEST_PEERS="$peers" SOCKIT_TEST_WWW="$work" SOCKIT_TEST_CERTS="$certs"
status=0
"$@" || status=$?
exit "$status"
