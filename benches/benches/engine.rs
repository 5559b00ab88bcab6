//! Engine benchmarks: one step of the default population, and a whole day.

use criterion::{Criterion, criterion_group, criterion_main};
use sim_core::Sim;

fn engine(c: &mut Criterion) {
    let scn = benches::scenario("default.toml", &[]);
    c.bench_function("default scenario: one day (288 steps, 10k agents)", |b| {
        b.iter(|| {
            let mut sim = Sim::new(&scn, 1);
            sim.run_steps(288);
            sim.steps().len()
        })
    });
    let mut sim = Sim::new(&scn, 1);
    c.bench_function("default scenario: one step (10k agents)", |b| {
        b.iter(|| {
            if sim.finished() {
                sim = Sim::new(&scn, 1);
            }
            sim.step()
        })
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
