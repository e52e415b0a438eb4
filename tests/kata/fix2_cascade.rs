//! Fix 2 (locked): deleting an author, with a cascade and without one.
//! To unlock, delete the `#[ignore = "locked: fix-2 ..."]` lines.

use models_kata::kata::fix2_cascade::{
    DeleteAuthorError, create_tables_with_cascade, delete_author,
};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{
    ErrOrFail, LESSON_ROWS, OrFail, TablesOf, describe_schema, empty, lesson, number, other,
    tables_of,
};

const FILE: &str = "exercises/fix2_cascade.rs";

/// The tables create_tables_with_cascade() made, or the harness's: the
/// harness's SQL on them blames that function when it fails.
const TABLES: TablesOf = tables_of("create_tables_with_cascade()", FILE);

/// The lesson's rows in the learner's cascading schema, foreign keys on.
fn cascading() -> Engine {
    let engine = empty();
    create_tables_with_cascade(&engine).or_fail("create_tables_with_cascade()", FILE);
    TABLES.execute(&engine, LESSON_ROWS);
    engine
}

fn ids(engine: &Engine, table: &str) -> Vec<i64> {
    TABLES
        .rows(engine, &format!("SELECT id FROM {table} ORDER BY id"))
        .into_iter()
        .map(|r| r[0].parse().unwrap())
        .collect()
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn the_schema_declares_the_cascade(empty: Engine) {
    assert_eq!(
        create_tables_with_cascade(&empty).or_fail("create_tables_with_cascade()", FILE),
        ["authors", "books"],
        "create_tables_with_cascade() in {FILE}: the names of the tables it created, in creation \
         order"
    );
    assert_answer_key!("fix2_schema", describe_schema(&empty));
}

#[rstest]
#[case::robert_c_martin(2, 3, &[1, 2, 6, 7])]
#[case::david_thomas(1, 2, &[3, 4, 5, 6, 7])]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn with_the_cascade_an_authors_books_go_too(
    #[case] author: i64,
    #[case] books: i64,
    #[case] left: &[i64],
) {
    let engine = cascading();
    let mut session = engine.session();
    assert_eq!(
        delete_author(&mut session, author).or_fail("delete_author()", FILE),
        books,
        "delete_author({author}) in {FILE}: how many of their books went with them"
    );
    session.commit().unwrap();
    drop(session);
    assert_eq!(
        ids(&engine, "books"),
        left,
        "delete_author({author}) in {FILE}: their books go, the other authors' books stay"
    );
    assert!(
        !ids(&engine, "authors").contains(&author),
        "delete_author({author}) in {FILE}: the author is gone"
    );
    assert_eq!(
        ids(&engine, "authors").len(),
        2,
        "delete_author({author}) in {FILE}: only that author"
    );
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn without_the_cascade_the_delete_is_refused_and_nothing_changes(lesson: Engine) {
    let mut session = lesson.session();
    let err = delete_author(&mut session, 2).err_or_fail(
        "delete_author(2)",
        FILE,
        "author 2 still has 3 books and this schema has no cascade",
        "the foreign key refuses this delete, and that refusal is the answer \
         (DeleteAuthorError::HasBooks): do not delete the books yourself, and do not drop the error",
    );
    assert!(
        matches!(
            err,
            DeleteAuthorError::HasBooks {
                author_id: 2,
                books: 3
            }
        ),
        "delete_author(2) in {FILE}: expected DeleteAuthorError::HasBooks {{ author_id: 2, books: 3 }}, got {err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains('2') && message.contains('3'),
        "delete_author(2) in {FILE}: name the author and the books: {message}"
    );
    session.commit().expect("the session must still work");
    drop(session);
    assert_eq!(
        (
            number(&lesson, "SELECT count(*) FROM authors"),
            number(&lesson, "SELECT count(*) FROM books")
        ),
        (3, 7),
        "delete_author(2) in {FILE}: a refused delete changes nothing"
    );
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn an_author_without_books_can_always_go(other: Engine) {
    let mut session = other.session();
    assert_eq!(
        delete_author(&mut session, 20).or_fail("delete_author()", FILE),
        0,
        "delete_author(20) in {FILE}: no books went with \"Nobody Yet\""
    );
    session.commit().unwrap();
    drop(session);
    assert_eq!(
        ids(&other, "authors"),
        [10, 30, 40],
        "delete_author(20) in {FILE}: the author is gone"
    );
}

#[test]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn delete_author_does_not_commit() {
    let engine = cascading();
    let mut session = engine.session();
    assert_eq!(
        delete_author(&mut session, 2).or_fail("delete_author()", FILE),
        3,
        "delete_author(2) in {FILE}: how many of their books went with them (count them before \
         the delete: afterwards the cascade has removed them)"
    );
    drop(session); // no commit: the delete must be rolled back
    assert_eq!(
        (ids(&engine, "authors"), ids(&engine, "books").len()),
        (vec![1, 2, 3], 7),
        "delete_author() in {FILE} does not commit: a session dropped without commit leaves the \
         author and the books"
    );
}

/// A failure that is neither a missing author nor remaining books: the
/// database refuses every change (`PRAGMA query_only`).
#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn any_other_failure_is_a_database_error(other: Engine) {
    other
        .connection()
        .execute_batch("PRAGMA query_only = ON")
        .unwrap();
    let err = delete_author(&mut other.session(), 20).err_or_fail(
        "delete_author(20)",
        FILE,
        "the database refuses every change (`PRAGMA query_only`), so nothing can be deleted",
        "the author is still there. Return the error of `session.delete` (`?` does it)",
    );
    assert!(
        matches!(err, DeleteAuthorError::Database(_)),
        "delete_author(20) in {FILE}: author 20 exists and has no books; the failure is \
         something else (the database refuses to be written), so it must be \
         DeleteAuthorError::Database(the error), not {err:?}"
    );
}

/// Another refusal by a constraint, not the foreign key's: a trigger refuses
/// to delete author 20, who has no books.
#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn a_refusal_that_is_not_the_foreign_keys_is_a_database_error(other: Engine) {
    other
        .connection()
        .execute_batch(
            "CREATE TRIGGER keep_author_20 BEFORE DELETE ON authors WHEN old.id = 20 \
             BEGIN SELECT RAISE(ABORT, 'author 20 is kept by a trigger'); END;",
        )
        .unwrap();
    let err = delete_author(&mut other.session(), 20).err_or_fail(
        "delete_author(20)",
        FILE,
        "a trigger refuses to delete author 20",
        "the author is still there. Return the error of `session.delete` (`?` does it)",
    );
    assert!(
        matches!(err, DeleteAuthorError::Database(_)),
        "delete_author(20) in {FILE}: author 20 has no books; a trigger refused the delete \
         (a constraint, but not the foreign key), so it must be DeleteAuthorError::Database(the \
         error), not {err:?}. `is_constraint_violation()` is true for every constraint; \
         `is_foreign_key_violation()` only for the foreign key's"
    );
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn an_unknown_author_is_an_error(lesson: Engine) {
    let err = delete_author(&mut lesson.session(), 99).err_or_fail(
        "delete_author(99)",
        FILE,
        "there is no author 99",
        "nothing was deleted. Look the author up first (`session.get::<Author>(id)`) and return \
         DeleteAuthorError::NoSuchAuthor when there is none",
    );
    assert!(
        matches!(err, DeleteAuthorError::NoSuchAuthor { author_id: 99 }),
        "delete_author(99) in {FILE}: expected DeleteAuthorError::NoSuchAuthor {{ author_id: 99 }}, got {err:?}"
    );
}
