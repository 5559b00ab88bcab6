//! `drsim rules [SCENARIO] --dispatch FILE [--set KEY=VALUE]...`: judge a dispatch calendar
//! against the (possibly overridden) program book, without simulating; print the events table.

use crate::Failure;
use crate::files;
use clap::Args;
use sim_core::{events_csv, judge_calendar};
use std::path::PathBuf;

/// Arguments of `drsim rules`.
#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Scenario whose program book applies (default: the embedded default scenario).
    pub scenario: Option<PathBuf>,
    /// Dispatch calendar: TOML with [[dispatch]] entries, or CSV `program,date,start,end,trigger[,issued]`.
    #[arg(long, value_name = "FILE")]
    pub dispatch: PathBuf,
    /// Override a scenario field: --set KEY=VALUE (repeatable), e.g. --set programs.TOU-BIP.max_events_per_month=3.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Runs `drsim rules`.
pub fn rules(a: RulesArgs) -> Result<(), Failure> {
    let sets = files::overrides(&a.set)?;
    let loaded = files::load(a.scenario.as_deref(), &sets)?;
    let requests = files::load_dispatch(&a.dispatch, loaded.scenario.book())?;
    let rows = judge_calendar(loaded.scenario.book(), requests);
    print!("{}", events_csv(&rows));
    Ok(())
}
