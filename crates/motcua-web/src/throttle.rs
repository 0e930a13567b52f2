//! Giới hạn đăng nhập theo địa chỉ — at most a number of sign-in attempts per client address
//! in a time window, whatever the usernames tried (the per-username lock-out is in storage).

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Attempts allowed per address in [`WINDOW`].
pub const ATTEMPTS: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(5 * 60);

/// Counts attempts per address.
#[derive(Debug)]
pub struct Throttle {
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
    limit: u32,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::with_limit(ATTEMPTS)
    }
}

impl Throttle {
    /// At most `limit` attempts per address in [`WINDOW`].
    pub fn with_limit(limit: u32) -> Self {
        Self {
            seen: Mutex::new(HashMap::new()),
            limit,
        }
    }

    /// Records an attempt from `addr`; false when it is over the limit.
    pub fn allow(&self, addr: IpAddr) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            return true;
        };
        let now = Instant::now();
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = seen.entry(addr).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

/// The client's address, when the server knows it.
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_per_address() {
        let t = Throttle::default();
        let a: IpAddr = "10.1.2.3".parse().unwrap();
        let b: IpAddr = "10.1.2.4".parse().unwrap();
        for _ in 0..ATTEMPTS {
            assert!(t.allow(a));
        }
        assert!(!t.allow(a));
        assert!(t.allow(b));
    }
}
