//! Your code. Each file is one step of the kata; do them in order.
//!
//! | step | file | `cargo test` filter |
//! | --- | --- | --- |
//! | 1 | `step1_models.rs`: map structs to tables | `cargo test step1` |
//! | 2 | `step2_create_tables.rs`: the schema from the models | `cargo test step2` |
//! | 3 | `step3_seed.rs`: insert through the session | `cargo test step3` |
//! | 4 | `step4_queries.rs`: read it back through the ORM | `cargo test step4` |
//! | 5 | `step5_compare.rs`: ORM vs raw SQL | `cargo test step5` |
//!
//! Then the lesson's "Alter it" tasks, locked: their tests are ignored until
//! you delete the `#[ignore = "locked: ..."]` lines in their test file.
//!
//! | task | file | tests |
//! | --- | --- | --- |
//! | alter-1 | `alter1_publisher.rs`: publishers, by a migration | `tests/kata/alter1_publisher.rs`, `cargo test alter1` |
//! | alter-2 | `alter2_tags.rs`: tags, a many-to-many | `tests/kata/alter2_tags.rs`, `cargo test alter2` |
//! | alter-3 | `alter3_display.rs`: readable models | `tests/kata/alter3_display.rs`, `cargo test alter3` |
//!
//! Then "Break it" (predict, then observe: `break1_*` to `break3_*`) and
//! "Fix it" (`fix1_*` to `fix3_*`, where fix-3 asks for a prediction too),
//! locked the same way, and "Explain it": four questions in
//! `exercises/EXPLAIN.md`. `cargo run` always ends by naming what is next.
//!
//! Every function here is a `todo!()`: replace each with a real body. The
//! reference answers are in `solutions/`, same file names, if your copy has
//! that folder (a teacher may have taken it out).

pub mod step1_models;
pub mod step2_create_tables;
pub mod step3_seed;
pub mod step4_queries;
pub mod step5_compare;

// The "Alter it" tasks: locked until you unlock their tests (see each file).
pub mod alter1_publisher;
pub mod alter2_tags;
pub mod alter3_display;

// The "Break it" and "Fix it" tasks: locked until you unlock their tests.
pub mod break1_orphan_book;
pub mod break2_stale_objects;
pub mod break3_uncommitted;
pub mod fix1_foreign_keys;
pub mod fix2_cascade;
pub mod fix3_flush_id;
