//! Creating tables: the DDL, foreign keys and their indexes, `add_column`.

use pretty_assertions::assert_eq;

use super::*;

#[test]
fn ddl_snapshot() {
    let mut ddl = String::new();
    for table in Metadata::new()
        .register::<Album>()
        .register::<Artist>()
        .sorted_tables()
        .unwrap()
    {
        ddl.push_str(&crate::orm::schema::create_table_sql(table));
        ddl.push_str(";\n");
        for index in crate::orm::schema::create_index_sql(table) {
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
    assert!(!crate::orm::schema::table_exists(engine.connection(), "albums").unwrap());
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
    assert!(crate::orm::schema::add_column(engine.connection(), Album::table(), column).unwrap());
    assert!(
        !crate::orm::schema::add_column(engine.connection(), Album::table(), column).unwrap(),
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
    let err =
        crate::orm::schema::add_column(engine.connection(), Album::table(), column).unwrap_err();
    assert!(err.to_string().contains(why), "{err}");
}

#[test]
fn add_column_needs_the_table() {
    let engine = Engine::in_memory().unwrap();
    let column = Column::<Album, Option<i64>>::new("x").mapped();
    let err =
        crate::orm::schema::add_column(engine.connection(), Album::table(), column).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
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
        .execute_batch(&crate::orm::schema::create_table_sql(Album::table()))
        .unwrap();
    assert_eq!(plan(&bare), "SCAN albums");
    assert_eq!(
        plan(&engine()),
        "SEARCH albums USING COVERING INDEX ix_albums_artist_id (artist_id=?)"
    );
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
    assert!(!crate::orm::schema::table_exists(engine.connection(), "a_b").unwrap());
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
    let err = crate::orm::schema::add_column(engine.connection(), &CLASH_A, column).unwrap_err();
    assert!(err.to_string().contains("`ix_a_b_c`"), "{err}");
}

/// An index made by hand under the name the ORM would give is refused when
/// it covers another column of the same table, or the same column of
/// another table: `IF NOT EXISTS` would skip the ORM's own without a word.
#[test]
fn an_index_made_by_hand_under_the_orms_name_is_refused() {
    for (by_hand, what) in [
        (
            "CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT, artist_id INTEGER);
             CREATE INDEX ix_albums_artist_id ON albums (title)",
            "albums(title)",
        ),
        (
            "CREATE TABLE other (artist_id INTEGER);
             CREATE INDEX ix_albums_artist_id ON other (artist_id)",
            "other(artist_id)",
        ),
    ] {
        let engine = Engine::in_memory().unwrap();
        engine.connection().execute_batch(by_hand).unwrap();
        let err = Metadata::new()
            .register::<Artist>()
            .register::<Album>()
            .create_all(&engine)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`ix_albums_artist_id`") && err.contains(what),
            "{what}: {err}"
        );
    }
}
