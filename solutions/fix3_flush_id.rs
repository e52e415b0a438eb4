//! Fix 3 (locked): see the generated id before committing.
//!
//! Unlock: delete the `#[ignore = "locked: fix-3 ..."]` lines in
//! `tests/kata/fix3_flush_id.rs`, then `cargo test fix3`.
//!
//! Two parts. First [`add_and_flush`]: add a book and flush it, so that
//! SQLite assigns its id inside the open transaction, and return that id
//! without committing. The calls are step 3's: `session.add(book) ->
//! Handle<Book>`, `session.flush() -> Result<()>`,
//! `session.flushed_id(&handle) -> Result<i64>`.
//!
//! Then a prediction, in [`predict`]: the tests take the lesson's library
//! (books 1 to 7), flush an 8th book, roll it back, and add another. What
//! id does SQLite give that one? And in a library whose books are 1 to 7
//! and 100, what id does the next book get? Predict, then run
//! `cargo test fix3 -- --include-ignored` before you open the test file,
//! which holds the explanations.

use super::step1_models::Book;
use crate::orm::{Result, Session};

/// Adds `book`, sends it to the database inside the open transaction, and
/// returns the id SQLite gave it. Does not commit.
pub fn add_and_flush(session: &mut Session<'_>, book: Book) -> Result<i64> {
    let handle = session.add(book);
    session.flush()?;
    session.flushed_id(&handle)
}

/// Your prediction: the ids SQLite gives a new book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// Books 1 to 7 exist. A book is added and flushed, the session rolls
    /// back, then another book is added and flushed: its id.
    pub id_after_rollback: i64,
    /// Books 1 to 7 and a book with id 100 exist: the id of the next book.
    pub id_after_book_100: i64,
}

/// What you expect.
pub fn predict() -> Prediction {
    PREDICTION
}

const PREDICTION: Prediction = Prediction {
    id_after_rollback: 8,
    id_after_book_100: 101,
};
