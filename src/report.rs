//! The lesson's report, built from the kata's functions: what `cargo run` prints.
//!
//! Each section prints its heading, then runs its step. A step that is not
//! done yet (a `todo!()`), panics, or returns an error gets one line saying
//! so, and the sections that need its data say they are waiting for it.

use std::any::Any;
use std::fmt::Display;
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::kata::step1_models::{Author, Book};
use crate::kata::step2_create_tables::create_tables;
use crate::kata::step3_seed::seed;
use crate::kata::step4_queries::{authors_with_books, authors_with_more_books_than, books_after};
use crate::kata::step5_compare::{titles_after_orm, titles_after_raw};
use crate::lesson::{AFTER_YEAR, LIBRARY, MORE_THAN_BOOKS};
use crate::orm::{Engine, Model, Result};
use crate::steps::{self, Step};

/// What went wrong in one section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The heading of the section.
    pub section: &'static str,
    /// The line printed for it.
    pub message: String,
    /// The step to finish: the first problem's step is where to go next.
    pub step: &'static Step,
}

/// Prints the lesson's report to `out`, running the kata's functions on
/// `engine`, which should be empty. Returns the sections that could not
/// finish; an empty list means the report is complete.
pub fn run(engine: &Engine, out: &mut dyn Write) -> io::Result<Vec<Problem>> {
    let mut report = Report {
        out,
        problems: Vec::new(),
    };

    report.heading("--- Creating tables ---", false)?;
    // The tables come from the models' metadata: check step 1 first, so that
    // untouched stubs point at the first file to open.
    let models = report.attempt("models", &steps::MODELS, || {
        Ok((Author::table(), Book::table()))
    })?;
    let tables = match models {
        Some(_) => report.attempt("tables", &steps::CREATE_TABLES, || create_tables(engine))?,
        None => None,
    };
    if let Some(tables) = &tables {
        report.line(format_args!("Tables created: {}", tables.join(", ")))?;
    }

    report.heading("--- Inserting authors and books ---", true)?;
    let seeded = if models.is_none() {
        report.waiting(&steps::MODELS)?;
        false
    } else if tables.is_some() {
        let counts = report.attempt("seed", &steps::SEED, || {
            seed(&mut engine.session(), LIBRARY)
        })?;
        if let Some(c) = counts {
            report.line(format_args!(
                "Added {} authors with {} books total.",
                c.authors, c.books
            ))?;
        }
        counts.is_some()
    } else {
        report.waiting(&steps::CREATE_TABLES)?;
        false
    };

    let mut session = engine.session();

    report.heading("--- All authors ---", true)?;
    if report.ready(seeded)? {
        let listing = report.attempt("authors", &steps::QUERIES, || {
            authors_with_books(&mut session)
        })?;
        for (author, books) in listing.unwrap_or_default() {
            report.line(format_args!("  Author: {}", author.name))?;
            for book in books {
                report.line(format_args!("    - {} ({})", book.title, book.year))?;
            }
        }
    }

    report.heading(&format!("--- Query: books after {AFTER_YEAR} ---"), true)?;
    if report.ready(seeded)? {
        let books = report.attempt("books after", &steps::QUERIES, || {
            books_after(&mut session, AFTER_YEAR)
        })?;
        for (book, author) in books.unwrap_or_default() {
            report.line(format_args!("  {} ({}) by {author}", book.title, book.year))?;
        }
    }

    report.heading(
        &format!("--- Query: authors with more than {MORE_THAN_BOOKS} books ---"),
        true,
    )?;
    if report.ready(seeded)? {
        let authors = report.attempt("prolific authors", &steps::QUERIES, || {
            authors_with_more_books_than(&mut session, MORE_THAN_BOOKS)
        })?;
        for (name, n) in authors.unwrap_or_default() {
            let noun = if n == 1 { "book" } else { "books" };
            report.line(format_args!("  {name} ({n} {noun})"))?;
        }
    }

    report.heading("--- ORM vs raw SQL comparison ---", true)?;
    if report.ready(seeded)? {
        let orm = report.attempt("compare", &steps::COMPARE, || {
            titles_after_orm(&mut session, AFTER_YEAR)
        })?;
        let raw = report.attempt("compare", &steps::COMPARE, || {
            titles_after_raw(engine.connection(), AFTER_YEAR)
        })?;
        if let (Some(orm), Some(raw)) = (orm, raw) {
            if orm == raw {
                report.line("ORM query returned the same results as raw SQL.")?;
            } else {
                report.line("ORM query and raw SQL disagree:")?;
                report.line(format_args!("  ORM: {orm:?}"))?;
                report.line(format_args!("  raw: {raw:?}"))?;
                report.problems.push(Problem {
                    section: "compare",
                    message: "the ORM and raw SQL titles differ".into(),
                    step: &steps::COMPARE,
                });
            }
        }
    }

    Ok(report.problems)
}

struct Report<'o> {
    out: &'o mut dyn Write,
    problems: Vec<Problem>,
}

impl Report<'_> {
    fn line(&mut self, text: impl Display) -> io::Result<()> {
        writeln!(self.out, "{text}")
    }

    /// Prints a section heading, flushed before the section runs, so that
    /// anything the section prints (such as echoed SQL) comes after it.
    fn heading(&mut self, text: &str, blank_before: bool) -> io::Result<()> {
        if blank_before {
            writeln!(self.out)?;
        }
        writeln!(self.out, "{text}")?;
        self.out.flush()
    }

    fn waiting(&mut self, step: &Step) -> io::Result<()> {
        self.line(format_args!(
            "  [waiting] needs {} to work first",
            step.label
        ))
    }

    /// Whether the data is there; if not, says which step it waits for.
    fn ready(&mut self, seeded: bool) -> io::Result<bool> {
        if !seeded {
            self.waiting(&steps::SEED)?;
        }
        Ok(seeded)
    }

    /// Runs one kata function; on a `todo!()`, a panic or an error, prints one
    /// line about it and returns `None`.
    fn attempt<T>(
        &mut self,
        section: &'static str,
        step: &'static Step,
        f: impl FnOnce() -> Result<T>,
    ) -> io::Result<Option<T>> {
        let message = match catch_unwind(AssertUnwindSafe(f)) {
            Ok(Ok(value)) => return Ok(Some(value)),
            Ok(Err(error)) => format!("[error] {} returned an error: {error}", step.label),
            Err(payload) => {
                let text = panic_text(payload.as_ref());
                match text.strip_prefix("not yet implemented: ") {
                    Some(todo) => format!("[todo] {todo}"),
                    None if text == "not yet implemented" => {
                        format!("[todo] {} is not done yet", step.label)
                    }
                    None => format!("[panic] {} panicked: {text}", step.label),
                }
            }
        };
        self.line(format_args!("  {message}"))?;
        self.problems.push(Problem {
            section,
            message,
            step,
        });
        Ok(None)
    }
}

/// The message of a caught panic, such as a `todo!()`'s.
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}
