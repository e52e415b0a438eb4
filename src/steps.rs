//! The learner's path: the five steps and the locked tasks, each with the
//! file to open and the command that checks it. `cargo run` ends by naming
//! the next one, so that the last screen always says where to go.

/// One of the five core steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// How the report names it: `step 1 (models)`.
    pub label: &'static str,
    /// The file to open.
    pub file: &'static str,
    /// The `cargo test` filter that runs its tests.
    pub filter: &'static str,
}

impl Step {
    /// The line that sends the learner to this step:
    /// ``Next: step 1 (models): open exercises/step1_models.rs, then check it with `cargo test step1`.``
    pub fn next_line(&self) -> String {
        format!(
            "Next: {}: open {}, then check it with `cargo test {}`.",
            self.label, self.file, self.filter
        )
    }
}

/// Step 1: the models.
pub const MODELS: Step = Step {
    label: "step 1 (models)",
    file: "exercises/step1_models.rs",
    filter: "step1",
};
/// Step 2: the tables.
pub const CREATE_TABLES: Step = Step {
    label: "step 2 (create tables)",
    file: "exercises/step2_create_tables.rs",
    filter: "step2",
};
/// Step 3: the seed.
pub const SEED: Step = Step {
    label: "step 3 (seed)",
    file: "exercises/step3_seed.rs",
    filter: "step3",
};
/// Step 4: the queries.
pub const QUERIES: Step = Step {
    label: "step 4 (queries)",
    file: "exercises/step4_queries.rs",
    filter: "step4",
};
/// Step 5: ORM and raw SQL compared.
pub const COMPARE: Step = Step {
    label: "step 5 (compare)",
    file: "exercises/step5_compare.rs",
    filter: "step5",
};

/// A locked task: `(name, file, test filter)`.
pub type Task = (&'static str, &'static str, &'static str);

/// The locked tasks, in the README's order.
pub const TASKS: [Task; 9] = [
    ("alter-1", "exercises/alter1_publisher.rs", "alter1"),
    ("alter-2", "exercises/alter2_tags.rs", "alter2"),
    ("alter-3", "exercises/alter3_display.rs", "alter3"),
    ("break-1", "exercises/break1_orphan_book.rs", "break1"),
    ("break-2", "exercises/break2_stale_objects.rs", "break2"),
    ("break-3", "exercises/break3_uncommitted.rs", "break3"),
    ("fix-1", "exercises/fix1_foreign_keys.rs", "fix1"),
    ("fix-2", "exercises/fix2_cascade.rs", "fix2"),
    ("fix-3", "exercises/fix3_flush_id.rs", "fix3"),
];

/// What `cargo run` says once the report is complete: the locked tasks, and
/// how to take one on.
pub fn locked_tasks_text() -> String {
    let mut text = String::from(
        "All five steps are done: the report above is the lesson's.\n\
         Next: a locked task. Open its file; check it with the command beside it, which\n\
         runs its locked tests (its header says how to unlock them for good). This list\n\
         stays the same as you go: the tests, not cargo run, say which tasks are done.\n",
    );
    for (name, file, filter) in TASKS {
        text.push_str(&format!(
            "  {name:<8} {file:<34} cargo test {filter} -- --include-ignored\n"
        ));
    }
    text.push_str("Then the four questions in exercises/EXPLAIN.md.\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_line_names_the_step_the_file_and_the_command() {
        assert_eq!(
            MODELS.next_line(),
            "Next: step 1 (models): open exercises/step1_models.rs, \
             then check it with `cargo test step1`."
        );
    }

    #[test]
    fn every_file_named_exists() {
        let root = env!("CARGO_MANIFEST_DIR");
        let steps = [MODELS, CREATE_TABLES, SEED, QUERIES, COMPARE].map(|s| s.file);
        for file in steps.into_iter().chain(TASKS.map(|t| t.1)) {
            assert!(
                std::path::Path::new(root).join(file).is_file(),
                "{file} does not exist"
            );
        }
    }

    #[test]
    fn the_locked_tasks_text_lists_every_task() {
        let text = locked_tasks_text();
        for (name, file, filter) in TASKS {
            assert!(text.contains(name) && text.contains(file), "{name}");
            assert!(text.contains(&format!("cargo test {filter}")), "{name}");
        }
    }
}
