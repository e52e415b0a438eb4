//! `UPDATE`: SQLAlchemy's `update(Book).where(...).values(...)`.

use std::marker::PhantomData;

use rusqlite::types::Value;

use super::condition::{Condition, and_into};
use super::ident::quote;
use super::model::{Column, Model, SqlValue};

/// `UPDATE table SET column = ? ... WHERE ...`: SQLAlchemy's
/// `update(Book).where(...).values(...)`. Run it with
/// [`Session::execute`](super::Session::execute).
///
/// ```
/// use models_kata::orm::{example::Album, update};
/// let change = update::<Album>().set(Album::YEAR, Some(1966)).filter(Album::ID.eq(3));
/// assert_eq!(change.to_sql(), "UPDATE albums SET year = ? WHERE albums.id = ?");
/// ```
#[must_use = "an update does nothing until Session::execute runs it"]
pub struct Update<M> {
    sets: Vec<(&'static str, Value)>,
    filter: Option<Condition>,
    _model: PhantomData<fn() -> M>,
}

/// An `UPDATE` of the table of `M`; without a filter it changes every row.
pub fn update<M: Model>() -> Update<M> {
    Update {
        sets: Vec::new(),
        filter: None,
        _model: PhantomData,
    }
}

impl<M: Model> Update<M> {
    /// `SET column = value`.
    pub fn set<T: SqlValue>(mut self, column: Column<M, T>, value: impl Into<T>) -> Self {
        self.sets.push((column.name(), value.into().into_value()));
        self
    }

    /// `WHERE condition`; several filters are joined with AND.
    pub fn filter(mut self, condition: Condition) -> Self {
        and_into(&mut self.filter, condition);
        self
    }

    /// True when no `.set(...)` was called: there is no statement to run.
    pub(crate) fn sets_nothing(&self) -> bool {
        self.sets.is_empty()
    }

    /// The statement.
    pub fn to_sql(&self) -> String {
        let sets: Vec<String> = self
            .sets
            .iter()
            .map(|(c, _)| format!("{} = ?", quote(c)))
            .collect();
        let mut sql = format!("UPDATE {} SET {}", quote(M::table().name), sets.join(", "));
        if let Some(f) = &self.filter {
            sql.push_str(" WHERE ");
            sql.push_str(f.sql());
        }
        sql
    }

    /// The bound values, in order.
    pub fn params(&self) -> Vec<Value> {
        let mut params: Vec<Value> = self.sets.iter().map(|(_, v)| v.clone()).collect();
        if let Some(f) = &self.filter {
            params.extend_from_slice(f.params());
        }
        params
    }
}
