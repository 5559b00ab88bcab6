//! `drsim check SCENARIO`: validate and print `ok` or the errors.

use crate::Failure;
use crate::files;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `drsim check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The scenario file to check.
    pub scenario: PathBuf,
    /// Override a scenario field: --set KEY=VALUE (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Runs `drsim check`.
pub fn check(a: CheckArgs) -> Result<(), Failure> {
    let sets = files::overrides(&a.set)?;
    files::load(Some(&a.scenario), &sets)?;
    println!("ok");
    Ok(())
}
