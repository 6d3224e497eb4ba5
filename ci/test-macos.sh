#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/test-macos.sh — the macOS job of .github/workflows/ci.yml (not run by
# ci/test): Apple clang, -DSOCKIT_WERROR=ON, CMocka from Homebrew, TLS
# over Homebrew's OpenSSL 3 (-DSOCKIT_TLS=OPENSSL; its openssl command first
# on PATH for the test certificates, not the system's LibreSSL), then
# ctest.  macOS has no MSG_NOSIGNAL and no accept4, so this exercises the
# POSIX backend's SO_NOSIGPIPE and fcntl(FD_CLOEXEC) paths.
# Usage: bash ci/test-macos.sh   (build dir: build/macos)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=build/macos
jobs="$(sysctl -n hw.ncpu 2>/dev/null || echo 2)"
# Fewer soak connections: macOS keeps closed ports in TIME_WAIT.
export SOCKIT_SOAK_CYCLES="${SOCKIT_SOAK_CYCLES:-5000}"
brew list cmocka >/dev/null 2>&1 || brew install cmocka
brew list openssl@3 >/dev/null 2>&1 || brew install openssl@3
ossl="$(brew --prefix openssl@3)"
export PATH="$ossl/bin:$PATH"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSOCKIT_WERROR=ON \
    -DCMAKE_PREFIX_PATH="$(brew --prefix)" -DSOCKIT_TLS=OPENSSL -DOPENSSL_ROOT_DIR="$ossl"
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$jobs" --timeout 300
