#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/check-version.sh - the version is written in three places and they must
# agree: project(sockit VERSION X.Y.Z) in CMakeLists.txt; SOCKIT_VERSION_MAJOR,
# _MINOR, _PATCH and SOCKIT_VERSION "X.Y.Z" in include/sockit.h; and the top
# versioned entry of CHANGELOG.md, "## [X.Y.Z] - YYYY-MM-DD" (an
# "## [Unreleased]" section may stand above it).  Prints the three and every
# disagreement; non-zero if any.
#
#   ci/check-version.sh [REPO]        (default: this repository)
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
bad=0
complain() {
    printf 'version: %s\n' "$*" >&2
    bad=1
}

semver='[0-9]+\.[0-9]+\.[0-9]+'
cmake_v="$(sed -nE "s/^project\(sockit VERSION ($semver)[ )].*/\1/p" CMakeLists.txt)"
[[ -n "$cmake_v" ]] || complain "no 'project(sockit VERSION X.Y.Z ...)' in CMakeLists.txt"

h=include/sockit.h
hdr() { sed -nE "s/^#define SOCKIT_VERSION_$1 ([0-9]+)([^0-9].*)?$/\1/p" "$h"; }
h_major="$(hdr MAJOR)" h_minor="$(hdr MINOR)" h_patch="$(hdr PATCH)"
h_string="$(sed -nE "s/^#define SOCKIT_VERSION \"($semver)\".*/\1/p" "$h")"
[[ -n "$h_major" && -n "$h_minor" && -n "$h_patch" ]] ||
    complain "SOCKIT_VERSION_MAJOR/_MINOR/_PATCH missing from $h"
[[ -n "$h_string" ]] || complain "no '#define SOCKIT_VERSION \"X.Y.Z\"' in $h"
h_parts="$h_major.$h_minor.$h_patch"
[[ "$h_parts" == "$h_string" ]] ||
    complain "$h: SOCKIT_VERSION_MAJOR.MINOR.PATCH is $h_parts, SOCKIT_VERSION is \"$h_string\""

# The first "## [" heading that is not Unreleased must be the version, dated.
top="$(grep -m1 -E '^## \[' <(grep -vE '^## \[Unreleased\]' CHANGELOG.md) || true)"
log_v="$(sed -nE "s/^## \[($semver)\] - [0-9]{4}-[0-9]{2}-[0-9]{2}\$/\1/p" <<<"$top")"
[[ -n "$log_v" ]] ||
    complain "CHANGELOG.md: the top versioned entry '$top' is not '## [X.Y.Z] - YYYY-MM-DD'"
# Nothing but Unreleased may stand above it.
first="$(grep -m1 -E '^## ' CHANGELOG.md || true)"
[[ "$first" == "$top" || "$first" == "## [Unreleased]" ]] ||
    complain "CHANGELOG.md: '$first' stands above the top version entry"

printf 'version: CMakeLists.txt %s, sockit.h %s, CHANGELOG.md %s\n' \
    "${cmake_v:-?}" "${h_string:-?}" "${log_v:-?}" >&2
[[ "$cmake_v" == "$h_string" ]] ||
    complain "CMakeLists.txt says ${cmake_v:-nothing}, sockit.h says ${h_string:-nothing}"
[[ "$cmake_v" == "$log_v" ]] ||
    complain "CMakeLists.txt says ${cmake_v:-nothing}, CHANGELOG.md's top entry says ${log_v:-nothing}"
exit "$bad"
