//! The ORM's own tests, one file per concept of `src/orm`, on the example
//! models (artists and albums, plus a few models a test needs). They do not
//! touch the kata's exercises, so they pass on the untouched stubs. The
//! fixtures below are shared.

use super::example::{Album, AlbumGenre, Artist, Genre};
use super::*;

mod engine;
mod error;
mod ident;
mod insert;
mod model;
mod query;
mod relation;
mod schema;
mod session;
mod store;
mod transaction;

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

fn count_of<M: Model, T>(column: Column<M, T>) -> Count {
    super::count(column)
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

/// A trigger that ends the whole transaction, as a full disk or an I/O
/// error would: SQLite rolls back by itself.
const POISON: &str = "CREATE TRIGGER poison BEFORE INSERT ON albums WHEN NEW.title = 'Poison'
     BEGIN SELECT RAISE(ROLLBACK, 'poison ends the transaction'); END;";

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

/// A model that reads and writes its two text columns in an order that
/// depends on the row: the ORM's remembered positions (of a column in a
/// row, of a value in `values()`) must still find each by its name.
#[derive(Debug, PartialEq)]
struct Pair {
    id: Option<i64>,
    first: String,
    second: String,
    flipped: bool,
}

impl Pair {
    const ID: Column<Pair, i64> = Column::new("id");
    const FIRST: Column<Pair, String> = Column::new("first");
    const SECOND: Column<Pair, String> = Column::new("second");
    const FLIPPED: Column<Pair, bool> = Column::new("flipped");

    fn new(first: &str, second: &str, flipped: bool) -> Self {
        Pair {
            id: None,
            first: first.into(),
            second: second.into(),
            flipped,
        }
    }

    /// A table of four pairs, every other one flipped, in id order.
    fn engine_with_four() -> (Engine, Vec<Pair>) {
        let engine = Engine::in_memory().unwrap();
        Metadata::new()
            .register::<Pair>()
            .create_all(&engine)
            .unwrap();
        let pairs: Vec<Pair> = (1..=4)
            .map(|n| Pair {
                id: Some(n),
                ..Pair::new(&format!("first {n}"), &format!("second {n}"), n % 2 == 0)
            })
            .collect();
        (engine, pairs)
    }
}

impl Model for Pair {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "pairs",
            &[
                Pair::ID.mapped().primary_key(),
                Pair::FIRST.mapped(),
                Pair::SECOND.mapped(),
                Pair::FLIPPED.mapped(),
            ],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        let flipped = row.get(Pair::FLIPPED)?;
        let (first, second) = if flipped {
            let second = row.get(Pair::SECOND)?;
            (row.get(Pair::FIRST)?, second)
        } else {
            (row.get(Pair::FIRST)?, row.get(Pair::SECOND)?)
        };
        Ok(Pair {
            id: Some(row.get(Pair::ID)?),
            first,
            second,
            flipped,
        })
    }
    fn values(&self) -> Values<'_, Self> {
        let values = if self.flipped {
            Values::new()
                .set(Pair::SECOND, &self.second)
                .set(Pair::FIRST, &self.first)
        } else {
            Values::new()
                .set(Pair::FIRST, &self.first)
                .set(Pair::SECOND, &self.second)
        };
        values.set(Pair::FLIPPED, &self.flipped)
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}
