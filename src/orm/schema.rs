//! DDL from metadata: the `CREATE TABLE` and `CREATE INDEX` statements
//! [`Metadata::create_all`](super::Metadata::create_all) runs, and
//! [`add_column`], a migration (Alembic's `op.add_column`).

use std::borrow::Cow;

use rusqlite::Connection;

use super::error::{Error, Result};
use super::ident::quote;
use super::model::{ColumnDef, ForeignKey, OnDelete, Table};

/// The `CREATE TABLE` statement for `table`.
///
/// ```
/// use models_kata::orm::{example::Album, schema::create_table_sql, Model};
/// assert_eq!(
///     create_table_sql(Album::table()),
///     "CREATE TABLE IF NOT EXISTS albums (\n    \
///      id INTEGER PRIMARY KEY,\n    \
///      title TEXT NOT NULL,\n    \
///      year INTEGER,\n    \
///      artist_id INTEGER NOT NULL REFERENCES artists(id)\n)"
/// );
/// ```
pub fn create_table_sql(table: &Table) -> String {
    let keys: Vec<Cow<'_, str>> = table.primary_key_columns().map(|c| quote(c.name)).collect();
    let composite = keys.len() > 1;
    let mut columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let mut def = format!("{} {}", quote(c.name), c.sql_type.as_sql());
            if c.primary_key && !composite {
                // SQLite's INTEGER PRIMARY KEY is the rowid: never NULL, assigned on insert.
                def.push_str(" PRIMARY KEY");
            } else if !c.nullable {
                def.push_str(" NOT NULL");
            }
            if c.unique {
                def.push_str(" UNIQUE");
            }
            if let Some(fk) = c.foreign_key {
                def.push_str(&references_sql(fk));
            }
            def
        })
        .collect();
    if composite {
        columns.push(format!("PRIMARY KEY ({})", keys.join(", ")));
    }
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n    {}\n)",
        quote(table.name),
        columns.join(",\n    ")
    )
}

pub(crate) fn references_sql(fk: ForeignKey) -> String {
    let on_delete = match fk.on_delete {
        OnDelete::NoAction => "",
        OnDelete::Cascade => " ON DELETE CASCADE",
    };
    format!(
        " REFERENCES {}({}){on_delete}",
        quote(fk.table),
        quote(fk.column)
    )
}

/// The `CREATE INDEX` statements for `table`: one per foreign-key column.
///
/// SQLite does not index foreign-key columns by itself, so without these every
/// "books of this author" lookup scans the whole child table.
///
/// ```
/// use models_kata::orm::{example::Album, schema::create_index_sql, Model};
/// assert_eq!(
///     create_index_sql(Album::table()),
///     ["CREATE INDEX IF NOT EXISTS ix_albums_artist_id ON albums (artist_id)"]
/// );
/// ```
pub fn create_index_sql(table: &Table) -> Vec<String> {
    indexed_columns(table)
        .map(|column| index_sql(table.name, column))
        .collect()
}

/// The columns [`create_index_sql`] indexes: every foreign key but the
/// first column of a composite key, which the key itself indexes.
pub(crate) fn indexed_columns(table: &Table) -> impl Iterator<Item = &'static str> + '_ {
    let first_key = table.primary_key_columns().next().map(|c| c.name);
    let composite = table.primary_key_columns().count() > 1;
    table
        .foreign_keys()
        .filter(move |(c, _)| !(composite && Some(c.name) == first_key))
        .map(|(c, _)| c.name)
}

/// `ix_{table}_{column}`: the name can be the same for two different
/// indexes (`a_b.c` and `a.b_c`), so [`plan_index`] refuses a clash.
pub(crate) fn index_name(table: &str, column: &str) -> String {
    format!("ix_{table}_{column}")
}

pub(crate) fn index_sql(table: &str, column: &str) -> String {
    let name = index_name(table, column);
    format!(
        "CREATE INDEX IF NOT EXISTS {} ON {} ({})",
        quote(&name),
        quote(table),
        quote(column)
    )
}

/// Every index in the database, as `(name, table, columns)`.
pub(crate) fn existing_indexes(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let sql = "SELECT m.name, m.tbl_name, group_concat(i.name) FROM sqlite_schema AS m \
               JOIN pragma_index_info(m.name) AS i WHERE m.type = 'index' GROUP BY m.name";
    let fail = |e| Error::statement(sql, e);
    let mut stmt = conn.prepare(sql).map_err(fail)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(fail)?;
    rows.collect::<rusqlite::Result<_>>().map_err(fail)
}

/// Adds the index on `table(column)` to `indexes`, refusing it when its
/// name already names an index of another table or column: `IF NOT EXISTS`
/// would skip it without a word.
pub(crate) fn plan_index(
    indexes: &mut Vec<(String, String, String)>,
    table: &'static str,
    column: &str,
) -> Result<()> {
    let name = index_name(table, column);
    match indexes.iter().find(|(n, ..)| *n == name) {
        Some((_, t, c)) if t != table || c != column => {
            Err(index_clash(table, &name, (table, column), (t, c)))
        }
        Some(_) => Ok(()),
        None => {
            indexes.push((name, table.to_owned(), column.to_owned()));
            Ok(())
        }
    }
}

pub(crate) fn index_clash(
    table: &'static str,
    name: &str,
    ours: (&str, &str),
    theirs: (&str, &str),
) -> Error {
    Error::Mapping {
        table,
        message: format!(
            "the index on {}({}) would be named `{name}`, which already names the index on \
             {}({}): rename a table or a column",
            ours.0, ours.1, theirs.0, theirs.1
        ),
    }
}

/// `ALTER TABLE ... ADD COLUMN` for `column`, checked against SQLite's limits.
///
/// A real database changes a table in place, keeping its rows. SQLite's
/// `ADD COLUMN` can only add a column that every existing row can hold at
/// once: not a primary key, not `UNIQUE`, and not `NOT NULL` (the kata's
/// columns have no defaults); a `REFERENCES` column must start out NULL.
/// Anything else needs the table rebuilt: create a new one, copy the rows,
/// drop the old, rename.
///
/// ```
/// use models_kata::orm::{example::Album, schema::add_column_sql, Column, Model};
/// let label = Column::<Album, Option<i64>>::new("label_id").mapped().references("labels", "id");
/// assert_eq!(
///     add_column_sql(Album::table(), label).unwrap(),
///     "ALTER TABLE albums ADD COLUMN label_id INTEGER REFERENCES labels(id)"
/// );
/// let required = Column::<Album, i64>::new("label_id").mapped();
/// assert!(add_column_sql(Album::table(), required).is_err());
/// ```
pub fn add_column_sql(table: &Table, column: ColumnDef) -> Result<String> {
    let refuse = |why: &str| {
        Err(Error::Mapping {
            table: table.name,
            message: format!("SQLite cannot ADD COLUMN `{}`: {why}", column.name),
        })
    };
    if column.primary_key {
        return refuse("a primary key cannot be added to an existing table");
    }
    if column.unique {
        return refuse("a UNIQUE column cannot be added; add a unique index instead");
    }
    if !column.nullable {
        return refuse("existing rows would need a value; make it nullable (Option<T>)");
    }
    let mut sql = format!(
        "ALTER TABLE {} ADD COLUMN {} {}",
        quote(table.name),
        quote(column.name),
        column.sql_type.as_sql()
    );
    if let Some(fk) = column.foreign_key {
        sql.push_str(&references_sql(fk));
    }
    Ok(sql)
}

/// Adds `column` to the existing `table` (with an index when it is a foreign
/// key), keeping every row. Does nothing if the column is already there, so a
/// migration can run twice.
pub fn add_column(conn: &Connection, table: &Table, column: ColumnDef) -> Result<bool> {
    let alter = add_column_sql(table, column)?;
    let exists_sql = "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2";
    let exists: i64 = conn
        .query_row(exists_sql, [table.name, column.name], |r| r.get(0))
        .map_err(|e| Error::statement(exists_sql, e))?;
    if exists > 0 {
        return Ok(false);
    }
    if !table_exists(conn, table.name)? {
        return Err(Error::Mapping {
            table: table.name,
            message: "cannot add a column: the table does not exist yet".into(),
        });
    }
    if column.foreign_key.is_some() {
        plan_index(&mut existing_indexes(conn)?, table.name, column.name)?;
    }
    let mut script = format!("SAVEPOINT add_column;\n{alter};\n");
    if column.foreign_key.is_some() {
        script.push_str(&index_sql(table.name, column.name));
        script.push_str(";\n");
    }
    script.push_str("RELEASE add_column;");
    if let Err(e) = conn.execute_batch(&script) {
        let _ = conn.execute_batch("ROLLBACK TO add_column; RELEASE add_column;");
        return Err(Error::statement(&script, e));
    }
    Ok(true)
}

/// Whether a table called `name` exists in the main database.
pub fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    let sql = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1";
    conn.query_row(sql, [name], |row| row.get::<_, i64>(0))
        .map(|n| n > 0)
        .map_err(|e| Error::statement(sql, e))
}
