//! Alter 1 (locked): publishers. A second one-to-many, added to tables that
//! already hold rows.
//!
//! Unlock: delete the `#[ignore = "locked: alter-1 ..."]` lines in
//! `tests/kata/alter1_publisher.rs`, then `cargo test alter1`.
//!
//! In the lesson you would add a `Publisher` class and a `publisher_id`
//! column to `Book`. A real database already has rows, so here the change is
//! a migration: create `publishers`, then `ALTER TABLE books ADD COLUMN
//! publisher_id ... REFERENCES publishers(id)`. SQLite can add a column only
//! if every existing row can hold it at once: it must be nullable (the books
//! have no publisher yet), and it cannot be a primary key or UNIQUE. Anything
//! more needs the table rebuilt.
//!
//! `Book::PUBLISHER_ID` is given below: a typed column outside `Book::table()`,
//! so the core steps (and their tests) never see it.
//!
//! The ORM calls you need, besides step 1's (`Table::new`, `.mapped()`,
//! `.primary_key()`, `row.get`, `Values`), all from `crate::orm`:
//!
//! - `.unique() -> ColumnDef`: a UNIQUE column;
//! - `Metadata::new().register::<Publisher>().create_all(engine)
//!   -> Result<Vec<&'static str>>`: creates the tables that do not exist
//!   yet and leaves existing ones as they are, so it is safe to run twice;
//! - `schema::add_column(conn: &rusqlite::Connection, table: &Table, column:
//!   ColumnDef) -> Result<bool>`: `ALTER TABLE ... ADD COLUMN`, with SQLite's
//!   limits above checked (an error names the one broken) and an index on a
//!   new foreign key. Returns `true` if it added the column, `false` if the
//!   column was already there (a second run changes nothing). The
//!   connection is `engine.connection() -> &rusqlite::Connection`; the
//!   column, `Book::PUBLISHER_ID.mapped()` made a foreign key as in step 1;
//! - `update::<Book>().set(Book::PUBLISHER_ID, Some(id)).filter(condition)`,
//!   run with `session.execute(&update) -> Result<usize>`: an UPDATE, after
//!   flushing what is pending; returns how many rows changed. Without a
//!   filter it changes every row;
//! - `Book::ID.is_in(ids.iter().copied()) -> Condition`: `id IN (...)`;
//! - `.join(Book::PUBLISHER)`: books JOIN their publisher, so that a filter
//!   can name `Publisher::NAME`; `.eq(value)` is `= ?`; then
//!   `session.all(&query) -> Result<Vec<Book>>`, as in step 4.

use super::step1_models::Book;
use crate::orm::{
    BelongsTo, Column, Engine, HasMany, Metadata, Model, ModelRow, Result, Session, Table, Values,
    schema, select, update,
};

/// A publisher: one row of `publishers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publisher {
    /// Primary key; `None` until flushed.
    pub id: Option<i64>,
    /// The publisher's name, unique.
    pub name: String,
}

impl Publisher {
    /// `publishers.id`
    pub const ID: Column<Publisher, i64> = Column::new("id");
    /// `publishers.name`
    pub const NAME: Column<Publisher, String> = Column::new("name");
    /// The publisher's books: the other side of [`Book::PUBLISHER`].
    pub const BOOKS: HasMany<Publisher, Book> = HasMany::new(Book::PUBLISHER_ID);

    /// A new publisher, not yet in the database.
    pub fn new(name: impl Into<String>) -> Self {
        Publisher {
            id: None,
            name: name.into(),
        }
    }
}

impl Book {
    /// `books.publisher_id`, added by [`add_publishers`]: NULL for a book
    /// without a publisher. Not part of `Book::table()`, so the core steps
    /// neither read nor write it.
    pub const PUBLISHER_ID: Column<Book, Option<i64>> = Column::new("publisher_id");
    /// The book's publisher, if any.
    pub const PUBLISHER: BelongsTo<Book, Publisher> = BelongsTo::new(Book::PUBLISHER_ID);
}

impl Model for Publisher {
    /// `publishers`: `id` (primary key), `name` (NOT NULL, UNIQUE: `.unique()`).
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "publishers",
            &[
                Publisher::ID.mapped().primary_key(),
                Publisher::NAME.mapped().unique(),
            ],
        );
        &TABLE
    }

    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Publisher {
            id: Some(row.get(Publisher::ID)?),
            name: row.get(Publisher::NAME)?,
        })
    }

    fn values(&self) -> Values<'_, Self> {
        Values::new().set(Publisher::NAME, &self.name)
    }

    fn id(&self) -> Option<i64> {
        self.id
    }

    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

/// The migration: creates `publishers`, then adds `books.publisher_id` (a
/// nullable foreign key to `publishers.id`, with an index) to the existing
/// `books` table, keeping every book. Safe to run twice.
///
/// Hint: `Metadata` for the new table; `schema::add_column` with
/// `Book::PUBLISHER_ID.mapped().references(...)` for the new column.
pub fn add_publishers(engine: &Engine) -> Result<()> {
    Metadata::new().register::<Publisher>().create_all(engine)?;
    let column = Book::PUBLISHER_ID.mapped().references("publishers", "id");
    schema::add_column(engine.connection(), Book::table(), column)?;
    Ok(())
}

/// Makes `publisher_id` the publisher of the books whose ids are in
/// `book_ids`, and changes no other book; returns how many books it updated: each
/// book once, one that had this publisher already included (SQLite's count
/// of updated rows), an id no book has not at all. Does not commit: the
/// caller does. A publisher that does not exist is an error (with foreign
/// keys on, the foreign key refuses it): return it.
///
/// Hint: `update::<Book>().set(...).filter(Book::ID.is_in(...))`, run with
/// `session.execute(&update)`.
pub fn publish(session: &mut Session<'_>, publisher_id: i64, book_ids: &[i64]) -> Result<usize> {
    let change = update::<Book>()
        .set(Book::PUBLISHER_ID, Some(publisher_id))
        .filter(Book::ID.is_in(book_ids.iter().copied()));
    session.execute(&change)
}

/// The books of the publisher called exactly `name` (not a pattern: `%` is
/// just a character), in id order.
///
/// A publisher without books gives an empty list, and so does a name no
/// publisher has: "which books did X publish?" has the answer "none" in both
/// cases, and the caller can still look the publisher up if it matters.
pub fn books_by_publisher(session: &mut Session<'_>, name: &str) -> Result<Vec<Book>> {
    let query = select::<Book>()
        .join(Book::PUBLISHER)
        .filter(Publisher::NAME.eq(name))
        .order_by(Book::ID.asc());
    session.all(&query)
}
