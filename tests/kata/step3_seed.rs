//! Step 3: seed() inserts a whole library through the session, in one
//! transaction, and reports what it inserted.

use models_kata::kata::step3_seed::{SeedCounts, seed};
use models_kata::lesson::{AuthorSeed, LIBRARY};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{ErrOrFail, OTHER_LIBRARY, OrFail, rows, schema, strings};

const FILE: &str = "exercises/step3_seed.rs";

const AUTHORS: &str = "SELECT id, name FROM authors ORDER BY id";
const BOOKS: &str = "SELECT books.id, title, year, name FROM books \
                     JOIN authors ON authors.id = books.author_id ORDER BY books.id";

#[rstest]
fn seeds_the_lesson_library(schema: Engine) {
    let counts = seed(&mut schema.session(), LIBRARY).or_fail("seed()", FILE);
    assert_eq!(
        counts,
        SeedCounts {
            authors: 3,
            books: 7
        },
        "seed() in {FILE}: the counts of what it inserted"
    );
    assert_eq!(
        rows(&schema, AUTHORS),
        strings(&[
            ["1", "David Thomas"],
            ["2", "Robert C. Martin"],
            ["3", "Luciano Ramalho"]
        ]),
        "seed() in {FILE}: every author, in the library's order"
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
        "seed() in {FILE}: every book, in the library's order, linked to its own author"
    );
}

#[rstest]
fn seeds_any_library(schema: Engine) {
    let counts = seed(&mut schema.session(), OTHER_LIBRARY).or_fail("seed()", FILE);
    assert_eq!(
        counts,
        SeedCounts {
            authors: 3,
            books: 5
        },
        "seed() in {FILE}: the counts of what it inserted"
    );
    assert_eq!(
        rows(&schema, AUTHORS),
        strings(&[
            ["1", "Flannery O'Connor"],
            ["2", "Nobody Yet"],
            ["3", "Ursula K. Le Guin"]
        ]),
        "seed() in {FILE}: every author, in the library's order"
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
        ]),
        "seed() in {FILE}: every book, in the library's order, linked to its own author"
    );
}

/// Two authors with the same name, a title used twice, and tables that
/// already hold an author of that name and a book of that title: ids do not
/// start at 1, the counts are not the tables' counts, and a name does not
/// find one author.
#[rstest]
fn seeds_into_tables_that_already_hold_rows(schema: Engine) {
    schema
        .connection()
        .execute_batch(
            "INSERT INTO authors (id, name) VALUES (1, 'Ann Lee'), (2, 'Old Author');
             INSERT INTO books (id, title, year, author_id) VALUES (1, 'Same Title', 1990, 1);",
        )
        .unwrap();
    let library = [
        AuthorSeed {
            name: "Ann Lee",
            books: &[("Same Title", 2001), ("Ann One", 2002)],
        },
        AuthorSeed {
            name: "Bo Chen",
            books: &[],
        },
        AuthorSeed {
            name: "Ann Lee",
            books: &[("Same Title", 2003)],
        },
    ];
    let counts = seed(&mut schema.session(), &library).or_fail("seed()", FILE);
    assert_eq!(
        counts,
        SeedCounts {
            authors: 3,
            books: 3
        },
        "seed() in {FILE}: count what this seed inserted, not the rows in the tables"
    );
    assert_eq!(
        rows(&schema, AUTHORS),
        strings(&[
            ["1", "Ann Lee"],
            ["2", "Old Author"],
            ["3", "Ann Lee"],
            ["4", "Bo Chen"],
            ["5", "Ann Lee"],
        ]),
        "seed() in {FILE}: the rows already there stay, the new authors come after them"
    );
    assert_eq!(
        rows(
            &schema,
            "SELECT id, title, year, author_id FROM books ORDER BY id"
        ),
        strings(&[
            ["1", "Same Title", "1990", "1"],
            ["2", "Same Title", "2001", "3"],
            ["3", "Ann One", "2002", "3"],
            ["4", "Same Title", "2003", "5"],
        ]),
        "seed() in {FILE}: each book points at its own author, by the id that author's flush gave \
         (`session.flushed_id(&handle)?`): three authors are called \"Ann Lee\", and ids do not \
         start at 1 here"
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
    let counts = seed(&mut schema.session(), library).or_fail("seed()", FILE);
    assert_eq!(
        counts,
        SeedCounts { authors, books: 0 },
        "seed() in {FILE}: the counts of what it inserted"
    );
    assert_eq!(
        rows(&schema, AUTHORS).len(),
        authors,
        "seed() in {FILE}: every author"
    );
    assert_eq!(rows(&schema, BOOKS).len(), 0, "seed() in {FILE}: no books");
}

#[rstest]
fn commits_its_work(schema: Engine) {
    let mut session = schema.session();
    seed(&mut session, LIBRARY).or_fail("seed()", FILE);
    assert!(
        schema.connection().is_autocommit(),
        "seed() in {FILE} must end with session.commit(): a transaction is still open"
    );
    drop(session); // an uncommitted session would roll back here
    assert_eq!(
        rows(&schema, AUTHORS).len(),
        3,
        "seed() in {FILE}: the authors are gone: were they committed?"
    );
    assert_eq!(
        rows(&schema, BOOKS).len(),
        7,
        "seed() in {FILE}: the books are gone: were they committed?"
    );
}

#[rstest]
fn runs_in_one_transaction(schema: Engine) {
    let log = schema.record();
    seed(&mut schema.session(), LIBRARY).or_fail("seed()", FILE);
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
        "seed() in {FILE}: one transaction, committed once: one BEGIN, one COMMIT, no ROLLBACK; \
         the statements were:\n{}",
        statements.join("\n")
    );
    assert_eq!(
        starting("INSERT"),
        10,
        "seed() in {FILE}: one INSERT per author and per book"
    );
}

#[rstest]
fn prepares_each_insert_once(schema: Engine) {
    let log = schema.record();
    seed(&mut schema.session(), OTHER_LIBRARY).or_fail("seed()", FILE);
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
    assert_eq!(
        inserts, 8,
        "seed() in {FILE}: one INSERT per author and per book"
    );
    assert_eq!(
        prepared.len(),
        2,
        "seed() in {FILE}: each INSERT should be prepared once and reused (the session caches its statements): \
         insert through the session. Prepared:\n{}",
        prepared.join("\n")
    );
}

/// A fault injected half-way: the harness's trigger refuses one author or
/// one book.
#[rstest]
#[case::the_first_author("authors", "name", "David Thomas")]
#[case::the_last_author("authors", "name", "Luciano Ramalho")]
#[case::the_first_book("books", "title", "The Pragmatic Programmer")]
#[case::a_middle_book("books", "title", "Clean Architecture")]
#[case::the_last_book("books", "title", "Fluent Python 2nd Ed")]
fn a_failing_row_leaves_nothing_behind(
    schema: Engine,
    #[case] table: &str,
    #[case] column: &str,
    #[case] poisoned: &str,
) {
    schema
        .connection()
        .execute_batch(&format!(
            "CREATE TRIGGER poison BEFORE INSERT ON {table} WHEN NEW.{column} = '{}'
             BEGIN SELECT RAISE(ABORT, 'the harness refuses this row'); END;",
            poisoned.replace('\'', "''")
        ))
        .unwrap();
    let log = schema.record();
    let mut session = schema.session();
    let err = seed(&mut session, LIBRARY).err_or_fail(
        "seed()",
        FILE,
        &format!("the harness refuses {poisoned:?}"),
        "a row is missing, yet it reported success. Return the insert's error (`?` does it), \
         after session.rollback()",
    );
    let ran = |word: &str| {
        log.statements()
            .iter()
            .any(|s| s.trim_start().to_ascii_uppercase().starts_with(word))
    };
    let (committed, rolled_back) = (ran("COMMIT"), ran("ROLLBACK"));
    assert!(
        err.to_string().contains(poisoned),
        "seed() in {FILE}: return the insert's own error, which names the failing row, \
         {poisoned:?}; it says: {err}"
    );
    // Close a transaction left open before asserting, so that the failure
    // is reported rather than the engine dropped with it.
    let left_open = !schema.connection().is_autocommit();
    if left_open {
        let _ = schema.connection().execute_batch("ROLLBACK");
    }
    assert!(
        !left_open,
        "seed() in {FILE}: after a failed seed no transaction may stay open: end it with \
         session.rollback() (a BEGIN of your own is not the session's to roll back)"
    );
    session.commit().unwrap_or_else(|e| {
        panic!("seed() in {FILE}: after a failed seed the session must still be usable: {e}")
    });
    drop(session);
    let (authors, books) = (rows(&schema, AUTHORS).len(), rows(&schema, BOOKS).len());
    let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let cause = if committed {
        "seed() committed before the failure, and a commit cannot be taken back: commit once, \
         at the end, after every row (a flush is enough to give an author its id)"
    } else if !rolled_back {
        "call session.rollback() before returning the error"
    } else {
        "were they committed before the failure? seed() commits once, at the end; and call \
         session.rollback() before returning the error"
    };
    assert_eq!(
        (authors, books),
        (0, 0),
        "seed() in {FILE}: all or nothing: when {poisoned:?} is refused, no author and no book may \
         stay, even after the caller commits ({}, {} stayed): {cause}",
        counted(authors, "author"),
        counted(books, "book")
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
        let counts = seed(&mut engine.session(), &library).or_fail("seed()", FILE);
        assert_eq!(counts, SeedCounts { authors: 2, books: 2 }, "seed() in {FILE}: the counts");
        let authors: Vec<String> = engine
            .connection()
            .prepare("SELECT name FROM authors ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(authors, [value, "Plain Author"], "seed() in {FILE}: every name stored exactly");
        let titles: Vec<String> = engine
            .connection()
            .prepare("SELECT title FROM books ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(titles, [value, "Plain"], "seed() in {FILE}: every title stored exactly");
        crate::support::assert_schema_intact(&engine, value, &format!("seed() in {FILE}"));
    }
}
