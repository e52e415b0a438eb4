//! `cargo run -- --diagram`: the schema your step 1 models describe, drawn as
//! a Mermaid `erDiagram`. The snapshot is the lesson's schema; any correct
//! step 1 draws it. (`step1_schema_` sorts after `step1_models`, so step 1's
//! own tests come first.)

use models_kata::diagram::lesson_diagram;

#[test]
fn the_models_draw_the_lessons_schema() {
    assert_answer_key!("diagram", lesson_diagram());
}
