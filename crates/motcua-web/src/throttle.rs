//! Giới hạn theo địa chỉ — counters per client address in a time window: sign-in failures
//! (staff and citizens apart, kept in the database so every node counts the same); wrong
//! lookup secrets, in this process's memory and in the database, so a node learns when the
//! address has used its allowance on any node; and, in memory only, registrations, public
//! questions, kiosk tickets and unverified payment callbacks. The per-account lock-out is in
//! storage.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(5 * 60);

/// Counts events per address in [`WINDOW`]. IPv6 clients are counted per /64 network (one
/// customer's allocation), so rotating addresses within it does not reset the count.
#[derive(Debug)]
pub struct Throttle {
    seen: Mutex<Seen>,
    limit: u32,
}

#[derive(Debug)]
struct Seen {
    counts: HashMap<IpAddr, (Instant, u32)>,
    pruned: Instant,
}

/// Entries kept before the stale ones are dropped (at most once a second).
const PRUNE_ABOVE: usize = 100_000;

/// The key an address is counted under.
fn key(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & (u128::MAX << 64);
            IpAddr::V6(network.into())
        }
        v4 => v4,
    }
}

impl Throttle {
    /// At most `limit` counted events per address in [`WINDOW`].
    pub fn with_limit(limit: u32) -> Self {
        Self {
            seen: Mutex::new(Seen {
                counts: HashMap::new(),
                pruned: Instant::now(),
            }),
            limit,
        }
    }

    fn with_entry<T>(&self, addr: IpAddr, f: impl FnOnce(&mut (Instant, u32), u32) -> T) -> T {
        let mut seen = match self.seen.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let now = Instant::now();
        if seen.counts.len() > PRUNE_ABOVE
            && now.duration_since(seen.pruned) >= Duration::from_secs(1)
        {
            seen.counts
                .retain(|_, (start, n)| *n > 0 && now.duration_since(*start) < WINDOW);
            seen.pruned = now;
        }
        let entry = seen.counts.entry(key(addr)).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        f(entry, self.limit)
    }

    /// Uses up `addr`'s allowance for the rest of its window (another process counted the
    /// rest).
    pub fn exhaust(&self, addr: IpAddr) {
        self.with_entry(addr, |entry, limit| entry.1 = entry.1.max(limit));
    }

    /// Counts an event from `addr`; false when it is over the limit (for events that are
    /// limited whatever their outcome, such as tickets and registrations).
    pub fn allow(&self, addr: IpAddr) -> bool {
        self.with_entry(addr, |entry, limit| {
            entry.1 = entry.1.saturating_add(1);
            entry.1 <= limit
        })
    }

    /// Takes one of `addr`'s failures *before* an attempt whose outcome is not known yet
    /// (so concurrent attempts cannot all pass a check made before any is counted); false,
    /// taking nothing, when none is left. An attempt that succeeds gives it back with
    /// [`Throttle::succeeded`].
    pub fn reserve(&self, addr: IpAddr) -> bool {
        self.with_entry(addr, |entry, limit| {
            if entry.1 >= limit {
                false
            } else {
                entry.1 += 1;
                true
            }
        })
    }

    /// Gives back the failure [`Throttle::reserve`] took, for an attempt that succeeded.
    pub fn succeeded(&self, addr: IpAddr) {
        self.with_entry(addr, |entry, _| entry.1 = entry.1.saturating_sub(1));
    }
}

/// Failed sign-ins per address: a kind counted apart and its limit per window, kept in the
/// database ([`motcua_db::People::take_failure`]), so several nodes share the count.
#[derive(Debug, Clone, Copy)]
pub struct SignInLimit {
    pub kind: &'static str,
    pub limit: i64,
}

/// 20 failed staff sign-ins per address in five minutes.
pub const STAFF_SIGN_IN: SignInLimit = SignInLimit {
    kind: "staff",
    limit: 20,
};

/// 20 failed citizen sign-ins per address in five minutes.
pub const CITIZEN_SIGN_IN: SignInLimit = SignInLimit {
    kind: "citizen",
    limit: 20,
};

/// 30 wrong code and secret pairs per address in five minutes, between every node.
pub const LOOKUP_FAILURES: SignInLimit = SignInLimit {
    kind: "lookup",
    limit: 30,
};

impl SignInLimit {
    /// Takes one of `addr`'s failures before a sign-in at `now` is checked; false, taking
    /// nothing, when none is left. Without an address nothing is counted.
    pub async fn take(
        self,
        db: &motcua_db::Db,
        addr: Option<IpAddr>,
        now: i64,
    ) -> Result<bool, motcua_db::DbError> {
        match addr {
            Some(a) => {
                db.people()
                    .take_failure(self.kind, &key(a).to_string(), self.limit, now)
                    .await
            }
            None => Ok(true),
        }
    }

    /// Gives back what [`Self::take`] took at `now`, for a sign-in that succeeded.
    pub async fn give_back(
        self,
        db: &motcua_db::Db,
        addr: Option<IpAddr>,
        now: i64,
    ) -> Result<(), motcua_db::DbError> {
        match addr {
            Some(a) => {
                db.people()
                    .give_back_failure(self.kind, &key(a).to_string(), now)
                    .await
            }
            None => Ok(()),
        }
    }
}

/// The limits per client address this process counts in memory, each on its own.
#[derive(Debug)]
pub struct Throttles {
    /// Citizen accounts opened (every attempt counts).
    pub registrations: Throttle,
    /// Wrong code and secret pairs at the public lookup.
    pub lookups: Throttle,
    /// Queue tickets taken (a kiosk is one address: the limit is high).
    pub tickets: Throttle,
    /// Payment callbacks whose checksum does not hold: logged up to this many per address.
    pub unverified_callbacks: Throttle,
    /// Questions and feedback sent from the public pages (every attempt counts).
    pub support: Throttle,
}

impl Throttles {
    /// Counts a wrong code and secret pair from `addr` at `now` in the database as well, on
    /// PostgreSQL (where several nodes may serve; one process serves a SQLite file and its
    /// memory is the whole count); once every node's count is used up, this node refuses
    /// the address too. Each node still counts its own in memory first, so a lookup with
    /// the right secret costs no write. A failed count is logged: the answer stays "not
    /// found", and this node's own count still holds.
    pub async fn lookup_failed(&self, db: &motcua_db::Db, addr: Option<IpAddr>, now: i64) {
        let Some(a) = addr else { return };
        if db.kind() != motcua_db::EngineKind::Postgres {
            return;
        }
        match LOOKUP_FAILURES.take(db, Some(a), now).await {
            Ok(true) => {}
            Ok(false) => self.lookups.exhaust(a),
            Err(e) => tracing::warn!(error = %e, "counting a wrong lookup failed"),
        }
    }
}

impl Default for Throttles {
    fn default() -> Self {
        Self {
            registrations: Throttle::with_limit(10),
            lookups: Throttle::with_limit(LOOKUP_FAILURES.limit.unsigned_abs() as u32),
            tickets: Throttle::with_limit(300),
            unverified_callbacks: Throttle::with_limit(60),
            support: Throttle::with_limit(10),
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
            assert!(t.reserve(a));
        }
        assert!(
            !t.reserve(a),
            "three failures in flight or done use up the allowance"
        );
        assert!(t.reserve(b));
        // Successes give their reservation back, however many there are.
        for _ in 0..100 {
            assert!(t.reserve(b));
            t.succeeded(b);
        }
        t.succeeded(a);
        assert!(t.reserve(a));
        assert!(!t.reserve(a));
    }

    #[test]
    fn an_ipv6_client_is_counted_per_64() {
        let t = Throttle::with_limit(2);
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other_in_64: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let next_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(t.reserve(one) && t.reserve(other_in_64));
        assert!(!t.reserve(one));
        assert!(t.reserve(next_64));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(key(mapped), "10.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn counted_events_stop_at_the_limit() {
        let t = Throttle::with_limit(2);
        let a: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(t.allow(a) && t.allow(a));
        assert!(!t.allow(a));
    }
}
