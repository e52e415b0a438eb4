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
