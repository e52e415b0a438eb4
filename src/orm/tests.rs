//! The ORM's own tests, on the example models (artists and albums). They
//! do not touch the kata's exercises, so they pass on the untouched stubs.

use pretty_assertions::assert_eq;

use super::example::{Album, AlbumGenre, Artist, Genre};
use super::*;

fn engine() -> Engine {
    let engine = Engine::in_memory().unwrap();
    engine.set_foreign_keys(true).unwrap();
    Metadata::new()
        .register::<Artist>()
        .register::<Album>()
        .create_all(&engine)
        .unwrap();
    engine
}

/// Two artists with two albums and one album, committed.
fn seeded() -> Engine {
    let engine = engine();
    engine
        .connection()
        .execute_batch(
            "INSERT INTO artists (id, name) VALUES (1, 'Nina Simone'), (2, 'Miles Davis'), (3, 'Nobody');
             INSERT INTO albums (id, title, year, artist_id) VALUES
                (1, 'Pastel Blues', 1965, 1), (2, 'Kind of Blue', 1959, 2), (3, 'Wild Is the Wind', 1966, 1),
                (4, 'Untitled', NULL, 2);",
        )
        .unwrap();
    engine
}

fn count(engine: &Engine, table: &str) -> i64 {
    let sql = format!("SELECT count(*) FROM {table}");
    engine
        .connection()
        .query_row(&sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn ddl_snapshot() {
    let mut ddl = String::new();
    for table in Metadata::new()
        .register::<Album>()
        .register::<Artist>()
        .sorted_tables()
        .unwrap()
    {
        ddl.push_str(&schema::create_table_sql(table));
        ddl.push_str(";\n");
        for index in schema::create_index_sql(table) {
            ddl.push_str(&index);
            ddl.push_str(";\n");
        }
    }
    insta::assert_snapshot!("ddl", ddl);
}

#[test]
fn cascade_appears_in_the_ddl() {
    let def = Album::ARTIST_ID
        .mapped()
        .references("artists", "id")
        .on_delete_cascade();
    assert_eq!(def.foreign_key.unwrap().on_delete, OnDelete::Cascade);
    // On a column without a foreign key it does nothing.
    assert_eq!(
        Album::TITLE.mapped().on_delete_cascade(),
        Album::TITLE.mapped()
    );
}

#[test]
fn create_all_refuses_an_unknown_parent_table() {
    let engine = Engine::in_memory().unwrap();
    let err = Metadata::new()
        .register::<Album>()
        .create_all(&engine)
        .unwrap_err();
    assert!(
        err.to_string().contains("references table `artists`"),
        "{err}"
    );
    assert!(!schema::table_exists(engine.connection(), "albums").unwrap());
}

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

fn count_of<M: Model, T>(column: Column<M, T>) -> Count {
    super::count(column)
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
fn add_runs_no_sql_and_flush_assigns_ids() {
    let engine = engine();
    let mut session = engine.session();
    let log = engine.record();
    let nina = session.add(Artist::new("Nina Simone"));
    assert_eq!(log.statements(), Vec::<String>::new());
    assert_eq!(session.id(&nina), None);
    assert_eq!(session.state(&nina), Some(ObjectState::Pending));
    assert!(matches!(
        session.flushed_id(&nina),
        Err(Error::NotFlushed { table: "artists" })
    ));
    session.flush().unwrap();
    assert_eq!(session.id(&nina), Some(1));
    assert_eq!(session.object(&nina).unwrap().id, Some(1));
    assert_eq!(session.state(&nina), Some(ObjectState::Flushed));
    assert_eq!(
        log.statements(),
        [
            "BEGIN",
            "SAVEPOINT orm_flush",
            "INSERT INTO artists (name) VALUES (?)",
            "RELEASE orm_flush"
        ]
    );
}

#[test]
fn a_query_autoflushes_and_drop_rolls_back() {
    let engine = engine();
    {
        let mut session = engine.session();
        session.add(Artist::new("Nina Simone"));
        let seen = session.all(&select::<Artist>()).unwrap();
        assert_eq!(
            seen,
            [Artist {
                id: Some(1),
                name: "Nina Simone".into()
            }]
        );
    }
    assert_eq!(
        count(&engine, "artists"),
        0,
        "dropping the session rolls back"
    );
    assert!(engine.connection().is_autocommit());
}

#[test]
fn commit_is_visible_to_another_connection() {
    let dir = std::env::temp_dir().join(format!("orm-commit-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&dir);
    let writer = Engine::open(&dir).unwrap();
    Metadata::new()
        .register::<Artist>()
        .create_all(&writer)
        .unwrap();
    let reader = Engine::open(&dir).unwrap();
    let mut session = writer.session();
    let h = session.add(Artist::new("Nina Simone"));
    session.flush().unwrap();
    assert_eq!(count(&reader, "artists"), 0, "flushed is not committed");
    session.commit().unwrap();
    assert_eq!(session.state(&h), Some(ObjectState::Committed));
    assert_eq!(count(&reader, "artists"), 1, "committed is visible");
    drop(session);
    drop((writer, reader));
    let _ = std::fs::remove_file(&dir);
}

#[test]
fn rollback_discards_flushed_and_pending_objects() {
    let engine = engine();
    let mut session = engine.session();
    let kept = session.add(Artist::new("Kept"));
    session.commit().unwrap();
    let flushed = session.add(Artist::new("Flushed"));
    session.flush().unwrap();
    let pending = session.add(Artist::new("Pending"));
    session.rollback().unwrap();
    assert_eq!(session.id(&kept), Some(1));
    assert_eq!(session.id(&flushed), None);
    assert_eq!(session.object(&flushed).unwrap().id, None);
    assert_eq!(session.state(&pending), Some(ObjectState::Discarded));
    assert_eq!(session.pending(), 0);
    assert_eq!(count(&engine, "artists"), 1);
    // SQLite hands the rolled-back id out again.
    let next = session.add(Artist::new("Next"));
    session.commit().unwrap();
    assert_eq!(session.id(&next), Some(2));
}

#[test]
fn a_failed_flush_leaves_nothing_and_the_session_usable() {
    let engine = engine();
    let mut session = engine.session();
    let artist = session.add(Artist::new("Nina Simone"));
    session.flush().unwrap();
    let artist_id = session.id(&artist).unwrap();
    let good = session.add(Album::new("Pastel Blues", Some(1965), artist_id));
    let bad = session.add(Album::new("Orphan", None, 999));
    let err = session.flush().unwrap_err();
    assert!(err.is_constraint_violation(), "{err}");
    assert!(
        err.to_string()
            .contains("artist_id = 999 matches no row of artists(id)"),
        "{err}"
    );
    assert_eq!(
        session.state(&good),
        Some(ObjectState::Pending),
        "undone, to be sent again"
    );
    assert_eq!(session.state(&bad), Some(ObjectState::Discarded));
    assert_eq!(session.id(&good), None);
    session.commit().unwrap();
    assert_eq!(session.id(&good), Some(1));
    assert_eq!(count(&engine, "albums"), 1);
}

#[test]
fn values_must_cover_every_column_once() {
    struct Broken {
        id: Option<i64>,
        name: String,
    }
    impl Model for Broken {
        fn table() -> &'static Table {
            const TABLE: Table = Table::new(
                "broken",
                &[
                    Column::<Broken, i64>::new("id").mapped().primary_key(),
                    Column::<Broken, String>::new("name").mapped(),
                    Column::<Broken, String>::new("extra").mapped(),
                ],
            );
            &TABLE
        }
        fn from_row(_: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
            unreachable!()
        }
        fn values(&self) -> Values<'_, Self> {
            Values::new().set(Column::new("name"), &self.name)
        }
        fn id(&self) -> Option<i64> {
            self.id
        }
        fn set_id(&mut self, id: Option<i64>) {
            self.id = id;
        }
    }
    let engine = Engine::in_memory().unwrap();
    Metadata::new()
        .register::<Broken>()
        .create_all(&engine)
        .unwrap();
    let mut session = engine.session();
    session.add(Broken {
        id: None,
        name: "x".into(),
    });
    let err = session.flush().unwrap_err();
    assert_eq!(
        err.to_string(),
        "model for table `broken`: values() sets no value for column `extra`"
    );
}

#[test]
fn eager_loading_takes_two_statements_and_keeps_childless_parents() {
    let engine = seeded();
    let mut session = engine.session();
    let log = engine.record();
    let rows = session
        .all(
            &select::<Artist>()
                .order_by(Artist::ID.asc())
                .with(Artist::ALBUMS),
        )
        .unwrap();
    assert_eq!(log.selects().len(), 2);
    let shape: Vec<(String, Vec<String>)> = rows
        .into_iter()
        .map(|(a, albums)| (a.name, albums.into_iter().map(|b| b.title).collect()))
        .collect();
    assert_eq!(
        shape,
        [
            (
                "Nina Simone".to_string(),
                vec!["Pastel Blues".to_string(), "Wild Is the Wind".to_string()]
            ),
            (
                "Miles Davis".to_string(),
                vec!["Kind of Blue".to_string(), "Untitled".to_string()]
            ),
            ("Nobody".to_string(), vec![]),
        ]
    );
    // No parents: one statement, no IN () list.
    let none = session
        .all(
            &select::<Artist>()
                .filter(Artist::ID.gt(100))
                .with(Artist::ALBUMS),
        )
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(log.selects().len(), 3);
}

#[test]
fn lazy_navigation_both_ways() {
    let engine = seeded();
    let mut session = engine.session();
    let nina = session.get::<Artist>(1).unwrap().unwrap();
    let titles: Vec<String> = session
        .children(&nina, Artist::ALBUMS)
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles, ["Pastel Blues", "Wild Is the Wind"]);
    let album = session.get::<Album>(2).unwrap().unwrap();
    let artist = session.parent(&album, Album::ARTIST).unwrap().unwrap();
    assert_eq!(artist.name, "Miles Davis");
    assert_eq!(session.get::<Artist>(99).unwrap(), None);
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
fn delete_follows_the_foreign_keys() {
    let engine = seeded();
    let mut session = engine.session();
    let nina = session.get::<Artist>(1).unwrap().unwrap();
    let err = session.delete(&nina).unwrap_err();
    assert!(err.is_constraint_violation(), "{err}");
    let nobody = session.get::<Artist>(3).unwrap().unwrap();
    assert_eq!(session.delete(&nobody).unwrap(), 1);
    session.commit().unwrap();
    assert_eq!(count(&engine, "artists"), 2);
}

#[test]
fn echo_prints_statements_with_their_values() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let engine = seeded();
    let sink = Sink::default();
    engine.echo_to(Some(Box::new(sink.clone())));
    engine
        .session()
        .all(&select::<Artist>().filter(Artist::NAME.eq("Nina Simone")))
        .unwrap();
    let raw = "SELECT count(*) FROM albums WHERE title = ?1 AND year > ?2 AND '?' <> ?1";
    let forged = "x'\n[sql] DROP TABLE albums; --";
    let params = rusqlite::params![forged, 1950.5];
    engine
        .connection()
        .query_row(raw, params, |r| r.get::<_, i64>(0))
        .unwrap();
    engine.connection().execute_batch("SELECT 1").unwrap();
    engine.echo_to(None);
    engine.session().all(&select::<Artist>()).unwrap();
    let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        text,
        "[sql] SELECT artists.id, artists.name FROM artists WHERE artists.name = ?\n\
         [sql] ('Nina Simone',)\n\
         [sql] SELECT count(*) FROM albums WHERE title = ?1 AND year > ?2 AND '?' <> ?1\n\
         [sql] ('x''\\n[sql] DROP TABLE albums; --', 1950.5)\n\
         [sql] SELECT 1\n"
    );
}

#[test]
fn statement_logs_nest() {
    let engine = seeded();
    let outer = engine.record();
    engine.session().all(&select::<Artist>()).unwrap();
    {
        let inner = engine.record();
        engine.session().all(&select::<Album>()).unwrap();
        assert_eq!(inner.selects().len(), 1);
    }
    assert_eq!(outer.selects().len(), 2);
    drop(outer);
    let fresh = engine.record();
    assert!(fresh.statements().is_empty());
}

#[test]
fn foreign_keys_are_off_unless_turned_on() {
    let engine = Engine::in_memory().unwrap();
    assert!(!engine.foreign_keys().unwrap());
    engine.set_foreign_keys(true).unwrap();
    assert!(engine.foreign_keys().unwrap());
}

#[test]
fn is_query_recognises_reads() {
    assert!(engine::is_query("SELECT 1"));
    assert!(engine::is_query("  with x as (select 1) select * from x"));
    assert!(!engine::is_query("INSERT INTO t VALUES (1)"));
    assert!(!engine::is_query("é"));
}

fn with_genres() -> Engine {
    let engine = seeded();
    Metadata::new()
        .register::<AlbumGenre>()
        .register::<Genre>()
        .create_all(&engine)
        .unwrap();
    engine
        .connection()
        .execute_batch(
            "INSERT INTO genres (id, name) VALUES (1, 'jazz'), (2, 'soul'), (3, 'unused');
             INSERT INTO album_genres (album_id, genre_id) VALUES (1, 1), (1, 2), (2, 1), (3, 2);",
        )
        .unwrap();
    engine
}

#[test]
fn many_to_many_ddl_and_sql() {
    let mut out = schema::create_table_sql(AlbumGenre::table());
    out.push('\n');
    out.push_str(&schema::create_index_sql(AlbumGenre::table()).join("\n"));
    out.push('\n');
    out.push_str(&schema::create_table_sql(Genre::table()));
    out.push('\n');
    out.push_str(
        &select::<Album>()
            .join(Album::GENRES)
            .filter(Genre::NAME.eq("jazz"))
            .order_by(Album::ID.asc())
            .to_sql(),
    );
    out.push('\n');
    out.push_str(
        &select::<Genre>()
            .columns(Genre::NAME)
            .join(Genre::ALBUMS)
            .filter(Album::ID.eq(1))
            .order_by(Genre::NAME.asc())
            .to_sql(),
    );
    insta::assert_snapshot!("many_to_many", out);
}

#[test]
fn many_to_many_both_ways() {
    let engine = with_genres();
    let mut session = engine.session();
    let jazz: Vec<String> = session
        .all(
            &select::<Album>()
                .columns(Album::TITLE)
                .join(Album::GENRES)
                .filter(Genre::NAME.eq("jazz"))
                .order_by(Album::ID.asc()),
        )
        .unwrap();
    assert_eq!(jazz, ["Pastel Blues", "Kind of Blue"]);
    let genres: Vec<String> = session
        .all(
            &select::<Genre>()
                .columns(Genre::NAME)
                .join(Genre::ALBUMS)
                .filter(Album::ID.eq(1))
                .order_by(Genre::NAME.asc()),
        )
        .unwrap();
    assert_eq!(genres, ["jazz", "soul"]);
    let none: Vec<String> = session
        .all(
            &select::<Album>()
                .columns(Album::TITLE)
                .join(Album::GENRES)
                .filter(Genre::NAME.eq("unused")),
        )
        .unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_link_is_stored_once() {
    let engine = with_genres();
    let mut session = engine.session();
    session.add(AlbumGenre {
        album_id: 2,
        genre_id: 2,
    });
    session.flush().unwrap();
    session.add(AlbumGenre {
        album_id: 2,
        genre_id: 2,
    });
    let err = session.flush().unwrap_err();
    assert!(err.is_constraint_violation(), "{err}");
    session.commit().unwrap();
    assert_eq!(count(&engine, "album_genres"), 5);
}

#[test]
fn unique_columns_refuse_duplicates() {
    let engine = with_genres();
    let mut session = engine.session();
    session.add(Genre::new("jazz"));
    assert!(session.flush().unwrap_err().is_constraint_violation());
}

#[test]
fn add_column_keeps_rows_and_indexes_the_foreign_key() {
    let engine = seeded();
    Metadata::new()
        .register::<Genre>()
        .create_all(&engine)
        .unwrap();
    let column = Column::<Album, Option<i64>>::new("genre_id")
        .mapped()
        .references("genres", "id");
    assert!(schema::add_column(engine.connection(), Album::table(), column).unwrap());
    assert!(
        !schema::add_column(engine.connection(), Album::table(), column).unwrap(),
        "twice is a no-op"
    );
    assert_eq!(count(&engine, "albums"), 4);
    let sql: String = engine
        .connection()
        .query_row("SELECT group_concat(name, ' ') FROM sqlite_schema WHERE tbl_name = 'albums' ORDER BY name", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sql, "albums ix_albums_artist_id ix_albums_genre_id");
    let nulls: i64 = engine
        .connection()
        .query_row(
            "SELECT count(*) FROM albums WHERE genre_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nulls, 4);
}

#[rstest::rstest]
#[case::not_null(Column::<Album, i64>::new("x").mapped(), "existing rows would need a value")]
#[case::unique(Column::<Album, Option<i64>>::new("x").mapped().unique(), "UNIQUE")]
#[case::primary_key(Column::<Album, Option<i64>>::new("x").mapped().primary_key(), "primary key")]
fn add_column_refuses_what_sqlite_cannot_do(#[case] column: ColumnDef, #[case] why: &str) {
    let engine = seeded();
    let err = schema::add_column(engine.connection(), Album::table(), column).unwrap_err();
    assert!(err.to_string().contains(why), "{err}");
}

#[test]
fn add_column_needs_the_table() {
    let engine = Engine::in_memory().unwrap();
    let column = Column::<Album, Option<i64>>::new("x").mapped();
    let err = schema::add_column(engine.connection(), Album::table(), column).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
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
fn without_the_foreign_key_index_a_lookup_scans_the_table() {
    let plan = |engine: &Engine| -> String {
        let sql = "EXPLAIN QUERY PLAN SELECT albums.id FROM albums WHERE albums.artist_id = ?1";
        let mut stmt = engine.connection().prepare(sql).unwrap();
        let details: Vec<String> = stmt
            .query_map([1], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        details.join("; ")
    };
    let bare = Engine::in_memory().unwrap();
    bare.connection()
        .execute_batch(&schema::create_table_sql(Album::table()))
        .unwrap();
    assert_eq!(plan(&bare), "SCAN albums");
    assert_eq!(
        plan(&engine()),
        "SEARCH albums USING COVERING INDEX ix_albums_artist_id (artist_id=?)"
    );
}

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
        schema::add_column(engine.connection(), Album::table(), Album::TITLE.mapped()).unwrap_err(),
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

// ---- what the mutation tests showed to be unchecked ----------------------

#[test]
fn debug_output_names_what_it_shows() {
    let engine = engine();
    assert!(format!("{engine:?}").starts_with("Engine"));
    assert_eq!(format!("{:?}", Album::YEAR), "Column(year)");
    let mut session = engine.session();
    let handle = session.add(Artist::new("A"));
    assert_eq!(format!("{handle:?}"), "Handle(0)");
    assert_eq!(
        format!("{session:?}"),
        "Session { objects: 1, in_transaction: false }"
    );
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
fn flushed_objects_get_their_ids_and_links_have_none() {
    let engine = with_genres();
    let mut session = engine.session();
    let genre = session.add(Genre::new("blues"));
    let link = session.add(AlbumGenre {
        album_id: 3,
        genre_id: 1,
    });
    session.flush().unwrap();
    assert_eq!(session.id(&genre), Some(4));
    assert_eq!(session.object(&genre).unwrap().id, Some(4));
    assert_eq!(session.id(&link), None, "a link row has no id of its own");
}

/// Reads its columns out of table order, and lists its values out of
/// table order: the mapping must not depend on either.
#[derive(Debug, PartialEq)]
struct Shuffled {
    id: Option<i64>,
    a: String,
    b: String,
}

impl Shuffled {
    const ID: Column<Shuffled, i64> = Column::new("id");
    const A: Column<Shuffled, String> = Column::new("a");
    const B: Column<Shuffled, String> = Column::new("b");
}

impl Model for Shuffled {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "shuffled",
            &[
                Shuffled::ID.mapped().primary_key(),
                Shuffled::A.mapped(),
                Shuffled::B.mapped(),
            ],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        let b = row.get(Shuffled::B)?;
        let id = row.get(Shuffled::ID)?;
        let a = row.get(Shuffled::A)?;
        Ok(Shuffled { id: Some(id), a, b })
    }
    fn values(&self) -> Values<'_, Self> {
        Values::new()
            .set(Shuffled::B, &self.b)
            .set(Shuffled::A, &self.a)
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

#[test]
fn columns_and_values_in_any_order() {
    let engine = Engine::in_memory().unwrap();
    Metadata::new()
        .register::<Shuffled>()
        .create_all(&engine)
        .unwrap();
    let mut session = engine.session();
    session.add(Shuffled {
        id: None,
        a: "first".into(),
        b: "second".into(),
    });
    session.commit().unwrap();
    let stored: (String, String) = engine
        .connection()
        .query_row("SELECT a, b FROM shuffled", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(stored, ("first".to_string(), "second".to_string()));
    let read = session.all(&select::<Shuffled>()).unwrap();
    assert_eq!(
        read,
        [Shuffled {
            id: Some(1),
            a: "first".into(),
            b: "second".into()
        }]
    );
}

#[test]
fn values_count_what_is_set() {
    let album = Album::new("T", None, 1);
    assert_eq!(album.values().len(), 3);
    assert!(!album.values().is_empty());
    assert!(Values::<Album>::new().is_empty());
}

#[test]
fn values_must_not_set_unknown_columns() {
    let engine = Engine::in_memory().unwrap();
    Metadata::new()
        .register::<Artist>()
        .create_all(&engine)
        .unwrap();
    /// An artist whose values() also sets a column the table does not have.
    #[derive(Debug)]
    struct Loud {
        id: Option<i64>,
        name: String,
    }
    impl Loud {
        fn new() -> Self {
            Loud {
                id: None,
                name: "loud".into(),
            }
        }
    }
    impl Model for Loud {
        fn table() -> &'static Table {
            Artist::table()
        }
        fn from_row(_: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
            Ok(Loud::new())
        }
        fn values(&self) -> Values<'_, Self> {
            Values::new()
                .set(Column::new("name"), &self.name)
                .set(Column::new("volume"), &self.name)
        }
        fn id(&self) -> Option<i64> {
            self.id
        }
        fn set_id(&mut self, id: Option<i64>) {
            self.id = id;
        }
    }
    let mut session = engine.session();
    session.add(Loud::new());
    let err = session.flush().unwrap_err();
    assert_eq!(
        err.to_string(),
        "model for table `artists`: values() sets `volume`, which is not a column to insert"
    );
}

#[rstest::rstest]
#[case::every_artist(select::<Artist>(), false)]
#[case::ordered_only(select::<Artist>().order_by(Artist::NAME.asc()), false)]
#[case::a_filter(select::<Artist>().filter(Artist::ID.lt(3)), true)]
#[case::a_join(select::<Artist>().join(Artist::ALBUMS), true)]
#[case::a_group(select::<Artist>().group_by(Artist::ID), true)]
#[case::a_having(select::<Artist>().group_by(Artist::ID).having(Artist::ID.lt(3)), true)]
#[case::a_limit(select::<Artist>().limit(2), true)]
fn children_are_filtered_by_parent_unless_every_parent_is_loaded(
    #[case] parents: Select<Artist>,
    #[case] in_list: bool,
) {
    let engine = seeded();
    let query = parents.with(Artist::ALBUMS);
    assert_eq!(Query::to_sql(&query), query_parent_sql(&query));
    let log = engine.record();
    engine.session().all(&query).unwrap();
    let children = log.selects().pop().unwrap();
    assert_eq!(children.contains(" IN ("), in_list, "{children}");
}

fn query_parent_sql(query: &WithChildren<Artist, Album>) -> String {
    let sql = Query::to_sql(query);
    assert!(
        sql.starts_with("SELECT artists.id, artists.name FROM artists"),
        "{sql}"
    );
    sql
}

/// A table whose foreign key points at itself.
struct Node {
    id: Option<i64>,
    parent_id: Option<i64>,
}

impl Node {
    const ID: Column<Node, i64> = Column::new("id");
    const PARENT_ID: Column<Node, Option<i64>> = Column::new("parent_id");
}

impl Model for Node {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "nodes",
            &[
                Node::ID.mapped().primary_key(),
                Node::PARENT_ID.mapped().references("nodes", "id"),
            ],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Node {
            id: Some(row.get(Node::ID)?),
            parent_id: row.get(Node::PARENT_ID)?,
        })
    }
    fn values(&self) -> Values<'_, Self> {
        Values::new().set(Node::PARENT_ID, &self.parent_id)
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

#[test]
fn a_table_may_point_at_itself() {
    let engine = engine();
    let created = Metadata::new()
        .register::<Node>()
        .register::<Artist>()
        .create_all(&engine)
        .unwrap();
    assert_eq!(created, ["nodes", "artists"]);
    let mut session = engine.session();
    let root = session.add(Node {
        id: None,
        parent_id: None,
    });
    session.flush().unwrap();
    let root_id = session.flushed_id(&root).unwrap();
    session.add(Node {
        id: None,
        parent_id: Some(root_id),
    });
    session.commit().unwrap();
    let parents: Vec<Option<i64>> = session
        .all(&select::<Node>().order_by(Node::ID.asc()))
        .unwrap()
        .into_iter()
        .map(|n| n.parent_id)
        .collect();
    assert_eq!(parents, [None, Some(1)]);
}

#[test]
fn thousands_of_objects_of_one_model() {
    let engine = engine();
    let mut session = engine.session();
    let handles: Vec<_> = (0..2500)
        .map(|i| session.add(Artist::new(format!("Artist {i}"))))
        .collect();
    assert_eq!(session.pending(), 2500);
    session.commit().unwrap();
    assert_eq!(session.pending(), 0);
    for i in [0, 1023, 1024, 1025, 2047, 2048, 2499] {
        let artist = session.object(&handles[i]).unwrap();
        assert_eq!(artist.name, format!("Artist {i}"));
        assert_eq!(session.id(&handles[i]), Some(i as i64 + 1));
    }
}

#[test]
fn a_refused_delete_names_only_the_tables_that_point_at_the_row() {
    let engine = with_genres();
    let column = Column::<Album, Option<i64>>::new("genre_id")
        .mapped()
        .references("genres", "id");
    schema::add_column(engine.connection(), Album::table(), column).unwrap();
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
fn two_failed_flushes_in_a_row() {
    let engine = engine();
    let mut session = engine.session();
    let artist = session.add(Artist::new("A"));
    session.flush().unwrap();
    let first_bad = session.add(Album::new("Bad 1", None, 998));
    assert!(session.flush().is_err());
    let good = session.add(Album::new("Good", None, session.id(&artist).unwrap()));
    let second_bad = session.add(Album::new("Bad 2", None, 999));
    assert!(session.flush().is_err());
    assert_eq!(
        session.state(&first_bad),
        Some(ObjectState::Discarded),
        "stays discarded"
    );
    assert_eq!(session.state(&second_bad), Some(ObjectState::Discarded));
    assert_eq!(session.state(&good), Some(ObjectState::Pending));
    assert_eq!(
        session.object(&good).unwrap().id,
        None,
        "the rolled-back id is taken back"
    );
    assert_eq!(session.pending(), 1);
    session.commit().unwrap();
    assert_eq!(count(&engine, "albums"), 1);
}

#[test]
fn a_discarded_object_stays_discarded_when_a_later_flush_fails() {
    let engine = engine();
    let mut session = engine.session();
    let artist = session.add(Artist::new("A"));
    session.flush().unwrap();
    let id = session.id(&artist).unwrap();
    let good_1 = session.add(Album::new("Good 1", None, id));
    let bad_1 = session.add(Album::new("Bad 1", None, 998));
    let good_2 = session.add(Album::new("Good 2", None, id));
    let bad_2 = session.add(Album::new("Bad 2", None, 999));
    assert!(session.flush().is_err(), "Bad 1 fails");
    assert!(
        session.flush().is_err(),
        "then Bad 2 fails, with Bad 1 inside its range"
    );
    let states = [good_1, bad_1, good_2, bad_2].map(|h| session.state(&h).unwrap());
    use ObjectState::{Discarded, Pending};
    assert_eq!(states, [Pending, Discarded, Pending, Discarded]);
    session.commit().unwrap();
    assert_eq!(count(&engine, "albums"), 2);
}

#[test]
fn parents_come_first_whatever_else_is_registered() {
    let tables = Metadata::new()
        .register::<Album>()
        .register::<Genre>()
        .register::<Artist>()
        .sorted_tables()
        .unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
    assert_eq!(names, ["genres", "artists", "albums"]);
}

#[test]
fn a_session_never_ends_a_transaction_it_did_not_begin() {
    let engine = engine();
    let conn = engine.connection();
    conn.execute_batch("BEGIN; INSERT INTO artists (name) VALUES ('outer');")
        .unwrap();
    {
        let mut session = engine.session();
        session.add(Artist::new("inner"));
        session.commit().unwrap();
        assert!(
            !conn.is_autocommit(),
            "commit must not end the outer transaction"
        );
        session.rollback().unwrap();
        assert!(!conn.is_autocommit(), "rollback must not end it either");
    }
    assert!(!conn.is_autocommit(), "nor dropping the session");
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(count(&engine, "artists"), 0);
}

#[test]
fn nothing_is_held_while_no_log_is_open() {
    let engine = seeded();
    engine.session().all(&select::<Artist>()).unwrap();
    assert_eq!(engine.held_statements(), 0);
    {
        let log = engine.record();
        engine.session().all(&select::<Artist>()).unwrap();
        assert_eq!(log.statements().len(), 1);
        assert_eq!(engine.held_statements(), 1);
    }
    assert_eq!(
        engine.held_statements(),
        0,
        "a dropped log frees what it held"
    );
    engine.session().all(&select::<Artist>()).unwrap();
    assert_eq!(engine.held_statements(), 0);
}

// ---- the unit of work under faults (issue 10) ------------------------------

/// A trigger that ends the whole transaction, as a full disk or an I/O
/// error would: SQLite rolls back by itself.
const POISON: &str = "CREATE TRIGGER poison BEFORE INSERT ON albums WHEN NEW.title = 'Poison'
     BEGIN SELECT RAISE(ROLLBACK, 'poison ends the transaction'); END;";

#[test]
fn a_transaction_sqlite_rolls_back_by_itself_loses_its_objects_until_rollback() {
    let engine = engine();
    engine.connection().execute_batch(POISON).unwrap();
    let mut session = engine.session();
    let earlier = session.add(Artist::new("Flushed earlier"));
    session.flush().unwrap();
    let artist_id = session.flushed_id(&earlier).unwrap();
    let good = session.add(Album::new("Good", None, artist_id));
    let poison = session.add(Album::new("Poison", None, artist_id));
    let err = session.flush().unwrap_err();
    assert!(
        err.to_string().contains("poison ends the transaction"),
        "SQLite's own error, not a missing savepoint: {err}"
    );
    assert!(
        engine.connection().is_autocommit(),
        "the transaction is gone"
    );
    for state in [&earlier].map(|h| session.state(h)) {
        assert_eq!(state, Some(ObjectState::Discarded), "its row is gone");
    }
    assert_eq!(session.state(&good), Some(ObjectState::Discarded));
    assert_eq!(session.state(&poison), Some(ObjectState::Discarded));
    assert_eq!(session.id(&earlier), None);
    assert_eq!(
        session.object(&earlier).unwrap().id,
        None,
        "the id is taken back"
    );
    // The cause is gone, but the session still refuses until rollback().
    engine
        .connection()
        .execute_batch("DROP TRIGGER poison")
        .unwrap();
    let later = session.add(Album::new("Points at a lost id", None, artist_id));
    for err in [
        session.commit().unwrap_err(),
        session.flush().unwrap_err(),
        session.all(&select::<Artist>()).map(|_| ()).unwrap_err(),
    ] {
        assert!(matches!(err, Error::TransactionLost { .. }), "{err}");
        assert!(
            err.to_string().contains("poison ends the transaction")
                && err.to_string().contains("session.rollback()"),
            "{err}"
        );
    }
    assert_eq!(session.state(&later), Some(ObjectState::Pending));
    assert_eq!(
        (count(&engine, "artists"), count(&engine, "albums")),
        (0, 0)
    );
    session.rollback().unwrap();
    assert_eq!(session.state(&later), Some(ObjectState::Discarded));
    let fresh = session.add(Artist::new("After rollback"));
    session.commit().unwrap();
    assert_eq!(session.state(&fresh), Some(ObjectState::Committed));
    assert_eq!(session.state(&earlier), Some(ObjectState::Discarded));
    assert_eq!(count(&engine, "artists"), 1);
}

#[test]
fn a_transaction_ended_by_raw_sql_is_noticed() {
    let engine = engine();
    let mut session = engine.session();
    let committed = session.add(Artist::new("Committed by raw SQL"));
    session.flush().unwrap();
    engine.connection().execute_batch("COMMIT").unwrap();
    session.commit().unwrap();
    assert_eq!(session.state(&committed), Some(ObjectState::Committed));
    let rolled_back = session.add(Artist::new("Rolled back by raw SQL"));
    session.flush().unwrap();
    engine.connection().execute_batch("ROLLBACK").unwrap();
    let err = session.commit().unwrap_err();
    assert!(matches!(err, Error::TransactionLost { .. }), "{err}");
    assert_eq!(session.state(&rolled_back), Some(ObjectState::Discarded));
    session.rollback().unwrap();
    assert_eq!(count(&engine, "artists"), 1);
}

#[test]
fn a_second_session_never_shares_the_first_ones_transaction() {
    let engine = engine();
    let mut first = engine.session();
    first.add(Artist::new("First"));
    first.flush().unwrap();
    let mut second = engine.session();
    let theirs = second.add(Artist::new("Second"));
    for err in [
        second.commit().unwrap_err(),
        second.all(&select::<Artist>()).map(|_| ()).unwrap_err(),
    ] {
        assert!(matches!(err, Error::TransactionInUse), "{err}");
        assert!(err.to_string().contains("another session"), "{err}");
    }
    assert_eq!(second.state(&theirs), Some(ObjectState::Pending));
    second.rollback().unwrap();
    assert_eq!(second.state(&theirs), Some(ObjectState::Discarded));
    first.rollback().unwrap();
    assert_eq!(
        count(&engine, "artists"),
        0,
        "the first session's rollback undid its row"
    );
    // Once the first session's transaction is over, the second one works.
    let again = second.add(Artist::new("Second, again"));
    second.commit().unwrap();
    assert_eq!(second.state(&again), Some(ObjectState::Committed));
    assert_eq!(count(&engine, "artists"), 1);
    assert!(engine.connection().is_autocommit());
}

#[test]
fn inside_a_raw_transaction_a_session_works_in_a_savepoint_of_its_own() {
    let engine = engine();
    let conn = engine.connection();
    conn.execute_batch("BEGIN; INSERT INTO artists (name) VALUES ('outer');")
        .unwrap();
    let mut session = engine.session();
    let undone = session.add(Artist::new("undone"));
    session.flush().unwrap();
    session.rollback().unwrap();
    assert_eq!(session.state(&undone), Some(ObjectState::Discarded));
    assert_eq!(
        count(&engine, "artists"),
        1,
        "rollback undid the session's row only"
    );
    let handed = session.add(Artist::new("handed over"));
    session.commit().unwrap();
    assert!(!conn.is_autocommit(), "the outer transaction is still open");
    assert_eq!(
        session.state(&handed),
        Some(ObjectState::Flushed),
        "not committed: the outer transaction decides"
    );
    session.rollback().unwrap();
    assert_eq!(
        session.state(&handed),
        Some(ObjectState::Flushed),
        "handed over: no longer the session's to undo"
    );
    conn.execute_batch("COMMIT").unwrap();
    assert_eq!(count(&engine, "artists"), 2);
}

#[test]
fn a_parent_that_comes_back_twice_carries_its_children_each_time() {
    let engine = seeded();
    let query = select::<Artist>()
        .join(Artist::ALBUMS)
        .order_by(Artist::ID.asc())
        .with(Artist::ALBUMS);
    let rows = engine.session().all(&query).unwrap();
    let shape: Vec<(i64, usize)> = rows
        .iter()
        .map(|(artist, albums)| (artist.id.unwrap(), albums.len()))
        .collect();
    assert_eq!(shape, [(1, 2), (1, 2), (2, 2), (2, 2)]);
    assert_eq!(rows[0].1, rows[1].1);
}

#[test]
fn foreign_keys_cannot_change_inside_a_transaction() {
    let engine = Engine::in_memory().unwrap();
    engine.connection().execute_batch("BEGIN").unwrap();
    let err = engine.set_foreign_keys(true).unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err}");
    assert!(
        err.to_string().contains("inside an open transaction"),
        "{err}"
    );
    assert!(
        !engine.foreign_keys().unwrap(),
        "still off, as SQLite left it"
    );
    engine.connection().execute_batch("COMMIT").unwrap();
    engine.set_foreign_keys(true).unwrap();
    assert!(engine.foreign_keys().unwrap());
}

/// `a_b.c` and `a.b_c`: both indexes would be called `ix_a_b_c`.
const CLASH_A_B: Table = Table::new(
    "a_b",
    &[
        Column::<Artist, i64>::new("id").mapped().primary_key(),
        Column::<Artist, i64>::new("c")
            .mapped()
            .references("artists", "id"),
    ],
);
const CLASH_A: Table = Table::new(
    "a",
    &[
        Column::<Artist, i64>::new("id").mapped().primary_key(),
        Column::<Artist, i64>::new("b_c")
            .mapped()
            .references("artists", "id"),
    ],
);

#[test]
fn two_indexes_never_share_a_name() {
    let engine = engine();
    let together = Metadata::new()
        .register::<Artist>()
        .register_table(&CLASH_A_B)
        .register_table(&CLASH_A);
    let err = together.create_all(&engine).unwrap_err().to_string();
    assert!(
        err.contains("`ix_a_b_c`") && err.contains("a_b(c)") && err.contains("a(b_c)"),
        "{err}"
    );
    assert!(!schema::table_exists(engine.connection(), "a_b").unwrap());
    // One at a time: the second finds the first one's index.
    let first = Metadata::new().register_table(&CLASH_A_B);
    first.create_all(&engine).unwrap();
    let err = Metadata::new()
        .register_table(&CLASH_A)
        .create_all(&engine)
        .unwrap_err();
    assert!(err.to_string().contains("`ix_a_b_c`"), "{err}");
    // The same tables again are fine: their indexes are theirs.
    first.create_all(&engine).unwrap();
    // Nor may a migration add the clashing index.
    engine
        .connection()
        .execute_batch("CREATE TABLE a (id INTEGER PRIMARY KEY)")
        .unwrap();
    let column = Column::<Artist, Option<i64>>::new("b_c")
        .mapped()
        .references("artists", "id");
    let err = schema::add_column(engine.connection(), &CLASH_A, column).unwrap_err();
    assert!(err.to_string().contains("`ix_a_b_c`"), "{err}");
}

/// A table named `select` whose text column is `Key "Name"`.
#[derive(Debug, PartialEq)]
struct Chooser {
    id: Option<i64>,
    key: String,
}

impl Chooser {
    const ID: Column<Chooser, i64> = Column::new("id");
    const KEY: Column<Chooser, String> = Column::new("Key \"Name\"");
    const PICKS: HasMany<Chooser, Pick> = HasMany::new(Pick::FROM);
}

impl Model for Chooser {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "select",
            &[Chooser::ID.mapped().primary_key(), Chooser::KEY.mapped()],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Chooser {
            id: Some(row.get(Chooser::ID)?),
            key: row.get(Chooser::KEY)?,
        })
    }
    fn values(&self) -> Values<'_, Self> {
        Values::new().set(Chooser::KEY, &self.key)
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

/// A table named `order`, with columns `group` and `from` (a foreign key).
#[derive(Debug, PartialEq)]
struct Pick {
    id: Option<i64>,
    group: String,
    from: i64,
}

impl Pick {
    const ID: Column<Pick, i64> = Column::new("id");
    const GROUP: Column<Pick, String> = Column::new("group");
    const FROM: Column<Pick, i64> = Column::new("from");
    const CHOOSER: BelongsTo<Pick, Chooser> = BelongsTo::new(Pick::FROM);
}

impl Model for Pick {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "order",
            &[
                Pick::ID.mapped().primary_key(),
                Pick::GROUP.mapped(),
                Pick::FROM.mapped().references("select", "id"),
            ],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Pick {
            id: Some(row.get(Pick::ID)?),
            group: row.get(Pick::GROUP)?,
            from: row.get(Pick::FROM)?,
        })
    }
    fn values(&self) -> Values<'_, Self> {
        Values::new()
            .set(Pick::GROUP, &self.group)
            .set(Pick::FROM, &self.from)
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

#[test]
fn any_name_works_and_only_names_that_need_it_are_quoted() {
    assert_eq!(
        schema::create_table_sql(Pick::table()),
        "CREATE TABLE IF NOT EXISTS \"order\" (\n    id INTEGER PRIMARY KEY,\n    \
         \"group\" TEXT NOT NULL,\n    \"from\" INTEGER NOT NULL REFERENCES \"select\"(id)\n)"
    );
    assert_eq!(Chooser::KEY.qualified(), "\"select\".\"Key \"\"Name\"\"\"");
    let engine = Engine::in_memory().unwrap();
    engine.set_foreign_keys(true).unwrap();
    Metadata::new()
        .register::<Pick>()
        .register::<Chooser>()
        .create_all(&engine)
        .unwrap();
    let mut session = engine.session();
    let chooser = session.add(Chooser {
        id: None,
        key: "k".into(),
    });
    session.flush().unwrap();
    let from = session.flushed_id(&chooser).unwrap();
    for group in ["a", "b"] {
        session.add(Pick {
            id: None,
            group: group.into(),
            from,
        });
    }
    session.commit().unwrap();
    let picks = session
        .all(
            &select::<Pick>()
                .columns((Pick::GROUP, Chooser::KEY, count_of(Pick::ID)))
                .join(Pick::CHOOSER)
                .filter(Pick::GROUP.eq("a"))
                .group_by(Pick::GROUP)
                .order_by(Pick::GROUP.desc()),
        )
        .unwrap();
    assert_eq!(picks, [("a".to_string(), "k".to_string(), 1)]);
    let with = session
        .all(
            &select::<Chooser>()
                .filter(Chooser::ID.eq(from))
                .with(Chooser::PICKS),
        )
        .unwrap();
    assert_eq!(with[0].1.len(), 2);
    let changed = session
        .execute(
            &update::<Pick>()
                .set(Pick::GROUP, "c")
                .filter(Pick::ID.eq(2)),
        )
        .unwrap();
    assert_eq!(changed, 1);
    let first = session.get::<Pick>(1).unwrap().unwrap();
    let err = session.delete(&with[0].0).unwrap_err();
    assert!(
        err.to_string()
            .contains("2 rows of order (from) still point at it"),
        "{err}"
    );
    assert_eq!(session.delete(&first).unwrap(), 1);
    session.commit().unwrap();
    let groups: Vec<String> = session.all(&select::<Pick>().columns(Pick::GROUP)).unwrap();
    assert_eq!(groups, ["c"]);
}

#[test]
fn the_keyword_list_is_sqlites() {
    let mut theirs = Vec::new();
    // SAFETY: SQLite hands out pointers to its own static keyword table.
    unsafe {
        for i in 0..rusqlite::ffi::sqlite3_keyword_count() {
            let (mut name, mut len) = (std::ptr::null(), 0);
            rusqlite::ffi::sqlite3_keyword_name(i, &mut name, &mut len);
            let bytes = std::slice::from_raw_parts(name.cast::<u8>(), len as usize);
            theirs.push(String::from_utf8(bytes.to_vec()).unwrap());
        }
    }
    theirs.sort();
    assert_eq!(ident::KEYWORDS.to_vec(), theirs);
    assert!(ident::is_keyword("order") && !ident::is_keyword("orders"));
}

/// A model whose only column is its key.
struct Ticket {
    id: Option<i64>,
}

impl Model for Ticket {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "tickets",
            &[Column::<Ticket, i64>::new("id").mapped().primary_key()],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Ticket {
            id: Some(row.get(Column::<Ticket, i64>::new("id"))?),
        })
    }
    fn values(&self) -> Values<'_, Self> {
        Values::new()
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

#[test]
fn a_model_with_only_its_key_inserts_default_values() {
    let engine = Engine::in_memory().unwrap();
    Metadata::new()
        .register::<Ticket>()
        .create_all(&engine)
        .unwrap();
    let mut session = engine.session();
    let log = engine.record();
    let first = session.add(Ticket { id: None });
    let chosen = session.add(Ticket { id: Some(10) });
    let next = session.add(Ticket { id: None });
    session.commit().unwrap();
    assert_eq!(
        [first, chosen, next].map(|h| session.id(&h)),
        [Some(1), Some(10), Some(11)]
    );
    assert!(
        log.statements()
            .contains(&"INSERT INTO tickets DEFAULT VALUES".to_string()),
        "{:?}",
        log.statements()
    );
    assert_eq!(count(&engine, "tickets"), 3);
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

#[test]
fn get_and_delete_say_what_a_composite_key_lacks() {
    let engine = with_genres();
    let mut session = engine.session();
    let expected = "model for table `album_genres`: get() and delete() find a row by one id, and \
                    this table's primary key is composite (album_id, genre_id): find its rows \
                    with select().filter(...) on those columns";
    let err = session.get::<AlbumGenre>(1).map(|_| ()).unwrap_err();
    assert_eq!(err.to_string(), expected);
    let link = AlbumGenre {
        album_id: 1,
        genre_id: 1,
    };
    let err = session.delete(&link).unwrap_err();
    assert_eq!(err.to_string(), expected);
}

#[test]
fn echo_reads_every_kind_of_value_back_out() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let engine = Engine::in_memory().unwrap();
    let sink = Sink::default();
    engine.echo_to(Some(Box::new(sink.clone())));
    let sql = "SELECT :a, @b, $c, ?4, '?' /* ? */, :a, \"?\" -- ?";
    let params = rusqlite::params![Option::<i64>::None, vec![0u8, 255], -3, 2.5];
    engine
        .connection()
        .query_row(sql, params, |_| Ok(()))
        .unwrap();
    let long = "é".repeat(400);
    engine
        .connection()
        .query_row("SELECT ?", [&long], |_| Ok(()))
        .unwrap();
    engine.echo_to(None);
    let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("[sql] {sql}"));
    assert_eq!(lines[1], "[sql] (NULL, <2 bytes>, -3, 2.5)");
    assert_eq!(lines[2], "[sql] SELECT ?");
    assert_eq!(
        lines[3],
        format!("[sql] ('{}'... (100 more characters),)", "é".repeat(300))
    );
    assert_eq!(lines.len(), 4);
}

#[test]
fn an_engine_dropped_with_a_transaction_open_closes_cleanly() {
    // SQLite rolls an open transaction back while closing the connection,
    // and calls the rollback hook then: it must not be gone by that time.
    let engine = seeded();
    engine
        .connection()
        .execute_batch("BEGIN; DELETE FROM albums;")
        .unwrap();
    drop(engine);
    let engine = seeded();
    let mut session = engine.session();
    session.add(Artist {
        id: None,
        name: "Open".into(),
    });
    session.flush().unwrap();
    drop(session);
    engine
        .connection()
        .execute_batch("BEGIN; DELETE FROM albums;")
        .unwrap();
    drop(engine);
}
