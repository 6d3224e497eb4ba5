#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build CMocka, as a static library, for a target that Debian ships no
# CMocka for: the cross and foreign-ABI lanes of ci/test.
#
# Debian's libcmocka-dev is for the host (x86_64 glibc) only, so this takes
# Debian's own source package (`apt-get source cmocka`, patches applied),
# builds it with the target's CMake toolchain file and installs a
# static-only prefix:
#
#   <prefix>/include/cmocka.h, cmocka_pbc.h
#   <prefix>/lib/libcmocka-static.a     (the static library, cmocka <= 1.1.5)
#   <prefix>/lib/libcmocka.a            (the same archive, so -lcmocka and
#                                        find_library(NAMES cmocka) are static too)
#   <prefix>/lib/cmake/cmocka/cmocka-config*.cmake  (pointing at the .a)
#   <prefix>/lib/pkgconfig/cmocka.pc
#
# Shared pieces (a DLL and its import library, a .so) are removed from the
# prefix, so nothing links against them by accident: the test programs need
# no cmocka.dll beside them under Wine, no libcmocka.so of the foreign ABI,
# and a musl program stays fully static.  CMocka 1.1.x headers have no
# dllimport/dllexport (the DLL exports through a .def file), so a static
# link needs no define such as CMOCKA_STATIC.
#
# Usage: ci/build-cmocka.sh TARGET [PREFIX]
#   TARGET   toolchain file (cmake/toolchain-*.cmake)       default PREFIX
#   mingw64  toolchain-mingw-w64.cmake (x86_64-w64-mingw32) build/deps/mingw-cmocka
#   mingw32  toolchain-mingw-w64.cmake (i686-w64-mingw32)   build/deps/cmocka-mingw32
#   i386     toolchain-i386.cmake      (gcc -m32)           build/deps/cmocka-i386
#   s390x    toolchain-linux-cross.cmake (s390x-linux-gnu)  build/deps/cmocka-s390x
#   musl     toolchain-musl.cmake      (musl-gcc, static)   build/deps/cmocka-musl
#   (the defaults are what ci/lib.sh's cmocka_prefix prints)
# Idempotent: does nothing when PREFIX already holds a finished build.
# Needs: cmake, make, the target's compiler; and, to fetch the sources,
# dpkg-dev and (as root) apt deb-src entries, which it adds when missing.
# SOCKIT_CMOCKA_SRC=/path/to/cmocka-x.y.z uses an unpacked source tree instead.
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target="${1:-}"
cross_args=()
case "$target" in
    mingw64) toolchain="toolchain-mingw-w64.cmake"; cc="x86_64-w64-mingw32-gcc"
             cross_args=(-DMINGW_TRIPLE=x86_64-w64-mingw32) ;;
    mingw32) toolchain="toolchain-mingw-w64.cmake"; cc="i686-w64-mingw32-gcc"
             cross_args=(-DMINGW_TRIPLE=i686-w64-mingw32) ;;
    i386) toolchain="toolchain-i386.cmake"; cc="gcc"
          cross_args=("-DSOCKIT_I386_INCLUDE=$SOCKIT_DEPS_DIR/i386-include") ;;
    s390x) toolchain="toolchain-linux-cross.cmake"; cc="s390x-linux-gnu-gcc"
           cross_args=(-DCROSS_TRIPLE=s390x-linux-gnu) ;;
    musl) toolchain="toolchain-musl.cmake"; cc="musl-gcc" ;;
    *) die "usage: ci/build-cmocka.sh mingw64|mingw32|i386|s390x|musl [PREFIX]" ;;
esac
prefix="${2:-$(cmocka_prefix "$target")}"
stamp="$prefix/.sockit-cmocka-stamp"
toolchain="$SOCKIT_ROOT/cmake/$toolchain"
src_parent="$SOCKIT_DEPS_DIR/src"
build_dir="$SOCKIT_DEPS_DIR/cmocka-$target-build"

if [[ -f "$stamp" && -f "$prefix/include/cmocka.h" ]] && compgen -G "$prefix/lib/libcmocka*.a" >/dev/null; then
    log "CMocka for $target already installed in $prefix ($(cat "$stamp")); skipping"
    exit 0
fi

command -v "$cc" >/dev/null || die "$cc not found (ci/test installs it for the $target lane)"
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

# One download serves every target.  Lanes may build CMocka at the same
# time (SOCKIT_JOBS, or two ci/test runs): a lock keeps them from fetching
# into the same place at once.
if [[ -n "${SOCKIT_CMOCKA_SRC:-}" ]]; then
    src="$SOCKIT_CMOCKA_SRC"
else
    mkdir -p "$src_parent"
    exec 9>"$src_parent/.lock"
    flock 9
    if ! src="$(find_src)"; then
        log "Fetching Debian's cmocka source package into $src_parent"
        command -v dpkg-source >/dev/null || die "dpkg-source not found (apt-get install dpkg-dev)"
        if [[ "$(id -u)" == 0 ]]; then
            # Add deb-src entries when missing; then the package lists need a refresh.
            if ! ensure_deb_src || ! apt-cache showsrc cmocka 2>/dev/null | grep -q '^Package: cmocka'; then
                apt_noninteractive apt-get update -q
            fi
        fi
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
    exec 9>&-
fi
version="$(basename "$src")"
log "Building $version for $target into $prefix"

# --- 2. Configure, build, install -------------------------------------------------
# Options cover both CMocka 1.1.5 (WITH_STATIC_LIB adds a cmocka-static target
# beside the always-built shared one) and newer releases (BUILD_SHARED_LIBS=OFF
# builds a static "cmocka").  Unknown ones are only warned about.
rm -rf "$build_dir" "$prefix"
cmake -S "$src" -B "$build_dir" -G "Unix Makefiles" \
    -Wno-dev --no-warn-unused-cli \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    "${cross_args[@]}" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_INSTALL_LIBDIR=lib \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
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
# Shared pieces: a DLL and its import library (1.1.5 names the latter
# libcmocka.dll.a, while its CMake config wrongly says cmocka.dll.a), or a
# shared object and its links.
rm -f "$prefix"/bin/*cmocka*.dll "$lib"/*cmocka*.dll.a "$lib"/libcmocka.so*
rmdir "$prefix/bin" 2>/dev/null || true
# Point the CMake package config at the static archive.
config="$lib/cmake/cmocka/cmocka-config.cmake"
if [[ -f "$config" ]]; then
    sed -i -E 's#/(lib)?cmocka\.(dll\.a|so)#/libcmocka-static.a#g' "$config"
fi

[[ -f "$prefix/include/cmocka.h" ]] || die "no include/cmocka.h in $prefix"
printf '%s static %s\n' "$version" "$target" >"$stamp"
log "CMocka for $target ready: $prefix"
ls -l "$prefix/include" "$lib" >&2
