#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/strict.sh - the strict lane of ci/test, no CMake:
#   1. clang -std=c99 -pedantic -Wall -Wextra -Wconversion -Wshadow
#      -Wstrict-prototypes -Werror over src/*.c src/posix/*.c, each file to an
#      object in ONE directory with only -Iinclude (what a vendoring Makefile
#      does), archived as libsockit.a (no TLS); src/tls*.c once more with
#      -DSOCKIT_HAVE_OPENSSL (the OpenSSL provider under the same flags);
#   2. tests/strict/header_use.c, a call from each group of the public API,
#      compiled as C89 (gcc, clang) and as C++11 (g++, clang++), -Wall
#      -Wextra -pedantic -Werror, linked against that archive and run;
#   3. tcc builds the library with the echo example and ci/demo runs it over
#      IPv4 and IPv6.
#
#   ci/strict.sh OUTDIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: ci/strict.sh OUTDIR}"
rm -rf "$out"
mkdir -p "$out/obj"
cd "$root"

strict=(-std=c99 -pedantic -Wall -Wextra -Wconversion -Wshadow -Wstrict-prototypes -Werror)
echo "strict: clang ${strict[*]} over src/*.c src/posix/*.c"
for f in src/*.c src/posix/*.c; do
    b="$(basename "$f" .c)"
    [[ ! -e "$out/obj/$b.o" ]] || { echo "strict: two sources named $b.c" >&2; exit 1; }
    clang "${strict[@]}" -O2 -Iinclude -c "$f" -o "$out/obj/$b.o"
done
ar rcs "$out/libsockit.a" "$out"/obj/*.o
# The archive above is sockit without TLS (no SOCKIT_HAVE_* macro: what a
# plain Makefile builds); the TLS layer and the OpenSSL provider get the
# same flags with the provider on (objects beside, not in the archive).
echo "strict: src/tls*.c again with -DSOCKIT_HAVE_OPENSSL"
mkdir -p "$out/tls"
for f in src/tls*.c; do
    clang "${strict[@]}" -O2 -Iinclude -DSOCKIT_HAVE_OPENSSL -c "$f" -o "$out/tls/$(basename "$f" .c).o"
done

use=tests/strict/header_use.c
pedantic=(-Wall -Wextra -pedantic -Werror -Iinclude)
echo "strict: header as C89 (gcc, clang) and C++11 (g++, clang++)"
gcc -std=c89 "${pedantic[@]}" -o "$out/use-gcc-c89" "$use" "$out/libsockit.a" -pthread
clang -std=c89 "${pedantic[@]}" -o "$out/use-clang-c89" "$use" "$out/libsockit.a" -pthread
g++ -std=c++11 "${pedantic[@]}" -x c++ "$use" -x none -o "$out/use-g++-c++11" "$out/libsockit.a" -pthread
clang++ -std=c++11 "${pedantic[@]}" -x c++ "$use" -x none -o "$out/use-clang++-c++11" "$out/libsockit.a" -pthread
for p in use-gcc-c89 use-clang-c89 use-g++-c++11 use-clang++-c++11; do
    printf '  %-18s ' "$p"
    timeout 60 "$out/$p"
done

echo "strict: tcc builds the echo example"
mkdir -p "$out/tcc"
for e in echo_server echo_client; do
    tcc -Wall -Werror -Iinclude -o "$out/tcc/$e" "examples/$e.c" src/*.c src/posix/*.c -lpthread
done
SOCKIT_DEMO_BIN="$out/tcc" bash ci/demo
