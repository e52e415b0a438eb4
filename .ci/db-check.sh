#!/usr/bin/env bash
# `cargo run --features solutions -- --db PATH`, twice, then the sqlite3
# command line's view of the file: integrity, foreign keys, schema, rows.
# Skipped (with a note) where sqlite3 is not installed: the kata's own tests
# check the same through rusqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v sqlite3 >/dev/null; then
  echo "note: no sqlite3 command line here; the --db file is checked by tests/kata/report.rs only"
  exit 0
fi
db=target/ci-lesson.db
rm -f "$db"
for run in 1 2; do
  cargo run --quiet --features solutions -- --db "$db" >/dev/null
done
check() {
  local what=$1 sql=$2 expected=$3 got
  got=$(sqlite3 "$db" "$sql")
  if [ "$got" != "$expected" ]; then
    echo "FAIL  $what: expected '$expected', sqlite3 says '$got'"
    exit 1
  fi
}
check "PRAGMA integrity_check" "PRAGMA integrity_check" "ok"
check "PRAGMA foreign_key_check" "PRAGMA foreign_key_check" ""
check "authors after two runs" "SELECT count(*) FROM authors" "3"
check "books after two runs" "SELECT count(*) FROM books" "7"
check "the foreign key" "SELECT \"from\" || ' -> ' || \"table\" || '(' || \"to\" || ')' FROM pragma_foreign_key_list('books')" "author_id -> authors(id)"
check "the index on books.author_id" "SELECT name FROM pragma_index_info('ix_books_author_id')" "author_id"
echo "not a database" >target/ci-notes.txt
if cargo run --quiet --features solutions -- --db target/ci-notes.txt >/dev/null 2>&1; then
  echo "FAIL  --db overwrote a file that is not SQLite"
  exit 1
fi
[ "$(cat target/ci-notes.txt)" = "not a database" ] || { echo "FAIL  the refused file changed"; exit 1; }
echo "ok: --db twice gives 3 authors and 7 books; sqlite3 finds it sound, with the foreign key and its index; a foreign file is refused"
