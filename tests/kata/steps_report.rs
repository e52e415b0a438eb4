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
        "the heading, then its SQL, then the results:\n{text}"
    );
    assert_eq!(
        lines[echoed + 1],
        "[sql] (2010,)",
        "the SQL keeps its placeholder; the bound value follows on its own line:\n{text}"
    );
    assert!(at("--- Creating tables ---") < at("[sql] CREATE TABLE"));
    assert!(at("--- Inserting authors and books ---") < at("[sql] INSERT INTO authors"));
    assert!(
        lines
            .windows(2)
            .any(|w| w[0].starts_with("[sql] INSERT INTO books")
                && w[0].ends_with("VALUES (?, ?, ?)")
                && w[1].starts_with("[sql] ('Clean Code', 2008, ")),
        "each INSERT, then its values:\n{text}"
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
        assert_eq!(written, Written::Complete, "run {run}");
        let engine = Engine::open(db.path()).unwrap();
        let one = |sql: &str| -> String {
            engine
                .connection()
                .query_row(sql, [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(one("PRAGMA integrity_check"), "ok");
        let orphans: i64 = engine
            .connection()
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(orphans, 0, "PRAGMA foreign_key_check must be empty");
        assert_eq!(
            crate::support::number(&engine, "SELECT count(*) FROM authors"),
            3,
            "run {run}"
        );
        assert_eq!(
            crate::support::number(&engine, "SELECT count(*) FROM books"),
            7,
            "run {run}"
        );
        let schema = crate::support::describe_schema(&engine);
        assert!(
            schema.contains("foreign key author_id -> authors(id)"),
            "{schema}"
        );
        assert!(schema.contains("index on (author_id)"), "{schema}");
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
        "the report ran only {} statements",
        statements.len()
    );
}
