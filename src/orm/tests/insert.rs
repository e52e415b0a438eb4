//! The INSERT writer: the columns it binds, and what it refuses.

use pretty_assertions::assert_eq;

use super::*;

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

/// The INSERT writer remembers where the last object's values were; an
/// object that sets them in another order still has each value bound to
/// its own column, with and without an id of its own.
#[test]
fn values_set_in_any_order_go_to_their_own_columns() {
    let (engine, pairs) = Pair::engine_with_four();
    let mut session = engine.session();
    for pair in pairs {
        session.add(pair);
    }
    for n in 5..=8 {
        session.add(Pair::new(
            &format!("first {n}"),
            &format!("second {n}"),
            n % 2 == 1,
        ));
    }
    session.commit().unwrap();
    let mut stmt = engine
        .connection()
        .prepare("SELECT id, first, second, flipped FROM pairs ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, String, String, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let expected: Vec<(i64, String, String, bool)> = (1..=8)
        .map(|n| {
            let flipped = if n <= 4 { n % 2 == 0 } else { n % 2 == 1 };
            (n, format!("first {n}"), format!("second {n}"), flipped)
        })
        .collect();
    assert_eq!(rows, expected);
}

/// A model with more values than [`Values`] keeps inline.
#[derive(Debug)]
struct Wide {
    id: Option<i64>,
    numbers: [i64; 6],
}

impl Wide {
    const COLUMNS: [Column<Wide, i64>; 6] = [
        Column::new("c0"),
        Column::new("c1"),
        Column::new("c2"),
        Column::new("c3"),
        Column::new("c4"),
        Column::new("c5"),
    ];
}

impl Model for Wide {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "wide",
            &[
                Column::<Wide, i64>::new("id").mapped().primary_key(),
                Wide::COLUMNS[0].mapped(),
                Wide::COLUMNS[1].mapped(),
                Wide::COLUMNS[2].mapped(),
                Wide::COLUMNS[3].mapped(),
                Wide::COLUMNS[4].mapped(),
                Wide::COLUMNS[5].mapped(),
            ],
        );
        &TABLE
    }
    fn from_row(_: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        unreachable!("read with plain SQL")
    }
    fn values(&self) -> Values<'_, Self> {
        Wide::COLUMNS
            .iter()
            .zip(&self.numbers)
            .fold(Values::new(), |values, (&column, n)| values.set(column, n))
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

/// The INSERT writer looks each column's value up by name for the first
/// object of a model only, the values kept beyond the inline ones
/// included; every value still goes to its own column.
#[test]
fn each_value_is_looked_up_by_name_once_per_model() {
    use crate::orm::insert::Inserter;
    let engine = Engine::in_memory().unwrap();
    Metadata::new()
        .register::<Artist>()
        .register::<Wide>()
        .create_all(&engine)
        .unwrap();
    let conn = engine.connection();
    let mut inserter = Inserter::new(conn);
    for name in ["Nina Simone", "Miles Davis", "Nina Simone"] {
        inserter.insert(&Artist::new(name)).unwrap();
    }
    assert_eq!(
        inserter.lookups(),
        1,
        "one column, looked up for the first artist"
    );
    for first in [10, 20, 30] {
        let numbers = [first, first + 1, first + 2, first + 3, first + 4, first + 5];
        inserter.insert(&Wide { id: None, numbers }).unwrap();
    }
    assert_eq!(
        inserter.lookups(),
        1 + 6,
        "six columns, looked up for the first wide row"
    );
    drop(inserter);
    let mut stmt = conn
        .prepare("SELECT c0, c1, c2, c3, c4, c5 FROM wide ORDER BY id")
        .unwrap();
    let rows: Vec<[i64; 6]> = stmt
        .query_map([], |r| {
            Ok([
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ])
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            [10, 11, 12, 13, 14, 15],
            [20, 21, 22, 23, 24, 25],
            [30, 31, 32, 33, 34, 35]
        ]
    );
}
