//! Command-line arguments and dispatch to each subcommand.

mod bench;
mod calendar;

use clap::{Parser, Subcommand};

/// motcua — hệ thống thông tin giải quyết thủ tục hành chính (one-stop public service centres).
#[derive(Debug, Parser)]
#[command(name = "motcua", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Working calendar: holidays, deadlines, lunar ↔ solar dates.
    Calendar(calendar::CalendarArgs),
    /// Measure motcua's speed and print the figures.
    Bench(bench::BenchArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Calendar(args) => calendar::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
