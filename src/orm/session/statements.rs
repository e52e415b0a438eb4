//! Statements the session runs for you: queries (autoflushed first),
//! `UPDATE` and `DELETE`, each inside the session's transaction.

use super::Session;
use crate::orm::error::{Error, Result, is_foreign_key_failure, remaining_children};
use crate::orm::ident::quote;
use crate::orm::model::{Column, Model};
use crate::orm::query::{Query, prepare_error};
use crate::orm::update::Update;

impl Session<'_> {
    /// Runs `query` after flushing, and returns every row.
    pub fn all<Q: Query>(&mut self, query: &Q) -> Result<Vec<Q::Row>> {
        self.not_shared()?;
        self.flush()?;
        query
            .fetch(self.connection())
            .map_err(|error| self.failed(error))
    }

    /// The first row of `query`, if any.
    pub fn first<Q: Query>(&mut self, query: &Q) -> Result<Option<Q::Row>> {
        Ok(self.all(query)?.into_iter().next())
    }

    /// The one row of `query`: an error if there are none or several.
    pub fn one<Q: Query>(&mut self, query: &Q) -> Result<Q::Row> {
        let mut rows = self.all(query)?;
        match rows.len() {
            1 => Ok(rows.remove(0)),
            0 => Err(Error::NoRow {
                sql: query.to_sql(),
            }),
            count => Err(Error::TooManyRows {
                sql: query.to_sql(),
                count,
            }),
        }
    }

    /// Runs an [`Update`](crate::orm::Update) after flushing; returns how many
    /// rows it changed. An update that sets nothing is refused before any
    /// SQL runs ([`Error::Refused`]).
    pub fn execute<M: Model>(&mut self, update: &Update<M>) -> Result<usize> {
        if update.sets_nothing() {
            return Err(Error::Refused {
                message: format!(
                    "an UPDATE of `{}` needs at least one .set(column, value): it has nothing to change",
                    M::table().name
                ),
            });
        }
        self.flush()?;
        self.begin()?;
        let sql = update.to_sql();
        let conn = self.connection();
        let result = match conn.prepare_cached(&sql) {
            Ok(mut stmt) => stmt
                .execute(rusqlite::params_from_iter(update.params()))
                .map_err(|e| Error::statement(&sql, e)),
            Err(e) => Err(prepare_error(conn, &sql, e)),
        };
        result.map_err(|error| self.failed(error))
    }

    /// Deletes `object`'s row (by primary key) after flushing; returns how
    /// many rows went. Foreign keys decide what happens to its children.
    /// As with [`Session::get`], the table needs one primary-key column.
    pub fn delete<M: Model>(&mut self, object: &M) -> Result<usize> {
        let table = M::table();
        let pk = table.primary_key_name()?;
        let Some(id) = object.id() else {
            return Ok(0);
        };
        self.flush()?;
        self.begin()?;
        let sql = format!("DELETE FROM {} WHERE {} = ?", quote(table.name), quote(pk));
        let conn = self.connection();
        let mut stmt = match conn.prepare_cached(&sql) {
            Ok(stmt) => stmt,
            Err(e) => return Err(self.failed(Error::statement(&sql, e))),
        };
        stmt.execute([id]).map_err(|source| {
            let detail = if is_foreign_key_failure(&source) {
                remaining_children(conn, table.name, id)
            } else {
                None
            };
            self.failed(Error::Delete {
                table: table.name,
                id,
                detail,
                source: Box::new(source),
            })
        })
    }
}

/// A column of `M` known only by name: the primary key or a foreign key,
/// which are always integers.
pub(super) fn id_column<M: Model>(name: &'static str) -> Column<M, i64> {
    Column::new(name)
}
