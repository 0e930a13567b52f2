//! motcua-docs' integration tests, built as one program: the official forms rendered to
//! PDF and read back with poppler against their snapshots ([`forms`]), detached signatures
//! checked by openssl ([`sign`]), signatures inside the PDF checked by poppler's `pdfsig`
//! ([`pades`]), and signing through a SoftHSM2 token ([`token`], set up by [`softhsm`]), and
//! time-stamps from OpenSSL's time-stamping authority checked by OpenSSL ([`tsa`]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod forms;
mod openssl_tsa;
mod pades;
mod sign;
mod softhsm;
mod token;
mod tsa;
