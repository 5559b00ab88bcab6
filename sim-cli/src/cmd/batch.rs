//! `drsim batch [SCENARIO] --runs N [--seed BASE] [--threads T] [--shard K/M] [--set KEY=VALUE]...
//! [--sweep KEY=V1,V2,...]... [--series parquet|csv] --out DIR`.
//!
//! Run i uses `seed_for(BASE, i)` at every sweep point (common random numbers). The outputs
//! (`runs.csv`, `summary.csv`, `batch.json`, `series/`) depend only on the scenario, the runs, the
//! seed, the sets, the sweeps and the series format: not on `--threads`, and a shard's folders
//! merged with `drsim merge` give the unsharded batch's files byte for byte. `invocation.json`
//! records the exact command line, the threads, the shard and the time taken.

use crate::Failure;
use crate::batch::info::{self, BatchInfo, PointInfo, ScenarioInfo, ShardInfo, SweepInfo, Versions};
use crate::batch::runner::{self, Plan};
use crate::batch::series::SeriesFormat;
use crate::batch::spec::{self, Shard, Sweep};
use crate::batch::write_outputs;
use crate::files::{self, write_atomic};
use anyhow::Context;
use clap::Args;
use sim_core::{Override, ValidScenario, parse_override};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `drsim batch`.
#[derive(Args, Debug)]
pub struct BatchArgs {
    /// Scenario file (default: the embedded scenarios/default.toml).
    pub scenario: Option<PathBuf>,
    /// Runs per sweep point; run i uses seed_for(BASE, i).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,
    /// Base seed (default: the scenario's `seed`).
    #[arg(long, value_name = "BASE")]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Does not change any result file.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,
    /// Run only shard K of M (1-based): the contiguous block of run indices
    /// [(K-1)·N/M, K·N/M); join the shards' folders with `drsim merge`.
    #[arg(long, value_name = "K/M", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Override a scenario field for every run: --set KEY=VALUE (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Sweep a scenario field over values (repeatable; every combination is run with the same seeds).
    #[arg(long = "sweep", value_name = "KEY=V1,V2,...", value_parser = Sweep::parse)]
    pub sweep: Vec<Sweep>,
    /// Also write every run's time series under DIR/series/.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub series: Option<SeriesFormat>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// No progress bar and no closing line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Runs `drsim batch`.
pub fn batch(a: BatchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let sets = files::overrides(&a.set)?;
    let set_keys: Vec<String> = sets.iter().map(|o| o.key.clone()).collect();
    spec::check_sweeps(&a.sweep, &set_keys).map_err(Failure::User)?;
    let base = files::load(a.scenario.as_deref(), &sets)?;
    let base_seed = a.seed.unwrap_or(base.scenario.scenario().seed);
    let points = spec::points(&a.sweep);
    let scenarios = point_scenarios(a.scenario.as_deref(), &sets, &a.sweep, &points)?;
    let runs = a.shard.map_or(0..a.runs, |s| s.runs(a.runs));
    let info = BatchInfo {
        format: info::FORMAT.to_string(),
        command: command(&a, base_seed),
        scenario: ScenarioInfo {
            origin: base.origin.clone(),
            name: base.scenario.scenario().name.clone(),
            sha256: info::sha256_hex(base.text.as_bytes()),
        },
        runs: a.runs,
        base_seed,
        sets: a.set.clone(),
        sweep: a.sweep.iter().map(|s| SweepInfo { key: s.key.clone(), values: s.values.clone() }).collect(),
        points: point_infos(&a.sweep, &points, &scenarios)?,
        series: a.series.map(|f| f.name().to_string()),
        versions: Versions::current(),
        shard: a.shard.map(|s| ShardInfo { k: s.k, m: s.m, first_run: runs.start, end_run: runs.end }),
    };
    std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let threads = a.threads.map_or_else(default_threads, |t| t as usize);
    let rows = runner::run(&Plan {
        scenarios: &scenarios,
        base_seed,
        runs: runs.clone(),
        threads,
        series: a.series,
        out: &a.out,
        progress: !a.quiet,
    })?;
    write_outputs(&a.out, &info, &rows)?;
    let took = started.elapsed().as_secs_f64();
    let invocation = serde_json::json!({
        "argv": std::env::args().collect::<Vec<_>>(),
        "threads": threads,
        "shard": a.shard.map(|s| s.to_string()),
        "runs_in_folder": rows.len(),
        "seconds": (took * 1000.0).round() / 1000.0,
        "drsim": env!("CARGO_PKG_VERSION"),
    });
    write_atomic(&a.out, "invocation.json", &info::invocation_json(invocation)?)?;
    if !a.quiet {
        let shard = a.shard.map(|s| format!(" (shard {s})")).unwrap_or_default();
        println!(
            "batch: {} run(s) x {} sweep point(s){shard} in {took:.1} s on {threads} thread(s); \
             wrote {} (runs.csv, summary.csv, batch.json)",
            runs.end - runs.start,
            points.len(),
            a.out.display(),
        );
    }
    Ok(())
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Loads the scenario at every sweep point (the `--set`s, then the point's swept values).
fn point_scenarios(
    path: Option<&Path>,
    sets: &[Override],
    sweeps: &[Sweep],
    points: &[Vec<usize>],
) -> Result<Vec<ValidScenario>, Failure> {
    points
        .iter()
        .map(|p| {
            let mut ov = sets.to_vec();
            let mut desc = Vec::new();
            for (s, &j) in sweeps.iter().zip(p) {
                let kv = format!("{}={}", s.key, s.values[j]);
                ov.push(parse_override(&kv).map_err(|m| Failure::User(format!("error: --sweep {m}")))?);
                desc.push(kv);
            }
            files::load(path, &ov).map(|l| l.scenario).map_err(|e| match e {
                Failure::User(m) if !desc.is_empty() => {
                    Failure::User(format!("{m}\n  (at sweep point {})", desc.join(", ")))
                }
                other => other,
            })
        })
        .collect()
}

fn point_infos(sweeps: &[Sweep], points: &[Vec<usize>], scenarios: &[ValidScenario]) -> anyhow::Result<Vec<PointInfo>> {
    points
        .iter()
        .zip(scenarios)
        .enumerate()
        .map(|(i, (p, scn))| {
            let json = serde_json::to_value(scn.scenario())?;
            Ok(PointInfo {
                point: i,
                values: sweeps.iter().zip(p).map(|(s, &j)| s.values[j].clone()).collect(),
                scenario_sha256: info::sha256_hex(info::canonical_json(&json).as_bytes()),
            })
        })
        .collect()
}

/// The normalised command that reproduces the results (see `BatchInfo::command`).
fn command(a: &BatchArgs, base_seed: u64) -> Vec<String> {
    let mut c = vec!["drsim".to_string(), "batch".to_string()];
    if let Some(p) = &a.scenario {
        c.push(p.display().to_string());
    }
    c.extend(["--runs".into(), a.runs.to_string()]);
    c.extend(["--seed".into(), base_seed.to_string()]);
    for s in &a.set {
        c.extend(["--set".into(), s.clone()]);
    }
    for s in &a.sweep {
        c.extend(["--sweep".into(), s.arg()]);
    }
    if let Some(f) = a.series {
        c.extend(["--series".into(), f.name().to_string()]);
    }
    c
}
