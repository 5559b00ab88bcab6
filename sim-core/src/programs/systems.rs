//! Decide-phase systems: the operator's automatic dispatch, which events are in force, and how
//! each enrolled customer responds (its devices' settings for this step).

use super::book::{PrPolicy, Response, Trigger};
use super::enrol::small_rng;
use super::judge::Request;
use super::load::MAX_PROGRAMS;
use super::rules::{self, FslAction, check_generator_use, price_factor, rtp_schedule};
use super::set::ProgramSet;
use super::state::{Enrolment, ProgramState, ProgramStats};
use crate::customers::{Customer, Weight};
use crate::devices::building::{expected_kw, segment_factors};
use crate::devices::{
    AcControl, AcSetpoint, AirConditioner, BaseLoad, Building, CyclingCommand, FacilityControls, NoiseKey, Pump,
};
use crate::grid::{AlertLevel, GridState};
use crate::scenario::Behaviour;
use crate::time::Clock;
use crate::weather::Weather;
use bevy_ecs::prelude::*;

/// Behaviour parameters of the run (a resource).
#[derive(Resource, Clone, Debug, Default)]
pub struct BehaviourParams(pub Behaviour);

/// Price signals this step, by program: the multiplier on customers' flexible load.
#[derive(Resource, Clone, Debug)]
pub struct PriceSignals {
    /// Multiplier on flexible load per program (1 = no response).
    pub factor: [f64; MAX_PROGRAMS],
}

impl Default for PriceSignals {
    fn default() -> Self {
        Self { factor: [1.0; MAX_PROGRAMS] }
    }
}

/// Decide: automatic dispatch, the events in force, cycling commands and price signals.
pub fn dispatch_system(
    clock: Res<'_, Clock>,
    weather: Res<'_, Weather>,
    grid: Option<Res<'_, GridState>>,
    mut ps: ResMut<'_, ProgramState>,
    mut control: ResMut<'_, AcControl>,
    mut prices: ResMut<'_, PriceSignals>,
    aggregators: Option<Res<'_, crate::aggregators::Aggregators>>,
) {
    if ps.automatic {
        if let Some(g) = grid.as_deref() {
            operator(&mut ps, &clock, g, &weather);
        }
    }
    ps.update_active(clock.now.utc_s);
    // A DRP dispatches as much of its resource as it was awarded.
    if let Some(agg) = aggregators.as_deref() {
        let hour = clock.now.minute_of_day / 60;
        for d in &agg.drps {
            // Rows are appended day by day (tomorrow's after today's): only the newest are searched.
            let share = agg
                .market
                .iter()
                .rev()
                .take_while(|r| r.day >= clock.now.day)
                .find(|r| {
                    r.drp_program == d.program && r.day == clock.now.day && r.hour == hour && r.potential_mw > 0.0
                })
                .map_or(1.0, |r| (r.award_mw / r.potential_mw).clamp(0.0, 1.0));
            if d.program < MAX_PROGRAMS {
                ps.dispatch_share[d.program] = share;
            }
        }
    }
    let starting = ps.starting;
    for p in starting.iter() {
        let ev = ps.events[ps.active_event[p]].clone();
        if let Response::AcCycling { period_minutes, plans, .. } = &ps.specs[p].response {
            for (k, plan) in plans.iter().enumerate() {
                let groups = (1.0 / plan.off_fraction).round().max(1.0) as u32;
                control.commands.push(CyclingCommand {
                    mask: ps.plan_bits[p].get(k).copied().unwrap_or(0),
                    start_utc_s: ev.start_utc,
                    end_utc_s: ev.end_utc,
                    off_fraction: plan.off_fraction,
                    period_minutes: *period_minutes,
                    groups,
                });
            }
        }
    }
    control.commands.retain(|c| c.end_utc_s > clock.now.utc_s);
    // Price signals.
    let now = clock.now;
    let hour = (now.minute_of_day / 60) as usize % 24;
    for p in 0..ps.specs.len().min(MAX_PROGRAMS) {
        prices.factor[p] = match &ps.specs[p].response {
            Response::Price { price_ratio, elasticity, .. } if ps.active.contains(p) => {
                libm::pow(*price_ratio, *elasticity)
            }
            r @ Response::RealTimePrice { elasticity, shift_share, .. } if ps.live => {
                let prev = weather.day(now.day - 1).map(|d| d.high_c);
                let weekend = now.day_type != crate::time::DayType::Weekday;
                match rtp_schedule(r, prev, u32::from(now.date.month() as u8), weekend) {
                    Some(s) => {
                        let mean = s.iter().sum::<f64>() / 24.0;
                        price_factor(s[hour], mean, *elasticity, *shift_share)
                    }
                    None => 1.0,
                }
            }
            _ => 1.0,
        };
    }
}

/// A program's hour caps (day, month, year), each with the hours already called under it on a date.
fn hours_caps(ps: &ProgramState, p: usize, date: crate::time::Date) -> [(Option<f64>, f64); 3] {
    let (d, m, y) = ps.judge.hours_used(&ps.ids[p], date);
    let s = &ps.specs[p];
    [(s.max_hours_per_day, d), (s.max_hours_per_month, m), (s.max_hours_per_year, y)]
}

fn candidates_from(level: AlertLevel, floor: AlertLevel) -> Vec<Trigger> {
    AlertLevel::ALL
        .iter()
        .rev()
        .filter(|l| **l <= level && **l >= floor)
        .filter_map(|l| Trigger::of_alert(*l))
        .collect()
}

/// The operator: calls programs per their policies, always through the rules engine.
fn operator(ps: &mut ProgramState, clock: &Clock, grid: &GridState, weather: &Weather) {
    let now = clock.now;
    let step = clock.step_minutes;
    for p in 0..ps.specs.len().min(MAX_PROGRAMS) {
        let spec = std::sync::Arc::clone(&ps.specs[p]);
        let pol = &spec.operator;
        if !pol.enabled || !spec.enabled || spec.triggers.is_empty() {
            continue;
        }
        let pref = pol.preferred();
        // Day-ahead calls, decided at the grid's day-ahead assessment.
        if grid.is_day_ahead_step(now.minute_of_day, step) {
            let Ok(tomorrow) = now.date.tomorrow() else {
                continue;
            };
            let mut cands = vec![];
            if let Some(floor) = pol.day_ahead_alert {
                cands.extend(candidates_from(grid.day_ahead_level_for(now.day + 1, clock), floor));
            }
            if let (Some(x), Some((d, m))) = (pol.forecast_margin_below_pct, grid.next_day_min_margin) {
                if d == now.day + 1 && m < x {
                    cands.push(Trigger::LoadForecast);
                }
            }
            if let (Some(x), Some(f)) = (pol.forecast_high_above_c, weather.forecast(now.day + 1)) {
                if f.high_c > x {
                    cands.push(Trigger::ExtremeTemperature);
                }
            }
            if let Some(trigger) = cands.into_iter().find(|t| spec.triggers.contains(t)) {
                if let Some((s, e)) = event_span(ps, p, tomorrow, pref, None, step) {
                    let r = Request {
                        program: ps.ids[p].clone(),
                        date: tomorrow,
                        start_min: s,
                        end_min: e,
                        trigger,
                        issued: Some((now.date, now.minute_of_day)),
                    };
                    ps.submit(&r, clock, true);
                }
            }
        }
        // Day-of calls when the alert reaches the policy's level.
        if let Some(floor) = pol.day_of_alert {
            let scheduled = ps.events.iter().any(|e| e.program == p && e.date == now.date && e.end_utc > now.utc_s);
            if grid.alert >= floor && ps.last_auto_day[p] != now.day && !scheduled {
                ps.last_auto_day[p] = now.day;
                let lead = spec.lead_minutes();
                let earliest = (now.minute_of_day + lead).div_ceil(step) * step;
                if let Some(trigger) =
                    candidates_from(grid.alert, floor).into_iter().find(|t| spec.triggers.contains(t))
                {
                    if let Some((s, e)) = event_span(ps, p, now.date, pref, Some(earliest), step) {
                        let r = Request {
                            program: ps.ids[p].clone(),
                            date: now.date,
                            start_min: s,
                            end_min: e,
                            trigger,
                            issued: Some((now.date, now.minute_of_day)),
                        };
                        ps.submit(&r, clock, true);
                    }
                }
            }
        }
    }
}

/// The event span an operator would request: the preferred window within the program's window,
/// starting no earlier than `earliest`, no longer than max_event_hours or the hours left under caps.
fn event_span(
    ps: &ProgramState,
    p: usize,
    date: crate::time::Date,
    pref: (u32, u32),
    earliest: Option<u32>,
    step: u32,
) -> Option<(u32, u32)> {
    let spec = &ps.specs[p];
    let (mut s, mut e) = pref;
    if let Some(Some((ws, we))) = spec.window_for(u32::from(date.month() as u8)) {
        s = s.max(ws);
        e = e.min(we);
    }
    if let Some(x) = earliest {
        s = s.max(x);
    }
    let mut hours = f64::from(e.saturating_sub(s)) / 60.0;
    if let Some(m) = spec.max_event_hours {
        hours = hours.min(m);
    }
    let minutes = rules::trim_to_hours_caps((hours * 60.0).floor() as u32, step, &hours_caps(ps, p, date));
    e = s + minutes;
    let min = spec.min_event_hours.map_or(f64::from(step) / 60.0, |m| m.max(f64::from(step) / 60.0));
    (minutes > 0 && f64::from(minutes) / 60.0 >= min - rules::HOURS_CAP_TOLERANCE_H && e <= 1440).then_some((s, e))
}

/// What the response system reads and writes for each customer.
type ResponseData = (
    Entity,
    &'static Customer,
    &'static Weight,
    &'static mut Enrolment,
    Option<(&'static mut AirConditioner, &'static mut AcSetpoint)>,
    Option<(&'static mut Building, &'static mut FacilityControls)>,
    Option<&'static mut Pump>,
    Option<&'static mut BaseLoad>,
);

/// The response system's customers, and the filter that tells whether an enrolment changed.
type ResponseQueries = (Query<'static, 'static, ResponseData>, Query<'static, 'static, (), Changed<Enrolment>>);

/// The customers the response system visits between events (see [`response_system`]).
#[derive(Default)]
pub struct Visits {
    /// Customers enrolled in a program that acts at all times (prices), in query order.
    always: Vec<Entity>,
    /// Customers left restless by their last visit (something to attribute or give back).
    restless: Vec<Entity>,
    /// A full pass has built `always` (valid until an enrolment changes, which the system checks).
    fresh: bool,
    /// Customers the last full pass went over (all enrolled customers).
    enrolled: usize,
}

/// What a customer's response depends on besides its own components.
struct Ctx<'a> {
    now: crate::time::LocalStamp,
    dt: f64,
    step_minutes: u32,
    bh: &'a Behaviour,
    factors: &'a [crate::devices::building::Factors],
    ps: &'a ProgramState,
    prices: &'a PriceSignals,
    key: &'a NoiseKey,
}

/// Decide: each enrolled customer's response to the events in force.
///
/// A customer at rest (no event of theirs in force or just ended, no program acting on them at all
/// times, nothing to attribute or give back) is left alone: its devices already hold their normal
/// settings. While an event is in force or ending, every enrolled customer is checked. Between
/// events only the customers of always-on programs and those left restless by their last visit
/// can be other than at rest, so only they are visited, from lists the system keeps. It makes the
/// full pass instead whenever an enrolment changed (the pass rebuilds the list of always-on
/// customers) and while the lists are long (right after an event, when looking each customer up
/// costs more than the pass). No float sum is added to between events, so the order of visits does
/// not change any result.
#[allow(clippy::too_many_arguments)]
pub fn response_system(
    clock: Res<'_, Clock>,
    ps: Res<'_, ProgramState>,
    prices: Res<'_, PriceSignals>,
    behaviour: Res<'_, BehaviourParams>,
    key: Res<'_, NoiseKey>,
    mut stats: ResMut<'_, ProgramStats>,
    shapes: Res<'_, crate::devices::LoadShapes>,
    mut visits: Local<'_, Visits>,
    mut queries: ParamSet<'_, '_, ResponseQueries>,
) {
    if !ps.live {
        return;
    }
    let ctx = Ctx {
        now: clock.now,
        dt: clock.dt_hours(),
        step_minutes: clock.step_minutes,
        bh: &behaviour.0,
        factors: &shapes.factors,
        ps: &ps,
        prices: &prices,
        key: &key,
    };
    // Programs that act on customers at all times (prices), not only in events.
    let always_on: ProgramSet = (0..ps.specs.len().min(MAX_PROGRAMS))
        .filter(|p| matches!(ps.specs[*p].response, Response::RealTimePrice { .. }))
        .collect();
    let events = ps.active | ps.ending;
    let busy = events | always_on;
    let stats = &mut *stats;
    let visits = &mut *visits;
    let restless = std::mem::take(&mut visits.restless);
    // A visit from a list looks the customer up (several times the cost of passing it in a full
    // pass): after an event, while many are restless, the full pass is cheaper. Whether an
    // enrolment changed is asked last (it scans every enrolment's change tick).
    let few = (visits.always.len() + restless.len()) * 8 < visits.enrolled;
    let from_lists = events.is_empty() && visits.fresh && few && queries.p1().is_empty();
    let mut q = queries.p0();
    if from_lists {
        // Between events: the always-on customers, then the restless ones not among them.
        for &e in &visits.always {
            if let Ok(item) = q.get_mut(e) {
                respond(item, &ctx, stats, &mut visits.restless);
            }
        }
        for e in restless {
            if let Ok(item) = q.get_mut(e)
                && !item.3.enrolled.intersects(always_on)
            {
                respond(item, &ctx, stats, &mut visits.restless);
            }
        }
        return;
    }
    visits.always.clear();
    visits.enrolled = 0;
    for item in &mut q {
        visits.enrolled += 1;
        let en = &item.3;
        if en.enrolled.intersects(always_on) {
            visits.always.push(item.0);
        }
        if !en.enrolled.intersects(busy) && en.attribution.is_empty() && en.rebound_kw == 0.0 {
            continue;
        }
        respond(item, &ctx, stats, &mut visits.restless);
    }
    visits.fresh = true;
}

/// A customer as the response system's query yields it (see [`respond`]).
type ResponseItem<'a> = bevy_ecs::query::QueryItem<'a, 'a, ResponseData>;

/// Visits one customer: its response to the events in force and the settings of its devices;
/// pushes it on `restless` when it is left with something to attribute or give back.
fn respond(item: ResponseItem<'_>, ctx: &Ctx<'_>, stats: &mut ProgramStats, restless: &mut Vec<Entity>) {
    let Ctx { now, dt, step_minutes, bh, factors, ps, prices, key } = *ctx;
    let (entity, c, w, mut en, ac, b, pump, base) = item;
    let en = en.bypass_change_detection();
    let id = u64::from(c.id);
    let starting = en.enrolled & ps.starting;
    if !starting.is_empty() {
        on_event_start(en, starting, ps, bh, key, id, now, w.0, stats);
    }
    let ending = en.enrolled & ps.ending;
    let live = en.enrolled & ps.active;
    if !ending.is_empty() && live.is_empty() {
        en.recent = (ending, now.utc_s + (bh.rebound_hours.max(4.0) * 3600.0) as i64);
        en.rebound_kw = rules::rebound_rate_kw(en.rebound_kwh, bh.rebound_hours);
    }
    let eff = live - en.opted_out;
    let mut offset = 0.0;
    let mut suspended = 0u16;
    let mut shed: f64 = 0.0;
    let mut cap = f64::INFINITY;
    let mut flex = 1.0;
    let mut interrupted = false;
    let mut always = ProgramSet::EMPTY;
    for p in en.enrolled.iter() {
        let spec = &ps.specs[p];
        let ev = ps.active_event[p];
        let on = eff.contains(p);
        let ramp = if on {
            let mins = (now.utc_s - ps.events[ev].start_utc) as f64 / 60.0 + f64::from(step_minutes);
            rules::manual_ramp(mins, en.auto_dr, bh.manual_ramp_minutes)
        } else {
            0.0
        };
        match &spec.response {
            Response::AcCycling { .. } => {
                if live.contains(p) && en.opted_out.contains(p) {
                    suspended |= ps.plan_bits[p].get(en.plan as usize).copied().unwrap_or(0);
                }
            }
            Response::Thermostat { setpoint_offset_c, override_prob_per_hour } => {
                if on && !en.overridden.contains(p) {
                    let f = rules::fatigue(en.consecutive_days, bh.fatigue_per_day);
                    let chance = rules::override_chance(*override_prob_per_hour, f, automation(en, bh), dt);
                    let u = key.overrides[p].uniform(id, now.utc_s as u64);
                    match rules::thermostat_offset_c(*setpoint_offset_c, chance, u) {
                        Some(o) => offset += o,
                        None => {
                            en.overridden.insert(p);
                            stats.overrides[p] += w.0;
                        }
                    }
                }
            }
            Response::PumpInterrupt => interrupted |= on,
            Response::FirmServiceLevel { partial_share, .. } => {
                if on {
                    let e = &ps.events[ev];
                    if now.utc_s >= rules::ready_utc(e.start_utc, e.issued_utc, en.option_minutes) {
                        let compliant = en.compliant.contains(p);
                        // A customer that does not comply sheds from its facility's expected load
                        // (read only then); one without a facility has nothing to shed.
                        if compliant || b.is_some() {
                            let exp = b
                                .as_ref()
                                .filter(|_| !compliant)
                                .map_or(0.0, |(b, _)| expected_kw(b, segment_factors(factors, b)));
                            match rules::firm_service_level(compliant, en.fsl_kw, *partial_share, exp) {
                                FslAction::Cap(kw) => cap = cap.min(kw),
                                FslAction::Shed(kw) => shed = shed.max(kw),
                            }
                        }
                    }
                }
            }
            Response::Nomination { .. } => {
                if on {
                    shed = shed.max(en.nomination_kw * en.performance * ramp * ps.dispatch_share[p]);
                }
            }
            Response::Voluntary { .. } => {
                if on && en.participating.contains(p) {
                    shed = shed.max(en.flexible_kw * en.voluntary_share * ramp);
                }
            }
            Response::Price { setpoint_offset_c, .. } => {
                if on {
                    flex *= prices.factor[p];
                    offset += setpoint_offset_c;
                }
            }
            Response::RealTimePrice { .. } => {
                flex *= prices.factor[p];
                always.insert(p);
            }
        }
    }
    // Backup generation in events with reductions to deliver, where the rules allow it.
    if en.generator_kw > 0.0 && (shed > 0.0 || cap.is_finite()) {
        let first = eff.iter().find(|p| ps.specs[*p].prohibited_resources != PrPolicy::NotApplicable);
        if let Some(p) = first {
            match check_generator_use(&ps.specs[p], true, en.generator_fossil, en.dac, ps.order_now) {
                Ok(()) => {
                    shed += en.generator_kw;
                    stats.generator_kwh += w.0 * en.generator_kw * dt;
                }
                Err(_) => stats.generator_refused_kwh += w.0 * en.generator_kw * dt,
            }
        }
    }
    // Snapback: energy shed in events partly comes back afterwards.
    let mut extra = 0.0;
    if !eff.is_empty() {
        let price_cut = b.as_ref().map_or(0.0, |(b, _)| {
            rules::price_cut_kw(flex, b.flexible_share, expected_kw(b, segment_factors(factors, b)))
        });
        en.rebound_kwh += rules::rebound_owed_kwh(shed, price_cut, dt, bh.rebound_share);
    } else if en.rebound_kwh > 0.0 {
        (extra, en.rebound_kwh) = rules::payback(en.rebound_kw, en.rebound_kwh, dt);
    } else {
        // Paid back: this step takes the rebound off the devices, and the customer may rest.
        en.rebound_kw = 0.0;
    }
    if let Some((mut a, mut sp)) = ac {
        sp.apply(offset as f32, &mut a);
        a.suspended_mask = suspended;
    }
    if let Some((mut b, mut ctl)) = b {
        ctl.apply(FacilityControls { shed_kw: shed, cap_kw: cap, flex_factor: flex, extra_kw: extra }, &mut b);
    }
    if let Some(mut p) = pump {
        p.interrupted = interrupted;
    }
    if let Some(mut bl) = base {
        bl.factor = flex;
    }
    let recent = if now.utc_s < en.recent.1 { en.recent.0 } else { ProgramSet::EMPTY };
    en.attribution = if eff.is_empty() { recent | always } else { eff | always };
    if !en.attribution.is_empty() || en.rebound_kw != 0.0 {
        restless.push(entity);
    }
}

/// The automation factor of a customer (see [`rules::automation_factor`]).
fn automation(en: &Enrolment, bh: &Behaviour) -> f64 {
    rules::automation_factor(en.auto_dr, bh.auto_dr_reliability)
}

#[allow(clippy::too_many_arguments)]
fn on_event_start(
    en: &mut Enrolment,
    starting: ProgramSet,
    ps: &ProgramState,
    bh: &Behaviour,
    key: &NoiseKey,
    id: u64,
    now: crate::time::LocalStamp,
    weight: f64,
    stats: &mut ProgramStats,
) {
    en.consecutive_days = rules::consecutive_days(en.consecutive_days, en.last_event_day, now.day);
    en.last_event_day = now.day;
    let f = rules::fatigue(en.consecutive_days, bh.fatigue_per_day);
    let r = automation(en, bh);
    let year = now.date.year();
    if en.opt_out_year != year {
        en.opt_out_year = year;
        en.opt_outs_used = 0;
    }
    for p in starting.iter() {
        en.opted_out.remove(p);
        en.overridden.remove(p);
        en.participating.remove(p);
        en.compliant.remove(p);
        let ev = ps.active_event[p] as u64;
        let choice = key.event_choice.uniform(id, ev);
        let share = || key.event_share.uniform(id, ev);
        let spec = &ps.specs[p];
        if !matches!(spec.response, Response::RealTimePrice { .. }) {
            stats.notifications[p][usize::from(en.channel).min(3)] += weight;
        }
        match &spec.response {
            Response::AcCycling { plans, opt_out_prob, .. } => {
                let allowed = plans.get(usize::from(en.plan)).and_then(|pl| pl.opt_outs_per_year);
                let chance = rules::opt_out_chance(*opt_out_prob, f, r, en.opt_outs_used, allowed);
                if chance > 0.0 && choice < chance {
                    en.opted_out.insert(p);
                    en.opt_outs_used = en.opt_outs_used.saturating_add(1);
                    stats.opt_outs[p] += weight;
                }
            }
            Response::Voluntary { participation, reduction_share } => {
                if choice < rules::participation_chance(*participation, f, en.auto_dr, bh.auto_dr_reliability) {
                    en.participating.insert(p);
                    en.voluntary_share = reduction_share.sample(&mut small_rng(share()));
                }
            }
            Response::Nomination { performance, .. } => {
                let drawn = performance.sample(&mut small_rng(share()));
                en.performance = rules::nomination_performance(drawn, en.auto_dr, bh.auto_dr_reliability);
            }
            Response::FirmServiceLevel { non_compliance, .. } => {
                if rules::fsl_complies(choice, *non_compliance, f, r) {
                    en.compliant.insert(p);
                }
            }
            _ => {}
        }
    }
}
