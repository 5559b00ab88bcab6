//! Large tables are processed in fixed chunks: the results do not depend on the number of threads.

use sim_core::Sim;
use sim_core::customers::HouseSpec;
use sim_core::scenario::{NoFiles, load_scenario};

fn run(houses: usize) -> Vec<(u64, u64)> {
    let text = sim_core::data::default_scenario();
    let o: Vec<_> = ["start=2022-09-06", "end=2022-09-06", "automatic_dispatch=false"]
        .iter()
        .map(|s| sim_core::scenario::parse_override(s).expect("override"))
        .collect();
    let scn = load_scenario(text, "default.toml", &o, &NoFiles).expect("valid");
    let mut sim = Sim::new(&scn, 3);
    let hs: Vec<HouseSpec> = (0..houses)
        .map(|i| {
            let f = (i % 97) as f64 / 97.0;
            HouseSpec {
                r_c_per_kw: 1.5 + f,
                c_kwh_per_c: 2.0 + 2.0 * f,
                pth_kw: 8.0 + 4.0 * f,
                cop: 3.5,
                setpoint_c: 23.0 + 2.0 * f,
                deadband_c: 1.0,
                q_int_kw: 0.5,
                initial_temp_c: 24.0,
                initial_on: i % 2 == 0,
            }
        })
        .collect();
    sim.spawn_houses(&hs);
    sim.run_steps(96);
    sim.metrics().steps.iter().map(|s| (s.customers_load_mw.to_bits(), s.mean_indoor_temp_c.to_bits())).collect()
}

#[test]
fn one_thread_and_two_threads_give_identical_sums_over_chunked_tables() {
    // 40,000 houses in one table: five chunks of 8,192.
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool").install(|| run(40_000));
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool").install(|| run(40_000));
    assert_eq!(one, two);
    assert_eq!(one.len(), 96);
}

/// A day of the default scenario at 60,000 agents with half the homes in SDP: large enough that
/// the twin steps beside the actual world and the enrolled customers' portfolio sums are chunked.
fn big_day() -> (String, String, String) {
    let o: Vec<_> = [
        "start=2022-09-06",
        "end=2022-09-06",
        "population.0.agents=55000",
        "population.0.enrolment.SDP=0.5",
        "population.1.agents=4000",
    ]
    .iter()
    .map(|s| sim_core::scenario::parse_override(s).expect("override"))
    .collect();
    let scn = load_scenario(sim_core::data::default_scenario(), "default.toml", &o, &NoFiles).expect("valid");
    assert!(scn.agents() >= 60_000, "{}", scn.agents());
    let mut sim = Sim::new(&scn, 11);
    sim.run_to_end();
    (sim.summary().to_json(), sim.timeseries_csv(), sim.settlement_csv())
}

#[test]
fn the_twin_beside_the_actual_world_and_chunked_portfolios_do_not_depend_on_threads() {
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool").install(big_day);
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool").install(big_day);
    assert!(one.0.contains("\"SDP\""), "SDP is settled");
    assert!(one == two, "1 and 2 threads differ");
}
