//! The session: SQLAlchemy's unit of work over one transaction.
//!
//! - [`Session::add`] stages an object: no SQL runs, it has no id yet.
//! - [`Session::flush`] sends the pending inserts, inside the session's
//!   transaction, and gives each object its id.
//! - [`Session::commit`] flushes, then commits: the rows become durable and
//!   visible to other connections.
//! - [`Session::rollback`], or dropping the session, throws away everything
//!   since the last commit.
//! - Every query flushes first (autoflush), so it sees what was added.
//!
//! What the session says stays true when things go wrong:
//!
//! - A failed insert undoes its flush only (a savepoint); the session
//!   stays usable.
//! - If SQLite ends the whole transaction by itself (a trigger's
//!   `RAISE(ROLLBACK)`, a full disk, an I/O error), the call returns
//!   SQLite's error, every object of that transaction is discarded (its row
//!   is gone, so it loses its id), and, as in SQLAlchemy, the session
//!   refuses further work ([`Error::TransactionLost`]) until
//!   [`Session::rollback`]: ids copied from the lost rows would otherwise
//!   point at rows that are not there, or at someone else's.
//! - One engine is one connection with one transaction: while one
//!   session's transaction is open, another session on the same engine
//!   refuses to run SQL ([`Error::TransactionInUse`]).
//! - Inside a transaction begun with raw SQL (`BEGIN`), a session works in a
//!   savepoint of its own: `rollback` undoes just its work, and `commit`
//!   hands its rows to that transaction; they stay
//!   [`Flushed`](ObjectState::Flushed), since whoever began it decides.
//!
//! ```
//! use models_kata::orm::{example::Artist, select, Engine, Metadata};
//! # fn main() -> models_kata::orm::Result<()> {
//! let engine = Engine::in_memory()?;
//! Metadata::new().register::<Artist>().create_all(&engine)?;
//! let mut session = engine.session();
//! let nina = session.add(Artist::new("Nina Simone"));
//! assert_eq!(session.id(&nina), None); // staged only
//! session.flush()?;
//! assert_eq!(session.id(&nina), Some(1)); // the INSERT ran; not committed yet
//! session.commit()?;
//! assert_eq!(session.all(&select::<Artist>())?.len(), 1);
//! # Ok(()) }
//! ```

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use rusqlite::types::{ToSql, ToSqlOutput};
use rusqlite::{CachedStatement, Connection};

use super::engine::{Ended, Engine};
use super::error::{Error, Result, is_foreign_key_failure, shorten, show_value};
use super::ident::quote;
use super::model::{Model, Table, Values};
use super::query::{Query, prepare_error, select};
use super::relation::{BelongsTo, HasMany};

/// A ticket for an object given to [`Session::add`]: ask the session for
/// the object or its id with it.
pub struct Handle<M> {
    index: usize,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Handle<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Handle<M> {}
impl<M> fmt::Debug for Handle<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({})", self.index)
    }
}

/// Where an added object stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectState {
    /// Added, not yet sent to the database: no id.
    Pending,
    /// Inserted in the session's open transaction: has an id, not committed.
    Flushed,
    /// Committed: durable and visible to other connections.
    Committed,
    /// Thrown away by a rollback (the session's, or one SQLite did by
    /// itself), or because its insert failed.
    Discarded,
}

/// The added objects of one model, kept together in one `Vec` (no box per
/// object), behind a trait object so that one session can hold authors and
/// books together.
trait Store {
    /// Inserts object `index` and gives it its id; says whether it came
    /// with an id of its own.
    fn flush_one(&mut self, index: usize, inserter: &mut Inserter<'_>) -> Result<bool>;
    fn id(&self, index: usize) -> Option<i64>;
    fn set_id(&mut self, index: usize, id: Option<i64>);
    fn model(&self) -> TypeId;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// The objects of one model, in chunks of [`CHUNK`]: a chunk never moves
/// once allocated, so a growing session never copies what it already holds.
struct Objects<M> {
    chunks: Vec<Vec<M>>,
    len: usize,
}

/// How many objects one chunk of [`Objects`] holds.
const CHUNK: usize = 1024;

impl<M> Objects<M> {
    fn new() -> Self {
        Objects {
            chunks: Vec::new(),
            len: 0,
        }
    }

    /// Stores `object` and returns its index.
    fn push(&mut self, object: M) -> usize {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(object),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(object);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
        self.len - 1
    }

    fn get(&self, index: usize) -> Option<&M> {
        self.chunks.get(index / CHUNK)?.get(index % CHUNK)
    }

    fn get_mut(&mut self, index: usize) -> Option<&mut M> {
        self.chunks.get_mut(index / CHUNK)?.get_mut(index % CHUNK)
    }
}

impl<M: Model> Store for Objects<M> {
    fn flush_one(&mut self, index: usize, inserter: &mut Inserter<'_>) -> Result<bool> {
        let Some(object) = self.get_mut(index) else {
            unreachable!("no object {index} in its store")
        };
        let own_id = object.id().is_some();
        let id = inserter.insert(object)?;
        object.set_id(Some(id));
        Ok(own_id)
    }
    fn id(&self, index: usize) -> Option<i64> {
        self.get(index).and_then(Model::id)
    }
    fn set_id(&mut self, index: usize, id: Option<i64>) {
        if let Some(object) = self.get_mut(index) {
            object.set_id(id);
        }
    }
    fn model(&self) -> TypeId {
        TypeId::of::<M>()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Sends the INSERTs of one flush. Each model's statement is built and
/// prepared once per flush and reused for every object of that model, so an
/// insert costs what a hand-written prepared INSERT costs.
struct Inserter<'c> {
    conn: &'c Connection,
    statements: Vec<PreparedInsert<'c>>,
    /// The statement used last: a run of objects of one model uses one.
    last: usize,
}

/// The INSERT for one model, with or without an explicit id.
struct PreparedInsert<'c> {
    model: TypeId,
    explicit_id: bool,
    /// Whether the table has a rowid key that SQLite fills in.
    rowid: bool,
    sql: String,
    /// The columns bound, in order; the id first when explicit.
    columns: Vec<&'static str>,
    statement: CachedStatement<'c>,
}

impl<'c> Inserter<'c> {
    fn new(conn: &'c Connection) -> Self {
        Inserter {
            conn,
            statements: Vec::new(),
            last: 0,
        }
    }

    /// `INSERT INTO table (columns...) VALUES (?, ...)` for one object. The
    /// rowid key is left to SQLite unless the object already has an id; the
    /// columns of a composite key come from `values()` like any other.
    fn insert<M: Model>(&mut self, object: &M) -> Result<i64> {
        let model = TypeId::of::<M>();
        let id = object.id();
        let fits =
            |p: &PreparedInsert<'_>| p.model == model && p.explicit_id == (p.rowid && id.is_some());
        let found = match self.statements.get(self.last) {
            Some(last) if fits(last) => Some(self.last),
            _ => self.statements.iter().position(fits),
        };
        let table = M::table();
        let explicit_id = match found {
            Some(index) => id.filter(|_| self.statements[index].rowid),
            None => id.filter(|_| table.rowid_key().is_some()),
        };
        let index = match found {
            Some(index) => index,
            None => {
                let rowid_key = table.rowid_key().map(|c| c.name);
                if rowid_key.is_none() && table.primary_key_columns().next().is_none() {
                    table.primary_key_name()?;
                }
                let mut columns: Vec<&'static str> = table
                    .columns
                    .iter()
                    .filter(|c| Some(c.name) != rowid_key)
                    .map(|c| c.name)
                    .collect();
                if let (Some(_), Some(key)) = (explicit_id, rowid_key) {
                    columns.insert(0, key);
                }
                let marks = vec!["?"; columns.len()].join(", ");
                let sql = if columns.is_empty() {
                    // `INSERT INTO t () VALUES ()` is not SQL.
                    format!("INSERT INTO {} DEFAULT VALUES", quote(table.name))
                } else {
                    let names: Vec<Cow<'_, str>> = columns.iter().map(|c| quote(c)).collect();
                    format!(
                        "INSERT INTO {} ({}) VALUES ({marks})",
                        quote(table.name),
                        names.join(", ")
                    )
                };
                let statement = self
                    .conn
                    .prepare_cached(&sql)
                    .map_err(|e| Error::statement(&sql, e))?;
                self.statements.push(PreparedInsert {
                    model,
                    explicit_id: explicit_id.is_some(),
                    rowid: rowid_key.is_some(),
                    sql,
                    columns,
                    statement,
                });
                self.statements.len() - 1
            }
        };
        self.last = index;
        let insert = &mut self.statements[index];
        let values = object.values();
        let skip = usize::from(explicit_id.is_some());
        if values.len() != insert.columns.len() - skip {
            // Let the values explain what is missing or extra.
            values.check(&insert.columns[skip..])?;
        }
        let fail = |e| Error::statement(&insert.sql, e);
        if let Some(id) = explicit_id {
            insert.statement.raw_bind_parameter(1, id).map_err(fail)?;
        }
        for (i, column) in insert.columns.iter().enumerate().skip(skip) {
            let value = values.require(i - skip, column)?;
            insert
                .statement
                .raw_bind_parameter(i + 1, value)
                .map_err(fail)?;
        }
        if let Err(source) = insert.statement.raw_execute() {
            let mut row: Vec<String> = Vec::new();
            if let Some(id) = explicit_id {
                row.push(format!("{} = {id}", insert.columns[0]));
            }
            for column in &insert.columns[skip..] {
                let shown = values.get(column).map_or_else(|| "?".into(), show);
                row.push(format!("{column} = {shown}"));
            }
            let detail = if is_foreign_key_failure(&source) {
                missing_parent(self.conn, table, &values)
            } else {
                None
            };
            return Err(Error::Insert {
                table: table.name,
                row: row.join(", "),
                detail,
                source: Box::new(source),
            });
        }
        Ok(self.conn.last_insert_rowid())
    }
}

/// A bound value as a message shows it.
fn show(value: &dyn ToSql) -> String {
    match value.to_sql() {
        Ok(ToSqlOutput::Borrowed(v)) => show_value(v),
        Ok(ToSqlOutput::Owned(v)) => show_value((&v).into()),
        _ => "?".into(),
    }
}

/// After a foreign-key failure on insert: the first foreign-key value of the
/// row that matches no parent row, said in words.
fn missing_parent<M: Model>(
    conn: &Connection,
    table: &Table,
    values: &Values<'_, M>,
) -> Option<String> {
    table.foreign_keys().find_map(|(column, fk)| {
        let value = values.get(column.name)?;
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {} = ?1",
            quote(fk.table),
            quote(fk.column)
        );
        let found: i64 = conn.query_row(&sql, [value], |r| r.get(0)).ok()?;
        (found == 0).then(|| {
            format!(
                "{} = {} matches no row of {}({})",
                column.name,
                show(value),
                fk.table,
                fk.column
            )
        })
    })
}

/// After a foreign-key failure on delete: which tables still point at the row.
fn remaining_children(conn: &Connection, table: &str, id: i64) -> Option<String> {
    let sql = "SELECT m.name, p.\"from\" FROM sqlite_schema AS m \
               JOIN pragma_foreign_key_list(m.name) AS p \
               WHERE m.type = 'table' AND p.\"table\" = ?1";
    let mut stmt = conn.prepare(sql).ok()?;
    let links: Vec<(String, String)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
        .ok()?
        .collect::<rusqlite::Result<_>>()
        .ok()?;
    let mut found = Vec::new();
    for (child, column) in links {
        let count_sql = format!(
            "SELECT count(*) FROM {} WHERE {} = ?1",
            quote(&child),
            quote(&column)
        );
        let n: i64 = conn.query_row(&count_sql, [id], |r| r.get(0)).ok()?;
        if n > 0 {
            let rows = if n == 1 { "row" } else { "rows" };
            found.push(format!("{n} {rows} of {child} ({column})"));
        }
    }
    (!found.is_empty()).then(|| format!("{} still point at it", found.join(" and ")))
}

/// One added object, in the order of `add`: where it is stored, and where
/// it stands.
struct Slot {
    store: usize,
    index: usize,
    state: ObjectState,
}

/// The transaction a session has open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transaction {
    /// `BEGIN`: the session's own; `commit` commits it.
    Begun,
    /// `SAVEPOINT orm_session`, inside a transaction begun with raw SQL,
    /// which the session never ends.
    Savepoint,
}

/// A unit of work over one transaction. Made by [`Engine::session`].
pub struct Session<'e> {
    engine: &'e Engine,
    /// This session's number on its engine.
    number: u64,
    stores: Vec<Box<dyn Store>>,
    /// The store `add` used last: objects usually come in runs of one model.
    last_store: usize,
    slots: Vec<Slot>,
    /// No slot before this index is pending, so a flush (which every query
    /// runs first) need not look at the objects flushed long ago.
    pending_from: usize,
    /// The transaction this session has open, if any.
    transaction: Option<Transaction>,
    /// No slot before this index belongs to the open transaction: they are
    /// committed, discarded, or handed to an outer transaction.
    transaction_from: usize,
    /// Why the transaction was lost, until `rollback` acknowledges it.
    lost: Option<String>,
}

impl fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("objects", &self.slots.len())
            .field("in_transaction", &self.transaction.is_some())
            .finish()
    }
}

impl<'e> Session<'e> {
    pub(crate) fn new(engine: &'e Engine, number: u64) -> Self {
        Session {
            engine,
            number,
            stores: Vec::new(),
            last_store: 0,
            slots: Vec::new(),
            pending_from: 0,
            transaction: None,
            transaction_from: 0,
            lost: None,
        }
    }

    /// The connection, for raw SQL inside this session's transaction.
    pub fn connection(&self) -> &'e Connection {
        self.engine.connection()
    }

    /// Stages `object` for insertion. Runs no SQL; the object has no id
    /// until the next flush.
    pub fn add<M: Model>(&mut self, object: M) -> Handle<M> {
        let model = TypeId::of::<M>();
        let known = match self.stores.get(self.last_store) {
            Some(last) if last.model() == model => Some(self.last_store),
            _ => self.stores.iter().position(|s| s.model() == model),
        };
        let store = match known {
            Some(store) => store,
            None => {
                self.stores.push(Box::new(Objects::<M>::new()));
                self.stores.len() - 1
            }
        };
        self.last_store = store;
        let index = self.objects_mut::<M>(store).push(object);
        self.slots.push(Slot {
            store,
            index,
            state: ObjectState::Pending,
        });
        Handle {
            index: self.slots.len() - 1,
            _model: PhantomData,
        }
    }

    /// The store of model `M`, which `add` put at `store`.
    fn objects_mut<M: Model>(&mut self, store: usize) -> &mut Objects<M> {
        match self.stores[store].as_any_mut().downcast_mut() {
            Some(objects) => objects,
            None => unreachable!("store {store} holds another model"),
        }
    }

    /// The object behind `handle`, with its id once flushed.
    pub fn object<M: Model>(&self, handle: &Handle<M>) -> Option<&M> {
        let slot = self.slots.get(handle.index)?;
        let objects: &Objects<M> = self.stores[slot.store].as_any().downcast_ref()?;
        objects.get(slot.index)
    }

    fn object_id(&self, slot: usize) -> Option<i64> {
        let Slot { store, index, .. } = self.slots[slot];
        self.stores[store].id(index)
    }

    fn set_object_id(&mut self, slot: usize, id: Option<i64>) {
        let Slot { store, index, .. } = self.slots[slot];
        self.stores[store].set_id(index, id);
    }

    /// The id of the object behind `handle`: `None` until it is flushed, and
    /// again after a rollback discards it.
    pub fn id<M: Model>(&self, handle: &Handle<M>) -> Option<i64> {
        match self.slots.get(handle.index)?.state {
            ObjectState::Flushed | ObjectState::Committed => self.object_id(handle.index),
            ObjectState::Pending | ObjectState::Discarded => None,
        }
    }

    /// The id of the object behind `handle`, or [`Error::NotFlushed`] when
    /// it has none yet: the `?`-friendly form of [`Session::id`].
    pub fn flushed_id<M: Model>(&self, handle: &Handle<M>) -> Result<i64> {
        self.id(handle).ok_or(Error::NotFlushed {
            table: M::table().name,
        })
    }

    /// Where the object behind `handle` stands.
    pub fn state<M: Model>(&self, handle: &Handle<M>) -> Option<ObjectState> {
        self.slots.get(handle.index).map(|s| s.state)
    }

    /// How many objects are staged and not yet flushed.
    pub fn pending(&self) -> usize {
        self.slots[self.pending_from..]
            .iter()
            .filter(|s| s.state == ObjectState::Pending)
            .count()
    }

    /// Notices a transaction of this session's that ended without it: a
    /// raw `COMMIT` committed its rows; a rollback (raw, or SQLite's own
    /// after an error) lost them, and `cause` says why.
    fn notice_end(&mut self, cause: impl FnOnce() -> String) {
        if self.transaction.is_none() {
            return;
        }
        match self.engine.ended() {
            None => {}
            Some(Ended::Committed) => {
                self.settle(ObjectState::Committed);
                self.end_transaction();
            }
            Some(Ended::RolledBack) => {
                self.settle(ObjectState::Discarded);
                self.end_transaction();
                self.lost = Some(cause());
            }
        }
    }

    /// After a statement of this session failed: if it took the whole
    /// transaction with it, the session says so from now on. Returns the
    /// statement's own error.
    fn failed(&mut self, error: Error) -> Error {
        self.notice_end(|| shorten(&error.to_string()));
        error
    }

    /// Ok unless the session must be rolled back first.
    fn ready(&mut self) -> Result<()> {
        self.notice_end(|| {
            "outside the session's own statements: by a raw ROLLBACK, or after an error in raw SQL"
                .into()
        });
        match &self.lost {
            Some(cause) => Err(Error::TransactionLost {
                cause: cause.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Ok unless another session's transaction holds the connection.
    fn not_shared(&self) -> Result<()> {
        match self.engine.owner() {
            Some(owner) if owner != self.number && self.transaction.is_none() => {
                Err(Error::TransactionInUse)
            }
            _ => Ok(()),
        }
    }

    /// Opens this session's transaction if it has none.
    fn begin(&mut self) -> Result<()> {
        if self.transaction.is_some() {
            return Ok(());
        }
        self.not_shared()?;
        let conn = self.connection();
        let (sql, transaction) = if conn.is_autocommit() {
            ("BEGIN", Transaction::Begun)
        } else {
            ("SAVEPOINT orm_session", Transaction::Savepoint)
        };
        conn.execute_batch(sql)
            .map_err(|e| Error::statement(sql, e))?;
        self.engine.claim(self.number);
        self.transaction = Some(transaction);
        Ok(())
    }

    /// The objects of the transaction that just ended: flushed ones become
    /// `flushed` (committed, or discarded without their ids), pending ones
    /// are discarded with it.
    fn settle(&mut self, flushed: ObjectState) {
        for i in self.transaction_from..self.slots.len() {
            match self.slots[i].state {
                ObjectState::Flushed => {
                    if flushed == ObjectState::Discarded {
                        self.set_object_id(i, None);
                    }
                    self.slots[i].state = flushed;
                }
                ObjectState::Pending if flushed == ObjectState::Discarded => {
                    self.slots[i].state = ObjectState::Discarded;
                }
                _ => {}
            }
        }
        if flushed == ObjectState::Discarded {
            self.pending_from = self.slots.len();
        }
    }

    fn end_transaction(&mut self) {
        self.transaction = None;
        self.transaction_from = self.pending_from;
        self.engine.release(self.number);
    }

    /// Sends every pending insert, in the order the objects were added, and
    /// gives each object its id. Nothing is committed yet.
    ///
    /// All or nothing: if one insert fails, the ones before it in this flush
    /// are undone and go back to pending, the failing object is discarded,
    /// and the error is returned. The session stays usable, unless the
    /// failure ended the whole transaction (see the module's notes).
    pub fn flush(&mut self) -> Result<()> {
        self.ready()?;
        let start = self.pending_from;
        let Some(first) =
            (start..self.slots.len()).find(|&i| self.slots[i].state == ObjectState::Pending)
        else {
            self.pending_from = self.slots.len();
            return Ok(());
        };
        self.begin()?;
        let conn = self.connection();
        if let Err(e) = conn.execute_batch("SAVEPOINT orm_flush") {
            return Err(self.failed(Error::statement("SAVEPOINT orm_flush", e)));
        }
        let mut inserter = Inserter::new(conn);
        // Objects that came with an id of their own keep it if the flush
        // fails; the others lose the one SQLite gave them. Usually empty.
        let mut own_ids: Vec<usize> = Vec::new();
        for i in first..self.slots.len() {
            let Slot {
                store,
                index,
                state,
            } = self.slots[i];
            if state != ObjectState::Pending {
                continue;
            }
            match self.stores[store].flush_one(index, &mut inserter) {
                Ok(own_id) => {
                    if own_id {
                        own_ids.push(i);
                    }
                    self.slots[i].state = ObjectState::Flushed;
                }
                Err(error) => {
                    drop(inserter);
                    let error = self.failed(error);
                    if self.lost.is_some() {
                        // The savepoint went with the transaction.
                        return Err(error);
                    }
                    if self.stores[store].id(index).is_some() {
                        own_ids.push(i);
                    }
                    let undo = "ROLLBACK TO orm_flush; RELEASE orm_flush";
                    if let Err(e) = conn.execute_batch(undo) {
                        return Err(self.failed(Error::statement(undo, e)));
                    }
                    // Before `first` nothing was pending, and since this
                    // flush began every object in range was pending or
                    // discarded: the flushed ones are this flush's.
                    for j in first..=i {
                        if matches!(self.slots[j].state, ObjectState::Flushed) || j == i {
                            self.slots[j].state = ObjectState::Pending;
                            if !own_ids.contains(&j) {
                                self.set_object_id(j, None);
                            }
                        }
                    }
                    self.slots[i].state = ObjectState::Discarded;
                    self.pending_from = first;
                    return Err(error);
                }
            }
        }
        drop(inserter);
        if let Err(e) = conn.execute_batch("RELEASE orm_flush") {
            return Err(self.failed(Error::statement("RELEASE orm_flush", e)));
        }
        self.pending_from = self.slots.len();
        Ok(())
    }

    /// Flushes, then commits the transaction: the rows become durable and
    /// visible to other connections, and their objects
    /// [`Committed`](ObjectState::Committed).
    ///
    /// Inside a transaction begun with raw SQL, the session's rows go to
    /// that transaction instead, and their objects stay
    /// [`Flushed`](ObjectState::Flushed): its `COMMIT` is not the session's.
    pub fn commit(&mut self) -> Result<()> {
        self.flush()?;
        let (sql, state) = match self.transaction {
            None => return Ok(()),
            Some(Transaction::Begun) => ("COMMIT", ObjectState::Committed),
            Some(Transaction::Savepoint) => ("RELEASE orm_session", ObjectState::Flushed),
        };
        if let Err(e) = self.connection().execute_batch(sql) {
            return Err(self.failed(Error::statement(sql, e)));
        }
        self.settle(state);
        self.end_transaction();
        Ok(())
    }

    /// Rolls the transaction back: rows flushed since the last commit are
    /// gone, and pending objects are discarded. After
    /// [`Error::TransactionLost`], this is what makes the session usable
    /// again (SQLite has already rolled back; no SQL runs).
    pub fn rollback(&mut self) -> Result<()> {
        self.notice_end(|| {
            "outside the session's own statements: by a raw ROLLBACK, or after an error in raw SQL"
                .into()
        });
        self.lost = None;
        let sql = match self.transaction {
            None => None,
            Some(Transaction::Begun) => Some("ROLLBACK"),
            Some(Transaction::Savepoint) => Some("ROLLBACK TO orm_session; RELEASE orm_session"),
        };
        if let Some(sql) = sql
            && let Err(e) = self.connection().execute_batch(sql)
        {
            return Err(self.failed(Error::statement(sql, e)));
        }
        self.settle(ObjectState::Discarded);
        if self.transaction.is_some() {
            self.end_transaction();
        }
        self.transaction_from = self.slots.len();
        Ok(())
    }

    /// Runs `query` after flushing, and returns every row.
    pub fn all<Q: Query>(&mut self, query: &Q) -> Result<Vec<Q::Row>> {
        self.not_shared()?;
        self.flush()?;
        query
            .fetch(self.connection())
            .map_err(|error| self.failed(error))
    }

    /// The first row of `query`, if any.
    pub fn first<Q: Query>(&mut self, query: &Q) -> Result<Option<Q::Row>> {
        Ok(self.all(query)?.into_iter().next())
    }

    /// The one row of `query`: an error if there are none or several.
    pub fn one<Q: Query>(&mut self, query: &Q) -> Result<Q::Row> {
        let mut rows = self.all(query)?;
        match rows.len() {
            1 => Ok(rows.remove(0)),
            0 => Err(Error::NoRow {
                sql: query.to_sql(),
            }),
            count => Err(Error::TooManyRows {
                sql: query.to_sql(),
                count,
            }),
        }
    }

    /// The `M` whose primary key is `id`, if there is one. The table needs
    /// one primary-key column; a composite key is an error that says so.
    pub fn get<M: Model>(&mut self, id: i64) -> Result<Option<M>> {
        let pk = M::table().primary_key_name()?;
        let query = select::<M>().filter(id_column::<M>(pk).eq(id));
        self.first(&query)
    }

    /// `parent`'s children along `relationship`, in id order: one query
    /// (lazy loading). For many parents, prefer [`Select::with`](super::Select::with).
    pub fn children<P: Model, C: Model>(
        &mut self,
        parent: &P,
        relationship: HasMany<P, C>,
    ) -> Result<Vec<C>> {
        let Some(id) = parent.id() else {
            return Ok(Vec::new());
        };
        let mut query = select::<C>().filter(id_column::<C>(relationship.foreign_key()).eq(id));
        if let Some(pk) = C::table().primary_key() {
            query = query.order_by(id_column::<C>(pk.name).asc());
        }
        self.all(&query)
    }

    /// `child`'s parent along `relationship`: one query. `None` when the
    /// foreign key is NULL or points at no row.
    pub fn parent<C: Model, P: Model>(
        &mut self,
        child: &C,
        relationship: BelongsTo<C, P>,
    ) -> Result<Option<P>> {
        let values = child.values();
        let key = match values.get(relationship.foreign_key()) {
            Some(value) => match value.to_sql()? {
                rusqlite::types::ToSqlOutput::Owned(rusqlite::types::Value::Integer(id))
                | rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Integer(id)) => {
                    Some(id)
                }
                _ => None,
            },
            None => None,
        };
        match key {
            Some(id) => self.get(id),
            None => Ok(None),
        }
    }

    /// Runs an [`Update`](super::Update) after flushing; returns how many
    /// rows it changed. An update that sets nothing is refused before any
    /// SQL runs ([`Error::Refused`]).
    pub fn execute<M: Model>(&mut self, update: &super::query::Update<M>) -> Result<usize> {
        if update.sets_nothing() {
            return Err(Error::Refused {
                message: format!(
                    "an UPDATE of `{}` needs at least one .set(column, value): it has nothing to change",
                    M::table().name
                ),
            });
        }
        self.flush()?;
        self.begin()?;
        let sql = update.to_sql();
        let conn = self.connection();
        let result = match conn.prepare_cached(&sql) {
            Ok(mut stmt) => stmt
                .execute(rusqlite::params_from_iter(update.params()))
                .map_err(|e| Error::statement(&sql, e)),
            Err(e) => Err(prepare_error(conn, &sql, e)),
        };
        result.map_err(|error| self.failed(error))
    }

    /// Deletes `object`'s row (by primary key) after flushing; returns how
    /// many rows went. Foreign keys decide what happens to its children.
    /// As with [`Session::get`], the table needs one primary-key column.
    pub fn delete<M: Model>(&mut self, object: &M) -> Result<usize> {
        let table = M::table();
        let pk = table.primary_key_name()?;
        let Some(id) = object.id() else {
            return Ok(0);
        };
        self.flush()?;
        self.begin()?;
        let sql = format!("DELETE FROM {} WHERE {} = ?", quote(table.name), quote(pk));
        let conn = self.connection();
        let mut stmt = match conn.prepare_cached(&sql) {
            Ok(stmt) => stmt,
            Err(e) => return Err(self.failed(Error::statement(&sql, e))),
        };
        stmt.execute([id]).map_err(|source| {
            let detail = if is_foreign_key_failure(&source) {
                remaining_children(conn, table.name, id)
            } else {
                None
            };
            self.failed(Error::Delete {
                table: table.name,
                id,
                detail,
                source: Box::new(source),
            })
        })
    }
}

/// A column of `M` known only by name: the primary key or a foreign key,
/// which are always integers.
fn id_column<M: Model>(name: &'static str) -> super::model::Column<M, i64> {
    super::model::Column::new(name)
}

impl Drop for Session<'_> {
    /// A session dropped without commit rolls back, like closing a
    /// SQLAlchemy session.
    fn drop(&mut self) {
        let sql = match self.transaction {
            Some(_) if self.engine.ended().is_some() => None,
            None => None,
            Some(Transaction::Begun) => Some("ROLLBACK"),
            Some(Transaction::Savepoint) => Some("ROLLBACK TO orm_session; RELEASE orm_session"),
        };
        if let Some(sql) = sql {
            let _ = self.connection().execute_batch(sql);
        }
        self.engine.release(self.number);
    }
}
