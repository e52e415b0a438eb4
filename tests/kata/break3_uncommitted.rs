//! Break 3 (locked): add() without commit(). The tests run the experiment on
//! a database file; your prediction must match what happens.
//! To unlock, delete the `#[ignore = "locked: break-3 ..."]` lines.

use models_kata::kata::break3_uncommitted::predict;
use models_kata::kata::step1_models::Book;
use models_kata::orm::select;

use crate::support::{LESSON_ROWS, SCHEMA, TempDb, number};

struct Seen {
    same_session: bool,
    other_connection: bool,
    after_drop: bool,
}

fn experiment() -> Seen {
    let db = TempDb::new();
    let engine = db.engine();
    engine.connection().execute_batch(SCHEMA).unwrap();
    engine.connection().execute_batch(LESSON_ROWS).unwrap();
    let other = db.engine();
    let in_db = "SELECT count(*) FROM books WHERE title = 'Uncommitted'";
    let (same_session, other_connection) = {
        let mut session = engine.session();
        session.add(Book::new("Uncommitted", 2025, 1));
        let found = session
            .all(&select::<Book>().filter(Book::TITLE.eq("Uncommitted")))
            .unwrap();
        (found.len() == 1, number(&other, in_db) == 1)
    };
    Seen {
        same_session,
        other_connection,
        after_drop: number(&engine, in_db) == 1,
    }
}

fn check(question: &str, predicted: bool, seen: bool, why: &str) {
    assert!(
        predicted == seen,
        "\npredict() in exercises/break3_uncommitted.rs\n{question}\n  you predicted: {predicted}\n  it is:         {seen}\n  why: {why}\n"
    );
}

#[test]
#[ignore = "locked: break-3 (uncommitted) — delete this line to unlock it"]
fn a_query_in_the_same_session() {
    check(
        "Does a query in the same session see the uncommitted book?",
        predict().same_session_sees_it,
        experiment().same_session,
        "add() only stages the book, but every query flushes first (autoflush): the INSERT runs \
         inside the session's open transaction, and a transaction sees its own writes.",
    );
}

#[test]
#[ignore = "locked: break-3 (uncommitted) — delete this line to unlock it"]
fn a_second_connection() {
    check(
        "Does a second connection to the same file see the uncommitted book?",
        predict().other_connection_sees_it,
        experiment().other_connection,
        "until COMMIT, the INSERT exists only inside the first connection's transaction; SQLite \
         shows every other connection the database as it was at the last commit (isolation).",
    );
}

#[test]
#[ignore = "locked: break-3 (uncommitted) — delete this line to unlock it"]
fn after_the_session_is_dropped() {
    check(
        "Is the book still in the database after the session is dropped without commit?",
        predict().still_there_after_drop,
        experiment().after_drop,
        "dropping a session that never committed rolls its transaction back, like closing a \
         SQLAlchemy session: the flushed INSERT is undone, as if it had never run.",
    );
}
