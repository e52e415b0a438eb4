//! The kata's ORM against hand-written rusqlite, at scale.
//!
//! ```sh
//! cargo run --release --features solutions --example scale -- --authors 10000 [--books-per-author 10] [--repeat 3]
//! ```
//!
//! Seeds a library, then times each operation twice: through the kata's ORM
//! (the reference solutions) and through plain rusqlite doing the same work
//! the best way it can (one transaction, cached statements, no per-row
//! lookups). Each time is the best of `--repeat` runs; both sides run on
//! identically configured in-memory connections. Statement counts come from
//! one more, untimed, run of each.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rusqlite::Connection;

// The reference solutions, compiled into this example directly, so that the
// benchmark measures the reference answers. (Cargo.toml builds the example
// only with `--features solutions`: a learner's clone may have no
// solutions/.) `crate::orm` and `crate::lesson` are what they expect to find.
pub use models_kata::{lesson, orm};
#[allow(dead_code)]
#[path = "../solutions/mod.rs"]
mod kata;

use kata::step1_models::{Author, Book};
use kata::step2_create_tables::create_tables;
use kata::step3_seed::seed;
use kata::step4_queries::{
    authors_with_books, authors_with_books_lazy, authors_with_more_books_than, books_after,
};
use kata::step5_compare::{titles_after_orm, titles_after_raw};
use lesson::AuthorSeed;
use orm::Engine;

/// The year the "after" queries use: about a fifth of the books are later.
const AFTER_YEAR: i64 = 2010;

struct Options {
    authors: usize,
    books_per_author: usize,
    repeat: usize,
}

fn parse() -> Result<Options, String> {
    let mut options = Options {
        authors: 10_000,
        books_per_author: 10,
        repeat: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let value = args.next().ok_or(format!("{name} needs a number"))?;
            match value.parse::<usize>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "{name} needs a positive whole number, not `{value}`"
                )),
            }
        };
        match flag.as_str() {
            "--authors" => options.authors = number("--authors")?,
            "--books-per-author" => options.books_per_author = number("--books-per-author")?,
            "--repeat" => options.repeat = number("--repeat")?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

/// Authors have `books_per_author - 1` and `books_per_author + 1` books in
/// turn (10 on average), so that "more than n books" picks half of them;
/// years run from 1950 to 2024.
fn library(options: &Options) -> &'static [AuthorSeed] {
    let seeds: Vec<AuthorSeed> = (0..options.authors)
        .map(|i| {
            let count = (options.books_per_author + 2 * (i % 2)).saturating_sub(1);
            let books: Vec<(&'static str, i64)> = (0..count)
                .map(|j| {
                    let title: &'static str = Box::leak(format!("Book {i}.{j}").into_boxed_str());
                    (title, 1950 + ((i * 7 + j * 13) % 75) as i64)
                })
                .collect();
            AuthorSeed {
                name: Box::leak(format!("Author {i}").into_boxed_str()),
                books: Box::leak(books.into_boxed_slice()),
            }
        })
        .collect();
    Box::leak(seeds.into_boxed_slice())
}

type Fail = Box<dyn std::error::Error>;

/// An in-memory database with the lesson's tables, configured as the
/// kata's engine is (foreign keys off), on both sides.
fn database() -> Result<Engine, Fail> {
    let engine = Engine::in_memory()?;
    create_tables(&engine)?;
    Ok(engine)
}

// ---- the hand-written side ------------------------------------------------

fn raw_seed(conn: &Connection, library: &[AuthorSeed]) -> rusqlite::Result<(usize, usize)> {
    let tx = conn.unchecked_transaction()?;
    let mut books = 0;
    {
        let mut author = tx.prepare_cached("INSERT INTO authors (name) VALUES (?1)")?;
        let mut book =
            tx.prepare_cached("INSERT INTO books (title, year, author_id) VALUES (?1, ?2, ?3)")?;
        for seed in library {
            author.execute([seed.name])?;
            let author_id = tx.last_insert_rowid();
            for &(title, year) in seed.books {
                book.execute((title, year, author_id))?;
                books += 1;
            }
        }
    }
    tx.commit()?;
    Ok((library.len(), books))
}

/// [`raw_seed`], also building an `Author` and a `Book` per row and keeping
/// them until the end, as the ORM's session does.
fn raw_seed_keeping_structs(
    conn: &Connection,
    library: &[AuthorSeed],
) -> rusqlite::Result<(Vec<Author>, Vec<Book>)> {
    let tx = conn.unchecked_transaction()?;
    let (mut authors, mut books) = (Vec::new(), Vec::new());
    {
        let mut insert_author = tx.prepare_cached("INSERT INTO authors (name) VALUES (?1)")?;
        let mut insert_book =
            tx.prepare_cached("INSERT INTO books (title, year, author_id) VALUES (?1, ?2, ?3)")?;
        for seed in library {
            let mut author = Author::new(seed.name);
            insert_author.execute([&author.name])?;
            author.id = Some(tx.last_insert_rowid());
            for &(title, year) in seed.books {
                let mut book = Book::new(title, year, tx.last_insert_rowid());
                book.author_id = author.id.unwrap_or_default();
                insert_book.execute((&book.title, book.year, book.author_id))?;
                book.id = Some(tx.last_insert_rowid());
                books.push(book);
            }
            authors.push(author);
        }
    }
    tx.commit()?;
    Ok((authors, books))
}

fn raw_book(row: &rusqlite::Row<'_>) -> rusqlite::Result<Book> {
    Ok(Book {
        id: Some(row.get(0)?),
        title: row.get(1)?,
        year: row.get(2)?,
        author_id: row.get(3)?,
    })
}

fn raw_authors(conn: &Connection) -> rusqlite::Result<Vec<Author>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM authors ORDER BY id")?;
    stmt.query_map([], |r| {
        Ok(Author {
            id: Some(r.get(0)?),
            name: r.get(1)?,
        })
    })?
    .collect()
}

/// Two statements: the authors, then every book, grouped by author.
fn raw_eager(conn: &Connection) -> rusqlite::Result<Vec<(Author, Vec<Book>)>> {
    let authors = raw_authors(conn)?;
    let mut stmt =
        conn.prepare_cached("SELECT id, title, year, author_id FROM books ORDER BY id")?;
    let mut by_author: HashMap<i64, Vec<Book>> = HashMap::with_capacity(authors.len());
    for book in stmt.query_map([], raw_book)? {
        let book = book?;
        by_author.entry(book.author_id).or_default().push(book);
    }
    Ok(authors
        .into_iter()
        .map(|a| {
            let books =
                a.id.and_then(|id| by_author.remove(&id))
                    .unwrap_or_default();
            (a, books)
        })
        .collect())
}

/// 1 + N statements, with the per-author statement prepared once.
fn raw_lazy(conn: &Connection) -> rusqlite::Result<Vec<(Author, Vec<Book>)>> {
    let authors = raw_authors(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, year, author_id FROM books WHERE author_id = ?1 ORDER BY id",
    )?;
    let mut listing = Vec::with_capacity(authors.len());
    for author in authors {
        let books = stmt
            .query_map([author.id], raw_book)?
            .collect::<Result<_, _>>()?;
        listing.push((author, books));
    }
    Ok(listing)
}

fn raw_books_after(conn: &Connection, year: i64) -> rusqlite::Result<Vec<(Book, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT books.id, books.title, books.year, books.author_id, authors.name \
         FROM books JOIN authors ON authors.id = books.author_id \
         WHERE books.year > ?1 ORDER BY books.id",
    )?;
    stmt.query_map([year], |r| Ok((raw_book(r)?, r.get(4)?)))?
        .collect()
}

fn raw_more_books_than(conn: &Connection, n: i64) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT authors.name, count(books.id) FROM authors \
         JOIN books ON authors.id = books.author_id \
         GROUP BY authors.id HAVING count(books.id) > ?1 ORDER BY authors.id",
    )?;
    stmt.query_map([n], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

// ---- measuring -------------------------------------------------------------

struct Row {
    name: String,
    orm: Duration,
    raw: Duration,
    orm_statements: usize,
    raw_statements: usize,
    in_max: bool,
}

/// The best of `repeat` runs of `run`, each after an untimed `setup`.
fn best<S, T>(
    repeat: usize,
    mut setup: impl FnMut() -> Result<S, Fail>,
    mut run: impl FnMut(&S) -> Result<T, Fail>,
) -> Result<Duration, Fail> {
    let mut best = Duration::MAX;
    for _ in 0..repeat {
        let state = setup()?;
        let start = Instant::now();
        let out = run(&state)?;
        best = best.min(start.elapsed());
        drop(out);
    }
    Ok(best)
}

/// How many statements `run` makes `engine` execute.
fn statements<T>(
    engine: &Engine,
    run: impl FnOnce(&Engine) -> Result<T, Fail>,
) -> Result<usize, Fail> {
    let log = engine.record();
    run(engine)?;
    Ok(log.statements().len())
}

fn main() -> ExitCode {
    let options = match parse() {
        Ok(options) => options,
        Err(e) => {
            eprintln!(
                "{e}\nusage: cargo run --release --features solutions --example scale -- --authors N [--books-per-author N] [--repeat N]"
            );
            return ExitCode::from(2);
        }
    };
    match bench(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(options: &Options) -> Result<(), Fail> {
    let library = library(options);
    let books: usize = library.iter().map(|a| a.books.len()).sum();
    let repeat = options.repeat;
    let n = options.books_per_author as i64;
    println!(
        "{} authors, {books} books; best of {repeat} runs; in-memory SQLite {}",
        library.len(),
        rusqlite::version()
    );

    let mut rows = Vec::new();

    // Seeding: a fresh database for every run.
    let orm = best(repeat, database, |e| Ok(seed(&mut e.session(), library)?))?;
    let raw = best(repeat, database, |e| Ok(raw_seed(e.connection(), library)?))?;
    let orm_engine = database()?;
    let orm_statements = statements(&orm_engine, |e| Ok(seed(&mut e.session(), library)?))?;
    let raw_engine = database()?;
    let raw_statements = statements(&raw_engine, |e| Ok(raw_seed(e.connection(), library)?))?;
    rows.push(Row {
        name: "seed".into(),
        orm,
        raw,
        orm_statements,
        raw_statements,
        in_max: true,
    });
    // The same hand-written inserts, but building and keeping one struct per
    // row as an ORM must: what the ORM's own machinery costs on top of that.
    let structs = best(repeat, database, |e| {
        Ok(raw_seed_keeping_structs(e.connection(), library)?)
    })?;
    rows.push(Row {
        name: "seed: ORM vs raw + structs (info)".into(),
        orm,
        raw: structs,
        orm_statements,
        raw_statements,
        in_max: false,
    });

    // The queries: each side reads the database it seeded itself.
    let same = |a: &Engine, b: &Engine| -> Result<(), Fail> {
        let (x, y) = (
            authors_with_books(&mut a.session())?,
            raw_eager(b.connection())?,
        );
        if x != y {
            return Err("the ORM and the hand-written listing disagree".into());
        }
        Ok(())
    };
    same(&orm_engine, &raw_engine)?;

    macro_rules! measure {
        ($name:expr, $in_max:expr, |$s:ident| $orm:expr, |$c:ident| $raw:expr) => {{
            let orm = best(
                repeat,
                || Ok(()),
                |_| {
                    let $s = &mut orm_engine.session();
                    Ok($orm?)
                },
            )?;
            let raw = best(
                repeat,
                || Ok(()),
                |_| {
                    let $c = raw_engine.connection();
                    Ok($raw?)
                },
            )?;
            let orm_statements = statements(&orm_engine, |e| {
                let $s = &mut e.session();
                Ok($orm?)
            })?;
            let raw_statements = statements(&raw_engine, |e| {
                let $c = e.connection();
                Ok($raw?)
            })?;
            rows.push(Row {
                name: $name,
                orm,
                raw,
                orm_statements,
                raw_statements,
                in_max: $in_max,
            });
        }};
    }

    measure!(
        "eager listing".into(),
        true,
        |s| authors_with_books(s),
        |c| raw_eager(c)
    );
    measure!(
        "lazy listing (N+1)".into(),
        true,
        |s| authors_with_books_lazy(s),
        |c| raw_lazy(c)
    );
    measure!(
        format!("books after {AFTER_YEAR} with authors"),
        true,
        |s| books_after(s, AFTER_YEAR),
        |c| raw_books_after(c, AFTER_YEAR)
    );
    measure!(
        format!("authors with more than {n} books"),
        true,
        |s| authors_with_more_books_than(s, n),
        |c| raw_more_books_than(c, n)
    );
    measure!(
        format!("titles after {AFTER_YEAR} (compare)"),
        true,
        |s| titles_after_orm(s, AFTER_YEAR),
        |c| titles_after_raw(c, AFTER_YEAR)
    );

    println!();
    println!(
        "| {:<34} | {:>10} | {:>10} | {:>9} | {:>10} | {:>10} |",
        "operation", "ORM ms", "raw ms", "ORM/raw", "ORM stmts", "raw stmts"
    );
    println!(
        "|{:-<36}|{:->12}|{:->12}|{:->11}|{:->12}|{:->12}|",
        "", "", "", "", "", ""
    );
    let mut max: f64 = 0.0;
    for row in &rows {
        let ratio = row.orm.as_secs_f64() / row.raw.as_secs_f64();
        if row.in_max {
            max = max.max(ratio);
        }
        println!(
            "| {:<34} | {:>10.2} | {:>10.2} | {:>9.2} | {:>10} | {:>10} |",
            row.name,
            row.orm.as_secs_f64() * 1e3,
            row.raw.as_secs_f64() * 1e3,
            ratio,
            row.orm_statements,
            row.raw_statements
        );
    }
    println!();
    println!("max ORM/raw ratio: {max:.2}");
    Ok(())
}
