//! The harness: databases built with the harness's own SQL, so that each
//! step's tests go red and green on their own, whatever the state of the
//! learner's create_tables() and seed().

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use models_kata::lesson::AuthorSeed;
use models_kata::orm::Engine;
use rstest::fixture;

/// The lesson's schema, written by hand (not generated from the learner's
/// models).
pub const SCHEMA: &str = "
    CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE books (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        year INTEGER NOT NULL,
        author_id INTEGER NOT NULL REFERENCES authors(id)
    );
    CREATE INDEX ix_books_author_id ON books (author_id);
";

/// An in-memory engine with foreign keys on and SQLite told to return
/// unordered rows in reverse, so that a query that forgets its ORDER BY comes
/// back in the wrong order instead of passing by luck.
pub fn engine() -> Engine {
    let engine = Engine::in_memory().expect("in-memory database");
    engine
        .connection()
        .execute_batch("PRAGMA foreign_keys = ON; PRAGMA reverse_unordered_selects = ON;")
        .expect("pragmas");
    engine
}

/// An empty database: no tables.
#[fixture]
pub fn empty() -> Engine {
    engine()
}

/// The lesson's tables, no rows.
#[fixture]
pub fn schema() -> Engine {
    let engine = engine();
    engine.connection().execute_batch(SCHEMA).expect("schema");
    engine
}

/// The lesson's 3 authors and 7 books, ids 1..=3 and 1..=7 as the lesson
/// inserts them.
#[fixture]
pub fn lesson() -> Engine {
    let engine = schema();
    engine
        .connection()
        .execute_batch(LESSON_ROWS)
        .expect("lesson rows");
    engine
}

/// The rows of [`lesson`], for a schema made some other way.
pub const LESSON_ROWS: &str = "INSERT INTO authors (id, name) VALUES
                (1, 'David Thomas'), (2, 'Robert C. Martin'), (3, 'Luciano Ramalho');
             INSERT INTO books (id, title, year, author_id) VALUES
                (1, 'The Pragmatic Programmer', 1999, 1),
                (2, 'Programming Pearls', 2000, 1),
                (3, 'Clean Code', 2008, 2),
                (4, 'Clean Architecture', 2017, 2),
                (5, 'The Clean Coder', 2011, 2),
                (6, 'Fluent Python', 2015, 3),
                (7, 'Fluent Python 2nd Ed', 2022, 3);";

/// A different library, so that no answer can be hard-coded from the
/// lesson: ids with gaps, inserted out of id order, an author without books,
/// an author whose books are not contiguous in id order, a quote in a name.
#[fixture]
pub fn other() -> Engine {
    let engine = schema();
    engine
        .connection()
        .execute_batch(
            "INSERT INTO authors (id, name) VALUES
                (30, 'Ursula K. Le Guin'), (10, 'Flannery O''Connor'), (20, 'Nobody Yet'),
                (40, 'Italo Calvino');
             INSERT INTO books (id, title, year, author_id) VALUES
                (105, 'The Dispossessed', 1974, 30),
                (101, 'Wise Blood', 1952, 10),
                (103, 'The Left Hand of Darkness', 1969, 30),
                (102, 'A Good Man Is Hard to Find', 1955, 10),
                (104, 'Invisible Cities', 1972, 40),
                (106, 'The Lathe of Heaven', 1971, 30),
                (107, 'If on a winter''s night a traveler', 1979, 40);",
        )
        .expect("other rows");
    engine
}

/// A library built to tell right from wrong: two authors with the same
/// name, two books with the same title, one author's books interleaved with
/// the others' in id order, an author without books, rows inserted out of id
/// order, and id order unlike name, title, year or book-count order.
///
/// | author | books (id, title, year) |
/// | --- | --- |
/// | 3 Bo Chen | 32 Bo One 1999, 34 Bo Two 2010 |
/// | 5 Ann Lee | 31 Same Title 2001, 35 Ann Five 2003, 37 Ann Five Again 2002 |
/// | 7 Ann Lee | 33 Same Title 2005, 36 Ann Seven 2008 |
/// | 9 Cy Moss | none |
pub const VARIETY_ROWS: &str = "INSERT INTO authors (id, name) VALUES
                (7, 'Ann Lee'), (3, 'Bo Chen'), (9, 'Cy Moss'), (5, 'Ann Lee');
             INSERT INTO books (id, title, year, author_id) VALUES
                (36, 'Ann Seven', 2008, 7),
                (31, 'Same Title', 2001, 5),
                (34, 'Bo Two', 2010, 3),
                (32, 'Bo One', 1999, 3),
                (37, 'Ann Five Again', 2002, 5),
                (33, 'Same Title', 2005, 7),
                (35, 'Ann Five', 2003, 5);";

/// [`VARIETY_ROWS`] in the lesson's schema.
#[fixture]
pub fn variety() -> Engine {
    let engine = schema();
    engine
        .connection()
        .execute_batch(VARIETY_ROWS)
        .expect("variety rows");
    engine
}

/// The lesson's schema with its keys indexed in descending order. SQLite
/// hands out GROUP BY groups in the order of the index it reads them
/// through, whatever `reverse_unordered_selects` says: with these indexes,
/// a GROUP BY without ORDER BY gives the highest id first. The schema is as
/// valid as the lesson's, and every promised order must hold on it too.
pub const SCHEMA_DESCENDING: &str = "
    CREATE TABLE authors (id INTEGER PRIMARY KEY DESC, name TEXT NOT NULL);
    CREATE TABLE books (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        year INTEGER NOT NULL,
        author_id INTEGER NOT NULL REFERENCES authors(id)
    );
    CREATE INDEX ix_books_author_id ON books (author_id DESC);
";

/// [`VARIETY_ROWS`] in [`SCHEMA_DESCENDING`].
#[fixture]
pub fn descending() -> Engine {
    let engine = engine();
    engine
        .connection()
        .execute_batch(SCHEMA_DESCENDING)
        .expect("descending schema");
    engine
        .connection()
        .execute_batch(VARIETY_ROWS)
        .expect("variety rows");
    engine
}

/// The lesson's library plus book 8, published in 2030 by author 1, whose
/// title is not valid UTF-8: a value no `String` can hold. Reading it must
/// fail with an error, never skip the row or make up a title.
#[fixture]
pub fn unreadable() -> Engine {
    let engine = lesson();
    engine
        .connection()
        .execute_batch(
            "INSERT INTO books (id, title, year, author_id) VALUES (8, CAST(X'C328' AS TEXT), 2030, 1);",
        )
        .expect("the unreadable book");
    engine
}

/// Asserts that `found` is `expected`, comparing rows by their `Debug`
/// text (so `String` and `&str` rows compare, and one non-generic function
/// does the work: the test crate compiles faster). `promise` names the
/// function, its file and what it promises; when only the order differs,
/// the message says so, since a missing ORDER BY is the usual cause.
#[track_caller]
pub fn assert_rows<F: std::fmt::Debug, E: std::fmt::Debug>(
    found: &[F],
    expected: &[E],
    promise: &str,
) {
    let text = |rows: &mut dyn Iterator<Item = String>| rows.collect::<Vec<String>>();
    compare_rows(
        text(&mut found.iter().map(|r| format!("{r:?}"))),
        text(&mut expected.iter().map(|r| format!("{r:?}"))),
        promise,
    );
}

#[track_caller]
fn compare_rows(found: Vec<String>, expected: Vec<String>, promise: &str) {
    if found == expected {
        return;
    }
    let lines = |rows: &[String]| {
        rows.iter()
            .map(|r| format!("    {r}\n"))
            .collect::<String>()
    };
    let (mut a, mut b) = (found.clone(), expected.clone());
    a.sort();
    b.sort();
    if a == b {
        panic!(
            "{promise}\nThe rows are right, but in the wrong order. Does the query have an \
             ORDER BY, on the promised column? Without one SQLite promises no order: the tests \
             make it return unordered rows in reverse, and GROUP BY groups highest key first.\n\
             expected:\n{}found:\n{}",
            lines(&expected),
            lines(&found)
        );
    }
    pretty_assertions::assert_eq!(lines(&found), lines(&expected), "{promise}");
}

/// `.or_fail("books_after()", FILE)` in place of `.unwrap()` on a
/// learner's result: an error fails the test naming the function and file.
pub trait OrFail<T> {
    /// The value, or a failure that names `function` in `file` and the error.
    fn or_fail(self, function: &str, file: &str) -> T;
}

impl<T, E: std::fmt::Display> OrFail<T> for Result<T, E> {
    #[track_caller]
    fn or_fail(self, function: &str, file: &str) -> T {
        match self {
            Ok(value) => value,
            Err(e) => panic!("{function} in {file} returned an error where none was due:\n{e}"),
        }
    }
}

/// `.err_or_fail("add_book()", FILE, "the author does not exist", "the book
/// was stored. Are foreign keys on?")` in place of `.expect_err(..)` on a
/// learner's result: an `Ok` fails the test naming the function and file,
/// why an error was due, the `Ok` value it returned, and what that `Ok`
/// suggests (`expect_err` would only append the value, as in "...: 9").
pub trait ErrOrFail<E> {
    /// The error, or a failure that names `function` in `file`, `why` an
    /// error was due, the value returned instead, and `if_ok`: what an `Ok`
    /// there means, and the likely cause.
    fn err_or_fail(self, function: &str, file: &str, why: &str, if_ok: &str) -> E;
}

impl<T: std::fmt::Debug, E> ErrOrFail<E> for Result<T, E> {
    #[track_caller]
    fn err_or_fail(self, function: &str, file: &str, why: &str, if_ok: &str) -> E {
        match self {
            Err(e) => e,
            Ok(value) => panic!(
                "{function} in {file}: {why}, so it must return an error, but it returned \
                 Ok({value:?}): {if_ok}"
            ),
        }
    }
}

/// Runs `f`; a panic becomes a test failure that says a `Result` was due.
#[track_caller]
pub fn no_panic<R>(what: &str, f: impl FnOnce() -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("");
            if message.contains("not yet implemented") {
                std::panic::resume_unwind(payload);
            }
            panic!("{what} panicked ({message}): return the error instead, `?` does it")
        }
    }
}

/// `n` authors named "Author i" with `books_each` books each, by SQL.
pub fn many_authors(n: usize, books_each: usize) -> Engine {
    let engine = schema();
    let conn = engine.connection();
    conn.execute_batch("BEGIN").unwrap();
    for a in 1..=n {
        conn.execute(
            "INSERT INTO authors (id, name) VALUES (?1, ?2)",
            (a as i64, format!("Author {a}")),
        )
        .unwrap();
        for b in 1..=books_each {
            conn.execute(
                "INSERT INTO books (title, year, author_id) VALUES (?1, ?2, ?3)",
                (format!("Book {a}.{b}"), 1900 + b as i64, a as i64),
            )
            .unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    engine
}

/// Every row of `sql`, each column rendered as text (NULL as `NULL`), on
/// tables the harness made: a failure is the harness's own.
pub fn rows(engine: &Engine, sql: &str) -> Vec<Vec<String>> {
    rows_with(engine, sql, [])
}

/// [`rows`] with bound parameters.
pub fn rows_with(engine: &Engine, sql: &str, params: impl rusqlite::Params) -> Vec<Vec<String>> {
    try_rows(engine, sql, params).unwrap_or_else(|e| panic!("the harness's SQL failed: {sql}: {e}"))
}

/// One integer from `sql`, on tables the harness made.
pub fn number(engine: &Engine, sql: &str) -> i64 {
    try_number(engine, sql).unwrap_or_else(|e| panic!("the harness's SQL failed: {sql}: {e}"))
}

fn try_rows(
    engine: &Engine,
    sql: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<Vec<String>>> {
    let mut stmt = engine.connection().prepare(sql)?;
    let width = stmt.column_count();
    stmt.query_map(params, |row| {
        (0..width)
            .map(|i| {
                Ok(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    rusqlite::types::ValueRef::Real(x) => x.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(b) => format!("<{} bytes>", b.len()),
                })
            })
            .collect()
    })?
    .collect()
}

fn try_number(engine: &Engine, sql: &str) -> rusqlite::Result<i64> {
    engine.connection().query_row(sql, [], |r| r.get(0))
}

/// The tables that `function` in `file` made, for the harness's SQL on
/// them: `tables_of("create_tables()", FILE).rows(&engine, sql)`. When that
/// SQL fails, the failure names the step, the function and the file, and
/// what is missing ("made no `books` table"), instead of SQLite's raw error
/// at a line of the harness.
pub const fn tables_of(function: &'static str, file: &'static str) -> TablesOf {
    TablesOf { function, file }
}

/// See [`tables_of`].
#[derive(Clone, Copy)]
pub struct TablesOf {
    function: &'static str,
    file: &'static str,
}

impl TablesOf {
    /// [`rows`] on these tables.
    #[track_caller]
    pub fn rows(self, engine: &Engine, sql: &str) -> Vec<Vec<String>> {
        self.rows_with(engine, sql, [])
    }

    /// [`rows_with`] on these tables.
    #[track_caller]
    pub fn rows_with(
        self,
        engine: &Engine,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Vec<Vec<String>> {
        match try_rows(engine, sql, params) {
            Ok(rows) => rows,
            Err(e) => self.fail(sql, &e),
        }
    }

    /// [`number`] on these tables.
    #[track_caller]
    pub fn number(self, engine: &Engine, sql: &str) -> i64 {
        match try_number(engine, sql) {
            Ok(n) => n,
            Err(e) => self.fail(sql, &e),
        }
    }

    /// Runs `sql` (one statement or several) on these tables.
    #[track_caller]
    pub fn execute(self, engine: &Engine, sql: &str) {
        if let Err(e) = engine.connection().execute_batch(sql) {
            self.fail(sql, &e)
        }
    }

    /// The failure: the step, `function` in `file`, what is missing when
    /// SQLite says so, then the SQL and SQLite's own words.
    #[track_caller]
    fn fail(self, sql: &str, error: &rusqlite::Error) -> ! {
        let TablesOf { function, file } = self;
        let said = error.to_string();
        let missing = if let Some(table) = said.strip_prefix("no such table: ") {
            format!("made no `{table}` table")
        } else if let Some(column) = said.strip_prefix("no such column: ") {
            format!("made no `{column}` column")
        } else if let Some((table, column)) = said
            .strip_prefix("table ")
            .and_then(|rest| rest.split_once(" has no column named "))
        {
            format!("made no `{column}` column in `{table}`")
        } else {
            "made tables that the test's SQL fails on".to_owned()
        };
        let sql: Vec<&str> = sql
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        panic!(
            "{}: {function} in {file} {missing}, so this test cannot go on. It ran:\n    {}\n\
             and SQLite said: {said}",
            step_of(file),
            sql.join("\n    ")
        )
    }
}

/// How `cargo run` names the step or task of an exercise file:
/// `step 2 (create tables)`, `fix-2`.
fn step_of(file: &str) -> &str {
    use models_kata::steps::{COMPARE, CREATE_TABLES, MODELS, QUERIES, SEED, TASKS};
    [MODELS, CREATE_TABLES, SEED, QUERIES, COMPARE]
        .iter()
        .find(|step| step.file == file)
        .map(|step| step.label)
        .or_else(|| TASKS.iter().find(|task| task.1 == file).map(|task| task.0))
        .unwrap_or(file)
}

/// Shorthand for the expected rows in assertions.
pub fn strings<const N: usize>(rows: &[[&str; N]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// A second library for seeding, different from the lesson's.
pub const OTHER_LIBRARY: &[AuthorSeed] = &[
    AuthorSeed {
        name: "Flannery O'Connor",
        books: &[("Wise Blood", 1952)],
    },
    AuthorSeed {
        name: "Nobody Yet",
        books: &[],
    },
    AuthorSeed {
        name: "Ursula K. Le Guin",
        books: &[
            ("The Left Hand of Darkness", 1969),
            ("The Lathe of Heaven", 1971),
            ("The Dispossessed", 1974),
            ("Always Coming Home", 1985),
        ],
    },
];

/// A statement from `statements` that holds `value` as text, if any: a
/// value written into SQL instead of bound as a parameter.
pub fn inlined<'s>(statements: &'s [String], value: &str) -> Option<&'s String> {
    statements.iter().find(|s| s.contains(value))
}

/// The schema as SQLite reports it: tables in creation order, their columns,
/// keys, foreign keys and indexes. Independent of how the DDL is spelled.
///
/// It ends with a line that counts the tables. A snapshot diff shows each
/// line with its newline, and the last line has none: without that closing
/// line, a schema cut short would end on a line like `column name TEXT NOT
/// NULL` that the diff shows as removed and added, with the same text.
pub fn describe_schema(engine: &Engine) -> String {
    let mut out = String::new();
    let tables = rows(
        engine,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid",
    );
    for table in tables.iter().map(|r| &r[0]) {
        out.push_str(&format!("table {table}\n"));
        let columns = "SELECT name, type, \"notnull\", pk, (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) \
                       FROM pragma_table_info(?1) ORDER BY cid";
        for c in rows_with(engine, columns, [table]) {
            let pk = match (c[3].as_str(), c[4].as_str()) {
                ("0", _) => String::new(),
                (_, "1") => " PRIMARY KEY".to_owned(),
                (part, _) => format!(" PRIMARY KEY part {part}"),
            };
            let not_null = if c[2] != "0" { " NOT NULL" } else { "" };
            out.push_str(&format!("  column {} {}{pk}{not_null}\n", c[0], c[1]));
        }
        let fks = "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY \"from\"";
        for fk in rows_with(engine, fks, [table]) {
            out.push_str(&format!(
                "  foreign key {} -> {}({}) on delete {}\n",
                fk[0], fk[1], fk[2], fk[3]
            ));
        }
        // origin: c = CREATE INDEX, u = UNIQUE, pk = a composite primary key.
        let indexes = "SELECT name, origin FROM pragma_index_list(?1) ORDER BY origin, name";
        let mut lines = Vec::new();
        for index in rows_with(engine, indexes, [table]) {
            let index_columns = "SELECT name FROM pragma_index_info(?1) ORDER BY seqno";
            let cols: Vec<String> = rows_with(engine, index_columns, [&index[0]])
                .into_iter()
                .map(|r| r[0].clone())
                .collect();
            let kind = match index[1].as_str() {
                "c" => "index",
                "u" => "unique",
                _ => continue, // the primary key, shown on its columns
            };
            lines.push(format!("  {kind} on ({})\n", cols.join(", ")));
        }
        lines.sort();
        out.extend(lines);
    }
    let plural = if tables.len() == 1 { "" } else { "s" };
    out.push_str(&format!("end of schema: {} table{plural}", tables.len()));
    out
}

/// A database file in the system's temporary folder, removed when dropped:
/// for what needs a second connection to the same database.
pub struct TempDb {
    path: PathBuf,
}

impl TempDb {
    /// A new, empty database file's path.
    pub fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("models-kata-{}-{n}.db", std::process::id()));
        let db = TempDb { path };
        db.remove();
        db
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new connection to the file, configured as the harness's [`engine`].
    pub fn engine(&self) -> Engine {
        let engine = Engine::open(&self.path).expect("open the database file");
        engine
            .connection()
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA reverse_unordered_selects = ON;")
            .expect("pragmas");
        engine
    }

    fn remove(&self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Defines an rstest test run once per value of the hostile corpus: names
/// and titles that break naive code. Each case is named, so a failure says
/// which value broke.
///
/// `hostile_cases! { fn name(value: &str) { body } }`
macro_rules! hostile_cases {
    (fn $name:ident($value:ident: &str) $body:block) => {
        #[rstest::rstest]
        #[case::single_quote("O'Brien")]
        #[case::double_quotes("The \"Best\" Book")]
        #[case::both_quotes(r#"It's "fine""#)]
        #[case::drop_table("'; DROP TABLE books; --")]
        #[case::drop_table_in_parens("Robert'); DROP TABLE authors;--")]
        #[case::percent("100% Pure")]
        #[case::underscore("snake_case_title")]
        #[case::like_pattern("%_%")]
        #[case::backslash(r"C:\books\new")]
        #[case::newline("two\nlines")]
        #[case::tab_and_carriage_return("tab\there\r\nand more")]
        #[case::emoji("Rust 🦀 & Books 📚")]
        #[case::combining_marks("Cafe\u{301} Noir")]
        #[case::right_to_left("ספר עברי")]
        #[case::bidi_override("abc\u{202E}fed")]
        #[case::empty("")]
        #[case::whitespace_only("   ")]
        #[case::nul_byte("nul\0inside")]
        #[case::question_mark("Why? Because?")]
        #[case::named_parameter(":name @x $1 ?1")]
        #[case::sql_comment("/* not a comment */ -- nor this")]
        #[case::the_word_null("NULL")]
        #[case::a_number("1999")]
        #[case::semicolons(";;;")]
        #[case::long_10k(&"long title ".repeat(1000)[..])]
        #[case::trailing_space("trailing ")]
        fn $name(#[case] $value: &str) $body
    };
}
pub(crate) use hostile_cases;

/// The schema is intact: the lesson's two tables, and nothing else, are
/// still there after `by` (`"seed() in exercises/step3_seed.rs"`) stored or
/// read `value`.
#[track_caller]
pub fn assert_schema_intact(engine: &Engine, value: &str, by: &str) {
    let tables = rows(
        engine,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
    );
    assert_eq!(
        tables,
        [["authors"], ["books"]],
        "{by}: the tables changed after it handled {value:?}: a value must reach SQLite as a \
         bound parameter, never as text in the SQL"
    );
}
