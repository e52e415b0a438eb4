//! Row mapping: a struct from a row, and its values back.

use pretty_assertions::assert_eq;

use super::*;

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

/// [`Values`] keeps its first few values inline and the rest in a `Vec`:
/// a model with more columns than that finds every one.
#[test]
fn values_beyond_the_inline_ones_are_found_too() {
    let numbers: Vec<i64> = (0..7).collect();
    let names = ["a", "b", "c", "d", "e", "f", "g"];
    let values = names
        .iter()
        .zip(&numbers)
        .fold(Values::<Album>::new(), |values, (name, n)| {
            values.set(Column::<Album, i64>::new(name), n)
        });
    assert_eq!(values.len(), 7);
    for (name, n) in names.iter().zip(&numbers) {
        let value = values.get(name).unwrap().to_sql().unwrap();
        assert_eq!(value, rusqlite::types::ToSqlOutput::from(*n));
    }
    assert!(values.get("h").is_none());
    values.check(&names).unwrap();
    assert!(values.check(&names[..6]).is_err());
}

/// Names of one length differ by their bytes: a row finds each column by
/// its whole name.
#[test]
fn columns_are_found_by_their_whole_name() {
    const TABLE: Table = Table::new(
        "t",
        &[
            Column::<Album, i64>::new("abc").mapped(),
            Column::<Album, i64>::new("abd").mapped(),
            Column::<Album, i64>::new("bbd").mapped(),
        ],
    );
    assert_eq!(TABLE.column_index("abc"), Some(0));
    assert_eq!(TABLE.column_index("abd"), Some(1));
    assert_eq!(TABLE.column_index("bbd"), Some(2));
    assert_eq!(TABLE.column_index("abe"), None);
    assert_eq!(TABLE.column_index("ab"), None);
    assert_eq!(TABLE.column_index("abcd"), None);
}

/// A query remembers where each row's columns were found; a `from_row`
/// that asks for them in another order, row by row, still gets each
/// column's own value, alone and beside another selection.
#[test]
fn columns_asked_for_in_any_order_are_read_from_their_own_places() {
    let (engine, pairs) = Pair::engine_with_four();
    engine
        .connection()
        .execute_batch(
            "INSERT INTO pairs (id, first, second, flipped) VALUES
                (1, 'first 1', 'second 1', 0), (2, 'first 2', 'second 2', 1),
                (3, 'first 3', 'second 3', 0), (4, 'first 4', 'second 4', 1);",
        )
        .unwrap();
    let mut session = engine.session();
    let read = session
        .all(&select::<Pair>().order_by(Pair::ID.asc()))
        .unwrap();
    assert_eq!(read, pairs);
    let beside = select::<Pair>()
        .columns((Pair::SECOND, whole::<Pair>()))
        .order_by(Pair::ID.asc());
    let read = session.all(&beside).unwrap();
    let expected: Vec<(String, Pair)> = pairs.into_iter().map(|p| (p.second.clone(), p)).collect();
    assert_eq!(read, expected);
}

/// A query looks each column of its rows up by name once, in the first
/// row, whether its model's columns start the row or come later in it.
#[test]
fn each_column_is_looked_up_by_name_once_per_query() {
    let engine = seeded();
    for (sql, start) in [
        (
            "SELECT id, title, year, artist_id FROM albums ORDER BY id",
            0,
        ),
        (
            "SELECT 0, 0, id, title, year, artist_id FROM albums ORDER BY id",
            2,
        ),
    ] {
        let positions = ColumnPositions::default();
        let mut stmt = engine.connection().prepare(sql).unwrap();
        let titles: Vec<String> = stmt
            .query_map([], |row| {
                let mut at = start;
                let album: Album = whole::<Album>().read(row, &mut at, &positions)?;
                Ok(album.title)
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            titles,
            [
                "Pastel Blues",
                "Kind of Blue",
                "Wild Is the Wind",
                "Untitled"
            ]
        );
        assert_eq!(
            positions.lookups(),
            4,
            "four columns, looked up in the first row"
        );
    }
}

/// One `&'static str` for the `id` of two models.
const SHARED_ID: &str = "id";

/// A model that asks for one column twice, so that its asks run on into
/// the next model's in a row; its `id` has the very name of [`Once`]'s, at
/// another position.
struct Twice {
    id: i64,
}

impl Twice {
    const NOTE: Column<Twice, String> = Column::new("note");
    const ID: Column<Twice, i64> = Column::new(SHARED_ID);
}

impl Model for Twice {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "twice",
            &[Twice::NOTE.mapped(), Twice::ID.mapped().primary_key()],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        let _note = row.get(Twice::NOTE)?;
        let id = row.get(Twice::ID)?;
        let again = row.get(Twice::ID)?;
        assert_eq!(id, again);
        Ok(Twice { id })
    }
    fn values(&self) -> Values<'_, Self> {
        unreachable!("read only")
    }
    fn id(&self) -> Option<i64> {
        Some(self.id)
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id.unwrap_or_default();
    }
}

/// A model with one column, `id`, named by the same `&'static str`.
struct Once {
    id: i64,
}

impl Model for Once {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "once",
            &[Column::<Once, i64>::new(SHARED_ID).mapped().primary_key()],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Once {
            id: row.get(Column::new(SHARED_ID))?,
        })
    }
    fn values(&self) -> Values<'_, Self> {
        unreachable!("read only")
    }
    fn id(&self) -> Option<i64> {
        Some(self.id)
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id.unwrap_or_default();
    }
}

/// Where one model's asks run on into the next model's, a column of the
/// same name in another table is still found in its own table.
#[test]
fn a_name_remembered_for_one_model_is_not_taken_for_another() {
    let engine = seeded();
    let positions = ColumnPositions::default();
    let mut stmt = engine
        .connection()
        .prepare("SELECT 'n', 7, albums.id FROM albums ORDER BY albums.id")
        .unwrap();
    let read: Vec<(i64, i64)> = stmt
        .query_map([], |row| {
            let (twice, once) =
                (whole::<Twice>(), whole::<Once>()).read(row, &mut 0, &positions)?;
            Ok((twice.id, once.id))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(read, [(7, 1), (7, 2), (7, 3), (7, 4)]);
}
