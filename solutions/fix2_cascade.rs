//! Fix 2 (locked): deleting an author, with and without a cascade.
//!
//! Unlock: delete the `#[ignore = "locked: fix-2 ..."]` lines in
//! `tests/kata/fix2_cascade.rs`, then `cargo test fix2`.
//!
//! With foreign keys on, deleting an author who still has books is refused:
//! the books would point at nobody. The lesson's fix is a cascade, so that
//! deleting the author deletes their books. SQLAlchemy's
//! `cascade="all, delete-orphan"` does it in Python, one DELETE per book;
//! here it goes into the schema, `ON DELETE CASCADE`, and SQLite does it
//! (only while foreign keys are on).
//!
//! - [`books_table_with_cascade`]: step 1's `books` table, with
//!   `.on_delete_cascade() -> ColumnDef` after `.references(...)`;
//! - [`create_tables_with_cascade`], with `Metadata::new().register::<Author>()`
//!   and `.register_table(books_table_with_cascade())` (a table definition
//!   instead of a model's), then `.create_all(engine) -> Result<Vec<&'static str>>`;
//! - [`delete_author`]: delete through the session and turn each failure
//!   into a [`DeleteAuthorError`] the caller can read.
//!
//! The ORM calls you need for [`delete_author`], all from `crate::orm`:
//!
//! - `session.get::<Author>(id) -> Result<Option<Author>>`: the row with
//!   that primary key, if any;
//! - `session.delete(&author) -> Result<usize>`: DELETEs the author's row
//!   after flushing; returns how many rows of `authors` went (1). Rows that
//!   a cascade deletes are not counted: count the books before;
//! - `.columns(count(Book::ID))` on a `select::<Book>()`, filtered with
//!   `.eq(value)` (`= ?`), and run with `session.one(&query) -> Result<i64>`:
//!   a count, in exactly one row;
//! - `error.is_foreign_key_violation() -> bool`: true when a foreign key
//!   refused the delete.

use std::fmt;

use super::step1_models::{Author, Book};
use crate::orm::{self, Engine, Metadata, Session, Table, count, select};

/// The `books` table of step 1, with `ON DELETE CASCADE` on `author_id`.
pub fn books_table_with_cascade() -> &'static Table {
    const TABLE: Table = Table::new(
        "books",
        &[
            Book::ID.mapped().primary_key(),
            Book::TITLE.mapped(),
            Book::YEAR.mapped(),
            Book::AUTHOR_ID
                .mapped()
                .references("authors", "id")
                .on_delete_cascade(),
        ],
    );
    &TABLE
}

/// Creates `authors` and the cascading `books`, returning their names.
pub fn create_tables_with_cascade(engine: &Engine) -> orm::Result<Vec<&'static str>> {
    Metadata::new()
        .register::<Author>()
        .register_table(books_table_with_cascade())
        .create_all(engine)
}

/// Why [`delete_author`] did not delete.
#[derive(Debug)]
pub enum DeleteAuthorError {
    /// No author has this id.
    NoSuchAuthor {
        /// The id asked for.
        author_id: i64,
    },
    /// The author still has books and the schema has no cascade: the
    /// foreign key refuses the delete.
    HasBooks {
        /// The author.
        author_id: i64,
        /// How many books point at them.
        books: i64,
    },
    /// Any other database error.
    Database(orm::Error),
}

impl fmt::Display for DeleteAuthorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeleteAuthorError::NoSuchAuthor { author_id } => {
                write!(f, "there is no author with id {author_id}")
            }
            DeleteAuthorError::HasBooks { author_id, books } => write!(
                f,
                "author {author_id} still has {books} book(s); delete them first, \
                 or declare ON DELETE CASCADE"
            ),
            DeleteAuthorError::Database(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DeleteAuthorError {}

impl From<orm::Error> for DeleteAuthorError {
    fn from(e: orm::Error) -> Self {
        DeleteAuthorError::Database(e)
    }
}

/// Deletes the author `author_id`; returns how many of their books went
/// with them (by the cascade). An unknown id is
/// [`DeleteAuthorError::NoSuchAuthor`]. Without a cascade, an author with
/// books is [`DeleteAuthorError::HasBooks`], with their number of books, and
/// nothing changes. Any other failure is [`DeleteAuthorError::Database`].
/// Does not commit: the caller does. The session's engine has foreign keys
/// on (as fix-1's `open_engine` gives): without them SQLite neither refuses
/// nor cascades.
pub fn delete_author(session: &mut Session<'_>, author_id: i64) -> Result<i64, DeleteAuthorError> {
    let Some(author) = session.get::<Author>(author_id)? else {
        return Err(DeleteAuthorError::NoSuchAuthor { author_id });
    };
    let books_query = select::<Book>()
        .columns(count(Book::ID))
        .filter(Book::AUTHOR_ID.eq(author_id));
    let books = session.one(&books_query)?;
    match session.delete(&author) {
        Ok(_) => Ok(books),
        Err(e) if e.is_foreign_key_violation() => {
            Err(DeleteAuthorError::HasBooks { author_id, books })
        }
        Err(e) => Err(e.into()),
    }
}
