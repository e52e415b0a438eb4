//! Break 2 (locked): one-sided relationships. Which views see a new book?
//!
//! The lesson asks what happens when you remove `back_populates` from one
//! side of the relationship. In SQLAlchemy, `back_populates` keeps two
//! Python objects in memory in step: append a book to `author.books` and
//! `book.author` is set too, before anything reaches the database.
//!
//! The kata's ORM has no `back_populates` to remove: `Author::BOOKS` and
//! `Book::AUTHOR` are both built from the one column `Book::AUTHOR_ID`, and
//! a query gives you plain Rust values (`Vec<(Author, Vec<Book>)>`). So ask
//! the other half of the lesson's question: when a book is added, what sees
//! it, the list you already loaded, the same query run again, the new book
//! looking for its author?
//!
//! The tests load every author with their books (`select::<Author>()
//! .with(Author::BOOKS)`), then add a new book for the first author through
//! the same session (`session.add`, no flush, no commit), and look again.
//!
//! 1. Write your prediction in `predict()` below.
//! 2. Run `cargo test break2 -- --include-ignored`: it runs the locked tests
//!    without unlocking them. A wrong prediction is told what really
//!    happened, and why.
//!
//! Predict before you open `tests/kata/break2_stale_objects.rs`: it holds
//! the explanations. To unlock the tests for good afterwards, delete its
//! `#[ignore = "locked: break-2 ..."]` lines.

/// Your prediction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// The list loaded before the new book was added: does the first
    /// author's `Vec<Book>` in it now include the new book?
    pub loaded_list_has_new_book: bool,
    /// The same query run again in the same session (no commit yet): does
    /// the first author's list include the new book?
    pub fresh_load_has_new_book: bool,
    /// From the new book itself, `session.parent(&book, Book::AUTHOR)`:
    /// does it find the first author?
    pub new_book_finds_its_author: bool,
}

/// What you expect.
pub fn predict() -> Prediction {
    PREDICTION
}

const PREDICTION: Prediction = Prediction {
    loaded_list_has_new_book: false,
    fresh_load_has_new_book: true,
    new_book_finds_its_author: true,
};
