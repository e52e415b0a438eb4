//! The kata's tests: one module per step, named like the file it checks, so
//! `cargo test step3` runs step 3's tests. They fail until the step is done.
//!
//! libtest reports failures in name order, and the first one a learner meets
//! should be step 1's: the tests that need every step (`steps_report`, the
//! whole report) sort after `step5_compare`, and the locked tasks, which sort
//! before, are ignored until unlocked.

mod support;

/// Printed above a failed snapshot's diff (by `assert_answer_key!`, below):
/// insta's own labels call the answer key "old snapshot" and suggest a tool
/// the learner does not need.
const SNAPSHOT_NOTE: &str = "How to read the diff below: the `-` lines (\"old snapshot\") are the answer key,\n\
     the `+` lines (\"new results\") are what your code produced. Change your code until\n\
     they match. You need no snapshot tool, and never edit the .snap file.";

/// `insta::assert_snapshot!` with [`SNAPSHOT_NOTE`] above a failed diff: every
/// snapshot in the kata is an answer key.
macro_rules! assert_answer_key {
    ($name:expr, $value:expr $(,)?) => {
        insta::with_settings!({ description => crate::SNAPSHOT_NOTE }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

mod alter1_publisher;
mod alter2_tags;
mod alter3_display;
mod break1_orphan_book;
mod break2_stale_objects;
mod break3_uncommitted;
mod fix1_foreign_keys;
mod fix2_cascade;
mod fix3_flush_id;
mod step1_models;
mod step1_schema_diagram;
mod step2_create_tables;
mod step3_seed;
mod step4_queries;
mod step5_compare;
mod steps_report;
