//! The A/C model against the peer implementation `thermal_day.py` (exact semantics, 1e-6 relative).
//!
//! The peer's workload, from its specification: house i = 0..N-1, one day of 288 five-minute steps,
//! g(i,k) = frac((i+1) PHI[k]); R = 1.5 + 1.5 g0 °C/kW; C = 2 + 2 g1 kWh/°C; P_th = 6 + 6 g2 kW;
//! COP = 3 + g3; setpoint = 23 + 3 g4 °C; deadband 1 °C; Q_int = 0.5 kW;
//! Tout = 30 + 8 sin(2 pi (h - 10) / 24); T0 = sp + DB (g0 - 0.5); on0 = g1 < 0.5; 50% cycling
//! 16:00-21:00 with house i blocked when (t // 3) % 2 == i % 2.

use sim_core::Sim;
use sim_core::customers::HouseSpec;
use sim_core::devices::{CyclingCommand, SWITCH_BIT};
use sim_core::scenario::{NoFiles, load_scenario};
use sim_core::time::parse_date;

const PHI: [f64; 5] =
    [0.6180339887498949, 0.7548776662466927, 0.5698402909980532, 0.4142135623730951, 0.324_717_957_244_746];

fn house(i: usize) -> HouseSpec {
    let g: Vec<f64> = PHI
        .iter()
        .map(|p| {
            let x = (i + 1) as f64 * p;
            x - x.floor()
        })
        .collect();
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

const SCENARIO: &str = r#"
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

fn run_thermal_day(n: usize, cycling: bool) -> Vec<f64> {
    let scn = load_scenario(SCENARIO, "thermal-day", &[], &NoFiles).expect("valid");
    let mut sim = Sim::new(&scn, 0);
    let houses: Vec<HouseSpec> = (0..n).map(house).collect();
    sim.spawn_houses(&houses);
    let day = parse_date("2022-07-15").expect("date");
    let clock = sim.clock().clone();
    if cycling {
        sim.command_cycling(CyclingCommand {
            mask: SWITCH_BIT,
            start_utc_s: clock.utc_of_local(day, 16 * 60).expect("time"),
            end_utc_s: clock.utc_of_local(day, 21 * 60).expect("time"),
            off_fraction: 0.5,
            period_minutes: 30,
            groups: 2,
        });
    }
    sim.run_to_end();
    sim.metrics().steps.iter().map(|s| s.customers_load_mw * 1000.0).collect()
}

#[test]
fn thermal_model_reproduces_the_peer_csv_for_1000_houses() {
    let csv = include_str!("fixtures/thermal_day_1000.csv");
    let peer: Vec<f64> =
        csv.lines().skip(1).map(|l| l.split(',').nth(2).expect("3 columns").parse::<f64>().expect("number")).collect();
    assert_eq!(peer.len(), 288);
    let ours = run_thermal_day(1000, true);
    assert_eq!(ours.len(), 288);
    let mut worst: f64 = 0.0;
    for (t, (a, b)) in ours.iter().zip(&peer).enumerate() {
        let rel = (a - b).abs() / b.abs().max(1e-9);
        worst = worst.max(rel);
        assert!(rel <= 1e-6, "step {t}: drsim {a} kW vs peer {b} kW (relative {rel:e})");
    }
    eprintln!("worst relative difference {worst:e}");
    // Without the cycling event the same houses do not match the peer during 16:00-21:00.
    let free = run_thermal_day(1000, false);
    assert_eq!(&free[..192], &ours[..192]);
    let differs = (192..252).filter(|&t| (free[t] - peer[t]).abs() > 0.01 * peer[t]).count();
    assert!(differs > 50, "only {differs} event steps differ without cycling");
}
