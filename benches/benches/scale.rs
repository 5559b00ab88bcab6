//! Engine benchmarks at scale: one step at 10k, 100k and 1M agents, with and without an active
//! A/C cycling event, and the whole default scenario (a week of 5-minute steps, 10k agents).
//!
//! Populations are the default scenario's four segments scaled by 1, 10 and 100 with `--set`-style
//! overrides (customers stay the same, so weights shrink). The event case issues a 50% cycling
//! command to every cycling switch (8% of homes in the default scenario) for the whole week.
//! Steps are timed from 16:00 on the first day (a warm afternoon, compressors running) onwards.
//!
//! `cargo bench -p benches --bench scale` (the 1M-agent cases build a world of a million entities
//! once per case, about a second each).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use sim_core::Sim;
use sim_core::devices::{CyclingCommand, SWITCH_BIT};
use sim_core::scenario::ValidScenario;
use std::time::Duration;

/// The default scenario with its population scaled by `k`.
fn scaled(k: u32) -> ValidScenario {
    let sets: Vec<String> =
        [7000u32, 1800, 600, 600].iter().enumerate().map(|(i, n)| format!("population.{i}.agents={}", n * k)).collect();
    let refs: Vec<&str> = sets.iter().map(String::as_str).collect();
    benches::scenario("default.toml", &refs)
}

/// A run positioned at 16:00 on its first day, with a cycling event over the whole run if asked.
fn afternoon(scn: &ValidScenario, event: bool) -> Sim {
    let mut sim = Sim::new(scn, 1);
    if event {
        let c = sim.clock().clone();
        sim.command_cycling(CyclingCommand {
            mask: SWITCH_BIT,
            start_utc_s: c.now.utc_s,
            end_utc_s: c.utc_of_step(c.steps_total),
            off_fraction: 0.5,
            period_minutes: 30,
            groups: 2,
        });
    }
    sim.run_steps(16 * 12);
    sim
}

fn one_step(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine step");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for (k, label) in [(1, "10k"), (10, "100k"), (100, "1M")] {
        let scn = scaled(k);
        for event in [false, true] {
            let case = if event { "event" } else { "no event" };
            let mut sim = afternoon(&scn, event);
            g.bench_function(BenchmarkId::new(case, format!("{label} agents")), |b| {
                b.iter(|| {
                    if sim.finished() {
                        sim = afternoon(&scn, event);
                    }
                    sim.step()
                })
            });
        }
    }
    g.finish();
}

fn whole_default(c: &mut Criterion) {
    let scn = benches::scenario("default.toml", &[]);
    let mut g = c.benchmark_group("whole scenario");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("default (7 days, 2016 steps, 10k agents)", |b| {
        b.iter(|| {
            let mut sim = Sim::new(&scn, 1);
            sim.run_to_end();
            sim.summary().peak_system_load_mw
        })
    });
    g.finish();
}

criterion_group!(benches, one_step, whole_default);
criterion_main!(benches);
