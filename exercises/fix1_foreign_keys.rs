//! Fix 1 (locked): turn foreign keys on, and say what went wrong.
//!
//! Unlock: delete the `#[ignore = "locked: fix-1 ..."]` lines in
//! `tests/kata/fix1_foreign_keys.rs`, then `cargo test fix1`.
//!
//! The lesson: `PRAGMA foreign_keys = ON` for SQLite, and handle the
//! `IntegrityError`. Two parts:
//!
//! - [`open_engine`]: an engine with enforcement on. It is a per-connection
//!   setting, so every connection you open needs it.
//! - [`add_book`]: a book for a missing author must come back as
//!   [`AddBookError::UnknownAuthor`], an error the caller can act on, not a
//!   panic and not SQLite's bare "FOREIGN KEY constraint failed".
//!
//! The ORM calls you need, all from `crate::orm`:
//!
//! - `Engine::open(path) -> Result<Engine>`: the database in that file,
//!   created if missing (`Engine::in_memory()` is the same without a file);
//! - `engine.set_foreign_keys(true) -> Result<()>`: `PRAGMA foreign_keys = ON`
//!   on the engine's connection;
//! - `session.add(Book::new(title, year, author_id)) -> Handle<Book>`,
//!   `session.flush() -> Result<()>`, `session.flushed_id(&handle) -> Result<i64>`,
//!   as in step 3 (`Book` is `super::step1_models::Book`);
//! - a flush that SQLite refuses is all or nothing: it returns the error,
//!   the failing object is discarded, the others of that flush go back to
//!   pending, and the session stays usable;
//! - `error.is_foreign_key_violation() -> bool`: true only when the foreign
//!   key refused the row. `error.is_constraint_violation()` is true for every
//!   constraint (a UNIQUE's, a CHECK's or a trigger's refusal too), so it
//!   cannot tell a missing author. Checking first that the author exists,
//!   `session.get::<Author>(author_id) -> Result<Option<Author>>`, works too.

use std::fmt;
use std::path::Path;

use crate::orm::{self, Engine, Session};

/// Opens the database file at `path` (a file on disk, not
/// `Engine::in_memory()`), with foreign-key enforcement on.
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
