//! Small in-process caches for what hot paths read on every request and rarely changes:
//! procedure versions (immutable, kept until evicted by size), and agencies, roles, tokens
//! and the current procedure versions (kept for a few seconds, and dropped at once when this
//! process changes them; another process's edits show after the time-to-live).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// A map whose entries expire after `ttl` (never when `ttl` is `None`), bounded in size.
#[derive(Debug)]
pub(crate) struct Cache<K, V> {
    entries: RwLock<HashMap<K, (Instant, V)>>,
    ttl: Option<Duration>,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    pub fn new(ttl: Option<Duration>, capacity: usize) -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
            ttl,
            capacity,
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.read().ok()?;
        let (at, value) = entries.get(key)?;
        match self.ttl {
            Some(ttl) if at.elapsed() > ttl => None,
            _ => Some(value.clone()),
        }
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= self.capacity {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), value));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}

const SHORT: Option<Duration> = Some(Duration::from_secs(10));

/// The caches one `Db` (and its clones) share.
#[derive(Debug)]
pub(crate) struct Caches {
    pub versions: Cache<i64, Arc<crate::StoredProcedure>>,
    pub current: Cache<String, Arc<crate::StoredProcedure>>,
    pub agencies: Cache<(), Arc<Vec<crate::Agency>>>,
    pub roles: Cache<(i64, i64), Vec<motcua_domain::agency::Role>>,
    /// A token's holder and its expiry, by the token's hash.
    pub tokens: Cache<String, Option<(crate::Staff, Option<i64>)>>,
}

impl Caches {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            versions: Cache::new(None, 10_000),
            current: Cache::new(SHORT, 10_000),
            agencies: Cache::new(SHORT, 1),
            roles: Cache::new(SHORT, 100_000),
            tokens: Cache::new(SHORT, 100_000),
        })
    }
}
