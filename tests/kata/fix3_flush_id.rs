//! Fix 3 (locked): flush() shows the id before commit.
//! To unlock, delete the `#[ignore = "locked: fix-3 ..."]` lines.

use models_kata::kata::fix3_flush_id::add_and_flush;
use models_kata::kata::step1_models::Book;
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;

use crate::support::{LESSON_ROWS, OrFail, SCHEMA, TempDb, number, rows};

fn library(db: &TempDb) -> Engine {
    let engine = db.engine();
    engine.connection().execute_batch(SCHEMA).unwrap();
    engine.connection().execute_batch(LESSON_ROWS).unwrap();
    engine
}

const FILE: &str = "exercises/fix3_flush_id.rs";

const BOOK_8: &str = "SELECT count(*) FROM books WHERE id = 8";

#[test]
#[ignore = "locked: fix-3 (flush id) — delete this line to unlock it"]
fn the_id_is_known_before_commit_and_seen_only_inside() {
    let db = TempDb::new();
    let engine = library(&db);
    let other = db.engine();
    let mut session = engine.session();
    let id =
        add_and_flush(&mut session, Book::new("Draft", 2026, 2)).or_fail("add_and_flush()", FILE);
    assert_eq!(
        id, 8,
        "add_and_flush() in {FILE}: the id SQLite gave, the next after the lesson's seven books"
    );
    let seen = session.get::<Book>(8).unwrap().map(|b| b.title);
    assert_eq!(
        seen,
        Some("Draft".to_string()),
        "add_and_flush() in {FILE}: the same session sees the flushed row"
    );
    assert_eq!(
        number(&other, BOOK_8),
        0,
        "add_and_flush() in {FILE} does not commit: another connection must not see the row yet"
    );
    session.commit().unwrap();
    assert_eq!(
        number(&other, BOOK_8),
        1,
        "add_and_flush() in {FILE}: after the caller's commit, the row is there"
    );
}

#[test]
#[ignore = "locked: fix-3 (flush id) — delete this line to unlock it"]
fn a_rollback_takes_the_row_back_and_sqlite_reuses_its_id() {
    let db = TempDb::new();
    let engine = library(&db);
    let mut session = engine.session();
    assert_eq!(
        add_and_flush(&mut session, Book::new("First try", 2026, 1))
            .or_fail("add_and_flush()", FILE),
        8
    );
    session.rollback().unwrap();
    assert_eq!(
        session.get::<Book>(8).unwrap(),
        None,
        "add_and_flush() in {FILE} does not commit: a rollback takes the row back"
    );
    // The rolled-back row never existed, and without AUTOINCREMENT SQLite
    // gives the largest rowid plus one: the same id again.
    assert_eq!(
        add_and_flush(&mut session, Book::new("Second try", 2026, 1))
            .or_fail("add_and_flush()", FILE),
        8
    );
    session.commit().unwrap();
    drop(session);
    assert_eq!(
        rows(&engine, "SELECT title FROM books WHERE id = 8"),
        [["Second try"]],
        "add_and_flush() in {FILE}: the second book, committed"
    );
}

#[test]
#[ignore = "locked: fix-3 (flush id) — delete this line to unlock it"]
fn the_next_id_follows_the_largest() {
    let db = TempDb::new();
    let engine = library(&db);
    engine
        .connection()
        .execute(
            "INSERT INTO books (id, title, year, author_id) VALUES (100, 'Far', 2000, 1)",
            [],
        )
        .unwrap();
    let mut session = engine.session();
    assert_eq!(
        add_and_flush(&mut session, Book::new("Next", 2001, 1)).or_fail("add_and_flush()", FILE),
        101,
        "add_and_flush() in {FILE}: the id SQLite gave (the largest plus one), not a count"
    );
}
