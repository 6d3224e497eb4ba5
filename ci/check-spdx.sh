#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/check-spdx.sh - every tracked source, header, script, build and document
# file carries "SPDX-License-Identifier: MIT" within its first five lines.
# Fuzz corpora and regression inputs (data, not text anyone edits) and the
# license text itself are exempt.  Lists every offender; non-zero if any.
#
#   ci/check-spdx.sh [REPO]        (default: this repository)
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
bad=0
while IFS= read -r f; do
    case "$f" in
        LICENSE | tests/fuzz/corpus/* | tests/fuzz/regressions/* | */.gitkeep) continue ;;
    esac
    [[ -f "$f" ]] || continue
    if ! head -n 5 "$f" | grep -q 'SPDX-License-Identifier: MIT'; then
        printf 'missing SPDX-License-Identifier: MIT: %s\n' "$f" >&2
        bad=1
    fi
done < <(git ls-files)
exit "$bad"
