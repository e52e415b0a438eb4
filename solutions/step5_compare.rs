//! Step 5: compare. The same question through the ORM and through raw SQL.
//!
//! The lesson checks that `session.query(Book).filter(Book.year > 2010)`
//! and a hand-written `SELECT` agree. Here: one function through the ORM
//! (`select::<Book>().columns(Book::TITLE)` gives rows of `String`, as in
//! step 4), one through plain rusqlite:
//!
//! - `conn.prepare(sql) -> rusqlite::Result<Statement>`;
//! - `stmt.query_map([year], |row| row.get(0))?`: an iterator of
//!   `rusqlite::Result<String>`, one per row; `.collect::<rusqlite::Result<Vec<String>>>()?`
//!   gathers them;
//! - `?` turns a `rusqlite::Error` into the ORM's error, so both functions
//!   return the same `Result`.
//!
//! In the raw SQL, pass `year` as a bound parameter (`?1`), never with
//! `format!`: text pasted into SQL is how injection happens, and the tests
//! check for it.
//!
//! Check yourself with `cargo test step5`.

use rusqlite::Connection;

use super::step1_models::Book;
use crate::orm::{Result, Session, select};

/// The titles of the books published after `year` (strictly), one per book,
/// a repeated title each time, in book id order, through the ORM: a query
/// the session runs (`session.all`), which first flushes what the session
/// holds, so a book added to it and not yet flushed counts too.
pub fn titles_after_orm(session: &mut Session<'_>, year: i64) -> Result<Vec<String>> {
    let query = select::<Book>()
        .columns(Book::TITLE)
        .filter(Book::YEAR.gt(year))
        .order_by(Book::ID.asc());
    session.all(&query)
}

/// The same titles through hand-written SQL, with `year` as a bound
/// parameter. A row that cannot be read (a title that is not valid UTF-8) is
/// an error: return it, never skip the row.
pub fn titles_after_raw(conn: &Connection, year: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT title FROM books WHERE year > ?1 ORDER BY id")?;
    let titles = stmt
        .query_map([year], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(titles)
}
