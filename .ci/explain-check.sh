#!/usr/bin/env bash
# Every pointer in solutions/EXPLAIN.md, README.md and CONTRIBUTING.md to a test or snapshot,
# written `path/file.rs::function` or `path/file.snap`, must name a file that
# exists and, for a function, a `fn function` in it.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
count=0
for doc in solutions/EXPLAIN.md README.md CONTRIBUTING.md; do
  while IFS= read -r ref; do
    count=$((count + 1))
    file=${ref%%::*}
    if [ ! -f "$file" ]; then
      echo "FAIL  $doc points at $ref: no file $file"
      status=1
    elif [[ $ref == *::* ]] && ! grep -qE "fn ${ref##*::}\b" "$file"; then
      echo "FAIL  $doc points at $ref: no fn ${ref##*::} in $file"
      status=1
    fi
  done < <(grep -oE '`[A-Za-z0-9_./-]+\.(rs|snap)(::[A-Za-z0-9_]+)?`' "$doc" | tr -d '`' | sort -u)
done
if [ "$count" -eq 0 ]; then
  echo "FAIL  no pointers found"
  exit 1
fi
[ "$status" -eq 0 ] && echo "ok: all $count pointers to tests and snapshots resolve"
exit "$status"
