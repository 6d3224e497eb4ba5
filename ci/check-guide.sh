#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/check-guide.sh - the C code in the documents is code CI compiles and
# runs.  Every ```c block of docs/*.md must follow a line
# "<!-- from FILE -->" (FILE relative to the repository root) and appear in
# FILE verbatim: the same consecutive lines, indented alike (the block may
# be shifted left as a whole).  The files are examples and tests that the
# gcc, asan, valgrind and mingw lanes build and run.  Lists every block that
# does not match; non-zero if any.
#
#   ci/check-guide.sh [REPO]        (default: this repository)
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
exec python3 - docs/*.md <<'PY'
import re, sys

bad = 0
checked = 0

def complain(doc, line, msg):
    global bad
    print("check-guide: %s:%d: %s" % (doc, line, msg), file=sys.stderr)
    bad = 1

def found_in(block, lines):
    """block (lines, common indent removed) appears in lines, shifted right
    by the same amount on every non-empty line."""
    first = block[0]
    for i in range(len(lines) - len(block) + 1):
        cand = lines[i]
        if not cand.endswith(first) or cand[: len(cand) - len(first)].strip():
            continue
        pad = cand[: len(cand) - len(first)]
        if all((b == "" and lines[i + k].strip() == "") or lines[i + k] == pad + b
               for k, b in enumerate(block)):
            return True
    return False

for doc in sys.argv[1:]:
    text = open(doc, encoding="utf-8").read().split("\n")
    src = None
    i = 0
    while i < len(text):
        m = re.match(r"\s*<!-- from (\S+) -->\s*$", text[i])
        if m:
            src, src_line = m.group(1), i + 1
            i += 1
            continue
        if re.match(r"\s*```c\s*$", text[i]):
            start = i + 1
            j = start
            while j < len(text) and not re.match(r"\s*```\s*$", text[j]):
                j += 1
            block = text[start:j]
            if src is None or src_line != i:
                complain(doc, start, "C block without a '<!-- from FILE -->' line just before it")
            else:
                try:
                    lines = open(src, encoding="utf-8").read().split("\n")
                except OSError as e:
                    complain(doc, start, "%s: %s" % (src, e.strerror))
                    lines = None
                while block and block[-1].strip() == "":
                    block.pop()
                ind = min((len(b) - len(b.lstrip()) for b in block if b.strip()), default=0)
                block = [b[ind:] if b.strip() else "" for b in block]
                if lines is not None and block and not found_in(block, lines):
                    complain(doc, start, "this block is not in %s as it stands there" % src)
                checked += 1
            src = None
            i = j + 1
            continue
        i += 1

print("check-guide: %d C blocks checked" % checked, file=sys.stderr)
sys.exit(bad)
PY
