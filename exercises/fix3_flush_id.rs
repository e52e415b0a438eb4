//! Fix 3 (locked): see the generated id before committing.
//!
//! Unlock: delete the `#[ignore = "locked: fix-3 ..."]` lines in
//! `tests/kata/fix3_flush_id.rs`, then `cargo test fix3`.
//!
//! `session.flush()` sends the INSERT inside the open transaction: SQLite
//! assigns the id then, and the session writes it into the object. Nothing
//! is committed: other connections do not see the row, and a rollback takes
//! it back. The tests check all of that, and what SQLite does with the id
//! after a rollback.

use super::step1_models::Book;
use crate::orm::{Result, Session};

/// Adds `book`, sends it to the database inside the open transaction, and
/// returns the id SQLite gave it. Does not commit.
pub fn add_and_flush(session: &mut Session<'_>, book: Book) -> Result<i64> {
    let _ = session;
    todo!(
        "fix-3 (flush id): add and flush {:?} in add_and_flush() — exercises/fix3_flush_id.rs",
        book.title
    )
}
