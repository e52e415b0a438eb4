//! Step 1: the models' metadata and their row mapping, checked by what the
//! database gets and gives back.

use models_kata::kata::step1_models::{Author, Book};
use models_kata::orm::{Engine, Model, schema::create_table_sql, select};
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{empty, no_panic, other, rows, schema, strings, unreadable};

const FILE: &str = "exercises/step1_models.rs";

/// `(name, type, NOT NULL, primary key)` of each column, as SQLite sees it.
fn columns(engine: &Engine, table: &str) -> Vec<(String, String, bool, bool)> {
    let sql = "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid";
    let mut stmt = engine.connection().prepare(sql).unwrap();
    stmt.query_map([table], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? > 0))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn column(name: &str, sql_type: &str, not_null: bool, pk: bool) -> (String, String, bool, bool) {
    (name.into(), sql_type.into(), not_null, pk)
}

#[rstest]
fn author_maps_to_the_authors_table(empty: Engine) {
    assert_eq!(
        Author::table().name,
        "authors",
        "Author::table() in {FILE}: the table's name"
    );
    empty
        .connection()
        .execute_batch(&create_table_sql(Author::table()))
        .unwrap();
    assert_eq!(
        columns(&empty, "authors"),
        [
            column("id", "INTEGER", false, true),
            column("name", "TEXT", true, false)
        ],
        "Author::table() in {FILE}: columns id (primary key) and name (NOT NULL), in that order"
    );
}

#[rstest]
fn book_maps_to_the_books_table_with_a_foreign_key(empty: Engine) {
    assert_eq!(
        Book::table().name,
        "books",
        "Book::table() in {FILE}: the table's name"
    );
    empty
        .connection()
        .execute_batch(&create_table_sql(Book::table()))
        .unwrap();
    assert_eq!(
        columns(&empty, "books"),
        [
            column("id", "INTEGER", false, true),
            column("title", "TEXT", true, false),
            column("year", "INTEGER", true, false),
            column("author_id", "INTEGER", true, false),
        ],
        "Book::table() in {FILE}: columns id, title, year, author_id, in that order"
    );
    assert_eq!(
        rows(
            &empty,
            "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('books')"
        ),
        strings(&[["author_id", "authors", "id"]]),
        "Book::table() in {FILE}: author_id must reference authors(id)"
    );
}

#[rstest]
fn rows_map_into_authors(other: Engine) {
    let mut session = other.session();
    let authors = session
        .all(&select::<Author>().order_by(Author::ID.asc()))
        .unwrap();
    let expected = [
        (10, "Flannery O'Connor"),
        (20, "Nobody Yet"),
        (30, "Ursula K. Le Guin"),
        (40, "Italo Calvino"),
    ]
    .map(|(id, name)| Author {
        id: Some(id),
        name: name.into(),
    });
    assert_eq!(
        authors, expected,
        "Author::from_row() in {FILE}: each field from its own column"
    );
}

#[rstest]
fn rows_map_into_books(other: Engine) {
    let mut session = other.session();
    let query = select::<Book>()
        .filter(Book::AUTHOR_ID.eq(30))
        .order_by(Book::ID.asc());
    let books = session.all(&query).unwrap();
    let expected = [
        (103, "The Left Hand of Darkness", 1969),
        (105, "The Dispossessed", 1974),
        (106, "The Lathe of Heaven", 1971),
    ]
    .map(|(id, title, year)| Book {
        id: Some(id),
        title: title.into(),
        year,
        author_id: 30,
    });
    assert_eq!(
        books, expected,
        "Book::from_row() in {FILE}: each field from its own column"
    );
}

#[rstest]
#[case::plain("Dune", 1965)]
#[case::quote_in_title("Winter's Tale", 1611)]
#[case::year_zero("", 0)]
#[case::negative_year("The Iliad", -750)]
fn new_objects_store_their_values(schema: Engine, #[case] title: &str, #[case] year: i64) {
    let mut session = schema.session();
    let author = session.add(Author::new("Some Author"));
    session.flush().unwrap();
    let author_id = session.flushed_id(&author).unwrap();
    session.add(Book::new(title, year, author_id));
    session.commit().unwrap();
    drop(session);
    assert_eq!(
        rows(&schema, "SELECT id, name FROM authors"),
        strings(&[["1", "Some Author"]]),
        "Author::values() in {FILE}: the name goes into `name`"
    );
    assert_eq!(
        rows(&schema, "SELECT title, year, author_id FROM books"),
        vec![vec![title.to_string(), year.to_string(), "1".to_string()]],
        "Book::values() in {FILE}: title, year and author_id, each into its own column"
    );
}

#[rstest]
fn flush_gives_each_object_its_id(schema: Engine) {
    let mut session = schema.session();
    let first = session.add(Author::new("First"));
    let second = session.add(Author::new("Second"));
    assert_eq!(
        session.object(&first).unwrap().id,
        None,
        "Author::id() in {FILE}: no id before the flush"
    );
    session.flush().unwrap();
    for (handle, name) in [(first, "First"), (second, "Second")] {
        let stored: i64 = schema
            .connection()
            .query_row("SELECT id FROM authors WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(
            session.id(&handle),
            Some(stored),
            "Author::id() in {FILE}: the id after the flush"
        );
        assert_eq!(
            session.object(&handle).unwrap().id,
            Some(stored),
            "Author::set_id() in {FILE}: store the id the flush gives"
        );
    }
    let book = session.add(Book::new("Book", 2000, session.id(&first).unwrap()));
    session.flush().unwrap();
    let stored = crate::support::number(&schema, "SELECT id FROM books");
    assert_eq!(
        session.object(&book).unwrap().id,
        Some(stored),
        "Book::set_id() in {FILE}: store the id the flush gives"
    );
    assert_eq!(
        session.id(&book),
        Some(stored),
        "Book::id() in {FILE}: the id after the flush"
    );
}

/// A rollback undoes the INSERTs, and the session takes the ids back by
/// calling `set_id(None)`: an object must not keep the id of a row that is
/// gone.
#[rstest]
fn a_rollback_takes_the_ids_back(schema: Engine) {
    let mut session = schema.session();
    let author = session.add(Author::new("Gone"));
    session.flush().unwrap();
    let author_id = session.flushed_id(&author).unwrap();
    let book = session.add(Book::new("Gone too", 2000, author_id));
    session.flush().unwrap();
    session.rollback().unwrap();
    assert_eq!(
        session.object(&author).unwrap().id,
        None,
        "Author::set_id() in {FILE}: after a rollback the session calls set_id(None); store it, \
         None included"
    );
    assert_eq!(
        session.object(&book).unwrap().id,
        None,
        "Book::set_id() in {FILE}: after a rollback the session calls set_id(None); store it, \
         None included"
    );
}

/// Book 8's title and author 4's name are not valid UTF-8: no `String` can
/// hold them (`support::unreadable`).
#[rstest]
fn an_unreadable_value_is_an_error_not_a_default(unreadable: Engine) {
    unreadable
        .connection()
        .execute_batch("INSERT INTO authors (id, name) VALUES (4, CAST(X'C328' AS TEXT));")
        .unwrap();
    let mut session = unreadable.session();
    let book = no_panic(&format!("Book::from_row() in {FILE}"), || {
        session.get::<Book>(8)
    });
    assert!(
        book.is_err(),
        "Book::from_row() in {FILE}: book 8's title cannot be read, so from_row() must return \
         the error (`row.get(Book::TITLE)?`), not make up a value; it gave {book:?}"
    );
    let author = no_panic(&format!("Author::from_row() in {FILE}"), || {
        session.get::<Author>(4)
    });
    assert!(
        author.is_err(),
        "Author::from_row() in {FILE}: author 4's name cannot be read, so from_row() must return \
         the error (`row.get(Author::NAME)?`), not make up a value; it gave {author:?}"
    );
}

/// With the models mapped, the ORM writes the very SQL that the lesson
/// measured from SQLAlchemy for `select(Book).where(Book.year > 2010)` and
/// for the prolific-authors query.
#[test]
fn the_lessons_queries_emit_sqlalchemys_sql() {
    use models_kata::orm::count;
    let books_after = select::<Book>().filter(Book::YEAR.gt(2010)).to_sql();
    let prolific = select::<Author>()
        .columns((Author::NAME, count(Book::ID)))
        .join(Author::BOOKS)
        .group_by(Author::ID)
        .having(count(Book::ID).gt(2))
        .to_sql();
    assert_answer_key!("lesson_sql", format!("{books_after}\n{prolific}"));
}

crate::support::hostile_cases! {
    fn hostile_values_round_trip_exactly(value: &str) {
        let engine = crate::support::lesson();
        let mut session = engine.session();
        let author = session.add(Author::new(value));
        session.flush().unwrap();
        let author_id = session.flushed_id(&author).unwrap();
        let book = session.add(Book::new(value, 1999, author_id));
        session.commit().unwrap();
        let book_id = session.flushed_id(&book).unwrap();
        let stored: (String, String) = engine
            .connection()
            .query_row(
                "SELECT authors.name, books.title FROM books JOIN authors ON authors.id = books.author_id WHERE books.id = ?1",
                [book_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(stored, (value.to_string(), value.to_string()), "Author::values() and Book::values() in {FILE}: stored exactly");
        let read = session.get::<Book>(book_id).unwrap().expect("the book reads back");
        assert_eq!(read.title, value, "Book::from_row() in {FILE} reads it back exactly");
        let author = session.get::<Author>(author_id).unwrap().expect("the author reads back");
        assert_eq!(author.name, value, "Author::from_row() in {FILE} reads it back exactly");
        crate::support::assert_schema_intact(&engine, value, &format!("Author and Book in {FILE}"));
        assert_eq!(crate::support::number(&engine, "SELECT count(*) FROM books"), 8, "{FILE}: one new book");
    }
}
