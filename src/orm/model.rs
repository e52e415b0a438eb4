//! Model metadata: how a Rust struct maps to a table.
//!
//! SQLAlchemy's declarative models (`class Book(Base)`, `Mapped[int]`,
//! `mapped_column(...)`) become three pieces here:
//!
//! - typed columns, `const YEAR: Column<Book, i64>`, which queries use
//!   (`Book::YEAR.gt(2010)`) and which know their Rust type;
//! - a [`Table`]: the table name and a [`ColumnDef`] per column, built from the
//!   typed columns with [`Column::mapped`] (primary key, foreign key, NOT NULL);
//! - the [`Model`] trait: the table, and the mapping between a row and a struct.

use std::fmt;
use std::marker::PhantomData;

use rusqlite::types::{FromSql, ToSql, Value};

use super::error::{Error, Result};
use super::ident::quote;
use super::row::{ModelRow, Values};

/// SQLite column type, as written in `CREATE TABLE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlType {
    /// `INTEGER`: `i64`, `i32`, `bool`.
    Integer,
    /// `REAL`: `f64`.
    Real,
    /// `TEXT`: `String`.
    Text,
    /// `BLOB`: `Vec<u8>`.
    Blob,
}

impl SqlType {
    /// The type's name in SQL.
    pub const fn as_sql(self) -> &'static str {
        match self {
            SqlType::Integer => "INTEGER",
            SqlType::Real => "REAL",
            SqlType::Text => "TEXT",
            SqlType::Blob => "BLOB",
        }
    }
}

/// A Rust type that can live in a column.
///
/// The column's SQL type and nullability come from the Rust type, as in
/// SQLAlchemy, where `Mapped[int]` is NOT NULL and `Mapped[Optional[int]]`
/// may be NULL: here `i64` is NOT NULL and `Option<i64>` may be NULL.
pub trait SqlValue: ToSql + FromSql + 'static {
    /// The column type in `CREATE TABLE`.
    const SQL_TYPE: SqlType;
    /// Whether the column may hold NULL.
    const NULLABLE: bool = false;
    /// What a comparison takes: the type itself, or `T` for `Option<T>`
    /// (`= NULL` is never true in SQL; use `is_null()` for that).
    type Operand: SqlValue;
    /// The value as SQLite stores it (for binding as a parameter).
    fn into_value(self) -> Value;
}

impl SqlValue for i64 {
    type Operand = Self;
    const SQL_TYPE: SqlType = SqlType::Integer;
    fn into_value(self) -> Value {
        Value::Integer(self)
    }
}

impl SqlValue for i32 {
    type Operand = Self;
    const SQL_TYPE: SqlType = SqlType::Integer;
    fn into_value(self) -> Value {
        Value::Integer(self.into())
    }
}

impl SqlValue for bool {
    type Operand = Self;
    const SQL_TYPE: SqlType = SqlType::Integer;
    fn into_value(self) -> Value {
        Value::Integer(self.into())
    }
}

impl SqlValue for f64 {
    type Operand = Self;
    const SQL_TYPE: SqlType = SqlType::Real;
    fn into_value(self) -> Value {
        Value::Real(self)
    }
}

impl SqlValue for String {
    type Operand = Self;
    const SQL_TYPE: SqlType = SqlType::Text;
    fn into_value(self) -> Value {
        Value::Text(self)
    }
}

impl SqlValue for Vec<u8> {
    type Operand = Self;
    const SQL_TYPE: SqlType = SqlType::Blob;
    fn into_value(self) -> Value {
        Value::Blob(self)
    }
}

impl<T: SqlValue> SqlValue for Option<T> {
    type Operand = T::Operand;
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const NULLABLE: bool = true;
    fn into_value(self) -> Value {
        self.map_or(Value::Null, T::into_value)
    }
}

/// What happens to child rows when their parent row is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnDelete {
    /// SQLite's default: with foreign keys on, the delete is refused while
    /// children exist.
    NoAction,
    /// `ON DELETE CASCADE`: deleting the parent deletes its children.
    Cascade,
}

/// `REFERENCES table(column)`: SQLAlchemy's `ForeignKey("authors.id")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    /// The referenced table.
    pub table: &'static str,
    /// The referenced column, usually its primary key.
    pub column: &'static str,
    /// What a delete of the parent does.
    pub on_delete: OnDelete,
}

/// One column of a [`Table`]: SQLAlchemy's `mapped_column(...)`.
///
/// Built with [`Column::mapped`] and refined with the `const fn` builders, so a
/// whole table can be a `const`:
///
/// ```
/// use models_kata::orm::example::Album;
/// let def = Album::ARTIST_ID.mapped().references("artists", "id");
/// assert_eq!(def.name, "artist_id");
/// assert!(!def.nullable);
/// assert_eq!(def.foreign_key.unwrap().table, "artists");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column's name.
    pub name: &'static str,
    /// Its SQL type.
    pub sql_type: SqlType,
    /// False for NOT NULL.
    pub nullable: bool,
    /// True for a primary-key column. One integer primary key is SQLite's
    /// rowid; several make a composite key, as in a many-to-many link table.
    pub primary_key: bool,
    /// True for `UNIQUE`: no two rows may hold the same value.
    pub unique: bool,
    /// The parent this column points to, if any.
    pub foreign_key: Option<ForeignKey>,
}

impl ColumnDef {
    /// Marks this column as the primary key (`mapped_column(primary_key=True)`).
    pub const fn primary_key(mut self) -> Self {
        self.primary_key = true;
        self
    }

    /// Marks this column `UNIQUE` (`mapped_column(unique=True)`).
    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Makes this column a foreign key to `table(column)`
    /// (`mapped_column(ForeignKey("table.column"))`).
    pub const fn references(mut self, table: &'static str, column: &'static str) -> Self {
        self.foreign_key = Some(ForeignKey {
            table,
            column,
            on_delete: OnDelete::NoAction,
        });
        self
    }

    /// Adds `ON DELETE CASCADE` to this column's foreign key.
    /// Call it after [`ColumnDef::references`]; on a plain column it does nothing.
    pub const fn on_delete_cascade(mut self) -> Self {
        if let Some(fk) = &mut self.foreign_key {
            fk.on_delete = OnDelete::Cascade;
        }
        self
    }
}

/// A table's metadata: SQLAlchemy's `__tablename__` plus its mapped columns.
#[derive(Debug, PartialEq, Eq)]
pub struct Table {
    /// The table's name in SQL.
    pub name: &'static str,
    /// Its columns, in `CREATE TABLE` and `SELECT` order.
    pub columns: &'static [ColumnDef],
}

impl Table {
    /// A table named `name` with these columns.
    pub const fn new(name: &'static str, columns: &'static [ColumnDef]) -> Self {
        Table { name, columns }
    }

    /// The primary-key column, if the table declares exactly one.
    pub fn primary_key(&self) -> Option<&ColumnDef> {
        let mut keys = self.columns.iter().filter(|c| c.primary_key);
        match (keys.next(), keys.next()) {
            (Some(key), None) => Some(key),
            _ => None,
        }
    }

    /// The primary-key columns: one, several (a composite key), or none.
    pub fn primary_key_columns(&self) -> impl Iterator<Item = &ColumnDef> {
        self.columns.iter().filter(|c| c.primary_key)
    }

    /// The single `INTEGER` primary key that SQLite fills in on insert (the
    /// rowid), if the table has one.
    pub fn rowid_key(&self) -> Option<&ColumnDef> {
        self.primary_key()
            .filter(|c| c.sql_type == SqlType::Integer)
    }

    /// The position of the column called `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The columns that point at another table.
    pub fn foreign_keys(&self) -> impl Iterator<Item = (&ColumnDef, ForeignKey)> {
        self.columns
            .iter()
            .filter_map(|c| c.foreign_key.map(|fk| (c, fk)))
    }

    /// The name of the one primary-key column, or an error that says what
    /// is missing: a key to declare, or (for a composite key) another way
    /// to find the row than one id.
    pub(crate) fn primary_key_name(&self) -> Result<&'static str> {
        if let Some(key) = self.primary_key() {
            return Ok(key.name);
        }
        let keys: Vec<&str> = self.primary_key_columns().map(|c| c.name).collect();
        let message = if keys.is_empty() {
            "no primary key: mark the id column with `.mapped().primary_key()`".into()
        } else {
            format!(
                "get() and delete() find a row by one id, and this table's primary key is \
                 composite ({}): find its rows with select().filter(...) on those columns",
                keys.join(", ")
            )
        };
        Err(Error::Mapping {
            table: self.name,
            message,
        })
    }
}

/// A typed column of model `M` holding Rust values of type `T`.
///
/// Declared once per field as an associated constant, it is what queries are
/// written with: `Book::YEAR.gt(2010)` compiles only with a value that fits
/// `T`, so a year cannot be compared with a string by mistake.
pub struct Column<M, T> {
    name: &'static str,
    _model: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Column<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M, T> Copy for Column<M, T> {}

impl<M, T> fmt::Debug for Column<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Column({})", self.name)
    }
}

impl<M, T> Column<M, T> {
    /// The column called `name` (in the table of `M`).
    pub const fn new(name: &'static str) -> Self {
        Column {
            name,
            _model: PhantomData,
        }
    }

    /// The column's name, unqualified.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<M, T: SqlValue> Column<M, T> {
    /// This column's definition, its SQL type and NOT NULL taken from `T`.
    pub const fn mapped(self) -> ColumnDef {
        ColumnDef {
            name: self.name,
            sql_type: T::SQL_TYPE,
            nullable: T::NULLABLE,
            primary_key: false,
            unique: false,
            foreign_key: None,
        }
    }
}

impl<M: Model, T> Column<M, T> {
    /// `table.column`, as the ORM writes it in SQL (each name quoted if
    /// it needs it, see [`quote`](super::ident::quote)).
    pub fn qualified(&self) -> String {
        format!("{}.{}", quote(M::table().name), quote(self.name))
    }
}

/// A struct stored as one row of one table: SQLAlchemy's mapped class.
///
/// Implement it by hand: [`Model::table`] gives the metadata,
/// [`Model::from_row`] and [`Model::values`] map a row to the struct and back,
/// [`Model::id`] and [`Model::set_id`] give the ORM the primary key, which is
/// `None` until the session flushes the object.
///
/// See [`crate::orm::example`] for a complete pair of models.
pub trait Model: Sized + 'static {
    /// The table's metadata. Write it as a `const`, so it is built at compile
    /// time and shared by every query:
    ///
    /// ```text
    /// fn table() -> &'static Table {
    ///     const TABLE: Table = Table::new("artists", &[Artist::ID.mapped().primary_key(), /* ... */]);
    ///     &TABLE
    /// }
    /// ```
    fn table() -> &'static Table;

    /// Builds the struct from a row holding this table's columns.
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self>;

    /// The values to store, one per column but the primary key.
    fn values(&self) -> Values<'_, Self>;

    /// The primary key, `None` until the object is flushed.
    fn id(&self) -> Option<i64>;

    /// Called by the session with the id the database assigned on flush, and
    /// with `None` when a rollback takes it back.
    fn set_id(&mut self, id: Option<i64>);
}
