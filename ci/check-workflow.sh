#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/check-workflow.sh — structural check of a GitHub Actions workflow (ci/test
# lint lane): every `run:` step is one line that calls a script under ci/
# (optionally through sudo, bash, sh or pwsh), and that script exists; the
# linux job's `lane:` matrix (a `[...]` flow list or a block list of
# `- LANE` lines) names exactly ci/test's lanes.  Block
# scalars (`run: |`) are refused: CI logic belongs in ci/, where it can be
# run locally.  A `run:` with no value is accepted only as `defaults: run:`
# (followed by `shell:` or `working-directory:`).
#
# Usage: ci/check-workflow.sh [WORKFLOW]   (default .github/workflows/ci.yml)
set -euo pipefail

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SOCKIT_ROOT"

wf="${1:-.github/workflows/ci.yml}"
[[ -f "$wf" ]] || die "$wf not found"

# "LINE<TAB>VALUE" for every run: key, each ${{ ... }} as ${{EXPR}}; VALUE
# "-" for a defaults mapping.
runs="$(awk '
    pending { if ($0 ~ /^[[:space:]]*(#.*)?$/) next
              print pline "\t" ($0 ~ /^[[:space:]]+(shell|working-directory):/ ? "-" : "")
              pending = 0 }
    /^[[:space:]]*(-[[:space:]]+)?run:/ {
        v = $0; sub(/^[[:space:]]*(-[[:space:]]+)?run:[[:space:]]*/, "", v)
        sub(/[[:space:]]+#.*$/, "", v); sub(/[[:space:]]+$/, "", v)
        gsub(/\$\{\{[^}]*\}\}/, "${{EXPR}}", v)   # expressions: one word
        if (v == "") { pending = 1; pline = NR; next }
        print NR "\t" v
    }
    END { if (pending) print pline "\t" }' "$wf")"

bad=0 n=0
# Arguments: words and ${{EXPR}} only, no other $, no shell operators.
re='^(sudo[[:space:]]+)?((bash|sh|pwsh|powershell)([[:space:]]+-[A-Za-z]+)*[[:space:]]+)?(\./)?(ci/[A-Za-z0-9_.-]+)([[:space:]]([^;&|<>$`()]|\$\{\{EXPR\}\})*)?$'
while IFS=$'\t' read -r line cmd; do
    [[ -n "$line" ]] || continue
    [[ "$cmd" == - ]] && continue # defaults: run: shell: ...
    n=$((n + 1))
    if [[ ! "$cmd" =~ $re ]]; then
        printf '%s:%s: run: must be one line calling a script under ci/: %s\n' "$wf" "$line" "${cmd:-(empty or multi-line)}" >&2
        bad=1
    elif [[ ! -f "${BASH_REMATCH[6]}" ]]; then
        printf '%s:%s: %s does not exist\n' "$wf" "$line" "${BASH_REMATCH[6]}" >&2
        bad=1
    else
        printf '    %s:%s: %s\n' "$wf" "$line" "${BASH_REMATCH[6]}"
    fi
done <<<"$runs"
((n > 0)) || { printf '%s: no run: steps found\n' "$wf" >&2; bad=1; }

# The lane matrix and ci/test's ALL_LANES: the same set.
test_lanes="$(sed -n 's/^ALL_LANES=(\(.*\))[[:space:]]*$/\1/p' ci/test | tr -s ' ' '\n' | sort)"
wf_lanes="$(awk '
    /^[[:space:]]*lane:[[:space:]]*\[/ {
        v = $0; sub(/^[^[]*\[/, "", v); sub(/\].*$/, "", v)
        n = split(v, a, ",")
        for (i = 1; i <= n; i++) { gsub(/[[:space:]]/, "", a[i]); if (a[i] != "") print a[i] }
        next
    }
    /^[[:space:]]*lane:[[:space:]]*(#.*)?$/ { inlist = 1; next }
    inlist && /^[[:space:]]*-[[:space:]]/ {
        v = $0; sub(/^[[:space:]]*-[[:space:]]*/, "", v); sub(/[[:space:]]*(#.*)?$/, "", v)
        print v; next
    }
    inlist && !/^[[:space:]]*(#.*)?$/ { inlist = 0 }' "$wf" | sort)"
if [[ -z "$test_lanes" || "$test_lanes" != "$wf_lanes" ]]; then
    printf '%s: lane matrix [%s] differs from ci/test ALL_LANES [%s]\n' "$wf" \
        "$(paste -sd' ' <<<"$wf_lanes")" "$(paste -sd' ' <<<"$test_lanes")" >&2
    bad=1
fi

((bad == 0)) || exit 1
printf '    %s: %d run: steps, each calling an existing ci/ script; lanes: %s\n' \
    "$wf" "$n" "$(paste -sd' ' <<<"$wf_lanes")"
