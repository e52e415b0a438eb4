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
    engine.echo_to(None);
    engine.session().all(&select::<Artist>()).unwrap();
    let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        text,
        "[sql] SELECT artists.id, artists.name FROM artists WHERE artists.name = 'Nina Simone'\n"
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
    insta::assert_snapshot!("error_messages", messages.join("\n"));
}
