//! Step 5: the same titles through the ORM and through raw SQL.

use models_kata::kata::step5_compare::{titles_after_orm, titles_after_raw};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{inlined, lesson, other};

const ALL: &[&str] = &[
    "The Pragmatic Programmer",
    "Programming Pearls",
    "Clean Code",
    "Clean Architecture",
    "The Clean Coder",
    "Fluent Python",
    "Fluent Python 2nd Ed",
];

#[rstest]
#[case::after_2010(2010, &["Clean Architecture", "The Clean Coder", "Fluent Python", "Fluent Python 2nd Ed"])]
#[case::a_book_from_that_year_is_not_after_it(2011, &["Clean Architecture", "Fluent Python", "Fluent Python 2nd Ed"])]
#[case::nothing_after_the_last_book(2022, &[])]
#[case::everything(1998, ALL)]
fn orm_titles_after_a_year(lesson: Engine, #[case] year: i64, #[case] expected: &[&str]) {
    assert_eq!(
        titles_after_orm(&mut lesson.session(), year).unwrap(),
        expected
    );
}

#[rstest]
#[case::after_2010(2010, &["Clean Architecture", "The Clean Coder", "Fluent Python", "Fluent Python 2nd Ed"])]
#[case::a_book_from_that_year_is_not_after_it(2011, &["Clean Architecture", "Fluent Python", "Fluent Python 2nd Ed"])]
#[case::nothing_after_the_last_book(2022, &[])]
#[case::everything(1998, ALL)]
fn raw_titles_after_a_year(lesson: Engine, #[case] year: i64, #[case] expected: &[&str]) {
    assert_eq!(
        titles_after_raw(lesson.connection(), year).unwrap(),
        expected
    );
}

#[rstest]
fn raw_sql_binds_the_year(lesson: Engine) {
    let log = lesson.record();
    let titles = titles_after_raw(lesson.connection(), 1987).unwrap();
    assert_eq!(titles, ALL);
    let statements = log.statements();
    assert_eq!(
        inlined(&statements, "1987"),
        None,
        "pass the year as a parameter (`?1`), not with format!: the SQL ran was\n{}",
        statements.join("\n")
    );
}

#[rstest]
#[case(1960)]
#[case(1971)]
#[case(1979)]
fn orm_and_raw_agree_in_id_order(other: Engine, #[case] year: i64) {
    let orm = titles_after_orm(&mut other.session(), year).unwrap();
    let raw = titles_after_raw(other.connection(), year).unwrap();
    let expected: Vec<&str> = [
        ("Wise Blood", 1952),
        ("A Good Man Is Hard to Find", 1955),
        ("The Left Hand of Darkness", 1969),
        ("Invisible Cities", 1972),
        ("The Dispossessed", 1974),
        ("The Lathe of Heaven", 1971),
        ("If on a winter's night a traveler", 1979),
    ]
    .into_iter()
    .filter(|&(_, y)| y > year)
    .map(|(t, _)| t)
    .collect();
    assert_eq!(orm, expected, "through the ORM, in book id order");
    assert_eq!(raw, expected, "through raw SQL, in book id order");
}

crate::support::hostile_cases! {
    fn hostile_titles_come_back_exactly_both_ways(value: &str) {
        let engine = crate::support::lesson();
        engine
            .connection()
            .execute("INSERT INTO books (title, year, author_id) VALUES (?1, 2030, 1)", [value])
            .unwrap();
        let raw = titles_after_raw(engine.connection(), 2022).unwrap();
        let orm = titles_after_orm(&mut engine.session(), 2022).unwrap();
        assert_eq!(raw, [value], "raw SQL");
        assert_eq!(orm, [value], "through the ORM");
        crate::support::assert_schema_intact(&engine, value);
    }
}
