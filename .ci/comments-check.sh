#!/usr/bin/env bash
# exercises/X.rs and solutions/X.rs carry the same header (`//!`), the same
# doc comments (`///`) and the same public signatures, word for word, so that
# `diff exercises/X.rs solutions/X.rs` shows only the learner's part: the
# `use` lines and the bodies. A solution's private helpers are documented
# with plain `//` comments.
set -euo pipefail
cd "$(dirname "$0")/.."

# The lines that must match, in order: the comments a reader reads, the first
# line of each public item, and each impl block's opening line.
skeleton() {
  grep -E '^[[:space:]]*(//[/!]|pub[ (]|impl[ <])' "$1" || true
}

status=0
count=0
for exercise in exercises/*.rs; do
  file=$(basename "$exercise")
  [ "$file" = mod.rs ] && continue
  count=$((count + 1))
  solution="solutions/$file"
  if [ ! -f "$solution" ]; then
    echo "FAIL  $solution is missing"
    status=1
    continue
  fi
  if ! differences=$(diff -u --label "$exercise" --label "$solution" \
    <(skeleton "$exercise") <(skeleton "$solution")); then
    echo "FAIL  $file: the header, doc comments or public signatures differ:"
    printf '%s\n' "$differences"
    status=1
  fi
done
if [ "$count" -eq 0 ]; then
  echo "FAIL  no exercise files found"
  exit 1
fi
[ "$status" -eq 0 ] && echo "ok: all $count exercise and solution files share their header, doc comments and public signatures"
exit "$status"
