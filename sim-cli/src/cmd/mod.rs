//! One subcommand a file.

pub mod check;
pub mod run;
