//! The INSERT writer: the statement a flush sends for each added object.
//!
//! `INSERT INTO books (title, year, author_id) VALUES (?, ?, ?)`: the rowid
//! key is left to SQLite, which gives the object its id, unless the object
//! already has one; a table whose only column is its key inserts with
//! `DEFAULT VALUES`. Each model's statement is written and prepared once per
//! flush and reused for every object of that model, so an insert costs what
//! a hand-written prepared INSERT costs.

use std::any::TypeId;

use rusqlite::types::ToSql;
use rusqlite::{CachedStatement, Connection};

use super::error::{Error, Result, is_foreign_key_failure, missing_parent, show};
use super::ident::quote;
use super::model::{Model, Table};
use super::row::Values;

/// Sends the INSERTs of one flush.
pub(crate) struct Inserter<'c> {
    conn: &'c Connection,
    statements: Vec<PreparedInsert<'c>>,
}

/// The INSERT for one model, with or without an explicit id.
struct PreparedInsert<'c> {
    model: TypeId,
    explicit_id: bool,
    sql: String,
    /// The columns bound, in order; the id first when explicit.
    columns: Vec<&'static str>,
    /// For each column bound from `values()`: where the last object's value
    /// was (see [`value_of`]).
    found: Vec<ValuePlace>,
    statement: CachedStatement<'c>,
}

impl<'c> Inserter<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Self {
        Inserter {
            conn,
            statements: Vec::new(),
        }
    }

    /// Inserts `object` and returns the id of its row.
    pub(crate) fn insert<M: Model>(&mut self, object: &M) -> Result<i64> {
        let table = M::table();
        // An id of the object's own goes in only where SQLite would make one.
        let explicit_id = object.id().filter(|_| table.rowid_key().is_some());
        let conn = self.conn;
        let insert = self.statement::<M>(explicit_id.is_some())?;
        let values = object.values();
        bind(insert, explicit_id, &values)?;
        match insert.statement.raw_execute() {
            Ok(_) => Ok(conn.last_insert_rowid()),
            Err(source) => Err(refused(
                conn,
                table,
                &insert.columns,
                explicit_id,
                &values,
                source,
            )),
        }
    }

    /// The prepared INSERT of model `M`, written on first use in this flush.
    fn statement<M: Model>(&mut self, explicit_id: bool) -> Result<&mut PreparedInsert<'c>> {
        let model = TypeId::of::<M>();
        let found = self
            .statements
            .iter()
            .position(|p| p.model == model && p.explicit_id == explicit_id);
        let index = match found {
            Some(index) => index,
            None => {
                let columns = columns(M::table(), explicit_id)?;
                let sql = insert_sql(M::table().name, &columns);
                let statement = self
                    .conn
                    .prepare_cached(&sql)
                    .map_err(|e| Error::statement(&sql, e))?;
                self.statements.push(PreparedInsert {
                    model,
                    explicit_id,
                    sql,
                    found: vec![ValuePlace::default(); columns.len()],
                    columns,
                    statement,
                });
                self.statements.len() - 1
            }
        };
        Ok(&mut self.statements[index])
    }

    /// How many times a value was looked up by its column's name: what the
    /// tests see of [`value_of`]'s shortcut.
    #[cfg(test)]
    pub(crate) fn lookups(&self) -> usize {
        let places = self.statements.iter().flat_map(|s| &s.found);
        places.map(|place| place.lookups).sum()
    }
}

/// Where a column's value was in the last object's `values()`: its index
/// and its name; and how many times it was looked up by name.
#[derive(Clone, Copy, Default)]
struct ValuePlace {
    last: Option<(usize, &'static str)>,
    lookups: usize,
}

/// The columns an INSERT of `table` binds: every column but the rowid key,
/// which comes first when the object brings its own id. A composite key's
/// columns come from `values()` like any other.
fn columns(table: &Table, explicit_id: bool) -> Result<Vec<&'static str>> {
    let rowid_key = table.rowid_key().map(|c| c.name);
    if rowid_key.is_none() && table.primary_key_columns().next().is_none() {
        table.primary_key_name()?;
    }
    let mut columns: Vec<&'static str> = table
        .columns
        .iter()
        .map(|c| c.name)
        .filter(|&name| Some(name) != rowid_key)
        .collect();
    if let (true, Some(key)) = (explicit_id, rowid_key) {
        columns.insert(0, key);
    }
    Ok(columns)
}

/// `INSERT INTO table (columns...) VALUES (?, ...)`.
fn insert_sql(table: &str, columns: &[&str]) -> String {
    if columns.is_empty() {
        // `INSERT INTO t () VALUES ()` is not SQL.
        return format!("INSERT INTO {} DEFAULT VALUES", quote(table));
    }
    let names: Vec<_> = columns.iter().map(|c| quote(c)).collect();
    let marks = vec!["?"; columns.len()].join(", ");
    format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        quote(table),
        names.join(", ")
    )
}

/// Binds the object's values (and its own id, first, if it has one) to the
/// INSERT's parameters.
fn bind<M: Model>(
    insert: &mut PreparedInsert<'_>,
    explicit_id: Option<i64>,
    values: &Values<'_, M>,
) -> Result<()> {
    let skip = usize::from(explicit_id.is_some());
    let columns = &insert.columns[skip..];
    let found = &mut insert.found[skip..];
    // Every column found, and as many values as columns: nothing extra.
    // Otherwise the full check says what is missing or extra. Speed
    // shortcut, measured: running the full check for every object made
    // the seed 1.46-1.52 times raw rusqlite, against 1.23-1.29.
    if values.len() != columns.len() {
        values.check(columns)?;
    }
    let fail = |e| Error::statement(&insert.sql, e);
    if let Some(id) = explicit_id {
        insert.statement.raw_bind_parameter(1, id).map_err(fail)?;
    }
    for (i, (column, found)) in columns.iter().zip(found).enumerate() {
        let value = value_of(column, values, found)?;
        insert
            .statement
            .raw_bind_parameter(skip + i + 1, value)
            .map_err(fail)?;
    }
    Ok(())
}

/// The value of `column`. `found` is where the previous object's value for
/// it was: every object of a model builds its `values()` with the same code,
/// so the value is usually at the same place, under the same `&'static str`
/// (same address, so the same name); otherwise it is looked up by name.
///
/// Speed shortcut, measured (CONTRIBUTING.md, "The ORM's speed
/// shortcuts"): seed 1.17-1.20 times raw rusqlite with it, 1.20-1.23
/// without.
#[inline]
fn value_of<'a, M: Model>(
    column: &str,
    values: &Values<'a, M>,
    found: &mut ValuePlace,
) -> Result<&'a dyn ToSql> {
    if let Some((at, name)) = found.last
        && let Some((n, value)) = values.item(at)
        && std::ptr::eq(n, name)
    {
        return Ok(value);
    }
    look_up(column, values, found)
}

/// [`value_of`] when the value is not where it was: by name, then remembered.
#[cold]
#[inline(never)]
fn look_up<'a, M: Model>(
    column: &str,
    values: &Values<'a, M>,
    found: &mut ValuePlace,
) -> Result<&'a dyn ToSql> {
    found.lookups += 1;
    if let Some(at) = values.position(column)
        && let Some((name, value)) = values.item(at)
    {
        found.last = Some((at, name));
        return Ok(value);
    }
    values.require(column)
}

/// The error for a row SQLite refused: the row as `column = value`, and
/// for a foreign key, which value has no parent.
fn refused<M: Model>(
    conn: &Connection,
    table: &'static Table,
    columns: &[&'static str],
    explicit_id: Option<i64>,
    values: &Values<'_, M>,
    source: rusqlite::Error,
) -> Error {
    let mut row: Vec<String> = Vec::new();
    let mut columns = columns.iter();
    if let Some(id) = explicit_id
        && let Some(key) = columns.next()
    {
        row.push(format!("{key} = {id}"));
    }
    for column in columns {
        let shown = values.get(column).map_or_else(|| "?".into(), show);
        row.push(format!("{column} = {shown}"));
    }
    let detail = if is_foreign_key_failure(&source) {
        missing_parent(conn, table, values)
    } else {
        None
    };
    Error::Insert {
        table: table.name,
        row: row.join(", "),
        detail,
        source: Box::new(source),
    }
}
