//! The engine: one SQLite connection, and a window on the SQL it runs.
//!
//! SQLAlchemy's `create_engine("sqlite://")` opens an in-memory database and
//! `create_engine("sqlite:///file.db")` a file; `echo=True` prints every
//! statement. Here [`Engine::in_memory`] and [`Engine::open`] do the same, and
//! every statement SQLite runs (the ORM's and your raw SQL alike) passes
//! through SQLite's own trace hook, where a [`StatementLog`] can record it and
//! [`Engine::echo_to`] can print it.

use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::{Connection, StatementStatus};

use super::error::{Error, Result};
use super::session::Session;
use super::trace::{EchoSink, StatementLog, Trace, lock};

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
