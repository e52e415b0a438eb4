#!/usr/bin/env bash
# `cargo run --features solutions -- --db PATH`, from the outside:
#  - twice, then the sqlite3 command line's view of the file: integrity,
#    foreign keys, schema, rows (skipped, with a note, without sqlite3: the
#    kata's own tests check the same through rusqlite);
#  - what it refuses is left as it was: a file that is not SQLite, a copy of
#    /dev/null (root only), `--db ""` (refused with the usage, no report);
#  - the file is written whatever happens to stdout (`| head -1`);
#  - a full disk and a read-only file system are named for what they are,
#    with the user's path, and leave the file as it was (root only: they need
#    a private tmpfs mount, through `unshare -m`).
# src/dbfile/tests.rs covers the rest (FIFOs, sockets, links, locks,
# hot journals, schemas that are not the kata's).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --features solutions
bin="${CARGO_TARGET_DIR:-target}/debug/models-kata"
work=target/db-check
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

fail() {
  echo "FAIL  $*"
  exit 1
}
is_sqlite() { [ "$(head -c 15 "$1" 2>/dev/null)" = "SQLite format 3" ]; }

db=$work/lesson.db
for run in 1 2; do
  "$bin" --db "$db" >/dev/null || fail "--db run $run"
done
if command -v sqlite3 >/dev/null; then
  check() {
    local what=$1 sql=$2 expected=$3 got
    got=$(sqlite3 "$db" "$sql")
    [ "$got" = "$expected" ] || fail "$what: expected '$expected', sqlite3 says '$got'"
  }
  check "PRAGMA integrity_check" "PRAGMA integrity_check" "ok"
  check "PRAGMA foreign_key_check" "PRAGMA foreign_key_check" ""
  check "authors after two runs" "SELECT count(*) FROM authors" "3"
  check "books after two runs" "SELECT count(*) FROM books" "7"
  check "the foreign key" "SELECT \"from\" || ' -> ' || \"table\" || '(' || \"to\" || ')' FROM pragma_foreign_key_list('books')" "author_id -> authors(id)"
  check "the index on books.author_id" "SELECT name FROM pragma_index_info('ix_books_author_id')" "author_id"
  echo "ok: --db twice gives 3 authors and 7 books; sqlite3 finds it sound, with the foreign key and its index"
else
  is_sqlite "$db" || fail "--db left no SQLite database"
  echo "note: no sqlite3 command line here; the --db file's contents are checked by tests/kata/steps_report.rs only"
fi

echo "not a database" >"$work/notes.txt"
if "$bin" --db "$work/notes.txt" >/dev/null 2>&1; then
  fail "--db overwrote a file that is not SQLite"
fi
[ "$(cat "$work/notes.txt")" = "not a database" ] || fail "the refused file changed"
echo "ok: a file that is not SQLite is refused and kept"

# Item 9: an empty path is refused by the argument parser, with the usage.
set +e
out=$("$bin" --db "" 2>"$work/stderr")
status=$?
set -e
[ "$status" -eq 2 ] || fail "--db \"\" exits $status, not 2 (a usage error)"
[ -z "$out" ] || fail "--db \"\" ran the report: $out"
grep -q "^usage: " "$work/stderr" || fail "--db \"\" does not show the usage: $(cat "$work/stderr")"
echo "ok: --db \"\" is a usage error, before the report"

# Item 8: a reader that goes away at once; the database is still written.
piped=$work/piped.db
set +e
"$bin" --db "$piped" | true
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || fail "--db PATH | true exits $status"
is_sqlite "$piped" || fail "--db PATH | true wrote no database"
if command -v sqlite3 >/dev/null; then
  [ "$(sqlite3 "$piped" "SELECT count(*) FROM books")" = 7 ] || fail "--db PATH | true: not 7 books"
fi
echo "ok: --db PATH | true writes the database and exits 0"

# Item 2: a copy of /dev/null is a character device, not a file to replace.
if mknod "$work/null" c 1 3 2>/dev/null; then
  if timeout 20 "$bin" --db "$work/null" >/dev/null 2>"$work/stderr"; then
    fail "--db accepted a character device"
  fi
  grep -q "character device" "$work/stderr" || fail "a device refused as: $(cat "$work/stderr")"
  [ -c "$work/null" ] || fail "the device node was replaced"
  echo "ok: a copy of /dev/null is refused and left in place"
else
  echo "note: skipped the device-node check (mknod needs root)"
fi

# Items 6 and 7: the file system fails, not the learner's code.
# Each case runs in a private mount namespace on a small tmpfs.
in_tmpfs() { # OPTIONS SCRIPT: runs SCRIPT with $m a fresh tmpfs mounted with OPTIONS
  rm -f "$work/left" "$work/status"
  timeout 60 unshare -m sh -ec "m=$work/mnt; mkdir -p \$m; mount -t tmpfs -o $1 tmpfs \$m; $2"
}
if ! in_tmpfs size=64k true 2>/dev/null; then
  echo "note: skipped the full-disk and read-only checks (they need root, for unshare -m and mount)"
  exit 0
fi
environment_error() { # WHAT PATH CAUSE: the last run failed for CAUSE, naming PATH, with no step blamed
  local what=$1 path=$2 cause=$3
  [ "$(cat "$work/status")" = 1 ] || fail "$what: exit status $(cat "$work/status"), not 1"
  grep -qF "$path: $cause" "$work/stderr" || fail "$what: expected '$path: $cause', got: $(cat "$work/stderr")"
  if grep -E '\[(error|todo|panic)\]|Not complete' "$work/stdout"; then
    fail "$what: blamed on a step of the kata"
  fi
  if grep -F ".tmp" "$work/stderr"; then
    fail "$what: names a temporary file"
  fi
}
run_in() { # the kata on $m/lesson.db, its output and status kept in $work
  echo "set +e; \"$bin\" --db \$m/lesson.db >$work/stdout 2>$work/stderr; echo \$? >$work/status; set -e"
}

# A disk too small for the database: nothing is left behind.
in_tmpfs size=4k "$(run_in); ls -A \$m >$work/left"
environment_error "a full disk" "$work/mnt/lesson.db" "the disk is full"
[ ! -s "$work/left" ] || fail "a full disk: left $(cat "$work/left")"
# A disk with room for the old database but not for the journal: kept as it was.
in_tmpfs size=20k "cp $db \$m/lesson.db; $(run_in); cmp -s $db \$m/lesson.db || echo changed >$work/left"
environment_error "a full disk, over an old database" "$work/mnt/lesson.db" "the disk is full"
[ ! -s "$work/left" ] || fail "a full disk: the old database changed"
echo "ok: a full disk is said to be full, naming the path; nothing is left, or the old file is as it was"

# A read-only file system, without and with a database already there.
in_tmpfs ro,size=64k "$(run_in)"
environment_error "a read-only file system" "$work/mnt/lesson.db" "the file system is read-only"
in_tmpfs size=64k "cp $db \$m/lesson.db; mount -o remount,ro \$m; $(run_in); cmp -s $db \$m/lesson.db || echo changed >$work/left"
environment_error "a database on a read-only file system" "$work/mnt/lesson.db" "the file system is read-only"
[ ! -s "$work/left" ] || fail "a read-only file system: the database changed"
echo "ok: a read-only file system is named as such, with the user's path"
