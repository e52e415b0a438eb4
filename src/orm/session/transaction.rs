//! The session's transaction: opened on first write, and watched for an end
//! that did not come from the session (a raw `COMMIT` or `ROLLBACK`, or a
//! rollback SQLite did by itself after an error), so that the objects'
//! states stay true.

use super::{ObjectState, Session};
use crate::orm::engine::Ended;
use crate::orm::error::{Error, Result, shorten};

/// The transaction a session has open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Transaction {
    /// `BEGIN`: the session's own; `commit` commits it.
    Begun,
    /// `SAVEPOINT orm_session`, inside a transaction begun with raw SQL,
    /// which the session never ends.
    Savepoint,
}

impl Session<'_> {
    /// Notices a transaction of this session's that ended without it: a
    /// raw `COMMIT` committed its rows; a rollback (raw, or SQLite's own
    /// after an error) lost them, and `cause` says why.
    pub(super) fn notice_end(&mut self, cause: impl FnOnce() -> String) {
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
    pub(super) fn failed(&mut self, error: Error) -> Error {
        self.notice_end(|| shorten(&error.to_string()));
        error
    }

    /// Ok unless the session must be rolled back first.
    pub(super) fn ready(&mut self) -> Result<()> {
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
    pub(super) fn not_shared(&self) -> Result<()> {
        match self.engine.owner() {
            Some(owner) if owner != self.number && self.transaction.is_none() => {
                Err(Error::TransactionInUse)
            }
            _ => Ok(()),
        }
    }

    /// Opens this session's transaction if it has none.
    pub(super) fn begin(&mut self) -> Result<()> {
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
    pub(super) fn settle(&mut self, flushed: ObjectState) {
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

    pub(super) fn end_transaction(&mut self) {
        self.transaction = None;
        self.transaction_from = self.pending_from;
        self.engine.release(self.number);
    }
}
