//! Break 1 (locked): a book for an author that does not exist. The tests run
//! the experiment; your prediction must match what SQLite does.
//! To unlock, delete the `#[ignore = "locked: break-1 ..."]` lines.

use models_kata::kata::break1_orphan_book::{Outcome, predict};
use models_kata::orm::Engine;
use rusqlite::Connection;

use crate::support::SCHEMA;

/// Inserts a book for author 999 where only author 1 exists.
fn observe(conn: &Connection) -> (Outcome, String) {
    conn.execute_batch(SCHEMA).unwrap();
    conn.execute(
        "INSERT INTO authors (id, name) VALUES (1, 'The Only Author')",
        [],
    )
    .unwrap();
    let insert = "INSERT INTO books (title, year, author_id) VALUES ('Orphan', 2000, 999)";
    match conn.execute(insert, []) {
        Ok(_) => (
            Outcome::Accepted,
            "the INSERT succeeded: the book is stored with author_id 999, an author who does not exist"
                .into(),
        ),
        Err(e) => (Outcome::Refused, format!("the INSERT failed: {e}")),
    }
}

fn check(question: &str, predicted: Outcome, (seen, detail): (Outcome, String), why: &str) {
    assert!(
        predicted == seen,
        "\npredict() in exercises/break1_orphan_book.rs\n{question}\n  you predicted: {predicted:?}\n  SQLite did:    {seen:?}: {detail}\n  why: {why}\n"
    );
}

#[test]
#[ignore = "locked: break-1 (orphan book) — delete this line to unlock it"]
fn through_the_kata_engine() {
    let engine = Engine::in_memory().unwrap();
    check(
        "A book for author 999 through Engine::in_memory():",
        predict().kata_engine,
        observe(engine.connection()),
        "SQLite checks foreign keys only on a connection where `PRAGMA foreign_keys = ON`. Its \
         documented default is OFF (for old databases' sake), the SQLite that Python uses keeps \
         it, and so does the kata's Engine, to behave like the lesson. REFERENCES is then only \
         a note in the schema: the orphan book goes in without a word.",
    );
}

#[test]
#[ignore = "locked: break-1 (orphan book) — delete this line to unlock it"]
fn with_foreign_keys_on() {
    let engine = Engine::in_memory().unwrap();
    engine.set_foreign_keys(true).unwrap();
    check(
        "A book for author 999 after engine.set_foreign_keys(true):",
        predict().foreign_keys_on,
        observe(engine.connection()),
        "with `PRAGMA foreign_keys = ON`, SQLite checks every INSERT and UPDATE of books.author_id \
         against authors.id. There is no author 999, so the statement fails with \"FOREIGN KEY \
         constraint failed\" and nothing is stored.",
    );
}

#[test]
#[ignore = "locked: break-1 (orphan book) — delete this line to unlock it"]
fn through_a_plain_rusqlite_connection() {
    let conn = Connection::open_in_memory().unwrap();
    check(
        "A book for author 999 through a plain rusqlite Connection::open_in_memory():",
        predict().plain_rusqlite,
        observe(&conn),
        "rusqlite's `bundled` feature compiles its own SQLite with SQLITE_DEFAULT_FOREIGN_KEYS=1, \
         so its connections start with enforcement ON, unlike the sqlite3 shell or Python. The \
         same SQL, two answers, depending on how SQLite was built: never rely on the default, \
         set the PRAGMA yourself (fix-1).",
    );
}
