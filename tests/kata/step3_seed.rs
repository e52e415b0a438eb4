//! Step 3: seed() inserts a whole library through the session, in one
//! transaction, and reports what it inserted.

use models_kata::kata::step3_seed::{SeedCounts, seed};
use models_kata::lesson::{AuthorSeed, LIBRARY};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{OTHER_LIBRARY, rows, schema, strings};

const AUTHORS: &str = "SELECT id, name FROM authors ORDER BY id";
const BOOKS: &str = "SELECT books.id, title, year, name FROM books \
                     JOIN authors ON authors.id = books.author_id ORDER BY books.id";

#[rstest]
fn seeds_the_lesson_library(schema: Engine) {
    let counts = seed(&mut schema.session(), LIBRARY).unwrap();
    assert_eq!(
        counts,
        SeedCounts {
            authors: 3,
            books: 7
        }
    );
    assert_eq!(
        rows(&schema, AUTHORS),
        strings(&[
            ["1", "David Thomas"],
            ["2", "Robert C. Martin"],
            ["3", "Luciano Ramalho"]
        ]),
        "the authors, in the library's order"
    );
    assert_eq!(
        rows(&schema, BOOKS),
        strings(&[
            ["1", "The Pragmatic Programmer", "1999", "David Thomas"],
            ["2", "Programming Pearls", "2000", "David Thomas"],
            ["3", "Clean Code", "2008", "Robert C. Martin"],
            ["4", "Clean Architecture", "2017", "Robert C. Martin"],
            ["5", "The Clean Coder", "2011", "Robert C. Martin"],
            ["6", "Fluent Python", "2015", "Luciano Ramalho"],
            ["7", "Fluent Python 2nd Ed", "2022", "Luciano Ramalho"],
        ]),
        "each book, in the library's order, linked to its own author"
    );
}

#[rstest]
fn seeds_any_library(schema: Engine) {
    let counts = seed(&mut schema.session(), OTHER_LIBRARY).unwrap();
    assert_eq!(
        counts,
        SeedCounts {
            authors: 3,
            books: 5
        }
    );
    assert_eq!(
        rows(&schema, AUTHORS),
        strings(&[
            ["1", "Flannery O'Connor"],
            ["2", "Nobody Yet"],
            ["3", "Ursula K. Le Guin"]
        ])
    );
    assert_eq!(
        rows(&schema, BOOKS),
        strings(&[
            ["1", "Wise Blood", "1952", "Flannery O'Connor"],
            [
                "2",
                "The Left Hand of Darkness",
                "1969",
                "Ursula K. Le Guin"
            ],
            ["3", "The Lathe of Heaven", "1971", "Ursula K. Le Guin"],
            ["4", "The Dispossessed", "1974", "Ursula K. Le Guin"],
            ["5", "Always Coming Home", "1985", "Ursula K. Le Guin"],
        ])
    );
}

#[rstest]
#[case::no_authors(&[], 0)]
#[case::one_author_no_books(&[AuthorSeed { name: "Solo", books: &[] }], 1)]
fn seeds_libraries_without_books(
    schema: Engine,
    #[case] library: &[AuthorSeed],
    #[case] authors: usize,
) {
    let counts = seed(&mut schema.session(), library).unwrap();
    assert_eq!(counts, SeedCounts { authors, books: 0 });
    assert_eq!(rows(&schema, AUTHORS).len(), authors);
    assert_eq!(rows(&schema, BOOKS).len(), 0);
}

#[rstest]
fn commits_its_work(schema: Engine) {
    let mut session = schema.session();
    seed(&mut session, LIBRARY).unwrap();
    assert!(
        schema.connection().is_autocommit(),
        "seed() must end with session.commit(): a transaction is still open"
    );
    drop(session); // an uncommitted session would roll back here
    assert_eq!(
        rows(&schema, AUTHORS).len(),
        3,
        "the authors are gone: were they committed?"
    );
    assert_eq!(
        rows(&schema, BOOKS).len(),
        7,
        "the books are gone: were they committed?"
    );
}

#[rstest]
fn runs_in_one_transaction(schema: Engine) {
    let log = schema.record();
    seed(&mut schema.session(), LIBRARY).unwrap();
    let statements = log.statements();
    let starting = |word: &str| {
        statements
            .iter()
            .filter(|s| s.trim_start().to_ascii_uppercase().starts_with(word))
            .count()
    };
    assert_eq!(
        (starting("BEGIN"), starting("COMMIT"), starting("ROLLBACK")),
        (1, 1, 0),
        "one transaction: one BEGIN, one COMMIT, no ROLLBACK; the statements were:\n{}",
        statements.join("\n")
    );
    assert_eq!(starting("INSERT"), 10, "one INSERT per author and per book");
}

#[rstest]
fn prepares_each_insert_once(schema: Engine) {
    let log = schema.record();
    seed(&mut schema.session(), OTHER_LIBRARY).unwrap();
    let inserts = log
        .statements()
        .iter()
        .filter(|s| s.starts_with("INSERT"))
        .count();
    let prepared: Vec<String> = log
        .prepared()
        .into_iter()
        .filter(|s| s.starts_with("INSERT"))
        .collect();
    assert_eq!(inserts, 8, "one INSERT per author and per book");
    assert_eq!(
        prepared.len(),
        2,
        "each INSERT should be prepared once and reused (the session caches its statements): \
         insert through the session. Prepared:\n{}",
        prepared.join("\n")
    );
}

/// A fault injected half-way: the harness's trigger refuses one book.
#[rstest]
#[case::the_first_book("The Pragmatic Programmer")]
#[case::a_middle_book("Clean Architecture")]
#[case::the_last_book("Fluent Python 2nd Ed")]
fn a_failing_row_leaves_nothing_behind(schema: Engine, #[case] poisoned: &str) {
    schema
        .connection()
        .execute_batch(&format!(
            "CREATE TRIGGER poison BEFORE INSERT ON books WHEN NEW.title = '{}'
             BEGIN SELECT RAISE(ABORT, 'the harness refuses this row'); END;",
            poisoned.replace('\'', "''")
        ))
        .unwrap();
    let mut session = schema.session();
    let err = seed(&mut session, LIBRARY).expect_err("the poisoned book must make seed() fail");
    assert!(
        err.to_string().contains(poisoned),
        "the error should name the failing row, {poisoned:?}; it says: {err}"
    );
    session.commit().expect("the session is still usable");
    drop(session);
    assert_eq!(
        (rows(&schema, AUTHORS).len(), rows(&schema, BOOKS).len()),
        (0, 0),
        "all or nothing: no author and no book may stay after a failed seed"
    );
}

crate::support::hostile_cases! {
    fn seeds_hostile_values_exactly(value: &str) {
        let engine = crate::support::schema();
        // AuthorSeed holds &'static str: leak this test's two small strings.
        let name: &'static str = Box::leak(value.to_string().into_boxed_str());
        let books: &'static [(&'static str, i64)] =
            Box::leak(vec![(name, 2001), ("Plain", 2002)].into_boxed_slice());
        let library = [AuthorSeed { name, books }, AuthorSeed { name: "Plain Author", books: &[] }];
        let counts = seed(&mut engine.session(), &library).unwrap();
        assert_eq!(counts, SeedCounts { authors: 2, books: 2 });
        let authors: Vec<String> = engine
            .connection()
            .prepare("SELECT name FROM authors ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(authors, [value, "Plain Author"]);
        let titles: Vec<String> = engine
            .connection()
            .prepare("SELECT title FROM books ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(titles, [value, "Plain"]);
        crate::support::assert_schema_intact(&engine, value);
    }
}
