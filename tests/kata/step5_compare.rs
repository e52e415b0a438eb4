//! Step 5: the same titles through the ORM and through raw SQL.

use models_kata::kata::step5_compare::{titles_after_orm, titles_after_raw};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{OrFail, assert_rows, inlined, lesson, no_panic, other, unreadable, variety};

const FILE: &str = "exercises/step5_compare.rs";

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
    assert_rows(
        &titles_after_orm(&mut lesson.session(), year).or_fail("titles_after_orm()", FILE),
        expected,
        &format!(
            "titles_after_orm({year}) in {FILE}: the titles after {year} (strictly), in id order"
        ),
    );
}

#[rstest]
#[case::after_2010(2010, &["Clean Architecture", "The Clean Coder", "Fluent Python", "Fluent Python 2nd Ed"])]
#[case::a_book_from_that_year_is_not_after_it(2011, &["Clean Architecture", "Fluent Python", "Fluent Python 2nd Ed"])]
#[case::nothing_after_the_last_book(2022, &[])]
#[case::everything(1998, ALL)]
fn raw_titles_after_a_year(lesson: Engine, #[case] year: i64, #[case] expected: &[&str]) {
    assert_rows(
        &titles_after_raw(lesson.connection(), year).or_fail("titles_after_raw()", FILE),
        expected,
        &format!(
            "titles_after_raw({year}) in {FILE}: the titles after {year} (strictly), in id order"
        ),
    );
}

#[rstest]
fn raw_sql_binds_the_year(lesson: Engine) {
    let log = lesson.record();
    let titles = titles_after_raw(lesson.connection(), 1987).or_fail("titles_after_raw()", FILE);
    let statements = log.statements();
    assert_eq!(
        inlined(&statements, "1987"),
        None,
        "titles_after_raw() in {FILE}: pass the year as a parameter (`?1`), not with format!: the \
         SQL that ran was\n{}",
        statements.join("\n")
    );
    assert_rows(
        &titles,
        ALL,
        &format!("titles_after_raw(1987) in {FILE}: every title, in id order"),
    );
}

/// Two books called "Same Title", ids interleaved across authors.
#[rstest]
fn repeated_titles_are_all_listed_both_ways(variety: Engine) {
    let expected = [
        "Same Title",
        "Same Title",
        "Bo Two",
        "Ann Five",
        "Ann Seven",
        "Ann Five Again",
    ];
    assert_rows(
        &titles_after_orm(&mut variety.session(), 2000).or_fail("titles_after_orm()", FILE),
        &expected,
        &format!(
            "titles_after_orm(2000) in {FILE}: one title per book, repeats included, in book id order"
        ),
    );
    assert_rows(
        &titles_after_raw(variety.connection(), 2000).or_fail("titles_after_raw()", FILE),
        &expected,
        &format!(
            "titles_after_raw(2000) in {FILE}: one title per book, repeats included (no DISTINCT), in book id order"
        ),
    );
}

/// Through the ORM means through the session: its queries first send what
/// the session holds unsent (autoflush), so a book just added is found.
#[rstest]
fn the_orm_version_goes_through_the_session(lesson: Engine) {
    use models_kata::kata::step1_models::Book;
    let mut session = lesson.session();
    session.add(Book::new("Added in this session", 2030, 1));
    let titles = titles_after_orm(&mut session, 2022).or_fail("titles_after_orm()", FILE);
    assert_eq!(
        titles,
        ["Added in this session"],
        "titles_after_orm() in {FILE}: a book added to the session and not yet flushed must be \
         found: run the query through the session (`session.all(&query)`), which flushes first; \
         raw SQL on `session.connection()` does not"
    );
}

/// Book 8's title is not valid UTF-8 (`support::unreadable`).
#[rstest]
fn an_unreadable_title_is_an_error_not_a_missing_row(unreadable: Engine) {
    let raw = no_panic(&format!("titles_after_raw() in {FILE}"), || {
        titles_after_raw(unreadable.connection(), 2022)
    });
    assert!(
        raw.is_err(),
        "titles_after_raw() in {FILE}: book 8's title is not valid UTF-8, so reading it must fail \
         with the error (`?` or `collect::<Result<..>>()`), not skip the row; it returned {raw:?}"
    );
    let orm = titles_after_orm(&mut unreadable.session(), 2022);
    assert!(
        orm.is_err(),
        "titles_after_orm() in {FILE}: book 8's title is not valid UTF-8, so reading it must fail \
         with the error, not skip the row; it returned {orm:?}"
    );
}

#[rstest]
#[case(1960)]
#[case(1971)]
#[case(1979)]
fn orm_and_raw_agree_in_id_order(other: Engine, #[case] year: i64) {
    let orm = titles_after_orm(&mut other.session(), year).or_fail("titles_after_orm()", FILE);
    let raw = titles_after_raw(other.connection(), year).or_fail("titles_after_raw()", FILE);
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
    assert_rows(
        &orm,
        &expected,
        &format!("titles_after_orm({year}) in {FILE}: the titles after {year}, in book id order"),
    );
    assert_rows(
        &raw,
        &expected,
        &format!("titles_after_raw({year}) in {FILE}: the titles after {year}, in book id order"),
    );
}

crate::support::hostile_cases! {
    fn hostile_titles_come_back_exactly_both_ways(value: &str) {
        let engine = crate::support::lesson();
        engine
            .connection()
            .execute("INSERT INTO books (title, year, author_id) VALUES (?1, 2030, 1)", [value])
            .unwrap();
        let raw = titles_after_raw(engine.connection(), 2022).or_fail("titles_after_raw()", FILE);
        let orm = titles_after_orm(&mut engine.session(), 2022).or_fail("titles_after_orm()", FILE);
        assert_eq!(raw, [value], "titles_after_raw(2022) in {FILE}: the title, exactly");
        assert_eq!(orm, [value], "titles_after_orm(2022) in {FILE}: the title, exactly");
        crate::support::assert_schema_intact(&engine, value, &format!("titles_after_raw() and titles_after_orm() in {FILE}"));
    }
}
