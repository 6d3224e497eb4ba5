#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2317  # the path_* functions are called as "path_$p"
# ci/consumers.sh — build and run the consumer projects in ci/consumers/:
# every way a project can take sockit in, each ending in a program
# (ci/consumers/common/main.c, public API only) that makes a loopback
# connection and exchanges a line each way.  Linking alone is not a pass.
#
# Usage: ci/consumers.sh [PATH...]     (no PATH: all of them, in this order)
#
#   subdir        ci/consumers/subdir: add_subdirectory(<repo> sockit) and
#                 sockit::sockit, configured with -Wdev --warn-uninitialized
#                 and warnings as errors; checks that no sockit test or
#                 example target exists there, that configuring warns about
#                 nothing, and that sockit adds no cache entries but
#                 SOCKIT_* and CMake's own; static, then BUILD_SHARED_LIBS=ON
#   find_package  sockit built and installed with the README's three
#                 commands ("Build and install": no build type given, so
#                 Release; -DBUILD_TESTING=OFF, so the library alone) into a
#                 prefix, static and shared (whose SONAME must be
#                 libsockit.so.0.MINOR while the version is 0.x), then
#                 ci/consumers/find_package (find_package(sockit CONFIG
#                 REQUIRED)) against each
#   pkgconfig     cc $(pkg-config --cflags --libs sockit) against the same
#                 two prefixes (--static for the static one); then a static
#                 MinGW-w64 install, a program linked with exactly
#                 `pkg-config --static --cflags --libs sockit` (nothing added
#                 by hand) and run under Wine (prefix build/consumers/wineprefix)
#   makefile      ci/consumers/makefile/Makefile: plain make, one compiler
#                 line over src/*.c src/posix/*.c, then src/*.c src/*/*.c
#
# Not run by default (name it to run it):
#   amalgamation  ci/amalgamate.sh into build/consumers/amalgamation, then the
#                 consumer with it: gcc -std=c99 -Wall -Wextra -Werror, run;
#                 x86_64-w64-mingw32-gcc (-lws2_32 -static-libgcc), run under
#                 Wine (prefix build/consumers/wineprefix).  Fails while two
#                 of sockit's files define the same static name (see
#                 ci/amalgamate.sh); SOCKIT_AMALGAMATE_SRCROOT=DIR amalgamates
#                 another tree (one with include/ and src/).
#
# Everything is built under $SOCKIT_BUILD_DIR/consumers (default
# build/consumers), from scratch on every run.  Exit status non-zero when any
# path failed.  Environment: SOCKIT_JOBS, SOCKIT_BUILD_DIR (see ci/lib.sh),
# CC (default cc).
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SOCKIT_ROOT"

ALL_PATHS=(subdir find_package pkgconfig makefile amalgamation)
OUT="$SOCKIT_BUILD_DIR/consumers"
CONSUMERS="$SOCKIT_ROOT/ci/consumers"
CC="${CC:-cc}"
# The version find_package must report: the one CMakeLists.txt declares.
VERSION="$(sed -n 's/^project(sockit VERSION \([0-9.]*\).*/\1/p' "$SOCKIT_ROOT/CMakeLists.txt")"

usage() {
    sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

paths=()
for arg in "$@"; do
    case "$arg" in
        -h | --help) usage; exit 0 ;;
        subdir | find_package | pkgconfig | makefile | amalgamation) paths+=("$arg") ;;
        *) usage >&2; die "unknown path '$arg' (paths: ${ALL_PATHS[*]})" ;;
    esac
done
((${#paths[@]})) || paths=("${ALL_PATHS[@]}")

# run CMD... : log and run a command.
run() {
    printf '    $ %s\n' "$*" >&2
    "$@"
}

# quiet LOG CMD... : run a command with its output in LOG, shown on failure.
quiet() {
    local logf="$1" rc=0
    shift
    printf '    $ %s  (log: %s)\n' "$*" "$logf" >&2
    "$@" >"$logf" 2>&1 || rc=$?
    if ((rc != 0)); then
        tail -n 60 "$logf" >&2
        printf 'error: exit %d: %s\n' "$rc" "$*" >&2
    fi
    return "$rc"
}

# cmake_configure LOG CMAKE_ARGS... : configure with the strictest developer
# warnings; any CMake warning at all is a failure.
cmake_configure() {
    local logf="$1"
    shift
    quiet "$logf" cmake -Wdev -Werror=dev --warn-uninitialized "$@" || return
    if grep -nE '^CMake (Warning|Deprecation Warning|Error)|[Uu]ninitialized variable' "$logf" >&2; then
        printf 'error: CMake warned while configuring (log: %s)\n' "$logf" >&2
        return 1
    fi
}

# ---------------------------------------------------------------------------
# 1. add_subdirectory
# ---------------------------------------------------------------------------
# subdir_one KIND (static|shared)
subdir_one() {
    local kind="$1" dir="$OUT/subdir-$1" shared=OFF bad
    [[ "$kind" == shared ]] && shared=ON
    rm -rf "$dir"
    cmake_configure "$OUT/subdir-$kind.configure.log" -S "$CONSUMERS/subdir" -B "$dir" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$CC" -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
        -DBUILD_SHARED_LIBS="$shared" -DSOCKIT_SOURCE_DIR="$SOCKIT_ROOT" || return
    # sockit is not the top-level project: no tests, no examples.  The only
    # targets are CMake's own, the consumer and sockit (test_roles etc.
    # would show up here).
    cmake --build "$dir" --target help >"$dir/targets.txt" || return
    if grep -q test_roles "$dir/targets.txt"; then
        printf 'error: sockit tests built in a vendored build (%s)\n' "$dir/targets.txt" >&2
        return 1
    fi
    bad="$(sed -n 's/^\.\.\. \([^ ]*\).*/\1/p' "$dir/targets.txt" |
        grep -vE '^(all|clean|depend|edit_cache|rebuild_cache|consumer|sockit|.*\.[ois])$' || true)"
    if [[ -n "$bad" ]]; then
        printf 'error: unexpected targets in a vendored build: %s\n' "$(echo "$bad" | tr '\n' ' ')" >&2
        return 1
    fi
    grep -qx '\.\.\. sockit' "$dir/targets.txt" || {
        printf 'error: no sockit target in %s\n' "$dir/targets.txt" >&2
        return 1
    }
    # Cache entries sockit added (the consumer's CMakeLists.txt lists them):
    # only SOCKIT_*, and CMake's own (CMAKE_*, from project(), and
    # GNUInstallDirs' private one) are allowed.
    bad="$(grep -vE '^(SOCKIT_[A-Z0-9_]+|CMAKE_[A-Za-z0-9_]+|sockit_(SOURCE_DIR|BINARY_DIR|IS_TOP_LEVEL)|_GNUInstallDirs_[A-Za-z0-9_]+)?$' \
        "$dir/cache-added-by-sockit.txt" || true)"
    if [[ -n "$bad" ]]; then
        printf 'error: add_subdirectory(sockit) added cache entries outside SOCKIT_*:\n%s\n' "$bad" >&2
        return 1
    fi
    printf '    cache entries added by sockit: %s\n' \
        "$(grep -E '^SOCKIT_' "$dir/cache-added-by-sockit.txt" | tr '\n' ' ')" >&2
    quiet "$dir/build.log" cmake --build "$dir" -j "$SOCKIT_JOBS" || return
    run "$dir/consumer" || return
}

path_subdir() {
    subdir_one static || return
    subdir_one shared || return
}

# ---------------------------------------------------------------------------
# 2. cmake --install + find_package, 3. pkg-config
# ---------------------------------------------------------------------------
# install_sockit KIND : build and install sockit into $OUT/prefix-KIND, once
# per run, as README's "Build and install" says: no build type (sockit then
# defaults to Release) and -DBUILD_TESTING=OFF (the library alone: no test,
# example or tool target may exist).  KIND: static, shared, or mingw (static,
# cross-built with cmake/toolchain-mingw-w64.cmake).
install_sockit() {
    local kind="$1" args=()
    local dir="$OUT/sockit-$kind" prefix="$OUT/prefix-$kind"
    [[ -f "$prefix/.installed" ]] && return 0
    case "$kind" in
        static) args=(-DCMAKE_C_COMPILER="$CC") ;;
        shared) args=(-DCMAKE_C_COMPILER="$CC" -DBUILD_SHARED_LIBS=ON) ;;
        mingw) args=(-DCMAKE_TOOLCHAIN_FILE="$SOCKIT_ROOT/cmake/toolchain-mingw-w64.cmake") ;;
    esac
    rm -rf "$dir" "$prefix"
    cmake_configure "$OUT/sockit-$kind.configure.log" -S "$SOCKIT_ROOT" -B "$dir" \
        "${args[@]}" -DBUILD_TESTING=OFF -DSOCKIT_WERROR=ON \
        -DCMAKE_INSTALL_PREFIX="$prefix" || return
    cmake --build "$dir" --target help >"$dir/targets.txt" || return
    if grep -E '^\.\.\. (test_|example|echo_|chat_|http_|skcat)' "$dir/targets.txt" >&2; then
        printf 'error: -DBUILD_TESTING=OFF still builds more than the library (%s)\n' \
            "$dir/targets.txt" >&2
        return 1
    fi
    quiet "$dir/build.log" cmake --build "$dir" -j "$SOCKIT_JOBS" || return
    quiet "$dir/install.log" cmake --install "$dir" || return
    grep -qF 'Install configuration: "Release"' "$dir/install.log" || {
        printf 'error: a configure without a build type did not install Release (%s)\n' \
            "$dir/install.log" >&2
        return 1
    }
    [[ "$kind" == mingw ]] && { touch "$prefix/.installed"; return 0; }
    local f
    for f in include/sockit.h lib/pkgconfig/sockit.pc lib/cmake/sockit/sockitConfig.cmake \
        lib/cmake/sockit/sockitConfigVersion.cmake lib/cmake/sockit/sockitTargets.cmake; do
        [[ -f "$prefix/$f" ]] || {
            printf 'error: %s not installed\n' "$prefix/$f" >&2
            return 1
        }
    done
    if [[ "$kind" == shared ]]; then
        # While the version is 0.x every 0.MINOR has its own SONAME.
        local major minor soname want
        IFS=. read -r major minor _ <<<"$VERSION"
        want="libsockit.so.$major"
        ((major == 0)) && want="libsockit.so.0.$minor"
        soname="$(objdump -p "$prefix/lib/libsockit.so" | sed -n 's/^ *SONAME *//p')"
        printf '    SONAME %s\n' "$soname" >&2
        [[ "$soname" == "$want" ]] || {
            printf 'error: SONAME %s, want %s\n' "$soname" "$want" >&2
            return 1
        }
    fi
    touch "$prefix/.installed"
}

path_find_package() {
    local kind dir
    for kind in static shared; do
        install_sockit "$kind" || return
        dir="$OUT/find_package-$kind"
        rm -rf "$dir"
        cmake_configure "$OUT/find_package-$kind.configure.log" -S "$CONSUMERS/find_package" \
            -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$CC" \
            -DCMAKE_PREFIX_PATH="$OUT/prefix-$kind" || return
        grep -F "sockit $VERSION from $OUT/prefix-$kind/" "$OUT/find_package-$kind.configure.log" >&2 || {
            printf 'error: find_package did not find sockit in %s\n' "$OUT/prefix-$kind" >&2
            return 1
        }
        quiet "$dir/build.log" cmake --build "$dir" -j "$SOCKIT_JOBS" || return
        # The shared one runs through the RUNPATH CMake gives build trees.
        run "$dir/consumer" || return
    done
}

path_pkgconfig() {
    local kind static flags exe
    for kind in static shared; do
        install_sockit "$kind" || return
        static=()
        [[ "$kind" == static ]] && static=(--static)
        export PKG_CONFIG_PATH="$OUT/prefix-$kind/lib/pkgconfig"
        run pkg-config --validate sockit || return
        flags="$(pkg-config "${static[@]}" --cflags --libs sockit)" || return
        printf '    pkg-config%s: %s\n' "${static[*]/#/ }" "$flags" >&2
        exe="$OUT/pkgconfig-$kind"
        # Word splitting of the flags is intended: that is how they are used.
        # shellcheck disable=SC2086
        run "$CC" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -o "$exe" \
            "$CONSUMERS/common/main.c" $flags || return
        if [[ "$kind" == shared ]]; then
            # Must resolve to the prefix's library, nothing else.
            LD_LIBRARY_PATH="$OUT/prefix-shared/lib" ldd "$exe" |
                grep -F "$OUT/prefix-shared/lib/libsockit.so" >&2 || {
                printf 'error: %s does not use %s\n' "$exe" "$OUT/prefix-shared/lib" >&2
                return 1
            }
            run env LD_LIBRARY_PATH="$OUT/prefix-shared/lib" "$exe" || return
        else
            if ldd "$exe" | grep -F libsockit >&2; then
                printf 'error: %s links a shared libsockit\n' "$exe" >&2
                return 1
            fi
            run "$exe" || return
        fi
    done
    pkgconfig_mingw || return
}

# pkgconfig_mingw : a static MinGW-w64 sockit, a consumer linked with only
# what its sockit.pc says (-lws2_32 comes from Libs.private), run under Wine.
pkgconfig_mingw() {
    local exe="$OUT/pkgconfig-mingw.exe" flags
    mingw_check || return
    install_sockit mingw || return
    # Only the MinGW prefix's .pc files: never the host's.
    flags="$(PKG_CONFIG_LIBDIR="$OUT/prefix-mingw/lib/pkgconfig" PKG_CONFIG_PATH='' \
        pkg-config --static --cflags --libs sockit)" || return
    printf '    pkg-config --static (MinGW): %s\n' "$flags" >&2
    # shellcheck disable=SC2086
    run "$MINGW_CC" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -o "$exe" \
        "$CONSUMERS/common/main.c" $flags || return
    trap wine_down EXIT # this path runs in a subshell
    wine_up "$OUT/wineprefix" || return
    run timeout --kill-after=10 120 "$WINE_LOADER" "$exe" </dev/null || return
}

# ---------------------------------------------------------------------------
# 4. plain make
# ---------------------------------------------------------------------------
path_makefile() {
    local dir="$OUT/makefile"
    rm -rf "$dir"
    run make --no-print-directory -f "$CONSUMERS/makefile/Makefile" \
        SOCKIT="$SOCKIT_ROOT" OUT="$dir" CC="$CC" check || return
}

# ---------------------------------------------------------------------------
# 5. amalgamation (not in ALL_PATHS yet)
# ---------------------------------------------------------------------------
WINE_LOADER="${SOCKIT_WINE_LOADER:-/usr/lib/wine/wine64}"
WINESERVER="${SOCKIT_WINESERVER:-/usr/lib/wine/wineserver64}"
MINGW_CC="${SOCKIT_MINGW_CC:-x86_64-w64-mingw32-gcc}"

# wine_up PREFIX : a headless Wine prefix (initialised when new, ~10 s) with a
# persistent wineserver, as ci/test's mingw lane does.
wine_up() {
    export WINEPREFIX="$1" WINEARCH=win64 WINEDEBUG=-all
    export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
    unset DISPLAY WAYLAND_DISPLAY
    if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
        mkdir -p "$WINEPREFIX"
        printf '    initialising Wine prefix %s\n' "$WINEPREFIX" >&2
        timeout 300 "$WINE_LOADER" wineboot --init </dev/null >/dev/null 2>&1 || return
        timeout 120 "$WINESERVER" -w || return
    fi
    "$WINESERVER" -p </dev/null >/dev/null 2>&1 || return
    timeout 120 "$WINE_LOADER" wineboot </dev/null >/dev/null 2>&1 || return
}

wine_down() {
    "$WINESERVER" -k >/dev/null 2>&1 || true
    "$WINESERVER" -w >/dev/null 2>&1 || true
}

# mingw_check : the MinGW-w64 compiler and Wine are there.
mingw_check() {
    command -v "$MINGW_CC" >/dev/null || {
        printf 'error: %s not found (Debian package mingw-w64)\n' "$MINGW_CC" >&2
        return 1
    }
    [[ -x "$WINE_LOADER" && -x "$WINESERVER" ]] || {
        printf 'error: Wine (%s, %s) not found (packages wine, wine64)\n' "$WINE_LOADER" "$WINESERVER" >&2
        return 1
    }
}

path_amalgamation() {
    local dir="$OUT/amalgamation"
    local srcroot="${SOCKIT_AMALGAMATE_SRCROOT:-$SOCKIT_ROOT}"
    rm -rf "$dir"
    run bash "$SOCKIT_ROOT/ci/amalgamate.sh" "$dir" "$srcroot" || return
    run "$CC" -std=c99 -pthread -Wall -Wextra -Werror -pedantic -O2 -I"$dir" -o "$dir/consumer" \
        "$CONSUMERS/common/main.c" "$dir/sockit.c" || return
    run "$dir/consumer" || return
    mingw_check || return
    run "$MINGW_CC" -std=c99 -Wall -Wextra -Werror -pedantic -O2 -I"$dir" -o "$dir/consumer.exe" \
        "$CONSUMERS/common/main.c" "$dir/sockit.c" -lws2_32 -static-libgcc || return
    trap wine_down EXIT # this path runs in a subshell
    wine_up "$OUT/wineprefix" || return
    run timeout --kill-after=10 120 "$WINE_LOADER" "$dir/consumer.exe" </dev/null || return
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
mkdir -p "$OUT"
# Each run installs afresh.
rm -f "$OUT"/prefix-*/.installed
declare -A result=() took=()
failed=0
start_all=$SECONDS
for p in "${paths[@]}"; do
    log "[consumers] $p"
    t0=$SECONDS
    if ("path_$p"); then
        result[$p]=PASS
    else
        result[$p]=FAIL
        failed=1
    fi
    took[$p]=$((SECONDS - t0))
    log "[consumers] $p: ${result[$p]} (${took[$p]}s)"
done

printf '\n%s\n' '---------------- sockit consumers ----------------'
for p in "${paths[@]}"; do
    printf '  %-13s %-6s %5ss\n' "$p" "${result[$p]}" "${took[$p]}"
done
printf '  total %ss\n' "$((SECONDS - start_all))"
printf '%s\n' '--------------------------------------------------'
exit "$failed"
