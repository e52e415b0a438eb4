//! The unit of work: add, flush, commit, rollback, and what each leaves behind.

use pretty_assertions::assert_eq;

use super::*;

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
