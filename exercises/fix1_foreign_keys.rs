//! Fix 1 (locked): turn foreign keys on, and say what went wrong.
//!
//! Unlock: delete the `#[ignore = "locked: fix-1 ..."]` lines in
//! `tests/kata/fix1_foreign_keys.rs`, then `cargo test fix1`.
//!
//! The lesson: `PRAGMA foreign_keys = ON` for SQLite, and handle the
//! `IntegrityError`. Two parts:
//!
//! - [`open_engine`]: an engine with enforcement on. It is a per-connection
//!   setting, so every connection you open needs it:
//!   `engine.set_foreign_keys(true)?`.
//! - [`add_book`]: a book for a missing author must come back as
//!   [`AddBookError::UnknownAuthor`], an error the caller can act on, not a
//!   panic and not SQLite's bare "FOREIGN KEY constraint failed". A failed
//!   `session.flush()` leaves nothing behind and keeps the session usable
//!   (see `Session::flush`). Only the foreign key's refusal means a missing
//!   author: `error.is_constraint_violation()` is true for every constraint
//!   (a trigger's or a CHECK's refusal too), so check that the author exists
//!   (`session.get::<Author>(author_id)?`), or look for SQLite's code
//!   `rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY` in `error.sqlite_error()`.

use std::fmt;
use std::path::Path;

use crate::orm::{self, Engine, Session};

/// Opens the database file at `path` (not a new database) with foreign-key
/// enforcement on.
pub fn open_engine(path: &Path) -> orm::Result<Engine> {
    todo!(
        "fix-1 (foreign keys): open {path:?} with foreign keys on in open_engine() — exercises/fix1_foreign_keys.rs"
    )
}

/// Why [`add_book`] could not add the book.
#[derive(Debug)]
pub enum AddBookError {
    /// No author has this id.
    UnknownAuthor {
        /// The id the book pointed at.
        author_id: i64,
    },
    /// Any other database error.
    Database(orm::Error),
}

impl fmt::Display for AddBookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddBookError::UnknownAuthor { author_id } => {
                write!(
                    f,
                    "there is no author with id {author_id}: add the author first"
                )
            }
            AddBookError::Database(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AddBookError {}

/// Adds a book by `author_id` and flushes it; returns its new id. A missing
/// author (the foreign key refuses the book) is
/// [`AddBookError::UnknownAuthor`]; any other failure is
/// [`AddBookError::Database`], with the error. Either way the session stays
/// usable, keeps what it held before, and holds nothing of the failed book.
/// Does not commit: the caller does.
pub fn add_book(
    session: &mut Session<'_>,
    title: &str,
    year: i64,
    author_id: i64,
) -> Result<i64, AddBookError> {
    let _ = (session, title);
    todo!(
        "fix-1 (foreign keys): add the book from {year} by author {author_id} in add_book() — exercises/fix1_foreign_keys.rs"
    )
}
