//! Alter 2 (locked): tags, a many-to-many through a link table.
//! To unlock, delete the `#[ignore = "locked: alter-2 ..."]` lines.

use models_kata::kata::alter2_tags::{Tag, books_tagged, create_tag_tables, tag_book, tags_of};
use models_kata::orm::{Engine, select};
use pretty_assertions::assert_eq;
use rstest::{fixture, rstest};

use crate::support::{
    ErrOrFail, OrFail, assert_rows, describe_schema, inlined, lesson, number, rows, rows_with,
};

const FILE: &str = "exercises/alter2_tags.rs";

/// The lesson's library with the harness's own tag tables and tags: one tag
/// unused, two books untagged.
#[fixture]
fn tagged() -> Engine {
    let engine = lesson();
    engine
        .connection()
        .execute_batch(
            "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
             CREATE TABLE book_tags (
                 book_id INTEGER NOT NULL REFERENCES books(id),
                 tag_id INTEGER NOT NULL REFERENCES tags(id),
                 PRIMARY KEY (book_id, tag_id)
             );
             CREATE INDEX ix_book_tags_tag_id ON book_tags (tag_id);
             INSERT INTO tags (id, name) VALUES (1, 'python'), (2, 'craft'), (3, 'programming'), (4, 'unused');
             INSERT INTO book_tags (book_id, tag_id) VALUES
                (7, 1), (6, 1), (6, 3), (1, 3), (1, 2), (3, 2), (4, 3);",
        )
        .expect("tags");
    engine
}

fn links(engine: &Engine) -> Vec<Vec<String>> {
    rows(
        engine,
        "SELECT book_id, tags.name FROM book_tags JOIN tags ON tags.id = tag_id ORDER BY book_id, tags.name",
    )
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn creates_the_tag_and_link_tables(lesson: Engine) {
    assert_eq!(
        create_tag_tables(&lesson).or_fail("create_tag_tables()", FILE),
        ["tags", "book_tags"],
        "create_tag_tables() in {FILE}: the names of the tables it created, in creation order"
    );
    assert_answer_key!("alter2_schema", describe_schema(&lesson));
}

#[rstest]
#[case::two_tags_alphabetical(1, &["craft", "programming"])]
#[case::python_books(6, &["programming", "python"])]
#[case::an_untagged_book(2, &[])]
#[case::a_missing_book(99, &[])]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn the_tags_of_a_book(tagged: Engine, #[case] book: i64, #[case] expected: &[&str]) {
    assert_rows(
        &tags_of(&mut tagged.session(), book).or_fail("tags_of()", FILE),
        expected,
        &format!(
            "tags_of({book}) in {FILE}: the names of book {book}'s tags, in alphabetical order"
        ),
    );
}

#[rstest]
#[case::programming("programming", &[1, 4, 6])]
#[case::python("python", &[6, 7])]
#[case::craft("craft", &[1, 3])]
#[case::a_tag_without_books("unused", &[])]
#[case::an_unknown_tag("nope", &[])]
#[case::names_match_exactly("Python", &[])]
#[case::a_wildcard_is_just_a_character("pyth%", &[])]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn the_books_with_a_tag(tagged: Engine, #[case] tag: &str, #[case] ids: &[i64]) {
    let books = books_tagged(&mut tagged.session(), tag).or_fail("books_tagged()", FILE);
    let found: Vec<i64> = books.iter().map(|b| b.id.unwrap_or_default()).collect();
    assert_rows(
        &found,
        ids,
        &format!("books_tagged({tag:?}) in {FILE}: the books tagged {tag:?}, in id order"),
    );
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tagging_with_a_new_tag_creates_it_once(tagged: Engine) {
    let mut session = tagged.session();
    assert!(
        tag_book(&mut session, 2, "classic").or_fail("tag_book()", FILE),
        "tag_book(2, \"classic\") in {FILE}: returns true when it adds the link: book 2 was not \
         tagged \"classic\" before"
    );
    assert!(
        tag_book(&mut session, 5, "classic").or_fail("tag_book()", FILE),
        "tag_book(5, \"classic\") in {FILE}: returns true when it adds the link: book 5 was not \
         tagged \"classic\" before"
    );
    session.commit().unwrap();
    assert_eq!(
        rows_with(
            &tagged,
            "SELECT count(*) FROM tags WHERE name = ?1",
            ["classic"]
        ),
        [["1"]],
        "tag_book() in {FILE}: a new tag is created once, then reused"
    );
    assert_eq!(
        rows(
            &tagged,
            "SELECT book_id FROM book_tags JOIN tags ON tags.id = tag_id WHERE name = 'classic' ORDER BY book_id"
        ),
        [["2"], ["5"]],
        "tag_book() in {FILE}: both books have the new tag"
    );
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tagging_with_an_existing_tag_reuses_it(tagged: Engine) {
    let mut session = tagged.session();
    assert!(
        tag_book(&mut session, 7, "programming").or_fail("tag_book()", FILE),
        "tag_book(7, \"programming\") in {FILE}: returns true when it adds the link: book 7 was \
         not tagged \"programming\" before"
    );
    session.commit().unwrap();
    assert_eq!(
        number(&tagged, "SELECT count(*) FROM tags"),
        4,
        "tag_book() in {FILE}: an existing tag is reused, no new tag row"
    );
    assert_eq!(
        number(
            &tagged,
            "SELECT count(*) FROM book_tags WHERE book_id = 7 AND tag_id = 3"
        ),
        1,
        "tag_book() in {FILE}: book 7 is linked to the existing tag 3"
    );
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tagging_twice_is_a_no_op(tagged: Engine) {
    let before = links(&tagged);
    let mut session = tagged.session();
    assert!(
        !tag_book(&mut session, 1, "craft").or_fail("tag_book()", FILE),
        "tag_book(1, \"craft\") in {FILE}: returns false when the link is there already: book 1 \
         has \"craft\""
    );
    assert!(
        tag_book(&mut session, 2, "craft").or_fail("tag_book()", FILE),
        "tag_book(2, \"craft\") in {FILE}: returns true when it adds the link: book 2 was not \
         tagged \"craft\" before"
    );
    assert!(
        !tag_book(&mut session, 2, "craft").or_fail("tag_book()", FILE),
        "tag_book(2, \"craft\") in {FILE}: returns false when the link is there already: book 2 \
         was tagged \"craft\" a moment ago, in the same session"
    );
    session.commit().unwrap();
    let mut expected = before;
    expected.insert(2, vec!["2".into(), "craft".into()]);
    assert_eq!(
        links(&tagged),
        expected,
        "tag_book() in {FILE}: tagging twice adds one link, once"
    );
}

/// A tag is found by its exact name: "Python" is not "python", and `%` is
/// just a character.
#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tags_are_found_by_their_exact_name(tagged: Engine) {
    let mut session = tagged.session();
    assert!(
        tag_book(&mut session, 2, "Python").or_fail("tag_book()", FILE),
        "tag_book(2, \"Python\") in {FILE}: book 2 had no tag called \"Python\""
    );
    assert!(
        tag_book(&mut session, 3, "%").or_fail("tag_book()", FILE),
        "tag_book(3, \"%\") in {FILE}: book 3 had no tag called \"%\""
    );
    session.commit().unwrap();
    assert_eq!(
        rows(&tagged, "SELECT id, name FROM tags ORDER BY id"),
        [
            ["1", "python"],
            ["2", "craft"],
            ["3", "programming"],
            ["4", "unused"],
            ["5", "Python"],
            ["6", "%"],
        ],
        "tag_book() in {FILE}: \"Python\" and \"%\" are new tags: find a tag by its exact name \
         (`eq`, not `like`, which ignores case and treats % as a pattern)"
    );
}

/// Alphabetical is `ORDER BY name`: by character code, capitals first.
#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tag_names_sort_by_character_code(tagged: Engine) {
    tagged
        .connection()
        .execute_batch(
            "INSERT INTO tags (id, name) VALUES (5, 'agile'), (6, 'Zen'), (7, 'Ängste');
             INSERT INTO book_tags (book_id, tag_id) VALUES (5, 5), (5, 6), (5, 7);",
        )
        .unwrap();
    assert_rows(
        &tags_of(&mut tagged.session(), 5).or_fail("tags_of()", FILE),
        &["Zen", "agile", "Ängste"],
        &format!(
            "tags_of(5) in {FILE}: names in alphabetical order as ORDER BY sorts them, by \
             character code: capitals before small letters, not ignoring case"
        ),
    );
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tag_book_does_not_commit(tagged: Engine) {
    let before = links(&tagged);
    let mut session = tagged.session();
    assert!(
        tag_book(&mut session, 2, "classic").or_fail("tag_book()", FILE),
        "tag_book(2, \"classic\") in {FILE}: returns true when it adds the link: book 2 was not \
         tagged \"classic\" before"
    );
    drop(session); // no commit: everything must be rolled back
    assert_eq!(
        (number(&tagged, "SELECT count(*) FROM tags"), links(&tagged)),
        (4, before),
        "tag_book() in {FILE} does not commit: the caller decides when, so a session dropped \
         without commit leaves no new tag and no new link"
    );
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tagging_a_missing_book_is_refused(tagged: Engine) {
    let before = links(&tagged);
    let mut session = tagged.session();
    let err = tag_book(&mut session, 999, "python").err_or_fail(
        "tag_book(999, \"python\")",
        FILE,
        "there is no book 999",
        "the foreign key on book_tags.book_id refuses a link to no book: flush the link \
         (`session.flush()?`) and return its error",
    );
    assert!(
        err.is_constraint_violation(),
        "tag_book() in {FILE}: expected the foreign key's error: {err}"
    );
    drop(session);
    assert_eq!(
        links(&tagged),
        before,
        "tag_book() in {FILE}: a refused tagging adds no link"
    );
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tag_names_are_bound_parameters(tagged: Engine) {
    let log = tagged.record();
    let mut session = tagged.session();
    tag_book(&mut session, 2, "zeitgeist").or_fail("tag_book()", FILE);
    tags_of(&mut session, 2).or_fail("tags_of()", FILE);
    books_tagged(&mut session, "zeitgeist").or_fail("books_tagged()", FILE);
    assert_eq!(
        inlined(&log.statements(), "zeitgeist"),
        None,
        "{FILE}: the tag's name must be a bound parameter, never text in the SQL"
    );
}

#[rstest]
#[ignore = "locked: alter-2 (tags) — delete this line to unlock it"]
fn tags_map_to_rows(tagged: Engine) {
    let tags = tagged
        .session()
        .all(&select::<Tag>().order_by(Tag::ID.asc()))
        .unwrap();
    let names: Vec<(Option<i64>, String)> = tags.into_iter().map(|t| (t.id, t.name)).collect();
    assert_eq!(
        names,
        [
            (Some(1), "python".into()),
            (Some(2), "craft".into()),
            (Some(3), "programming".into()),
            (Some(4), "unused".into())
        ],
        "Tag::from_row() in {FILE}: id and name from their columns"
    );
}
