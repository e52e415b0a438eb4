//! `cargo run -- --diagram`: the schema the models describe, as a picture.
//!
//! The lesson offers a "Visualize" way to learn; here it is a Mermaid
//! `erDiagram` built from the models' metadata (the same [`Table`]s that
//! `create_all` turns into SQL): tables, columns with their SQL types,
//! primary and foreign keys, and each one-to-many with its cardinality.
//! GitHub and GitLab draw it inside a Markdown ```` ```mermaid ```` block, and
//! <https://mermaid.live> draws it anywhere.

use std::fmt::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::kata::step1_models::{Author, Book};
use crate::orm::{ColumnDef, Model, OnDelete, Table};
use crate::report::panic_text;
use crate::steps;

/// The lesson's schema, from the learner's models (step 1). Panics with
/// step 1's `todo!()` message while the models are unfinished.
pub fn lesson_diagram() -> String {
    mermaid(&[Author::table(), Book::table()])
}

/// [`lesson_diagram`], or, while step 1 is unfinished, what to do first.
pub fn lesson_diagram_or_next_step() -> Result<String, String> {
    catch_unwind(AssertUnwindSafe(lesson_diagram)).map_err(|payload| {
        let text = panic_text(payload.as_ref());
        let why = text.strip_prefix("not yet implemented: ").unwrap_or(&text);
        format!(
            "No diagram yet: it is drawn from your models, and step 1 is not done.\n  \
             [todo] {why}\n{}",
            steps::MODELS.next_line()
        )
    })
}

/// A Mermaid `erDiagram` of `tables`: first one line per foreign key, parent
/// to child, then each table with its columns.
///
/// A foreign key reads `parent ||--o{ child`: one parent, zero or more
/// children. A nullable foreign key makes the parent optional (`|o`), and a
/// UNIQUE one allows at most one child (`o|`).
pub fn mermaid(tables: &[&Table]) -> String {
    let mut out = String::from("erDiagram\n");
    for table in tables {
        for (column, fk) in table.foreign_keys() {
            let parent = if column.nullable { "|o" } else { "||" };
            let children = if column.unique || (column.primary_key && is_only_key(table)) {
                "o|"
            } else {
                "o{"
            };
            let _ = writeln!(
                out,
                "    {} {parent}--{children} {} : \"{}\"",
                fk.table, table.name, column.name
            );
        }
    }
    for table in tables {
        let _ = writeln!(out, "    {} {{", table.name);
        for column in table.columns {
            let _ = writeln!(out, "        {}", attribute(table, column));
        }
        let _ = writeln!(out, "    }}");
    }
    out
}

/// One column as a Mermaid attribute: `TYPE name KEYS "comment"`.
fn attribute(table: &Table, column: &ColumnDef) -> String {
    let mut keys = Vec::new();
    if column.primary_key {
        keys.push("PK");
    }
    if column.foreign_key.is_some() {
        keys.push("FK");
    }
    if column.unique {
        keys.push("UK");
    }
    let mut notes = Vec::new();
    // A lone INTEGER PRIMARY KEY is SQLite's rowid, never NULL: saying NOT
    // NULL there would add nothing. Every other column says what it holds.
    let rowid = column.primary_key && is_only_key(table);
    if !column.nullable && !rowid {
        notes.push("NOT NULL".to_owned());
    }
    if let Some(fk) = column.foreign_key {
        let cascade = match fk.on_delete {
            OnDelete::Cascade => " ON DELETE CASCADE",
            OnDelete::NoAction => "",
        };
        notes.push(format!("REFERENCES {}({}){cascade}", fk.table, fk.column));
    }
    let mut line = format!("{} {}", column.sql_type.as_sql(), column.name);
    if !keys.is_empty() {
        line.push(' ');
        line.push_str(&keys.join(", "));
    }
    if !notes.is_empty() {
        let _ = write!(line, " \"{}\"", notes.join(" "));
    }
    line
}

fn is_only_key(table: &Table) -> bool {
    table.primary_key_columns().count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orm::example::{Album, AlbumGenre, Artist, Genre};

    #[test]
    fn draws_tables_keys_and_a_one_to_many() {
        let text = mermaid(&[Artist::table(), Album::table()]);
        assert!(text.starts_with("erDiagram\n    artists ||--o{ albums : \"artist_id\"\n"));
        assert!(text.contains("        INTEGER id PK\n"), "{text}");
        assert!(
            text.contains("INTEGER artist_id FK \"NOT NULL REFERENCES artists(id)\""),
            "{text}"
        );
        // A nullable column says nothing about NULL.
        assert!(text.contains("        INTEGER year\n"), "{text}");
    }

    #[test]
    fn a_link_table_has_two_parents_and_a_composite_key() {
        let text = mermaid(&[Album::table(), Genre::table(), AlbumGenre::table()]);
        let links = text.lines().filter(|l| l.contains("||--o{")).count();
        assert!(links >= 3, "{text}");
        assert!(text.contains("PK, FK \"NOT NULL REFERENCES"), "{text}");
    }
}
