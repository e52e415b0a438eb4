//! Break 1 (locked): a book for an author that does not exist.
//!
//! Predict, then observe. The tests insert a book with `author_id = 999`
//! (there are authors 1 to 3 only) into the lesson's schema, whose
//! `books.author_id` says `REFERENCES authors(id)`, over three kinds of
//! connection, and compare what SQLite does with your prediction.
//!
//! 1. Write your prediction in `predict()` below, one `Outcome` per
//!    connection.
//! 2. Run `cargo test break1 -- --include-ignored`: it runs the locked tests
//!    without unlocking them. A wrong prediction is told what really
//!    happened, and why.
//!
//! Predict before you open `tests/kata/break1_orphan_book.rs`: it holds the
//! explanations. To unlock the tests for good afterwards, delete its
//! `#[ignore = "locked: break-1 ..."]` lines.

/// What SQLite does with the INSERT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The row is stored, pointing at an author who does not exist.
    Accepted,
    /// The INSERT fails with an error.
    Refused,
}

/// Your prediction, one outcome per connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// Through the kata's `Engine::in_memory()`, which leaves foreign keys as
    /// the lesson's Python program has them.
    pub kata_engine: Outcome,
    /// The same engine after `engine.set_foreign_keys(true)`
    /// (`PRAGMA foreign_keys = ON`).
    pub foreign_keys_on: Outcome,
    /// A plain `rusqlite::Connection::open_in_memory()`, no PRAGMA at all.
    pub plain_rusqlite: Outcome,
}

/// What you expect.
pub fn predict() -> Prediction {
    PREDICTION
}

const PREDICTION: Prediction = Prediction {
    kata_engine: Outcome::Accepted,
    foreign_keys_on: Outcome::Refused,
    plain_rusqlite: Outcome::Refused,
};
