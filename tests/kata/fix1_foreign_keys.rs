//! Fix 1 (locked): foreign keys on, and a clear error for a missing author.
//! To unlock, delete the `#[ignore = "locked: fix-1 ..."]` lines.

use models_kata::kata::fix1_foreign_keys::{AddBookError, add_book, open_engine};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{LESSON_ROWS, SCHEMA, TempDb, rows};

/// The lesson's library in a file, opened with the learner's open_engine().
fn library(db: &TempDb) -> Engine {
    let engine = open_engine(db.path()).unwrap();
    engine.connection().execute_batch(SCHEMA).unwrap();
    engine.connection().execute_batch(LESSON_ROWS).unwrap();
    engine
}

#[test]
#[ignore = "locked: fix-1 (foreign keys) — delete this line to unlock it"]
fn every_engine_it_opens_enforces_foreign_keys() {
    let db = TempDb::new();
    let first = library(&db);
    let second = open_engine(db.path()).unwrap();
    assert!(
        first.foreign_keys().unwrap(),
        "the first connection must have foreign keys on"
    );
    assert!(
        second.foreign_keys().unwrap(),
        "and so must every other one: it is a per-connection setting"
    );
    let orphan = second.connection().execute(
        "INSERT INTO books (title, year, author_id) VALUES ('Orphan', 2000, 999)",
        [],
    );
    assert!(
        orphan.is_err(),
        "a raw INSERT of an orphan book must be refused too"
    );
}

#[rstest]
#[case::far_away(999)]
#[case::zero(0)]
#[case::negative(-1)]
#[case::just_past_the_last(4)]
#[ignore = "locked: fix-1 (foreign keys) — delete this line to unlock it"]
fn a_missing_author_is_a_clear_error_and_nothing_is_lost(#[case] author_id: i64) {
    let db = TempDb::new();
    let engine = library(&db);
    let mut session = engine.session();
    let err =
        add_book(&mut session, "Orphan", 2000, author_id).expect_err("the author does not exist");
    assert!(
        matches!(err, AddBookError::UnknownAuthor { author_id: id } if id == author_id),
        "expected AddBookError::UnknownAuthor {{ author_id: {author_id} }}, got {err:?}"
    );
    assert!(
        err.to_string().contains(&author_id.to_string()),
        "the message must name the id: {err}"
    );
    let id = add_book(&mut session, "Fine", 2001, 1)
        .expect("the session must still work after the error");
    assert_eq!(id, 8);
    session.commit().unwrap();
    drop(session);
    assert_eq!(
        rows(
            &engine,
            "SELECT id, title, author_id FROM books WHERE id > 7 OR title = 'Orphan'"
        ),
        [["8", "Fine", "1"]],
        "the good book is stored, nothing of the failed one"
    );
}

#[rstest]
#[case(1)]
#[case(3)]
#[ignore = "locked: fix-1 (foreign keys) — delete this line to unlock it"]
fn a_book_for_an_existing_author_is_added(#[case] author_id: i64) {
    let db = TempDb::new();
    let engine = library(&db);
    let mut session = engine.session();
    assert_eq!(add_book(&mut session, "New", 2024, author_id).unwrap(), 8);
    session.commit().unwrap();
    drop(session);
    assert_eq!(
        rows(&engine, "SELECT title, author_id FROM books WHERE id = 8"),
        [["New".to_string(), author_id.to_string()]]
    );
}
