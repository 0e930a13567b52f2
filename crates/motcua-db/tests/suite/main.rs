//! motcua-db's integration tests, built as one program: each story runs on SQLite and on
//! PostgreSQL ([`common`]'s `on_both!`), with the clock driven by the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

mod alerts;
mod credentials;
mod delivery;
mod documents;
mod layers;
mod migrations;
mod payments;
mod signatures;
mod statistics;
mod story;
mod support;
