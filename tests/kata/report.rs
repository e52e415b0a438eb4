//! The whole report, as `cargo run` prints it: the lesson's Expected output.

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
