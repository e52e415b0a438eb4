//! Step 2: the schema that create_tables() builds from the models.

use models_kata::kata::step2_create_tables::create_tables;
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{OrFail, TablesOf, describe_schema, empty, no_panic, tables_of};

const FILE: &str = "exercises/step2_create_tables.rs";

/// The tables create_tables() made: the harness's SQL on them blames it.
const TABLES: TablesOf = tables_of("create_tables()", FILE);

#[rstest]
fn returns_the_tables_in_creation_order(empty: Engine) {
    assert_eq!(
        create_tables(&empty).or_fail("create_tables()", FILE),
        ["authors", "books"],
        "create_tables() in {FILE}: the names, in creation order"
    );
    let created = TABLES.rows(
        &empty,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid",
    );
    assert_eq!(
        created,
        [["authors"], ["books"]],
        "create_tables() in {FILE}: the tables must really exist, authors first"
    );
}

#[rstest]
fn creates_the_lesson_schema(empty: Engine) {
    create_tables(&empty).or_fail("create_tables()", FILE);
    assert_answer_key!("schema", describe_schema(&empty));
}

#[rstest]
fn indexes_the_foreign_key_column(empty: Engine) {
    create_tables(&empty).or_fail("create_tables()", FILE);
    let plan = TABLES.rows(
        &empty,
        "EXPLAIN QUERY PLAN SELECT id FROM books WHERE author_id = 1",
    );
    let detail = plan
        .iter()
        .map(|r| r[3].clone())
        .collect::<Vec<_>>()
        .join("; ");
    assert!(
        detail.contains("USING INDEX") || detail.contains("USING COVERING INDEX"),
        "create_tables() in {FILE}: looking up an author's books should use an index on books.author_id, but SQLite plans: {detail}"
    );
}

#[rstest]
fn the_foreign_key_and_not_null_hold(empty: Engine) {
    create_tables(&empty).or_fail("create_tables()", FILE);
    TABLES.execute(
        &empty,
        "INSERT INTO authors (id, name) VALUES (1, 'A');
         INSERT INTO books (title, year, author_id) VALUES ('ok', 2000, 1);",
    );
    let conn = empty.connection();
    let orphan = conn.execute(
        "INSERT INTO books (title, year, author_id) VALUES ('x', 2000, 999)",
        [],
    );
    assert!(
        orphan.is_err(),
        "create_tables() in {FILE}: with foreign keys on, a book for author 999 must be refused"
    );
    let no_title = conn.execute(
        "INSERT INTO books (title, year, author_id) VALUES (NULL, 2000, 1)",
        [],
    );
    assert!(
        no_title.is_err(),
        "create_tables() in {FILE}: books.title must be NOT NULL"
    );
    let no_name = conn.execute("INSERT INTO authors (name) VALUES (NULL)", []);
    assert!(
        no_name.is_err(),
        "create_tables() in {FILE}: authors.name must be NOT NULL"
    );
}

#[rstest]
fn running_it_again_keeps_the_data(empty: Engine) {
    create_tables(&empty).or_fail("create_tables()", FILE);
    TABLES.execute(&empty, "INSERT INTO authors (name) VALUES ('Kept')");
    assert_eq!(
        create_tables(&empty).or_fail("create_tables()", FILE),
        ["authors", "books"],
        "create_tables() in {FILE}: a second run succeeds"
    );
    assert_eq!(
        TABLES.number(&empty, "SELECT count(*) FROM authors"),
        1,
        "create_tables() in {FILE}: a second run keeps the rows"
    );
}

/// The step's failure case: a database that refuses to be changed
/// (`PRAGMA query_only`), so the tables cannot be created.
#[rstest]
fn a_database_that_refuses_the_tables_is_an_error(empty: Engine) {
    empty
        .connection()
        .execute_batch("PRAGMA query_only = ON")
        .unwrap();
    let result = no_panic(&format!("create_tables() in {FILE}"), || {
        create_tables(&empty)
    });
    assert!(
        result.is_err(),
        "create_tables() in {FILE}: the database refuses every change here, so no table was \
         created and the function must return that error, not {result:?}"
    );
}

/// How SQLite finds one author's books once the tables exist: through the
/// index on books.author_id, not by reading the whole table.
#[rstest]
fn an_authors_books_are_found_through_the_index(empty: Engine) {
    create_tables(&empty).or_fail("create_tables()", FILE);
    let plan = TABLES.rows_with(
        &empty,
        "EXPLAIN QUERY PLAN SELECT books.id, books.title, books.year, books.author_id \
         FROM books WHERE books.author_id = ?1 ORDER BY books.id",
        [1],
    );
    let plan: Vec<&str> = plan.iter().map(|r| r[3].as_str()).collect();
    assert_answer_key!("author_books_plan", plan.join("\n"));
}
