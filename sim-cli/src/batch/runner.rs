//! Runs a batch's tasks (one per sweep point and run) on a rayon pool, with a progress bar.
//!
//! Each task is independent: its own `Sim`, seeded with `seed_for(base_seed, run)`. Results come
//! back in task order (point, then run) whatever the number of threads, because rayon's indexed
//! `collect` keeps the order of its input.

use super::metrics::flatten;
use super::series::{self, SeriesFormat};
use super::table::Row;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use rayon::prelude::*;
use sim_core::{Sim, ValidScenario, seed_for};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Progress units per run (the bar advances by thousandths of a run).
const UNITS: u64 = 1000;
/// Steps between progress updates.
const CHUNK: u64 = 48;

/// What to run.
pub struct Plan<'a> {
    /// The scenario at each sweep point.
    pub scenarios: &'a [ValidScenario],
    /// Base seed of the batch.
    pub base_seed: u64,
    /// Run indices to run (all, or one shard's block).
    pub runs: Range<u64>,
    /// Worker threads.
    pub threads: usize,
    /// Write each run's time series to `out/series/` in this format.
    pub series: Option<SeriesFormat>,
    /// Output folder (for the series).
    pub out: &'a Path,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Runs every (point, run) of the plan; rows in (point, run) order.
pub fn run(plan: &Plan<'_>) -> anyhow::Result<Vec<Row>> {
    let tasks: Vec<(usize, u64)> =
        (0..plan.scenarios.len()).flat_map(|p| plan.runs.clone().map(move |r| (p, r))).collect();
    let bar = progress_bar(tasks.len() as u64, plan.progress)?;
    let done = AtomicU64::new(0);
    let total = tasks.len();
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(plan.threads).build().context("starting the worker threads")?;
    let rows: anyhow::Result<Vec<Row>> = pool.install(|| {
        tasks
            .par_iter()
            .map(|&(point, run)| {
                let row = run_one(plan, point, run, &bar)?;
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                bar.set_message(format!("{n}/{total} runs"));
                Ok(row)
            })
            .collect()
    });
    bar.finish_and_clear();
    rows
}

fn run_one(plan: &Plan<'_>, point: usize, run: u64, bar: &ProgressBar) -> anyhow::Result<Row> {
    let seed = seed_for(plan.base_seed, run);
    let mut sim = Sim::new(&plan.scenarios[point], seed);
    let steps = sim.clock().steps_total.max(1);
    let mut reported = 0;
    while !sim.finished() {
        sim.run_steps(CHUNK);
        let now = sim.clock().step * UNITS / steps;
        bar.inc(now - reported);
        reported = now;
    }
    bar.inc(UNITS - reported);
    let metrics = flatten(&sim.summary())?;
    if let Some(fmt) = plan.series {
        series::write(plan.out, point, run, fmt, &sim.timeseries())
            .with_context(|| format!("writing the series of point {point}, run {run}"))?;
    }
    Ok(Row { point, run, seed, metrics })
}

fn progress_bar(tasks: u64, show: bool) -> anyhow::Result<ProgressBar> {
    let target = if show { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
    let bar = ProgressBar::with_draw_target(Some(tasks * UNITS), target);
    let rate = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.2} runs/s", s.per_sec() / UNITS as f64);
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} batch [{bar:30}] {msg}, {rate}, eta {eta}")?
            .with_key("rate", rate)
            .progress_chars("=> "),
    );
    bar.set_message(format!("0/{tasks} runs"));
    Ok(bar)
}
