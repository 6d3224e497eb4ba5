#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# skcat_test.sh SKCAT — skcat against real peers on loopback: socat and
# OpenBSD nc (Debian: socat, netcat-openbsd) in both directions over IPv4
# and IPv6, a GET against python3's http.server, usage errors (exit 2) and
# refused ports (exit 1), the netcat flags (-z -p -n -u -U -N --help), and
# the two transfers that once lost data (issue 12), every byte checked by
# sha256: a listener whose stdin is at its end (so it shuts its sending
# side down at once) receiving from a skcat client, and a server that shuts
# its sending side down first and then reads everything.  Each runs
# SOCKIT_SKCAT_RUNS times (default 20) at min(64, BIG) MiB and once at BIG
# MiB, then the large transfers against socat.
#
# Environment: SOCKIT_SKCAT_BIG_MIB (default 1024): size of the large
# transfers in MiB (made of a 64 MiB random block repeated; 0 skips them);
# SOCKIT_SKCAT_RUNS (default 20).  Every process runs under `timeout`;
# every wait is bounded.
set -uo pipefail

SKCAT="${1:?usage: skcat_test.sh SKCAT}"
BIG_MIB="${SOCKIT_SKCAT_BIG_MIB:-1024}"
RUNS="${SOCKIT_SKCAT_RUNS:-20}"
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
# with stdin at its end (as in any background job: skcat shuts its sending
# side down at once and must still receive everything); sets PORT and
# SKPID.
skcat_listen() {
    local out="$1" err="$2" i
    shift 2
    # the old file could be read before the child truncates it
    rm -f "$err"
    timeout "$T" "$SKCAT" -l -v "$@" </dev/null >"$out" 2>"$err" &
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

# nc_download FAM HOST [again] : nc -l -N sends small to skcat; 0 when
# every byte arrived and skcat exited 0 (then it says ok), else 1 with rc set.
nc_download() {
    local fam="$1" host="$2" port ppid skpid i
    port="$(free_port "$host")"
    timeout "$T" nc -"$fam" -N -l "$host" "$port" <"$tmp/small" >/dev/null 2>"$tmp/peer.err" &
    pids+=($!); ppid=$!
    if ! wait_listen "$port"; then rc=nolisten; return 1; fi
    rm -f "$tmp/nfifo"; mkfifo "$tmp/nfifo"
    timeout "$T" "$SKCAT" -v -"$fam" "$host" "$port" <"$tmp/nfifo" >"$tmp/got" 2>"$tmp/sk.err" &
    skpid=$!; pids+=("$skpid")
    exec 8>"$tmp/nfifo"
    # (bounded by T, as the processes are: on a loaded machine 10 s was
    # seen too short, and the early end made nc drop the rest)
    for ((i = 0; i < T * 20; i++)); do [[ $(stat -c %s "$tmp/got" 2>/dev/null || echo 0) -ge 1048576 ]] && break; sleep 0.05; done
    exec 8>&-
    wait "$skpid"; rc=$?; wait "$ppid"
    if [[ $rc == 0 ]] && cmp -s "$tmp/small" "$tmp/got"; then
        pass "IPv$fam nc listener -> skcat${3:+ (second attempt)}"
        return 0
    fi
    printf 'note IPv%s nc listener -> skcat: exit %s, %s of 1048576 bytes; skcat and nc said:\n' \
        "$fam" "$rc" "$(wc -c <"$tmp/got")"
    cat "$tmp/sk.err" "$tmp/peer.err"
    return 1
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
expect_rc 2 "usage: unknown option" "$SKCAT" -y 127.0.0.1 80
expect_rc 2 "usage: unknown long option" "$SKCAT" --bogus 127.0.0.1 80
expect_rc 2 "usage: -w without seconds" "$SKCAT" 127.0.0.1 80 -w
expect_rc 2 "usage: -w not a number" "$SKCAT" -w x 127.0.0.1 80
expect_rc 2 "usage: -k without -l" "$SKCAT" -k 127.0.0.1 80
expect_rc 2 "usage: too many arguments" "$SKCAT" -l a 1 2
grep -q '^usage: skcat' "$tmp/rc.err" && pass "usage text on stderr" || fail "usage text on stderr"
expect_rc 2 "usage: -k with -u" "$SKCAT" -l -k -u 0
expect_rc 2 "usage: -z with -l" "$SKCAT" -l -z 0
expect_rc 2 "usage: -p without a port" "$SKCAT" -p x 127.0.0.1 80
expect_rc 2 "usage: -U without a path" "$SKCAT" -U
timeout "$T" "$SKCAT" --help >"$tmp/help" 2>/dev/null; rc=$?
[[ $rc == 0 ]] && grep -q '^Exit status:' "$tmp/help" && grep -q '^  -N ' "$tmp/help" \
    && pass "--help: exit 0, exit statuses on stdout" || fail "--help (exit $rc)"
timeout "$T" "$SKCAT" -h >/dev/null 2>&1 && pass "-h: exit 0" || fail "-h"
port="$(free_port 127.0.0.1)"
expect_rc 1 "refused port, IPv4" "$SKCAT" -4 127.0.0.1 "$port"
port="$(free_port ::1)"
expect_rc 1 "refused port, IPv6" "$SKCAT" -6 ::1 "$port"
expect_rc 1 "IPv6 address with -4" "$SKCAT" -4 ::1 "$port"
grep -q 'is an IPv6 address, but -4 asks for IPv4' "$tmp/rc.err" && pass "-4 with ::1 names the family" || { fail "-4 with ::1 message"; cat "$tmp/rc.err"; }
expect_rc 1 "IPv4 address with -6" "$SKCAT" -6 127.0.0.1 "$port"
grep -q 'is an IPv4 address, but -6 asks for IPv6' "$tmp/rc.err" && pass "-6 with 127.0.0.1 names the family" || { fail "-6 with 127.0.0.1 message"; cat "$tmp/rc.err"; }
expect_rc 1 "-n with a name" "$SKCAT" -n localhost "$port"
grep -q "not a numeric address" "$tmp/rc.err" && pass "-n: a name is refused without a lookup" || { fail "-n message"; cat "$tmp/rc.err"; }
expect_rc 1 "-z on a closed port" "$SKCAT" -z 127.0.0.1 "$(free_port 127.0.0.1)"

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

    # download from nc -l -N: nc sends its stdin and half-closes.  skcat's
    # stdin is a FIFO we end only once every byte has arrived (nc would
    # drop what it has not sent yet when it sees skcat's end first); skcat
    # then half-closes, nc exits, and skcat exits 0.  Under heavy load nc
    # was seen (twice in a day of lanes on a machine at load 10) to stop
    # after its first 16 KiB until its timeout; skcat then received that
    # much and exited 0 at nc's end.  A short first attempt is reported
    # with both sides' messages and tried once more; two must fail.
    nc_download "$fam" "$host" || nc_download "$fam" "$host" again \
        || { fail "IPv$fam nc listener -> skcat (exit $rc, twice)"; cat "$tmp/sk.err" "$tmp/peer.err"; }

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

# ---- dual stack and -k: skcat -l on "*" serves IPv4, IPv6, IPv4 clients ------
# one after another (its stdin at its end: each client gets an end of
# stream at once, and each client's bytes arrive whole).
if skcat_listen "$tmp/got" "$tmp/sk.err" -k 0; then
    timeout "$T" nc -4 -N 127.0.0.1 "$PORT" <"$tmp/line" >/dev/null 2>&1; r1=$?
    timeout "$T" nc -6 -N ::1 "$PORT" <"$tmp/line" >/dev/null 2>&1; r2=$?
    timeout "$T" "$SKCAT" -N 127.0.0.1 "$PORT" <"$tmp/line" >/dev/null 2>&1; r3=$?
    for ((i = 0; i < 100; i++)); do [[ $(grep -c '^skcat: received' "$tmp/sk.err") -ge 3 ]] && break; sleep 0.05; done
    kill "$SKPID" 2>/dev/null; wait "$SKPID" 2>/dev/null
    cat "$tmp/line" "$tmp/line" "$tmp/line" >"$tmp/want"
    [[ "$r1$r2$r3" == 000 ]] && same "-l -k: IPv4, IPv6, then an IPv4 skcat client" "$tmp/want" "$tmp/got" || fail "-l -k clients exit $r1 $r2 $r3"
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
    port="$(sed -n 's/^Serving HTTP on .* port \([0-9][0-9]*\) .*/\1/p' "$tmp/http.log" 2>/dev/null)"
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

# ---- the netcat flags: -z, -p, -U, -u, and a peer that stops reading ----------
if skcat_listen "$tmp/got" "$tmp/sk.err" 127.0.0.1 0; then
    timeout "$T" "$SKCAT" -z 127.0.0.1 "$PORT" </dev/null >/dev/null 2>"$tmp/z.err"; rc=$?
    wait "$SKPID"; rc2=$?
    [[ $rc == 0 && $rc2 == 0 ]] && pass "-z on an open port: exit 0 (and the listener too)" || { fail "-z open (exit $rc, listener $rc2)"; cat "$tmp/z.err"; }
else fail "-z: skcat -l did not listen"; fi

sport="$(free_port 127.0.0.1)"
if skcat_listen "$tmp/got" "$tmp/sk.err" 127.0.0.1 0; then
    timeout "$T" "$SKCAT" -p "$sport" 127.0.0.1 "$PORT" <"$tmp/line" >/dev/null 2>"$tmp/p.err"; rc=$?
    wait "$SKPID"
    if [[ $rc == 0 ]] && grep -q "^skcat: accepted .* -> 127.0.0.1 $sport " "$tmp/sk.err"; then
        same "-p $sport: the client's source port, its bytes whole" "$tmp/line" "$tmp/got"
    else fail "-p (exit $rc)"; cat "$tmp/p.err" "$tmp/sk.err"; fi
else fail "-p: skcat -l did not listen"; fi

# netcat's traditional -l -p PORT: the port comes from -p.
port="$(free_port 127.0.0.1)"
timeout "$T" "$SKCAT" -l -p "$port" 127.0.0.1 </dev/null >"$tmp/got" 2>"$tmp/sk.err" &
pids+=($!); skpid=$!
if wait_listen "$port"; then
    timeout "$T" "$SKCAT" -N 127.0.0.1 "$port" <"$tmp/line" >/dev/null 2>"$tmp/p.err"; rc=$?
    wait "$skpid"; rc2=$?
    [[ $rc == 0 && $rc2 == 0 ]] && same "-l -p PORT HOST: listens on PORT" "$tmp/line" "$tmp/got" || { fail "-l -p (exit $rc, listener $rc2)"; cat "$tmp/p.err" "$tmp/sk.err"; }
else fail "-l -p: skcat did not listen on $port"; cat "$tmp/sk.err"; fi

sock="$tmp/skcat.sock"
timeout "$T" "$SKCAT" -U -l "$sock" </dev/null >"$tmp/got" 2>"$tmp/sk.err" &
pids+=($!); skpid=$!
for ((i = 0; i < 100; i++)); do [[ -S "$sock" ]] && break; sleep 0.05; done
if [[ -S "$sock" ]]; then
    # The file exists from bind on; listen comes just after: a refused
    # connect in between is retried (bounded), nothing was sent then.
    for ((i = 0; i < 100; i++)); do
        timeout "$T" "$SKCAT" -U "$sock" <"$tmp/small" >/dev/null 2>"$tmp/u.err"; rc=$?
        if [[ $rc == 0 ]] || ! grep -q "connection refused" "$tmp/u.err"; then break; fi
        sleep 0.05
    done
    wait "$skpid"; rc2=$?
    [[ $rc == 0 && $rc2 == 0 ]] && same "-U: UNIX-domain client -> skcat -U -l" "$tmp/small" "$tmp/got" || { fail "-U (exit $rc, listener $rc2)"; cat "$tmp/u.err" "$tmp/sk.err"; }
    [[ ! -e "$sock" ]] && pass "-U -l removes its socket file" || fail "-U -l left $sock"
else fail "-U: skcat -U -l did not listen"; cat "$tmp/sk.err"; fi

# -u: the listener answers the first sender with its stdin, then (-q 0)
# exits; the client's stdin is a FIFO we write to, so it runs until killed.
printf 'datagram\n' >"$tmp/dgram"
rm -f "$tmp/sk.err"
timeout "$T" "$SKCAT" -u -l -v -q 0 127.0.0.1 0 <"$tmp/line" >"$tmp/got" 2>"$tmp/sk.err" &
pids+=($!); skpid=$!
PORT=
for ((i = 0; i < 100; i++)); do
    PORT="$(sed -n 's/^skcat: listening on .* \([0-9][0-9]*\) (inet6\{0,1\})$/\1/p' "$tmp/sk.err" 2>/dev/null)"
    [[ -n "$PORT" ]] && break
    sleep 0.05
done
if [[ -n "$PORT" ]]; then
    mkfifo "$tmp/ufifo"
    timeout "$T" "$SKCAT" -u 127.0.0.1 "$PORT" <>"$tmp/ufifo" >"$tmp/ugot" 2>"$tmp/u.err" &
    pids+=($!); ucpid=$!
    cat "$tmp/dgram" >>"$tmp/ufifo"
    wait "$skpid"; rc=$?
    for ((i = 0; i < 100; i++)); do cmp -s "$tmp/line" "$tmp/ugot" && break; sleep 0.05; done
    kill "$ucpid" 2>/dev/null; wait "$ucpid" 2>/dev/null
    [[ $rc == 0 ]] && same "-u: datagram to skcat -u -l" "$tmp/dgram" "$tmp/got" || { fail "-u listener (exit $rc)"; cat "$tmp/sk.err"; }
    same "-u: the listener's answer reaches the client" "$tmp/line" "$tmp/ugot"
else fail "-u: skcat -u -l did not listen"; cat "$tmp/sk.err"; fi

# A peer that reads a little and then closes: the rest of stdin cannot be
# delivered, and skcat must say so with a non-zero status.
python3 -u -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.recv(1000); c.close()' >"$tmp/rst.port" 2>/dev/null &
pids+=($!); ppid=$!
for ((i = 0; i < 100; i++)); do [[ -s "$tmp/rst.port" ]] && break; sleep 0.05; done
head -c $((16 << 20)) /dev/zero | timeout "$T" "$SKCAT" 127.0.0.1 "$(cat "$tmp/rst.port")" >/dev/null 2>"$tmp/sk.err"
rc=$?; wait "$ppid"
[[ $rc == 1 ]] && grep -qE 'not sent|reset|closed' "$tmp/sk.err" && pass "a peer that stops reading: exit 1, with a message" || { fail "peer that stops reading (exit $rc)"; cat "$tmp/sk.err"; }

# ---- the two transfers of issue 12, every byte checked ------------------------
# stream MIB : MIB MiB of the random 64 MiB block, repeated.
stream() {
    local i n=$(($1 / 64)) rest=$(($1 % 64))
    for ((i = 0; i < n; i++)); do cat "$tmp/block"; done
    ((rest)) && head -c $((rest << 20)) "$tmp/block"
    return 0
}
# case_listener MIB : skcat -l with stdin at its end (so it half-closes at
# once) receives MIB MiB from a skcat client; both must exit 0.
case_listener() {
    local mib="$1" i
    rm -f "$tmp/c1.err" "$tmp/c1.sum" "$tmp/c1.rc"
    ( timeout "$BIG_T" "$SKCAT" -l -v 127.0.0.1 0 </dev/null 2>"$tmp/c1.err" | sha256sum >"$tmp/c1.sum"
      echo "${PIPESTATUS[0]}" >"$tmp/c1.rc" ) &
    local lpid=$!
    pids+=("$lpid")
    PORT=
    for ((i = 0; i < 100; i++)); do
        PORT="$(sed -n 's/^skcat: listening on .* \([0-9][0-9]*\) (inet)$/\1/p' "$tmp/c1.err" 2>/dev/null)"
        [[ -n "$PORT" ]] && break
        sleep 0.05
    done
    [[ -n "$PORT" ]] || { echo "listener did not start"; return 1; }
    stream "$mib" | timeout "$BIG_T" "$SKCAT" 127.0.0.1 "$PORT" >/dev/null 2>"$tmp/c1c.err"
    local rc=$?
    wait "$lpid"
    [[ $rc == 0 && "$(cat "$tmp/c1.rc")" == 0 ]] && cmp -s "$tmp/c1.sum" "$tmp/sum.$mib" && return 0
    echo "client exit $rc, listener exit $(cat "$tmp/c1.rc")"; cat "$tmp/c1c.err" "$tmp/c1.err" "$tmp/c1.sum" "$tmp/sum.$mib"
    return 1
}
# case_shut_first MIB : a server that shuts its sending side down first and
# then reads everything gets all MIB MiB from a skcat client (exit 0).
case_shut_first() {
    local mib="$1" i
    rm -f "$tmp/c2.out"
    python3 -u -c 'import hashlib, socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.shutdown(socket.SHUT_WR)
h = hashlib.sha256(); n = 0
while True:
    d = c.recv(1 << 20)
    if not d: break
    h.update(d); n += len(d)
c.close()
print("%s  -" % h.hexdigest(), flush=True)' >"$tmp/c2.out" 2>&1 &
    local ppid=$!
    pids+=("$ppid")
    for ((i = 0; i < 100; i++)); do [[ -s "$tmp/c2.out" ]] && break; sleep 0.05; done
    stream "$mib" | timeout "$BIG_T" "$SKCAT" 127.0.0.1 "$(head -n1 "$tmp/c2.out")" >/dev/null 2>"$tmp/c2c.err"
    local rc=$?
    wait "$ppid"
    [[ $rc == 0 ]] && [[ "$(sed -n 2p "$tmp/c2.out")" == "$(cat "$tmp/sum.$mib")" ]] && return 0
    echo "client exit $rc"; cat "$tmp/c2c.err" "$tmp/c2.out" "$tmp/sum.$mib"
    return 1
}
if ((BIG_MIB > 0)); then
    head -c $((64 << 20)) /dev/urandom >"$tmp/block"
    rep=$((BIG_MIB < 64 ? BIG_MIB : 64))
    stream "$rep" | sha256sum >"$tmp/sum.$rep"
    [[ -f "$tmp/sum.$BIG_MIB" ]] || stream "$BIG_MIB" | sha256sum >"$tmp/sum.$BIG_MIB"
    for c in case_listener case_shut_first; do
        s=$SECONDS bad=0
        for ((k = 0; k < RUNS; k++)); do
            "$c" "$rep" >"$tmp/case.log" 2>&1 || { bad=$((bad + 1)); fail "$c run $k ($rep MiB)"; cat "$tmp/case.log"; }
        done
        "$c" "$BIG_MIB" >"$tmp/case.log" 2>&1 || { bad=$((bad + 1)); fail "$c ($BIG_MIB MiB)"; cat "$tmp/case.log"; }
        ((bad == 0)) && pass "$c: $RUNS x $rep MiB and 1 x $BIG_MIB MiB, every byte (sha256), exit 0 ($((SECONDS - s)) s)"
    done
fi

# ---- large transfer through pipes, sha256 on both sides ---------------------------
big() { # big NAME : the MiB stream (64 MiB of random data repeated)
    local i n=$((BIG_MIB / 64)) rest=$((BIG_MIB % 64))
    for ((i = 0; i < n; i++)); do cat "$tmp/block"; done
    ((rest)) && head -c $((rest << 20)) "$tmp/block"
    return 0
}
if ((BIG_MIB > 0)); then
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
