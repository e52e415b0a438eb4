//! Alter 3: readable models. The lesson's `__repr__`, as `Display`.

use std::fmt;

use super::step1_models::{Author, Book};

/// Writes `text` the way Python's `repr()` writes a string: in single
/// quotes, or in double quotes when it holds a single quote and no double
/// quote; backslashes, the quote and line breaks escaped.
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

/// `None` for an object not yet flushed, else the number.
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
