//! `drsim baseline`: a settlement baseline from a meter file, printed as CSV.
//!
//! ```text
//! drsim baseline --meter FILE --event-date YYYY-MM-DD --start-hour H1 --end-hour H2
//!     [--exclude-dates D1,D2,...] [--cap C] [--method NAME]
//! ```
//! prints `hour_start,unadjusted_kw,adjustment,baseline_kw,actual_kw,reduction_kw`, one row for
//! each event hour H1..H2-1. The method and the meter format are in `sim_core::baseline`.

use crate::Failure;
use anyhow::Context;
use clap::Args;
use sim_core::baseline::{
    BaselineError, BaselineMethod, DEFAULT_METHOD, PRESET_NAMES, check_hour_range, compute, parse_meter, to_csv,
};
use sim_core::{Date, parse_date};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `drsim baseline`.
#[derive(Args, Debug)]
pub struct BaselineArgs {
    /// Meter file: CSV `start,kwh`, hourly or 15-minute readings, `start` in local time.
    #[arg(long, value_name = "FILE")]
    pub meter: PathBuf,
    /// The event date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub event_date: String,
    /// The hour the event starts (0-23).
    #[arg(long, value_name = "H1")]
    pub start_hour: u32,
    /// The hour the event ends (1-24); the last event hour is H2-1.
    #[arg(long, value_name = "H2")]
    pub end_hour: u32,
    /// Days never used as baseline days (the program's earlier event days for this customer).
    #[arg(long, value_name = "D1,D2,...", value_delimiter = ',')]
    pub exclude_dates: Vec<String>,
    /// Cap of the day-of adjustment: the ratio is clipped to [1 - C, 1 + C] (method default 0.2).
    #[arg(long, value_name = "C", allow_negative_numbers = true)]
    pub cap: Option<f64>,
    /// Baseline method: ten-in-ten or five-of-ten-highest.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_METHOD)]
    pub method: String,
}

fn user(msg: impl std::fmt::Display) -> Failure {
    Failure::User(format!("error: {msg}"))
}

/// The method named on the command line, with `--cap` applied.
fn method(a: &BaselineArgs) -> Result<BaselineMethod, Failure> {
    let m = BaselineMethod::preset(&a.method).ok_or_else(|| {
        user(format!("--method: unknown baseline method `{}`; expected one of: {}", a.method, PRESET_NAMES.join(", ")))
    })?;
    match a.cap {
        Some(c) => m.with_cap(c).map_err(|e| user(format!("--cap {c}: {e}"))),
        None => Ok(m),
    }
}

fn excluded(a: &BaselineArgs) -> Result<Vec<Date>, Failure> {
    a.exclude_dates
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| parse_date(s).map_err(|m| user(format!("--exclude-dates: {m}"))))
        .collect()
}

/// Runs `drsim baseline`.
pub fn baseline(a: BaselineArgs) -> Result<(), Failure> {
    let method = method(&a)?;
    let event_date = parse_date(&a.event_date).map_err(|m| user(format!("--event-date: {m}")))?;
    let excluded = excluded(&a)?;
    check_hour_range(a.start_hour, a.end_hour).map_err(|e| user(format!("--start-hour/--end-hour: {e}")))?;

    let name = a.meter.display();
    let text = std::fs::read_to_string(&a.meter).map_err(|e| user(format!("cannot read meter file `{name}`: {e}")))?;
    let meter = parse_meter(&text).map_err(|e| user(format!("{name}:{}: {}", e.line, e.kind)))?;

    let b = compute(&method, &meter, event_date, a.start_hour, a.end_hour, &excluded).map_err(|e| match e {
        BaselineError::MissingHour { .. } | BaselineError::TooFewDays { .. } => {
            user(format!("{name}: {e} (the file covers {} to {})", meter.first_reading(), meter.last_reading()))
        }
        _ => user(format!("{name}: {e}")),
    })?;

    let mut out = std::io::stdout().lock();
    out.write_all(to_csv(&b.rows).as_bytes()).and_then(|()| out.flush()).context("writing the baseline to stdout")?;
    Ok(())
}
