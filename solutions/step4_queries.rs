//! Step 4: queries. Read the library back through the ORM, in id order.

use super::step1_models::{Author, Book};
use crate::orm::{Result, Session, count, select, whole};

/// Every author with their books, authors and books in id order. Two
/// statements however many authors there are: the authors, then all their
/// books at once (eager "select-in" loading).
pub fn authors_with_books(session: &mut Session<'_>) -> Result<Vec<(Author, Vec<Book>)>> {
    let query = select::<Author>()
        .order_by(Author::ID.asc())
        .with(Author::BOOKS);
    session.all(&query)
}

/// The same listing the slow way, for comparison: the authors, then one
/// query per author for their books (lazy loading). That is 1 + N
/// statements for N authors: the N+1 problem.
pub fn authors_with_books_lazy(session: &mut Session<'_>) -> Result<Vec<(Author, Vec<Book>)>> {
    let authors = session.all(&select::<Author>().order_by(Author::ID.asc()))?;
    let mut listing = Vec::with_capacity(authors.len());
    for author in authors {
        let books = session.children(&author, Author::BOOKS)?;
        listing.push((author, books));
    }
    Ok(listing)
}

/// The books published after `year` (not in it), each with its author's
/// name, in book id order. One statement.
pub fn books_after(session: &mut Session<'_>, year: i64) -> Result<Vec<(Book, String)>> {
    let query = select::<Book>()
        .columns((whole::<Book>(), Author::NAME))
        .join(Book::AUTHOR)
        .filter(Book::YEAR.gt(year))
        .order_by(Book::ID.asc());
    session.all(&query)
}

/// The authors with more than `n` books, as `(name, number of books)`, in
/// author id order.
pub fn authors_with_more_books_than(
    session: &mut Session<'_>,
    n: i64,
) -> Result<Vec<(String, i64)>> {
    let query = select::<Author>()
        .columns((Author::NAME, count(Book::ID)))
        .join(Author::BOOKS)
        .group_by(Author::ID)
        .having(count(Book::ID).gt(n))
        .order_by(Author::ID.asc());
    session.all(&query)
}
