//! Monte Carlo batches: sweeps, shards, per-run metrics, statistics and the files that hold them.
//!
//! `drsim batch` (sim-cli/src/cmd/batch.rs) runs the tasks; `drsim merge` (cmd/merge.rs) joins
//! shards. Both end in [`write_outputs`], so a merge writes exactly what the unsharded batch
//! would have written.

pub mod info;
pub mod metrics;
pub mod runner;
pub mod series;
pub mod spec;
pub mod stats;
pub mod table;

use crate::files::write_atomic;
use info::BatchInfo;
use std::path::Path;
use table::{Layout, Row};

/// Writes `runs.csv`, `summary.csv` and `batch.json` for `rows` (sorted by point, then run).
pub fn write_outputs(dir: &Path, info: &BatchInfo, rows: &[Row]) -> anyhow::Result<()> {
    let sweeps = info.sweeps();
    let points = spec::points(&sweeps);
    let layout = Layout { sweeps: &sweeps, points: &points };
    write_atomic(dir, "runs.csv", &table::runs_csv(&layout, rows)?)?;
    write_atomic(dir, "summary.csv", &table::summary_csv(&layout, rows)?)?;
    write_atomic(dir, "batch.json", &info.to_json()?)?;
    Ok(())
}
