//! motcua's integration tests, built as one program (one link of the whole application,
//! not one per file): the HTTP API and pages in-process ([`common`]), the `motcua` binary as
//! an operator runs it ([`process`]), and headless chromium against a served demo
//! province ([`e2e`]). Each module below is one area's tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod e2e;
#[path = "../../../motcua-docs/tests/suite/openssl_tsa.rs"]
mod openssl_tsa;
mod process;
#[path = "../../../motcua-docs/tests/suite/softhsm.rs"]
mod softhsm;

mod accessibility;
mod api;
mod api_citizen;
mod api_files;
mod api_fuzz;
mod audit_anchor;
mod backup_restore;
mod browser;
mod browser_flows;
mod browser_payment;
mod browser_store;
mod browser_support;
mod citizen_pages;
mod cli_bench;
mod cli_calendar;
mod cli_database;
mod cli_dvcqg;
mod cli_keys;
mod cli_report;
mod crash;
mod data_store;
mod demo_load;
mod forms_pages;
mod identity_sign_in;
mod notify_pages;
mod pages;
mod payments_counter;
mod payments_vnpay;
mod population;
mod portal_inbound;
mod portal_sync;
mod results_pages;
mod route_access;
mod security_pages;
mod signed_forms;
mod signed_results;
mod staff_pages;
mod staff_tools;
mod statistics;
mod support_desk;
mod ticket_pages;
mod two_nodes;
mod webhooks;
mod worker_crash;
