//! Lazy loading: one query per navigation, [`Session::children`],
//! [`Session::parent`] and [`Session::get`].
//!
//! A loop over N parents asking each for its children runs the same query N
//! times with a different id: the N+1 problem, `.eq(id)` once per parent
//! where eager loading says `.is_in(ids)` once. So that the N queries cost
//! what a hand-written loop over one prepared statement costs, the session
//! writes each query's SQL once, from the first call's query, and keeps its
//! statement prepared: later calls only bind their id.

use std::any::TypeId;

use rusqlite::CachedStatement;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

use super::Session;
use super::statements::id_column;
use crate::orm::error::{Error, Result};
use crate::orm::model::Model;
use crate::orm::query::{Select, Selection, Whole, prepare_error, select};
use crate::orm::relation::{BelongsTo, HasMany};
use crate::orm::row::ColumnPositions;

/// What a lazy query looks like apart from its id: queries of one shape
/// share their SQL text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The children of one parent: `WHERE child.foreign_key = ?`.
    Children {
        child: TypeId,
        foreign_key: &'static str,
    },
    /// One row by its primary key: `WHERE table.key = ?`.
    ById { model: TypeId },
}

/// A lazy query's statement, kept prepared by the session that ran it.
///
/// Measured: without it the lazy listing took 3.6 times the hand-written
/// loop (see CONTRIBUTING.md, "The ORM's speed shortcuts"). Handing the
/// statement back to rusqlite's cache clears its bindings, and SQLite then
/// prepares a statement filtering on an indexed column again from its text.
pub(super) struct LazyStatement<'e> {
    shape: Shape,
    sql: String,
    statement: CachedStatement<'e>,
    /// Where its rows' columns were found, kept with the statement.
    positions: ColumnPositions,
}

impl<'e> Session<'e> {
    /// The `M` whose primary key is `id`, if there is one. The table needs
    /// one primary-key column; a composite key is an error that says so.
    pub fn get<M: Model>(&mut self, id: i64) -> Result<Option<M>> {
        let pk = M::table().primary_key_name()?;
        let shape = Shape::ById {
            model: TypeId::of::<M>(),
        };
        let query = || select::<M>().filter(id_column::<M>(pk).eq(id));
        Ok(self.lazy(shape, query, id)?.into_iter().next())
    }

    /// `parent`'s children along `relationship`, in id order: one query
    /// (lazy loading). For many parents, prefer [`Select::with`](crate::orm::Select::with).
    pub fn children<P: Model, C: Model>(
        &mut self,
        parent: &P,
        relationship: HasMany<P, C>,
    ) -> Result<Vec<C>> {
        let Some(id) = parent.id() else {
            return Ok(Vec::new());
        };
        let foreign_key = relationship.foreign_key();
        let shape = Shape::Children {
            child: TypeId::of::<C>(),
            foreign_key,
        };
        let query = || {
            let query = select::<C>().filter(id_column::<C>(foreign_key).eq(id));
            match C::table().primary_key() {
                Some(pk) => query.order_by(id_column::<C>(pk.name).asc()),
                None => query,
            }
        };
        self.lazy(shape, query, id)
    }

    /// `child`'s parent along `relationship`: one query. `None` when the
    /// foreign key is NULL or points at no row.
    pub fn parent<C: Model, P: Model>(
        &mut self,
        child: &C,
        relationship: BelongsTo<C, P>,
    ) -> Result<Option<P>> {
        let values = child.values();
        let key = match values.get(relationship.foreign_key()) {
            Some(value) => match value.to_sql()? {
                ToSqlOutput::Owned(Value::Integer(id))
                | ToSqlOutput::Borrowed(ValueRef::Integer(id)) => Some(id),
                _ => None,
            },
            None => None,
        };
        match key {
            Some(id) => self.get(id),
            None => Ok(None),
        }
    }

    /// Runs the lazy query of `shape` for `id`, after flushing, as
    /// [`Session::all`] runs `query()`; `query` is built only the first time
    /// this session meets `shape`, to write the SQL.
    fn lazy<M: Model>(
        &mut self,
        shape: Shape,
        query: impl FnOnce() -> Select<M>,
        id: i64,
    ) -> Result<Vec<M>> {
        self.not_shared()?;
        self.flush()?;
        let conn = self.connection();
        let index = match self.lazy.iter().position(|s| s.shape == shape) {
            Some(index) => index,
            None => {
                let sql = query().to_sql();
                let statement = conn
                    .prepare_cached(&sql)
                    .map_err(|e| prepare_error(conn, &sql, e));
                let statement = statement.map_err(|error| self.failed(error))?;
                self.lazy.push(LazyStatement {
                    shape,
                    sql,
                    statement,
                    positions: ColumnPositions::default(),
                });
                self.lazy.len() - 1
            }
        };
        let LazyStatement {
            sql,
            statement,
            positions,
            ..
        } = &mut self.lazy[index];
        let rows = read_all(statement, id, |row| {
            Whole::<M>::default().read(row, &mut 0, positions)
        });
        rows.map_err(|e| Error::statement(sql, e))
            .map_err(|error| self.failed(error))
    }
}

/// Every row of `statement` run with `id` bound, read with `read`.
fn read_all<T>(
    statement: &mut CachedStatement<'_>,
    id: i64,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    statement.query_map([id], read)?.collect()
}
