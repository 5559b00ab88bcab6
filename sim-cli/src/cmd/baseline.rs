//! `drsim baseline` (being built; see the issue that asks for it).

use crate::Failure;
use clap::Args;

/// Arguments of `drsim baseline`.
#[derive(Args, Debug)]
pub struct BaselineArgs {}

/// Runs `drsim baseline`.
pub fn baseline(_a: BaselineArgs) -> Result<(), Failure> {
    Err(Failure::User("error: `drsim baseline` is not available in this build yet".into()))
}
