//! Break 3 (locked): `add()` without `commit()`.
//!
//! The tests open the lesson's database from a file, add a book through a
//! session, and never commit. Then they look for the book from three places.
//!
//! 1. Write your prediction in `predict()` below.
//! 2. Run `cargo test break3 -- --include-ignored`: it runs the locked tests
//!    without unlocking them. A wrong prediction is told what really
//!    happened, and why.
//!
//! Predict before you open `tests/kata/break3_uncommitted.rs`: it holds the
//! explanations. To unlock the tests for good afterwards, delete its
//! `#[ignore = "locked: break-3 ..."]` lines.

/// Your prediction: where can the uncommitted book be seen?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// A query in the same session, after `add()`, before any commit.
    pub same_session_sees_it: bool,
    /// A second connection to the same database file, at that moment.
    pub other_connection_sees_it: bool,
    /// A query after the session was dropped, still without a commit.
    pub still_there_after_drop: bool,
}

/// What you expect.
pub fn predict() -> Prediction {
    todo!(
        "break-3 (uncommitted): write your prediction in predict() — exercises/break3_uncommitted.rs"
    )
}
