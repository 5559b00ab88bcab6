//! `drsim run [SCENARIO] [--seed N] [--out DIR] [--quiet]`.

use crate::Failure;
use crate::files::{self, write_atomic};
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sim_core::{AlertLevel, RunSummary, Sim};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Arguments of `drsim run`.
#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// Scenario file (default: the embedded scenarios/default.toml).
    pub scenario: Option<PathBuf>,
    /// Seed (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder (default: out/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Override a scenario field: --set KEY=VALUE (repeatable), e.g. --set grid.supply.firm_mw=42000.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Replace the scenario's scripted dispatch with this calendar and switch automatic dispatch off.
    #[arg(long, value_name = "FILE")]
    pub dispatch: Option<PathBuf>,
}

/// Runs `drsim run`.
pub fn run(a: RunArgs) -> Result<(), Failure> {
    let sets = files::overrides(&a.set)?;
    let mut loaded = files::load(a.scenario.as_deref(), &sets)?;
    if let Some(d) = &a.dispatch {
        let reqs = files::load_dispatch(d, loaded.scenario.book())?;
        loaded.scenario.replace_dispatch(reqs);
    }
    let scn = &loaded.scenario;
    let seed = a.seed.unwrap_or(scn.scenario().seed);
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("out").join(&scn.scenario().name));
    let started = Instant::now();
    // The run steps on one of rayon's threads: each step's parallel passes then start from inside
    // the pool (the other thread steals) instead of handing every pass over from this thread.
    rayon::scope(|_| simulate(&a, &loaded, seed, &out, started))
}

fn simulate(
    a: &RunArgs,
    loaded: &files::Loaded,
    seed: u64,
    out: &std::path::Path,
    started: Instant,
) -> Result<(), Failure> {
    let scn = &loaded.scenario;
    let mut sim = Sim::new(scn, seed);
    let total = sim.clock().steps_total;
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} steps, {per_sec}, eta {eta}")
            .map_err(|e| Failure::Internal(e.into()))?
            .progress_chars("=> "),
    );
    bar.set_message(scn.scenario().name.clone());
    let mut shown = false;
    while !sim.finished() {
        sim.run_steps(48);
        bar.set_position(sim.clock().step);
        if !a.quiet && !shown && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
    }
    bar.finish_and_clear();
    let summary = sim.summary();
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    write_atomic(out, "timeseries.csv", sim.timeseries_csv().as_bytes())?;
    write_atomic(out, "events.csv", sim.events_csv().as_bytes())?;
    let (settlement, market) = sim.settlement_and_market_csv();
    write_atomic(out, "settlement.csv", settlement.as_bytes())?;
    write_atomic(out, "market.csv", market.as_bytes())?;
    write_atomic(out, "authorizations.csv", sim.authorizations_csv().as_bytes())?;
    write_atomic(out, "alerts.csv", sim.alerts_csv().as_bytes())?;
    write_atomic(out, "forecast.csv", sim.forecast_csv().as_bytes())?;
    write_atomic(out, "summary.json", summary.to_json().as_bytes())?;
    if !a.quiet {
        print_summary(&summary, &loaded.origin, out, started.elapsed());
    }
    Ok(())
}

fn print_summary(s: &RunSummary, origin: &str, out: &std::path::Path, took: Duration) {
    println!(
        "{} (seed {}), {}: {} steps of {} min, {} agents standing for {:.0} customers",
        s.scenario, s.seed, origin, s.steps, s.step_minutes, s.agents, s.customers_represented
    );
    println!("  peak system load     {:>10.0} MW at {}", s.peak_system_load_mw, s.peak_system_load_time);
    println!("  lowest reserve margin {:>9.1} %  at {}", s.min_reserve_margin_pct, s.min_reserve_margin_time);
    let hours: Vec<String> = AlertLevel::ALL
        .into_iter()
        .skip(1)
        .map(|l| format!("{} {:.1}", l, s.alert_hours.get(&l).copied().unwrap_or(0.0)))
        .collect();
    println!("  hours at alert level  {}", hours.join(", "));
    println!("  unserved energy      {:>10.1} MWh", s.unserved_energy_mwh);
    println!(
        "  customers' load      {:>10.0} MW peak at {}, {:.0} MWh",
        s.customers_peak_mw, s.customers_peak_time, s.customers_energy_mwh
    );
    println!(
        "  wrote {} (summary.json, timeseries.csv, events.csv, settlement.csv, market.csv, authorizations.csv, alerts.csv, forecast.csv) in {:.2} s",
        out.display(),
        took.as_secs_f64()
    );
}
