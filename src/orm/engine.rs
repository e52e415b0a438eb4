//! The engine: one SQLite connection, and a window on the SQL it runs.
//!
//! SQLAlchemy's `create_engine("sqlite://")` opens an in-memory database and
//! `create_engine("sqlite:///file.db")` a file; `echo=True` prints every
//! statement. Here [`Engine::in_memory`] and [`Engine::open`] do the same, and
//! every statement SQLite runs (the ORM's and your raw SQL alike) passes
//! through SQLite's own trace hook, where a [`StatementLog`] can record it and
//! [`Engine::echo_to`] can print it.

use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::types::Value;
use rusqlite::{Connection, StatementStatus};

use super::error::{Error, Result, show_value_up_to};
use super::session::Session;

/// Where an engine sends its echo.
pub type EchoSink = Box<dyn Write + Send>;

/// What the trace hook shares with the engine and its logs.
#[derive(Default)]
struct Trace {
    recorders: AtomicUsize,
    statements: Mutex<Vec<Executed>>,
    echoing: AtomicBool,
    echo: Mutex<Option<EchoSink>>,
}

impl Trace {
    /// `runs` tells how many times this prepared statement had run before:
    /// 0 for a statement prepared just now, more for one reused from a cache.
    fn on_statement(
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
            let values = match expanded() {
                Some(expanded) => bound_values(sql, expanded.trim()),
                // SQLite could not expand it (too long, out of memory).
                None if sql.contains('?') => None,
                None => Some(Vec::new()),
            };
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A database connection with the ORM's settings.
///
/// ```
/// use models_kata::orm::Engine;
/// # fn main() -> models_kata::orm::Result<()> {
/// let engine = Engine::in_memory()?;
/// let answer: i64 = engine.connection().query_row("SELECT 6 * 7", [], |r| r.get(0))?;
/// assert_eq!(answer, 42);
/// # Ok(()) }
/// ```
pub struct Engine {
    conn: Connection,
    trace: Arc<Trace>,
    /// How the transaction of [`Engine::owner`] ended, if it has: set by
    /// SQLite's commit and rollback hooks, which also see the rollbacks
    /// SQLite does by itself after an error.
    ended: Arc<AtomicU8>,
    /// The session whose transaction is open on this connection, if any.
    owner: Cell<Option<u64>>,
    /// How many sessions this engine has made: each one's number.
    sessions: Cell<u64>,
}

/// How a session's transaction ended, as SQLite's hooks saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// COMMIT ran: the rows are in the database.
    Committed,
    /// ROLLBACK ran, or SQLite rolled back by itself: the rows are gone.
    RolledBack,
}

const OPEN: u8 = 0;
const COMMITTED: u8 = 1;
const ROLLED_BACK: u8 = 2;

impl Drop for Engine {
    /// SQLite rolls back a transaction still open when the connection
    /// closes, and calls the rollback hook to say so; but rusqlite frees the
    /// hooks' closures earlier in that close, so the call would land on freed
    /// memory. The hooks go first: the engine is going, nobody is left to be
    /// told how its transaction ended.
    fn drop(&mut self) {
        let _ = self.conn.commit_hook(None::<fn() -> bool>);
        let _ = self.conn.rollback_hook(None::<fn()>);
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("path", &self.conn.path())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// A fresh private in-memory database (`create_engine("sqlite://")`),
    /// with foreign keys off, as in the lesson.
    pub fn in_memory() -> Result<Engine> {
        Engine::with_lesson_defaults(Connection::open_in_memory()?)
    }

    /// The database in the file at `path`, created if missing
    /// (`create_engine("sqlite:///path")`), with foreign keys off, as in the
    /// lesson.
    pub fn open(path: impl AsRef<Path>) -> Result<Engine> {
        Engine::with_lesson_defaults(Connection::open(path)?)
    }

    /// SQLite's documented default is `PRAGMA foreign_keys = OFF`, and that
    /// is what the lesson's Python program runs with. rusqlite's bundled
    /// SQLite is compiled with them ON instead (`SQLITE_DEFAULT_FOREIGN_KEYS=1`),
    /// so the engine says OFF out loud: the kata then behaves like the lesson,
    /// and turning enforcement on stays a deliberate step
    /// ([`Engine::set_foreign_keys`]).
    fn with_lesson_defaults(conn: Connection) -> Result<Engine> {
        let engine = Engine::from_connection(conn)?;
        engine.set_foreign_keys(false)?;
        Ok(engine)
    }

    /// Wraps an open connection, installing the statement trace and the
    /// commit and rollback hooks (which tell a session how its transaction
    /// ended, replacing any hooks set before). Its settings, foreign keys
    /// included, stay as they are.
    pub fn from_connection(mut conn: Connection) -> Result<Engine> {
        let ended = Arc::new(AtomicU8::new(OPEN));
        let (on_commit, on_rollback) = (Arc::clone(&ended), Arc::clone(&ended));
        // Only the first end after a session's BEGIN counts: that one ended it.
        conn.commit_hook(Some(move || {
            let _ =
                on_commit.compare_exchange(OPEN, COMMITTED, Ordering::Relaxed, Ordering::Relaxed);
            false // let the commit happen
        }))?;
        conn.rollback_hook(Some(move || {
            let _ = on_rollback.compare_exchange(
                OPEN,
                ROLLED_BACK,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }))?;
        let trace = Arc::new(Trace::default());
        let hook = Arc::clone(&trace);
        conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |event: TraceEvent<'_>| {
                if let TraceEvent::Stmt(stmt, sql) = event {
                    hook.on_statement(
                        sql,
                        || stmt.get_status(StatementStatus::Run),
                        || stmt.expanded_sql(),
                    );
                }
            }),
        )?;
        Ok(Engine {
            conn,
            trace,
            ended,
            owner: Cell::new(None),
            sessions: Cell::new(0),
        })
    }

    /// Turns SQLite's foreign-key enforcement on or off for this connection
    /// (`PRAGMA foreign_keys`). It is off by default in SQLite, and so here.
    ///
    /// SQLite ignores this PRAGMA inside a transaction, so it is refused
    /// there ([`Error::Refused`]): commit or roll back first. The setting is
    /// read back, so an Ok means enforcement really is on (or off).
    pub fn set_foreign_keys(&self, on: bool) -> Result<()> {
        let (sql, state) = if on {
            ("PRAGMA foreign_keys = ON", "on")
        } else {
            ("PRAGMA foreign_keys = OFF", "off")
        };
        if !self.conn.is_autocommit() {
            return Err(Error::Refused {
                message: format!(
                    "cannot turn foreign keys {state} inside an open transaction: SQLite \
                     ignores `{sql}` there. Commit or roll back first"
                ),
            });
        }
        self.conn
            .execute_batch(sql)
            .map_err(|e| Error::statement(sql, e))?;
        if self.foreign_keys()? != on {
            return Err(Error::Refused {
                message: format!("`{sql}` ran, but SQLite left foreign keys as they were"),
            });
        }
        Ok(())
    }

    /// Whether foreign keys are enforced on this connection.
    pub fn foreign_keys(&self) -> Result<bool> {
        let sql = "PRAGMA foreign_keys";
        self.conn
            .query_row(sql, [], |r| r.get(0))
            .map_err(|e| Error::statement(sql, e))
    }

    /// The underlying rusqlite connection, for raw SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A new session: a unit of work over one transaction.
    ///
    /// An engine is one SQLite connection, and a connection has one
    /// transaction at a time: while one session's transaction is open,
    /// another session on the same engine refuses to run SQL
    /// ([`Error::TransactionInUse`]) rather than share a transaction it
    /// cannot end. To see two transactions side by side, open two engines
    /// on one database file.
    pub fn session(&self) -> Session<'_> {
        let number = self.sessions.get() + 1;
        self.sessions.set(number);
        Session::new(self, number)
    }

    /// The session whose transaction is open on this connection, if any.
    pub(crate) fn owner(&self) -> Option<u64> {
        self.owner.get()
    }

    /// Session `session` has just opened its transaction.
    pub(crate) fn claim(&self, session: u64) {
        self.owner.set(Some(session));
        self.ended.store(OPEN, Ordering::Relaxed);
    }

    /// Session `session` is done with its transaction.
    pub(crate) fn release(&self, session: u64) {
        if self.owner.get() == Some(session) {
            self.owner.set(None);
        }
    }

    /// How the owner's transaction ended, if it has (whoever ended it).
    pub(crate) fn ended(&self) -> Option<Ended> {
        match self.ended.load(Ordering::Relaxed) {
            COMMITTED => Some(Ended::Committed),
            ROLLED_BACK => Some(Ended::RolledBack),
            _ => None,
        }
    }

    /// Starts recording every statement this connection runs, until the log
    /// is dropped (SQLAlchemy's event hooks, Django's `assertNumQueries`).
    ///
    /// ```
    /// use models_kata::orm::Engine;
    /// # fn main() -> models_kata::orm::Result<()> {
    /// let engine = Engine::in_memory()?;
    /// let log = engine.record();
    /// engine.connection().execute("CREATE TABLE t (x INTEGER)", [])?;
    /// engine.connection().execute("INSERT INTO t (x) VALUES (?1)", [7])?;
    /// assert_eq!(log.statements(), ["CREATE TABLE t (x INTEGER)", "INSERT INTO t (x) VALUES (?1)"]);
    /// # Ok(()) }
    /// ```
    pub fn record(&self) -> StatementLog {
        let start = {
            let statements = lock(&self.trace.statements);
            self.trace.recorders.fetch_add(1, Ordering::Relaxed);
            statements.len()
        };
        StatementLog {
            trace: Arc::clone(&self.trace),
            start,
        }
    }

    /// How many statements are held for logs: none while no log is open.
    #[cfg(test)]
    pub(crate) fn held_statements(&self) -> usize {
        lock(&self.trace.statements).len()
    }

    /// Prints every statement to `sink` as it runs
    /// (`create_engine(..., echo=True)`); `None` stops it.
    ///
    /// As in SQLAlchemy, each statement is printed as it was prepared, with
    /// a `?` where each value goes, and its bound values follow on a line of
    /// their own, as a tuple (a text value quoted, `'` doubled, line breaks
    /// and other control characters escaped, long text shortened):
    ///
    /// ```text
    /// [sql] SELECT title FROM books WHERE year > ?1 ORDER BY id
    /// [sql] (2010,)
    /// ```
    ///
    /// A value is never part of the statement's text: what you see is what
    /// SQLite compiled. Statements without values get no second line.
    pub fn echo_to(&self, sink: Option<EchoSink>) {
        let on = sink.is_some();
        *lock(&self.trace.echo) = sink;
        self.trace.echoing.store(on, Ordering::Relaxed);
    }
}

/// One statement run, as the trace saw it.
#[derive(Clone, Debug)]
struct Executed {
    sql: String,
    /// Prepared just before this run, rather than reused.
    fresh: bool,
}

/// The statements an engine ran since [`Engine::record`], as SQL text with
/// `?` placeholders where bound values go.
pub struct StatementLog {
    trace: Arc<Trace>,
    start: usize,
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
pub fn is_query(sql: &str) -> bool {
    let head = sql.trim_start().get(..6).unwrap_or_default();
    head.eq_ignore_ascii_case("select")
        || head
            .get(..4)
            .is_some_and(|h| h.eq_ignore_ascii_case("with"))
}
