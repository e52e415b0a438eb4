//! `cargo run -- --db PATH`: the lesson's database, written to a file.
//!
//! Like the lesson's program, it rebuilds the file from scratch each time.
//! Unlike a careless one, it never harms what is not its own. Before any kata
//! code runs, PATH is refused unless it is missing (in an existing folder),
//! an empty regular file, or a SQLite database holding only tables named
//! `authors` and `books` and their indexes; a symbolic link is followed and
//! what it points at meets the same checks. Anything else (a directory, a
//! device, a FIFO, a socket, a link to nowhere, a file that is not SQLite, a
//! database in use by another program or with a hot journal) is refused and
//! left exactly as it was.
//!
//! The report then runs on a database in memory, so nothing the learner's
//! code does can touch the file. Only a complete report is written: in one
//! exclusive SQLite transaction on the file itself, which first checks that
//! the file's whole schema (tables, columns, indexes, views, triggers) is
//! exactly the one the report just built, then replaces the tables and their
//! rows. A failure rolls the transaction back and leaves the file as it was;
//! programs with the file open see the old database or the new one, never a
//! deleted file.

use std::fmt;
use std::io::{self, Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::Value;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::orm::Engine;
use crate::report::{self, Problem};

/// The tables a kata database holds: a file with any other object (besides
/// their indexes) is refused before the report runs.
const KATA_TABLES: &[&str] = &["authors", "books"];

/// What SQLite makes on its own for a table with AUTOINCREMENT.
const SQLITE_SEQUENCE: &str = "sqlite_sequence";

/// Why the database file was not written.
#[derive(Debug)]
pub enum DbFileError {
    /// The path holds something that is not the kata's to replace, or not
    /// now. It was left exactly as it was.
    Refused {
        /// The path given to `--db`.
        path: PathBuf,
        /// What was found there.
        reason: Refusal,
    },
    /// The file system failed: a missing folder, a full disk, a read-only
    /// file system, permissions, an I/O error. Not the learner's code.
    Environment {
        /// The path given to `--db`.
        path: PathBuf,
        /// What was being done: "read", "create" or "write".
        doing: &'static str,
        /// The cause, in words.
        cause: String,
    },
}

/// What was found at a refused path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `--db ""`.
    EmptyPath,
    /// A directory.
    Directory,
    /// Not a regular file: "a character device", "a FIFO (named pipe)", ...
    NotAFile(&'static str),
    /// A symbolic link to a path where nothing is.
    DanglingLink(PathBuf),
    /// A file that is not a SQLite database.
    NotSqlite,
    /// A SQLite database that SQLite finds damaged (its message).
    Damaged(String),
    /// A SQLite database with no tables at all.
    NoTables,
    /// A SQLite database with objects the kata never makes: which.
    NotTheKatas(Vec<String>),
    /// A SQLite database with the kata's table names, whose schema differs
    /// from the one the report just built: how.
    OtherSchema(Vec<String>),
    /// Another program holds a lock on it: a transaction is open.
    InUse,
    /// A journal left by a writer that stopped in the middle of a transaction.
    HotJournal,
}

impl fmt::Display for DbFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbFileError::Refused { path, reason } => {
                let p = path.display();
                match reason {
                    Refusal::EmptyPath => {
                        write!(f, "--db needs a file path, and the one given is empty")
                    }
                    Refusal::Directory => write!(
                        f,
                        "refusing to write to {p}: it is a directory (give a file path, such as {})",
                        path.join("lesson.db").display()
                    ),
                    Refusal::NotAFile(kind) => write!(
                        f,
                        "refusing to write to {p}: it is {kind}, not a regular file (choose another path)"
                    ),
                    Refusal::DanglingLink(target) => write!(
                        f,
                        "refusing to write to {p}: it is a symbolic link to {}, where there is no file \
                         (create an empty file there, or choose another path)",
                        target.display()
                    ),
                    Refusal::NotSqlite => write!(
                        f,
                        "refusing to overwrite {p}: it is not a SQLite database (choose another path)"
                    ),
                    Refusal::Damaged(message) => write!(
                        f,
                        "refusing to overwrite {p}: it is a damaged SQLite database \
                         (SQLite says: {message}); choose another path"
                    ),
                    Refusal::NoTables => write!(
                        f,
                        "refusing to overwrite {p}: it is a SQLite database with no tables, \
                         not one this kata made (choose another path)"
                    ),
                    Refusal::NotTheKatas(objects) => write!(
                        f,
                        "refusing to overwrite {p}: it is a SQLite database this kata did not make \
                         (it has {}); choose another path",
                        objects.join(", ")
                    ),
                    Refusal::OtherSchema(differences) => write!(
                        f,
                        "refusing to overwrite {p}: its tables are named like the kata's, but its \
                         schema is not the one your code builds ({}); choose another path, or, if \
                         an earlier version of your code made it, delete it and run again",
                        differences.join("; ")
                    ),
                    Refusal::InUse => write!(
                        f,
                        "refusing to touch {p}: it is in use by another program, which has a \
                         transaction open on it (finish or close that program, then run again)"
                    ),
                    Refusal::HotJournal => write!(
                        f,
                        "refusing to touch {p}: it has a hot journal ({}), left by a program that \
                         stopped in the middle of writing to it; open it once with SQLite \
                         (`sqlite3 {p} .tables`) to roll that back, then run again",
                        with_suffix(path, "-journal").display()
                    ),
                }
            }
            DbFileError::Environment { path, doing, cause } => write!(
                f,
                "cannot {doing} {}: {cause} (a problem with the file system, not with your code)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for DbFileError {}

/// What [`write_lesson_db`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// The report is complete and the file holds the lesson's database.
    Complete,
    /// Some steps are not done: the report says which, and the file was left
    /// as it was.
    Unfinished(Vec<Problem>),
}

/// Runs the report, printing it to `out`, and leaves the lesson's database
/// at `path`, rebuilt from scratch, if the report is complete.
///
/// What is refused is refused before the report runs (see the module's
/// doc). `out` failing (a reader that went away, as in `--db x | head -1`)
/// does not stop anything: the database is the product.
pub fn write_lesson_db(path: &Path, out: &mut dyn Write) -> Result<Written, DbFileError> {
    check_ours(path)?;
    let in_memory = |e: crate::orm::Error| DbFileError::Environment {
        path: path.to_owned(),
        doing: "build the database for",
        cause: format!("SQLite could not open a database in memory: {e}"),
    };
    let engine = Engine::in_memory().map_err(in_memory)?;
    engine.set_foreign_keys(true).map_err(in_memory)?;
    let mut out = KeepGoing { out, failed: false };
    // KeepGoing swallows output errors: the report runs to its end.
    let problems = report::run(&engine, &mut out).map_err(|e| DbFileError::Environment {
        path: path.to_owned(),
        doing: "print the report for",
        cause: e.to_string(),
    })?;
    if !problems.is_empty() {
        return Ok(Written::Unfinished(problems));
    }
    write_database(engine.connection(), path)?;
    Ok(Written::Complete)
}

/// Passes the report on until the first error, then drops the rest quietly.
struct KeepGoing<'o> {
    out: &'o mut dyn Write,
    failed: bool,
}

impl Write for KeepGoing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.failed {
            match self.out.write(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
                Err(_) => self.failed = true,
                Ok(n) => return Ok(n),
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.failed && self.out.flush().is_err() {
            self.failed = true;
        }
        Ok(())
    }
}

/// What [`inspect`] found at the path.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// Nothing, in a folder that exists.
    Missing,
    /// An empty regular file.
    Empty,
    /// A SQLite database with only the kata's tables and their indexes.
    KataShaped,
}

/// Refuses `path`, without changing anything there, unless it is missing
/// (in an existing folder), an empty regular file, or a SQLite database,
/// not in use, holding only tables named like the kata's and their indexes.
/// Whether its schema is exactly the kata's is checked when writing.
pub fn check_ours(path: &Path) -> Result<(), DbFileError> {
    inspect(path).map(|_| ())
}

fn inspect(path: &Path) -> Result<Found, DbFileError> {
    let refuse = |reason| DbFileError::Refused {
        path: path.to_owned(),
        reason,
    };
    if path.as_os_str().is_empty() {
        return Err(refuse(Refusal::EmptyPath));
    }
    let read = |e: io::Error| environment(path, "read", &e);
    let metadata = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            check_folder(path)?;
            return Ok(Found::Missing);
        }
        Err(e) => return Err(read(e)),
        Ok(m) if m.file_type().is_symlink() => match std::fs::metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let target = std::fs::read_link(path).map_err(read)?;
                return Err(refuse(Refusal::DanglingLink(target)));
            }
            other => other.map_err(read)?,
        },
        Ok(m) => m,
    };
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err(refuse(Refusal::Directory));
    }
    if !kind.is_file() {
        return Err(refuse(Refusal::NotAFile(if kind.is_char_device() {
            "a character device"
        } else if kind.is_block_device() {
            "a block device"
        } else if kind.is_fifo() {
            "a FIFO (named pipe)"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "a special file"
        })));
    }
    // A regular file: reading it cannot block.
    let mut header = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(16).read_to_end(&mut header))
        .map_err(read)?;
    if header.is_empty() {
        check_not_in_use(path)?;
        return Ok(Found::Empty);
    }
    if header != b"SQLite format 3\0" {
        return Err(refuse(Refusal::NotSqlite));
    }
    // Read-only first: a read-write connection would roll back a hot journal.
    let conn = open(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| sqlite(path, "read", e))?;
    let objects = schema(&conn).map_err(|e| sqlite(path, "read", e))?;
    drop(conn);
    if objects.is_empty() {
        return Err(refuse(Refusal::NoTables));
    }
    let foreign: Vec<String> = objects
        .iter()
        .filter(|o| {
            let kata_table = KATA_TABLES.contains(&o.table.as_str());
            !match o.kind.as_str() {
                "table" => (kata_table && o.name == o.table) || o.name == SQLITE_SEQUENCE,
                "index" => kata_table,
                _ => false,
            }
        })
        .map(SchemaObject::to_string)
        .collect();
    if !foreign.is_empty() {
        return Err(refuse(Refusal::NotTheKatas(foreign)));
    }
    check_not_in_use(path)?;
    Ok(Found::KataShaped)
}

/// A missing file is created in its folder: the folder must be there.
fn check_folder(path: &Path) -> Result<(), DbFileError> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let cause = match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => format!("{} is not a folder", folder.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            format!("its folder {} does not exist", folder.display())
        }
        Err(e) => format!(
            "cannot read its folder {}: {}",
            folder.display(),
            io_cause(&e)
        ),
    };
    Err(DbFileError::Environment {
        path: path.to_owned(),
        doing: "create",
        cause,
    })
}

/// Another program's open transaction shows as a lock that an exclusive
/// transaction cannot take. Nothing is written: the transaction is empty.
fn check_not_in_use(path: &Path) -> Result<(), DbFileError> {
    let conn =
        open(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| sqlite(path, "read", e))?;
    conn.execute_batch("BEGIN EXCLUSIVE; ROLLBACK;")
        .map_err(|e| sqlite(path, "read", e))
}

/// A connection that never waits for a lock: a lock held by someone else
/// is an answer (in use), not something to wait out.
fn open(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::ZERO)?;
    Ok(conn)
}

/// One row of `sqlite_schema`.
#[derive(Debug, PartialEq, Eq)]
struct SchemaObject {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

impl fmt::Display for SchemaObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.name)
    }
}

/// The whole schema, in creation order.
fn schema(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid")?
        .query_map([], |r| {
            Ok(SchemaObject {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
            })
        })?
        .collect()
}

/// How the file's schema differs from the fresh one: empty when equal.
fn differences(file: &[SchemaObject], fresh: &[SchemaObject]) -> Vec<String> {
    let named = |list: &'_ [SchemaObject], o: &SchemaObject| {
        list.iter()
            .any(|other| other.kind == o.kind && other.name == o.name)
    };
    let mut found = Vec::new();
    for o in file {
        if !fresh.contains(o) {
            found.push(if named(fresh, o) {
                format!("{o} is defined differently")
            } else {
                o.to_string()
            });
        }
    }
    for o in fresh {
        if !named(file, o) {
            found.push(format!("no {o}"));
        }
    }
    found
}

/// Writes the complete database `fresh` at `path`, after checking again that
/// the path is ours.
fn write_database(fresh: &Connection, path: &Path) -> Result<(), DbFileError> {
    let created = match inspect(path)? {
        Found::Missing => {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| environment(path, "create", &e))?;
            true
        }
        Found::Empty | Found::KataShaped => {
            // The exact cause (read-only file system, permissions) before
            // SQLite quietly opens the file read-only instead.
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| environment(path, "write", &e))?;
            false
        }
    };
    let written = replace_contents(fresh, path);
    let still_empty = || std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
    if created && matches!(written, Err(DbFileError::Environment { .. })) && still_empty() {
        // Ours: made a moment ago, and the rolled-back transaction left it empty.
        let _ = std::fs::remove_file(path);
    }
    written
}

/// In one exclusive transaction: checks that the file's schema is empty or
/// exactly `fresh`'s, drops the file's tables, and copies `fresh` in.
fn replace_contents(fresh: &Connection, path: &Path) -> Result<(), DbFileError> {
    let write = |e| sqlite(path, "write", e);
    let mut conn = open(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(write)?;
    // Tables are dropped and refilled in any order.
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .map_err(write)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Exclusive)
        .map_err(write)?;
    let wanted = schema(fresh).map_err(write)?;
    let existing = schema(&tx).map_err(write)?;
    if !existing.is_empty() {
        // Names are unique in a schema: no difference either way means equal.
        let differ = differences(&existing, &wanted);
        if !differ.is_empty() {
            return Err(DbFileError::Refused {
                path: path.to_owned(),
                reason: Refusal::OtherSchema(differ),
            });
        }
    }
    let tables = |objects: &'_ [SchemaObject]| -> Vec<String> {
        objects
            .iter()
            .filter(|o| o.kind == "table" && o.name != SQLITE_SEQUENCE)
            .map(|o| o.name.clone())
            .collect()
    };
    for table in tables(&existing).iter().rev() {
        tx.execute_batch(&format!("DROP TABLE {}", quoted(table)))
            .map_err(write)?;
    }
    for sql in wanted.iter().filter_map(|o| o.sql.as_deref()) {
        tx.execute_batch(sql).map_err(write)?;
    }
    for table in tables(&wanted) {
        copy_rows(fresh, &tx, &table).map_err(write)?;
    }
    tx.commit().map_err(write)
}

fn copy_rows(from: &Connection, to: &Connection, table: &str) -> rusqlite::Result<()> {
    let mut select = from.prepare(&format!("SELECT * FROM {}", quoted(table)))?;
    let columns = select.column_count();
    let marks = vec!["?"; columns].join(", ");
    let mut insert = to.prepare(&format!("INSERT INTO {} VALUES ({marks})", quoted(table)))?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let values = (0..columns)
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        insert.execute(rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

/// An identifier (a table name from a schema), quoted for SQL text.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A SQLite error on the file at `path`, said for what it is.
fn sqlite(path: &Path, doing: &'static str, e: rusqlite::Error) -> DbFileError {
    let refuse = |reason| DbFileError::Refused {
        path: path.to_owned(),
        reason,
    };
    let rusqlite::Error::SqliteFailure(failure, message) = &e else {
        return DbFileError::Environment {
            path: path.to_owned(),
            doing,
            cause: e.to_string(),
        };
    };
    let cause = match failure.code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return refuse(Refusal::InUse),
        ErrorCode::ReadOnly if failure.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK => {
            return refuse(Refusal::HotJournal);
        }
        ErrorCode::NotADatabase => return refuse(Refusal::NotSqlite),
        ErrorCode::DatabaseCorrupt => {
            return refuse(Refusal::Damaged(
                message.clone().unwrap_or_else(|| failure.to_string()),
            ));
        }
        ErrorCode::DiskFull => "the disk is full".to_owned(),
        ErrorCode::ReadOnly => "it is read-only (the file, or the file system it is on)".to_owned(),
        ErrorCode::PermissionDenied => "permission denied".to_owned(),
        ErrorCode::CannotOpen => "SQLite cannot open it".to_owned(),
        ErrorCode::SystemIoFailure => match failure.extended_code {
            rusqlite::ffi::SQLITE_IOERR_READ => "a disk I/O error while reading".to_owned(),
            rusqlite::ffi::SQLITE_IOERR_WRITE => "a disk I/O error while writing".to_owned(),
            rusqlite::ffi::SQLITE_IOERR_FSYNC => "a disk I/O error while syncing".to_owned(),
            other => format!("a disk I/O error (SQLite extended code {other})"),
        },
        _ => message.clone().unwrap_or_else(|| failure.to_string()),
    };
    DbFileError::Environment {
        path: path.to_owned(),
        doing,
        cause,
    }
}

/// An I/O error on `path`, said for what it is.
fn environment(path: &Path, doing: &'static str, e: &io::Error) -> DbFileError {
    DbFileError::Environment {
        path: path.to_owned(),
        doing,
        cause: io_cause(e),
    }
}

fn io_cause(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::ReadOnlyFilesystem => "the file system is read-only".into(),
        K::StorageFull => "the disk is full".into(),
        K::QuotaExceeded => "the disk quota is used up".into(),
        K::FileTooLarge => "the file would be larger than allowed".into(),
        K::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests;
