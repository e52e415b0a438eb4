#!/usr/bin/env bash
# `cargo run --features solutions` must print, byte for byte, the report in
# the committed snapshot, and the lesson's Expected output where the lesson
# is at hand (../shared/lesson beside the repo, as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

actual=target/report.txt
cargo run --quiet --features solutions >"$actual"

# The snapshot's body follows its second `---` line.
snapshot=target/report.snapshot.txt
awk 'seen >= 2 { print } /^---$/ { seen++ }' tests/kata/snapshots/kata__steps_report__report.snap >"$snapshot"
if ! cmp -s "$snapshot" "$actual"; then
  echo "cargo run --features solutions differs from tests/kata/snapshots/kata__steps_report__report.snap:"
  diff "$snapshot" "$actual" || true
  exit 1
fi
echo "ok: the report equals its snapshot"

lesson=../shared/lesson/sqlalchemy-models-lesson.txt
if [ -f "$lesson" ]; then
  expected=target/report.expected.txt
  # The lines between "Expected output" and "Alter it", without the blank
  # lines that frame them.
  awk '/^Expected output$/ { on = 1; next } /^Alter it$/ { on = 0 } on' "$lesson" |
    sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' >"$expected"
  if ! cmp -s "$expected" "$actual"; then
    echo "cargo run --features solutions differs from the lesson's Expected output:"
    diff "$expected" "$actual" || true
    exit 1
  fi
  echo "ok: the report is the lesson's Expected output, byte for byte"
else
  echo "note: $lesson not found; compared with the snapshot only"
fi
