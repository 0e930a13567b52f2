//! Followers: work a store keeps on the SQLite writer's connection across a group commit,
//! so that the engine runs it at the right moments without knowing what it is (the
//! statistics store's counter rows, the dossier store's public views to drop).

use std::any::Any;

use super::{Lite, Log};
use crate::DbError;

/// Work kept across a batch of write jobs. Each job stages its part while it runs; the
/// engine tells the follower whether the job was kept, lets it write before the batch's
/// COMMIT, and tells it whether the batch committed.
pub(crate) trait Follower: Any + Send {
    /// The running job ended: what it staged is kept for the batch when it succeeded,
    /// dropped when it did not.
    fn job_settled(&mut self, succeeded: bool);

    /// Inside the batch's transaction, before its COMMIT: writes what the batch kept. An
    /// error rolls the whole batch back.
    fn before_commit(&mut self, _lite: &mut Lite) -> Result<(), DbError> {
        Ok(())
    }

    /// After the batch's COMMIT.
    fn committed(&mut self) {}

    /// The batch rolled back: everything staged is dropped.
    fn rolled_back(&mut self);

    /// Between batches, outside any transaction; `log` numbers a commit made here so that
    /// reads wait for it as for the writer's own.
    fn idle(&mut self, _lite: &mut Lite, _log: Option<&Log>) {}

    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}
