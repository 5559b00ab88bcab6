//! Act-phase systems: each device class updates its state and its customer's meter.
//!
//! Every customer is metered by exactly one kernel, in one pass: a home's base load, a facility's
//! or a pump's load alone, or together with the customer's A/C (the A/C's draw adds to the other
//! load). The kernel writes `Meter::kw` and adds the weighted load, and the load expected without
//! events, to this step's sums, so no separate pass over all meters is needed. Sums are
//! [`ExactSum`]s, so they do not depend on iteration order, table layout or thread count.
//!
//! The hot loops run over contiguous component slices (one table at a time); with the `parallel`
//! feature (native builds) large tables are split into chunks processed on rayon's pool.

use super::ac::{AcControl, AcSetpoint, AcState, AirConditioner, steady_state_kw, thermostat};
use super::building::{Building, FacilityControls, Factors, expected_kw, factors as building_factors, segment_factors};
use super::pump::{Pump, covers, run_probability, start_hour};
use crate::customers::{Meter, Segments, Weight};
use crate::fold::fold_chunks;
use crate::grid::rules::{OutageBlock, shape_at};
use crate::metrics::ExactSum;
use crate::rng::{AgentStream, StreamKey};
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
    /// The customer's load-noise stream (drawn once a step).
    pub noise: AgentStream,
    /// The customer's segment (for its load shape).
    pub segment: u16,
}

/// Whether the population's expected load is needed (the grid is modelled).
#[derive(Resource, Clone, Copy, Debug, Default)]
pub struct Coupling(pub bool);

/// Counter-based noise keys for per-agent, per-step draws. (Load noise is drawn from each
/// customer's own stream, kept in its `BaseLoad` or `Building`: see [`crate::rng::LOAD_NOISE`].)
#[derive(Resource, Clone, Copy, Debug)]
pub struct NoiseKey {
    /// Pump schedules.
    pub pumps: StreamKey,
    /// Thermostat overrides during an event, per program: counter (customer, UTC second).
    pub overrides: [StreamKey; crate::programs::MAX_PROGRAMS],
    /// The yes/no choice a customer makes when an event starts (opt out, participate, comply):
    /// counter (customer, event).
    pub event_choice: StreamKey,
    /// The share a customer delivers in an event (voluntary share, nomination performance):
    /// counter (customer, event).
    pub event_share: StreamKey,
}

impl NoiseKey {
    /// The keys of a run with generator `rng` and programs `ids` (in index order).
    pub fn new(rng: &crate::rng::SimRng, ids: &[String]) -> Self {
        let behaviour = rng.stream("behaviour");
        let overrides = behaviour.derive("thermostat-override");
        Self {
            pumps: rng.stream("pumps"),
            overrides: std::array::from_fn(|p| overrides.derive(ids.get(p).map_or("", String::as_str))),
            event_choice: behaviour.derive("event-choice"),
            event_share: behaviour.derive("event-share"),
        }
    }
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
    /// Weight of customers out of power (rotating outages).
    pub out_weight: ExactSum,
    /// Weight of customers whose outage began this step.
    pub newly_out_weight: ExactSum,
    /// Load the customers out of power would have drawn without events or noise, kW.
    pub out_expected: ExactSum,
}

/// Who is out of power in rotating outages this step and who was the step before (a resource,
/// set by the grid when it sheds load).
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Outage {
    /// Customers out this step.
    pub now: OutageBlock,
    /// Customers out the step before.
    pub before: OutageBlock,
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
        self.out_weight.merge(o.out_weight);
        self.newly_out_weight.merge(o.newly_out_weight);
        self.out_expected.merge(o.out_expected);
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
    out_weight: f64,
    newly_out_weight: f64,
    out_expected: f64,
}

impl Acc {
    /// Adds a customer's load (`m.kw`) and expected load to the sums.
    #[inline(always)]
    fn close(&mut self, m: &Meter, expected_kw: f64, w: f64) {
        let v = w * m.kw;
        match m.class {
            0 => self.c0 += v,
            1 => self.c1 += v,
            2 => self.c2 += v,
            _ => self.c3 += v,
        }
        self.expected += w * expected_kw;
        self.sup[usize::from(m.supplier) % crate::customers::MAX_SUPPLIERS] += v;
    }

    /// Whether the customer metered by `m` is out of power this step (never, unless `OUT`: the
    /// kernels are built twice, and the build without outages runs whenever no one is out). An
    /// out customer's expected load goes into the outage sums.
    #[inline(always)]
    fn out<const OUT: bool>(&mut self, m: &Meter, expected_kw: f64, w: f64, o: &Outage) -> bool {
        if !OUT || !o.now.contains(m.feeder) {
            return false;
        }
        self.out_weight += w;
        self.out_expected += w * expected_kw;
        if !o.before.contains(m.feeder) {
            self.newly_out_weight += w;
        }
        true
    }

    /// Writes a customer's load to the meter and adds it to the sums.
    #[inline(always)]
    fn meter(&mut self, m: &mut Meter, kw: f64, expected_kw: f64, w: f64) {
        m.kw = kw;
        self.close(m, expected_kw, w);
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
            out_weight: s(self.out_weight),
            newly_out_weight: s(self.newly_out_weight),
            out_expected: s(self.out_expected),
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
/// hold at least `PARALLEL_MIN` entities. Chunks never cross tables and start at multiples of
/// `CHUNK` in each table, whatever the thread count.
///
/// Each query item is named with how it is read: `mut x` (`&mut T`: a `&mut [T]` chunk, without
/// change detection) or `ref x` (`&T`: a `&[T]` chunk).
macro_rules! over_slices {
    ($q:expr, $sums:expr, |$k0:ident $n0:ident $(, $k:ident $n:ident)*| $kernel:expr) => {{
        let mut chunks = Vec::new();
        let mut total = 0;
        for ($n0, $($n,)*) in dense($q.contiguous_iter_mut()) {
            total += $n0.len();
            let mut $n0 = chunks_of!($k0 $n0);
            $(let mut $n = chunks_of!($k $n);)*
            while let (Some($n0), $(Some($n),)*) = ($n0.next(), $($n.next(),)*) {
                chunks.push(($n0, $($n,)*));
            }
        }
        fold_into($sums, &mut chunks, total >= PARALLEL_MIN, |($n0, $($n,)*)| $kernel);
    }};
}

/// Runs `body` with the const `OUT` false when no one is out of power this step (the common
/// case, with no outage test in the loops), true otherwise.
macro_rules! with_outage {
    ($st:expr, |$out:ident| $body:expr) => {
        if $st.outage.now.is_empty() {
            const $out: bool = false;
            $body
        } else {
            const $out: bool = true;
            $body
        }
    };
}

/// A table's column as `CHUNK`-sized slices (see [`over_slices`]).
macro_rules! chunks_of {
    (mut $x:ident) => {
        bevy_ecs::change_detection::ContiguousMut::bypass_change_detection_split($x).0.chunks_mut(CHUNK)
    };
    (ref $x:ident) => {
        $x.chunks(CHUNK)
    };
}

/// A query's tables as slices (every component uses table storage, so queries are dense).
fn dense<T, E>(it: Result<T, E>) -> T {
    match it {
        Ok(it) => it,
        Err(_) => unreachable!("every component uses table storage, so queries are dense"),
    }
}

/// Runs `kernel` over every chunk (on rayon's threads when `wide`) and adds the chunks' sums to
/// `sums`.
fn fold_into<T: Send>(
    sums: &mut LoadSums,
    chunks: &mut [T],
    wide: bool,
    kernel: impl Fn(&mut T) -> LoadSums + Sync + Send,
) {
    let part = fold_chunks(wide, chunks, LoadSums::default, |s, c| *s = s.merge(kernel(c)), LoadSums::merge);
    *sums = sums.merge(part);
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

/// Each segment's load shapes at this step (a resource, updated once a step after the weather):
/// home base-load shape factors and facility factors, read by the Act systems and by customers'
/// responses.
#[derive(Resource, Clone, Debug, Default)]
pub struct LoadShapes {
    /// Home base-load shape factor by segment.
    pub base: Vec<f64>,
    /// Facility factors by segment (default factors for segments without facilities).
    pub factors: Vec<Factors>,
}

/// Observe (after the weather): this step's load shapes of every segment.
pub fn load_shapes_system(
    clock: Res<'_, Clock>,
    weather: Res<'_, Weather>,
    segments: Res<'_, Segments>,
    mut shapes: ResMut<'_, LoadShapes>,
) {
    let now = clock.now;
    let LoadShapes { base, factors } = &mut *shapes;
    base.clear();
    base.extend(segments.list.iter().map(|s| shape_at(&s.base_shape, now.minute_of_day)));
    factors.clear();
    factors.extend(segments.list.iter().map(|s| {
        s.building
            .as_ref()
            .map(|b| building_factors(b, weather.temp_c, now.hour_f64(), now.day_type))
            .unwrap_or_default()
    }));
}

/// Act (first): clears the step's sums.
pub fn reset_sums_system(mut sums: ResMut<'_, LoadSums>) {
    *sums = LoadSums::default();
}

/// What a step's load kernels need to know beyond the components.
#[derive(Clone, Copy)]
struct ActStep<'a> {
    shapes: &'a LoadShapes,
    step: u64,
    tout: f64,
    slots: &'a [u16],
    coupled: bool,
    pumps: PumpStep,
    outage: &'a Outage,
}

/// What the pumps need to know of the step.
#[derive(Clone, Copy)]
struct PumpStep {
    day: i64,
    hour: f64,
    month_bit: u16,
    prev_month_bit: u16,
    key: StreamKey,
}

/// A home's non-A/C load and the load expected without noise, kW.
#[inline(always)]
fn home_base_kw(b: &BaseLoad, st: &ActStep<'_>) -> (f64, f64) {
    let expected = b.mean_kw * st.shapes.base.get(usize::from(b.segment)).copied().unwrap_or(1.0);
    let kw = if b.noise_share > 0.0 {
        (expected * b.factor * (1.0 + b.noise_share * centred(b.noise.uniform(st.step)))).max(0.0)
    } else {
        expected * b.factor
    };
    (kw, expected)
}

/// A facility's load (without its own A/C) and the load expected without noise or events, kW.
/// `ctl` is only read while programs control the facility.
#[inline(always)]
fn facility_kw(b: &Building, ctl: &FacilityControls, st: &ActStep<'_>) -> (f64, f64) {
    let f = segment_factors(&st.shapes.factors, b);
    let expected = expected_kw(b, f);
    let noisy = f.noise * (f.occupancy * b.occupied_kw + b.process_kw) * centred(b.noise.uniform(st.step));
    let natural = (expected + noisy).max(0.0);
    // Without controls the load is the natural load, exactly (see `FacilityControls::load_kw`).
    let kw = if b.controlled { ctl.load_kw(b, natural) } else { natural };
    (kw, expected)
}

/// 1 when `b` holds, else 0. Multiplying by it picks a value without a branch, for conditions that
/// change from one customer to the next in no order the branch predictor could follow (whether a
/// compressor runs, whether a pump is in its run block), where branches are mispredicted often.
#[inline(always)]
fn one_if(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// A pump's load and its expected load (the chance it runs now times its rating; computed only
/// when the grid needs it), kW.
#[inline(always)]
fn pump_load_kw(p: &mut Pump, st: &ActStep<'_>) -> (f64, f64) {
    let PumpStep { day, hour, month_bit, prev_month_bit, key } = st.pumps;
    if p.starts_day != day {
        // The day's and the previous day's run starts, drawn once a day.
        let id = u64::from(p.id);
        let start = |d: u64| start_hour(p.night_share, key.uniform(id, 2 * d), key.uniform(id, 2 * d + 1));
        p.starts = (start(day as u64), start(day.wrapping_sub(1) as u64));
        p.starts_day = day;
    }
    // Bit operations and a product, not branches (see `one_if`).
    let today = (p.months_mask & month_bit != 0) & covers(p.starts.0, p.hours_per_day, hour, 0.0);
    let spill = (p.months_mask & prev_month_bit != 0) & covers(p.starts.1, p.hours_per_day, hour, 24.0);
    let kw = p.kw * one_if((today | spill) & !p.interrupted);
    let expected = if st.coupled && p.months_mask & month_bit != 0 { p.kw * run_probability(p, hour) } else { 0.0 };
    (kw, expected)
}

/// One A/C's step: thermostat, cycling block, indoor temperature. Meters the customer's load (the
/// unit's draw on top of `other_kw`, the customer's other load) and adds it to the sums, with
/// `other_expected_kw` plus the unit's expected draw (`sp`, the setpoint, is only read for that,
/// when the grid needs it).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn ac_step<const OUT: bool>(
    s: &mut Acc,
    a: &AirConditioner,
    x: &mut AcState,
    sp: &AcSetpoint,
    m: &mut Meter,
    w: f64,
    (other_kw, other_expected_kw): (f64, f64),
    st: &ActStep<'_>,
) {
    x.on = thermostat(x.on, x.temp_c, a.on_above_c, a.off_below_c);
    let expected =
        if st.coupled { other_expected_kw + steady_state_kw(a, sp.setpoint_c, st.tout) } else { other_expected_kw };
    // Out of power, the unit stops and the home warms; its thermostat still calls, so the unit
    // starts as soon as power returns (cold load pick-up).
    let out = s.out::<OUT>(m, expected, w, st.outage);
    let blocked = a.control_mask & !a.suspended_mask & st.slots[usize::from(a.cycle_slot)] != 0;
    let run = x.on & !blocked & !out;
    x.running = run;
    // Arithmetic and indexing, not branches (see `one_if`).
    let on = one_if(run);
    let kw = if out { 0.0 } else { other_kw + a.elec_kw * on };
    x.temp_c = a.next_temp_c(x.temp_c, st.tout, run);
    s.meter(m, kw, expected, w);
    s.ac_weight += w;
    s.ac_temp += w * x.temp_c;
    s.ac_running += w * on;
}

// The kernels below are written out as plain loops over zipped slices (by macro where the shape
// repeats). One generic kernel over an iterator of each customer's other load (`.map()` over the
// device slices) gave the same results but ran 11% slower on the 10k summer and 19% slower on
// thermal-day (measured side by side): the zipped adapters lose the slice iterators' fast paths.

/// A kernel over customers with one kind of load: `load` gives (kW, expected kW) per customer.
macro_rules! load_kernel {
    ($name:ident, $dev:ty, $iter:ident, $load:expr) => {
        fn $name<const OUT: bool>(ds: $dev, ms: &mut [Meter], ws: &[Weight], st: &ActStep<'_>) -> LoadSums {
            let mut s = Acc::default();
            for ((d, m), w) in ds.$iter().zip(ms.iter_mut()).zip(ws) {
                let (kw, expected) = $load(d, st);
                let kw = if s.out::<OUT>(m, expected, w.0, st.outage) { 0.0 } else { kw };
                s.meter(m, kw, expected, w.0);
            }
            s.sums()
        }
    };
}

/// A kernel over customers whose A/C adds to another load: `load` gives that load per customer.
macro_rules! with_ac_kernel {
    ($name:ident, $dev:ty, $iter:ident, $load:expr) => {
        fn $name<const OUT: bool>(
            ds: $dev,
            acs: &[AirConditioner],
            xs: &mut [AcState],
            sps: &[AcSetpoint],
            ms: &mut [Meter],
            ws: &[Weight],
            st: &ActStep<'_>,
        ) -> LoadSums {
            let mut s = Acc::default();
            let it = ds.$iter().zip(acs).zip(xs.iter_mut()).zip(sps).zip(ms.iter_mut()).zip(ws);
            for (((((d, a), x), sp), m), w) in it {
                let other = $load(d, st);
                ac_step::<OUT>(&mut s, a, x, sp, m, w.0, other, st);
            }
            s.sums()
        }
    };
}

load_kernel!(base_kernel, &[BaseLoad], iter, home_base_kw);
load_kernel!(pump_kernel, &mut [Pump], iter_mut, pump_load_kw);
with_ac_kernel!(home_ac_kernel, &[BaseLoad], iter, home_base_kw);
with_ac_kernel!(pump_ac_kernel, &mut [Pump], iter_mut, pump_load_kw);

fn building_kernel<const OUT: bool>(
    bs: &[Building],
    cs: &[FacilityControls],
    ms: &mut [Meter],
    ws: &[Weight],
    st: &ActStep<'_>,
) -> LoadSums {
    let mut s = Acc::default();
    for (((b, c), m), w) in bs.iter().zip(cs).zip(ms.iter_mut()).zip(ws) {
        let (kw, expected) = facility_kw(b, c, st);
        let kw = if s.out::<OUT>(m, expected, w.0, st.outage) { 0.0 } else { kw };
        s.meter(m, kw, expected, w.0);
    }
    s.sums()
}

/// Facilities with their own A/C in one pass: the facility's load, then the A/C.
#[allow(clippy::too_many_arguments)]
fn facility_ac_kernel<const OUT: bool>(
    bs: &[Building],
    cs: &[FacilityControls],
    acs: &[AirConditioner],
    xs: &mut [AcState],
    sps: &[AcSetpoint],
    ms: &mut [Meter],
    ws: &[Weight],
    st: &ActStep<'_>,
) -> LoadSums {
    let mut s = Acc::default();
    let it = bs.iter().zip(cs).zip(acs).zip(xs.iter_mut()).zip(sps).zip(ms.iter_mut()).zip(ws);
    for ((((((b, c), a), x), sp), m), w) in it {
        ac_step::<OUT>(&mut s, a, x, sp, m, w.0, facility_kw(b, c, st), st);
    }
    s.sums()
}

/// A/Cs that are the customer's only load.
fn ac_kernel<const OUT: bool>(
    acs: &[AirConditioner],
    xs: &mut [AcState],
    sps: &[AcSetpoint],
    ms: &mut [Meter],
    ws: &[Weight],
    st: &ActStep<'_>,
) -> LoadSums {
    let mut s = Acc::default();
    for ((((a, x), sp), m), w) in acs.iter().zip(xs.iter_mut()).zip(sps).zip(ms.iter_mut()).zip(ws) {
        ac_step::<OUT>(&mut s, a, x, sp, m, w.0, (0.0, 0.0), st);
    }
    s.sums()
}

/// The resources every load kernel reads.
#[derive(bevy_ecs::system::SystemParam)]
pub struct ActInputs<'w> {
    clock: Res<'w, Clock>,
    key: Res<'w, NoiseKey>,
    shapes: Res<'w, LoadShapes>,
    weather: Res<'w, Weather>,
    control: Res<'w, AcControl>,
    coupling: Res<'w, Coupling>,
    outage: Res<'w, Outage>,
}

impl ActInputs<'_> {
    /// The step's inputs to the load kernels.
    fn step(&self) -> ActStep<'_> {
        let now = self.clock.now;
        let month_bit = 1u16 << (now.date.month() - 1);
        ActStep {
            shapes: &self.shapes,
            step: self.clock.step,
            tout: self.weather.temp_c,
            slots: self.control.slot_mask.as_slice(),
            coupled: self.coupling.0,
            outage: &self.outage,
            pumps: PumpStep {
                day: now.day,
                hour: now.hour_f64(),
                month_bit,
                prev_month_bit: now.date.yesterday().map_or(month_bit, |d| 1u16 << (d.month() - 1)),
                key: self.key.pumps,
            },
        }
    }
}

/// Act: homes' base load, for homes without an A/C (homes with one are metered with it).
pub fn base_load_system(
    inputs: ActInputs<'_>,
    mut sums: ResMut<'_, LoadSums>,
    mut q: Query<'_, '_, (&BaseLoad, &mut Meter, &Weight), Without<AirConditioner>>,
) {
    let st = inputs.step();
    let sums = &mut *sums;
    with_outage!(st, |OUT| over_slices!(q, sums, |ref b, mut m, ref w| base_kernel::<OUT>(b, m, w, &st)));
}

/// Act: commercial and industrial facilities without their own A/C.
pub fn building_system(
    inputs: ActInputs<'_>,
    mut sums: ResMut<'_, LoadSums>,
    mut q: Query<'_, '_, (&Building, &FacilityControls, &mut Meter, &Weight), Without<AirConditioner>>,
) {
    let st = inputs.step();
    let sums = &mut *sums;
    with_outage!(st, |OUT| over_slices!(q, sums, |ref b, ref c, mut m, ref w| building_kernel::<OUT>(b, c, m, w, &st)));
}

/// Act: agricultural pumps without an A/C.
pub fn pump_system(
    inputs: ActInputs<'_>,
    mut sums: ResMut<'_, LoadSums>,
    mut q: Query<'_, '_, (&mut Pump, &mut Meter, &Weight), Without<AirConditioner>>,
) {
    let st = inputs.step();
    let sums = &mut *sums;
    with_outage!(st, |OUT| over_slices!(q, sums, |mut p, mut m, ref w| pump_kernel::<OUT>(p, m, w, &st)));
}

/// A facility with its own A/C.
type FacilityAc = (
    &'static Building,
    &'static FacilityControls,
    &'static AirConditioner,
    &'static mut AcState,
    &'static AcSetpoint,
    &'static mut Meter,
    &'static Weight,
);

/// A home with an A/C.
type HomeAc = (
    &'static BaseLoad,
    &'static AirConditioner,
    &'static mut AcState,
    &'static AcSetpoint,
    &'static mut Meter,
    &'static Weight,
);

/// A pump and an A/C on one meter.
type PumpAc = (
    &'static mut Pump,
    &'static AirConditioner,
    &'static mut AcState,
    &'static AcSetpoint,
    &'static mut Meter,
    &'static Weight,
);

/// An A/C and what it needs besides the customer's other load.
type AcMeter =
    (&'static AirConditioner, &'static mut AcState, &'static AcSetpoint, &'static mut Meter, &'static Weight);

/// Customers with no load but their A/C's.
type NoOtherLoad = (Without<BaseLoad>, Without<Building>, Without<Pump>);

/// Act: every A/C's thermostat, cycling block and indoor temperature, metered with the customer's
/// other load (a home's base load, a facility's or a pump's), computed in the same pass.
pub fn ac_system(
    inputs: ActInputs<'_>,
    mut sums: ResMut<'_, LoadSums>,
    mut homes: Query<'_, '_, HomeAc>,
    mut facilities: Query<'_, '_, FacilityAc, Without<BaseLoad>>,
    mut pumps: Query<'_, '_, PumpAc, (Without<BaseLoad>, Without<Building>)>,
    mut alone: Query<'_, '_, AcMeter, NoOtherLoad>,
) {
    let st = inputs.step();
    let sums = &mut *sums;
    with_outage!(st, |OUT| {
        over_slices!(homes, sums, |ref b, ref a, mut x, ref sp, mut m, ref w| {
            home_ac_kernel::<OUT>(b, a, x, sp, m, w, &st)
        });
        over_slices!(facilities, sums, |ref b, ref c, ref a, mut x, ref sp, mut m, ref w| {
            facility_ac_kernel::<OUT>(b, c, a, x, sp, m, w, &st)
        });
        over_slices!(pumps, sums, |mut p, ref a, mut x, ref sp, mut m, ref w| {
            pump_ac_kernel::<OUT>(p, a, x, sp, m, w, &st)
        });
        over_slices!(alone, sums, |ref a, mut x, ref sp, mut m, ref w| ac_kernel::<OUT>(a, x, sp, m, w, &st));
    });
}
