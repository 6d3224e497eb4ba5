#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/test-msys2.sh — the native MinGW-w64 job of .github/workflows/ci.yml
# (not run by ci/test): run in MSYS2's MINGW64 shell with
# mingw-w64-x86_64-{gcc,cmake,ninja,cmocka} installed (msys2/setup-msys2);
# -DSOCKIT_WERROR=ON, the Winsock backend, then ctest on real Windows.
# Usage: bash ci/test-msys2.sh   (build dir: build/msys2)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=build/msys2
jobs="$(nproc 2>/dev/null || echo 2)"
# Fewer soak connections: Windows keeps closed ports in TIME_WAIT.
export SOCKIT_SOAK_CYCLES="${SOCKIT_SOAK_CYCLES:-5000}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSOCKIT_WERROR=ON
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$jobs" --timeout 300
