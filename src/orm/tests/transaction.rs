//! The session's transaction under faults: ended by SQLite or by raw SQL, shared, or inside someone else's.

use pretty_assertions::assert_eq;

use super::*;

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

/// A session whose transaction was ended by raw SQL does not, when it is
/// dropped, roll back the transaction begun after it on the same
/// connection: that one is not the session's.
#[test]
fn a_dropped_session_leaves_a_later_raw_transaction_alone() {
    let engine = seeded();
    let mut session = engine.session();
    session.add(Artist::new("Flushed"));
    session.flush().unwrap();
    engine
        .connection()
        .execute_batch("COMMIT; BEGIN; INSERT INTO artists (name) VALUES ('Raw')")
        .unwrap();
    drop(session);
    assert!(
        !engine.connection().is_autocommit(),
        "the raw transaction was rolled back"
    );
    engine.connection().execute_batch("COMMIT").unwrap();
    assert_eq!(count(&engine, "artists"), 5);
}
