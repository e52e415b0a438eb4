//! Break 2 (locked): one-sided relationships, or loaded objects are snapshots.
//!
//! Unlock: delete the `#[ignore = "locked: break-2 ..."]` lines in
//! `tests/kata/break2_stale_objects.rs`, then `cargo test break2`.
//!
//! The lesson asks what happens when you remove `back_populates` from one
//! side of the relationship. In SQLAlchemy, `back_populates` keeps two
//! Python objects in memory in step: append a book to `author.books` and
//! `book.author` is set too, before anything reaches the database.
//!
//! The kata's ORM has nothing to remove: `Author::BOOKS` and `Book::AUTHOR`
//! are both built from the one column `Book::AUTHOR_ID`, so they cannot
//! disagree, and what you load is a plain Rust value (`Vec<(Author,
//! Vec<Book>)>`) that you own. Nothing updates it behind your back; the
//! borrow checker would not allow it anyway. So the honest Rust question is
//! the other half of the lesson's: which views see a change, and which are
//! snapshots?
//!
//! The tests load every author with their books (`select::<Author>()
//! .with(Author::BOOKS)`), then add a new book for the first author through
//! the same session, and look again. Predict, then run them.

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
