//! models-kata: a test-driven kata on how an ORM maps structs to tables.
//!
//! - [`orm`]: the kata's small ORM, which the exercises use (read it!);
//! - [`kata`]: your code, from `exercises/`, or the reference answers from
//!   `solutions/` when built with `--features solutions`;
//! - [`lesson`]: the lesson's data; [`report`]: what `cargo run` prints;
//!   [`steps`]: the learner's path, and what comes next;
//!   [`diagram`]: `cargo run -- --diagram`; [`dbfile`]: `cargo run -- --db PATH`.

pub mod dbfile;
pub mod diagram;
pub mod lesson;
pub mod orm;
pub mod report;
pub mod steps;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/mod.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/mod.rs")]
pub mod kata;
