//! Command-line arguments and dispatch to each subcommand.

mod backup;
mod bench;
mod calendar;
mod database;
mod dvcqg;
mod identity;
mod keys;
mod notify;
mod owner;
mod payment;
mod report;
mod serve;
mod support;
mod tokens;

use clap::{Parser, Subcommand};

/// motcua — hệ thống thông tin giải quyết thủ tục hành chính (one-stop public service centres).
#[derive(Debug, Parser)]
#[command(name = "motcua", version, about)]
pub struct Cli {
    #[command(flatten)]
    database: database::DatabaseArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the application (and load the demo into an empty database).
    Serve(Box<serve::ServeArgs>),
    /// Deliver notifications from the outbox and sync dossiers to the national portal
    /// (without serving pages).
    Worker(Box<notify::NotifyArgs>),
    /// Bring the database schema up to date.
    Migrate,
    /// Load data into an empty database.
    #[command(subcommand)]
    Seed(database::SeedCommand),
    /// Import data from a file.
    #[command(subcommand)]
    Import(database::ImportCommand),
    /// Export data to a file.
    #[command(subcommand)]
    Export(database::ExportCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(database::AuditCommand),
    /// Working calendar: holidays, deadlines, lunar ↔ solar dates.
    Calendar(calendar::CalendarArgs),
    /// Reports: statistics of a period.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Statistics counters: rebuild them from the stored dossiers.
    #[command(subcommand)]
    Statistics(report::StatisticsCommand),
    /// Measure motcua's speed and print the figures.
    Bench(bench::BenchArgs),
    /// Configure the key an agency signs results with.
    #[command(subcommand)]
    SigningKey(keys::KeyCommand),
    /// Copy the database and the attached files to a folder, while serving.
    Backup(backup::BackupArgs),
    /// Bring a backup back (refused while `serve` runs on the same SQLite file).
    Restore(backup::RestoreArgs),
    /// Create, list and revoke staff API tokens.
    #[command(subcommand)]
    ApiToken(tokens::TokenCommand),
    /// The national public-service portal (DVCQG): send dossiers again.
    #[command(subcommand)]
    Dvcqg(dvcqg::PortalCommand),
    /// Online payments: reconcile with the gateway.
    #[command(subcommand)]
    Payments(payment::PaymentCommand),
    /// The support desk (questions and answers, feedback and petitions): its settings.
    #[command(subcommand)]
    Support(support::SupportCommand),
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = &cli.database;
    match cli.command {
        Command::Serve(args) => serve::serve(db, *args).await,
        Command::Worker(args) => notify::worker(db, *args).await,
        Command::Migrate => database::migrate(db).await,
        Command::Seed(c) => database::seed(db, c).await,
        Command::Import(c) => database::import(db, c).await,
        Command::Export(c) => database::export(db, c).await,
        Command::Audit(c) => database::audit(db, c).await,
        Command::Calendar(args) => calendar::run(args),
        Command::Report(c) => report::run(db, c).await,
        Command::Statistics(c) => report::statistics(db, c).await,
        Command::Bench(args) => bench::run_async(args).await,
        Command::SigningKey(c) => keys::run(db, c).await,
        Command::ApiToken(c) => tokens::run(db, c).await,
        Command::Payments(c) => payment::run(db, c).await,
        Command::Support(c) => support::run(db, c).await,
        Command::Dvcqg(c) => dvcqg::run(db, c).await,
        Command::Backup(args) => backup::backup(db, args).await,
        Command::Restore(args) => backup::restore(db, args).await,
    }
}
