//! Names in SQL: quoted only where they need it.

use pretty_assertions::assert_eq;

use super::*;

/// A table named `select` whose text column is `Key "Name"`.
#[derive(Debug, PartialEq)]
struct Chooser {
    id: Option<i64>,
    key: String,
}

impl Chooser {
    const ID: Column<Chooser, i64> = Column::new("id");
    const KEY: Column<Chooser, String> = Column::new("Key \"Name\"");
    const PICKS: HasMany<Chooser, Pick> = HasMany::new(Pick::FROM);
}

impl Model for Chooser {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "select",
            &[Chooser::ID.mapped().primary_key(), Chooser::KEY.mapped()],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Chooser {
            id: Some(row.get(Chooser::ID)?),
            key: row.get(Chooser::KEY)?,
        })
    }
    fn values(&self) -> Values<'_, Self> {
        Values::new().set(Chooser::KEY, &self.key)
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

/// A table named `order`, with columns `group` and `from` (a foreign key).
#[derive(Debug, PartialEq)]
struct Pick {
    id: Option<i64>,
    group: String,
    from: i64,
}

impl Pick {
    const ID: Column<Pick, i64> = Column::new("id");
    const GROUP: Column<Pick, String> = Column::new("group");
    const FROM: Column<Pick, i64> = Column::new("from");
    const CHOOSER: BelongsTo<Pick, Chooser> = BelongsTo::new(Pick::FROM);
}

impl Model for Pick {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "order",
            &[
                Pick::ID.mapped().primary_key(),
                Pick::GROUP.mapped(),
                Pick::FROM.mapped().references("select", "id"),
            ],
        );
        &TABLE
    }
    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Pick {
            id: Some(row.get(Pick::ID)?),
            group: row.get(Pick::GROUP)?,
            from: row.get(Pick::FROM)?,
        })
    }
    fn values(&self) -> Values<'_, Self> {
        Values::new()
            .set(Pick::GROUP, &self.group)
            .set(Pick::FROM, &self.from)
    }
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

#[test]
fn any_name_works_and_only_names_that_need_it_are_quoted() {
    assert_eq!(
        crate::orm::schema::create_table_sql(Pick::table()),
        "CREATE TABLE IF NOT EXISTS \"order\" (\n    id INTEGER PRIMARY KEY,\n    \
         \"group\" TEXT NOT NULL,\n    \"from\" INTEGER NOT NULL REFERENCES \"select\"(id)\n)"
    );
    assert_eq!(Chooser::KEY.qualified(), "\"select\".\"Key \"\"Name\"\"\"");
    let engine = Engine::in_memory().unwrap();
    engine.set_foreign_keys(true).unwrap();
    Metadata::new()
        .register::<Pick>()
        .register::<Chooser>()
        .create_all(&engine)
        .unwrap();
    let mut session = engine.session();
    let chooser = session.add(Chooser {
        id: None,
        key: "k".into(),
    });
    session.flush().unwrap();
    let from = session.flushed_id(&chooser).unwrap();
    for group in ["a", "b"] {
        session.add(Pick {
            id: None,
            group: group.into(),
            from,
        });
    }
    session.commit().unwrap();
    let picks = session
        .all(
            &select::<Pick>()
                .columns((Pick::GROUP, Chooser::KEY, count_of(Pick::ID)))
                .join(Pick::CHOOSER)
                .filter(Pick::GROUP.eq("a"))
                .group_by(Pick::GROUP)
                .order_by(Pick::GROUP.desc()),
        )
        .unwrap();
    assert_eq!(picks, [("a".to_string(), "k".to_string(), 1)]);
    let with = session
        .all(
            &select::<Chooser>()
                .filter(Chooser::ID.eq(from))
                .with(Chooser::PICKS),
        )
        .unwrap();
    assert_eq!(with[0].1.len(), 2);
    let changed = session
        .execute(
            &update::<Pick>()
                .set(Pick::GROUP, "c")
                .filter(Pick::ID.eq(2)),
        )
        .unwrap();
    assert_eq!(changed, 1);
    let first = session.get::<Pick>(1).unwrap().unwrap();
    let err = session.delete(&with[0].0).unwrap_err();
    assert!(
        err.to_string()
            .contains("2 rows of order (from) still point at it"),
        "{err}"
    );
    assert_eq!(session.delete(&first).unwrap(), 1);
    session.commit().unwrap();
    let groups: Vec<String> = session.all(&select::<Pick>().columns(Pick::GROUP)).unwrap();
    assert_eq!(groups, ["c"]);
}

#[test]
fn the_keyword_list_is_sqlites() {
    let mut theirs = Vec::new();
    // SAFETY: SQLite hands out pointers to its own static keyword table.
    unsafe {
        for i in 0..rusqlite::ffi::sqlite3_keyword_count() {
            let (mut name, mut len) = (std::ptr::null(), 0);
            rusqlite::ffi::sqlite3_keyword_name(i, &mut name, &mut len);
            let bytes = std::slice::from_raw_parts(name.cast::<u8>(), len as usize);
            theirs.push(String::from_utf8(bytes.to_vec()).unwrap());
        }
    }
    theirs.sort();
    assert_eq!(crate::orm::ident::KEYWORDS.to_vec(), theirs);
    assert!(crate::orm::ident::is_keyword("order") && !crate::orm::ident::is_keyword("orders"));
}

/// A name is plain (unquoted) only if it starts with a lowercase letter or
/// `_` and goes on with those or digits: its first character is checked
/// like the others.
#[test]
fn a_name_is_plain_only_from_its_first_character_on() {
    use crate::orm::ident::quote;
    assert_eq!(quote("_hidden"), "_hidden");
    assert_eq!(quote("a1_b"), "a1_b");
    assert_eq!(quote("Author"), "\"Author\"");
    assert_eq!(quote("1st"), "\"1st\"");
    assert_eq!(quote("-x"), "\"-x\"");
    assert_eq!(quote("aB"), "\"aB\"");
    assert_eq!(quote(""), "\"\"");
}
