//! `drsim calibrate [--runs N] [--seed BASE] [--sensitivity-runs K] [--out DIR] [--quiet]`.
//!
//! Runs the historical scenarios (and a normal summer) over N seeds, compares each published figure
//! of `sim-core/data/calibration/published.csv` with the runs, and writes `calibration.csv`,
//! `calibration.md` and `calibration.svg`. Run i uses `seed_for(BASE, i)`. The sensitivity table
//! reruns the first K seeds with each assumption parameter at ±20 %.

use crate::Failure;
use crate::files::write_atomic;
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sim_core::calibration::{Figure, Row, Tolerance, Variant, figures, measure};
use sim_core::{Override, Sim, ValidScenario, parse_override, seed_for};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `drsim calibrate`.
#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// Seeds per scenario; run i uses seed_for(BASE, i).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub runs: u64,
    /// Base seed.
    #[arg(long, value_name = "BASE", default_value_t = 1)]
    pub seed: u64,
    /// Seeds per parameter change in the sensitivity table (0: no table).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pub sensitivity_runs: u64,
    /// Output folder (default: out/calibration/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no closing line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// An assumption parameter the sensitivity table varies: its key and its value in a scenario.
struct Assumption {
    key: &'static str,
    what: &'static str,
    value: fn(&ValidScenario) -> f64,
    integer: bool,
}

const ASSUMPTIONS: [Assumption; 8] = [
    Assumption {
        key: "grid.alerts.lookahead_minutes",
        what: "how far ahead emergencies are declared",
        value: |s| f64::from(s.scenario().grid.alerts.lookahead_minutes),
        integer: true,
    },
    Assumption {
        key: "grid.supply.heat_derate_pct_per_c",
        what: "thermal fleet capacity lost per °C of heat",
        value: |s| s.scenario().grid.supply.heat_derate_pct_per_c,
        integer: false,
    },
    Assumption {
        key: "grid.supply.firm_mw",
        what: "dispatchable fleet capacity",
        value: |s| s.scenario().grid.supply.firm_mw,
        integer: false,
    },
    Assumption {
        key: "grid.outages.response_mw",
        what: "supply added in response to outages",
        value: |s| s.scenario().grid.outages.response_mw,
        integer: false,
    },
    Assumption {
        key: "grid.conservation.flex_alert_pct",
        what: "conservation under a Flex Alert",
        value: |s| s.scenario().grid.conservation.flex_alert_pct,
        integer: false,
    },
    Assumption {
        key: "grid.conservation.flex_response_tau_minutes",
        what: "how quickly people answer a Flex Alert",
        value: |s| s.scenario().grid.conservation.flex_response_tau_minutes,
        integer: false,
    },
    Assumption {
        key: "grid.conservation.text_alert_after_eea3_minutes",
        what: "delay from EEA 3 to the emergency text alert",
        value: |s| f64::from(s.scenario().grid.conservation.text_alert_after_eea3_minutes),
        integer: true,
    },
    Assumption {
        key: "grid.outages.rotation_minutes",
        what: "how long each block of customers is out",
        value: |s| f64::from(s.scenario().grid.outages.rotation_minutes),
        integer: true,
    },
];

/// The figures the sensitivity table follows.
const HEADLINE: [&str; 5] =
    ["peak_2022_09_06", "eea3_start_2022_09_06", "text_alert_5_min", "shed_2020_08_14", "customers_out_2020_08_14"];

/// One simulation: a variant with overrides at a seed; gives the variant's figures.
struct Job {
    variant: Variant,
    sets: Vec<Override>,
    seed: u64,
}

fn scenario(v: Variant, sets: &[Override]) -> Result<ValidScenario, Failure> {
    v.scenario(sets).map_err(|e| Failure::User(format!("calibration scenario {}: {e}", v.label())))
}

/// Runs every job (in parallel) and gives, per job, the values of `ids` in order.
fn run_jobs(jobs: &[Job], ids: &[Vec<String>], bar: &ProgressBar) -> Result<Vec<Vec<Option<f64>>>, Failure> {
    let scenarios: BTreeMap<(Variant, String), ValidScenario> = jobs
        .iter()
        .map(|j| {
            let key = (j.variant, format!("{:?}", j.sets));
            scenario(j.variant, &j.sets).map(|s| (key, s))
        })
        .collect::<Result<_, _>>()?;
    Ok(jobs
        .par_iter()
        .zip(ids)
        .map(|(j, ids)| {
            let scn = &scenarios[&(j.variant, format!("{:?}", j.sets))];
            let mut sim = Sim::new(scn, j.seed);
            sim.run_to_end();
            let summary = sim.summary();
            let steps = sim.steps();
            bar.inc(1);
            ids.iter().map(|id| measure(id, steps, &summary)).collect()
        })
        .collect())
}

/// Runs `drsim calibrate`.
pub fn calibrate(a: CalibrateArgs) -> Result<(), Failure> {
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("out").join("calibration"));
    if out.exists() && !out.is_dir() {
        return Err(Failure::User(format!("--out {}: expected a folder, found a file", out.display())));
    }
    let figs = figures();
    let seeds: Vec<u64> = (0..a.runs).map(|i| seed_for(a.seed, i)).collect();
    let of_variant = |v: Variant| figs.iter().filter(|f| f.variant == v).map(|f| f.id.clone()).collect::<Vec<String>>();
    // The main runs: every variant at every seed.
    let mut jobs = vec![];
    for v in Variant::ALL {
        for &seed in &seeds {
            jobs.push(Job { variant: v, sets: vec![], seed });
        }
    }
    // The sensitivity runs: each assumption at ±20 % on the headline figures' variants.
    let k = a.sensitivity_runs.min(a.runs) as usize;
    let mut sens = vec![];
    let head_variants: Vec<Variant> = {
        let mut v: Vec<Variant> =
            figs.iter().filter(|f| HEADLINE.contains(&f.id.as_str())).map(|f| f.variant).collect();
        v.dedup();
        v
    };
    for (ai, asm) in ASSUMPTIONS.iter().enumerate() {
        for &v in &head_variants {
            let base = (asm.value)(&scenario(v, &[])?);
            for (si, f) in [0.8, 1.2].into_iter().enumerate() {
                let x = if asm.integer { (base * f).round() } else { base * f };
                if base == 0.0 {
                    continue;
                }
                let o = parse_override(&format!(
                    "{}={}",
                    asm.key,
                    if asm.integer { format!("{x}") } else { format!("{x:?}") }
                ))
                .map_err(|e| Failure::User(e.to_string()))?;
                for &seed in &seeds[..k] {
                    sens.push((ai, si, v, jobs.len()));
                    jobs.push(Job { variant: v, sets: vec![o.clone()], seed });
                }
            }
        }
    }
    let ids: Vec<Vec<String>> = jobs.iter().map(|j| of_variant(j.variant)).collect();
    let bar = if a.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("calibrate {bar:30} {pos}/{len} runs, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let values = run_jobs(&jobs, &ids, &bar)?;
    bar.finish_and_clear();

    // Main rows.
    let value_of = |job: usize, id: &str| -> Option<f64> {
        let i = ids[job].iter().position(|x| x == id)?;
        values[job][i]
    };
    let main_jobs = Variant::ALL.len() * seeds.len();
    let rows: Vec<(Figure, Row)> = figs
        .iter()
        .map(|f| {
            let vals: Vec<Option<f64>> =
                (0..main_jobs).filter(|&j| jobs[j].variant == f.variant).map(|j| value_of(j, &f.id)).collect();
            (f.clone(), Row::of(f, &vals))
        })
        .collect();
    // Sensitivity: mean change of each headline figure over the first k seeds, against the same seeds.
    let mut sens_table: Vec<(usize, [BTreeMap<String, f64>; 2])> = vec![];
    for (ai, _) in ASSUMPTIONS.iter().enumerate() {
        let mut sides: [BTreeMap<String, f64>; 2] = Default::default();
        for (si, side) in sides.iter_mut().enumerate() {
            for id in HEADLINE {
                let Some(f) = figs.iter().find(|f| f.id == id) else { continue };
                let changed: Vec<usize> =
                    sens.iter().filter(|s| s.0 == ai && s.1 == si && s.2 == f.variant).map(|s| s.3).collect();
                if changed.is_empty() {
                    continue;
                }
                let base: Vec<usize> = (0..main_jobs).filter(|&j| jobs[j].variant == f.variant).take(k).collect();
                let diffs: Vec<f64> = changed
                    .iter()
                    .zip(&base)
                    .filter_map(|(&c, &b)| Some(value_of(c, id)? - value_of(b, id)?))
                    .collect();
                if !diffs.is_empty() {
                    side.insert(id.to_string(), diffs.iter().sum::<f64>() / diffs.len() as f64);
                }
            }
        }
        sens_table.push((ai, sides));
    }

    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    write_atomic(&out, "calibration.csv", csv_text(&rows)?.as_bytes())?;
    write_atomic(&out, "calibration.svg", svg_text(&rows)?.as_bytes())?;
    let md = md_text(&a, &rows, &sens_table, k);
    write_atomic(&out, "calibration.md", md.as_bytes())?;
    if !a.quiet {
        let passed = rows.iter().filter(|(_, r)| r.pass).count();
        println!("calibration: {passed} of {} figures within tolerance; report in {}", rows.len(), out.display());
    }
    Ok(())
}

/// A value as the report prints it: times as hh:mm, others rounded.
fn show(f: &Figure, x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    if f.is_time() {
        let m = x.round() as i64;
        return format!("{:02}:{:02}", m.div_euclid(60), m.rem_euclid(60));
    }
    let x = x + 0.0;
    if x.abs() >= 100.0 { format!("{x:.0}") } else { format!("{x:.2}") }
}

fn csv_text(rows: &[(Figure, Row)]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record([
        "id",
        "figure",
        "scenario",
        "published",
        "unit",
        "simulated_mean",
        "band_5",
        "band_95",
        "runs_with_figure",
        "runs",
        "error_pct",
        "tolerance",
        "pass",
        "source",
    ])?;
    for (f, r) in rows {
        let err = if r.error_pct.is_finite() { format!("{:.1}", r.error_pct) } else { String::new() };
        w.write_record([
            f.id.as_str(),
            f.figure.as_str(),
            f.variant.label(),
            f.published_text.as_str(),
            f.unit.as_str(),
            &show(f, r.mean),
            &show(f, r.band.0),
            &show(f, r.band.1),
            &r.present.to_string(),
            &r.runs.to_string(),
            &err,
            f.tolerance_text.as_str(),
            if r.pass { "pass" } else { "fail" },
            f.source.as_str(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Deviation from the published value in units of the tolerance (±1 is the tolerance's edge; for
/// "at most" figures, the excess over the limit relative to it, or to 1 when the limit is 0).
fn deviation(f: &Figure, x: f64) -> f64 {
    match f.tolerance {
        Tolerance::Pct(p) => (x - f.published) / (p / 100.0 * f.published.abs()).max(1e-9),
        Tolerance::Minutes(m) => (x - f.published) / m.max(1e-9),
        Tolerance::AtMost(v) => ((x - v) / v.abs().max(1.0)).max(-1.0),
    }
}

fn svg_text(rows: &[(Figure, Row)]) -> anyhow::Result<String> {
    use plotters::prelude::*;
    let mut svg = String::new();
    let n = rows.len();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 40 + 28 * n as u32 + 60)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        let lim = 3.0;
        let mut chart = ChartBuilder::on(&root)
            .caption("Simulated vs published (deviation in tolerances; shaded: within tolerance)", ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(230)
            .build_cartesian_2d(-lim..lim, -0.5..(n as f64 - 0.5))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(-1.0, -0.5), (1.0, n as f64 - 0.5)],
                RGBColor(220, 235, 220).filled(),
            )))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let label = |y: &f64| {
            let i = (n as f64 - 1.0 - y).round();
            if (y - y.round()).abs() < 1e-6 && i >= 0.0 {
                rows.get(i as usize).map(|(f, _)| f.id.clone()).unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .y_labels(n)
            .y_label_formatter(&label)
            .x_desc("(simulated - published) / tolerance")
            .disable_y_mesh()
            .draw()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        for (i, (f, r)) in rows.iter().enumerate() {
            let y = n as f64 - 1.0 - i as f64;
            if !r.mean.is_finite() {
                continue;
            }
            let c = |x: f64| deviation(f, x).clamp(-lim, lim);
            let color = if r.pass { RGBColor(30, 110, 40) } else { RGBColor(190, 30, 30) };
            chart
                .draw_series(std::iter::once(ErrorBar::new_horizontal(
                    y,
                    c(r.band.0),
                    c(r.mean),
                    c(r.band.1),
                    color.filled(),
                    8,
                )))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        root.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(svg)
}

fn md_text(
    a: &CalibrateArgs,
    rows: &[(Figure, Row)],
    sens: &[(usize, [BTreeMap<String, f64>; 2])],
    k: usize,
) -> String {
    let mut s = String::new();
    let passed = rows.iter().filter(|(_, r)| r.pass).count();
    let _ = writeln!(s, "# Calibration report\n");
    let _ = writeln!(
        s,
        "The model against the published figures of the 2020 and 2022 heat waves and a normal summer. \
         The published values live only in `sim-core/data/calibration/published.csv`, with their sources; \
         the model never reads them. Reproduce this page with\n\n```sh\ncargo run --release -p sim-cli -- calibrate --runs {} --seed {} --sensitivity-runs {} --out docs\n```\n",
        a.runs, a.seed, a.sensitivity_runs
    );
    let _ = writeln!(
        s,
        "Each figure comes from {} runs (seeds `seed_for({}, i)`). *Simulated* is the mean over the runs that \
         have the figure (a run without an EEA 3 that day has no EEA 3 start); the band is the 5th to 95th \
         percentile. A figure passes when the mean is within the tolerance and at least 9 runs in 10 have it.\n",
        a.runs, a.seed
    );
    let _ = writeln!(s, "**{passed} of {} figures pass.**\n", rows.len());
    let _ = writeln!(
        s,
        "![simulated vs published](calibration.svg)\n\nThe plot gives each figure's mean (dot) and 90 % band \
         in units of its tolerance (the shaded band is within tolerance; values beyond ±3 sit at the edge); a \
         figure missing from every run has no mark.\n"
    );
    let _ =
        writeln!(s, "| figure | run | published | simulated | 90 % band | runs with it | error | tolerance | result |");
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
    for (f, r) in rows {
        let err = if r.error_pct.is_finite() {
            format!("{:+.1} %", r.error_pct)
        } else if f.is_time() && r.mean.is_finite() {
            format!("{:+.0} min", r.mean - f.published)
        } else {
            String::new()
        };
        let unit = if f.is_time() { String::new() } else { format!(" {}", f.unit) };
        let _ = writeln!(
            s,
            "| {} (`{}`) | {} | {}{unit} | {} | {} to {} | {} of {} | {err} | {} | {} |",
            f.figure,
            f.id,
            f.variant.label(),
            f.published_text,
            show(f, r.mean),
            show(f, r.band.0),
            show(f, r.band.1),
            r.present,
            r.runs,
            f.tolerance_text,
            if r.pass { "pass" } else { "**fail**" }
        );
    }
    let _ = writeln!(s, "\n## Sources\n");
    for (f, _) in rows {
        let _ = writeln!(s, "- `{}`: {}", f.id, f.source);
    }
    if k > 0 {
        let _ = writeln!(s, "\n## Sensitivity to the assumptions\n");
        let _ = writeln!(
            s,
            "Each parameter below is an assumption (its definition says so). The table gives the mean change of \
             each headline figure, over the first {k} seeds, when the parameter is set to 80 % and to 120 % of its \
             value in the figure's scenario (the same seeds, so the change is the parameter's alone). Times change \
             in minutes; a blank means the figure was missing from a run or the parameter is 0 there.\n"
        );
        let figs: Vec<&Figure> =
            HEADLINE.iter().filter_map(|id| rows.iter().find(|(f, _)| f.id == *id).map(|(f, _)| f)).collect();
        let _ = write!(s, "| parameter | what it is |");
        for f in &figs {
            let _ = write!(s, " `{}` -20 % / +20 % |", f.id);
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "|---|---|{}", "---|".repeat(figs.len()));
        for (ai, sides) in sens {
            let asm = &ASSUMPTIONS[*ai];
            let _ = write!(s, "| `{}` | {} |", asm.key, asm.what);
            for f in &figs {
                let cell = |m: &BTreeMap<String, f64>| {
                    m.get(&f.id).map_or(String::new(), |d| {
                        if f.is_time() { format!("{d:+.0} min") } else { format!("{d:+.0}") }
                    })
                };
                let _ = write!(s, " {} / {} |", cell(&sides[0]), cell(&sides[1]));
            }
            let _ = writeln!(s);
        }
    }
    s
}
