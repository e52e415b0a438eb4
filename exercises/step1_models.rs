//! Step 1: models. Map `Author` and `Book` to the `authors` and `books` tables.
//!
//! In the lesson (SQLAlchemy):
//!
//! ```python
//! class Author(Base):
//!     __tablename__ = "authors"
//!     id: Mapped[int] = mapped_column(primary_key=True)
//!     name: Mapped[str] = mapped_column(String(100))
//!
//! class Book(Base):
//!     __tablename__ = "books"
//!     id: Mapped[int] = mapped_column(primary_key=True)
//!     title: Mapped[str] = mapped_column(String(200))
//!     year: Mapped[int]
//!     author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
//! ```
//!
//! The structs and their typed columns (`Author::NAME`, `Book::YEAR`, ...)
//! are given. Your part is the `impl Model` blocks at the bottom:
//!
//! - `table()`: the table name and its columns, in this order, built from the
//!   typed columns. NOT NULL comes from the Rust type (`i64` is NOT NULL,
//!   `Option<i64>` is not).
//! - `from_row()`: build the struct from a row.
//! - `values()`: what to store for a new row: every column but `id`.
//! - `id()` / `set_id()`: give the session the primary key.
//!
//! The ORM calls you need (all `const fn` where a `const` needs them):
//!
//! - `Table::new(name: &'static str, columns: &'static [ColumnDef]) -> Table`:
//!   write `const TABLE: Table = Table::new("books", &[...]);` and return `&TABLE`;
//! - `Book::YEAR.mapped() -> ColumnDef`, the column as the schema sees it,
//!   refined with `.primary_key() -> ColumnDef` and
//!   `.references("authors", "id") -> ColumnDef` (a foreign key);
//! - `row.get(Book::TITLE) -> rusqlite::Result<String>`: the typed value of
//!   one column (`?` passes a failure on);
//! - `Values::new().set(Book::TITLE, &self.title) -> Values`, chained once
//!   per column to store.
//!
//! Why `TEXT` and not `String(200)`: SQLAlchemy would emit `name VARCHAR(100)
//! NOT NULL` and `title VARCHAR(200) NOT NULL`, but SQLite does not enforce a
//! declared length: it reads `VARCHAR(200)` as plain text and stores a
//! 10,000-character title whole (the tests try one). So the kata writes what
//! SQLite really keeps, `TEXT`; a length limit would need a `CHECK` constraint.
//!
//! A complete pair of models to copy the pattern from: `src/orm/example.rs`
//! (artists and their albums). Check yourself with `cargo test step1`.

use crate::orm::{BelongsTo, Column, HasMany, Model, ModelRow, Table, Values};

/// An author: one row of `authors`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    /// Primary key; `None` until the session flushes the author.
    pub id: Option<i64>,
    /// The author's name.
    pub name: String,
}

impl Author {
    /// `authors.id`
    pub const ID: Column<Author, i64> = Column::new("id");
    /// `authors.name`
    pub const NAME: Column<Author, String> = Column::new("name");
    /// The author's books: the other side of [`Book::AUTHOR`].
    pub const BOOKS: HasMany<Author, Book> = HasMany::new(Book::AUTHOR_ID);

    /// A new author, not yet in the database.
    pub fn new(name: impl Into<String>) -> Self {
        Author {
            id: None,
            name: name.into(),
        }
    }
}

/// A book: one row of `books`, pointing at its author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Book {
    /// Primary key; `None` until the session flushes the book.
    pub id: Option<i64>,
    /// The book's title.
    pub title: String,
    /// Year of publication.
    pub year: i64,
    /// The author's id: a foreign key to `authors.id`, never NULL.
    pub author_id: i64,
}

impl Book {
    /// `books.id`
    pub const ID: Column<Book, i64> = Column::new("id");
    /// `books.title`
    pub const TITLE: Column<Book, String> = Column::new("title");
    /// `books.year`
    pub const YEAR: Column<Book, i64> = Column::new("year");
    /// `books.author_id`
    pub const AUTHOR_ID: Column<Book, i64> = Column::new("author_id");
    /// The book's author: the other side of [`Author::BOOKS`].
    pub const AUTHOR: BelongsTo<Book, Author> = BelongsTo::new(Book::AUTHOR_ID);

    /// A new book by the author whose id is `author_id`, not yet in the database.
    pub fn new(title: impl Into<String>, year: i64, author_id: i64) -> Self {
        Book {
            id: None,
            title: title.into(),
            year,
            author_id,
        }
    }
}

impl Model for Author {
    /// The `authors` table: `id` (primary key), `name`, in that order.
    /// Write it as a `const TABLE: Table = Table::new(...)` and return `&TABLE`.
    fn table() -> &'static Table {
        todo!(
            "step 1 (models): describe the `authors` table in Author::table() — exercises/step1_models.rs"
        )
    }

    /// A `Author` from a row, each field from its own column:
    /// `row.get(Author::NAME)?`. A value that cannot be read (text that is not
    /// valid UTF-8, say) is an error: hand it on with `?`, never a default.
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        let _ = row;
        todo!(
            "step 1 (models): build an Author from a row in Author::from_row() — exercises/step1_models.rs"
        )
    }

    /// What to store for a new row: the name, each in its own
    /// column; every column but `id`, which SQLite assigns.
    fn values(&self) -> Values<'_, Self> {
        todo!(
            "step 1 (models): list the values to insert in Author::values() — exercises/step1_models.rs"
        )
    }

    /// The primary key: `None` until the session flushes the object.
    fn id(&self) -> Option<i64> {
        todo!("step 1 (models): return the primary key in Author::id() — exercises/step1_models.rs")
    }

    /// Stores what the session gives: `Some(id)` when a flush inserts the
    /// row, `None` when a rollback takes the row back.
    fn set_id(&mut self, id: Option<i64>) {
        todo!(
            "step 1 (models): store the primary key {id:?} in Author::set_id() — exercises/step1_models.rs"
        )
    }
}

impl Model for Book {
    /// The `books` table: `id` (primary key), `title`, `year`, and
    /// `author_id`, a foreign key to `authors.id`, in that order.
    fn table() -> &'static Table {
        todo!(
            "step 1 (models): describe the `books` table in Book::table() — exercises/step1_models.rs"
        )
    }

    /// A `Book` from a row, each field from its own column:
    /// `row.get(Book::TITLE)?`. A value that cannot be read (text that is not
    /// valid UTF-8, say) is an error: hand it on with `?`, never a default.
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        let _ = row;
        todo!(
            "step 1 (models): build a Book from a row in Book::from_row() — exercises/step1_models.rs"
        )
    }

    /// What to store for a new row: the title, the year and the author id, each in its own
    /// column; every column but `id`, which SQLite assigns.
    fn values(&self) -> Values<'_, Self> {
        todo!(
            "step 1 (models): list the values to insert in Book::values() — exercises/step1_models.rs"
        )
    }

    /// The primary key: `None` until the session flushes the object.
    fn id(&self) -> Option<i64> {
        todo!("step 1 (models): return the primary key in Book::id() — exercises/step1_models.rs")
    }

    /// Stores what the session gives: `Some(id)` when a flush inserts the
    /// row, `None` when a rollback takes the row back.
    fn set_id(&mut self, id: Option<i64>) {
        todo!(
            "step 1 (models): store the primary key {id:?} in Book::set_id() — exercises/step1_models.rs"
        )
    }
}
