//! One-to-many relationships: SQLAlchemy's `relationship()` and `ForeignKey`.
//!
//! A relationship is a constant on each side, built from the child's
//! foreign-key column: `Author::BOOKS: HasMany<Author, Book>` and
//! `Book::AUTHOR: BelongsTo<Book, Author>`. Both name the same column, so the
//! two sides cannot disagree (the job `back_populates` does in SQLAlchemy).
//!
//! Navigating loads from the database: [`Session::children`] and
//! [`Session::parent`] run one query each (lazy loading), and
//! [`Select::with`] loads the children of many parents in one extra statement
//! (eager "select-in" loading), which avoids the N+1 problem.
//!
//! [`Session::children`]: super::Session::children
//! [`Session::parent`]: super::Session::parent
//! [`Select::with`]: super::Select::with

use std::collections::HashMap;
use std::marker::PhantomData;

use rusqlite::{Connection, Row};

use super::error::{Error, Result};
use super::ident::quote;
use super::model::{Column, Model, SqlValue};
use super::query::{Query, Select, select};
use super::row::{ColumnPositions, ModelRow};

/// Column types that can hold a foreign key to an `INTEGER PRIMARY KEY`:
/// `i64` (required parent) or `Option<i64>` (optional parent).
pub trait KeyType: SqlValue {}
impl KeyType for i64 {}
impl KeyType for Option<i64> {}

/// The parent's side: "an author has many books".
pub struct HasMany<P, C> {
    foreign_key: &'static str,
    _models: PhantomData<fn() -> (P, C)>,
}

/// The child's side: "a book belongs to an author".
pub struct BelongsTo<C, P> {
    foreign_key: &'static str,
    _models: PhantomData<fn() -> (C, P)>,
}

impl<P, C> Clone for HasMany<P, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, C> Copy for HasMany<P, C> {}
impl<C, P> Clone for BelongsTo<C, P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, P> Copy for BelongsTo<C, P> {}

impl<P, C> HasMany<P, C> {
    /// The children of `P` are the rows of `C` whose `foreign_key` holds the
    /// parent's id.
    pub const fn new<K: KeyType>(foreign_key: Column<C, K>) -> Self {
        HasMany {
            foreign_key: foreign_key.name(),
            _models: PhantomData,
        }
    }

    /// The child's foreign-key column name.
    pub const fn foreign_key(&self) -> &'static str {
        self.foreign_key
    }
}

impl<C, P> BelongsTo<C, P> {
    /// A `C` points at its `P` through `foreign_key`.
    pub const fn new<K: KeyType>(foreign_key: Column<C, K>) -> Self {
        BelongsTo {
            foreign_key: foreign_key.name(),
            _models: PhantomData,
        }
    }

    /// The child's foreign-key column name.
    pub const fn foreign_key(&self) -> &'static str {
        self.foreign_key
    }
}

/// Something a query can `JOIN` along.
pub trait Join {
    /// The join clause: `JOIN table ON parent.id = child.fk`, with `kind`
    /// (`JOIN` or `LEFT JOIN`) in front.
    fn join_sql(&self, kind: &str) -> String;
}

/// `parent.id = child.fk`: the parent's primary key falls back to `id` when
/// the model declares none, so the SQL still names something readable.
fn on_sql<P: Model, C: Model>(foreign_key: &str) -> String {
    let (parent, child) = (P::table(), C::table());
    let pk = parent.primary_key().map_or("id", |c| c.name);
    format!(
        "{}.{} = {}.{}",
        quote(parent.name),
        quote(pk),
        quote(child.name),
        quote(foreign_key)
    )
}

impl<P: Model, C: Model> Join for HasMany<P, C> {
    fn join_sql(&self, kind: &str) -> String {
        let on = on_sql::<P, C>(self.foreign_key);
        format!("{kind} {} ON {on}", quote(C::table().name))
    }
}

impl<C: Model, P: Model> Join for BelongsTo<C, P> {
    fn join_sql(&self, kind: &str) -> String {
        let on = on_sql::<P, C>(self.foreign_key);
        format!("{kind} {} ON {on}", quote(P::table().name))
    }
}

/// A many-to-many relationship from `A` to `B` through the link model `L`,
/// whose rows pair an `A` id with a `B` id: SQLAlchemy's
/// `relationship(secondary=...)`. Joining along it joins the link table,
/// then `B`. See [`example`](super::example) for a complete example.
pub struct ManyToMany<A, B, L> {
    from: &'static str,
    to: &'static str,
    _models: PhantomData<Three<A, B, L>>,
}

/// `query`, ordered by the primary key of `C` last, if `C` has one.
fn in_key_order<C: Model>(query: Select<C>) -> Select<C> {
    match C::table().primary_key() {
        Some(pk) => query.order_by(Column::<C, i64>::new(pk.name).asc()),
        None => query,
    }
}

/// Carries three model types without owning any.
type Three<A, B, L> = fn() -> (A, B, L);

impl<A, B, L> Clone for ManyToMany<A, B, L> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A, B, L> Copy for ManyToMany<A, B, L> {}

impl<A, B, L> ManyToMany<A, B, L> {
    /// `from` is the link's column holding the `A` id, `to` the one holding
    /// the `B` id.
    pub const fn new(from: Column<L, i64>, to: Column<L, i64>) -> Self {
        ManyToMany {
            from: from.name(),
            to: to.name(),
            _models: PhantomData,
        }
    }

    /// The same link, walked from `B` to `A`.
    pub const fn reversed(self) -> ManyToMany<B, A, L> {
        ManyToMany {
            from: self.to,
            to: self.from,
            _models: PhantomData,
        }
    }
}

impl<A: Model, B: Model, L: Model> Join for ManyToMany<A, B, L> {
    fn join_sql(&self, kind: &str) -> String {
        format!(
            "{kind} {link} ON {} {kind} {} ON {}",
            on_sql::<A, L>(self.from),
            quote(B::table().name),
            on_sql::<B, L>(self.to),
            link = quote(L::table().name),
        )
    }
}

/// How many ids go into one `IN (...)` list. SQLite allows 32,766 bound
/// values per statement; beyond this many parents, children load in more
/// than one statement.
pub const MAX_IN_LIST: usize = 30_000;

/// A query for parents together with their children: made by [`Select::with`].
///
/// ```
/// use models_kata::orm::{example::{Album, Artist}, select, Engine, Metadata, Model};
/// # fn main() -> models_kata::orm::Result<()> {
/// let engine = Engine::in_memory()?;
/// Metadata::new().register::<Artist>().register::<Album>().create_all(&engine)?;
/// let mut session = engine.session();
/// let nina = session.add(Artist::new("Nina Simone"));
/// session.flush()?;
/// let id = session.id(&nina).unwrap();
/// session.add(Album::new("Pastel Blues", Some(1965), id));
/// session.add(Album::new("Wild Is the Wind", Some(1966), id));
///
/// let log = engine.record();
/// let query = select::<Artist>().order_by(Artist::ID.asc()).with(Artist::ALBUMS);
/// let rows = session.all(&query)?;
/// assert_eq!(rows.len(), 1);
/// assert_eq!(rows[0].1.len(), 2);
/// assert_eq!(log.selects().len(), 2); // the artists, then all their albums
/// # Ok(()) }
/// ```
#[must_use = "a query does nothing until a session runs it"]
pub struct WithChildren<P, C> {
    parents: Select<P>,
    relationship: HasMany<P, C>,
}

impl<P: Model, C: Model> WithChildren<P, C> {
    pub(crate) fn new(parents: Select<P>, relationship: HasMany<P, C>) -> Self {
        WithChildren {
            parents,
            relationship,
        }
    }

    /// The children of the parents `ids`: `WHERE fk IN (?, ...)`, ordered
    /// by parent, then by the child's primary key, which is the order of the
    /// index on the foreign key, so SQLite reads it without sorting.
    /// Lazy loading runs `.eq(id)` once per parent; this is `.is_in(ids)` once.
    pub fn children_query(&self, ids: &[i64]) -> Select<C> {
        let foreign_key = Column::<C, i64>::new(self.relationship.foreign_key);
        let query = select::<C>()
            .filter(foreign_key.is_in(ids.iter().copied()))
            .order_by(foreign_key.asc());
        in_key_order(query)
    }

    /// The children when the parents are every row of their table: an `IN`
    /// list would name every id and filter nothing, so the children are read
    /// in one plain pass, in primary-key order.
    pub fn all_children_query(&self) -> Select<C> {
        in_key_order(select::<C>())
    }

    /// The statement that loads the children of `n` parents.
    pub fn children_sql(&self, n: usize) -> String {
        self.children_query(&vec![0; n]).to_sql()
    }

    /// Loads the children of `ids` (sorted, unique), grouped by parent id.
    /// A parent that `copies` lists (it came back `n` times) gets `n - 1`
    /// more lists in the second map: a model need not be `Clone`, so each
    /// copy of a child is read from its row again.
    fn children_of(
        &self,
        conn: &Connection,
        ids: &[i64],
        copies: &HashMap<i64, usize>,
    ) -> Result<Children<C>> {
        let child = C::table();
        let fk_index = child
            .column_index(self.relationship.foreign_key)
            .ok_or_else(|| Error::Mapping {
                table: child.name,
                message: format!(
                    "the relationship's column `{}` is missing from table()",
                    self.relationship.foreign_key
                ),
            })?;
        let mut children: HashMap<i64, Vec<C>> = HashMap::with_capacity(ids.len());
        let mut more: HashMap<i64, Vec<Vec<C>>> = HashMap::new();
        let positions = ColumnPositions::default();
        let mut read = |row: &Row<'_>| -> rusqlite::Result<()> {
            {
                if let Some(key) = row.get_ref(fk_index)?.as_i64_or_null()? {
                    let child = C::from_row(&ModelRow::new(row, 0, &positions))?;
                    children.entry(key).or_default().push(child);
                    if let Some(&n) = copies.get(&key) {
                        let lists = more
                            .entry(key)
                            .or_insert_with(|| (1..n).map(|_| Vec::new()).collect());
                        for list in lists {
                            list.push(C::from_row(&ModelRow::new(row, 0, &positions))?);
                        }
                    }
                }
                Ok(())
            }
        };
        if self.parents.reads_every_row() {
            self.all_children_query().for_each_row(conn, &mut read)?;
        } else {
            for chunk in ids.chunks(MAX_IN_LIST) {
                self.children_query(chunk).for_each_row(conn, &mut read)?;
            }
        }
        Ok((children, more))
    }
}

/// The children of each parent id, and the extra lists for parents that
/// came back more than once.
type Children<C> = (HashMap<i64, Vec<C>>, HashMap<i64, Vec<Vec<C>>>);

impl<P: Model, C: Model> Query for WithChildren<P, C> {
    type Row = (P, Vec<C>);

    fn to_sql(&self) -> String {
        self.parents.to_sql()
    }

    fn fetch(&self, conn: &Connection) -> Result<Vec<(P, Vec<C>)>> {
        let parents = self.parents.fetch(conn)?;
        let mut ids: Vec<i64> = parents.iter().filter_map(Model::id).collect();
        if ids.is_empty() {
            return Ok(parents.into_iter().map(|p| (p, Vec::new())).collect());
        }
        ids.sort_unstable();
        let rows = ids.len();
        ids.dedup();
        // A parent can come back more than once (a join to its children):
        // every one of its rows carries its children.
        let mut copies = HashMap::new();
        if ids.len() < rows {
            for id in parents.iter().filter_map(Model::id) {
                *copies.entry(id).or_insert(0) += 1;
            }
            copies.retain(|_, n| *n > 1);
        }
        let (mut children, mut more) = self.children_of(conn, &ids, &copies)?;
        Ok(parents
            .into_iter()
            .map(|p| {
                let kids = p
                    .id()
                    .and_then(|id| {
                        children
                            .remove(&id)
                            .or_else(|| more.get_mut(&id).and_then(Vec::pop))
                    })
                    .unwrap_or_default();
                (p, kids)
            })
            .collect())
    }
}
