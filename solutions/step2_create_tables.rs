//! Step 2: create tables. Generate the schema from the models' metadata.
//!
//! In the lesson: `Base.metadata.create_all(engine)`. Here:
//!
//! - `Metadata::new() -> Metadata`, then `.register::<Author>() -> Metadata`
//!   once per model: the tables to create;
//! - `.create_all(engine: &Engine) -> Result<Vec<&'static str>>`: runs the
//!   `CREATE TABLE` statements (with an index on each foreign-key column),
//!   parents first whatever the order you registered them in, and returns
//!   the table names in the order it created them.
//!
//! `Metadata` is in `crate::orm`; the models are `super::step1_models::{Author, Book}`.
//! Check yourself with `cargo test step2`.

use super::step1_models::{Author, Book};
use crate::orm::{Engine, Metadata, Result};

/// Creates the `authors` and `books` tables (with the foreign key and its
/// index) and returns their names in creation order: `["authors", "books"]`.
/// Tables that already exist are kept, rows and all. When the tables cannot
/// be created (the database refuses), returns that error: no panic, no names.
pub fn create_tables(engine: &Engine) -> Result<Vec<&'static str>> {
    Metadata::new()
        .register::<Author>()
        .register::<Book>()
        .create_all(engine)
}
