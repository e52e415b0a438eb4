//! Row mapping: a struct from a row ([`ModelRow`], what
//! [`Model::from_row`] reads) and a struct's values back ([`Values`], what
//! [`Model::values`] gives the INSERT writer).

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::ptr;

use rusqlite::types::{FromSql, ToSql};

use super::error::{Error, Result};
use super::model::{Column, Model, SqlValue, Table};

/// One row as seen by [`Model::from_row`]: read each column by its typed name.
pub struct ModelRow<'r, 's, M> {
    row: &'r rusqlite::Row<'s>,
    start: usize,
    positions: &'r ColumnPositions,
    /// How many columns `from_row` has asked for so far in this row.
    asked: Cell<usize>,
    _model: PhantomData<fn() -> M>,
}

impl<'r, 's, M: Model> ModelRow<'r, 's, M> {
    /// The model's columns in `row` start at position `start`; `positions`
    /// lives as long as the query, so its rows find their columns faster.
    pub(crate) fn new(
        row: &'r rusqlite::Row<'s>,
        start: usize,
        positions: &'r ColumnPositions,
    ) -> Self {
        ModelRow {
            row,
            start,
            positions,
            asked: Cell::new(0),
            _model: PhantomData,
        }
    }

    /// The value of `column` in this row.
    pub fn get<T: FromSql>(&self, column: Column<M, T>) -> rusqlite::Result<T> {
        let table = M::table();
        let asked = self.asked.replace(self.asked.get() + 1);
        // Asks beyond the model's columns (one column read twice) are not
        // remembered: they would land on the next model's.
        let index = if asked < table.columns.len() {
            self.positions
                .find(self.start + asked, table, column.name())
        } else {
            table.column_index(column.name())
        };
        let index = index.ok_or_else(|| rusqlite::Error::InvalidColumnName(column.qualified()))?;
        self.row.get(self.start + index)
    }
}

/// Where the columns a query's rows asked for were found, so that each
/// row need not look its column names up again. A query keeps one; in its
/// rows the `n`th column asked for by the model whose columns start at
/// `start` is remembered at `start + n` (for `n` under its column count,
/// so models never share a place), and is usually the same column the
/// next time (`from_row` reads its fields in the same order every time).
/// It is taken as the same only if its name is the same `&'static str`, at
/// the same address; otherwise it is looked up by name.
///
/// Speed shortcut, measured (CONTRIBUTING.md, "The ORM's speed
/// shortcuts"): eager listing 1.09-1.18 times raw rusqlite with it,
/// 1.23-1.25 without (lazy listing 1.00-1.05 against 1.10-1.12).
#[derive(Default)]
pub struct ColumnPositions {
    /// For each place: the name asked for there, and its column's position.
    found: RefCell<Vec<Option<(&'static str, usize)>>>,
    /// How many times a name was looked up, not found where it was.
    lookups: Cell<usize>,
}

impl ColumnPositions {
    /// The position of column `name` in `table`, asked for `asked`th in a row.
    #[inline]
    fn find(&self, asked: usize, table: &Table, name: &'static str) -> Option<usize> {
        if let Some(Some((n, index))) = self.found.borrow().get(asked)
            && ptr::eq(*n, name)
        {
            return Some(*index);
        }
        self.look_up(asked, table, name)
    }

    /// [`find`](Self::find) the first time: by name, then remembered.
    #[cold]
    #[inline(never)]
    fn look_up(&self, asked: usize, table: &Table, name: &'static str) -> Option<usize> {
        self.lookups.set(self.lookups.get() + 1);
        let index = table.column_index(name)?;
        let mut found = self.found.borrow_mut();
        if found.len() <= asked {
            found.resize(asked + 1, None);
        }
        found[asked] = Some((name, index));
        Some(index)
    }

    /// How many times a column was looked up by name: what the tests see
    /// of this shortcut.
    #[cfg(test)]
    pub(crate) fn lookups(&self) -> usize {
        self.lookups.get()
    }
}

/// The values of one object, by column: what [`Model::values`] returns.
///
/// ```
/// use models_kata::orm::{example::Artist, Model};
/// let artist = Artist::new("Nina Simone");
/// let values = artist.values();
/// assert_eq!(values.len(), 1);
/// ```
pub struct Values<'a, M> {
    /// The first [`INLINE`] values live here, so that the values of a
    /// typical row need no allocation; the rest go to `more`.
    inline: [Option<(&'static str, &'a dyn ToSql)>; INLINE],
    more: Vec<(&'static str, &'a dyn ToSql)>,
    len: usize,
    _model: PhantomData<fn() -> M>,
}

/// How many values [`Values`] holds without allocating. Small, because the
/// builder moves the whole buffer at every `set`.
///
/// Speed shortcut, measured: with every value in the `Vec` (no inline
/// values) the seed took 1.39-1.43 times raw rusqlite, against 1.23-1.29.
const INLINE: usize = 4;

impl<M> Default for Values<'_, M> {
    fn default() -> Self {
        Values {
            inline: [None; INLINE],
            more: Vec::new(),
            len: 0,
            _model: PhantomData,
        }
    }
}

impl<'a, M: Model> Values<'a, M> {
    /// No values yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `column` to `value`. The type must match the column's.
    pub fn set<T: SqlValue>(mut self, column: Column<M, T>, value: &'a T) -> Self {
        let item = (column.name(), value as &dyn ToSql);
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(item),
            None => self.more.push(item),
        }
        self.len += 1;
        self
    }

    /// How many columns are set.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no column is set.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn items(&self) -> impl Iterator<Item = (&'static str, &'a dyn ToSql)> + '_ {
        self.inline
            .iter()
            .flatten()
            .copied()
            .chain(self.more.iter().copied())
    }

    /// The `index`th value set, with its column's name.
    pub(crate) fn item(&self, index: usize) -> Option<(&'static str, &'a dyn ToSql)> {
        match self.inline.get(index) {
            Some(slot) => *slot,
            None => self.more.get(index - INLINE).copied(),
        }
    }

    /// Where the value of column `name` is, in the order set.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.items().position(|(n, _)| n == name)
    }

    /// The value set for the column called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'a dyn ToSql> {
        let (_, value) = self.item(self.position(name)?)?;
        Some(value)
    }

    /// The value for `column`, or the error that says `values()` forgot it.
    pub(crate) fn require(&self, column: &str) -> Result<&'a dyn ToSql> {
        self.get(column).ok_or_else(|| Error::Mapping {
            table: M::table().name,
            message: format!("values() sets no value for column `{column}`"),
        })
    }

    /// Checks that `values()` set each of `columns` once and nothing else.
    pub(crate) fn check(&self, columns: &[&'static str]) -> Result<()> {
        let table = M::table().name;
        let names: Vec<&str> = self.items().map(|(n, _)| n).collect();
        for (i, name) in names.iter().enumerate() {
            if !columns.contains(name) {
                return Err(Error::Mapping {
                    table,
                    message: format!("values() sets `{name}`, which is not a column to insert"),
                });
            }
            if names[..i].contains(name) {
                return Err(Error::Mapping {
                    table,
                    message: format!("values() sets `{name}` twice"),
                });
            }
        }
        columns.iter().try_for_each(|c| self.require(c).map(|_| ()))
    }
}
