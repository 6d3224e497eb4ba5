# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Helpers shared by the scripts in ci/.  Source it; it defines functions and
# a few variables and runs nothing else.

# Repository root (this file lives in <root>/ci/).
SOCKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build products, downloaded sources and dependency prefixes (git-ignored).
SOCKIT_BUILD_DIR="${SOCKIT_BUILD_DIR:-$SOCKIT_ROOT/build}"
SOCKIT_DEPS_DIR="${SOCKIT_DEPS_DIR:-$SOCKIT_BUILD_DIR/deps}"
# Where ci/build-cmocka.sh installs the static 64-bit MinGW CMocka.
SOCKIT_MINGW_CMOCKA_PREFIX="${SOCKIT_MINGW_CMOCKA_PREFIX:-$SOCKIT_DEPS_DIR/mingw-cmocka}"
# Debian's 64-bit Wine loader (package wine64) and the 32-bit one (wine32:i386).
SOCKIT_WINE_LOADER="${SOCKIT_WINE_LOADER:-/usr/lib/wine/wine64}"
SOCKIT_WINE32_LOADER="${SOCKIT_WINE32_LOADER:-/usr/lib/wine/wine}"
# Parallelism for make and ctest.
SOCKIT_JOBS="${SOCKIT_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# cmocka_prefix TARGET : where ci/build-cmocka.sh installs the static CMocka
# of TARGET (mingw64, mingw32, i386, s390x, musl).
cmocka_prefix() {
    if [[ "$1" == mingw64 ]]; then
        printf '%s\n' "$SOCKIT_MINGW_CMOCKA_PREFIX"
    else
        printf '%s\n' "$SOCKIT_DEPS_DIR/cmocka-$1"
    fi
}

# log MESSAGE... : a visible progress line on stderr.
log() {
    printf '\n==> %s\n' "$*" >&2
}

# die MESSAGE... : print an error and exit 1.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# want_install : true when we may (and should) install packages with apt:
# we are root and SOCKIT_NO_INSTALL is not 1.
want_install() {
    [[ "${SOCKIT_NO_INSTALL:-0}" != 1 && "$(id -u)" == 0 ]]
}

# apt_noninteractive CMD... : run an apt command with no prompts.  An apt-get
# waits up to 15 minutes for dpkg's lock (another install in progress)
# instead of failing at once.
apt_noninteractive() {
    if [[ "$1" == apt-get ]]; then
        shift
        set -- apt-get -o DPkg::Lock::Timeout=900 "$@"
    fi
    DEBIAN_FRONTEND=noninteractive "$@" </dev/null
}

# ensure_deb_src : make sure apt knows deb-src entries for the Debian archive,
# so that `apt-get source` works.  Only Debian's own entries are mirrored
# (/etc/apt/sources.list and the deb822 /etc/apt/sources.list.d/debian.sources
# of Debian 12 images), never third-party repositories, which may have no
# sources.  Idempotent: returns 0 and changes nothing when those files (or
# ours) already have a deb-src entry; otherwise writes
# /etc/apt/sources.list.d/sockit-deb-src.{sources,list} and returns 1 (the
# caller must then run apt-get update).
ensure_deb_src() {
    local d=/etc/apt/sources.list.d f files=()
    for f in /etc/apt/sources.list "$d/debian.sources" "$d/sockit-deb-src.sources" "$d/sockit-deb-src.list"; do
        [[ -s "$f" ]] && files+=("$f")
    done
    ((${#files[@]})) || die "no Debian apt sources in /etc/apt to derive deb-src entries from"
    # One-line "deb-src ..." or deb822 "Types: ... deb-src": nothing to do.
    if grep -qsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*[[:space:]]deb-src\b)' "${files[@]}"; then
        return 0
    fi
    # deb822: copy the stanzas, "Types: deb" becoming "Types: deb-src".
    if [[ -s "$d/debian.sources" ]]; then
        sed -E 's/^([[:space:]]*Types:[[:space:]]*)deb[[:space:]]*$/\1deb-src/' \
            "$d/debian.sources" >"$d/sockit-deb-src.sources.tmp"
        mv "$d/sockit-deb-src.sources.tmp" "$d/sockit-deb-src.sources"
    fi
    # One-line format: each "deb ..." line becomes "deb-src ...".
    if grep -qsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
        sed -nE 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' \
            /etc/apt/sources.list >"$d/sockit-deb-src.list.tmp"
        mv "$d/sockit-deb-src.list.tmp" "$d/sockit-deb-src.list"
    fi
    return 1
}
