//! The end-to-end harness: the real `motcua` binary serving a demo province ([`server`]) and
//! headless chromium driven over the DevTools protocol ([`cdp`]).

pub mod cdp;
pub mod server;
