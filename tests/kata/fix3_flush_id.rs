//! Fix 3 (locked): flush() shows the id before commit; and a prediction of
//! the ids SQLite gives.
//! To unlock, delete the `#[ignore = "locked: fix-3 ..."]` lines.

use models_kata::kata::fix3_flush_id::{add_and_flush, predict};
use models_kata::kata::step1_models::Book;
use models_kata::orm::{Engine, Session};
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
fn the_id_before_commit_and_where_it_is_seen() {
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
fn a_rollback_takes_the_row_back_then_the_next_id() {
    let db = TempDb::new();
    let engine = library(&db);
    let mut session = engine.session();
    assert_eq!(
        add_and_flush(&mut session, Book::new("First try", 2026, 1))
            .or_fail("add_and_flush()", FILE),
        8,
        "add_and_flush() in {FILE}: the id SQLite gave, the next after the lesson's seven books"
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
        8,
        "add_and_flush() in {FILE}: the id SQLite gave after the rollback, 8 again: return the id \
         of this flush, not one remembered from before"
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
fn the_id_after_book_100() {
    let db = TempDb::new();
    let engine = library_with_book_100(&db);
    let mut session = engine.session();
    assert_eq!(
        add_and_flush(&mut session, Book::new("Next", 2001, 1)).or_fail("add_and_flush()", FILE),
        101,
        "add_and_flush() in {FILE}: the id SQLite gave (the largest plus one), not a count"
    );
}

/// A book flushed through the ORM, by the harness: its id.
fn flush_a_book(session: &mut Session<'_>, title: &str) -> i64 {
    let handle = session.add(Book::new(title, 2026, 1));
    session.flush().unwrap();
    session.flushed_id(&handle).unwrap()
}

fn check(question: &str, predicted: i64, seen: i64, why: &str) {
    assert!(
        predicted == seen,
        "\npredict() in {FILE}\n{question}\n  you predicted: {predicted}\n  SQLite gave:   {seen}\n  why: {why}\n"
    );
}

#[test]
#[ignore = "locked: fix-3 (flush id) — delete this line to unlock it"]
fn predict_the_id_after_a_rollback() {
    let db = TempDb::new();
    let engine = library(&db);
    let mut session = engine.session();
    flush_a_book(&mut session, "First try");
    session.rollback().unwrap();
    let seen = flush_a_book(&mut session, "Second try");
    check(
        "Books 1 to 7; an 8th is flushed, then rolled back; another book is flushed. Its id?",
        predict().id_after_rollback,
        seen,
        "an INTEGER PRIMARY KEY is SQLite's rowid, and a new row gets the largest rowid in the \
         table plus one. The rolled-back row never existed, so the largest is still 7 and the \
         next book gets 8 again: the id the session showed you before the rollback now belongs \
         to another book. Never keep an id from a transaction that did not commit. (PostgreSQL's \
         sequences are not rolled back: there the next book would get 9.)",
    );
}

#[test]
#[ignore = "locked: fix-3 (flush id) — delete this line to unlock it"]
fn predict_the_id_after_book_100() {
    let db = TempDb::new();
    let engine = library_with_book_100(&db);
    let seen = flush_a_book(&mut engine.session(), "Next");
    check(
        "Books 1 to 7 and 100; a new book is flushed. Its id?",
        predict().id_after_book_100,
        seen,
        "SQLite takes the largest rowid plus one, not the first free number: the gap from 8 to \
         99 stays empty. An id names a row; it does not count the rows.",
    );
}

/// The lesson's library and one more book, with id 100.
fn library_with_book_100(db: &TempDb) -> Engine {
    let engine = library(db);
    engine
        .connection()
        .execute(
            "INSERT INTO books (id, title, year, author_id) VALUES (100, 'Far', 2000, 1)",
            [],
        )
        .unwrap();
    engine
}
