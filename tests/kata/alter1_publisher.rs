//! Alter 1 (locked): publishers, a second one-to-many added by a migration.
//! To unlock, delete the `#[ignore = "locked: alter-1 ..."]` lines.

use models_kata::kata::alter1_publisher::{Publisher, add_publishers, books_by_publisher, publish};
use models_kata::kata::step1_models::Book;
use models_kata::orm::{Engine, select};
use pretty_assertions::assert_eq;
use rstest::{fixture, rstest};

use crate::support::{ErrOrFail, OrFail, describe_schema, inlined, lesson, number, rows, strings};

const FILE: &str = "exercises/alter1_publisher.rs";

/// The lesson's library after the harness's own migration: four publishers
/// (one without books) and an eighth book without a publisher.
#[fixture]
fn published() -> Engine {
    let engine = lesson();
    engine
        .connection()
        .execute_batch(
            "CREATE TABLE publishers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
             ALTER TABLE books ADD COLUMN publisher_id INTEGER REFERENCES publishers(id);
             CREATE INDEX ix_books_publisher_id ON books (publisher_id);
             INSERT INTO publishers (id, name) VALUES
                (3, 'O''Reilly'), (1, 'Addison-Wesley'), (4, 'No Starch Press'), (2, 'Prentice Hall');
             UPDATE books SET publisher_id = 1 WHERE id IN (1, 2);
             UPDATE books SET publisher_id = 2 WHERE id IN (3, 4, 5);
             UPDATE books SET publisher_id = 3 WHERE id IN (6, 7);
             INSERT INTO books (id, title, year, author_id) VALUES (8, 'Unpublished Notes', 2024, 1);",
        )
        .expect("publishers");
    engine
}

#[rstest]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn the_migration_adds_publishers_and_keeps_every_book(lesson: Engine) {
    add_publishers(&lesson).or_fail("add_publishers()", FILE);
    assert_answer_key!("alter1_schema", describe_schema(&lesson));
    assert_eq!(
        rows(
            &lesson,
            "SELECT id, title, publisher_id FROM books ORDER BY id"
        ),
        strings(&[
            ["1", "The Pragmatic Programmer", "NULL"],
            ["2", "Programming Pearls", "NULL"],
            ["3", "Clean Code", "NULL"],
            ["4", "Clean Architecture", "NULL"],
            ["5", "The Clean Coder", "NULL"],
            ["6", "Fluent Python", "NULL"],
            ["7", "Fluent Python 2nd Ed", "NULL"],
        ]),
        "add_publishers() in {FILE}: every book is still there, without a publisher yet"
    );
}

#[rstest]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn the_migration_can_run_twice(lesson: Engine) {
    add_publishers(&lesson).or_fail("add_publishers()", FILE);
    lesson
        .connection()
        .execute_batch(
            "INSERT INTO publishers (id, name) VALUES (1, 'Kept');
             UPDATE books SET publisher_id = 1 WHERE id = 2;",
        )
        .unwrap();
    add_publishers(&lesson).unwrap_or_else(|e| {
        panic!("add_publishers() in {FILE}: a second run must succeed and change nothing: {e}")
    });
    assert_eq!(
        rows(&lesson, "SELECT id, name FROM publishers"),
        strings(&[["1", "Kept"]]),
        "add_publishers() in {FILE}: a second run keeps the publishers"
    );
    assert_eq!(
        number(&lesson, "SELECT publisher_id FROM books WHERE id = 2"),
        1,
        "add_publishers() in {FILE}: a second run keeps the books' publishers"
    );
}

#[rstest]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn the_core_models_still_work_after_the_migration(lesson: Engine) {
    add_publishers(&lesson).or_fail("add_publishers()", FILE);
    let mut session = lesson.session();
    session.add(Book::new("A New Book", 2025, 3));
    session.commit().unwrap();
    let books = session
        .all(&select::<Book>().order_by(Book::ID.asc()))
        .unwrap();
    assert_eq!(
        books.len(),
        8,
        "add_publishers() in {FILE}: step 1's Book still reads and writes the table"
    );
    assert_eq!(
        books[7],
        Book {
            id: Some(8),
            title: "A New Book".into(),
            year: 2025,
            author_id: 3
        },
        "add_publishers() in {FILE}: step 1's Book still reads and writes the table"
    );
}

#[rstest]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn publishers_map_to_rows_and_back(published: Engine) {
    let mut session = published.session();
    let all = session
        .all(&select::<Publisher>().order_by(Publisher::ID.asc()))
        .unwrap();
    let names: Vec<(Option<i64>, &str)> = all.iter().map(|p| (p.id, p.name.as_str())).collect();
    assert_eq!(
        names,
        [
            (Some(1), "Addison-Wesley"),
            (Some(2), "Prentice Hall"),
            (Some(3), "O'Reilly"),
            (Some(4), "No Starch Press"),
        ],
        "Publisher::from_row() in {FILE}: id and name from their columns"
    );
    let manning = session.add(Publisher::new("Manning"));
    session.commit().unwrap();
    assert_eq!(
        session.id(&manning),
        Some(5),
        "Publisher::id() and set_id() in {FILE}: the id the flush gave"
    );
    assert_eq!(
        rows(&published, "SELECT name FROM publishers WHERE id = 5"),
        [["Manning"]],
        "Publisher::values() in {FILE}: the name goes into `name`"
    );
}

#[rstest]
#[case::addison_wesley("Addison-Wesley", &[1, 2])]
#[case::prentice_hall("Prentice Hall", &[3, 4, 5])]
#[case::a_quote_in_the_name("O'Reilly", &[6, 7])]
#[case::a_publisher_without_books("No Starch Press", &[])]
#[case::an_unknown_name("Nobody Press", &[])]
#[case::names_match_exactly("o'reilly", &[])]
#[case::a_wildcard_is_just_a_character("%", &[])]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn books_by_a_publisher_in_id_order(published: Engine, #[case] name: &str, #[case] ids: &[i64]) {
    let books =
        books_by_publisher(&mut published.session(), name).or_fail("books_by_publisher()", FILE);
    let found: Vec<i64> = books.iter().map(|b| b.id.unwrap_or_default()).collect();
    crate::support::assert_rows(
        &found,
        ids,
        &format!(
            "books_by_publisher({name:?}) in {FILE}: the books of exactly {name:?}, in id order"
        ),
    );
}

#[rstest]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn books_by_publisher_binds_the_name(published: Engine) {
    let log = published.record();
    let books = books_by_publisher(&mut published.session(), "Prentice Hall")
        .or_fail("books_by_publisher()", FILE);
    assert_eq!(
        books.len(),
        3,
        "books_by_publisher(\"Prentice Hall\") in {FILE}: three books"
    );
    assert_eq!(
        inlined(&log.statements(), "Prentice"),
        None,
        "books_by_publisher() in {FILE}: the name must be a bound parameter"
    );
}

#[rstest]
#[case::two_books(4, &[1, 6], 2)]
#[case::no_books(4, &[], 0)]
#[case::a_missing_book(4, &[99], 0)]
#[case::an_id_twice(4, &[6, 6], 1)]
#[case::one_had_that_publisher_already(1, &[1, 3], 2)]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn publish_sets_the_publisher_of_those_books_only(
    published: Engine,
    #[case] to: i64,
    #[case] ids: &[i64],
    #[case] changed: usize,
) {
    let mut session = published.session();
    assert_eq!(
        publish(&mut session, to, ids).or_fail("publish()", FILE),
        changed,
        "publish({to}, {ids:?}) in {FILE}: returns how many books it updated, each book once, \
         those that had publisher {to} already included"
    );
    session.commit().unwrap();
    let mut expected: Vec<Vec<String>> = [(1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 3), (7, 3)]
        .iter()
        .map(|&(book, publisher): &(i64, i64)| {
            let publisher = if ids.contains(&book) { to } else { publisher };
            vec![book.to_string(), publisher.to_string()]
        })
        .collect();
    expected.push(vec!["8".into(), "NULL".into()]);
    assert_eq!(
        rows(&published, "SELECT id, publisher_id FROM books ORDER BY id"),
        expected,
        "publish({to}, {ids:?}) in {FILE}: those books, and only those, have publisher {to}"
    );
}

#[rstest]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn publish_does_not_commit(published: Engine) {
    let mut session = published.session();
    assert_eq!(
        publish(&mut session, 4, &[1, 6]).or_fail("publish()", FILE),
        2,
        "publish(4, [1, 6]) in {FILE}: returns how many books it updated"
    );
    drop(session); // no commit: the change must be rolled back
    assert_eq!(
        rows(
            &published,
            "SELECT id, publisher_id FROM books WHERE id IN (1, 6) ORDER BY id"
        ),
        strings(&[["1", "1"], ["6", "3"]]),
        "publish() in {FILE} does not commit: the caller decides when, so a session dropped \
         without commit leaves the books as they were"
    );
}

#[rstest]
#[ignore = "locked: alter-1 (publishers) — delete this line to unlock it"]
fn publishing_under_a_missing_publisher_is_refused(published: Engine) {
    let mut session = published.session();
    let err = publish(&mut session, 999, &[1]).err_or_fail(
        "publish(999, [1])",
        FILE,
        "publisher 999 does not exist",
        "the foreign key on books.publisher_id refuses this UPDATE: run it \
         (`session.execute(&update)?`) and return its error",
    );
    assert!(
        err.is_constraint_violation(),
        "publish() in {FILE}: expected the foreign key's error: {err}"
    );
    drop(session);
    assert_eq!(
        number(&published, "SELECT publisher_id FROM books WHERE id = 1"),
        1,
        "publish() in {FILE}: a refused change leaves the book as it was"
    );
}
