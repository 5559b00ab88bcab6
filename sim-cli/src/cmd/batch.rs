//! `drsim batch` (being built; see the issue that asks for it).

use crate::Failure;
use clap::Args;

/// Arguments of `drsim batch`.
#[derive(Args, Debug)]
pub struct BatchArgs {}

/// Runs `drsim batch`.
pub fn batch(_a: BatchArgs) -> Result<(), Failure> {
    Err(Failure::User("error: `drsim batch` is not available in this build yet".into()))
}
