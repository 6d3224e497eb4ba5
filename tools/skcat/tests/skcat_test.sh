#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# skcat_test.sh SKCAT — skcat against real peers on loopback: socat and
# OpenBSD nc (Debian: socat, netcat-openbsd) in both directions over IPv4
# and IPv6, a large transfer checked with sha256sum, a GET against python3's
# http.server, usage errors (exit 2) and a refused port (exit 1).
#
# Environment: SOCKIT_SKCAT_BIG_MIB (default 1024): size of the large
# transfer in MiB (made of a 64 MiB random block repeated; 0 skips it).
# Every process runs under `timeout`; every wait is bounded.
set -uo pipefail

SKCAT="${1:?usage: skcat_test.sh SKCAT}"
BIG_MIB="${SOCKIT_SKCAT_BIG_MIB:-1024}"
T=30 # seconds any one process may take (the large transfer: BIG_T)
BIG_T=120

# Missing peers: skipped (exit 77, ctest's SKIP_RETURN_CODE), not failed;
# ci/test installs them for the gcc lane.
for tool in socat nc python3 sha256sum timeout ss; do
    command -v "$tool" >/dev/null || { echo "skcat_test: SKIPPED, $tool missing" >&2; exit 77; }
done
nc -h 2>&1 | grep -q -- '-N' || { echo "skcat_test: SKIPPED, nc lacks -N (need netcat-openbsd)" >&2; exit 77; }

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

# free_port HOST : a port the OS says is free now (small race accepted).
free_port() {
    python3 -c 'import socket,sys
h=sys.argv[1]; s=socket.socket(socket.AF_INET6 if ":" in h else socket.AF_INET)
s.bind((h,0)); print(s.getsockname()[1])' "$1"
}

# wait_listen PORT : until something listens on PORT (at most 5 s).
wait_listen() {
    local i
    for ((i = 0; i < 100; i++)); do
        ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
        sleep 0.05
    done
    return 1
}

# skcat_listen OUT ERR ARGS... : start `skcat -l -v ARGS` in the background
# with stdin held open (a FIFO that never ends: skcat must exit because the
# peer closed, not because its stdin did); sets PORT and SKPID.
skcat_listen() {
    local out="$1" err="$2" i
    shift 2
    # the old file could be read before the child truncates it
    rm -f "$err"
    timeout "$T" "$SKCAT" -l -v "$@" <>"$tmp/hold" >"$out" 2>"$err" &
    SKPID=$!
    pids+=("$SKPID")
    PORT=
    for ((i = 0; i < 100; i++)); do
        PORT="$(sed -n 's/^skcat: listening on .* \([0-9][0-9]*\) (inet6\{0,1\})$/\1/p' "$err" 2>/dev/null)"
        [[ -n "$PORT" ]] && return 0
        sleep 0.05
    done
    return 1
}

# same NAME FILE1 FILE2 : pass when the files are identical.
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else fail "$1 ($(wc -c <"$2") vs $(wc -c <"$3") bytes)"; fi
}

head -c 1048576 /dev/urandom >"$tmp/small"
printf 'hello from skcat\n' >"$tmp/line"
mkfifo "$tmp/hold" # opened read-write: a stdin that never ends nor sends

# ---- usage errors and refused ports ----------------------------------------
expect_rc() {
    local want="$1" name="$2" rc
    shift 2
    timeout "$T" "$@" </dev/null >/dev/null 2>"$tmp/rc.err"
    rc=$?
    if [[ "$rc" == "$want" ]]; then pass "$name (exit $rc)"; else fail "$name (exit $rc, want $want)"; cat "$tmp/rc.err"; fi
}
expect_rc 2 "usage: no arguments" "$SKCAT"
expect_rc 2 "usage: one argument" "$SKCAT" 127.0.0.1
expect_rc 2 "usage: bad port" "$SKCAT" 127.0.0.1 99999
expect_rc 2 "usage: port 0 to connect" "$SKCAT" 127.0.0.1 0
expect_rc 2 "usage: unknown option" "$SKCAT" -z 127.0.0.1 80
expect_rc 2 "usage: -w without seconds" "$SKCAT" 127.0.0.1 80 -w
expect_rc 2 "usage: -w not a number" "$SKCAT" -w x 127.0.0.1 80
expect_rc 2 "usage: -k without -l" "$SKCAT" -k 127.0.0.1 80
expect_rc 2 "usage: too many arguments" "$SKCAT" -l a 1 2
grep -q '^usage: skcat' "$tmp/rc.err" && pass "usage text on stderr" || fail "usage text on stderr"
port="$(free_port 127.0.0.1)"
expect_rc 1 "refused port, IPv4" "$SKCAT" -4 127.0.0.1 "$port"
port="$(free_port ::1)"
expect_rc 1 "refused port, IPv6" "$SKCAT" -6 ::1 "$port"
expect_rc 1 "IPv6 address with -4" "$SKCAT" -4 ::1 "$port"

# ---- skcat client -> socat / nc listener, both directions, v4 and v6 -------
for fam in 4 6; do
    if [[ $fam == 4 ]]; then host=127.0.0.1 sh=127.0.0.1 sx=TCP4; else host=::1 sh='[::1]' sx=TCP6; fi

    # upload: skcat's stdin reaches socat's stdout; skcat exits 0 after
    # socat closes in answer to the half-close.
    port="$(free_port "$host")"
    timeout "$T" socat -u "$sx-LISTEN:$port,bind=$sh,reuseaddr" STDOUT >"$tmp/got" 2>"$tmp/peer.err" &
    pids+=($!); ppid=$!
    if wait_listen "$port"; then
        timeout "$T" "$SKCAT" -$fam -v "$host" "$port" <"$tmp/small" >/dev/null 2>"$tmp/sk.err"
        rc=$?; wait "$ppid"
        [[ $rc == 0 ]] && same "IPv$fam skcat -> socat listener" "$tmp/small" "$tmp/got" || { fail "IPv$fam skcat -> socat listener (exit $rc)"; cat "$tmp/sk.err"; }
        grep -q '^skcat: connected .* -> .* ([a-z0-9]*)$' "$tmp/sk.err" && grep -q '^skcat: received 0 bytes, sent 1048576 bytes' "$tmp/sk.err" \
            && pass "IPv$fam -v addresses and statistics" || { fail "IPv$fam -v output"; cat "$tmp/sk.err"; }
    else fail "IPv$fam socat did not listen"; fi

    # download: socat's file reaches skcat's stdout (skcat's stdin empty).
    port="$(free_port "$host")"
    timeout "$T" socat -u FILE:"$tmp/small" "$sx-LISTEN:$port,bind=$sh,reuseaddr" 2>"$tmp/peer.err" &
    pids+=($!); ppid=$!
    if wait_listen "$port"; then
        timeout "$T" "$SKCAT" "$host" "$port" </dev/null >"$tmp/got" 2>"$tmp/sk.err"
        rc=$?; wait "$ppid"
        [[ $rc == 0 ]] && same "IPv$fam socat listener -> skcat" "$tmp/small" "$tmp/got" || { fail "IPv$fam socat listener -> skcat (exit $rc)"; cat "$tmp/sk.err"; }
    else fail "IPv$fam socat did not listen"; fi

    # upload to nc -l, whose stdin stays open (else it would half-close at
    # once and skcat, seeing the peer's end, would stop): nc exits when
    # skcat's half-close arrives, and skcat then exits 0.
    port="$(free_port "$host")"
    timeout "$T" nc -$fam -l "$host" "$port" <>"$tmp/hold" >"$tmp/got" 2>"$tmp/peer.err" &
    pids+=($!); ppid=$!
    if wait_listen "$port"; then
        timeout "$T" "$SKCAT" -$fam "$host" "$port" <"$tmp/small" >/dev/null 2>"$tmp/sk.err"
        rc=$?; wait "$ppid"
        [[ $rc == 0 ]] && same "IPv$fam skcat -> nc listener" "$tmp/small" "$tmp/got" || { fail "IPv$fam skcat -> nc listener (exit $rc)"; cat "$tmp/sk.err"; }
    else fail "IPv$fam nc did not listen"; fi

    # download from nc -l -N: nc sends its stdin, half-closes; skcat (stdin
    # held open: nc stops at the first end it sees) exits 0.
    port="$(free_port "$host")"
    timeout "$T" nc -$fam -N -l "$host" "$port" <"$tmp/small" >/dev/null 2>"$tmp/peer.err" &
    pids+=($!); ppid=$!
    if wait_listen "$port"; then
        timeout "$T" "$SKCAT" -$fam "$host" "$port" <>"$tmp/hold" >"$tmp/got" 2>"$tmp/sk.err"
        rc=$?; wait "$ppid"
        [[ $rc == 0 ]] && same "IPv$fam nc listener -> skcat" "$tmp/small" "$tmp/got" || { fail "IPv$fam nc listener -> skcat (exit $rc)"; cat "$tmp/sk.err"; }
    else fail "IPv$fam nc did not listen"; fi

    # ---- socat / nc client -> skcat -l -----------------------------------
    if skcat_listen "$tmp/got" "$tmp/sk.err" -$fam "$host" 0; then
        timeout "$T" socat -u FILE:"$tmp/small" "$sx:$sh:$PORT" 2>"$tmp/peer.err"
        wait "$SKPID"; rc=$?
        [[ $rc == 0 ]] && same "IPv$fam socat client -> skcat -l" "$tmp/small" "$tmp/got" || { fail "IPv$fam socat client -> skcat -l (exit $rc)"; cat "$tmp/sk.err"; }
        grep -q '^skcat: accepted ' "$tmp/sk.err" && pass "IPv$fam -v accept line" || fail "IPv$fam -v accept line"
    else fail "IPv$fam skcat -l did not listen"; cat "$tmp/sk.err"; fi

    if skcat_listen "$tmp/got" "$tmp/sk.err" -$fam "$host" 0; then
        timeout "$T" nc -$fam -N "$host" "$PORT" <"$tmp/small" >/dev/null 2>"$tmp/peer.err"
        wait "$SKPID"; rc=$?
        [[ $rc == 0 ]] && same "IPv$fam nc client -> skcat -l" "$tmp/small" "$tmp/got" || { fail "IPv$fam nc client -> skcat -l (exit $rc)"; cat "$tmp/sk.err"; }
    else fail "IPv$fam skcat -l did not listen"; cat "$tmp/sk.err"; fi

    # skcat -l sends its stdin to a socat client, which saves it.
    port="$(free_port "$host")"
    timeout "$T" "$SKCAT" -l -$fam "$host" "$port" <"$tmp/small" >/dev/null 2>"$tmp/sk.err" &
    pids+=($!); skpid=$!
    if wait_listen "$port"; then
        timeout "$T" socat -u "$sx:$sh:$port" STDOUT >"$tmp/got" 2>"$tmp/peer.err"
        wait "$skpid"; rc=$?
        [[ $rc == 0 ]] && same "IPv$fam skcat -l -> socat client" "$tmp/small" "$tmp/got" || { fail "IPv$fam skcat -l -> socat client (exit $rc)"; cat "$tmp/sk.err"; }
    else fail "IPv$fam skcat -l did not listen"; fi
done

# ---- dual stack: skcat -l on "*" takes IPv4 and IPv6 clients with -k --------
if skcat_listen "$tmp/got" "$tmp/sk.err" -k 0; then
    timeout "$T" nc -4 -N 127.0.0.1 "$PORT" <"$tmp/line" >/dev/null 2>&1
    timeout "$T" nc -6 -N ::1 "$PORT" <"$tmp/line" >/dev/null 2>&1
    for ((i = 0; i < 100; i++)); do [[ $(grep -c '^skcat: received' "$tmp/sk.err") -ge 2 ]] && break; sleep 0.05; done
    kill "$SKPID" 2>/dev/null; wait "$SKPID" 2>/dev/null
    cat "$tmp/line" "$tmp/line" >"$tmp/want"
    same "dual-stack -l -k: IPv4 then IPv6 client" "$tmp/want" "$tmp/got"
else fail "dual-stack skcat -l did not listen"; cat "$tmp/sk.err"; fi

# ---- -q and -w ----------------------------------------------------------------
# A listener that never closes nor sends: -q 0.5 ends skcat 0.5 s after stdin.
port="$(free_port 127.0.0.1)"
timeout "$T" socat -u "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr" SYSTEM:'sleep 20' >/dev/null 2>&1 &
pids+=($!); ppid=$!
if wait_listen "$port"; then
    s=$SECONDS
    timeout "$T" "$SKCAT" -q 0.5 127.0.0.1 "$port" <"$tmp/line" >/dev/null 2>"$tmp/sk.err"
    rc=$?
    [[ $rc == 0 && $((SECONDS - s)) -le 5 ]] && pass "-q: exit 0 after stdin's end" || { fail "-q (exit $rc, $((SECONDS - s)) s)"; cat "$tmp/sk.err"; }
fi
kill "$ppid" 2>/dev/null
# -w 1 with stdin held open and a silent peer: exit 1 after about a second.
port="$(free_port 127.0.0.1)"
timeout "$T" socat -u "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr" SYSTEM:'sleep 20' >/dev/null 2>&1 &
pids+=($!); ppid=$!
if wait_listen "$port"; then
    s=$SECONDS
    timeout "$T" "$SKCAT" -w 1 127.0.0.1 "$port" <>"$tmp/hold" >/dev/null 2>"$tmp/sk.err"
    rc=$?
    [[ $rc == 1 && $((SECONDS - s)) -le 5 ]] && grep -q timeout "$tmp/sk.err" && pass "-w: idle timeout exits 1" || { fail "-w (exit $rc, $((SECONDS - s)) s)"; cat "$tmp/sk.err"; }
fi
kill "$ppid" 2>/dev/null

# ---- HTTP GET against python3 -m http.server ------------------------------------
mkdir -p "$tmp/www"
cp "$tmp/small" "$tmp/www/blob"
(cd "$tmp/www" && exec timeout "$T" python3 -u -m http.server --bind 127.0.0.1 0 >"$tmp/http.log" 2>&1) &
pids+=($!); hpid=$!
port=
for ((i = 0; i < 200; i++)); do
    port="$(sed -n 's/^Serving HTTP on .* port \([0-9][0-9]*\) .*/\1/p' "$tmp/http.log")"
    [[ -n "$port" ]] && break
    sleep 0.05
done
if [[ -n "$port" ]]; then
    printf 'GET /blob HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' |
        timeout "$T" "$SKCAT" -w 10 127.0.0.1 "$port" >"$tmp/resp" 2>"$tmp/sk.err"
    rc=$?
    # body = everything after the first empty line
    python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.stdout.buffer.write(d.split(b"\r\n\r\n",1)[1])' "$tmp/resp" >"$tmp/body" 2>/dev/null
    if [[ $rc == 0 ]] && head -n1 "$tmp/resp" | grep -q '^HTTP/1\.[01] 200'; then
        same "HTTP GET from python3 http.server" "$tmp/small" "$tmp/body"
    else fail "HTTP GET (exit $rc)"; cat "$tmp/sk.err"; head -n1 "$tmp/resp"; fi
else fail "http.server did not start"; cat "$tmp/http.log"; fi
kill "$hpid" 2>/dev/null

# ---- large transfer through pipes, sha256 on both sides ---------------------------
big() { # big NAME : the MiB stream (64 MiB of random data repeated)
    local i n=$((BIG_MIB / 64)) rest=$((BIG_MIB % 64))
    for ((i = 0; i < n; i++)); do cat "$tmp/block"; done
    ((rest)) && head -c $((rest << 20)) "$tmp/block"
    return 0
}
if ((BIG_MIB > 0)); then
    head -c $((64 << 20)) /dev/urandom >"$tmp/block"
    # skcat client sends to a socat listener
    port="$(free_port 127.0.0.1)"
    timeout "$BIG_T" socat -u "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr" STDOUT 2>/dev/null |
        sha256sum >"$tmp/sum.recv" &
    pids+=($!); ppid=$!
    if wait_listen "$port"; then
        s=$(date +%s.%N)
        big | tee >(sha256sum >"$tmp/sum.sent") | timeout "$BIG_T" "$SKCAT" -w 30 127.0.0.1 "$port" >/dev/null 2>"$tmp/sk.err"
        rc=$?; wait "$ppid"; sleep 0.2
        e=$(date +%s.%N)
        secs=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$s" "$e")
        rate=$(python3 -c "import sys; print('%.0f' % ($BIG_MIB / max(float(sys.argv[1]), 0.001)))" "$secs")
        if [[ $rc == 0 ]] && [[ -s "$tmp/sum.sent" ]] && cmp -s "$tmp/sum.sent" "$tmp/sum.recv"; then
            pass "$BIG_MIB MiB skcat -> socat, sha256 equal (${secs} s, ${rate} MiB/s)"
        else fail "$BIG_MIB MiB skcat -> socat (exit $rc)"; cat "$tmp/sk.err" "$tmp/sum.sent" "$tmp/sum.recv"; fi
    else fail "big: socat did not listen"; fi

    # socat client sends to skcat -l
    port="$(free_port 127.0.0.1)"
    timeout "$BIG_T" "$SKCAT" -l -w 30 127.0.0.1 "$port" </dev/null 2>"$tmp/sk.err" | sha256sum >"$tmp/sum.recv" &
    pids+=($!); skpid=$!
    if wait_listen "$port"; then
        s=$(date +%s.%N)
        big | tee >(sha256sum >"$tmp/sum.sent") | timeout "$BIG_T" socat -u STDIN "TCP4:127.0.0.1:$port" 2>/dev/null
        wait "$skpid"; rc=$?; sleep 0.2
        e=$(date +%s.%N)
        secs=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$s" "$e")
        rate=$(python3 -c "import sys; print('%.0f' % ($BIG_MIB / max(float(sys.argv[1]), 0.001)))" "$secs")
        if [[ $rc == 0 ]] && [[ -s "$tmp/sum.sent" ]] && cmp -s "$tmp/sum.sent" "$tmp/sum.recv"; then
            pass "$BIG_MIB MiB socat -> skcat -l, sha256 equal (${secs} s, ${rate} MiB/s)"
        else fail "$BIG_MIB MiB socat -> skcat -l (exit $rc)"; cat "$tmp/sk.err" "$tmp/sum.sent" "$tmp/sum.recv"; fi
    else fail "big: skcat -l did not listen"; fi
fi

if ((fails)); then
    echo "skcat_test: $fails failure(s)"
    exit 1
fi
echo "skcat_test: all passed"
