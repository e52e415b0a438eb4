//! Alter 3 (locked): readable models, the lesson's `__repr__`.
//!
//! Unlock: delete the `#[ignore = "locked: alter-3 ..."]` lines in
//! `tests/kata/alter3_display.rs`, then `cargo test alter3`.
//!
//! Rust has two traits for this. `Debug` (`{:?}`) is the developer's view,
//! the closest thing to `__repr__`; `Display` (`{}`) is the reader's view,
//! like `__str__`. Here `Display` is the one to write: `Author` and `Book`
//! already derive `Debug`, and that derived output (every field, exactly) is
//! what the tests' `assert_eq!` prints when two values differ; a hand-written
//! `Debug` would replace it with a summary. The one-line form below is what
//! you want in logs and in the report.
//!
//! The format, close to what a Python `__repr__` with `{!r}` prints:
//!
//! - `Author(id=1, name='David Thomas')`
//! - `Book(id=1, title='The Pragmatic Programmer', year=1999)`
//! - an object not yet flushed: `Author(id=None, name='New')`
//! - strings are quoted as a simplified Python `repr()`: in single quotes, or in
//!   double quotes when the text holds a `'` and no `"`
//!   (`"Flannery O'Connor"`); a backslash, the quote in use, and line breaks
//!   are escaped: `\\`, `\'`, `\n`, `\r`, `\t`; nothing else is (Python
//!   would also escape other control characters).
//!
//! No ORM call here: `write!(f, "...")?` writes to the formatter, and
//! `text.chars()` walks a string one character at a time.

use std::fmt;

use super::step1_models::{Author, Book};

// Writes `text` the way Python's `repr()` writes a string: in single
// quotes, or in double quotes when it holds a single quote and no double
// quote; backslashes, the quote and line breaks escaped.
fn repr(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    write!(f, "{quote}")?;
    for c in text.chars() {
        match c {
            '\\' => write!(f, "\\\\")?,
            '\n' => write!(f, "\\n")?,
            '\r' => write!(f, "\\r")?,
            '\t' => write!(f, "\\t")?,
            c if c == quote => write!(f, "\\{c}")?,
            c => write!(f, "{c}")?,
        }
    }
    write!(f, "{quote}")
}

// `None` for an object not yet flushed, else the number.
fn id(f: &mut fmt::Formatter<'_>, id: Option<i64>) -> fmt::Result {
    match id {
        Some(id) => write!(f, "{id}"),
        None => write!(f, "None"),
    }
}

impl fmt::Display for Author {
    /// `Author(id=1, name='David Thomas')`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Author(id=")?;
        id(f, self.id)?;
        write!(f, ", name=")?;
        repr(f, &self.name)?;
        write!(f, ")")
    }
}

impl fmt::Display for Book {
    /// `Book(id=1, title='The Pragmatic Programmer', year=1999)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Book(id=")?;
        id(f, self.id)?;
        write!(f, ", title=")?;
        repr(f, &self.title)?;
        write!(f, ", year={})", self.year)
    }
}
