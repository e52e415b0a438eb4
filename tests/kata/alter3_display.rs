//! Alter 3 (locked): `Display` for the models, like the lesson's `__repr__`.
//! To unlock, delete the `#[ignore = "locked: alter-3 ..."]` lines.

use models_kata::kata::step1_models::{Author, Book};
use models_kata::orm::{Engine, select};
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::lesson;

#[rstest]
#[case::the_lesson(Some(1), "David Thomas", "Author(id=1, name='David Thomas')")]
#[case::not_flushed(None, "New", "Author(id=None, name='New')")]
#[case::a_single_quote(
    Some(4),
    "Flannery O'Connor",
    r#"Author(id=4, name="Flannery O'Connor")"#
)]
#[case::both_quotes(Some(5), r#"It's "Bob""#, r#"Author(id=5, name='It\'s "Bob"')"#)]
#[case::double_quotes_only(Some(6), r#"the "Gang""#, r#"Author(id=6, name='the "Gang"')"#)]
#[case::a_backslash(Some(7), r"C:\books", r"Author(id=7, name='C:\\books')")]
#[case::line_breaks(
    Some(8),
    "two\nlines\tand a tab",
    r"Author(id=8, name='two\nlines\tand a tab')"
)]
#[case::a_carriage_return(Some(10), "one\r\ntwo", r"Author(id=10, name='one\r\ntwo')")]
#[case::unicode(
    Some(9),
    "Gödel, Escher, Bach ✓",
    "Author(id=9, name='Gödel, Escher, Bach ✓')"
)]
#[ignore = "locked: alter-3 (display) — delete this line to unlock it"]
fn an_author_shows_its_id_and_name(
    #[case] id: Option<i64>,
    #[case] name: &str,
    #[case] expected: &str,
) {
    let author = Author {
        id,
        name: name.into(),
    };
    assert_eq!(
        author.to_string(),
        expected,
        "Display for Author in exercises/alter3_display.rs"
    );
}

#[rstest]
#[case::the_lesson(
    Some(1),
    "The Pragmatic Programmer",
    1999,
    "Book(id=1, title='The Pragmatic Programmer', year=1999)"
)]
#[case::not_flushed(None, "Draft", 2026, "Book(id=None, title='Draft', year=2026)")]
#[case::a_single_quote(
    Some(2),
    "If on a winter's night a traveler",
    1979,
    r#"Book(id=2, title="If on a winter's night a traveler", year=1979)"#
)]
#[case::a_negative_year(Some(3), "The Iliad", -750, "Book(id=3, title='The Iliad', year=-750)")]
#[ignore = "locked: alter-3 (display) — delete this line to unlock it"]
fn a_book_shows_its_id_title_and_year(
    #[case] id: Option<i64>,
    #[case] title: &str,
    #[case] year: i64,
    #[case] expected: &str,
) {
    let book = Book {
        id,
        title: title.into(),
        year,
        author_id: 1,
    };
    assert_eq!(
        book.to_string(),
        expected,
        "Display for Book in exercises/alter3_display.rs"
    );
}

#[rstest]
#[ignore = "locked: alter-3 (display) — delete this line to unlock it"]
fn the_lesson_rows_displayed(lesson: Engine) {
    let mut session = lesson.session();
    let mut out = String::new();
    for author in session
        .all(&select::<Author>().order_by(Author::ID.asc()))
        .unwrap()
    {
        out.push_str(&format!("{author}\n"));
    }
    for book in session
        .all(&select::<Book>().order_by(Book::ID.asc()))
        .unwrap()
    {
        out.push_str(&format!("{book}\n"));
    }
    assert_answer_key!("alter3_display", out);
}
