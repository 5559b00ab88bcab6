//! Act-phase systems: each device class updates its state and its customer's meter.
//!
//! A customer's load components write `Meter::base_kw` (home base load, a facility, a pump); the
//! last system to touch a customer (the A/C when there is one) sets `Meter::kw` and adds the
//! weighted load to this step's sums, so no separate pass over all meters is needed. Sums are
//! [`ExactSum`]s, so they do not depend on iteration order, table layout or thread count.
//!
//! The hot loops run over contiguous component slices (one table at a time); with the `parallel`
//! feature (native builds) large tables are split into chunks processed on rayon's pool.

use super::ac::{AcControl, AirConditioner, steady_state_kw, thermostat};
use super::building::{Building, Factors, expected_kw};
use super::pump::{Pump, covers, run_probability, start_hour};
use crate::customers::{Meter, Segments, Weight};
use crate::fold::fold_chunks;
use crate::grid::rules::shape_at;
use crate::metrics::ExactSum;
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
    /// The customer's id (for its noise draws).
    pub id: u32,
    /// The customer's segment (for its load shape).
    pub segment: u16,
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

/// Weighted sums of this step's meters, filled by the Act systems.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadSums {
    /// Load by class (residential, commercial, industrial, agricultural), kW.
    pub by_class: [ExactSum; 4],
    /// Load expected without events or noise, kW.
    pub expected: ExactSum,
    /// Weight of customers with an A/C.
    pub ac_weight: ExactSum,
    /// Weighted indoor temperature of those customers, °C.
    pub ac_temp: ExactSum,
    /// Weight of running compressors.
    pub ac_running: ExactSum,
    /// Load by energy supplier (index as `Segments::suppliers`), kW.
    pub by_supplier: [ExactSum; crate::customers::MAX_SUPPLIERS],
}

impl LoadSums {
    fn merge(mut self, o: Self) -> Self {
        for (a, b) in self.by_class.iter_mut().zip(o.by_class) {
            a.merge(b);
        }
        self.expected.merge(o.expected);
        self.ac_weight.merge(o.ac_weight);
        self.ac_temp.merge(o.ac_temp);
        self.ac_running.merge(o.ac_running);
        for (a, b) in self.by_supplier.iter_mut().zip(o.by_supplier) {
            a.merge(b);
        }
        self
    }
}

/// A kernel's sums over one chunk, kept in registers (indexing an array in the loop would make
/// every addition wait on the previous one's store). They are plain f64 sums in the chunk's fixed
/// entity order, turned into exact sums once per chunk; chunk boundaries do not depend on the
/// thread count or the build, so neither do the results.
#[derive(Default)]
struct Acc {
    c0: f64,
    c1: f64,
    c2: f64,
    c3: f64,
    expected: f64,
    ac_weight: f64,
    ac_temp: f64,
    ac_running: f64,
    sup: [f64; crate::customers::MAX_SUPPLIERS],
}

impl Acc {
    #[inline(always)]
    fn close(&mut self, m: &Meter, w: f64) {
        let v = w * m.kw;
        match m.class {
            0 => self.c0 += v,
            1 => self.c1 += v,
            2 => self.c2 += v,
            _ => self.c3 += v,
        }
        self.expected += w * m.expected_kw;
        self.sup[usize::from(m.supplier) % crate::customers::MAX_SUPPLIERS] += v;
    }

    /// Writes a load that is not an A/C's to the meter, and closes the meter with it (adds it to
    /// the sums) unless the customer's A/C adds its own load later in the step.
    #[inline(always)]
    fn meter(&mut self, m: &mut Meter, kw: f64, expected_kw: f64, w: f64, close: bool) {
        m.base_kw = kw;
        m.expected_kw = expected_kw;
        if close {
            m.kw = kw;
            self.close(m, w);
        }
    }

    fn sums(self) -> LoadSums {
        let s = |v: f64| {
            let mut e = ExactSum::default();
            e.add(v);
            e
        };
        LoadSums {
            by_class: [s(self.c0), s(self.c1), s(self.c2), s(self.c3)],
            expected: s(self.expected),
            ac_weight: s(self.ac_weight),
            ac_temp: s(self.ac_temp),
            ac_running: s(self.ac_running),
            by_supplier: self.sup.map(s),
        }
    }
}

/// A unit-variance, zero-mean draw from a uniform (bounded, cheap: (u - 1/2) √12).
#[inline]
fn centred(u: f64) -> f64 {
    (u - 0.5) * 3.464_101_615_137_754_6
}

/// Entities per chunk: tables are processed (and summed) in chunks of this size, in parallel with
/// the `parallel` feature and one after the other without it.
const CHUNK: usize = 8192;

/// Runs `kernel` over matching slices, chunk by chunk: every table's chunks go into one list, run
/// as one parallel pass (one wake-up of the threads per system, not per table) when the tables
/// hold at least `PARALLEL_MIN` entities.
macro_rules! over_slices {
    ($q:expr, $sums:expr, |$a:ident, $b:ident, $c:ident| $kernel:expr) => {{
        match $q.contiguous_iter_mut() {
            Ok(it) => {
                let mut tables: Vec<_> = it.collect();
                let mut chunks = Vec::new();
                for (x, y, z) in &mut tables {
                    let xs = x.bypass_change_detection();
                    let ys = y.bypass_change_detection();
                    for ((a, b), c) in xs.chunks_mut(CHUNK).zip(ys.chunks_mut(CHUNK)).zip(z.chunks(CHUNK)) {
                        chunks.push((a, b, c));
                    }
                }
                let wide = chunks.iter().map(|c| c.2.len()).sum::<usize>() >= PARALLEL_MIN;
                let part = fold_chunks(
                    wide,
                    &mut chunks,
                    LoadSums::default,
                    |s, ($a, $b, $c)| *s = s.merge($kernel),
                    LoadSums::merge,
                );
                *$sums = $sums.merge(part);
            }
            Err(_) => unreachable!("every component uses table storage, so queries are dense"),
        }
    }};
}

/// Entities from which a system's chunks run on rayon's threads (below, waking them costs more
/// than it saves).
const PARALLEL_MIN: usize = 2 * CHUNK;

/// Decide: recomputes which cycling slots are blocked this step.
pub fn ac_control_system(clock: Res<'_, Clock>, mut control: ResMut<'_, AcControl>) {
    // Nothing to do when no command is in force and nothing is blocked (the common case).
    if control.commands.is_empty() && control.slot_mask.iter().all(|m| *m == 0) {
        return;
    }
    control.update(clock.now.utc_s, clock.now.minute_of_day);
}

/// Act (first): clears the step's sums.
pub fn reset_sums_system(mut sums: ResMut<'_, LoadSums>) {
    *sums = LoadSums::default();
}

fn base_kernel(
    bs: &mut [BaseLoad],
    ms: &mut [Meter],
    ws: &[Weight],
    shapes: &[f64],
    key: StreamKey,
    step: u64,
    close: bool,
) -> LoadSums {
    let mut s = Acc::default();
    for ((b, m), w) in bs.iter().zip(ms.iter_mut()).zip(ws) {
        let expected = b.mean_kw * shapes.get(usize::from(b.segment)).copied().unwrap_or(1.0);
        let kw = if b.noise_share > 0.0 {
            (expected * b.factor * (1.0 + b.noise_share * centred(key.uniform(u64::from(b.id), step)))).max(0.0)
        } else {
            expected * b.factor
        };
        s.meter(m, kw, expected, w.0, close);
    }
    s.sums()
}

/// Act: homes' non-A/C load.
pub fn base_load_system(
    clock: Res<'_, Clock>,
    segments: Res<'_, Segments>,
    key: Res<'_, NoiseKey>,
    mut sums: ResMut<'_, LoadSums>,
    mut alone: Query<'_, '_, (&mut BaseLoad, &mut Meter, &Weight), Without<AirConditioner>>,
    mut with_ac: Query<'_, '_, (&mut BaseLoad, &mut Meter, &Weight), With<AirConditioner>>,
) {
    let minute = clock.now.minute_of_day;
    let shapes: Vec<f64> = segments.list.iter().map(|s| shape_at(&s.base_shape, minute)).collect();
    let (key, step) = (key.load, clock.step);
    let sums = &mut *sums;
    over_slices!(alone, sums, |b, m, w| base_kernel(b, m, w, &shapes, key, step, true));
    over_slices!(with_ac, sums, |b, m, w| base_kernel(b, m, w, &shapes, key, step, false));
}

fn ac_kernel(
    acs: &mut [AirConditioner],
    ms: &mut [Meter],
    ws: &[Weight],
    tout: f64,
    slots: &[u16],
    coupled: bool,
) -> LoadSums {
    let mut s = Acc::default();
    for ((a, m), w) in acs.iter_mut().zip(ms.iter_mut()).zip(ws) {
        let sp = a.setpoint_c + f64::from(a.offset_c);
        a.on = thermostat(a.on, a.temp_c, sp, f64::from(a.half_deadband_c));
        let blocked = a.control_mask & !a.suspended_mask & slots[usize::from(a.cycle_slot)] != 0;
        let run = a.on && !blocked;
        a.running = run;
        let (kw, teq) = if run { (m.base_kw + a.elec_kw, tout + a.a_on_c) } else { (m.base_kw, tout + a.a_off_c) };
        m.kw = kw;
        a.temp_c = teq + (a.temp_c - teq) * a.decay;
        if coupled {
            m.expected_kw += steady_state_kw(a, tout);
        }
        s.close(m, w.0);
        s.ac_weight += w.0;
        s.ac_temp += w.0 * a.temp_c;
        s.ac_running += if run { w.0 } else { 0.0 };
    }
    s.sums()
}

/// Act (last): thermostats, cycling blocks and indoor temperatures of every A/C; closes the meter.
pub fn ac_system(
    weather: Res<'_, Weather>,
    control: Res<'_, AcControl>,
    coupling: Res<'_, Coupling>,
    mut sums: ResMut<'_, LoadSums>,
    mut q: Query<'_, '_, (&mut AirConditioner, &mut Meter, &Weight)>,
) {
    let (tout, slots, coupled) = (weather.temp_c, control.slot_mask.as_slice(), coupling.0);
    let sums = &mut *sums;
    over_slices!(q, sums, |a, m, w| ac_kernel(a, m, w, tout, slots, coupled));
}

fn building_kernel(
    bs: &mut [Building],
    ms: &mut [Meter],
    ws: &[Weight],
    key: StreamKey,
    step: u64,
    factors: &[Factors],
    close: bool,
) -> LoadSums {
    let mut s = Acc::default();
    for ((b, m), w) in bs.iter().zip(ms.iter_mut()).zip(ws) {
        let f = factors.get(usize::from(b.segment)).copied().unwrap_or_default();
        let expected = expected_kw(b, f);
        let noisy =
            f.noise * (f.occupancy * b.occupied_kw + b.process_kw) * centred(key.uniform(u64::from(b.id), step));
        let natural = (expected + noisy).max(0.0);
        // Price response scales the flexible part; shed and caps come from program events.
        let priced = natural + natural * b.flexible_share * (b.flex_factor - 1.0);
        let kw = ((priced - b.shed_kw).max(0.0).min(b.cap_kw) + b.extra_kw).max(0.0);
        s.meter(m, kw, expected, w.0, close);
    }
    s.sums()
}

/// Act: commercial and industrial facilities.
pub fn building_system(
    clock: Res<'_, Clock>,
    weather: Res<'_, Weather>,
    key: Res<'_, NoiseKey>,
    segments: Res<'_, Segments>,
    mut sums: ResMut<'_, LoadSums>,
    mut alone: Query<'_, '_, (&mut Building, &mut Meter, &Weight), Without<AirConditioner>>,
    mut with_ac: Query<'_, '_, (&mut Building, &mut Meter, &Weight), With<AirConditioner>>,
) {
    let factors = segments.building_factors(weather.temp_c, clock.now.hour_f64(), clock.now.day_type);
    let (step, key) = (clock.step, key.load);
    let sums = &mut *sums;
    over_slices!(alone, sums, |b, m, w| building_kernel(b, m, w, key, step, &factors, true));
    over_slices!(with_ac, sums, |b, m, w| building_kernel(b, m, w, key, step, &factors, false));
}

/// What the pump kernel needs to know of the step.
#[derive(Clone, Copy)]
struct PumpStep {
    day: i64,
    hour: f64,
    month_bit: u16,
    prev_month_bit: u16,
    coupled: bool,
    key: StreamKey,
}

fn pump_kernel(ps: &mut [Pump], ms: &mut [Meter], ws: &[Weight], st: PumpStep, close: bool) -> LoadSums {
    let PumpStep { day, hour, month_bit, prev_month_bit, coupled, key } = st;
    let mut s = Acc::default();
    for ((p, m), w) in ps.iter_mut().zip(ms.iter_mut()).zip(ws) {
        if p.starts_day != day {
            // The day's and the previous day's run starts, drawn once a day.
            let id = u64::from(p.id);
            let start = |d: u64| start_hour(p.night_share, key.uniform(id, 2 * d), key.uniform(id, 2 * d + 1));
            p.starts = (start(day as u64), start(day.wrapping_sub(1) as u64));
            p.starts_day = day;
        }
        let today = p.months_mask & month_bit != 0 && covers(p.starts.0, p.hours_per_day, hour, 0.0);
        let spill = p.months_mask & prev_month_bit != 0 && covers(p.starts.1, p.hours_per_day, hour, 24.0);
        let kw = if (today || spill) && !p.interrupted { p.kw } else { 0.0 };
        // The expected load only matters to the grid (and costs a few overlaps to compute).
        let expected = if coupled && p.months_mask & month_bit != 0 { p.kw * run_probability(p, hour) } else { 0.0 };
        s.meter(m, kw, expected, w.0, close);
    }
    s.sums()
}

/// Act: agricultural pumps.
pub fn pump_system(
    clock: Res<'_, Clock>,
    key: Res<'_, NoiseKey>,
    coupling: Res<'_, Coupling>,
    mut sums: ResMut<'_, LoadSums>,
    mut alone: Query<'_, '_, (&mut Pump, &mut Meter, &Weight), Without<AirConditioner>>,
    mut with_ac: Query<'_, '_, (&mut Pump, &mut Meter, &Weight), With<AirConditioner>>,
) {
    let now = clock.now;
    let month_bit = 1u16 << (now.date.month() - 1);
    let st = PumpStep {
        day: now.day,
        hour: now.hour_f64(),
        month_bit,
        prev_month_bit: now.date.yesterday().map_or(month_bit, |d| 1u16 << (d.month() - 1)),
        coupled: coupling.0,
        key: key.pumps,
    };
    let sums = &mut *sums;
    over_slices!(alone, sums, |p, m, w| pump_kernel(p, m, w, st, true));
    over_slices!(with_ac, sums, |p, m, w| pump_kernel(p, m, w, st, false));
}
