//! The peer benchmark "thermal-day" (benches/peers/thermal_day.py) set up in drsim's engine.
//!
//! House i = 0..N-1: g(i,k) = frac((i+1) PHI[k]); R = 1.5 + 1.5 g0 °C/kW; C = 2 + 2 g1 kWh/°C;
//! P_th = 6 + 6 g2 kW; COP = 3 + g3; setpoint = 23 + 3 g4 °C; deadband 1 °C; Q_int = 0.5 kW;
//! T0 = sp + DB (g0 - 0.5); on0 = g1 < 0.5. One day of 288 five-minute steps, outdoor temperature
//! 30 + 8 sin(2 pi (h - 10) / 24) (a sine peaking at 16:00), the grid off, and a 50% A/C cycling
//! command 16:00-21:00 in two groups of 15-minute blocks (house i is blocked when
//! (t // 3) % 2 == i % 2). sim-core/tests/thermal_peer.rs checks the same set-up against the
//! peer's CSV to 1e-6.

use sim_core::Sim;
use sim_core::customers::HouseSpec;
use sim_core::devices::{CyclingCommand, SWITCH_BIT};
use sim_core::scenario::{NoFiles, load_scenario};
use sim_core::time::parse_date;

/// Steps in the thermal day (5-minute steps).
pub const STEPS: usize = 288;

/// The peer's golden-ratio sequence constants.
const PHI: [f64; 5] =
    [0.6180339887498949, 0.7548776662466927, 0.5698402909980532, 0.4142135623730951, 0.324_717_957_244_746];

/// The thermal-day scenario: one July day, sine weather, no grid, no population of its own.
pub const SCENARIO: &str = r#"
schema_version = 1
name = "thermal-day"
start = "2022-07-15"
end = "2022-07-15"
step_minutes = 5
[weather]
model = "sine"
mean_c = 30.0
amplitude_c = 8.0
peak_hour = 16.0
[grid]
enabled = false
"#;

/// House i's parameters, as in the peer.
pub fn house(i: usize) -> HouseSpec {
    let mut g = [0.0; 5];
    for (gk, p) in g.iter_mut().zip(PHI) {
        let x = (i + 1) as f64 * p;
        *gk = x - x.floor();
    }
    let sp = 23.0 + 3.0 * g[4];
    HouseSpec {
        r_c_per_kw: 1.5 + 1.5 * g[0],
        c_kwh_per_c: 2.0 + 2.0 * g[1],
        pth_kw: 6.0 + 6.0 * g[2],
        cop: 3.0 + 1.0 * g[3],
        setpoint_c: sp,
        deadband_c: 1.0,
        q_int_kw: 0.5,
        initial_temp_c: sp + 1.0 * (g[0] - 0.5),
        initial_on: g[1] < 0.5,
    }
}

/// A `Sim` of the thermal day with `n` houses and the 16:00-21:00 cycling event, ready to step.
///
/// Panics only on a bug: the scenario and the times are constants.
pub fn thermal_day_sim(n: usize) -> Sim {
    let scn = load_scenario(SCENARIO, "thermal-day", &[], &NoFiles).expect("valid scenario");
    let mut sim = Sim::new(&scn, 0);
    let houses: Vec<HouseSpec> = (0..n).map(house).collect();
    sim.spawn_houses(&houses);
    let day = parse_date("2022-07-15").expect("date");
    let clock = sim.clock().clone();
    sim.command_cycling(CyclingCommand {
        mask: SWITCH_BIT,
        start_utc_s: clock.utc_of_local(day, 16 * 60).expect("16:00"),
        end_utc_s: clock.utc_of_local(day, 21 * 60).expect("21:00"),
        off_fraction: 0.5,
        period_minutes: 30,
        groups: 2,
    });
    sim
}
