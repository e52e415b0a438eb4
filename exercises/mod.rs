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
//! Every function here is a `todo!()`: replace each with a real body. The
//! reference answers are in `solutions/`, same file names.

pub mod step1_models;
pub mod step2_create_tables;
pub mod step3_seed;
pub mod step4_queries;
pub mod step5_compare;
