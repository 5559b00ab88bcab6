//! `drsim`: run demand-response scenarios from the command line.

mod batch;
mod cmd;
mod files;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// drsim: a demand-response program-design sandbox for SCE and the CAISO grid.
#[derive(Parser, Debug)]
#[command(name = "drsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario (the embedded default when none is given) and write its outputs.
    Run(cmd::run::RunArgs),
    /// Validate a scenario and print `ok` or the errors.
    Check(cmd::check::CheckArgs),
    /// Judge a dispatch calendar against the program book; print the events table as CSV.
    Rules(cmd::rules::RulesArgs),
    /// Compute a settlement baseline from a meter file; print CSV.
    Baseline(cmd::baseline::BaselineArgs),
    /// Run a Monte Carlo batch (runs, sweeps, shards) of a scenario.
    Batch(cmd::batch::BatchArgs),
    /// Merge the outputs of sharded batches into one batch's outputs.
    Merge(cmd::merge::MergeArgs),
    /// Compare the model with the published figures of 2020 and 2022; write the calibration report.
    Calibrate(cmd::calibrate::CalibrateArgs),
}

/// A failure with the exit code it deserves: 2 for the user's input, 1 for everything else.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: a scenario, a file, an argument.
    User(String),
    /// Anything else (I/O on outputs, ...).
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Run(a)) => cmd::run::run(a),
        Some(Command::Check(a)) => cmd::check::check(a),
        Some(Command::Rules(a)) => cmd::rules::rules(a),
        Some(Command::Baseline(a)) => cmd::baseline::baseline(a),
        Some(Command::Batch(a)) => cmd::batch::batch(a),
        Some(Command::Merge(a)) => cmd::merge::merge(a),
        Some(Command::Calibrate(a)) => cmd::calibrate::calibrate(a),
        None => cmd::run::run(cmd::run::RunArgs::default()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::User(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
