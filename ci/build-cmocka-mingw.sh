#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build CMocka for 64-bit Windows (MinGW-w64) as a static library.
#
# Debian ships no MinGW build of CMocka, so this takes Debian's own source
# package (`apt-get source cmocka`, patches applied), cross-compiles it with
# cmake/toolchain-mingw-w64.cmake and installs a static-only prefix:
#
#   <prefix>/include/cmocka.h, cmocka_pbc.h
#   <prefix>/lib/libcmocka-static.a     (the static library, cmocka <= 1.1.5)
#   <prefix>/lib/libcmocka.a            (the same archive, so -lcmocka and
#                                        find_library(NAMES cmocka) are static too)
#   <prefix>/lib/cmake/cmocka/cmocka-config*.cmake  (pointing at the .a)
#   <prefix>/lib/pkgconfig/cmocka.pc
#
# The DLL and its import library are removed from the prefix, so nothing can
# link against them by accident (the test programs then need no cmocka.dll).
# CMocka 1.1.x headers have no dllimport/dllexport (the DLL exports through a
# .def file), so a static link needs no define such as CMOCKA_STATIC.
#
# Usage: ci/build-cmocka-mingw.sh [PREFIX]
#   PREFIX defaults to build/deps/mingw-cmocka (SOCKIT_MINGW_CMOCKA_PREFIX).
# Idempotent: does nothing when PREFIX already holds a finished build.
# Needs: cmake, make, mingw-w64; and, to fetch the sources, dpkg-dev and
# (as root) apt deb-src entries, which it adds when missing.
# SOCKIT_CMOCKA_SRC=/path/to/cmocka-x.y.z uses an unpacked source tree instead.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

prefix="${1:-$SOCKIT_MINGW_CMOCKA_PREFIX}"
stamp="$prefix/.sockit-cmocka-stamp"
toolchain="$SOCKIT_ROOT/cmake/toolchain-mingw-w64.cmake"
src_parent="$SOCKIT_DEPS_DIR/src"
build_dir="$SOCKIT_DEPS_DIR/cmocka-mingw-build"

if [[ -f "$stamp" && -f "$prefix/include/cmocka.h" ]] && compgen -G "$prefix/lib/libcmocka*.a" >/dev/null; then
    log "MinGW CMocka already installed in $prefix ($(cat "$stamp")); skipping"
    exit 0
fi

command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc not found (apt-get install mingw-w64)"
command -v cmake >/dev/null || die "cmake not found"

# --- 1. Sources ---------------------------------------------------------------
# find_src : print the unpacked cmocka source directory, if there is one.
find_src() {
    local d
    for d in "$src_parent"/cmocka-*/; do
        [[ -f "$d/CMakeLists.txt" && -f "$d/include/cmocka.h" ]] && { printf '%s\n' "${d%/}"; return 0; }
    done
    return 1
}

if [[ -n "${SOCKIT_CMOCKA_SRC:-}" ]]; then
    src="$SOCKIT_CMOCKA_SRC"
elif ! src="$(find_src)"; then
    log "Fetching Debian's cmocka source package into $src_parent"
    command -v dpkg-source >/dev/null || die "dpkg-source not found (apt-get install dpkg-dev)"
    if [[ "$(id -u)" == 0 ]]; then
        # Add deb-src entries when missing; then the package lists need a refresh.
        if ! ensure_deb_src || ! apt-cache showsrc cmocka 2>/dev/null | grep -q '^Package: cmocka'; then
            apt_noninteractive apt-get update -q
        fi
    fi
    mkdir -p "$src_parent"
    # Unpack into a scratch dir first so a failed download leaves nothing behind.
    tmp="$(mktemp -d "$src_parent/.fetch.XXXXXX")"
    # Let apt's sandbox user write there (else apt warns and downloads as root).
    if [[ "$(id -u)" == 0 ]] && id _apt >/dev/null 2>&1; then
        chown _apt "$tmp" 2>/dev/null || true
    fi
    if ! (cd "$tmp" && apt_noninteractive apt-get source -q cmocka); then
        rm -rf "$tmp"
        die "apt-get source cmocka failed (needs deb-src entries; run as root to add them)"
    fi
    for d in "$tmp"/cmocka-*/; do
        d="${d%/}"
        rm -rf "${src_parent:?}/${d##*/}"
        mv "$d" "$src_parent/"
    done
    rm -rf "$tmp"
    src="$(find_src)" || die "no cmocka source tree in $src_parent after apt-get source"
fi
version="$(basename "$src")"
log "Building $version for MinGW-w64 into $prefix"

# --- 2. Configure, build, install -------------------------------------------------
# Options cover both CMocka 1.1.5 (WITH_STATIC_LIB adds a cmocka-static target
# beside the always-built DLL) and newer releases (BUILD_SHARED_LIBS=OFF builds
# a static "cmocka").  Unknown ones are only warned about.
rm -rf "$build_dir" "$prefix"
cmake -S "$src" -B "$build_dir" -G "Unix Makefiles" \
    -Wno-dev --no-warn-unused-cli \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_INSTALL_LIBDIR=lib \
    -DWITH_STATIC_LIB=ON \
    -DBUILD_SHARED_LIBS=OFF \
    -DUNIT_TESTING=OFF \
    -DWITH_EXAMPLES=OFF \
    -DWITH_CMOCKERY_SUPPORT=OFF \
    -DPICKY_DEVELOPER=OFF
cmake --build "$build_dir" -j "$SOCKIT_JOBS"
cmake --install "$build_dir"

# --- 3. Make the prefix static-only -------------------------------------------------
lib="$prefix/lib"
if [[ -f "$lib/libcmocka-static.a" ]]; then
    cp -f "$lib/libcmocka-static.a" "$lib/libcmocka.a"
elif [[ -f "$lib/libcmocka.a" ]]; then
    cp -f "$lib/libcmocka.a" "$lib/libcmocka-static.a"
else
    die "the cmocka build installed no static library in $lib"
fi
# Shared pieces: the DLL and its import library (1.1.5 names the latter
# libcmocka.dll.a, while its CMake config wrongly says cmocka.dll.a).
rm -f "$prefix"/bin/*cmocka*.dll "$lib"/*cmocka*.dll.a
rmdir "$prefix/bin" 2>/dev/null || true
# Point the CMake package config at the static archive.
config="$lib/cmake/cmocka/cmocka-config.cmake"
if [[ -f "$config" ]]; then
    sed -i -E 's#/(lib)?cmocka\.dll\.a#/libcmocka-static.a#g' "$config"
fi

[[ -f "$prefix/include/cmocka.h" ]] || die "no include/cmocka.h in $prefix"
printf '%s static x86_64-w64-mingw32\n' "$version" >"$stamp"
log "MinGW CMocka ready: $prefix"
ls -l "$prefix/include" "$lib" >&2
