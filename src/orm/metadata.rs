//! The models to create together: SQLAlchemy's `Base.metadata.create_all(engine)`.

use rusqlite::Connection;

use super::error::{Error, Result};
use super::model::{Model, Table};
use super::schema::*;

/// A set of models to create together: SQLAlchemy's `MetaData`.
///
/// ```
/// use models_kata::orm::{example::{Album, Artist}, Engine, Metadata};
/// # fn main() -> models_kata::orm::Result<()> {
/// let engine = Engine::in_memory()?;
/// // Registered child first: create_all still creates the parent first.
/// let created = Metadata::new().register::<Album>().register::<Artist>().create_all(&engine)?;
/// assert_eq!(created, ["artists", "albums"]);
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct Metadata {
    tables: Vec<&'static Table>,
}

impl Metadata {
    /// No tables yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the table of model `M`.
    pub fn register<M: Model>(mut self) -> Self {
        let table = M::table();
        if !self.tables.iter().any(|t| t.name == table.name) {
            self.tables.push(table);
        }
        self
    }

    /// Adds a table definition directly: for a variant of a model's table,
    /// such as the same columns with `ON DELETE CASCADE` on a foreign key.
    /// A later table with the same name replaces an earlier one.
    pub fn register_table(mut self, table: &'static Table) -> Self {
        self.tables.retain(|t| t.name != table.name);
        self.tables.push(table);
        self
    }

    /// The registered tables, parents before children, so that every
    /// `REFERENCES` names a table created before it.
    pub fn sorted_tables(&self) -> Result<Vec<&'static Table>> {
        let mut sorted: Vec<&'static Table> = Vec::with_capacity(self.tables.len());
        let mut left: Vec<&'static Table> = self.tables.clone();
        while !left.is_empty() {
            let ready = left.iter().position(|t| {
                t.foreign_keys().all(|(_, fk)| {
                    fk.table == t.name
                        || sorted.iter().any(|s| s.name == fk.table)
                        || !left.iter().any(|l| l.name == fk.table)
                })
            });
            match ready {
                Some(i) => sorted.push(left.remove(i)),
                None => {
                    let names: Vec<&str> = left.iter().map(|t| t.name).collect();
                    return Err(Error::Mapping {
                        table: left[0].name,
                        message: format!("foreign keys form a cycle among {}", names.join(", ")),
                    });
                }
            }
        }
        Ok(sorted)
    }

    /// Creates every registered table that does not exist yet, with its
    /// foreign-key indexes, in one transaction. Returns the table names in
    /// creation order. Safe to call again: existing tables are left as they are.
    pub fn create_all(&self, engine: &super::Engine) -> Result<Vec<&'static str>> {
        self.create_all_on(engine.connection())
    }

    /// [`Metadata::create_all`] on a plain connection.
    pub fn create_all_on(&self, conn: &Connection) -> Result<Vec<&'static str>> {
        let tables = self.sorted_tables()?;
        for table in &tables {
            for (column, fk) in table.foreign_keys() {
                let known =
                    self.tables.iter().any(|t| t.name == fk.table) || table_exists(conn, fk.table)?;
                if !known {
                    return Err(Error::Mapping {
                        table: table.name,
                        message: format!(
                            "column `{}` references table `{}`, which is neither registered nor in the database",
                            column.name, fk.table
                        ),
                    });
                }
            }
        }
        if tables.iter().any(|t| indexed_columns(t).next().is_some()) {
            let mut indexes = existing_indexes(conn)?;
            for table in &tables {
                for column in indexed_columns(table) {
                    plan_index(&mut indexes, table.name, column)?;
                }
            }
        }
        // A savepoint, not BEGIN, so that this also works inside a session's transaction.
        let mut script = String::from("SAVEPOINT create_all;\n");
        for table in &tables {
            script.push_str(&create_table_sql(table));
            script.push_str(";\n");
            for index in create_index_sql(table) {
                script.push_str(&index);
                script.push_str(";\n");
            }
        }
        script.push_str("RELEASE create_all;");
        if let Err(e) = conn.execute_batch(&script) {
            // Leave nothing half-created behind.
            let _ = conn.execute_batch("ROLLBACK TO create_all; RELEASE create_all;");
            return Err(Error::statement(&script, e));
        }
        Ok(tables.iter().map(|t| t.name).collect())
    }
}
