//! Conditions and orderings: what [`Select::filter`](super::Select::filter),
//! [`Select::having`](super::Select::having) and
//! [`Select::order_by`](super::Select::order_by) take, written from typed
//! columns (`Book::YEAR.gt(2010)`) and [`count`], each value bound.

use rusqlite::types::Value;

use super::model::{Column, Model, SqlValue};

/// A boolean SQL expression with its bound values: the argument of
/// [`Select::filter`](super::Select::filter) and
/// [`Select::having`](super::Select::having).
#[derive(Clone, Debug, PartialEq)]
#[must_use = "a condition does nothing until a query filters on it"]
pub struct Condition {
    sql: String,
    params: Vec<Value>,
    compound: bool,
}

impl Condition {
    fn simple(sql: String, params: Vec<Value>) -> Self {
        Condition {
            sql,
            params,
            compound: false,
        }
    }

    fn combine(self, op: &str, other: Condition) -> Condition {
        let wrap = |c: &Condition| {
            if c.compound {
                format!("({})", c.sql)
            } else {
                c.sql.clone()
            }
        };
        let sql = format!("{} {op} {}", wrap(&self), wrap(&other));
        let mut params = self.params;
        params.extend(other.params);
        Condition {
            sql,
            params,
            compound: true,
        }
    }

    /// Both conditions hold.
    pub fn and(self, other: Condition) -> Condition {
        self.combine("AND", other)
    }

    /// Either condition holds.
    pub fn or(self, other: Condition) -> Condition {
        self.combine("OR", other)
    }

    /// The SQL text, with `?` for each value.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The values bound to the `?`s, in order.
    pub fn params(&self) -> &[Value] {
        &self.params
    }
}

/// Adds `condition` to a WHERE or HAVING clause: the first one as it is,
/// the next ones joined with AND.
pub(crate) fn and_into(clause: &mut Option<Condition>, condition: Condition) {
    *clause = Some(match clause.take() {
        Some(previous) => previous.and(condition),
        None => condition,
    });
}

/// Writes the comparison methods for a typed SQL expression whose values are `T`.
macro_rules! comparisons {
    ($T:ty) => {
        /// `expr = value`
        pub fn eq(&self, value: impl Into<$T>) -> Condition {
            self.compare("=", value.into())
        }
        /// `expr <> value`
        pub fn ne(&self, value: impl Into<$T>) -> Condition {
            self.compare("<>", value.into())
        }
        /// `expr > value`
        pub fn gt(&self, value: impl Into<$T>) -> Condition {
            self.compare(">", value.into())
        }
        /// `expr >= value`
        pub fn ge(&self, value: impl Into<$T>) -> Condition {
            self.compare(">=", value.into())
        }
        /// `expr < value`
        pub fn lt(&self, value: impl Into<$T>) -> Condition {
            self.compare("<", value.into())
        }
        /// `expr <= value`
        pub fn le(&self, value: impl Into<$T>) -> Condition {
            self.compare("<=", value.into())
        }
        /// `expr IN (?, ?, ...)`; an empty list matches nothing. Each value
        /// is bound, and SQLite binds at most 32,766 in one statement: a
        /// query with more is refused ([`Error::Refused`](super::Error::Refused)) before it runs.
        pub fn is_in(&self, values: impl IntoIterator<Item = $T>) -> Condition {
            let params: Vec<Value> = values.into_iter().map(SqlValue::into_value).collect();
            if params.is_empty() {
                return Condition::simple("0".into(), params);
            }
            let marks = vec!["?"; params.len()].join(", ");
            Condition::simple(format!("{} IN ({marks})", self.expr_sql()), params)
        }
        /// `expr IS NULL`
        pub fn is_null(&self) -> Condition {
            Condition::simple(format!("{} IS NULL", self.expr_sql()), Vec::new())
        }
        /// Ascending order on this expression.
        pub fn asc(&self) -> Order {
            Order(self.expr_sql())
        }
        /// Descending order on this expression.
        pub fn desc(&self) -> Order {
            Order(format!("{} DESC", self.expr_sql()))
        }

        fn compare(&self, op: &str, value: $T) -> Condition {
            Condition::simple(
                format!("{} {op} ?", self.expr_sql()),
                vec![value.into_value()],
            )
        }
    };
}

impl<M: Model, T: SqlValue> Column<M, T> {
    comparisons!(T::Operand);

    fn expr_sql(&self) -> String {
        self.qualified()
    }
}

impl<M: Model> Column<M, String> {
    /// `column LIKE pattern`, where `%` matches any run of characters and `_`
    /// any one character. The pattern is a bound value too.
    pub fn like(&self, pattern: impl Into<String>) -> Condition {
        Condition::simple(
            format!("{} LIKE ?", self.qualified()),
            vec![Value::Text(pattern.into())],
        )
    }
}

/// `count(column)`: SQLAlchemy's `func.count(Book.id)`. NULLs are not counted.
///
/// ```
/// use models_kata::orm::{count, example::{Album, Artist}, select};
/// let query = select::<Artist>()
///     .columns((Artist::NAME, count(Album::ID)))
///     .join(Artist::ALBUMS)
///     .group_by(Artist::ID)
///     .having(count(Album::ID).gt(1));
/// assert_eq!(
///     query.to_sql(),
///     "SELECT artists.name, count(albums.id) FROM artists \
///      JOIN albums ON artists.id = albums.artist_id \
///      GROUP BY artists.id HAVING count(albums.id) > ?"
/// );
/// ```
pub fn count<M: Model, T>(column: Column<M, T>) -> Count {
    Count {
        sql: format!("count({})", column.qualified()),
    }
}

/// An aggregate count, typed as `i64`. Made by [`count`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub(crate) sql: String,
}

impl Count {
    comparisons!(i64);

    fn expr_sql(&self) -> String {
        self.sql.clone()
    }
}

/// One `ORDER BY` term: made by `.asc()` or `.desc()`, or from a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order(pub(crate) String);

impl<M: Model, T> From<Column<M, T>> for Order {
    fn from(column: Column<M, T>) -> Self {
        Order(column.qualified())
    }
}
