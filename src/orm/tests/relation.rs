//! Relationships: joins, eager and lazy loading, many-to-many.

use pretty_assertions::assert_eq;

use super::*;

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
fn many_to_many_ddl_and_sql() {
    let mut out = crate::orm::schema::create_table_sql(AlbumGenre::table());
    out.push('\n');
    out.push_str(&crate::orm::schema::create_index_sql(AlbumGenre::table()).join("\n"));
    out.push('\n');
    out.push_str(&crate::orm::schema::create_table_sql(Genre::table()));
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

/// The N+1 loop runs one statement per parent; the session writes its SQL
/// and prepares it once, then only binds each id. Handed back to rusqlite's
/// cache after each call, the statement would have its bindings cleared,
/// and SQLite would compile it again every time: its plan may depend on
/// the value bound to an indexed column. (SQLite also compiles it again
/// after the value 0 or 1 was bound, so the ids here are larger.)
#[test]
fn lazy_loading_prepares_each_query_shape_once_per_session() {
    let engine = engine();
    engine
        .connection()
        .execute_batch(
            "INSERT INTO artists (id, name) VALUES (7, 'Nina Simone'), (8, 'Miles Davis'), (9, 'Nobody');
             INSERT INTO albums (id, title, year, artist_id) VALUES
                (11, 'Pastel Blues', 1965, 7), (12, 'Kind of Blue', 1959, 8),
                (13, 'Wild Is the Wind', 1966, 7), (14, 'Untitled', NULL, 8);",
        )
        .unwrap();
    let sql = {
        let mut session = engine.session();
        let artists = session
            .all(&select::<Artist>().order_by(Artist::ID.asc()))
            .unwrap();
        let log = engine.record();
        let mut titles = Vec::new();
        for _ in 0..3 {
            for artist in &artists {
                let albums = session.children(artist, Artist::ALBUMS).unwrap();
                titles.push(albums.into_iter().map(|a| a.title).collect::<Vec<_>>());
            }
        }
        assert_eq!(titles[0], ["Pastel Blues", "Wild Is the Wind"]);
        assert_eq!(titles[1], ["Kind of Blue", "Untitled"]);
        assert!(titles[2].is_empty());
        assert_eq!(titles[3..6], titles[0..3]);
        assert_eq!(titles[6..9], titles[0..3]);
        let selects = log.selects();
        assert_eq!(selects.len(), 9);
        assert!(selects.iter().all(|s| *s == selects[0]));
        assert_eq!(log.prepared().len(), 1);
        selects[0].clone()
    };
    // Dropped with its session, the statement went back to rusqlite's cache.
    let statement = engine.connection().prepare_cached(&sql).unwrap();
    assert_eq!(statement.get_status(rusqlite::StatementStatus::Run), 9);
    assert_eq!(
        statement.get_status(rusqlite::StatementStatus::RePrepare),
        0,
        "SQLite compiled the lazy query again"
    );
}

/// Each model and relationship has a lazy query of its own: `get` of an
/// album never runs the artists' query.
#[test]
fn lazy_queries_of_different_models_do_not_mix() {
    let engine = seeded();
    let mut session = engine.session();
    let album = session.get::<Album>(2).unwrap().unwrap();
    assert_eq!(album.title, "Kind of Blue");
    let artist = session.parent(&album, Album::ARTIST).unwrap().unwrap();
    assert_eq!(artist.name, "Miles Davis");
    assert_eq!(
        session.get::<Album>(3).unwrap().unwrap().title,
        "Wild Is the Wind"
    );
    assert_eq!(
        session.get::<Artist>(1).unwrap().unwrap().name,
        "Nina Simone"
    );
    assert!(session.get::<Artist>(99).unwrap().is_none());
    let albums = session.children(&artist, Artist::ALBUMS).unwrap();
    assert_eq!(albums.len(), 2);
}
