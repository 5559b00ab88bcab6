//! What settlement needs, gathered while the run steps: each program's portfolio (its enrolled
//! customers in one segment) hour by hour, and the quantities money rules are applied to.

use crate::customers::{Customer, Meter, Segments, Weight};
use crate::devices::{AcRating, AcSetpoint, AcState, Pump};
use crate::fold::fold_chunks;
use crate::metrics::ExactSum;
use crate::programs::ProgramSet;
use crate::programs::book::Response;
use crate::programs::rules::{ready_utc, rtp_schedule};
use crate::programs::{Enrolment, MAX_PROGRAMS, ProgramState};
use crate::time::Clock;
use crate::weather::Weather;
use bevy_ecs::prelude::*;

/// Tons of refrigeration per kW thermal.
const TONS_PER_KW: f64 = 1.0 / 3.516_852_842;

/// One program's enrolled customers in one segment.
#[derive(Clone, Debug, Default)]
pub struct Portfolio {
    /// Energy used, kWh, by day (from the accumulator's first day) and hour.
    pub hourly_kwh: Vec<[ExactSum; 24]>,
    /// Energy used while the program's events were in force, kWh.
    pub event_kwh: ExactSum,
    /// Energy used above the Firm Service Level in events, kWh.
    pub excess_kwh: ExactSum,
    /// Energy used 16:00-21:00 in the program's credit months, kWh.
    pub peak_kwh: ExactSum,
    /// Bill at the program's hourly prices, $.
    pub price_bill_usd: ExactSum,
    /// Bill at the flat average price, $.
    pub flat_bill_usd: ExactSum,
    /// True reduction while the program's events were in force (attributed, twin minus actual), kWh.
    pub true_reduction_kwh: ExactSum,
    /// Degree-hours above the thermostat setpoint of the customers' homes, °C·h (weighted).
    pub degree_hours: ExactSum,
    /// Real customers in the portfolio.
    pub customers: f64,
    /// Agents in the portfolio.
    pub agents: u64,
    /// Monthly nominations, kW (weighted sum).
    pub nomination_kw: f64,
    /// Load committed to be shed (max demand minus FSL), times the option factor, kW.
    pub committed_kw: f64,
    /// Interruptible pump load, kW.
    pub pump_kw: f64,
    /// Seasonal plan credits, $ (weighted sum of each customer's credit).
    pub plan_credits_usd: f64,
}

/// Portfolios of every (program, segment) pair, and the first day their hourly data covers.
#[derive(Resource, Clone, Debug, Default)]
pub struct SettlementAcc {
    /// Segments per program.
    pub n_segments: usize,
    /// Day number of `hourly_kwh[0]`.
    pub first_day: i64,
    /// Portfolios, index program × n_segments + segment.
    pub portfolios: Vec<Portfolio>,
    /// Keep only the degree-hours (the counterfactual twin's accumulator: the twin's comfort is
    /// compared with the run's, its energy is never settled).
    pub comfort_only: bool,
}

impl SettlementAcc {
    /// The portfolio of a program and segment.
    pub fn get(&self, program: usize, segment: usize) -> Option<&Portfolio> {
        self.portfolios.get(program * self.n_segments + segment)
    }
}

/// Builds the portfolios of a world after enrolment: who is in them and their payment bases.
pub fn init_settlement(world: &mut World, first_day: i64, days: usize) -> SettlementAcc {
    let n_seg = world.resource::<Segments>().list.len();
    let ps = world.resource::<ProgramState>().clone();
    let n_prog = ps.ids.len().min(MAX_PROGRAMS);
    let mut acc = SettlementAcc {
        n_segments: n_seg,
        first_day,
        portfolios: vec![
            Portfolio { hourly_kwh: vec![[ExactSum::default(); 24]; days], ..Default::default() };
            n_prog * n_seg
        ],
        comfort_only: false,
    };
    let mut q = world.query::<(&Customer, &Weight, &Enrolment, Option<&AcRating>, Option<&Pump>)>();
    for (c, w, e, ac, pump) in q.iter(world) {
        let s = c.segment as usize;
        if s >= n_seg {
            continue;
        }
        for p in e.enrolled.iter().take_while(|p| *p < n_prog) {
            let spec = &ps.specs[p];
            let port = &mut acc.portfolios[p * n_seg + s];
            port.customers += w.0;
            port.agents += 1;
            port.nomination_kw += w.0 * e.nomination_kw;
            if let Response::FirmServiceLevel { options_minutes, .. } = &spec.response {
                let k = options_minutes.iter().position(|m| u32::from(e.option_minutes) == *m).unwrap_or(0);
                let f = spec.money.option_factors.as_ref().and_then(|f| f.get(k)).copied().unwrap_or(1.0);
                port.committed_kw += w.0 * (c.max_demand_kw - e.fsl_kw).max(0.0) * f;
            }
            port.pump_kw += w.0 * pump.map_or(0.0, |p| p.kw);
            if let (Response::AcCycling { plans, .. }, Some(credits)) = (&spec.response, &spec.money.plan_credit_usd) {
                let k = usize::from(e.plan);
                let plan_credit = credits.get(k).copied().unwrap_or(0.0);
                let off = plans.get(k).map_or(1.0, |pl| pl.off_fraction);
                let tons = ac.map_or(0.0, |a| a.pth_kw * TONS_PER_KW);
                port.plan_credits_usd +=
                    w.0 * super::money::sdp_credit(plan_credit, spec.money.credit_usd_per_ton, tons, off);
            }
        }
    }
    acc
}

/// What a portfolio sum needs to know of the book and the step.
#[derive(Clone, Copy)]
struct PortfolioShape {
    n_seg: usize,
    n_prog: usize,
    dt: f64,
    /// Sum energy (false: degree-hours only).
    energy: bool,
}

/// Adds one slice of enrolled customers' energy and degree-hours (fixed point) to their
/// portfolios' sums: `out[program * n_seg + segment] += (kWh, °C·h, 0)`.
fn portfolio_kernel(
    ms: &[Meter],
    ws: &[Weight],
    acs: Option<(&[AcState], &[AcSetpoint])>,
    shape: PortfolioShape,
    out: &mut [(i64, i64, i64)],
) {
    let PortfolioShape { n_seg, n_prog, dt, energy } = shape;
    for (i, (m, w)) in ms.iter().zip(ws).enumerate() {
        let s = usize::from(m.segment);
        if s >= n_seg {
            continue;
        }
        let kwh = if energy { ExactSum::fixed(w.0 * m.kw * dt) } else { 0 };
        let dh = acs.map_or(0, |(a, sp)| ExactSum::fixed(w.0 * (a[i].temp_c - sp[i].setpoint_c).max(0.0) * dt));
        for p in m.programs.iter().take_while(|p| *p < n_prog) {
            let slot = &mut out[p * n_seg + s];
            slot.0 += kwh;
            slot.1 += dh;
        }
    }
}

/// Customers per chunk of the portfolio sums.
const SETTLE_CHUNK: usize = 8192;

/// One chunk of a table's slices: meters, weights and the A/Cs (with their thermostats' settings)
/// where the table has them.
type SettleChunk<'a> = (&'a [Meter], &'a [Weight], Option<(&'a [AcState], &'a [AcSetpoint])>);

/// Adds two chunks' portfolio sums.
fn add_sums(mut a: Vec<(i64, i64, i64)>, b: Vec<(i64, i64, i64)>) -> Vec<(i64, i64, i64)> {
    for (x, y) in a.iter_mut().zip(b) {
        x.0 += y.0;
        x.1 += y.1;
        x.2 += y.2;
    }
    a
}

/// What the portfolio sums read of each enrolled customer.
type SettleData = (&'static Meter, &'static Weight, Option<&'static AcState>, Option<&'static AcSetpoint>);

/// Settle: adds this step's energy, event energy, excess over FSL, peak energy, bills and comfort
/// to every portfolio the customer belongs to.
#[allow(clippy::too_many_arguments)]
pub fn settlement_system(
    clock: Res<'_, Clock>,
    weather: Res<'_, Weather>,
    ps: Res<'_, ProgramState>,
    mut acc: ResMut<'_, SettlementAcc>,
    q: Query<'_, '_, SettleData, With<Enrolment>>,
    firm: Query<'_, '_, (&Meter, &Weight, &Enrolment)>,
) {
    let now = clock.now;
    let dt = clock.dt_hours();
    let acc = &mut *acc;
    let n_seg = acc.n_segments;
    if n_seg == 0 || acc.portfolios.is_empty() {
        return;
    }
    let di = now.day - acc.first_day;
    let hour = (now.minute_of_day / 60) as usize % 24;
    let month = u32::from(now.date.month() as u8);
    let n_prog = acc.portfolios.len() / n_seg;
    // Per-program facts of this step.
    let mut peak = [false; MAX_PROGRAMS];
    let mut price = [0.0; MAX_PROGRAMS];
    let mut flat = [0.0; MAX_PROGRAMS];
    let mut firm_active = ProgramSet::EMPTY;
    for p in 0..n_prog {
        let spec = &ps.specs[p];
        let m = &spec.money;
        peak[p] = m.peak_credit_usd_per_kwh.is_some()
            && m.credit_months.contains(&month)
            && (m.peak_credit_hours[0] as usize..m.peak_credit_hours[1] as usize).contains(&hour);
        if let Some(base) = m.base_price_usd_per_kwh {
            let prev = weather.day(now.day - 1).map(|d| d.high_c);
            let weekend = now.day_type != crate::time::DayType::Weekday;
            let mult = rtp_schedule(&spec.response, prev, month, weekend).map_or(1.0, |s| s[hour]);
            price[p] = base * mult;
            flat[p] = base;
        }
        if ps.active.contains(p) && matches!(spec.response, Response::FirmServiceLevel { .. }) {
            firm_active.insert(p);
        }
    }
    // This step's sums per portfolio, in fixed point: (energy, degree-hours, excess over FSL).
    // Integer sums are exact, so chunks may be added in any order (and on any thread).
    let n = acc.portfolios.len();
    let shape = PortfolioShape { n_seg, n_prog, dt, energy: !acc.comfort_only };
    let mut chunks: Vec<SettleChunk<'_>> = match q.contiguous_iter() {
        Ok(tables) => tables
            // Degree-hours only: customers without an A/C add nothing.
            .filter(|(_, _, acs, _)| shape.energy || acs.is_some())
            .flat_map(|(ms, ws, acs, sps)| {
                let acs = acs.zip(sps);
                (0..ms.len().div_ceil(SETTLE_CHUNK)).map(move |k| {
                    let r = k * SETTLE_CHUNK..((k + 1) * SETTLE_CHUNK).min(ms.len());
                    (&ms[r.clone()], &ws[r.clone()], acs.map(|(a, sp)| (&a[r.clone()], &sp[r])))
                })
            })
            .collect(),
        Err(_) => unreachable!("every component uses table storage, so queries are dense"),
    };
    // Integer sums are exact, so the chunks may be split between threads in any way.
    let wide = chunks.iter().map(|c| c.0.len()).sum::<usize>() >= 2 * SETTLE_CHUNK;
    let mut step = fold_chunks(
        wide,
        &mut chunks,
        || vec![(0, 0, 0); n],
        |out, (ms, ws, acs)| portfolio_kernel(ms, ws, *acs, shape, out),
        add_sums,
    );
    // Energy above the Firm Service Level, while interruptible events are in force.
    if !firm_active.is_empty() && shape.energy {
        for (m, w, e) in &firm {
            let s = usize::from(m.segment);
            if s >= n_seg {
                continue;
            }
            for p in (e.enrolled & firm_active).iter() {
                let ev = &ps.events[ps.active_event[p]];
                if now.utc_s >= ready_utc(ev.start_utc, ev.issued_utc, e.option_minutes) {
                    step[p * n_seg + s].2 += ExactSum::fixed(w.0 * (m.kw - e.fsl_kw).max(0.0) * dt);
                }
            }
        }
    }
    for (k, (kwh, dh, excess)) in step.into_iter().enumerate() {
        let p = k / n_seg;
        let port = &mut acc.portfolios[k];
        if (0..port.hourly_kwh.len() as i64).contains(&di) {
            port.hourly_kwh[di as usize][hour].add_fixed(kwh);
        }
        port.degree_hours.add_fixed(dh);
        port.excess_kwh.add_fixed(excess);
        if ps.active.contains(p) {
            port.event_kwh.add_fixed(kwh);
        }
        if peak[p] {
            port.peak_kwh.add_fixed(kwh);
        }
        if flat[p] > 0.0 {
            let e = kwh as f64 / ExactSum::SCALE;
            port.price_bill_usd.add(e * price[p]);
            port.flat_bill_usd.add(e * flat[p]);
        }
    }
}
