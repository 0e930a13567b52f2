//! motcua-docs' integration tests, built as one program: the official forms rendered to
//! PDF and read back with poppler against their snapshots ([`forms`]), detached signatures
//! checked by openssl ([`sign`]), signatures inside the PDF checked by poppler's `pdfsig`
//! ([`pades`]), and signing through a SoftHSM2 token ([`token`], set up by [`softhsm`]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod forms;
mod pades;
mod sign;
mod softhsm;
mod token;
