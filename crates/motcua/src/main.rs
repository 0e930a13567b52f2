//! The `motcua` binary: one program for the server, the worker and every operator command.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("motcua: {error:#}");
            ExitCode::FAILURE
        }
    }
}
