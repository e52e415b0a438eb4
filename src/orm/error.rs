//! One error type for the whole ORM, with messages a learner can act on,
//! and the diagnosis behind them: after SQLite refuses a row for a foreign
//! key, the ORM asks which parent is missing ([`missing_parent`]) or which
//! children remain ([`remaining_children`]), and says so in the message.

use std::fmt;

use rusqlite::Connection;
use rusqlite::types::{ToSql, ToSqlOutput};

use super::ident::quote;
use super::model::{Model, Table};
use super::row::Values;

/// What went wrong, said in terms of tables, columns and statements.
///
/// Every fallible ORM call returns [`Result`]. A raw [`rusqlite::Error`]
/// converts into [`Error::Sqlite`] with `?`, so raw-SQL code can share the type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// SQLite refused a statement; `sql` is the statement, with `?` where the
    /// bound values go.
    Statement {
        /// The SQL text that failed.
        sql: String,
        /// SQLite's own error.
        source: rusqlite::Error,
    },
    /// A raw rusqlite call failed outside any statement the ORM built.
    Sqlite(rusqlite::Error),
    /// SQLite refused to insert an object's row.
    Insert {
        /// The table.
        table: &'static str,
        /// The row, as `column = value, ...` (long values shortened).
        row: String,
        /// What the ORM found out about the cause, if anything: for a
        /// foreign key, which value has no parent row.
        detail: Option<String>,
        /// SQLite's own error (boxed, to keep every `Result` small).
        source: Box<rusqlite::Error>,
    },
    /// SQLite refused to delete a row.
    Delete {
        /// The table.
        table: &'static str,
        /// The primary key of the row.
        id: i64,
        /// What the ORM found out about the cause, if anything: for a
        /// foreign key, which tables still point at the row.
        detail: Option<String>,
        /// SQLite's own error (boxed, to keep every `Result` small).
        source: Box<rusqlite::Error>,
    },
    /// A model's metadata or mapping is inconsistent, e.g. `values()` forgot a column.
    Mapping {
        /// The table of the model at fault.
        table: &'static str,
        /// What is wrong, and how to fix it.
        message: String,
    },
    /// An added object was asked for its id before the session flushed it.
    NotFlushed {
        /// The object's table.
        table: &'static str,
    },
    /// The session's transaction was rolled back without it: by SQLite
    /// after an error that ends the whole transaction (a trigger's
    /// `RAISE(ROLLBACK)`, a full disk, an I/O error), or by a raw `ROLLBACK`
    /// on its connection. The rows it had flushed are gone and its objects
    /// are discarded; it refuses further work until [`Session::rollback`].
    ///
    /// [`Session::rollback`]: super::Session::rollback
    TransactionLost {
        /// What ended the transaction.
        cause: String,
    },
    /// Another session on the same engine (one connection, so one
    /// transaction) has its transaction open: this session would share a
    /// transaction it cannot commit or roll back.
    TransactionInUse,
    /// A call the ORM refuses before running any SQL, because SQLite would
    /// fail or silently do something else.
    Refused {
        /// What was refused, and why.
        message: String,
    },
    /// `Session::one` found no row.
    NoRow {
        /// The query that returned nothing.
        sql: String,
    },
    /// `Session::one` found more than one row.
    TooManyRows {
        /// The query that returned several rows.
        sql: String,
        /// How many rows it returned.
        count: usize,
    },
}

/// The ORM's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps SQLite's error with the statement it came from.
    pub(crate) fn statement(sql: &str, source: rusqlite::Error) -> Self {
        Error::Statement {
            sql: sql.to_owned(),
            source,
        }
    }

    /// The underlying SQLite error, if there is one.
    pub fn sqlite_error(&self) -> Option<&rusqlite::Error> {
        match self {
            Error::Statement { source, .. } | Error::Sqlite(source) => Some(source),
            Error::Insert { source, .. } | Error::Delete { source, .. } => Some(source),
            _ => None,
        }
    }

    /// True when SQLite refused the statement because of a constraint
    /// (NOT NULL, UNIQUE, PRIMARY KEY, FOREIGN KEY or CHECK).
    pub fn is_constraint_violation(&self) -> bool {
        matches!(
            self.sqlite_error(),
            Some(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation
        )
    }

    /// True when SQLite refused the statement because of a foreign key
    /// ("FOREIGN KEY constraint failed"): a row pointing at a missing parent,
    /// or a parent deleted while rows still point at it. Narrower than
    /// [`Error::is_constraint_violation`], which is also true for UNIQUE,
    /// PRIMARY KEY, NOT NULL and CHECK.
    pub fn is_foreign_key_violation(&self) -> bool {
        self.sqlite_error().is_some_and(is_foreign_key_failure)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Statement { sql, source } => {
                // SQLite's message may quote the whole statement too.
                let source = shorten(&source.to_string());
                write!(f, "{source}\n  while running: {}", shorten(sql))
            }
            Error::Sqlite(source) => write!(f, "{source}"),
            Error::Insert {
                table,
                row,
                detail,
                source,
            } => {
                write!(f, "cannot insert into `{table}` ({row}): {source}")?;
                detail.iter().try_for_each(|d| write!(f, ": {d}"))
            }
            Error::Delete {
                table,
                id,
                detail,
                source,
            } => {
                write!(
                    f,
                    "cannot delete the row of `{table}` with id {id}: {source}"
                )?;
                detail.iter().try_for_each(|d| write!(f, ": {d}"))
            }
            Error::Mapping { table, message } => write!(f, "model for table `{table}`: {message}"),
            Error::NotFlushed { table } => write!(
                f,
                "this `{table}` object has no id yet: call session.flush() after adding it"
            ),
            Error::TransactionLost { cause } => write!(
                f,
                "this session's transaction was rolled back ({cause}): the rows it had \
                 flushed are gone and its objects are discarded; call session.rollback() \
                 before using the session again"
            ),
            Error::TransactionInUse => f.write_str(
                "another session on this engine has its transaction open, and an engine is one \
                 SQLite connection with one transaction: commit or roll back the other session \
                 first (to see two transactions side by side, open two engines on one database file)",
            ),
            Error::Refused { message } => f.write_str(message),
            Error::NoRow { sql } => {
                write!(f, "expected one row, found none\n  query: {}", shorten(sql))
            }
            Error::TooManyRows { sql, count } => {
                write!(f, "expected one row, found {count}\n  query: {}", shorten(sql))
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.sqlite_error()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// True when `error` is SQLite's "FOREIGN KEY constraint failed".
pub(crate) fn is_foreign_key_failure(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _)
        if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// A value as a reader would write it in SQL: `'text'` (quotes doubled),
/// numbers, `NULL`. For messages only, never for SQL that runs. Long text is
/// shortened.
pub(crate) fn show_value(value: rusqlite::types::ValueRef<'_>) -> String {
    show_value_up_to(value, 40)
}

/// [`show_value`], with text shortened after `long` characters.
pub(crate) fn show_value_up_to(value: rusqlite::types::ValueRef<'_>, long: usize) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => x.to_string(),
        ValueRef::Text(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            let mut shown = String::new();
            for c in text.chars().take(long) {
                match c {
                    '\'' => shown.push_str("''"),
                    '\n' => shown.push_str("\\n"),
                    '\r' => shown.push_str("\\r"),
                    '\t' => shown.push_str("\\t"),
                    c if c.is_control() => shown.push_str(&c.escape_unicode().to_string()),
                    c => shown.push(c),
                }
            }
            let more = text.chars().count().saturating_sub(long);
            if more > 0 {
                format!("'{shown}'... ({more} more characters)")
            } else {
                format!("'{shown}'")
            }
        }
        ValueRef::Blob(bytes) => format!("<{} bytes>", bytes.len()),
    }
}

/// A statement text short enough to read in a message: a long run of `?`
/// placeholders (a big `IN` list) is counted rather than written out, and
/// what is still too long loses its middle.
pub(crate) fn shorten(text: &str) -> String {
    const RUN: &str = "?, ";
    const KEEP: usize = 3;
    const LONG: usize = 600;
    let mut out = String::with_capacity(text.len().min(LONG + 64));
    let mut rest = text;
    while let Some(at) = rest.find(RUN) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let mut run = 0;
        while rest.starts_with(RUN) {
            rest = &rest[RUN.len()..];
            run += 1;
        }
        if run > KEEP + 1 {
            out.push_str(&RUN.repeat(KEEP));
            out.push_str(&format!("... {} more ?, ..., ", run - KEEP));
        } else {
            out.push_str(&RUN.repeat(run));
        }
    }
    out.push_str(rest);
    let chars = out.chars().count();
    if chars <= LONG {
        return out;
    }
    let head: String = out.chars().take(LONG / 2).collect();
    let tail: String = out.chars().skip(chars - LONG / 4).collect();
    format!(
        "{head} ... ({} characters left out) ... {tail}",
        chars - LONG / 2 - LONG / 4
    )
}

impl From<rusqlite::Error> for Error {
    fn from(source: rusqlite::Error) -> Self {
        Error::Sqlite(source)
    }
}

// ---- diagnosis: what the ORM finds out after SQLite refuses a row ----------

/// A bound value as a message shows it.
pub(crate) fn show(value: &dyn ToSql) -> String {
    match value.to_sql() {
        Ok(ToSqlOutput::Borrowed(v)) => show_value(v),
        Ok(ToSqlOutput::Owned(v)) => show_value((&v).into()),
        _ => "?".into(),
    }
}

/// After a foreign-key failure on insert: the first foreign-key value of the
/// row that matches no parent row, said in words.
pub(crate) fn missing_parent<M: Model>(
    conn: &Connection,
    table: &Table,
    values: &Values<'_, M>,
) -> Option<String> {
    table.foreign_keys().find_map(|(column, fk)| {
        let value = values.get(column.name)?;
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {} = ?1",
            quote(fk.table),
            quote(fk.column)
        );
        let found: i64 = conn.query_row(&sql, [value], |r| r.get(0)).ok()?;
        (found == 0).then(|| {
            format!(
                "{} = {} matches no row of {}({})",
                column.name,
                show(value),
                fk.table,
                fk.column
            )
        })
    })
}

/// After a foreign-key failure on delete: which tables still point at the row.
pub(crate) fn remaining_children(conn: &Connection, table: &str, id: i64) -> Option<String> {
    let sql = "SELECT m.name, p.\"from\" FROM sqlite_schema AS m \
               JOIN pragma_foreign_key_list(m.name) AS p \
               WHERE m.type = 'table' AND p.\"table\" = ?1";
    let mut stmt = conn.prepare(sql).ok()?;
    let links: Vec<(String, String)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
        .ok()?
        .collect::<rusqlite::Result<_>>()
        .ok()?;
    let mut found = Vec::new();
    for (child, column) in links {
        let count_sql = format!(
            "SELECT count(*) FROM {} WHERE {} = ?1",
            quote(&child),
            quote(&column)
        );
        let n: i64 = conn.query_row(&count_sql, [id], |r| r.get(0)).ok()?;
        if n > 0 {
            let rows = if n == 1 { "row" } else { "rows" };
            found.push(format!("{n} {rows} of {child} ({column})"));
        }
    }
    (!found.is_empty()).then(|| format!("{} still point at it", found.join(" and ")))
}
