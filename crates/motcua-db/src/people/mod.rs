//! Người dùng — staff and their grants, passwords and sessions, API tokens, and citizens'
//! accounts.

pub(crate) mod citizens;
pub(crate) mod identities;
pub(crate) mod limits;
pub(crate) mod sessions;
pub(crate) mod staff;
pub(crate) mod tokens;

use crate::Db;

/// Người dùng — staff, their grants and passwords, sessions, API tokens and citizens'
/// accounts.
#[derive(Debug, Clone, Copy)]
pub struct People<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Người dùng: see [`People`].
    pub fn people(&self) -> People<'_> {
        People { db: self }
    }
}
