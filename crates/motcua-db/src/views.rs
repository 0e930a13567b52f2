//! Tra cứu nhanh — the public lookup's views of dossiers kept in memory (a SQLite file
//! only), so a citizen checking a dossier again is answered without reading the database.
//!
//! Only a transition changes what the view shows, and on SQLite every transition of this
//! process goes through the writer thread, which drops the dossier's view after its commit.
//! A view read before a change can never be kept after it: a reader notes the change count
//! before it reads, and keeps what it read only if no change was published since (checked
//! under the same lock the writer drops views under). A view also lives at most a minute,
//! which bounds what another process writing the same file (not how motcua is run) could
//! leave stale.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use std::sync::Arc;

use motcua_domain::dossier::Status;
use serde::{Deserialize, Serialize};

use crate::DbError;
use crate::engine::{Follower, Lite, Tx};

/// What the public lookup shows: progress, never personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicDossier {
    pub code: String,
    pub procedure_version_id: i64,
    pub status: Status,
    pub step: usize,
    pub received_at: motcua_domain::calendar::Instant,
    pub due_at: Option<motcua_domain::calendar::Instant>,
    pub finished_at: Option<motcua_domain::calendar::Instant>,
    pub apologised: bool,
}

/// How long a view is kept at most.
const LIFETIME: Duration = Duration::from_secs(60);
/// Views per shard (16 shards: 65,536 views, about 13 MB); a full shard starts over.
const PER_SHARD: usize = 4096;
const SHARDS: usize = 16;

struct View {
    secret: Box<str>,
    dossier: PublicDossier,
    until: Instant,
}

/// The views, by dossier code.
pub(crate) struct PublicViews {
    shards: Vec<Mutex<HashMap<Box<str>, View>>>,
    hasher: RandomState,
    /// Changes published so far.
    changes: AtomicU64,
}

impl std::fmt::Debug for PublicViews {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicViews")
            .field("changes", &self.changes.load(Ordering::Relaxed))
            .finish()
    }
}

impl Default for PublicViews {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
            changes: AtomicU64::new(0),
        }
    }
}

impl PublicViews {
    fn shard(&self, code: &str) -> &Mutex<HashMap<Box<str>, View>> {
        let index = usize::try_from(self.hasher.hash_one(code) % SHARDS as u64).unwrap_or(0);
        &self.shards[index]
    }

    /// The kept view of `code`: `None` when none is kept (read the database), else the
    /// dossier if `secret_matches` its stored lookup secret.
    pub(crate) fn get(
        &self,
        code: &str,
        secret_matches: impl FnOnce(&str) -> bool,
    ) -> Option<Option<PublicDossier>> {
        let shard = self.shard(code).lock().ok()?;
        let view = shard.get(code).filter(|v| v.until > Instant::now())?;
        Some(secret_matches(&view.secret).then(|| view.dossier.clone()))
    }

    /// The number of changes published so far; note it before reading a view.
    pub(crate) fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// Keeps a view read after `seen` was noted, unless a change was published since.
    pub(crate) fn keep(&self, seen: u64, secret: &str, dossier: &PublicDossier) {
        let Ok(mut shard) = self.shard(&dossier.code).lock() else {
            return;
        };
        if self.changes.load(Ordering::Acquire) != seen {
            return;
        }
        if shard.len() >= PER_SHARD {
            shard.clear();
        }
        shard.insert(
            dossier.code.as_str().into(),
            View {
                secret: secret.into(),
                dossier: dossier.clone(),
                until: Instant::now() + LIFETIME,
            },
        );
    }

    /// Drops the views of dossiers whose change was just committed.
    pub(crate) fn changed(&self, codes: &[String]) {
        for code in codes {
            let mut shard = match self.shard(code).lock() {
                Ok(shard) => shard,
                Err(poisoned) => poisoned.into_inner(),
            };
            shard.remove(code.as_str());
            self.changes.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// The writer's follower: the codes of the dossiers its batch changes, whose views are
/// dropped once the batch is committed.
struct Changed {
    views: Arc<PublicViews>,
    job: Vec<String>,
    batch: Vec<String>,
}

impl Follower for Changed {
    fn job_settled(&mut self, succeeded: bool) {
        let codes = std::mem::take(&mut self.job);
        if succeeded {
            self.batch.extend(codes);
        }
    }

    fn committed(&mut self) {
        let codes = std::mem::take(&mut self.batch);
        if !codes.is_empty() {
            self.views.changed(&codes);
        }
    }

    fn rolled_back(&mut self) {
        self.job.clear();
        self.batch.clear();
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// Notes that the public view of dossier `code` changes with this write, so that the view
/// kept of it is dropped once the write is committed (the SQLite writer's connection is the
/// only one that keeps views).
pub(crate) fn changed(tx: &mut Tx<'_>, code: &str) -> Result<(), DbError> {
    if let Tx::Lite(lite) = tx {
        let follower = lite.follower(|lite: &Lite| {
            Ok(Changed {
                views: lite.shared().get::<PublicViews>(),
                job: Vec::new(),
                batch: Vec::new(),
            })
        })?;
        follower.job.push(code.to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua_domain::dossier::Status;

    fn view(code: &str, status: Status) -> PublicDossier {
        PublicDossier {
            code: code.into(),
            procedure_version_id: 1,
            status,
            step: 0,
            received_at: chrono::DateTime::parse_from_rfc3339("2026-11-24T08:00:00+07:00").unwrap(),
            due_at: None,
            finished_at: None,
            apologised: false,
        }
    }

    #[test]
    fn a_view_is_kept_until_its_dossier_changes() {
        let views = PublicViews::default();
        assert!(views.get("X-1", |_| true).is_none());
        let seen = views.changes();
        views.keep(seen, "SECRET", &view("X-1", Status::Accepted));
        let hit = views.get("X-1", |s| s == "SECRET").unwrap().unwrap();
        assert_eq!(hit.status, Status::Accepted);
        assert_eq!(views.get("X-1", |s| s == "WRONG"), Some(None));
        views.changed(&["X-1".to_string()]);
        assert!(views.get("X-1", |_| true).is_none());
    }

    /// A view read before a change is published is not kept after it.
    #[test]
    fn a_view_read_before_a_change_is_not_kept() {
        let views = PublicViews::default();
        let seen = views.changes();
        views.changed(&["OTHER".to_string()]);
        views.keep(seen, "SECRET", &view("X-2", Status::Accepted));
        assert!(views.get("X-2", |_| true).is_none());
    }

    #[test]
    fn a_full_shard_makes_room() {
        let views = PublicViews::default();
        for n in 0..(PER_SHARD * SHARDS + 100) {
            views.keep(0, "S", &view(&format!("C-{n}"), Status::Accepted));
        }
        let kept: usize = views.shards.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(kept <= PER_SHARD * SHARDS, "{kept}");
        let last = format!("C-{}", PER_SHARD * SHARDS + 99);
        assert!(views.get(&last, |_| true).is_some());
    }
}
