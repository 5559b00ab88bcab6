//! One subcommand a file.

pub mod baseline;
pub mod batch;
pub mod calibrate;
pub mod check;
pub mod merge;
pub mod rules;
pub mod run;
