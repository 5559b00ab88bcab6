//! `thermal-day`: the peer benchmark's workload (benches/peers/thermal_day.py) run through drsim's
//! engine: sim-core's ECS systems, stepped by the `Sim` facade, not a special loop.
//!
//! `cargo run --release -p benches --bin thermal-day -- --houses N [--out FILE.csv]`
//!
//! Writes the peer's CSV (`step,hour,total_kw`, hour `{:.6}`, kW `{:.9}`) and prints the peer's JSON
//! line (`impl, houses, steps, seconds, house_steps_per_s, total_kwh`); `seconds` covers the
//! simulation loop only (the 288 steps), not building the world or spawning the houses, like the
//! peer's timer, which excludes parameter set-up and compilation.

use benches::thermal::{STEPS, thermal_day_sim};
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    houses: usize,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut houses = None;
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--houses" => {
                let v = it.next().ok_or("--houses needs a number")?;
                let n =
                    v.replace('_', "").parse::<usize>().map_err(|_| format!("--houses `{v}` is not a whole number"))?;
                houses = Some(n);
            }
            "--out" => out = Some(it.next().ok_or("--out needs a file name")?),
            "-h" | "--help" => {
                return Err("usage: thermal-day --houses N [--out FILE.csv]".into());
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let houses = houses.ok_or("usage: thermal-day --houses N [--out FILE.csv]")?;
    if houses < 1 {
        return Err("--houses must be >= 1".into());
    }
    Ok(Args { houses, out })
}

fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // Built and stepped on one of rayon's threads, as `drsim run` does: each step's parallel passes
    // start inside the pool.
    let (sim, secs) = rayon::scope(|_| {
        let mut sim = thermal_day_sim(a.houses);
        let start = Instant::now();
        sim.run_to_end();
        (sim, start.elapsed().as_secs_f64())
    });
    let totals: Vec<f64> = sim.steps().iter().map(|s| s.customers_load_mw * 1000.0).collect();
    if totals.len() != STEPS {
        eprintln!("expected {STEPS} steps, the run recorded {}", totals.len());
        return ExitCode::from(1);
    }
    if let Some(path) = &a.out {
        let mut csv = String::with_capacity(32 * STEPS);
        csv.push_str("step,hour,total_kw\n");
        for (t, kw) in totals.iter().enumerate() {
            let hour = (t * 5) as f64 / 60.0;
            let _ = writeln!(csv, "{t},{hour:.6},{kw:.9}");
        }
        if let Err(e) = std::fs::write(path, csv) {
            eprintln!("cannot write {path}: {e}");
            return ExitCode::from(1);
        }
    }
    let dt_h = 5.0 / 60.0;
    let total_kwh: f64 = totals.iter().sum::<f64>() * dt_h;
    println!(
        "{{\"impl\": \"drsim\", \"houses\": {}, \"steps\": {STEPS}, \"seconds\": {}, \
         \"house_steps_per_s\": {}, \"total_kwh\": {}}}",
        a.houses,
        (secs * 1e6).round() / 1e6,
        (a.houses * STEPS) as f64 / secs,
        total_kwh
    );
    ExitCode::SUCCESS
}
