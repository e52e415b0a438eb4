//! What `--db PATH` refuses, and what it does to the files it writes.
//! The refusals happen before any kata code runs, so most tests hold on
//! the untouched stubs; the ones that need a complete report to reach the
//! write run with `--features solutions`.
use super::*;
use std::os::unix::fs::FileTypeExt;
use std::time::Duration;

/// A fresh folder per test, so tests running in parallel never share a
/// file; removed when the test ends.
struct Folder(PathBuf);

impl Folder {
    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        // The process's folder goes with its last test (only when empty).
        if let Some(parent) = self.0.parent() {
            let _ = std::fs::remove_dir(parent);
        }
    }
}

fn folder(test: &str) -> Folder {
    let dir = std::env::temp_dir()
        .join(format!("models-kata-dbfile-{}", std::process::id()))
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    // Another test may remove the shared parent in between: try again.
    let made = (0..10).any(|_| std::fs::create_dir_all(&dir).is_ok());
    assert!(made, "cannot create {}", dir.display());
    Folder(dir)
}

/// Tables with the kata's names (not necessarily the kata's columns).
const KATA_NAMES: &str = "
    CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL,
        year INTEGER, author_id INTEGER NOT NULL REFERENCES authors(id));
    CREATE INDEX ix_books_author_id ON books (author_id);
    INSERT INTO authors VALUES (1, 'Me');
    INSERT INTO books VALUES (1, 'My diary', 2024, 1);
";

fn database(path: &Path, sql: &str) {
    let _ = std::fs::remove_file(path);
    Connection::open(path).unwrap().execute_batch(sql).unwrap();
}

fn count(path: &Path, sql: &str) -> i64 {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// `write_lesson_db` on another thread: a FIFO must not hang the test
/// forever when it is opened by mistake.
fn write_within_seconds(path: &Path) -> Result<Written, DbFileError> {
    let (send, receive) = std::sync::mpsc::channel();
    let path = path.to_owned();
    std::thread::spawn(move || {
        let _ = send.send(write_lesson_db(&path, &mut Vec::new()));
    });
    receive
        .recv_timeout(Duration::from_secs(10))
        .expect("--db must not wait on what it finds at the path")
}

fn refused(result: Result<Written, DbFileError>) -> String {
    match result {
        Err(e) => e.to_string(),
        Ok(written) => panic!("expected a refusal, got {written:?}"),
    }
}

fn run(program: &str, args: &[&Path]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_kept() {
    let dir = folder("not-sqlite");
    let path = dir.join("notes.txt");
    std::fs::write(&path, "my precious notes").unwrap();
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("not a SQLite database"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my precious notes");
}

#[test]
fn a_database_with_other_tables_is_refused_and_kept() {
    let dir = folder("other-tables");
    let path = dir.join("other.db");
    database(
        &path,
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);",
    );
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("table invoices"), "{err}");
    assert_eq!(count(&path, "SELECT count(*) FROM invoices"), 1);
}

/// Item 1: the kata's table names are not enough to make a database the
/// kata's; a view or a trigger is someone else's work.
#[test]
fn a_users_database_with_tables_named_authors_and_books_is_refused_and_kept() {
    let dir = folder("users-authors-books");
    let path = dir.join("library.db");
    database(
        &path,
        &format!(
            "{KATA_NAMES}
            CREATE VIEW recent AS SELECT title FROM books WHERE year > 2020;
            CREATE TRIGGER stamp AFTER INSERT ON books BEGIN SELECT 1; END;"
        ),
    );
    let before = std::fs::read(&path).unwrap();
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("refusing to overwrite"), "{err}");
    assert!(err.contains("view recent"), "{err}");
    assert!(err.contains("trigger stamp"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file must not change"
    );
}

/// Item 1: `NOT LIKE 'sqlite_%'` let any table named sqlite-something
/// through (`_` is a wildcard, LIKE ignores case).
#[test]
fn a_table_named_like_sqlites_own_is_not_overlooked() {
    let dir = folder("sqlite-prefix");
    let path = dir.join("kata.db");
    database(
        &path,
        &format!(
            "{KATA_NAMES}
            CREATE TABLE sqlitebrowser_notes (note TEXT); INSERT INTO sqlitebrowser_notes VALUES ('keep me');
            CREATE TABLE SQLite1 (x);"
        ),
    );
    let before = std::fs::read(&path).unwrap();
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("table sqlitebrowser_notes"), "{err}");
    assert!(err.contains("table SQLite1"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Item 1: a SQLite database with nothing in it is not an empty file,
/// and not the kata's either.
#[test]
fn a_sqlite_database_without_tables_is_refused() {
    let dir = folder("no-tables");
    let path = dir.join("blank.db");
    database(&path, "PRAGMA user_version = 7; VACUUM;");
    let before = std::fs::read(&path).unwrap();
    assert!(!before.is_empty());
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("no tables"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Item 2: a copy of /dev/null reads as empty; it is not a file to replace.
#[test]
fn a_character_device_is_refused_and_left_alone() {
    let dir = folder("char-device");
    let path = dir.join("null");
    if !run(
        "mknod",
        &[&path, Path::new("c"), Path::new("1"), Path::new("3")],
    ) {
        eprintln!("note: skipped, mknod needs root (run the tests as root to check this)");
        return;
    }
    let err = refused(write_within_seconds(&path));
    assert!(err.contains("character device"), "{err}");
    let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
    assert!(kind.is_char_device(), "the device node must still be there");
}

/// Item 2: opening a FIFO waits for a writer: refuse it without opening.
#[test]
fn a_fifo_is_refused_without_waiting() {
    let dir = folder("fifo");
    let path = dir.join("pipe");
    if !run("mkfifo", &[&path]) {
        eprintln!("note: skipped, no mkfifo command here");
        return;
    }
    let err = refused(write_within_seconds(&path));
    assert!(err.contains("FIFO"), "{err}");
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_socket_is_refused() {
    let dir = folder("socket");
    let path = dir.join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let err = refused(write_within_seconds(&path));
    assert!(err.contains("socket"), "{err}");
}

#[test]
fn a_directory_is_refused() {
    let dir = folder("directory");
    let path = dir.join("a-directory");
    std::fs::create_dir_all(&path).unwrap();
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("is a directory"), "{err}");
}

/// Item 3: another program is in the middle of writing: its journal and
/// its COMMIT must survive.
#[test]
fn a_database_another_connection_is_writing_is_refused_and_its_commit_succeeds() {
    let dir = folder("in-use");
    let path = dir.join("kata.db");
    database(&path, KATA_NAMES);
    let writer = Connection::open(&path).unwrap();
    writer
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO authors VALUES (2, 'Other');")
        .unwrap();
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("in use by another program"), "{err}");
    assert!(
        with_suffix(&path, "-journal").exists(),
        "the live journal must stay"
    );
    writer.execute_batch("COMMIT").unwrap();
    drop(writer);
    assert_eq!(count(&path, "SELECT count(*) FROM authors"), 2);
}

/// Item 5: a database locked by a writer is in use, not "not SQLite".
#[test]
fn a_locked_database_is_said_to_be_in_use() {
    let dir = folder("locked");
    let path = dir.join("kata.db");
    database(&path, KATA_NAMES);
    let writer = Connection::open(&path).unwrap();
    writer.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("in use by another program"), "{err}");
    assert!(!err.contains("not a SQLite database"), "{err}");
    writer.execute_batch("COMMIT").unwrap();
}

/// Item 5: a journal left by a writer that stopped half-way (made here by
/// copying the files of a transaction in progress).
#[test]
fn a_database_with_a_hot_journal_is_said_to_have_one_and_kept() {
    let dir = folder("hot-journal");
    let live = dir.join("live.db");
    database(&live, KATA_NAMES);
    let writer = Connection::open(&live).unwrap();
    writer
        .execute_batch(
            "PRAGMA synchronous = OFF; BEGIN IMMEDIATE; UPDATE authors SET name = 'Changed';",
        )
        .unwrap();
    let path = dir.join("crashed.db");
    std::fs::copy(&live, &path).unwrap();
    std::fs::copy(
        with_suffix(&live, "-journal"),
        with_suffix(&path, "-journal"),
    )
    .unwrap();
    writer.execute_batch("ROLLBACK").unwrap();
    let journal = std::fs::read(with_suffix(&path, "-journal")).unwrap();
    let err = refused(write_lesson_db(&path, &mut Vec::new()));
    assert!(err.contains("hot journal"), "{err}");
    assert!(!err.contains("not a SQLite database"), "{err}");
    assert_eq!(
        std::fs::read(with_suffix(&path, "-journal")).unwrap(),
        journal
    );
}

/// Item 4: a link to nowhere would make `--db` create a file wherever it
/// points; it is refused.
#[test]
fn a_dangling_symlink_is_refused_and_nothing_is_created() {
    let dir = folder("dangling-link");
    let (link, target) = (dir.join("lesson.db"), dir.join("elsewhere.db"));
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = refused(write_lesson_db(&link, &mut Vec::new()));
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!target.exists());
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
}

/// Item 4: a link is followed, and what it points at meets the same checks.
#[test]
fn a_symlink_to_a_fifo_is_refused() {
    let dir = folder("link-to-fifo");
    let (link, fifo) = (dir.join("lesson.db"), dir.join("pipe"));
    if !run("mkfifo", &[&fifo]) {
        eprintln!("note: skipped, no mkfifo command here");
        return;
    }
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let err = refused(write_within_seconds(&link));
    assert!(err.contains("FIFO"), "{err}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
}

/// Item 9: an empty path is refused before the report runs.
#[test]
fn an_empty_path_is_refused_before_any_kata_code_runs() {
    let mut out = Vec::new();
    let err = refused(write_lesson_db(Path::new(""), &mut out));
    assert!(err.contains("empty"), "{err}");
    assert!(
        out.is_empty(),
        "no report: {}",
        String::from_utf8_lossy(&out)
    );
}

#[test]
fn a_missing_folder_is_a_clear_error_naming_the_path() {
    let path = Path::new("/nonexistent-folder-of-models-kata/kata.db");
    let err = refused(write_lesson_db(path, &mut Vec::new()));
    assert!(
        err.contains("/nonexistent-folder-of-models-kata/kata.db"),
        "{err}"
    );
    assert!(err.contains("does not exist"), "{err}");
    assert!(!path.exists());
}

/// Items 6 and 7: SQLite's and the system's errors, each said for what it
/// is, with the user's path. (The real full disk and read-only file
/// system are in .ci/db-check.sh: they need a mount. Permissions cannot
/// be tested for real here: root ignores file modes.)
#[test]
fn errors_are_named_for_what_they_are() {
    let path = Path::new("my/lesson.db");
    let code = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
    let said = |e: DbFileError| e.to_string();
    let environment = [
        (
            sqlite(path, "write", code(rusqlite::ffi::SQLITE_FULL)),
            "the disk is full",
        ),
        (
            sqlite(path, "write", code(rusqlite::ffi::SQLITE_READONLY)),
            "it is read-only",
        ),
        (
            sqlite(path, "write", code(rusqlite::ffi::SQLITE_IOERR_WRITE)),
            "a disk I/O error while writing",
        ),
        (
            sqlite(path, "write", code(rusqlite::ffi::SQLITE_PERM)),
            "permission denied",
        ),
        (
            super::environment(path, "create", &io::ErrorKind::ReadOnlyFilesystem.into()),
            "the file system is read-only",
        ),
        (
            super::environment(path, "write", &io::ErrorKind::PermissionDenied.into()),
            "permission denied",
        ),
        (
            super::environment(path, "write", &io::ErrorKind::StorageFull.into()),
            "the disk is full",
        ),
    ];
    for (error, cause) in environment {
        let text = said(error);
        assert!(text.contains(&format!("my/lesson.db: {cause}")), "{text}");
        assert!(text.contains("not with your code"), "{text}");
    }
    let refusals = [
        (rusqlite::ffi::SQLITE_BUSY, "in use by another program"),
        (rusqlite::ffi::SQLITE_LOCKED, "in use by another program"),
        (
            rusqlite::ffi::SQLITE_READONLY_ROLLBACK,
            "hot journal (my/lesson.db-journal)",
        ),
        (rusqlite::ffi::SQLITE_NOTADB, "not a SQLite database"),
        (rusqlite::ffi::SQLITE_CORRUPT, "damaged SQLite database"),
    ];
    for (sqlite_code, reason) in refusals {
        let text = said(sqlite(path, "read", code(sqlite_code)));
        assert!(text.starts_with("refusing to "), "{text}");
        assert!(text.contains("my/lesson.db: "), "{text}");
        assert!(text.contains(reason), "{text}");
    }
}

/// A reader that went away, as in `--db lesson.db | head -1`.
struct ClosedPipe;

impl Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> io::Result<()> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
}

/// Item 8: the database is the product of `--db`; a closed stdout does
/// not stop it.
#[test]
fn a_closed_output_does_not_stop_the_database() {
    let dir = folder("closed-output");
    let path = dir.join("lesson.db");
    let written = write_lesson_db(&path, &mut ClosedPipe);
    assert!(written.is_ok(), "{:?}", written.map_err(|e| e.to_string()));
    if cfg!(feature = "solutions") {
        assert_eq!(written.unwrap(), Written::Complete);
        assert_eq!(count(&path, "SELECT count(*) FROM books"), 7);
    }
}

#[test]
fn missing_and_empty_files_and_kata_databases_are_ours() {
    let dir = folder("ours");
    assert!(check_ours(&dir.join("missing.db")).is_ok());
    let empty = dir.join("empty.db");
    std::fs::write(&empty, "").unwrap();
    assert!(check_ours(&empty).is_ok());
    assert_eq!(
        std::fs::read(&empty).unwrap(),
        b"",
        "checking must not write"
    );
    let kata = dir.join("kata.db");
    database(&kata, KATA_NAMES);
    assert!(check_ours(&kata).is_ok());
}

#[cfg(feature = "solutions")]
mod with_the_report {
    //! The writes themselves: they need a complete report.
    use super::*;

    fn lesson_db(path: &Path) {
        assert_eq!(
            write_lesson_db(path, &mut Vec::new()).unwrap(),
            Written::Complete
        );
        assert_eq!(count(path, "SELECT count(*) FROM authors"), 3);
        assert_eq!(count(path, "SELECT count(*) FROM books"), 7);
    }

    /// Item 1: the kata's table names with other columns: the whole
    /// schema must be the kata's.
    #[test]
    fn the_katas_table_names_with_other_columns_are_refused_and_kept() {
        let dir = folder("other-columns");
        let path = dir.join("library.db");
        database(
            &path,
            "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
             CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL,
                 year INTEGER NOT NULL, author_id INTEGER NOT NULL REFERENCES authors(id));
             CREATE INDEX ix_books_author_id ON books (author_id);
             INSERT INTO authors VALUES (1, 'Me', 'me@example.org');",
        );
        let before = std::fs::read(&path).unwrap();
        let err = refused(write_lesson_db(&path, &mut Vec::new()));
        assert!(err.contains("table authors"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    /// What the kata wrote, even with rows added by hand, is rebuilt.
    #[test]
    fn a_database_the_kata_wrote_is_rebuilt_from_scratch() {
        let dir = folder("rebuilt");
        let path = dir.join("lesson.db");
        lesson_db(&path);
        Connection::open(&path)
            .unwrap()
            .execute_batch("INSERT INTO authors (name) VALUES ('Added by hand')")
            .unwrap();
        lesson_db(&path);
    }

    /// An empty file is the kata's to fill.
    #[test]
    fn an_empty_file_is_filled() {
        let dir = folder("empty-file");
        let path = dir.join("lesson.db");
        std::fs::write(&path, "").unwrap();
        lesson_db(&path);
    }

    /// Item 4: the link stays a link; the file it points at is rebuilt.
    #[test]
    fn a_symlink_is_followed_and_its_target_rebuilt() {
        let dir = folder("link");
        let (link, target) = (dir.join("lesson.db"), dir.join("real.db"));
        lesson_db(&target);
        Connection::open(&target)
            .unwrap()
            .execute_batch("INSERT INTO authors (name) VALUES ('Added by hand')")
            .unwrap();
        std::os::unix::fs::symlink("real.db", &link).unwrap();
        lesson_db(&link);
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(count(&target, "SELECT count(*) FROM authors"), 3);
    }

    /// A program holding the file open (no transaction) sees the new
    /// database, not a deleted file.
    #[test]
    fn a_connection_left_open_sees_the_rebuilt_database() {
        let dir = folder("idle-reader");
        let path = dir.join("lesson.db");
        lesson_db(&path);
        let idle = Connection::open(&path).unwrap();
        idle.execute_batch("INSERT INTO authors (name) VALUES ('Added by hand')")
            .unwrap();
        lesson_db(&path);
        let authors: i64 = idle
            .query_row("SELECT count(*) FROM authors", [], |r| r.get(0))
            .unwrap();
        assert_eq!(authors, 3);
    }
}
