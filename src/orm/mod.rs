//! The kata's ORM: the lesson's SQLAlchemy, small enough to read in one sitting.
//!
//! | SQLAlchemy | here |
//! | --- | --- |
//! | `class Book(Base)`, `__tablename__`, `Mapped[int]`, `mapped_column` | [`Model`], [`Table`], [`Column`], [`ColumnDef`] |
//! | `ForeignKey("authors.id")`, `relationship(back_populates=...)` | [`ColumnDef::references`], [`HasMany`], [`BelongsTo`] |
//! | `Base.metadata.create_all(engine)` | [`Metadata::create_all`] |
//! | `create_engine("sqlite://")`, `echo=True` | [`Engine::in_memory`], [`Engine::echo_to`] |
//! | `Session`: `add`, `flush`, `commit`, `rollback` | [`Session`] |
//! | `select(Book).where(Book.year > 2010)` | [`select`]`::<Book>().filter(Book::YEAR.gt(2010))` |
//! | `func.count`, `group_by`, `having` | [`count`], [`Select::group_by`], [`Select::having`] |
//! | `selectinload(Author.books)` | [`Select::with`] |
//! | `relationship(secondary=...)` (many-to-many) | [`ManyToMany`] |
//! | `update(Book).where(...).values(...)` | [`update`], [`Session::execute`] |
//! | `op.add_column(...)` (a migration) | [`schema::add_column`] |
//! | `text("SELECT ...")` | plain rusqlite on [`Engine::connection`] |
//!
//! Every value reaches SQLite as a bound parameter; SQL text is built only
//! from names in model metadata, quoted where a name needs it ([`ident`]).

pub mod engine;
pub mod error;
pub mod example;
pub mod ident;
mod insert;
pub mod model;
pub mod query;
pub mod relation;
pub mod schema;
pub mod session;
mod store;

pub use engine::{Engine, StatementLog};
pub use error::{Error, Result};
pub use model::{
    Column, ColumnDef, ForeignKey, Model, ModelRow, OnDelete, SqlType, SqlValue, Table, Values,
};
pub use query::{
    Condition, Count, Order, Query, Select, Selection, Update, Whole, count, select, update, whole,
};
pub use relation::{BelongsTo, HasMany, Join, ManyToMany, WithChildren};
pub use schema::Metadata;
pub use session::{ObjectState, Session};
pub use store::Handle;

#[cfg(test)]
mod tests;
