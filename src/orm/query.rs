//! A typed query builder: SQLAlchemy's `select(Book).where(Book.year > 2010)`.
//!
//! Conditions are built from typed columns, so `Book::YEAR.gt("2010")` does not
//! compile. Every value becomes a bound parameter (`?`); the SQL text holds
//! only names that come from model metadata. [`Select::to_sql`] shows the
//! statement that runs.
//!
//! ```
//! use models_kata::orm::{example::Album, select};
//! let query = select::<Album>().filter(Album::YEAR.gt(2010)).order_by(Album::ID.asc());
//! assert_eq!(
//!     query.to_sql(),
//!     "SELECT albums.id, albums.title, albums.year, albums.artist_id FROM albums \
//!      WHERE albums.year > ? ORDER BY albums.id"
//! );
//! ```

use std::marker::PhantomData;

use rusqlite::types::{FromSql, Value};
use rusqlite::{Connection, Row, params_from_iter};

use super::condition::{Condition, Count, Order, and_into};
use super::error::{Error, Result};
use super::ident::quote;
use super::model::{Column, Model};
use super::relation::{HasMany, Join, WithChildren};
use super::row::{ColumnPositions, ModelRow};

/// What a query reads from each row, and the Rust value it becomes.
///
/// Implemented for a whole model ([`Whole`]), a column (its value), a
/// [`Count`] (`i64`), and tuples of these.
pub trait Selection {
    /// The Rust value of one row.
    type Output;
    /// Appends the SQL expressions this selection reads.
    fn columns(&self, out: &mut Vec<String>);
    /// Reads the value from `row`, starting at column `*at` and moving past
    /// it; `positions` remembers where models' columns were found.
    fn read(
        &self,
        row: &Row<'_>,
        at: &mut usize,
        positions: &ColumnPositions,
    ) -> rusqlite::Result<Self::Output>;
}

/// All the columns of model `M`, read as an `M`. Made by [`whole`].
pub struct Whole<M>(PhantomData<fn() -> M>);

/// Every column of `M`, read as an `M`: for selecting a whole model beside
/// other columns, as in SQLAlchemy's `select(Book, Author.name)`.
///
/// ```
/// use models_kata::orm::{example::{Album, Artist}, select, whole};
/// let query = select::<Album>().columns((whole::<Album>(), Artist::NAME)).join(Album::ARTIST);
/// assert_eq!(
///     query.to_sql(),
///     "SELECT albums.id, albums.title, albums.year, albums.artist_id, artists.name \
///      FROM albums JOIN artists ON artists.id = albums.artist_id"
/// );
/// ```
pub fn whole<M: Model>() -> Whole<M> {
    Whole::default()
}

impl<M> Default for Whole<M> {
    fn default() -> Self {
        Whole(PhantomData)
    }
}

impl<M: Model> Selection for Whole<M> {
    type Output = M;
    fn columns(&self, out: &mut Vec<String>) {
        let table = M::table();
        out.extend(
            table
                .columns
                .iter()
                .map(|c| format!("{}.{}", quote(table.name), quote(c.name))),
        );
    }
    fn read(
        &self,
        row: &Row<'_>,
        at: &mut usize,
        positions: &ColumnPositions,
    ) -> rusqlite::Result<M> {
        let model = M::from_row(&ModelRow::new(row, *at, positions))?;
        *at += M::table().columns.len();
        Ok(model)
    }
}

impl<M: Model, T: FromSql> Selection for Column<M, T> {
    type Output = T;
    fn columns(&self, out: &mut Vec<String>) {
        out.push(self.qualified());
    }
    fn read(&self, row: &Row<'_>, at: &mut usize, _: &ColumnPositions) -> rusqlite::Result<T> {
        *at += 1;
        row.get(*at - 1)
    }
}

impl Selection for Count {
    type Output = i64;
    fn columns(&self, out: &mut Vec<String>) {
        out.push(self.sql.clone());
    }
    fn read(&self, row: &Row<'_>, at: &mut usize, _: &ColumnPositions) -> rusqlite::Result<i64> {
        *at += 1;
        row.get(*at - 1)
    }
}

macro_rules! tuple_selection {
    ($($name:ident),+) => {
        impl<$($name: Selection),+> Selection for ($($name,)+) {
            type Output = ($($name::Output,)+);
            #[allow(non_snake_case)]
            fn columns(&self, out: &mut Vec<String>) {
                let ($($name,)+) = self;
                $($name.columns(out);)+
            }
            #[allow(non_snake_case)]
            fn read(
                &self,
                row: &Row<'_>,
                at: &mut usize,
                positions: &ColumnPositions,
            ) -> rusqlite::Result<Self::Output> {
                let ($($name,)+) = self;
                Ok(($($name.read(row, at, positions)?,)+))
            }
        }
    };
}

tuple_selection!(A, B);
tuple_selection!(A, B, C);
tuple_selection!(A, B, C, D);

/// Something a session can run: it yields rows of type `Row`.
pub trait Query {
    /// One result.
    type Row;
    /// The SQL of the main statement.
    fn to_sql(&self) -> String;
    /// Runs the query on `conn`.
    fn fetch(&self, conn: &Connection) -> Result<Vec<Self::Row>>;
}

/// `SELECT ... FROM` the table of `M`, reading `S` from each row.
///
/// Build it with [`select`], refine it with the methods below, and run it with
/// [`Session::all`](super::Session::all), `first` or `one`.
#[must_use = "a query does nothing until a session runs it"]
pub struct Select<M, S = Whole<M>> {
    selection: S,
    joins: Vec<String>,
    filter: Option<Condition>,
    group_by: Vec<String>,
    having: Option<Condition>,
    order_by: Vec<Order>,
    /// The bound value of `LIMIT ?`, kept as a value like the others.
    limit: Option<Value>,
    _model: PhantomData<fn() -> M>,
}

/// `SELECT` every column of `M`, read as `M` (SQLAlchemy's `select(Book)`).
pub fn select<M: Model>() -> Select<M> {
    Select {
        selection: Whole::default(),
        joins: Vec::new(),
        filter: None,
        group_by: Vec::new(),
        having: None,
        order_by: Vec::new(),
        limit: None,
        _model: PhantomData,
    }
}

impl<M: Model, S: Selection> Select<M, S> {
    /// Reads `selection` instead: a column, a [`Count`], a [`Whole`] model, or
    /// a tuple of them.
    pub fn columns<S2: Selection>(self, selection: S2) -> Select<M, S2> {
        Select {
            selection,
            joins: self.joins,
            filter: self.filter,
            group_by: self.group_by,
            having: self.having,
            order_by: self.order_by,
            limit: self.limit,
            _model: PhantomData,
        }
    }

    /// `JOIN` along a relationship (`Book::AUTHOR` or `Author::BOOKS`).
    pub fn join(mut self, relationship: impl Join) -> Self {
        self.joins.push(relationship.join_sql("JOIN"));
        self
    }

    /// `LEFT JOIN` along a relationship: rows without a match are kept.
    pub fn left_join(mut self, relationship: impl Join) -> Self {
        self.joins.push(relationship.join_sql("LEFT JOIN"));
        self
    }

    /// `WHERE condition`; several filters are joined with AND.
    pub fn filter(mut self, condition: Condition) -> Self {
        and_into(&mut self.filter, condition);
        self
    }

    /// `GROUP BY column`.
    pub fn group_by<N: Model, T>(mut self, column: Column<N, T>) -> Self {
        self.group_by.push(column.qualified());
        self
    }

    /// `HAVING condition`, a filter on groups; several are joined with AND.
    pub fn having(mut self, condition: Condition) -> Self {
        and_into(&mut self.having, condition);
        self
    }

    /// `ORDER BY`: a column (ascending), or `.asc()` / `.desc()`.
    pub fn order_by(mut self, order: impl Into<Order>) -> Self {
        self.order_by.push(order.into());
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Self {
        self.limit = Some(Value::Integer(n));
        self
    }

    /// True when the query reads every row of its table: no join, filter,
    /// grouping or limit.
    pub(crate) fn reads_every_row(&self) -> bool {
        self.joins.is_empty()
            && self.filter.is_none()
            && self.group_by.is_empty()
            && self.having.is_none()
            && self.limit.is_none()
    }

    /// The values bound to the `?`s of [`Select::to_sql`], in order.
    pub fn params(&self) -> Vec<Value> {
        self.param_refs().cloned().collect()
    }

    /// The bound values, in the order of their `?`s: WHERE, HAVING, LIMIT.
    fn param_refs(&self) -> impl Iterator<Item = &Value> {
        self.filter
            .iter()
            .chain(&self.having)
            .flat_map(|c| c.params())
            .chain(&self.limit)
    }

    /// Runs the query on `conn` and hands each row to `each` as it comes,
    /// for a loader that reads more than the selection (eager loading reads
    /// the foreign key by its position).
    pub(crate) fn for_each_row(
        &self,
        conn: &Connection,
        each: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
    ) -> Result<()> {
        for_each_row(conn, &self.to_sql(), self.param_refs(), each)
    }

    /// The statement this query runs.
    pub fn to_sql(&self) -> String {
        let mut columns = Vec::new();
        self.selection.columns(&mut columns);
        let mut sql = format!(
            "SELECT {} FROM {}",
            columns.join(", "),
            quote(M::table().name)
        );
        for join in &self.joins {
            sql.push(' ');
            sql.push_str(join);
        }
        if let Some(f) = &self.filter {
            sql.push_str(" WHERE ");
            sql.push_str(f.sql());
        }
        if !self.group_by.is_empty() {
            sql.push_str(" GROUP BY ");
            sql.push_str(&self.group_by.join(", "));
        }
        if let Some(h) = &self.having {
            sql.push_str(" HAVING ");
            sql.push_str(h.sql());
        }
        if !self.order_by.is_empty() {
            let terms: Vec<&str> = self.order_by.iter().map(|o| o.0.as_str()).collect();
            sql.push_str(" ORDER BY ");
            sql.push_str(&terms.join(", "));
        }
        if self.limit.is_some() {
            sql.push_str(" LIMIT ?");
        }
        sql
    }
}

impl<M: Model> Select<M> {
    /// Loads each result's children along `relationship` in one more
    /// statement (SQLAlchemy's `selectinload`), giving `(parent, children)`.
    pub fn with<C: Model>(self, relationship: HasMany<M, C>) -> WithChildren<M, C> {
        WithChildren::new(self, relationship)
    }
}

impl<M: Model, S: Selection> Query for Select<M, S> {
    type Row = S::Output;

    fn to_sql(&self) -> String {
        Select::to_sql(self)
    }

    fn fetch(&self, conn: &Connection) -> Result<Vec<S::Output>> {
        let sql = Select::to_sql(self);
        let positions = ColumnPositions::default();
        run(conn, &sql, self.param_refs(), |row| {
            self.selection.read(row, &mut 0, &positions)
        })
    }
}

/// Runs `sql` with `params` bound and maps every row with `map`.
pub(crate) fn run<'v, R>(
    conn: &Connection,
    sql: &str,
    params: impl IntoIterator<Item = &'v Value>,
    mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<R>,
) -> Result<Vec<R>> {
    let mut out = Vec::new();
    for_each_row(conn, sql, params, |row| {
        out.push(map(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// Runs `sql` with `params` bound and hands every row to `each`, as it
/// comes: nothing is collected on the way.
pub(crate) fn for_each_row<'v>(
    conn: &Connection,
    sql: &str,
    params: impl IntoIterator<Item = &'v Value>,
    mut each: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
) -> Result<()> {
    let fail = |e| Error::statement(sql, e);
    let mut stmt = conn
        .prepare_cached(sql)
        .map_err(|e| prepare_error(conn, sql, e))?;
    let mut rows = stmt.query(params_from_iter(params)).map_err(fail)?;
    while let Some(row) = rows.next().map_err(fail)? {
        each(row).map_err(fail)?;
    }
    Ok(())
}

/// The error for a statement SQLite would not prepare. One that binds more
/// values than SQLite allows (a long `is_in` list) says so with the
/// numbers, rather than with its whole text.
pub(crate) fn prepare_error(conn: &Connection, sql: &str, error: rusqlite::Error) -> Error {
    let too_many = match &error {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.starts_with("too many SQL variables"),
        rusqlite::Error::SqlInputError { msg, .. } => msg.starts_with("too many SQL variables"),
        _ => false,
    };
    if !too_many {
        return Error::statement(sql, error);
    }
    let limit = conn
        .limit(rusqlite::limits::Limit::SQLITE_LIMIT_VARIABLE_NUMBER)
        .map_or_else(|_| "its limit".to_owned(), |n| n.to_string());
    Error::Refused {
        message: format!(
            "this statement binds {} values, and SQLite binds at most {limit} in one statement: \
             split a long is_in(...) list into several queries\n  statement: {}",
            placeholders(sql),
            super::error::shorten(sql)
        ),
    }
}

/// How many `?` placeholders `sql` holds (outside quoted names).
fn placeholders(sql: &str) -> usize {
    let mut quoted = false;
    sql.chars()
        .filter(|&c| {
            if c == '"' {
                quoted = !quoted;
            }
            c == '?' && !quoted
        })
        .count()
}
