//! `drsim merge` (being built; see the issue that asks for it).

use crate::Failure;
use clap::Args;

/// Arguments of `drsim merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {}

/// Runs `drsim merge`.
pub fn merge(_a: MergeArgs) -> Result<(), Failure> {
    Err(Failure::User("error: `drsim merge` is not available in this build yet".into()))
}
