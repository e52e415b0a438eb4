//! Step 3: seed. Insert a library through the session, in one transaction.
//!
//! The session is the lesson's unit of work:
//!
//! - `session.add(object) -> Handle<M>` stages an object and gives back a
//!   handle to it; no SQL runs yet and the object has no id;
//! - `session.flush() -> Result<()>` sends the staged INSERTs inside the
//!   transaction, and the objects get their ids;
//! - `session.flushed_id(&handle) -> Result<i64>`: the id of a flushed
//!   object (an error if it was not flushed yet);
//! - `session.commit() -> Result<()>` flushes what is left and ends the
//!   transaction: from then on the rows are durable;
//! - `session.rollback() -> Result<()>` takes back everything since the last
//!   commit.
//!
//! Each `AuthorSeed` of the library has `name: &str` and `books: &[(&str,
//! i64)]`, the books' titles and years in the order to insert them.
//!
//! A book needs its author's id, and an author has an id only once flushed.
//! Commit once, at the end: the whole seed is one transaction. And make it
//! all or nothing: if any insert fails (`?` hands you the error, which names
//! the row), call `session.rollback()` before returning the error, so that
//! not even the authors flushed before it stay behind.
//!
//! Check yourself with `cargo test step3`.

use crate::lesson::AuthorSeed;
use crate::orm::{Result, Session};

/// How many rows [`seed`] inserted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedCounts {
    /// Authors inserted.
    pub authors: usize,
    /// Books inserted.
    pub books: usize,
}

/// Inserts every author of `library` and their books, in the library's
/// order, through the session (`session.add` with step 1's `Author::new` and
/// `Book::new`), commits once, and returns how many of each it inserted.
///
/// - Each book gets its own author's id, the one that author's flush gave
///   (`session.flushed_id`): two authors may share a name, and the tables
///   may already hold rows, so ids need not start at 1.
/// - The counts are what this call inserted, not what the tables hold.
/// - All or nothing: if any row fails, author or book, call
///   `session.rollback()`, then return the insert's error (it names the row).
///   The session's transaction is then over: none stays open.
pub fn seed(session: &mut Session<'_>, library: &[AuthorSeed]) -> Result<SeedCounts> {
    let _ = (session, library);
    todo!(
        "step 3 (seed): add the authors and books through the session in seed() — exercises/step3_seed.rs"
    )
}
