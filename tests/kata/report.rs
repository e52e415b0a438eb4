//! The whole report, as `cargo run` prints it: the lesson's Expected output.

use std::io::Write;
use std::sync::{Arc, Mutex};

use models_kata::orm::Engine;
use models_kata::report;

#[test]
fn report_matches_the_lesson() {
    let engine = Engine::in_memory().unwrap();
    let mut out = Vec::new();
    let problems = report::run(&engine, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        problems.is_empty(),
        "the report is not complete yet:\n{text}"
    );
    insta::assert_snapshot!("report", text);
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
    assert!(
        problems.is_empty(),
        "the report is not complete yet:\n{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
    };
    let after_2010 = at("--- Query: books after 2010 ---");
    let echoed = at("books.year > 2010");
    let first_result = at("Clean Architecture (2017) by Robert C. Martin");
    assert!(
        after_2010 < echoed && echoed < first_result,
        "the heading, then its SQL (with the value 2010 filled in), then the results:\n{text}"
    );
    assert!(at("--- Creating tables ---") < at("[sql] CREATE TABLE"));
    assert!(at("--- Inserting authors and books ---") < at("[sql] INSERT INTO authors"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("[sql] INSERT INTO books") && l.contains("'Clean Code', 2008"))
    );
}
