//! Fix 3 (locked): see the generated id before committing.

use super::step1_models::Book;
use crate::orm::{Result, Session};

/// Adds `book`, sends it to the database inside the open transaction, and
/// returns the id SQLite gave it. Does not commit.
pub fn add_and_flush(session: &mut Session<'_>, book: Book) -> Result<i64> {
    let handle = session.add(book);
    session.flush()?;
    session.flushed_id(&handle)
}
