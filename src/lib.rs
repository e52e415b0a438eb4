//! models-kata: a test-driven kata on how an ORM maps structs to tables.
//!
//! - [`orm`]: the kata's small ORM, which the exercises use (read it!);
//! - [`kata`]: your code, from `exercises/`, or the reference answers from
//!   `solutions/` when built with `--features solutions`;
//! - [`lesson`]: the lesson's data; [`report`]: what `cargo run` prints;
//!   [`dbfile`]: `cargo run -- --db PATH`.

pub mod dbfile;
pub mod lesson;
pub mod orm;
pub mod report;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/mod.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/mod.rs")]
pub mod kata;
