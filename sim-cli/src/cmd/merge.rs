//! `drsim merge DIR1 DIR2 ... --out DIR`: join the folders of a sharded batch.
//!
//! The folders must come from the same batch (their `batch.json` equal but for the `shard`
//! field) and hold every shard 1/M..M/M exactly once. The merged folder gets the files the
//! unsharded batch would have written, byte for byte: `runs.csv` is read back exactly (numbers are
//! written in shortest round-trip form), the rows are put in (sweep point, run) order and
//! `summary.csv` is recomputed from them; `series/` files are copied. Its `invocation.json`
//! records the merge and the shards' own invocations.

use crate::Failure;
use crate::batch::info::{self, BatchInfo};
use crate::batch::series::{self, SeriesFormat};
use crate::batch::spec::{self, Shard};
use crate::batch::table::{self, Layout, Row};
use crate::batch::write_outputs;
use crate::files::write_atomic;
use anyhow::Context;
use clap::Args;
use sim_core::seed_for;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `drsim merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' output folders (`drsim batch --shard K/M --out DIR`), in any order.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output folder for the merged batch.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// No closing line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// One input folder.
struct Part {
    dir: PathBuf,
    info: BatchInfo,
}

/// Runs `drsim merge`.
pub fn merge(a: MergeArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let parts: Vec<Part> = a.dirs.iter().map(|d| read_info(d)).collect::<Result<_, _>>()?;
    let whole = same_batch(&parts)?;
    check_coverage(&parts, whole.runs)?;
    let sweeps = whole.sweeps();
    let points = spec::points(&sweeps);
    let layout = Layout { sweeps: &sweeps, points: &points };
    let mut rows = Vec::new();
    for p in &parts {
        rows.extend(read_rows(p, &layout, whole.base_seed, whole.runs)?);
    }
    rows.sort_by_key(|r| (r.point, r.run));
    check_complete(&rows, points.len(), whole.runs)?;
    fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    if let Some(fmt) = series_format(&whole)? {
        copy_series(&parts, &rows, fmt, &a.out)?;
    }
    write_outputs(&a.out, &whole, &rows)?;
    let merged: Vec<serde_json::Value> = parts
        .iter()
        .map(|p| {
            let inv = fs::read(p.dir.join("invocation.json"))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
            serde_json::json!({ "dir": p.dir.display().to_string(), "invocation": inv })
        })
        .collect();
    let took = started.elapsed().as_secs_f64();
    let invocation = serde_json::json!({
        "argv": std::env::args().collect::<Vec<_>>(),
        "merged": merged,
        "seconds": (took * 1000.0).round() / 1000.0,
        "drsim": env!("CARGO_PKG_VERSION"),
    });
    write_atomic(&a.out, "invocation.json", &info::invocation_json(invocation)?)?;
    if !a.quiet {
        println!(
            "merge: {} folder(s), {} run(s) x {} sweep point(s); wrote {} (runs.csv, summary.csv, batch.json)",
            parts.len(),
            whole.runs,
            points.len(),
            a.out.display()
        );
    }
    Ok(())
}

fn user(dir: &Path, msg: impl std::fmt::Display) -> Failure {
    Failure::User(format!("error: {}: {msg}", dir.display()))
}

fn read_info(dir: &Path) -> Result<Part, Failure> {
    let path = dir.join("batch.json");
    let bytes = fs::read(&path).map_err(|e| user(dir, format!("cannot read batch.json: {e}")))?;
    let info: BatchInfo = serde_json::from_slice(&bytes)
        .map_err(|e| user(dir, format!("batch.json is not a drsim batch description: {e}")))?;
    if info.format != info::FORMAT {
        return Err(user(dir, format!("batch.json has format `{}`; this drsim reads `{}`", info.format, info::FORMAT)));
    }
    Ok(Part { dir: dir.to_path_buf(), info })
}

/// The batch all parts belong to (their description without the shard), or which field differs.
fn same_batch(parts: &[Part]) -> Result<BatchInfo, Failure> {
    let strip = |i: &BatchInfo| BatchInfo { shard: None, ..i.clone() };
    let Some(first) = parts.first() else {
        return Err(Failure::User("error: no folders to merge".into()));
    };
    let whole = strip(&first.info);
    for p in &parts[1..] {
        let other = strip(&p.info);
        if other != whole {
            let a = serde_json::to_value(&whole).map_err(anyhow::Error::from)?;
            let b = serde_json::to_value(&other).map_err(anyhow::Error::from)?;
            let fields: Vec<String> = a
                .as_object()
                .map(|m| {
                    m.iter().filter(|(k, v)| b.get(k.as_str()) != Some(*v)).map(|(k, _)| format!("`{k}`")).collect()
                })
                .unwrap_or_default();
            return Err(user(
                &p.dir,
                format!(
                    "not a shard of the same batch as {} (batch.json differs in {})",
                    first.dir.display(),
                    fields.join(", ")
                ),
            ));
        }
    }
    Ok(whole)
}

/// Every shard 1..=M exactly once, all with the same M (or a single unsharded folder).
fn check_coverage(parts: &[Part], runs: u64) -> Result<(), Failure> {
    let unsharded = parts.iter().filter(|p| p.info.shard.is_none()).count();
    if unsharded > 0 {
        return if parts.len() == 1 {
            Ok(())
        } else {
            Err(Failure::User("error: a folder holds a whole (unsharded) batch; merge only shard folders".into()))
        };
    }
    let mut seen = BTreeSet::new();
    let mut m0 = None;
    for p in parts {
        let Some(s) = &p.info.shard else { continue };
        if *m0.get_or_insert(s.m) != s.m {
            return Err(user(
                &p.dir,
                format!("shard {}/{} does not match the others' M={}", s.k, s.m, m0.unwrap_or(s.m)),
            ));
        }
        let want = Shard { k: s.k, m: s.m }.runs(runs);
        if (s.first_run, s.end_run) != (want.start, want.end) {
            return Err(user(&p.dir, format!("shard {}/{} has the wrong runs", s.k, s.m)));
        }
        if !seen.insert(s.k) {
            return Err(user(&p.dir, format!("shard {}/{} is given twice", s.k, s.m)));
        }
    }
    let m = m0.unwrap_or(1);
    let missing: Vec<String> = (1..=m).filter(|k| !seen.contains(k)).map(|k| format!("{k}/{m}")).collect();
    if !missing.is_empty() {
        return Err(Failure::User(format!("error: missing shard(s) {}", missing.join(", "))));
    }
    Ok(())
}

fn read_rows(p: &Part, layout: &Layout<'_>, base: u64, runs: u64) -> Result<Vec<Row>, Failure> {
    let bytes = fs::read(p.dir.join("runs.csv")).map_err(|e| user(&p.dir, format!("cannot read runs.csv: {e}")))?;
    let rows = table::read_runs_csv(layout, &bytes).map_err(|m| user(&p.dir, format!("runs.csv: {m}")))?;
    let range = p.info.shard.as_ref().map_or(0..runs, |s| s.first_run..s.end_run);
    for r in &rows {
        if !range.contains(&r.run) || r.seed != seed_for(base, r.run) {
            return Err(user(
                &p.dir,
                format!("runs.csv: run {} (seed {}) does not belong to this shard", r.run, r.seed),
            ));
        }
    }
    Ok(rows)
}

/// Exactly one row per (point, run); `rows` sorted.
fn check_complete(rows: &[Row], points: usize, runs: u64) -> Result<(), Failure> {
    let expected = (0..points).flat_map(|p| (0..runs).map(move |r| (p, r)));
    let got = rows.iter().map(|r| (r.point, r.run));
    if let Some((e, g)) = expected.clone().zip(got).find(|(e, g)| e != g) {
        let (p, r) = if g < e { g } else { e };
        return Err(Failure::User(format!(
            "error: runs.csv rows are incomplete or repeated at sweep point {p}, run {r}"
        )));
    }
    let n = expected.count();
    if rows.len() != n {
        return Err(Failure::User(format!("error: the folders hold {} rows; the batch has {n}", rows.len())));
    }
    Ok(())
}

fn series_format(info: &BatchInfo) -> Result<Option<SeriesFormat>, Failure> {
    match info.series.as_deref() {
        None => Ok(None),
        Some("csv") => Ok(Some(SeriesFormat::Csv)),
        Some("parquet") => Ok(Some(SeriesFormat::Parquet)),
        Some(other) => Err(Failure::User(format!("error: batch.json names an unknown series format `{other}`"))),
    }
}

fn copy_series(parts: &[Part], rows: &[Row], fmt: SeriesFormat, out: &Path) -> Result<(), Failure> {
    for p in parts {
        let range = p.info.shard.as_ref().map(|s| s.first_run..s.end_run);
        for r in rows.iter().filter(|r| range.as_ref().is_none_or(|x| x.contains(&r.run))) {
            let rel = series::rel_path(r.point, r.run, fmt);
            let bytes =
                fs::read(p.dir.join(&rel)).map_err(|e| user(&p.dir, format!("cannot read {}: {e}", rel.display())))?;
            let dst = out.join(&rel);
            let parent = dst.parent().unwrap_or(out);
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            let name = dst.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            write_atomic(parent, name, &bytes)?;
        }
    }
    Ok(())
}
