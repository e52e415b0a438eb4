//! Break 2 (locked): loaded objects are snapshots. The tests run the
//! experiment; your prediction must match what happens.
//! To unlock, delete the `#[ignore = "locked: break-2 ..."]` lines.

use models_kata::kata::break2_stale_objects::predict;
use models_kata::kata::step1_models::{Author, Book};
use models_kata::orm::{Engine, select};

use crate::support::lesson;

struct Seen {
    loaded_list_has_new_book: bool,
    fresh_load_has_new_book: bool,
    new_book_finds_its_author: bool,
}

/// Loads every author with their books, adds a book for author 1, looks again.
fn experiment() -> Seen {
    let engine: Engine = lesson();
    let mut session = engine.session();
    let query = select::<Author>()
        .order_by(Author::ID.asc())
        .with(Author::BOOKS);
    let loaded = session.all(&query).unwrap();
    let new_book = Book::new("A New Book", 2025, 1);
    session.add(new_book.clone());
    let has_new = |books: &[Book]| books.iter().any(|b| b.title == "A New Book");
    let fresh = session.all(&query).unwrap();
    let parent = session.parent(&new_book, Book::AUTHOR).unwrap();
    Seen {
        loaded_list_has_new_book: has_new(&loaded[0].1),
        fresh_load_has_new_book: has_new(&fresh[0].1),
        new_book_finds_its_author: parent.is_some_and(|a| a.id == Some(1)),
    }
}

fn check(question: &str, predicted: bool, seen: bool, why: &str) {
    assert!(
        predicted == seen,
        "\npredict() in exercises/break2_stale_objects.rs\n{question}\n  you predicted: {predicted}\n  it is:         {seen}\n  why: {why}\n"
    );
}

#[test]
#[ignore = "locked: break-2 (stale objects) — delete this line to unlock it"]
fn the_list_loaded_before() {
    check(
        "Does the list loaded before the add now include the new book?",
        predict().loaded_list_has_new_book,
        experiment().loaded_list_has_new_book,
        "what a query returns is a plain Vec that you own: a snapshot of the rows at that moment. \
         Nothing in Rust can change it behind your back. SQLAlchemy's back_populates updates the \
         *other* Python object when you change one side in memory; the kata has no such live \
         objects, so there is nothing to keep in step, and nothing to forget.",
    );
}

#[test]
#[ignore = "locked: break-2 (stale objects) — delete this line to unlock it"]
fn the_same_query_again() {
    check(
        "Does the same query, run again before any commit, include the new book?",
        predict().fresh_load_has_new_book,
        experiment().fresh_load_has_new_book,
        "every query flushes the session first (autoflush): the pending book is INSERTed inside the \
         open transaction, and the query, in that same transaction, sees it. Navigation goes \
         through the database, so from the database it is always right.",
    );
}

#[test]
#[ignore = "locked: break-2 (stale objects) — delete this line to unlock it"]
fn from_the_new_book_to_its_author() {
    check(
        "Does session.parent(&new_book, Book::AUTHOR) find author 1?",
        predict().new_book_finds_its_author,
        experiment().new_book_finds_its_author,
        "Book::AUTHOR is built from the same column as Author::BOOKS (books.author_id), and the new \
         book carries author_id = 1: the lookup is one query on that id. Both directions come \
         from one foreign key, so they cannot disagree.",
    );
}
