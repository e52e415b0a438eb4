//! Break 3 (locked): `add()` without `commit()`.
//!
//! Unlock: delete the `#[ignore = "locked: break-3 ..."]` lines in
//! `tests/kata/break3_uncommitted.rs`, then `cargo test break3`.
//!
//! The tests open the lesson's database from a file, add a book through a
//! session, and never commit. Then they look for the book from three places.
//! Predict, then run them.

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
