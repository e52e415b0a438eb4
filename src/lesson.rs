//! The lesson's data: three authors and their seven books, in the order the
//! lesson inserts them (and so in id order).

/// One author to seed, with their books as `(title, year)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthorSeed {
    /// The author's name.
    pub name: &'static str,
    /// Their books, `(title, year)`, in insertion order.
    pub books: &'static [(&'static str, i64)],
}

/// The library the lesson builds.
pub const LIBRARY: &[AuthorSeed] = &[
    AuthorSeed {
        name: "David Thomas",
        books: &[
            ("The Pragmatic Programmer", 1999),
            ("Programming Pearls", 2000),
        ],
    },
    AuthorSeed {
        name: "Robert C. Martin",
        books: &[
            ("Clean Code", 2008),
            ("Clean Architecture", 2017),
            ("The Clean Coder", 2011),
        ],
    },
    AuthorSeed {
        name: "Luciano Ramalho",
        books: &[("Fluent Python", 2015), ("Fluent Python 2nd Ed", 2022)],
    },
];

/// The year the lesson's "books after" query uses.
pub const AFTER_YEAR: i64 = 2010;

/// The lesson's "authors with more than N books".
pub const MORE_THAN_BOOKS: i64 = 2;
