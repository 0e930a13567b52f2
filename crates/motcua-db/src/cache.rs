//! A small in-process cache for what hot paths read on every request and rarely changes;
//! each store keeps its own (procedure versions kept until evicted by size; agencies,
//! roles, tokens and the current procedure versions for a few seconds, dropped at once
//! when any process changes them: `kept.rs`).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A map whose entries expire after `ttl` (never when `ttl` is `None`), bounded in size.
#[derive(Debug)]
pub(crate) struct Cache<K, V> {
    entries: RwLock<HashMap<K, (Instant, V)>>,
    /// How many times the entries were dropped: a value read before a drop is not kept.
    generation: AtomicU64,
    ttl: Option<Duration>,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    pub fn new(ttl: Option<Duration>, capacity: usize) -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
            generation: AtomicU64::new(0),
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

    /// What to give [`Cache::put`] for a value about to be read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `value`, read after [`Cache::generation`] gave `since`, unless the entries were
    /// dropped meanwhile (it may then be older than the change that dropped them).
    pub fn put(&self, since: u64, key: K, value: V) {
        if let Ok(mut entries) = self.entries.write() {
            if self.generation.load(Ordering::Acquire) != since {
                return;
            }
            if entries.len() >= self.capacity {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), value));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.clear();
        }
    }
}

/// The time-to-live of what other processes may change.
pub(crate) const SHORT: Option<Duration> = Some(Duration::from_secs(10));

#[cfg(test)]
mod tests {
    use super::*;

    /// A value read before the entries were dropped is not kept after the drop (it may
    /// predate the change that dropped them); one read after it is.
    #[test]
    fn a_value_read_before_a_drop_is_not_kept() {
        let cache: Cache<&str, i32> = Cache::new(SHORT, 10);
        let before = cache.generation();
        cache.clear();
        cache.put(before, "token", 1);
        assert_eq!(cache.get(&"token"), None);
        let after = cache.generation();
        cache.put(after, "token", 2);
        assert_eq!(cache.get(&"token"), Some(2));
    }
}
