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

# The README shows the whole expected report and the lesson's diagram: each
# must be its snapshot's body, the answer key the tests hold.
# same_as_snapshot HEADING FENCE SNAPSHOT: the first FENCE block after the
# README line HEADING equals the body of SNAPSHOT (after its second `---`).
same_as_snapshot() {
  local heading=$1 fence=$2 snapshot=$3 shown body
  shown=$(awk -v h="$heading" -v f="$fence" '
    $0 == h { seen = 1; next }
    seen && !on && $0 == f { on = 1; next }
    on && $0 == "```" { exit }
    on { print }' README.md)
  body=$(awk 'n >= 2 { print } /^---$/ { n++ }' "$snapshot")
  if [ -z "$shown" ]; then
    echo "FAIL  README.md has no $fence block under \"$heading\""
    status=1
  elif [ "$shown" != "$body" ]; then
    echo "FAIL  README.md under \"$heading\" differs from $snapshot:"
    diff <(printf '%s\n' "$body") <(printf '%s\n' "$shown") || true
    status=1
  else
    echo "ok: README.md under \"$heading\" is $snapshot"
  fi
}
same_as_snapshot "## The expected report" '```text' tests/kata/snapshots/kata__steps_report__report.snap
same_as_snapshot "## The schema as a picture" '```mermaid' tests/kata/snapshots/kata__step1_schema_diagram__diagram.snap
exit "$status"
