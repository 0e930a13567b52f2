//! motcua-docs' integration tests, built as one program: the official forms rendered to
//! PDF and read back with poppler against their snapshots ([`forms`]), and signatures checked
//! by openssl ([`sign`]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod forms;
mod pades;
mod sign;
