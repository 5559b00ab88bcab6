//! Act-phase systems: each device class updates its state and adds its load to the customer's meter.
//!
//! The first system of each archetype *sets* the meter (`BaseLoad` for homes, `Building` for
//! businesses, `Pump` for farms); later ones add to it.

use super::ac::{AcControl, AirConditioner, steady_state_kw, thermostat};
use super::building::{Building, expected_kw, occupancy};
use super::pump::{Pump, covers, run_probability, start_hour};
use crate::customers::{Customer, Meter, Segments};
use crate::grid::rules::shape_at;
use crate::rng::StreamKey;
use crate::time::Clock;
use crate::weather::Weather;
use bevy_ecs::prelude::*;

/// A home's non-A/C load.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct BaseLoad {
    /// Mean level, kW (times the segment's diurnal shape).
    pub mean_kw: f64,
    /// Step-to-step noise share.
    pub noise_share: f64,
    /// Price response multiplier (1 = none).
    pub factor: f64,
}

/// Whether the population's expected load is needed (the grid is modelled).
#[derive(Resource, Clone, Copy, Debug, Default)]
pub struct Coupling(pub bool);

/// Counter-based noise keys for per-agent, per-step draws.
#[derive(Resource, Clone, Copy, Debug)]
pub struct NoiseKey {
    /// Load noise.
    pub load: StreamKey,
    /// Pump schedules.
    pub pumps: StreamKey,
    /// Customer behaviour in events (opt-outs, overrides, participation).
    pub behaviour: StreamKey,
}

/// A unit-variance, zero-mean draw from a uniform (bounded, cheap: (u - 1/2) √12).
#[inline]
fn centred(u: f64) -> f64 {
    (u - 0.5) * 3.464_101_615_137_754_6
}

/// Decide: recomputes which cycling slots are blocked this step.
pub fn ac_control_system(clock: Res<'_, Clock>, mut control: ResMut<'_, AcControl>) {
    // Nothing to do when no command is in force and nothing is blocked (the common case).
    if control.commands.is_empty() && control.slot_mask.iter().all(|m| *m == 0) {
        return;
    }
    control.update(clock.now.utc_s, clock.now.minute_of_day);
}

/// Act: homes' non-A/C load (sets the meter).
pub fn base_load_system(
    clock: Res<'_, Clock>,
    segments: Res<'_, Segments>,
    key: Res<'_, NoiseKey>,
    mut q: Query<'_, '_, (&Customer, &BaseLoad, &mut Meter)>,
) {
    let minute = clock.now.minute_of_day;
    let shapes: Vec<f64> = segments.list.iter().map(|s| shape_at(&s.base_shape, minute)).collect();
    let step = clock.step;
    for (c, b, mut m) in &mut q {
        let expected = b.mean_kw * shapes.get(c.segment as usize).copied().unwrap_or(1.0);
        let kw = if b.noise_share > 0.0 {
            (expected * b.factor * (1.0 + b.noise_share * centred(key.load.uniform(u64::from(c.id), step)))).max(0.0)
        } else {
            expected * b.factor
        };
        let m = m.bypass_change_detection();
        m.kw = kw;
        m.expected_kw = expected;
    }
}

/// Act: thermostats, cycling blocks and indoor temperatures of every A/C (adds to the meter).
pub fn ac_system(
    weather: Res<'_, Weather>,
    control: Res<'_, AcControl>,
    coupling: Res<'_, Coupling>,
    mut q: Query<'_, '_, (&mut AirConditioner, &mut Meter)>,
) {
    let tout = weather.temp_c;
    let slots = &control.slot_mask;
    let coupled = coupling.0;
    for (mut ac, mut m) in &mut q {
        let a = ac.bypass_change_detection();
        let m = m.bypass_change_detection();
        let sp = a.setpoint_c + a.offset_c;
        a.on = thermostat(a.on, a.temp_c, sp, a.half_deadband_c);
        let blocked = a.control_mask & !a.suspended_mask & slots[a.cycle_slot as usize] != 0;
        let run = a.on && !blocked;
        a.running = run;
        let teq = if run {
            m.kw += a.elec_kw;
            tout + a.r_c_per_kw * (a.q_int_kw - a.pth_kw)
        } else {
            tout + a.r_c_per_kw * a.q_int_kw
        };
        a.temp_c = teq + (a.temp_c - teq) * a.decay;
        if coupled {
            m.expected_kw += steady_state_kw(a, tout);
        }
    }
}

/// Act: commercial and industrial facilities (sets the meter).
pub fn building_system(
    clock: Res<'_, Clock>,
    weather: Res<'_, Weather>,
    key: Res<'_, NoiseKey>,
    mut q: Query<'_, '_, (&Customer, &Building, &mut Meter)>,
) {
    let hour = clock.now.hour_f64();
    let dt = clock.now.day_type;
    let tout = weather.temp_c;
    let step = clock.step;
    for (c, b, mut m) in &mut q {
        let occ = occupancy(b, hour, dt);
        let expected = expected_kw(b, tout, hour, dt);
        let noisy =
            b.noise_share * (occ * b.occupied_kw + b.process_kw) * centred(key.load.uniform(u64::from(c.id), step));
        let natural = (expected + noisy).max(0.0);
        // Price response scales the flexible part; shed and caps come from program events.
        let priced = natural + natural * b.flexible_share * (b.flex_factor - 1.0);
        let m = m.bypass_change_detection();
        m.kw = ((priced - b.shed_kw).max(0.0).min(b.cap_kw) + b.extra_kw).max(0.0);
        m.expected_kw = expected;
    }
}

/// Act: agricultural pumps (sets the meter).
pub fn pump_system(
    clock: Res<'_, Clock>,
    key: Res<'_, NoiseKey>,
    mut q: Query<'_, '_, (&Customer, &Pump, &mut Meter)>,
) {
    let now = clock.now;
    let hour = now.hour_f64();
    let month_bit = 1u16 << (now.date.month() - 1);
    let prev_month_bit = now.date.yesterday().map_or(month_bit, |d| 1u16 << (d.month() - 1));
    let day = now.day as u64;
    for (c, p, mut m) in &mut q {
        let id = u64::from(c.id);
        let start = |d: u64| start_hour(p.night_share, key.pumps.uniform(id, 2 * d), key.pumps.uniform(id, 2 * d + 1));
        let today = p.months_mask & month_bit != 0 && covers(start(day), p.hours_per_day, hour, 0.0);
        let spill =
            p.months_mask & prev_month_bit != 0 && covers(start(day.wrapping_sub(1)), p.hours_per_day, hour, 24.0);
        let m = m.bypass_change_detection();
        m.kw = if (today || spill) && !p.interrupted { p.kw } else { 0.0 };
        m.expected_kw = if p.months_mask & month_bit != 0 { p.kw * run_probability(p, hour) } else { 0.0 };
    }
}
