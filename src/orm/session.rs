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

use std::fmt;

use rusqlite::Connection;

use super::engine::Engine;
use super::error::{Error, Result};
use super::insert::Inserter;
use super::model::Model;
use super::store::{Handle, Place, Stores};

mod lazy;
mod statements;
mod transaction;

use lazy::LazyStatement;
use transaction::Transaction;

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

/// One added object, in the order of `add`: where it is kept, and where
/// it stands.
struct Slot {
    place: Place,
    state: ObjectState,
}

/// A unit of work over one transaction. Made by [`Engine::session`].
pub struct Session<'e> {
    engine: &'e Engine,
    /// This session's number on its engine.
    number: u64,
    objects: Stores,
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
    /// The lazy-loading statements, one per query shape (see [`Shape`]).
    lazy: Vec<LazyStatement<'e>>,
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
            objects: Stores::default(),
            slots: Vec::new(),
            pending_from: 0,
            transaction: None,
            transaction_from: 0,
            lost: None,
            lazy: Vec::new(),
        }
    }

    /// The connection, for raw SQL inside this session's transaction.
    pub fn connection(&self) -> &'e Connection {
        self.engine.connection()
    }

    /// Stages `object` for insertion. Runs no SQL; the object has no id
    /// until the next flush.
    pub fn add<M: Model>(&mut self, object: M) -> Handle<M> {
        let place = self.objects.push(object);
        self.slots.push(Slot {
            place,
            state: ObjectState::Pending,
        });
        Handle::new(self.slots.len() - 1)
    }

    /// The object behind `handle`, with its id once flushed.
    pub fn object<M: Model>(&self, handle: &Handle<M>) -> Option<&M> {
        let slot = self.slots.get(handle.index)?;
        self.objects.get(slot.place)
    }

    fn object_id(&self, slot: usize) -> Option<i64> {
        self.objects.id(self.slots[slot].place)
    }

    fn set_object_id(&mut self, slot: usize, id: Option<i64>) {
        self.objects.set_id(self.slots[slot].place, id);
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
        self.id(handle).ok_or_else(|| Error::NotFlushed {
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
            let Slot { place, state } = self.slots[i];
            if state != ObjectState::Pending {
                continue;
            }
            match self.objects.insert(place, &mut inserter) {
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
                    if self.objects.id(place).is_some() {
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
