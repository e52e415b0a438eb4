//! The reference answers: the same files and signatures as `exercises/`,
//! complete. Built in place of `exercises/` by `--features solutions`.

pub mod step1_models;
pub mod step2_create_tables;
pub mod step3_seed;
pub mod step4_queries;
pub mod step5_compare;

// The "Alter it" tasks: locked until you unlock their tests.
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
