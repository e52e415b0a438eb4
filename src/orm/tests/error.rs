//! Error messages, and the diagnosis behind them.

use pretty_assertions::assert_eq;

use super::*;

/// The messages a learner meets, in one place: each names the table, the
/// column or row, the value and the rule that refused it.
#[test]
fn error_messages() {
    let engine = with_genres();
    let mut session = engine.session();
    let mut messages = Vec::new();
    let mut note = |what: &str, err: Error| messages.push(format!("{what}:\n  {err}"));

    session.add(Album::new("Orphan", Some(2000), 999));
    note("a foreign key with no parent", session.flush().unwrap_err());
    session.add(Genre::new("jazz"));
    note("a UNIQUE column", session.flush().unwrap_err());
    session.add(AlbumGenre {
        album_id: 1,
        genre_id: 1,
    });
    note("a composite key stored twice", session.flush().unwrap_err());
    let long = "x".repeat(100);
    session.add(Album::new(format!("It's {long}"), None, 999));
    note("a long value, shortened", session.flush().unwrap_err());
    let nina = session.get::<Artist>(1).unwrap().unwrap();
    note(
        "a parent that still has children",
        session.delete(&nina).unwrap_err(),
    );
    note(
        "no row for one()",
        session
            .one(&select::<Artist>().filter(Artist::ID.eq(99)))
            .unwrap_err(),
    );
    note(
        "several rows for one()",
        session.one(&select::<Artist>()).unwrap_err(),
    );
    let pending = session.add(Artist::new("Pending"));
    note(
        "an id asked for before flush",
        session.flushed_id(&pending).unwrap_err(),
    );
    note(
        "a column SQLite cannot add",
        crate::orm::schema::add_column(engine.connection(), Album::table(), Album::TITLE.mapped())
            .unwrap_err(),
    );
    note(
        "a foreign key to an unknown table",
        Metadata::new()
            .register::<Album>()
            .create_all(&Engine::in_memory().unwrap())
            .unwrap_err(),
    );
    engine
        .connection()
        .execute_batch(
            "CREATE TRIGGER no_demos BEFORE INSERT ON albums WHEN NEW.title LIKE 'Demo%'
             BEGIN SELECT RAISE(ABORT, 'demos are not albums'); END;",
        )
        .unwrap();
    session.add(Album::new("Demo tape\nside B", Some(1961), 1));
    note("a row a trigger refuses", session.flush().unwrap_err());
    note(
        "another session's transaction is open",
        engine
            .session()
            .all(&select::<Artist>())
            .map(|_| ())
            .unwrap_err(),
    );
    note(
        "an UPDATE with nothing to set",
        session.execute(&update::<Album>()).unwrap_err(),
    );
    note(
        "more values than SQLite binds",
        session
            .all(&select::<Album>().filter(Album::ID.is_in(0..40_000)))
            .map(|_| ())
            .unwrap_err(),
    );
    note(
        "get() on a composite key",
        session.get::<AlbumGenre>(1).map(|_| ()).unwrap_err(),
    );
    note(
        "foreign keys changed inside a transaction",
        engine.set_foreign_keys(false).unwrap_err(),
    );
    note(
        "an index name already taken",
        Metadata::new()
            .register_table(&CLASH_A_B)
            .register_table(&CLASH_A)
            .create_all(&engine)
            .unwrap_err(),
    );
    engine.connection().execute_batch(POISON).unwrap();
    session.add(Album::new("Poison", None, 1));
    note(
        "a trigger that ends the whole transaction",
        session.flush().unwrap_err(),
    );
    note("the next call after it", session.flush().unwrap_err());
    insta::assert_snapshot!("error_messages", messages.join("\n"));
}

#[test]
fn only_constraint_failures_are_constraint_violations() {
    let engine = seeded();
    let no_row = engine
        .session()
        .one(&select::<Artist>().filter(Artist::ID.eq(99)))
        .unwrap_err();
    assert!(!no_row.is_constraint_violation());
    let syntax = Error::from(engine.connection().execute("NOT SQL", []).unwrap_err());
    assert!(!syntax.is_constraint_violation());
    let mut session = engine.session();
    session.add(Album::new("Orphan", None, 999));
    let insert = session.flush().unwrap_err();
    assert!(insert.is_constraint_violation());
    let source = std::error::Error::source(&insert).expect("SQLite's error is the source");
    assert_eq!(source.to_string(), "FOREIGN KEY constraint failed");
}

#[test]
fn only_a_foreign_key_failure_gets_the_missing_parent_detail() {
    let engine = seeded();
    engine.set_foreign_keys(false).unwrap();
    engine
        .connection()
        .execute_batch(
            "CREATE TRIGGER no_bells BEFORE INSERT ON albums WHEN NEW.title LIKE 'Bell%'
             BEGIN SELECT RAISE(ABORT, 'no bells'); END;",
        )
        .unwrap();
    let mut session = engine.session();
    session.add(Album::new("Bell\u{7}", None, 999));
    let err = session.flush().unwrap_err().to_string();
    assert_eq!(
        err,
        "cannot insert into `albums` (title = 'Bell\\u{7}', year = NULL, artist_id = 999): no bells"
    );
}

#[test]
fn a_refused_delete_names_only_the_tables_that_point_at_the_row() {
    let engine = with_genres();
    let column = Column::<Album, Option<i64>>::new("genre_id")
        .mapped()
        .references("genres", "id");
    crate::orm::schema::add_column(engine.connection(), Album::table(), column).unwrap();
    let mut session = engine.session();
    let jazz = session.get::<Genre>(1).unwrap().unwrap();
    let err = session.delete(&jazz).unwrap_err().to_string();
    let detail = err.rsplit(": ").next().unwrap_or_default();
    assert_eq!(
        detail, "2 rows of album_genres (genre_id) still point at it",
        "the albums table points at genres too, but no album at this one: {err}"
    );
}

#[test]
fn a_foreign_key_failure_is_told_apart_from_a_duplicate_key() {
    let engine = Engine::in_memory().unwrap();
    engine.set_foreign_keys(true).unwrap();
    let conn = engine.connection();
    conn.execute_batch(
        "CREATE TABLE parents (id INTEGER PRIMARY KEY);
         CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents(id));
         INSERT INTO parents (id) VALUES (1);",
    )
    .unwrap();
    let run = |sql: &str| Error::from(conn.execute(sql, []).unwrap_err());
    let orphan = run("INSERT INTO children (parent_id) VALUES (2)");
    assert!(orphan.is_foreign_key_violation() && orphan.is_constraint_violation());
    let duplicate = run("INSERT INTO parents (id) VALUES (1)");
    assert!(!duplicate.is_foreign_key_violation() && duplicate.is_constraint_violation());
    let syntax = run("NOT SQL");
    assert!(!syntax.is_foreign_key_violation());
}

#[test]
fn long_statement_texts_are_shortened_exactly() {
    use crate::orm::error::shorten;
    // A run of more than four placeholders keeps three and counts the rest.
    assert_eq!(shorten("x IN (?, ?, ?, ?, ?)"), "x IN (?, ?, ?, ?, ?)");
    assert_eq!(
        shorten("x IN (?, ?, ?, ?, ?, ?, ?) AND y IN (?, ?)"),
        "x IN (?, ?, ?, ... 3 more ?, ..., ?) AND y IN (?, ?)"
    );
    // Past 600 characters: the first 300 and the last 150, and how many
    // were left out between them.
    let text: String = (0..1000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let short = shorten(&text);
    assert_eq!(
        short,
        format!(
            "{} ... (550 characters left out) ... {}",
            &text[..300],
            &text[850..]
        )
    );
    assert_eq!(shorten(&text[..600]), &text[..600]);
}
