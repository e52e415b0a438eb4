//! The query builder: the SQL it writes, and values always bound.

use pretty_assertions::assert_eq;

use super::*;

#[test]
fn the_lessons_queries_as_sql() {
    let sql = [
        select::<Album>().filter(Album::YEAR.gt(2010)).to_sql(),
        select::<Artist>()
            .columns((Artist::NAME, count_of(Album::ID)))
            .join(Artist::ALBUMS)
            .group_by(Artist::ID)
            .having(count_of(Album::ID).gt(2))
            .to_sql(),
        select::<Album>()
            .columns((whole::<Album>(), Artist::NAME))
            .join(Album::ARTIST)
            .filter(
                Album::YEAR
                    .gt(2010)
                    .and(Album::TITLE.like("%Blue%").or(Album::YEAR.is_null())),
            )
            .order_by(Album::ID.asc())
            .order_by(Album::YEAR.desc())
            .limit(10)
            .to_sql(),
        select::<Artist>()
            .order_by(Artist::ID)
            .with(Artist::ALBUMS)
            .children_sql(3),
    ];
    insta::assert_snapshot!("lesson_queries_sql", sql.join("\n"));
}

#[test]
fn values_are_bound_never_inlined() {
    let hostile = "'; DROP TABLE albums; --";
    let query =
        select::<Album>().filter(Album::TITLE.eq(hostile).or(Album::YEAR.is_in([1965, 1966])));
    assert!(!query.to_sql().contains("DROP"));
    assert_eq!(
        query.params(),
        [
            rusqlite::types::Value::Text(hostile.into()),
            rusqlite::types::Value::Integer(1965),
            rusqlite::types::Value::Integer(1966)
        ]
    );
    let engine = seeded();
    let mut session = engine.session();
    assert_eq!(
        session.all(&query).unwrap(),
        [
            Album {
                id: Some(1),
                title: "Pastel Blues".into(),
                year: Some(1965),
                artist_id: 1
            },
            Album {
                id: Some(3),
                title: "Wild Is the Wind".into(),
                year: Some(1966),
                artist_id: 1
            },
        ]
    );
    assert_eq!(count(&engine, "albums"), 4);
}

#[test]
fn an_empty_in_list_matches_nothing() {
    let engine = seeded();
    let rows = engine
        .session()
        .all(&select::<Album>().filter(Album::ID.is_in([])))
        .unwrap();
    assert_eq!(rows, []);
}

#[test]
fn one_insists_on_exactly_one_row() {
    let engine = seeded();
    let mut session = engine.session();
    let one = session.one(
        &select::<Artist>()
            .columns(Artist::NAME)
            .filter(Artist::ID.eq(2)),
    );
    assert_eq!(one.unwrap(), "Miles Davis");
    let none = session.one(&select::<Artist>().filter(Artist::ID.eq(99)));
    assert!(matches!(none, Err(Error::NoRow { .. })));
    let many = session.one(&select::<Artist>());
    assert!(matches!(many, Err(Error::TooManyRows { count: 3, .. })));
}

#[test]
fn update_sets_columns_with_bound_values() {
    let engine = seeded();
    let mut session = engine.session();
    let change = update::<Album>()
        .set(Album::YEAR, Some(1967))
        .set(Album::TITLE, "Kind of Blue (remaster)")
        .filter(Album::ID.eq(2));
    assert_eq!(
        change.to_sql(),
        "UPDATE albums SET year = ?, title = ? WHERE albums.id = ?"
    );
    assert_eq!(session.execute(&change).unwrap(), 1);
    let album = session.get::<Album>(2).unwrap().unwrap();
    assert_eq!(
        (album.title.as_str(), album.year),
        ("Kind of Blue (remaster)", Some(1967))
    );
    drop(session);
    assert_eq!(
        engine.session().get::<Album>(2).unwrap().unwrap().year,
        Some(1959),
        "not committed: rolled back"
    );
}

#[test]
fn an_update_that_sets_nothing_is_refused_before_any_sql() {
    let engine = seeded();
    let mut session = engine.session();
    session.add(Artist::new("Pending"));
    let log = engine.record();
    let err = session
        .execute(&update::<Album>().filter(Album::ID.eq(1)))
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "an UPDATE of `albums` needs at least one .set(column, value): it has nothing to change"
    );
    assert_eq!(log.statements(), Vec::<String>::new(), "not even the flush");
}

#[test]
fn too_many_values_for_one_statement_get_a_short_error() {
    let engine = seeded();
    let mut session = engine.session();
    let err = session
        .all(&select::<Album>().filter(Album::ID.is_in(0..40_000)))
        .unwrap_err();
    let message = err.to_string();
    let shown = &message[..message.len().min(600)];
    assert!(matches!(err, Error::Refused { .. }), "{shown}");
    assert!(
        message.starts_with(
            "this statement binds 40000 values, and SQLite binds at most 32766 in one statement"
        ),
        "{shown}"
    );
    assert!(
        message.contains("IN (?, ?, ?, ... 39996 more ?, ..., ?)"),
        "{shown}"
    );
    assert!(message.len() < 400, "{} characters", message.len());
    let err = session
        .execute(
            &update::<Album>()
                .set(Album::YEAR, Some(2000))
                .filter(Album::ID.is_in(0..40_000)),
        )
        .unwrap_err();
    let message = err.to_string();
    assert!(message.len() < 400, "{}", &message[..600]);
    // Any statement error shows a long statement shortened.
    engine
        .connection()
        .execute_batch("DROP TABLE albums")
        .unwrap();
    let err = session
        .all(&select::<Album>().filter(Album::ID.is_in(0..2_000)))
        .unwrap_err()
        .to_string();
    let err = &err[..err.len().min(600)];
    assert!(err.starts_with("no such table: albums"), "{err}");
    assert!(
        err.contains("IN (?, ?, ?, ... 1996 more ?, ..., ?)"),
        "{err}"
    );
    assert!(err.len() < 400, "{err}");
}

/// SQLite's "too many SQL variables" reaches the ORM as a plain failure or,
/// from `prepare`, with the offending offset; either one gets the short
/// error, and a `?` inside a quoted name is not a value.
#[test]
fn too_many_values_is_recognised_in_either_form_of_the_error() {
    use crate::orm::query::prepare_error;
    let engine = Engine::in_memory().unwrap();
    let sql = "SELECT \"odd?name\" FROM t WHERE a IN (?, ?) AND \"b??\" = ?";
    let message = "too many SQL variables".to_string();
    let failure = rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
        Some(message.clone()),
    );
    let input = rusqlite::Error::SqlInputError {
        error: rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
        msg: message,
        sql: sql.into(),
        offset: 0,
    };
    for error in [failure, input] {
        let err = prepare_error(engine.connection(), sql, error);
        assert!(matches!(err, Error::Refused { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with("this statement binds 3 values, and SQLite binds at most"),
            "{err}"
        );
    }
}
