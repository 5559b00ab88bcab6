//! `drsim rules` (being built; see the issue that asks for it).

use crate::Failure;
use clap::Args;

/// Arguments of `drsim rules`.
#[derive(Args, Debug)]
pub struct RulesArgs {}

/// Runs `drsim rules`.
pub fn rules(_a: RulesArgs) -> Result<(), Failure> {
    Err(Failure::User("error: `drsim rules` is not available in this build yet".into()))
}
