//! Step 4: queries. Read the library back through the ORM, in id order.
//!
//! Build a query with `select::<Book>() -> Select<Book>` (from `crate::orm`),
//! refine it, and run it with `session.all(&query) -> Result<Vec<Row>>`,
//! where `Row` is what the query selects:
//!
//! - `.filter(Book::YEAR.gt(year))`: WHERE; the value becomes a `?` parameter;
//! - `.order_by(Book::ID.asc())`: ORDER BY; without it SQLite promises no order;
//! - `.join(Book::AUTHOR)` / `.join(Author::BOOKS)`: JOIN along the foreign key;
//! - `.columns((whole::<Book>(), Author::NAME))`: what each row gives back,
//!   here `(Book, String)`; `.columns(Book::TITLE)` gives `String`;
//! - `count(Book::ID)` (an `i64` column), `.group_by(Author::ID)`,
//!   `.having(count(Book::ID).gt(n))`: aggregates;
//! - `select::<Author>().with(Author::BOOKS)`: rows are `(Author, Vec<Book>)`,
//!   every author's books loaded in one more statement; `.with(...)` comes
//!   last, after `.filter(...)` and `.order_by(...)`;
//! - `session.children(&author, Author::BOOKS) -> Result<Vec<Book>>`: one
//!   author's books, in id order, with one query.
//!
//! `query.to_sql()` shows the SQL. Check yourself with `cargo test step4`.

use super::step1_models::{Author, Book};
use crate::orm::{Result, Session, count, select, whole};

/// Every author with their books, authors without books included: the
/// authors in id order, each author's books in id order. Authors may share a
/// name: a book belongs to the author whose id it holds. Two statements
/// however many authors there are (one when there are none): one for the
/// authors, one for all their books (eager loading), not one per author.
pub fn authors_with_books(session: &mut Session<'_>) -> Result<Vec<(Author, Vec<Book>)>> {
    let query = select::<Author>()
        .order_by(Author::ID.asc())
        .with(Author::BOOKS);
    session.all(&query)
}

/// The same listing, the same rows in the same order, the slow way on
/// purpose: first the authors, then, for each author, one query for their
/// books (`session.children(&author, Author::BOOKS)`). That is 1 + N
/// statements for N authors, the N+1 problem that lazy loading hides; the
/// tests count them, and `cargo run --release --features solutions
/// --example scale` shows what they cost (on the reference answers in
/// `solutions/`, where your copy has them).
pub fn authors_with_books_lazy(session: &mut Session<'_>) -> Result<Vec<(Author, Vec<Book>)>> {
    let authors = session.all(&select::<Author>().order_by(Author::ID.asc()))?;
    let mut listing = Vec::with_capacity(authors.len());
    for author in authors {
        let books = session.children(&author, Author::BOOKS)?;
        listing.push((author, books));
    }
    Ok(listing)
}

/// The books published after `year` (strictly: a book from `year` itself is
/// not included), each with its author's name, in book id order (not grouped
/// by author). Every book counts, two with the same title included. One
/// statement: join, do not look each author up.
pub fn books_after(session: &mut Session<'_>, year: i64) -> Result<Vec<(Book, String)>> {
    let query = select::<Book>()
        .columns((whole::<Book>(), Author::NAME))
        .join(Book::AUTHOR)
        .filter(Book::YEAR.gt(year))
        .order_by(Book::ID.asc());
    session.all(&query)
}

/// The authors with more than `n` books (strictly more), as
/// `(name, number of books)`, in author id order, for `n` of 0 or more. Each
/// author is counted on their own, even two with the same name: group by the
/// author's id. Authors without books never appear. The order needs an ORDER BY: SQLite hands out
/// GROUP BY groups in whatever order the index it reads gives.
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
