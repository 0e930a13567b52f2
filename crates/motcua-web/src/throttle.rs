//! Giới hạn theo địa chỉ — counters per client address in a time window: sign-in failures
//! (staff and citizens apart), registrations, wrong lookup secrets, and tickets taken at the
//! kiosk. The per-account lock-out is in storage.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(5 * 60);

/// Counts events per address in [`WINDOW`].
#[derive(Debug)]
pub struct Throttle {
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
    limit: u32,
}

impl Throttle {
    /// At most `limit` counted events per address in [`WINDOW`].
    pub fn with_limit(limit: u32) -> Self {
        Self {
            seen: Mutex::new(HashMap::new()),
            limit,
        }
    }

    fn with_entry<T>(&self, addr: IpAddr, f: impl FnOnce(&mut (Instant, u32), u32) -> T) -> T {
        let mut seen = match self.seen.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let now = Instant::now();
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = seen.entry(addr).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        f(entry, self.limit)
    }

    /// Counts an event from `addr`; false when it is over the limit (for events that are
    /// limited whatever their outcome, such as tickets and registrations).
    pub fn allow(&self, addr: IpAddr) -> bool {
        self.with_entry(addr, |entry, limit| {
            entry.1 = entry.1.saturating_add(1);
            entry.1 <= limit
        })
    }

    /// Whether `addr` has used up its failures (checked before an attempt, which is counted
    /// with [`Throttle::fail`] only if it fails).
    pub fn blocked(&self, addr: IpAddr) -> bool {
        self.with_entry(addr, |entry, limit| entry.1 >= limit)
    }

    /// Counts a failed attempt from `addr`.
    pub fn fail(&self, addr: IpAddr) {
        self.with_entry(addr, |entry, _| entry.1 = entry.1.saturating_add(1));
    }
}

/// The limits per client address, each counted on its own.
#[derive(Debug)]
pub struct Throttles {
    /// Failed staff sign-ins.
    pub staff: Throttle,
    /// Failed citizen sign-ins.
    pub citizens: Throttle,
    /// Citizen accounts opened (every attempt counts).
    pub registrations: Throttle,
    /// Wrong code and secret pairs at the public lookup.
    pub lookups: Throttle,
    /// Queue tickets taken (a kiosk is one address: the limit is high).
    pub tickets: Throttle,
}

impl Default for Throttles {
    fn default() -> Self {
        Self {
            staff: Throttle::with_limit(20),
            citizens: Throttle::with_limit(20),
            registrations: Throttle::with_limit(10),
            lookups: Throttle::with_limit(30),
            tickets: Throttle::with_limit(300),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_counted_per_address_and_successes_are_not() {
        let t = Throttle::with_limit(3);
        let a: IpAddr = "10.1.2.3".parse().unwrap();
        let b: IpAddr = "10.1.2.4".parse().unwrap();
        for _ in 0..3 {
            assert!(!t.blocked(a));
            t.fail(a);
        }
        assert!(t.blocked(a));
        assert!(!t.blocked(b));
        // Checking alone never uses up the allowance.
        for _ in 0..100 {
            assert!(!t.blocked(b));
        }
    }

    #[test]
    fn counted_events_stop_at_the_limit() {
        let t = Throttle::with_limit(2);
        let a: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(t.allow(a) && t.allow(a));
        assert!(!t.allow(a));
    }
}
