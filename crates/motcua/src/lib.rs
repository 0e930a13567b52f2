//! The parts of the `motcua` binary that tests and the benchmark also use: the demo
//! province generator.

pub mod demo;
