//! Alter 2 (locked): tags. A many-to-many between books and tags.
//!
//! Unlock: delete the `#[ignore = "locked: alter-2 ..."]` lines in
//! `tests/kata/alter2_tags.rs`, then `cargo test alter2`.
//!
//! A book has many tags and a tag has many books, so neither table can hold
//! the other's id. A third table, `book_tags`, holds one row per pair: its
//! primary key is the pair `(book_id, tag_id)`, so a pair is stored once, and
//! each column is a foreign key. In SQLAlchemy this is
//! `relationship(secondary=book_tags)`; here it is `ManyToMany` (given below),
//! and `.join(Book::TAGS)` joins through the link table for you.
//!
//! A complete example of the same shape: `Album`, `Genre` and `AlbumGenre` in
//! `src/orm/example.rs`.
//!
//! The ORM calls and rules you need, besides step 1's, all from `crate::orm`:
//!
//! - `.unique()` and, on both link columns, `.primary_key()`: together they
//!   make a composite key;
//! - `Metadata::new().register::<Tag>().register::<BookTag>().create_all(engine)
//!   -> Result<Vec<&'static str>>`: a foreign key may point at a table that
//!   is not registered if it is already in the database, as `books` is;
//! - `select::<Tag>().filter(Tag::NAME.eq(tag))`: `.eq(value)` is `= ?`, and
//!   `.filter` called twice keeps the rows that match both;
//! - `session.first(&query) -> Result<Option<Row>>`: the first row, if any
//!   (find before you create);
//! - `session.add(object) -> Handle<M>`, `session.flush() -> Result<()>`,
//!   `session.flushed_id(&handle) -> Result<i64>`, as in step 3;
//! - every query (`all`, `first`, `one`, `get`) flushes the session first,
//!   so it sees what you added;
//! - a flush that SQLite refuses is all or nothing: it returns the error,
//!   the failing object is discarded, the others of that flush go back to
//!   pending, and the session stays usable. A duplicate link and a missing
//!   book are both refused by a constraint (`error.is_constraint_violation()
//!   -> bool`); `error.is_foreign_key_violation() -> bool` is true only for
//!   the missing book. Or look the link up before you add it;
//! - `.join(Tag::BOOKS)` / `.join(Book::TAGS)`, `.columns(Tag::NAME)`,
//!   `.order_by(Tag::NAME.asc())`, as in step 4.

use super::step1_models::Book;
use crate::orm::{Column, Engine, ManyToMany, Model, ModelRow, Result, Session, Table, Values};

/// A tag, such as "programming": one row of `tags`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Primary key; `None` until flushed.
    pub id: Option<i64>,
    /// The tag's name, unique.
    pub name: String,
}

impl Tag {
    /// `tags.id`
    pub const ID: Column<Tag, i64> = Column::new("id");
    /// `tags.name`
    pub const NAME: Column<Tag, String> = Column::new("name");
    /// The books with this tag.
    pub const BOOKS: ManyToMany<Tag, Book, BookTag> = Book::TAGS.reversed();

    /// A new tag, not yet in the database.
    pub fn new(name: impl Into<String>) -> Self {
        Tag {
            id: None,
            name: name.into(),
        }
    }
}

/// One row of `book_tags`: this book has this tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookTag {
    /// `REFERENCES books(id)`
    pub book_id: i64,
    /// `REFERENCES tags(id)`
    pub tag_id: i64,
}

impl BookTag {
    /// `book_tags.book_id`
    pub const BOOK_ID: Column<BookTag, i64> = Column::new("book_id");
    /// `book_tags.tag_id`
    pub const TAG_ID: Column<BookTag, i64> = Column::new("tag_id");
}

impl Book {
    /// The book's tags, through `book_tags`.
    pub const TAGS: ManyToMany<Book, Tag, BookTag> =
        ManyToMany::new(BookTag::BOOK_ID, BookTag::TAG_ID);
}

impl Model for Tag {
    /// `tags`: `id` (primary key), `name` (NOT NULL, UNIQUE).
    fn table() -> &'static Table {
        todo!(
            "alter-2 (tags): describe the `tags` table in Tag::table() — exercises/alter2_tags.rs"
        )
    }

    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        let _ = row;
        todo!("alter-2 (tags): build a Tag from a row — exercises/alter2_tags.rs")
    }

    fn values(&self) -> Values<'_, Self> {
        todo!("alter-2 (tags): list a Tag's values — exercises/alter2_tags.rs")
    }

    fn id(&self) -> Option<i64> {
        todo!("alter-2 (tags): return the Tag's id — exercises/alter2_tags.rs")
    }

    fn set_id(&mut self, id: Option<i64>) {
        todo!("alter-2 (tags): store the Tag's id {id:?} — exercises/alter2_tags.rs")
    }
}

impl Model for BookTag {
    /// `book_tags`: `book_id` references `books(id)`, `tag_id` references
    /// `tags(id)`, and both are `.primary_key()`: together they are the key.
    fn table() -> &'static Table {
        todo!(
            "alter-2 (tags): describe the `book_tags` link table in BookTag::table() — exercises/alter2_tags.rs"
        )
    }

    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        let _ = row;
        todo!("alter-2 (tags): build a BookTag from a row — exercises/alter2_tags.rs")
    }

    /// Both columns: the key is part of the values here.
    fn values(&self) -> Values<'_, Self> {
        todo!("alter-2 (tags): list a BookTag's values — exercises/alter2_tags.rs")
    }

    /// A link has no id of its own: return `None`.
    fn id(&self) -> Option<i64> {
        todo!("alter-2 (tags): a BookTag has no id — exercises/alter2_tags.rs")
    }

    /// Nothing to store.
    fn set_id(&mut self, id: Option<i64>) {
        todo!("alter-2 (tags): a BookTag ignores the id {id:?} — exercises/alter2_tags.rs")
    }
}

/// Creates `tags` and `book_tags` (beside the existing `books`), returning
/// their names in creation order: `["tags", "book_tags"]`.
pub fn create_tag_tables(engine: &Engine) -> Result<Vec<&'static str>> {
    let _ = engine;
    todo!("alter-2 (tags): create the tag tables in create_tag_tables() — exercises/alter2_tags.rs")
}

/// Tags the book `book_id` with `tag`, creating the tag if no tag has exactly
/// that name (case counts: "Python" is not "python"; `%` is just a character).
/// Returns `true` if the book was tagged now, `false` if it already had the
/// tag: tagging twice is a harmless no-op, not an error, because the caller
/// asked for a state ("this book has this tag") that already holds. Does not
/// commit: the caller does. A missing book is an error (with foreign keys on,
/// the foreign key refuses it): return it.
pub fn tag_book(session: &mut Session<'_>, book_id: i64, tag: &str) -> Result<bool> {
    let _ = session;
    todo!(
        "alter-2 (tags): tag book {book_id} with {tag:?} in tag_book() — exercises/alter2_tags.rs"
    )
}

/// The names of the tags of book `book_id`, in alphabetical order as SQL's
/// `ORDER BY name` gives it: by character code, so "Zen" comes before
/// "agile" (Rust's `sort()` on `String`s agrees).
pub fn tags_of(session: &mut Session<'_>, book_id: i64) -> Result<Vec<String>> {
    let _ = session;
    todo!("alter-2 (tags): list the tags of book {book_id} in tags_of() — exercises/alter2_tags.rs")
}

/// The books tagged exactly `tag` (case counts, `%` is just a character), in
/// id order.
pub fn books_tagged(session: &mut Session<'_>, tag: &str) -> Result<Vec<Book>> {
    let _ = session;
    todo!(
        "alter-2 (tags): list the books tagged {tag:?} in books_tagged() — exercises/alter2_tags.rs"
    )
}
