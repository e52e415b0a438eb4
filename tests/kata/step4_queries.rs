//! Step 4: the lesson's three queries, on the lesson's library and another.

use models_kata::kata::step1_models::{Author, Book};
use models_kata::kata::step4_queries::{
    authors_with_books, authors_with_books_lazy, authors_with_more_books_than, books_after,
};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{
    OrFail, assert_rows, descending, inlined, lesson, many_authors, other, variety,
};

const FILE: &str = "exercises/step4_queries.rs";

/// `(author id, [book ids])` of a listing: what the order tests compare.
fn shape(listing: &[(Author, Vec<Book>)]) -> Vec<(i64, Vec<i64>)> {
    listing
        .iter()
        .map(|(a, books)| {
            (
                a.id.unwrap_or_default(),
                books.iter().map(|b| b.id.unwrap_or_default()).collect(),
            )
        })
        .collect()
}

/// The listing of [`crate::support::VARIETY_ROWS`]: two authors named Ann
/// Lee, each with their own books.
fn variety_listing() -> Vec<(Author, Vec<Book>)> {
    vec![
        (
            author(3, "Bo Chen"),
            vec![book(32, "Bo One", 1999, 3), book(34, "Bo Two", 2010, 3)],
        ),
        (
            author(5, "Ann Lee"),
            vec![
                book(31, "Same Title", 2001, 5),
                book(35, "Ann Five", 2003, 5),
                book(37, "Ann Five Again", 2002, 5),
            ],
        ),
        (
            author(7, "Ann Lee"),
            vec![
                book(33, "Same Title", 2005, 7),
                book(36, "Ann Seven", 2008, 7),
            ],
        ),
        (author(9, "Cy Moss"), vec![]),
    ]
}

/// Asserts a listing: first the authors, then each author's books, so that
/// a failure says which part is wrong.
#[track_caller]
fn assert_listing(found: &[(Author, Vec<Book>)], expected: &[(Author, Vec<Book>)], promise: &str) {
    let authors = |l: &[(Author, Vec<Book>)]| l.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>();
    assert_rows(
        &authors(found),
        &authors(expected),
        &format!("{promise}\n(the authors)"),
    );
    for ((a, found), (_, expected)) in found.iter().zip(expected) {
        assert_rows(found, expected, &format!("{promise}\n(the books of {a:?})"));
    }
}

fn author(id: i64, name: &str) -> Author {
    Author {
        id: Some(id),
        name: name.into(),
    }
}

fn book(id: i64, title: &str, year: i64, author_id: i64) -> Book {
    Book {
        id: Some(id),
        title: title.into(),
        year,
        author_id,
    }
}

#[rstest]
fn lists_every_author_with_their_books(lesson: Engine) {
    let listing = authors_with_books(&mut lesson.session()).or_fail("authors_with_books()", FILE);
    assert_listing(
        &listing,
        &[
            (
                author(1, "David Thomas"),
                vec![
                    book(1, "The Pragmatic Programmer", 1999, 1),
                    book(2, "Programming Pearls", 2000, 1),
                ],
            ),
            (
                author(2, "Robert C. Martin"),
                vec![
                    book(3, "Clean Code", 2008, 2),
                    book(4, "Clean Architecture", 2017, 2),
                    book(5, "The Clean Coder", 2011, 2),
                ],
            ),
            (
                author(3, "Luciano Ramalho"),
                vec![
                    book(6, "Fluent Python", 2015, 3),
                    book(7, "Fluent Python 2nd Ed", 2022, 3),
                ],
            ),
        ],
        &format!(
            "authors_with_books() in {FILE}: every author with their books, authors in id order, \
             each author's books in id order (not by title or year)"
        ),
    );
}

#[rstest]
fn lists_authors_in_id_order_including_those_without_books(other: Engine) {
    let listing = authors_with_books(&mut other.session()).or_fail("authors_with_books()", FILE);
    assert_listing(
        &listing,
        &[
            (
                author(10, "Flannery O'Connor"),
                vec![
                    book(101, "Wise Blood", 1952, 10),
                    book(102, "A Good Man Is Hard to Find", 1955, 10),
                ],
            ),
            (author(20, "Nobody Yet"), vec![]),
            (
                author(30, "Ursula K. Le Guin"),
                vec![
                    book(103, "The Left Hand of Darkness", 1969, 30),
                    book(105, "The Dispossessed", 1974, 30),
                    book(106, "The Lathe of Heaven", 1971, 30),
                ],
            ),
            (
                author(40, "Italo Calvino"),
                vec![
                    book(104, "Invisible Cities", 1972, 40),
                    book(107, "If on a winter's night a traveler", 1979, 40),
                ],
            ),
        ],
        &format!(
            "authors_with_books() in {FILE}: every author in id order, \"Nobody Yet\" (no books) included"
        ),
    );
}

#[rstest]
fn authors_with_the_same_name_keep_their_own_books(variety: Engine) {
    let listing = authors_with_books(&mut variety.session()).or_fail("authors_with_books()", FILE);
    assert_listing(
        &listing,
        &variety_listing(),
        &format!(
            "authors_with_books() in {FILE}: two authors are both called \"Ann Lee\"; each keeps \
             their own books (match books to authors by id, not by name)"
        ),
    );
}

#[rstest]
#[case::three_authors(3)]
#[case::a_thousand_authors(1000)]
fn listing_takes_two_selects_however_many_authors(#[case] authors: usize) {
    let engine = many_authors(authors, 2);
    let log = engine.record();
    let listing = authors_with_books(&mut engine.session()).or_fail("authors_with_books()", FILE);
    assert_eq!(
        listing.len(),
        authors,
        "authors_with_books() in {FILE}: every author"
    );
    assert!(
        listing.iter().all(|(_, books)| books.len() == 2),
        "authors_with_books() in {FILE}: every author has two books"
    );
    let selects = log.selects();
    assert_eq!(
        selects.len(),
        2,
        "authors_with_books() in {FILE}: load the authors, then all their books in one statement (eager loading), \
         not one query per author (the N+1 problem). {} SELECTs ran, the first ones:\n{}",
        selects.len(),
        selects
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[rstest]
#[case::three_authors(3)]
#[case::fifty_authors(50)]
fn the_lazy_listing_takes_one_plus_n_selects(#[case] authors: usize) {
    let engine = many_authors(authors, 2);
    let log = engine.record();
    let lazy =
        authors_with_books_lazy(&mut engine.session()).or_fail("authors_with_books_lazy()", FILE);
    let expected: Vec<(i64, Vec<i64>)> = (1..=authors as i64)
        .map(|a| (a, vec![2 * a - 1, 2 * a]))
        .collect();
    assert_rows(
        &shape(&lazy),
        &expected,
        &format!(
            "authors_with_books_lazy() in {FILE}: every author (id order) with their two books \
             (id order)"
        ),
    );
    let selects = log.selects();
    assert_eq!(
        selects.len(),
        1 + authors,
        "authors_with_books_lazy() in {FILE}: one SELECT for the authors, then one per author \
         (session.children): that is the point of this one. {} SELECTs ran",
        selects.len()
    );
}

#[rstest]
fn the_lazy_listing_keeps_the_order(other: Engine) {
    let lazy =
        authors_with_books_lazy(&mut other.session()).or_fail("authors_with_books_lazy()", FILE);
    assert_rows(
        &shape(&lazy),
        &[
            (10, vec![101, 102]),
            (20, vec![]),
            (30, vec![103, 105, 106]),
            (40, vec![104, 107]),
        ],
        &format!(
            "authors_with_books_lazy() in {FILE}: authors in id order, \"Nobody Yet\" (20, no \
             books) included, each author's books in id order"
        ),
    );
}

#[rstest]
fn the_lazy_listing_keeps_authors_with_the_same_name_apart(variety: Engine) {
    let lazy =
        authors_with_books_lazy(&mut variety.session()).or_fail("authors_with_books_lazy()", FILE);
    assert_listing(
        &lazy,
        &variety_listing(),
        &format!(
            "authors_with_books_lazy() in {FILE}: two authors are both called \"Ann Lee\"; each \
             keeps their own books"
        ),
    );
}

#[rstest]
#[case::after_2010(2010, &[
    (4, "Clean Architecture", 2017, "Robert C. Martin"),
    (5, "The Clean Coder", 2011, "Robert C. Martin"),
    (6, "Fluent Python", 2015, "Luciano Ramalho"),
    (7, "Fluent Python 2nd Ed", 2022, "Luciano Ramalho"),
])]
#[case::a_book_from_that_year_is_not_after_it(2011, &[
    (4, "Clean Architecture", 2017, "Robert C. Martin"),
    (6, "Fluent Python", 2015, "Luciano Ramalho"),
    (7, "Fluent Python 2nd Ed", 2022, "Luciano Ramalho"),
])]
#[case::after_2016(2016, &[
    (4, "Clean Architecture", 2017, "Robert C. Martin"),
    (7, "Fluent Python 2nd Ed", 2022, "Luciano Ramalho"),
])]
#[case::nothing_after_the_last_book(2022, &[])]
#[case::everything_after_1998(1998, &[
    (1, "The Pragmatic Programmer", 1999, "David Thomas"),
    (2, "Programming Pearls", 2000, "David Thomas"),
    (3, "Clean Code", 2008, "Robert C. Martin"),
    (4, "Clean Architecture", 2017, "Robert C. Martin"),
    (5, "The Clean Coder", 2011, "Robert C. Martin"),
    (6, "Fluent Python", 2015, "Luciano Ramalho"),
    (7, "Fluent Python 2nd Ed", 2022, "Luciano Ramalho"),
])]
fn books_after_a_year_with_their_authors(
    lesson: Engine,
    #[case] year: i64,
    #[case] expected: &[(i64, &str, i64, &str)],
) {
    let found = books_after(&mut lesson.session(), year).or_fail("books_after()", FILE);
    let found: Vec<(i64, String, i64, String)> = found
        .into_iter()
        .map(|(b, name)| (b.id.unwrap_or_default(), b.title, b.year, name))
        .collect();
    let expected: Vec<(i64, String, i64, String)> = expected
        .iter()
        .map(|&(id, title, y, name)| (id, title.into(), y, name.into()))
        .collect();
    assert_rows(
        &found,
        &expected,
        &format!(
            "books_after({year}) in {FILE}: the books published after {year} (strictly), in book id order"
        ),
    );
}

/// Book ids interleave across authors, two books share a title, two
/// authors share a name: id order is not author order, title order or year
/// order, and every row counts.
#[rstest]
#[case::after_2000(2000, &[
    (31, "Same Title", "Ann Lee"),
    (33, "Same Title", "Ann Lee"),
    (34, "Bo Two", "Bo Chen"),
    (35, "Ann Five", "Ann Lee"),
    (36, "Ann Seven", "Ann Lee"),
    (37, "Ann Five Again", "Ann Lee"),
])]
#[case::after_2004(2004, &[
    (33, "Same Title", "Ann Lee"),
    (34, "Bo Two", "Bo Chen"),
    (36, "Ann Seven", "Ann Lee"),
])]
fn books_after_keeps_book_id_order_and_every_row(
    variety: Engine,
    #[case] year: i64,
    #[case] expected: &[(i64, &str, &str)],
) {
    let found = books_after(&mut variety.session(), year).or_fail("books_after()", FILE);
    let found: Vec<(i64, &str, &str)> = found
        .iter()
        .map(|(b, name)| (b.id.unwrap_or_default(), b.title.as_str(), name.as_str()))
        .collect();
    assert_rows(
        &found,
        expected,
        &format!(
            "books_after({year}) in {FILE}: every book after {year}, two with the same title \
             included, in book id order (not grouped by author, not by year)"
        ),
    );
}

#[rstest]
fn books_after_is_one_statement_with_the_year_bound(other: Engine) {
    let log = other.record();
    let found = books_after(&mut other.session(), 1973).or_fail("books_after()", FILE);
    let titles: Vec<(&str, &str)> = found
        .iter()
        .map(|(b, a)| (b.title.as_str(), a.as_str()))
        .collect();
    assert_rows(
        &titles,
        &[
            ("The Dispossessed", "Ursula K. Le Guin"),
            ("If on a winter's night a traveler", "Italo Calvino"),
        ],
        &format!("books_after(1973) in {FILE}: the two books after 1973 with their authors"),
    );
    let selects = log.selects();
    assert_eq!(
        selects.len(),
        1,
        "books_after() in {FILE}: one SELECT with a JOIN, not one per book:\n{}",
        selects.join("\n")
    );
    assert_eq!(
        inlined(&selects, "1973"),
        None,
        "books_after() in {FILE}: the year must be a bound parameter, not text in the SQL"
    );
}

#[rstest]
#[case::more_than_2(2, &[("Robert C. Martin", 3)])]
#[case::more_than_1(1, &[("David Thomas", 2), ("Robert C. Martin", 3), ("Luciano Ramalho", 2)])]
#[case::more_than_0(0, &[("David Thomas", 2), ("Robert C. Martin", 3), ("Luciano Ramalho", 2)])]
#[case::nobody_has_more_than_3(3, &[])]
fn authors_with_more_than_n_books(
    lesson: Engine,
    #[case] n: i64,
    #[case] expected: &[(&str, i64)],
) {
    let found = authors_with_more_books_than(&mut lesson.session(), n)
        .or_fail("authors_with_more_books_than()", FILE);
    let expected: Vec<(String, i64)> = expected.iter().map(|&(a, c)| (a.into(), c)).collect();
    assert_rows(
        &found,
        &expected,
        &format!(
            "authors_with_more_books_than({n}) in {FILE}: the authors with more than {n} books \
             (strictly), in author id order"
        ),
    );
}

/// Two authors called "Ann Lee" (ids 5 and 7, with 3 and 2 books), in a
/// schema whose descending indexes make a GROUP BY without ORDER BY come
/// back highest id first (see `support::SCHEMA_DESCENDING`): counted apart,
/// in author id order, in both schemas.
#[rstest]
#[case::more_than_1(1, &[("Bo Chen", 2), ("Ann Lee", 3), ("Ann Lee", 2)])]
#[case::more_than_2(2, &[("Ann Lee", 3)])]
#[case::more_than_3(3, &[])]
fn authors_with_more_books_counts_each_author_in_id_order(
    #[values(variety(), descending())] engine: Engine,
    #[case] n: i64,
    #[case] expected: &[(&str, i64)],
) {
    let found = authors_with_more_books_than(&mut engine.session(), n)
        .or_fail("authors_with_more_books_than()", FILE);
    let found: Vec<(&str, i64)> = found.iter().map(|(a, c)| (a.as_str(), *c)).collect();
    assert_rows(
        &found,
        expected,
        &format!(
            "authors_with_more_books_than({n}) in {FILE}: each author counted on their own (two \
             are called \"Ann Lee\": group by the author's id, not the name), in author id order (Bo \
             Chen is 3, the Ann Lee with 3 books is 5, the other 7)"
        ),
    );
}

#[rstest]
#[case::more_than_0(0, &[("Flannery O'Connor", 2), ("Ursula K. Le Guin", 3), ("Italo Calvino", 2)])]
#[case::more_than_2(2, &[("Ursula K. Le Guin", 3)])]
fn authors_without_books_never_count(
    other: Engine,
    #[case] n: i64,
    #[case] expected: &[(&str, i64)],
) {
    let found = authors_with_more_books_than(&mut other.session(), n)
        .or_fail("authors_with_more_books_than()", FILE);
    let expected: Vec<(String, i64)> = expected.iter().map(|&(a, c)| (a.into(), c)).collect();
    assert_rows(
        &found,
        &expected,
        &format!(
            "authors_with_more_books_than({n}) in {FILE}: \"Nobody Yet\" has no books, so is never \
             counted"
        ),
    );
}

#[rstest]
fn authors_with_more_books_binds_n(lesson: Engine) {
    let log = lesson.record();
    let found = authors_with_more_books_than(&mut lesson.session(), 98765)
        .or_fail("authors_with_more_books_than()", FILE);
    assert_eq!(
        found,
        [],
        "authors_with_more_books_than(98765) in {FILE}: nobody"
    );
    assert_eq!(
        inlined(&log.statements(), "98765"),
        None,
        "authors_with_more_books_than() in {FILE}: n must be a bound parameter"
    );
}

/// The lesson's library plus a hostile author with two books, one on each
/// side of the year: the queries must find exactly the right one, intact.
fn with_hostile(value: &str) -> Engine {
    let engine = crate::support::lesson();
    let conn = engine.connection();
    conn.execute("INSERT INTO authors (id, name) VALUES (4, ?1)", [value])
        .unwrap();
    conn.execute(
        "INSERT INTO books (id, title, year, author_id) VALUES (8, ?1, 1990, 4)",
        [value],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO books (id, title, year, author_id) VALUES (9, ?1, 2030, 4)",
        [value],
    )
    .unwrap();
    engine
}

crate::support::hostile_cases! {
    fn queries_filter_correctly_around_hostile_values(value: &str) {
        // Said with every failure: a wrong filter or order fails all 26 cases
        // at once, and should not look like a quoting bug.
        let checks = |function: &str| {
            format!(
                "This test checks that the year filter and the order are right when names and \
                 titles are hostile values (quotes, SQL, %, NUL...; the case's name says which). \
                 If the plain `{function}` tests fail too, fix those first: this one fails with \
                 them, for the same cause, not for the value."
            )
        };
        let engine = with_hostile(value);
        let mut session = engine.session();
        let after = books_after(&mut session, 2022).or_fail("books_after()", FILE);
        let after: Vec<(Option<i64>, &str, &str)> =
            after.iter().map(|(b, a)| (b.id, b.title.as_str(), a.as_str())).collect();
        assert_eq!(
            after,
            [(Some(9), value, value)],
            "books_after(2022) in {FILE}: only book 9 (2030) is after 2022, strictly: not the \
             lesson's 2022 book, not book 8 (1990). {}",
            checks("books_after")
        );
        let listing = authors_with_books(&mut session).or_fail("authors_with_books()", FILE);
        let last = listing.last().unwrap_or_else(|| {
            panic!(
                "authors_with_books() in {FILE}: four authors, but the listing is empty. {}",
                checks("authors_with_books")
            )
        });
        assert_eq!(
            last.0.name, value,
            "authors_with_books() in {FILE}: the last author in id order is the hostile one, \
             author 4, with their name exactly. {}",
            checks("authors_with_books")
        );
        assert_eq!(
            last.1.iter().map(|b| b.title.as_str()).collect::<Vec<_>>(),
            [value, value],
            "authors_with_books() in {FILE}: the last author's two books, titles exactly. {}",
            checks("authors_with_books")
        );
        let prolific = authors_with_more_books_than(&mut session, 2).or_fail("authors_with_more_books_than()", FILE);
        assert_eq!(
            prolific,
            [("Robert C. Martin".to_string(), 3)],
            "authors_with_more_books_than(2) in {FILE}: only Robert C. Martin has more than 2 \
             books (the hostile author has 2). {}",
            checks("authors_with_more_books_than")
        );
        crate::support::assert_schema_intact(&engine, value, &format!("the queries in {FILE}"));
    }
}
