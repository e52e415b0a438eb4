//! `cargo run -- --db PATH`: the lesson's database, written to a file.
//!
//! Like the lesson's program, it rebuilds the file from scratch each time.
//! Unlike a careless one, it never destroys what is not its own: a file that
//! is not SQLite, or a SQLite database with other tables, is refused. The new
//! database is built in a temporary file beside the target and moved into
//! place only when complete, so a failure leaves the old file as it was.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::orm::{self, Engine};
use crate::report::{self, Problem};

/// The tables a kata database holds; a file with any other is not ours.
const KATA_TABLES: &[&str] = &["authors", "books"];

/// Why the database file was not written.
#[derive(Debug)]
pub enum DbFileError {
    /// The path holds something that is not a SQLite database.
    NotSqlite(PathBuf),
    /// The path holds a SQLite database with tables that are not the kata's.
    NotTheKatas {
        /// The file.
        path: PathBuf,
        /// Its tables that the kata does not make.
        tables: Vec<String>,
    },
    /// The file or its folder could not be read or written.
    Io {
        /// What was being done.
        doing: String,
        /// The error.
        source: io::Error,
    },
    /// SQLite failed on the new file.
    Database {
        /// The file.
        path: PathBuf,
        /// The error.
        source: orm::Error,
    },
}

impl fmt::Display for DbFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbFileError::NotSqlite(path) => write!(
                f,
                "refusing to overwrite {}: it is not a SQLite database (choose another path)",
                path.display()
            ),
            DbFileError::NotTheKatas { path, tables } => write!(
                f,
                "refusing to overwrite {}: it is a SQLite database with other tables ({}), \
                 not one this kata made (choose another path)",
                path.display(),
                tables.join(", ")
            ),
            DbFileError::Io { doing, source } => write!(f, "cannot {doing}: {source}"),
            DbFileError::Database { path, source } => write!(
                f,
                "cannot write the database {}: {} (is its folder there, and writable?)",
                path.display(),
                source.sqlite_error().map_or_else(
                    || source.to_string(),
                    |e| {
                        // SQLite's message names the temporary file; the path above is what counts.
                        e.to_string()
                            .split(':')
                            .next()
                            .unwrap_or_default()
                            .to_owned()
                    }
                )
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

/// Runs the report on a database file at `path`, printing it to `out`, and
/// leaves the lesson's database there, rebuilt from scratch.
pub fn write_lesson_db(path: &Path, out: &mut dyn Write) -> Result<Written, DbFileError> {
    check_ours(path)?;
    let temporary = temporary_beside(path);
    remove_database_files(&temporary)?;
    let built = build(&temporary, path, out);
    let outcome = match built {
        Ok(Written::Complete) => replace(&temporary, path).map(|()| Written::Complete),
        other => other,
    };
    if !matches!(outcome, Ok(Written::Complete)) {
        // Best effort: the temporary file is ours and useless now.
        let _ = remove_database_files(&temporary);
    }
    outcome
}

/// The report, run on a fresh database at `file`, on its way to `target`
/// (the name errors mention).
fn build(file: &Path, target: &Path, out: &mut dyn Write) -> Result<Written, DbFileError> {
    let database = |source| DbFileError::Database {
        path: target.to_owned(),
        source,
    };
    let engine = Engine::open(file).map_err(database)?;
    engine.set_foreign_keys(true).map_err(database)?;
    let problems = report::run(&engine, out).map_err(|source| DbFileError::Io {
        doing: "write the report".into(),
        source,
    })?;
    drop(engine);
    Ok(if problems.is_empty() {
        Written::Complete
    } else {
        Written::Unfinished(problems)
    })
}

/// Refuses `path` unless it is missing, empty, or a SQLite database holding
/// only the kata's tables.
pub fn check_ours(path: &Path) -> Result<(), DbFileError> {
    let io = |doing: &str| {
        let doing = format!("{doing} {}", path.display());
        move |source| DbFileError::Io { doing, source }
    };
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io("read")(e)),
    };
    if file.metadata().map_err(io("read"))?.is_dir() {
        return Err(DbFileError::Io {
            doing: format!("write {}", path.display()),
            source: io::Error::other("it is a directory"),
        });
    }
    let mut header = Vec::new();
    Read::by_ref(&mut file)
        .take(16)
        .read_to_end(&mut header)
        .map_err(io("read"))?;
    if header.is_empty() {
        return Ok(());
    }
    if header != b"SQLite format 3\0" {
        return Err(DbFileError::NotSqlite(path.to_owned()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| DbFileError::NotSqlite(path.to_owned()))?;
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .map_err(|_| DbFileError::NotSqlite(path.to_owned()))?;
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|_| DbFileError::NotSqlite(path.to_owned()))?;
    let foreign: Vec<String> = tables
        .into_iter()
        .filter(|t| !KATA_TABLES.contains(&t.as_str()))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(DbFileError::NotTheKatas {
            path: path.to_owned(),
            tables: foreign,
        })
    }
}

/// `dir/.name.tmp-PID`, beside the target so that the final rename stays on
/// one file system.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "kata.db".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Moves the finished database over `path`, with the old one's journal
/// files removed first, so SQLite cannot apply them to the new file.
fn replace(finished: &Path, path: &Path) -> Result<(), DbFileError> {
    for suffix in ["-journal", "-wal", "-shm"] {
        remove_if_present(&with_suffix(path, suffix))?;
    }
    std::fs::rename(finished, path).map_err(|source| DbFileError::Io {
        doing: format!("move the new database to {}", path.display()),
        source,
    })
}

fn remove_database_files(path: &Path) -> Result<(), DbFileError> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        remove_if_present(&with_suffix(path, suffix))?;
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<(), DbFileError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(DbFileError::Io {
            doing: format!("remove {}", path.display()),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    //! The refusals, which happen before any kata code runs.
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("models-kata-dbfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_refused_and_kept() {
        let path = temp("notes.txt");
        std::fs::write(&path, "my precious notes").unwrap();
        let err = write_lesson_db(&path, &mut Vec::new()).unwrap_err();
        assert!(matches!(err, DbFileError::NotSqlite(_)), "{err}");
        assert!(err.to_string().contains("not a SQLite database"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "my precious notes");
    }

    #[test]
    fn a_database_with_other_tables_is_refused_and_kept() {
        let path = temp("other.db");
        let _ = std::fs::remove_file(&path);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);",
        )
        .unwrap();
        drop(conn);
        let err = write_lesson_db(&path, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("other tables (invoices)"), "{err}");
        let conn = Connection::open(&path).unwrap();
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM invoices", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1);
    }

    #[test]
    fn a_directory_is_refused() {
        let path = temp("a-directory");
        std::fs::create_dir_all(&path).unwrap();
        let err = write_lesson_db(&path, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }

    #[test]
    fn an_unwritable_place_is_a_clear_error() {
        let path = Path::new("/nonexistent-folder-of-models-kata/kata.db");
        let err = write_lesson_db(path, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().starts_with("cannot "), "{err}");
        assert!(!path.exists());
    }

    #[test]
    fn missing_and_empty_files_and_kata_databases_are_ours() {
        let missing = temp("missing.db");
        let _ = std::fs::remove_file(&missing);
        assert!(check_ours(&missing).is_ok());
        let empty = temp("empty.db");
        std::fs::write(&empty, "").unwrap();
        assert!(check_ours(&empty).is_ok());
        let kata = temp("kata.db");
        let _ = std::fs::remove_file(&kata);
        Connection::open(&kata)
            .unwrap()
            .execute_batch("CREATE TABLE authors (id INTEGER PRIMARY KEY); CREATE TABLE books (id INTEGER PRIMARY KEY);")
            .unwrap();
        assert!(check_ours(&kata).is_ok());
    }
}
