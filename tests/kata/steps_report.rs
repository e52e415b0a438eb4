//! The whole report, as `cargo run` prints it: the lesson's Expected output.
//! These tests need all five steps, so they come last (`steps_` sorts after
//! `step5_`), and while a step is unfinished they name it.

use std::io::Write;
use std::sync::{Arc, Mutex};

use models_kata::orm::Engine;
use models_kata::report::{self, Problem};

/// Why the report is not complete: the report so far, then the next step.
fn unfinished(problems: &[Problem], text: &str) -> String {
    let next = problems.first().map(|p| p.step.next_line());
    format!(
        "the report needs all five steps, done in order. The report so far:\n{text}\n{}",
        next.unwrap_or_default()
    )
}

#[test]
fn report_matches_the_lesson() {
    let engine = Engine::in_memory().unwrap();
    let mut out = Vec::new();
    let problems = report::run(&engine, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(problems.is_empty(), "{}", unfinished(&problems, &text));
    assert_answer_key!("report", text);
}

/// A writer that several owners share: the report and the engine's echo
/// write into the same text, as they do on stdout.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn echo_shows_each_sections_sql_after_its_heading() {
    let engine = Engine::in_memory().unwrap();
    let mut out = Shared::default();
    engine.echo_to(Some(Box::new(out.clone())));
    let problems = report::run(&engine, &mut out).unwrap();
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    assert!(problems.is_empty(), "{}", unfinished(&problems, &text));
    let lines: Vec<&str> = text.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
    };
    let after_2010 = at("--- Query: books after 2010 ---");
    let echoed = at("books.year > ?");
    let first_result = at("Clean Architecture (2017) by Robert C. Martin");
    assert!(
        after_2010 < echoed && echoed < first_result,
        "`cargo run -- --echo`: books_after() in exercises/step4_queries.rs runs its SQL after \
         the heading and before its results are printed:\n{text}"
    );
    assert_eq!(
        lines[echoed + 1],
        "[sql] (2010,)",
        "`cargo run -- --echo`: books_after() in exercises/step4_queries.rs binds the year: the \
         SQL keeps its placeholder, the bound value follows on its own line:\n{text}"
    );
    assert!(
        at("--- Creating tables ---") < at("[sql] CREATE TABLE"),
        "`cargo run -- --echo`: create_tables() in exercises/step2_create_tables.rs runs its \
         CREATE TABLE after the heading \"--- Creating tables ---\":\n{text}"
    );
    assert!(
        at("--- Inserting authors and books ---") < at("[sql] INSERT INTO authors"),
        "`cargo run -- --echo`: seed() in exercises/step3_seed.rs runs its INSERTs after the \
         heading \"--- Inserting authors and books ---\":\n{text}"
    );
    assert!(
        lines
            .windows(2)
            .any(|w| w[0].starts_with("[sql] INSERT INTO books")
                && w[0].ends_with("VALUES (?, ?, ?)")
                && w[1].starts_with("[sql] ('Clean Code', 2008, ")),
        "`cargo run -- --echo`: seed() in exercises/step3_seed.rs inserts each book through the \
         session, values bound: its INSERT ends `VALUES (?, ?, ?)`, its values follow on their own \
         line:\n{text}"
    );
}

/// `cargo run -- --db PATH`: the lesson's database in a file, rebuilt from
/// scratch each time, sound and complete.
#[test]
fn the_database_file_holds_the_lesson_twice_over() {
    use models_kata::dbfile::{Written, write_lesson_db};
    let db = crate::support::TempDb::new();
    for run in 1..=2 {
        let mut out = Vec::new();
        let written = write_lesson_db(db.path(), &mut out).unwrap();
        if let Written::Unfinished(problems) = &written {
            panic!(
                "run {run}: {}",
                unfinished(problems, &String::from_utf8_lossy(&out))
            );
        }
        assert_eq!(
            written,
            Written::Complete,
            "`cargo run -- --db` (run {run}): the report is complete, so the file is written"
        );
        let engine = Engine::open(db.path()).unwrap();
        let one = |sql: &str| -> String {
            engine
                .connection()
                .query_row(sql, [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(
            one("PRAGMA integrity_check"),
            "ok",
            "`cargo run -- --db` (run {run}): the file passes SQLite's PRAGMA integrity_check"
        );
        let orphans: i64 = engine
            .connection()
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(
            orphans, 0,
            "`cargo run -- --db` (run {run}): no book points at a missing author (PRAGMA \
             foreign_key_check): seed() in exercises/step3_seed.rs gives each book its own \
             author's id"
        );
        assert_eq!(
            crate::support::number(&engine, "SELECT count(*) FROM authors"),
            3,
            "`cargo run -- --db` (run {run}): the lesson's 3 authors, once: the file is rebuilt \
             from scratch each run, then seed() in exercises/step3_seed.rs fills it"
        );
        assert_eq!(
            crate::support::number(&engine, "SELECT count(*) FROM books"),
            7,
            "`cargo run -- --db` (run {run}): the lesson's 7 books, once: the file is rebuilt \
             from scratch each run, then seed() in exercises/step3_seed.rs fills it"
        );
        let schema = crate::support::describe_schema(&engine);
        assert!(
            schema.contains("foreign key author_id -> authors(id)"),
            "`cargo run -- --db` (run {run}): books.author_id references authors(id) (Book::table() \
             in exercises/step1_models.rs, created by create_tables() in \
             exercises/step2_create_tables.rs); the file's schema:\n{schema}"
        );
        assert!(
            schema.contains("index on (author_id)"),
            "`cargo run -- --db` (run {run}): books.author_id has its index (create_tables() in \
             exercises/step2_create_tables.rs); the file's schema:\n{schema}"
        );
    }
}

/// Every value the lesson stores or asks about reaches SQLite as a bound
/// parameter: none of them appears in the text of any statement the whole
/// report runs.
#[test]
fn no_value_is_ever_written_into_sql() {
    use models_kata::lesson::{AFTER_YEAR, LIBRARY};
    let engine = Engine::in_memory().unwrap();
    let log = engine.record();
    let mut out = Vec::new();
    let problems = report::run(&engine, &mut out).unwrap();
    assert!(
        problems.is_empty(),
        "{}",
        unfinished(&problems, &String::from_utf8_lossy(&out))
    );
    let statements = log.statements();
    let mut values: Vec<String> = vec![AFTER_YEAR.to_string()];
    for author in LIBRARY {
        values.push(author.name.to_string());
        for (title, year) in author.books {
            values.push(title.to_string());
            values.push(year.to_string());
        }
    }
    for value in &values {
        if let Some(statement) = statements.iter().find(|s| s.contains(value.as_str())) {
            panic!("the value {value:?} is written into the SQL text of:\n  {statement}");
        }
    }
    assert!(
        statements.len() > 20,
        "`cargo run`: the report ran only {} statements, too few for this check to mean anything: \
         do the five steps run their SQL on the engine they are given?",
        statements.len()
    );
}
