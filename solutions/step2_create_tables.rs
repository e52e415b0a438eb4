//! Step 2: create tables. Generate the schema from the models' metadata.

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
