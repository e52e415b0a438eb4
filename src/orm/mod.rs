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
//!
//! One concept per file, in reading order:
//!
//! | file | what it holds |
//! | --- | --- |
//! | `model.rs` | a table's metadata: [`Model`], [`Table`], typed [`Column`]s |
//! | `row.rs` | a struct from a row ([`ModelRow`], reading columns where the query found them: [`ColumnPositions`]) and its values back ([`Values`]) |
//! | `schema.rs`, `metadata.rs` | `CREATE TABLE`/`CREATE INDEX`, [`schema::add_column`]; [`Metadata::create_all`] |
//! | `engine.rs` | the connection, its settings and hooks |
//! | `trace.rs` | every statement run: [`StatementLog`] and echo |
//! | `session.rs` | the unit of work: add, flush, commit, rollback |
//! | `session/transaction.rs` | the session's transaction, and how it ended |
//! | `session/statements.rs` | queries, `UPDATE` and `DELETE` run by a session |
//! | `session/lazy.rs` | lazy loading: `get`, `children`, `parent` |
//! | `store.rs` | where a session keeps its objects ([`Handle`]) |
//! | `insert.rs` | the INSERT SQL a flush sends, and its binding |
//! | `condition.rs`, `query.rs`, `update.rs` | conditions and orderings; `SELECT`; `UPDATE` |
//! | `relation.rs` | relationships, joins, eager loading ([`Select::with`]) |
//! | `error.rs` | the error messages, and the diagnosis behind them |
//! | `ident.rs` | names in SQL, quoted where they need it |
//! | `tests/` | the ORM's own tests, one file per concept |

#![warn(missing_docs)]

mod condition;
mod engine;
mod error;
pub mod example;
pub mod ident;
mod insert;
mod metadata;
mod model;
mod query;
mod relation;
mod row;
pub mod schema;
mod session;
mod store;
mod trace;
mod update;

pub use condition::{Condition, Count, Order, count};
pub use engine::Engine;
pub use error::{Error, Result};
pub use metadata::Metadata;
pub use model::{Column, ColumnDef, ForeignKey, Model, OnDelete, SqlType, SqlValue, Table};
pub use query::{Query, Select, Selection, Whole, select, whole};
pub use relation::{BelongsTo, HasMany, Join, KeyType, MAX_IN_LIST, ManyToMany, WithChildren};
pub use row::{ColumnPositions, ModelRow, Values};
pub use session::{ObjectState, Session};
pub use store::Handle;
pub use trace::{EchoSink, StatementLog};
pub use update::{Update, update};

#[cfg(test)]
mod tests;
