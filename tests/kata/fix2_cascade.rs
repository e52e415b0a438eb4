//! Fix 2 (locked): deleting an author, with a cascade and without one.
//! To unlock, delete the `#[ignore = "locked: fix-2 ..."]` lines.

use models_kata::kata::fix2_cascade::{
    DeleteAuthorError, create_tables_with_cascade, delete_author,
};
use models_kata::orm::Engine;
use pretty_assertions::assert_eq;
use rstest::rstest;

use crate::support::{LESSON_ROWS, describe_schema, empty, lesson, number, other, rows};

/// The lesson's rows in the learner's cascading schema, foreign keys on.
fn cascading() -> Engine {
    let engine = empty();
    create_tables_with_cascade(&engine).unwrap();
    engine.connection().execute_batch(LESSON_ROWS).unwrap();
    engine
}

fn ids(engine: &Engine, table: &str) -> Vec<i64> {
    rows(engine, &format!("SELECT id FROM {table} ORDER BY id"))
        .into_iter()
        .map(|r| r[0].parse().unwrap())
        .collect()
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn the_schema_declares_the_cascade(empty: Engine) {
    assert_eq!(
        create_tables_with_cascade(&empty).unwrap(),
        ["authors", "books"]
    );
    insta::assert_snapshot!("fix2_schema", describe_schema(&empty));
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
        delete_author(&mut session, author).unwrap(),
        books,
        "books deleted with the author"
    );
    session.commit().unwrap();
    drop(session);
    assert_eq!(ids(&engine, "books"), left, "the other authors' books stay");
    assert!(!ids(&engine, "authors").contains(&author));
    assert_eq!(ids(&engine, "authors").len(), 2);
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn without_the_cascade_the_delete_is_refused_and_nothing_changes(lesson: Engine) {
    let mut session = lesson.session();
    let err = delete_author(&mut session, 2).expect_err("author 2 still has books");
    assert!(
        matches!(
            err,
            DeleteAuthorError::HasBooks {
                author_id: 2,
                books: 3
            }
        ),
        "expected DeleteAuthorError::HasBooks {{ author_id: 2, books: 3 }}, got {err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains('2') && message.contains('3'),
        "name the author and the books: {message}"
    );
    session.commit().expect("the session must still work");
    drop(session);
    assert_eq!(number(&lesson, "SELECT count(*) FROM authors"), 3);
    assert_eq!(number(&lesson, "SELECT count(*) FROM books"), 7);
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn an_author_without_books_can_always_go(other: Engine) {
    let mut session = other.session();
    assert_eq!(delete_author(&mut session, 20).unwrap(), 0);
    session.commit().unwrap();
    drop(session);
    assert_eq!(ids(&other, "authors"), [10, 30, 40]);
}

#[rstest]
#[ignore = "locked: fix-2 (cascade) — delete this line to unlock it"]
fn an_unknown_author_is_an_error(lesson: Engine) {
    let err = delete_author(&mut lesson.session(), 99).expect_err("there is no author 99");
    assert!(
        matches!(err, DeleteAuthorError::NoSuchAuthor { author_id: 99 }),
        "expected DeleteAuthorError::NoSuchAuthor {{ author_id: 99 }}, got {err:?}"
    );
}
