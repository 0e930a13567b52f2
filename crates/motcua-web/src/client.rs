//! Địa chỉ người dùng — the client's address: the TCP peer, or, when the peer is one of the
//! reverse proxies the deployment trusts (`--trusted-proxy`), the nearest address in
//! `X-Forwarded-For` that is not a trusted proxy. An untrusted peer's header is ignored, so
//! nobody can choose the address their attempts are counted under.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use crate::AppState;

/// A network in CIDR notation (`10.0.0.0/8`, `::1/128`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let wrong = || {
            format!("“{text}” không phải địa chỉ IP hay dải CIDR (ví dụ 10.0.0.2 hoặc 10.0.0.0/30)")
        };
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| wrong())?;
        let addr = addr.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(wrong)?,
            None => max,
        };
        Ok(Self { addr, prefix })
    }
}

impl Cidr {
    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The client behind `peer`: `peer` itself unless it is trusted; then, walking
/// `forwarded` (the `X-Forwarded-For` values in order) from the nearest hop back, the first
/// address that is not a trusted proxy. A hop that cannot be read stops the walk at the last
/// trusted one, so a garbled header never yields a chosen address.
pub fn client_address(peer: IpAddr, forwarded: &[&str], trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let peer = peer.to_canonical();
    if !is_trusted(peer) {
        return peer;
    }
    let hops = forwarded
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let parsed = hop
            .parse::<IpAddr>()
            .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()));
        let Ok(ip) = parsed else {
            return client;
        };
        client = ip.to_canonical();
        if !is_trusted(client) {
            return client;
        }
    }
    client
}

/// The client's address, when the server knows it.
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<Arc<AppState>> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            return Ok(Self(None));
        };
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(Self(Some(client_address(
            peer.ip(),
            &forwarded,
            &state.security.trusted_proxies,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|c| c.parse().unwrap()).collect()
    }

    #[test]
    fn networks_parse_and_contain() {
        let net: Cidr = "10.20.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.20.3.4")));
        assert!(!net.contains(ip("10.21.0.1")));
        assert!(net.contains(ip("::ffff:10.20.0.9")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        for bad in ["10.0.0.0/33", "proxy", "10.0.0/8", "::1/129", ""] {
            let error = bad.parse::<Cidr>().unwrap_err();
            assert!(error.contains("không phải địa chỉ IP"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        let trusted = nets(&["10.0.0.0/8"]);
        // An untrusted peer cannot choose its address.
        assert_eq!(
            client_address(ip("203.0.113.7"), &["198.51.100.1"], &trusted),
            ip("203.0.113.7")
        );
        // Through the proxy: the nearest untrusted hop, not the leftmost (which the client
        // may have written itself).
        assert_eq!(
            client_address(ip("10.0.0.2"), &["1.2.3.4, 198.51.100.1"], &trusted),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                &["1.2.3.4", "198.51.100.1, 10.0.0.3"],
                &trusted
            ),
            ip("198.51.100.1")
        );
        // No header: the proxy itself; a garbled hop: the last trusted one.
        assert_eq!(
            client_address(ip("10.0.0.2"), &[], &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["1.2.3.4, rác, 10.0.0.5"], &trusted),
            ip("10.0.0.5")
        );
        // Nothing trusted: the peer, whatever the header says.
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.1"], &[]),
            ip("10.0.0.2")
        );
    }
}
