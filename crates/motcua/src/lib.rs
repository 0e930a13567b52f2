//! The parts of the `motcua` binary that tests and the benchmark also use: the demo
//! province generator and the audit chain's signed checkpoints.

pub mod anchor;
pub mod demo;
