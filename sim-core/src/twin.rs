//! The counterfactual twin (the same run with the same seed and no events) and the attribution
//! of each step's difference between the two worlds to programs.
//!
//! Both passes run over table slices in fixed chunks, on rayon's threads with the `parallel`
//! feature. Every sum is an [`ExactSum`], so the result does not depend on chunk order, thread
//! count or archetype order.

use crate::customers::{Customer, MAX_SUPPLIERS, Meter, Weight};
use crate::fold::fold_chunks;
use crate::grid::GridState;
use crate::metrics::{ExactSum, Metrics};
use crate::programs::{Enrolment, MAX_PROGRAMS, ProgramSet, ProgramState};
use crate::settlement::SettlementAcc;
use crate::time::Clock;
use bevy_ecs::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

type ActualQuery = QueryState<(&'static Customer, &'static Meter, &'static Weight, &'static Enrolment)>;
type TwinQuery = QueryState<(&'static Customer, &'static Meter)>;

/// Customers per chunk of the attribution passes.
const CHUNK: usize = 8192;

/// The counterfactual twin.
pub(crate) struct Twin {
    pub world: World,
    pub schedule: Schedule,
    actual: ActualQuery,
    twin: TwinQuery,
    /// The twin's meter readings this step (f64 bits), by customer id; NaN for customers the twin
    /// does not hold.
    cf_kw: Vec<AtomicU64>,
    /// True reduction while events are in force, by the customers' energy supplier, MWh.
    pub by_supplier: [ExactSum; MAX_SUPPLIERS],
    /// Step the twin beside the actual world on another thread (large runs only: for small ones
    /// waking a thread every step costs more than it saves).
    pub concurrent: bool,
}

impl Twin {
    pub fn new(actual: &mut World, mut world: World, schedule: Schedule, concurrent: bool) -> Self {
        Self {
            actual: QueryState::new(actual),
            twin: QueryState::new(&mut world),
            world,
            schedule,
            cf_kw: vec![],
            by_supplier: Default::default(),
            concurrent,
        }
    }
}

/// Runs two worlds' schedules for one step: at the same time on rayon's threads with the
/// `parallel` feature, one after the other without it. Each world is stepped by its own schedule
/// alone, so the results are the same either way.
#[cfg(feature = "parallel")]
pub(crate) fn run_pair(a: &mut Schedule, wa: &mut World, b: &mut Schedule, wb: &mut World) {
    rayon::join(|| a.run(wa), || b.run(wb));
}

#[cfg(not(feature = "parallel"))]
pub(crate) fn run_pair(a: &mut Schedule, wa: &mut World, b: &mut Schedule, wb: &mut World) {
    a.run(wa);
    b.run(wb);
}

/// One chunk's attributed differences.
struct Part {
    /// Reduction by program, MW.
    by_program: [ExactSum; MAX_PROGRAMS],
    /// Reduction of customers not responding to any program, MW.
    unattributed: ExactSum,
    /// All customers' reduction, MW.
    total: ExactSum,
    /// Reduction while their events are in force, by supplier, MWh.
    by_supplier: [ExactSum; MAX_SUPPLIERS],
    /// True reduction by portfolio (program × segments + segment), kWh.
    by_portfolio: Vec<ExactSum>,
}

impl Part {
    fn new(n_portfolios: usize) -> Self {
        Self {
            by_program: Default::default(),
            unattributed: ExactSum::default(),
            total: ExactSum::default(),
            by_supplier: Default::default(),
            by_portfolio: vec![ExactSum::default(); n_portfolios],
        }
    }

    fn merge(mut self, o: Self) -> Self {
        for (a, b) in self.by_program.iter_mut().zip(o.by_program) {
            a.merge(b);
        }
        self.unattributed.merge(o.unattributed);
        self.total.merge(o.total);
        for (a, b) in self.by_supplier.iter_mut().zip(o.by_supplier) {
            a.merge(b);
        }
        for (a, b) in self.by_portfolio.iter_mut().zip(o.by_portfolio) {
            a.merge(b);
        }
        self
    }
}

/// What the attribution of a chunk needs to know of the step.
#[derive(Clone, Copy)]
struct StepFacts {
    active: ProgramSet,
    dt: f64,
    n_seg: usize,
}

fn attribute_chunk(
    out: &mut Part,
    (cs, ms, ws, es): &(&[Customer], &[Meter], &[Weight], &[Enrolment]),
    cf_kw: &[AtomicU64],
    st: StepFacts,
) {
    let StepFacts { active, dt, n_seg } = st;
    for (((c, m), w), e) in cs.iter().zip(*ms).zip(*ws).zip(*es) {
        let cf = cf_kw.get(c.id as usize).map_or(f64::NAN, |x| f64::from_bits(x.load(Ordering::Relaxed)));
        let d = w.0 * (cf - m.kw) / 1000.0;
        if d == 0.0 || !d.is_finite() {
            continue;
        }
        out.total.add(d);
        if e.attribution.intersects(active) {
            out.by_supplier[usize::from(c.supplier) % MAX_SUPPLIERS].add(d * dt);
        }
        let programs = e.attribution;
        if programs.is_empty() {
            out.unattributed.add(d);
            continue;
        }
        let share = d / programs.len() as f64;
        for p in programs.iter() {
            if let Some(r) = out.by_program.get_mut(p) {
                r.add(share);
                if active.contains(p) && (c.segment as usize) < n_seg {
                    out.by_portfolio[p * n_seg + c.segment as usize].add(share * 1000.0 * dt);
                }
            }
        }
    }
}

/// Compares every customer's meter with its twin's and attributes the difference to the
/// programs the customer is responding to (or recovering from).
///
/// Readings are matched by customer id (not by iteration order, which differs between worlds).
pub(crate) fn attribute(world: &mut World, t: &mut Twin, agents: usize) {
    if t.cf_kw.len() < agents {
        t.cf_kw.resize_with(agents, || AtomicU64::new(f64::NAN.to_bits()));
    }
    // The twin's readings, by id (the twin holds the same customers every step).
    let mut twin_chunks: Vec<(&[Customer], &[Meter])> = match t.twin.contiguous_iter(&t.world) {
        Ok(tables) => tables.flat_map(|(cs, ms)| cs.chunks(CHUNK).zip(ms.chunks(CHUNK))).collect(),
        Err(_) => unreachable!("every component uses table storage, so queries are dense"),
    };
    let cf_kw = &t.cf_kw;
    fold_chunks(
        t.concurrent,
        &mut twin_chunks,
        || (),
        |(), (cs, ms)| {
            for (c, m) in cs.iter().zip(*ms) {
                if let Some(x) = cf_kw.get(c.id as usize) {
                    x.store(m.kw.to_bits(), Ordering::Relaxed);
                }
            }
        },
        |(), ()| (),
    );
    let st = StepFacts {
        active: world.resource::<ProgramState>().active,
        dt: world.resource::<Clock>().dt_hours(),
        n_seg: world.resource::<SettlementAcc>().n_segments,
    };
    let mut actual_chunks: Vec<_> = match t.actual.contiguous_iter(world) {
        Ok(tables) => tables
            .flat_map(|(cs, ms, ws, es)| {
                cs.chunks(CHUNK)
                    .zip(ms.chunks(CHUNK))
                    .zip(ws.chunks(CHUNK))
                    .zip(es.chunks(CHUNK))
                    .map(|(((c, m), w), e)| (c, m, w, e))
            })
            .collect(),
        Err(_) => unreachable!("every component uses table storage, so queries are dense"),
    };
    let n_portfolios = MAX_PROGRAMS * st.n_seg;
    let part = fold_chunks(
        t.concurrent,
        &mut actual_chunks,
        || Part::new(n_portfolios),
        |out, chunk| attribute_chunk(out, chunk, cf_kw, st),
        Part::merge,
    );
    for (a, b) in t.by_supplier.iter_mut().zip(part.by_supplier) {
        a.merge(b);
    }
    let mut acc = world.resource_mut::<SettlementAcc>();
    for (port, kwh) in acc.portfolios.iter_mut().zip(&part.by_portfolio) {
        port.true_reduction_kwh.add(kwh.value());
    }
    // Customers outside programs are identical in both worlds, so the twin's system load is the
    // run's plus the enrolled customers' differences.
    let cf_load = world.get_resource::<GridState>().map_or(f64::NAN, |g| g.system_load_mw + part.total.value());
    let mut metrics = world.resource_mut::<Metrics>();
    if let Some(last) = metrics.steps.last_mut() {
        last.program_reduction_mw = part.by_program.map(ExactSum::value);
        last.unattributed_reduction_mw = part.unattributed.value();
        last.counterfactual_system_load_mw = cf_load;
    }
}
