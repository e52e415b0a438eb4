//! Step 5: compare. The same question through the ORM and through raw SQL.

use rusqlite::Connection;

use super::step1_models::Book;
use crate::orm::{Result, Session, select};

/// The titles of the books published after `year`, in id order, through the ORM.
pub fn titles_after_orm(session: &mut Session<'_>, year: i64) -> Result<Vec<String>> {
    let query = select::<Book>()
        .columns(Book::TITLE)
        .filter(Book::YEAR.gt(year))
        .order_by(Book::ID.asc());
    session.all(&query)
}

/// The same titles through hand-written SQL, with `year` as a bound parameter.
pub fn titles_after_raw(conn: &Connection, year: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT title FROM books WHERE year > ?1 ORDER BY id")?;
    let titles = stmt
        .query_map([year], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(titles)
}
