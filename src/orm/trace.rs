//! The statement trace: every statement SQLite runs on an engine's
//! connection passes through SQLite's trace hook, where a [`StatementLog`]
//! records it and echo prints it with its bound values, as SQLAlchemy's
//! `echo=True` does.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::types::Value;

use super::error::show_value_up_to;

/// Where an engine sends its echo.
pub type EchoSink = Box<dyn Write + Send>;

/// What the trace hook shares with the engine and its logs.
#[derive(Default)]
pub(crate) struct Trace {
    pub(crate) recorders: AtomicUsize,
    pub(crate) statements: Mutex<Vec<Executed>>,
    pub(crate) echoing: AtomicBool,
    pub(crate) echo: Mutex<Option<EchoSink>>,
}

impl Trace {
    /// `runs` tells how many times this prepared statement had run before:
    /// 0 for a statement prepared just now, more for one reused from a cache.
    pub(crate) fn on_statement(
        &self,
        sql: &str,
        runs: impl FnOnce() -> i32,
        expanded: impl FnOnce() -> Option<String>,
    ) {
        // Statements of a batch keep the line breaks between them.
        let sql = sql.trim();
        // SQLite reports trigger programs as comments; they are not statements.
        if sql.starts_with("--") {
            return;
        }
        if self.recorders.load(Ordering::Relaxed) > 0 {
            lock(&self.statements).push(Executed {
                sql: sql.to_owned(),
                fresh: runs() == 0,
            });
        }
        if self.echoing.load(Ordering::Relaxed)
            && let Some(sink) = lock(&self.echo).as_mut()
        {
            // As SQLAlchemy's echo: the statement as it was prepared, with its
            // placeholders, then its bound values on a line of their own.
            // SQLite gives the values only spliced into a copy of the text,
            // so they are read back out of it.
            // SQLite gives no expanded text when it would be too long (or
            // memory ran out): the values are then not shown.
            let values = expanded().and_then(|expanded| bound_values(sql, expanded.trim()));
            // Echo is a debugging aid: a failed write must not fail the query.
            let _ = writeln!(sink, "[sql] {sql}");
            match values {
                Some(values) if values.is_empty() => {}
                Some(values) => {
                    let _ = writeln!(sink, "[sql] {}", show_tuple(&values));
                }
                None => {
                    let _ = writeln!(sink, "[sql] (bound values not shown)");
                }
            }
            let _ = sink.flush();
        }
    }
}

/// `(1, 'text')`, or `(1,)` for one value: a tuple, as SQLAlchemy's echo
/// (and Rust's `{:?}`) writes it.
fn show_tuple(values: &[Value]) -> String {
    let shown: Vec<String> = values
        .iter()
        .map(|v| show_value_up_to(v.into(), ECHO_LONG))
        .collect();
    match shown.as_slice() {
        [one] => format!("({one},)"),
        _ => format!("({})", shown.join(", ")),
    }
}

/// How many characters of a text value echo shows.
const ECHO_LONG: usize = 300;

/// The values bound to `sql`'s parameters, in the order of their numbers
/// (`?1`, `?2`, ...; a plain `?` takes the next one, a name keeps the number
/// it got first), read out of `expanded`: the same statement with each
/// parameter replaced by its value as an SQL literal. `None` if the two do
/// not line up.
fn bound_values(sql: &str, expanded: &str) -> Option<Vec<Value>> {
    let (sql, expanded) = (sql.as_bytes(), expanded.as_bytes());
    let (mut i, mut j) = (0, 0);
    let mut values: Vec<Option<Value>> = Vec::new();
    let mut names: Vec<&[u8]> = Vec::new();
    while i < sql.len() {
        let parameter = match sql[i] {
            b'?' => {
                let end = i + 1 + digits(&sql[i + 1..]);
                let number = match std::str::from_utf8(&sql[i + 1..end]).ok()?.parse() {
                    Ok(n) => n,
                    Err(_) => values.len() + 1,
                };
                Some((end, number))
            }
            b':' | b'@' | b'$' if sql.get(i + 1).is_some_and(|c| is_name_byte(*c)) => {
                let end = i
                    + 1
                    + sql[i + 1..]
                        .iter()
                        .take_while(|c| is_name_byte(**c))
                        .count();
                let name = &sql[i..end];
                let number = match names.iter().position(|n| *n == name) {
                    Some(k) => k + 1,
                    None => values.len() + 1,
                };
                names.resize(number.max(names.len()), b"");
                names[number - 1] = name;
                Some((end, number))
            }
            _ => None,
        };
        if let Some((end, number)) = parameter {
            let (value, len) = literal(&expanded[j..])?;
            if values.len() < number {
                values.resize(number, None);
            }
            values[number.checked_sub(1)?] = Some(value);
            i = end;
            j += len;
            continue;
        }
        // Quoted text and names are copied as they are: a `?` inside is not
        // a parameter.
        let len = match sql[i] {
            q @ (b'\'' | b'"' | b'`') => quoted(&sql[i..], q)?,
            b'[' => sql[i..].iter().position(|&c| c == b']')? + 1,
            b'-' if sql.get(i + 1) == Some(&b'-') => sql[i..]
                .iter()
                .position(|&c| c == b'\n')
                .unwrap_or(sql.len() - i),
            b'/' if sql.get(i + 1) == Some(&b'*') => sql[i..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(sql.len() - i, |p| p + 2),
            _ => 1,
        };
        if expanded.get(j..j + len)? != &sql[i..i + len] {
            return None;
        }
        i += len;
        j += len;
    }
    // A number no parameter uses stays NULL, as SQLite leaves it.
    let values = values.into_iter().map(|v| v.unwrap_or(Value::Null));
    (j == expanded.len()).then(|| values.collect())
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn digits(s: &[u8]) -> usize {
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// The length of the quoted run at the start of `s`, quote `q` doubled inside.
fn quoted(s: &[u8], q: u8) -> Option<usize> {
    let mut k = 1;
    loop {
        match s.get(k)? {
            c if *c == q && s.get(k + 1) == Some(&q) => k += 2,
            c if *c == q => return Some(k + 1),
            _ => k += 1,
        }
    }
}

/// The SQL literal at the start of `s`, as SQLite writes a bound value into
/// an expanded statement, and its length.
fn literal(s: &[u8]) -> Option<(Value, usize)> {
    match s.first()? {
        b'N' if s.starts_with(b"NULL") => Some((Value::Null, 4)),
        b'\'' => {
            let len = quoted(s, b'\'')?;
            let text = std::str::from_utf8(&s[1..len - 1]).ok()?.replace("''", "'");
            Some((Value::Text(text), len))
        }
        b'x' | b'X' if s.get(1) == Some(&b'\'') => {
            let len = quoted(&s[1..], b'\'')? + 1;
            let hex = std::str::from_utf8(&s[2..len - 1]).ok()?;
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|k| u8::from_str_radix(hex.get(k..k + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?;
            Some((Value::Blob(bytes), len))
        }
        _ => {
            let len = s
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.'))
                .count();
            let text = std::str::from_utf8(&s[..len]).ok()?;
            match text.parse::<i64>() {
                Ok(n) => Some((Value::Integer(n), len)),
                Err(_) => Some((Value::Real(text.parse().ok()?), len)),
            }
        }
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One statement run, as the trace saw it.
#[derive(Clone, Debug)]
pub(crate) struct Executed {
    sql: String,
    /// Prepared just before this run, rather than reused.
    fresh: bool,
}

/// The statements an engine ran since [`Engine::record`](super::Engine::record), as SQL text with
/// `?` placeholders where bound values go.
pub struct StatementLog {
    pub(crate) trace: Arc<Trace>,
    pub(crate) start: usize,
}

impl StatementLog {
    /// Every statement recorded so far, in order.
    pub fn statements(&self) -> Vec<String> {
        self.executed().into_iter().map(|e| e.sql).collect()
    }

    /// The statements that were prepared (compiled by SQLite) before they
    /// ran, rather than reused from the statement cache: a loop that prepares
    /// its INSERT once shows it once here, however many rows it inserts.
    ///
    /// ```
    /// use models_kata::orm::Engine;
    /// # fn main() -> models_kata::orm::Result<()> {
    /// let engine = Engine::in_memory()?;
    /// let conn = engine.connection();
    /// conn.execute_batch("CREATE TABLE t (x INTEGER)")?;
    /// let log = engine.record();
    /// for x in 0..3 {
    ///     conn.prepare_cached("INSERT INTO t (x) VALUES (?1)")?.execute([x])?;
    /// }
    /// assert_eq!(log.statements().len(), 3);
    /// assert_eq!(log.prepared(), ["INSERT INTO t (x) VALUES (?1)"]);
    /// # Ok(()) }
    /// ```
    pub fn prepared(&self) -> Vec<String> {
        self.executed()
            .into_iter()
            .filter(|e| e.fresh)
            .map(|e| e.sql)
            .collect()
    }

    fn executed(&self) -> Vec<Executed> {
        lock(&self.trace.statements)
            .get(self.start..)
            .unwrap_or_default()
            .to_vec()
    }

    /// The recorded statements that read rows (`SELECT ...`, `WITH ...`).
    pub fn selects(&self) -> Vec<String> {
        self.statements()
            .into_iter()
            .filter(|s| is_query(s))
            .collect()
    }
}

impl Drop for StatementLog {
    fn drop(&mut self) {
        let mut statements = lock(&self.trace.statements);
        if self.trace.recorders.fetch_sub(1, Ordering::Relaxed) == 1 {
            statements.clear();
        }
    }
}

/// Whether `sql` is a query (starts with SELECT or WITH, ignoring case).
pub(crate) fn is_query(sql: &str) -> bool {
    let head = sql.trim_start().get(..6).unwrap_or_default();
    head.eq_ignore_ascii_case("select")
        || head
            .get(..4)
            .is_some_and(|h| h.eq_ignore_ascii_case("with"))
}
