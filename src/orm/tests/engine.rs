//! The engine: echo, statement logs, foreign keys.

use pretty_assertions::assert_eq;

use std::sync::{Arc, Mutex};

use super::*;

/// Where an engine's echo goes in these tests: a buffer that the test keeps
/// a handle on while the engine writes into its clone.
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

#[test]
fn echo_prints_statements_with_their_values() {
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
    assert!(crate::orm::trace::is_query("SELECT 1"));
    assert!(crate::orm::trace::is_query(
        "  with x as (select 1) select * from x"
    ));
    assert!(!crate::orm::trace::is_query("INSERT INTO t VALUES (1)"));
    assert!(!crate::orm::trace::is_query("é"));
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

#[test]
fn echo_reads_every_kind_of_value_back_out() {
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

/// The lines `engine` echoes while `run` runs on its connection.
fn echoed(engine: &Engine, run: impl FnOnce(&rusqlite::Connection)) -> Vec<String> {
    let sink = Sink::default();
    engine.echo_to(Some(Box::new(sink.clone())));
    run(engine.connection());
    engine.echo_to(None);
    let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    text.lines().map(String::from).collect()
}

/// Echo says so when it cannot show a statement's values: SQLite gives no
/// expanded text longer than its length limit, whatever the parameters
/// look like. A `:` inside quotes is not a parameter.
#[test]
fn echo_says_when_the_values_cannot_be_shown() {
    let engine = Engine::in_memory().unwrap();
    let limit = rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH;
    engine.connection().set_limit(limit, 200).unwrap();
    let long = "x".repeat(150);
    let lines = echoed(&engine, |conn| {
        for sql in ["SELECT ?, ?", "SELECT :a, :b"] {
            conn.query_row(sql, [&long, &long], |_| Ok(())).unwrap();
        }
        conn.query_row("SELECT ':' || ?1", ["y"], |_| Ok(()))
            .unwrap();
    });
    assert_eq!(
        lines,
        [
            "[sql] SELECT ?, ?",
            "[sql] (bound values not shown)",
            "[sql] SELECT :a, :b",
            "[sql] (bound values not shown)",
            "[sql] SELECT ':' || ?1",
            "[sql] ('y',)",
        ]
    );
}

/// Echo reads values back out beside what only looks like quoting: a `-`
/// or a `/` alone is arithmetic, not a comment, a `?` inside a
/// `[bracketed]` name is not a parameter, and SQLite lets the last comment
/// run to the end, unclosed.
#[test]
fn echo_tells_arithmetic_and_bracketed_names_from_comments_and_parameters() {
    let engine = Engine::in_memory().unwrap();
    let sql = "SELECT 10 - ?, 8 / ?, 3 AS [ab?], ? -- ?\n, /* ? */ ?";
    let unclosed = "SELECT ? /* ? unclosed";
    let lines = echoed(&engine, |conn| {
        conn.query_row(sql, [1, 2, 3, 4], |_| Ok(())).unwrap();
        conn.query_row(unclosed, [5], |_| Ok(())).unwrap();
    });
    assert_eq!(
        lines,
        [
            "[sql] SELECT 10 - ?, 8 / ?, 3 AS [ab?], ? -- ?",
            ", /* ? */ ?",
            "[sql] (1, 2, 3, 4)",
            "[sql] SELECT ? /* ? unclosed",
            "[sql] (5,)",
        ]
    );
}

/// Echo finds a named parameter by its whole name (`_` and letters beyond
/// ASCII included), and reads text with doubled quotes back whole.
#[test]
fn echo_reads_names_and_quotes_whole() {
    let engine = Engine::in_memory().unwrap();
    let sql = "SELECT :first_name, :é, 'it''s ?', :first_name";
    let params = rusqlite::named_params! {":first_name": "O'Brien ''x''", ":é": "''"};
    let lines = echoed(&engine, |conn| {
        conn.query_row(sql, params, |_| Ok(())).unwrap();
    });
    assert_eq!(
        lines,
        [
            "[sql] SELECT :first_name, :é, 'it''s ?', :first_name",
            "[sql] ('O''Brien ''''x''''', '''''')",
        ]
    );
}
