//! Program state in the world: the event ledger (a resource), per-customer enrolment (a component)
//! and program statistics.

use super::book::{ProgramBook, ProgramSpec, Response, Trigger};
use super::eligibility::OrderInForce;
use super::judge::{EventRow, Judge, Request, Status, sort_requests};
use super::load::MAX_PROGRAMS;
use super::set::ProgramSet;
use crate::scenario::ValidScenario;
use crate::time::{Clock, Date};
use bevy_ecs::prelude::*;
use std::collections::BTreeMap;

/// An event that was called, in absolute time.
#[derive(Clone, Debug, PartialEq)]
pub struct CalledEvent {
    /// Program index.
    pub program: usize,
    /// Event date (local).
    pub date: Date,
    /// Start, local minute of day.
    pub start_min: u32,
    /// End, local minute of day.
    pub end_min: u32,
    /// Start, UTC seconds.
    pub start_utc: i64,
    /// End (exclusive), UTC seconds.
    pub end_utc: i64,
    /// Notice given, UTC seconds.
    pub issued_utc: i64,
    /// Trigger.
    pub trigger: Trigger,
    /// Called by the automatic operator (not scripted).
    pub automatic: bool,
}

/// Programs in force in a run: book, rules, events table and which events are active now.
#[derive(Resource, Clone, Debug)]
pub struct ProgramState {
    /// Program IDs in index order.
    pub ids: Vec<String>,
    /// Program specs in index order.
    pub specs: Vec<std::sync::Arc<ProgramSpec>>,
    pub(crate) judge: Judge,
    /// The events table: every request judged so far.
    pub rows: Vec<EventRow>,
    /// Called events.
    pub events: Vec<CalledEvent>,
    /// The operator calls programs automatically.
    pub automatic: bool,
    /// Events take effect (false in the counterfactual twin).
    pub live: bool,
    /// Programs with an event in force this step.
    pub active: ProgramSet,
    /// Programs whose event starts this step.
    pub starting: ProgramSet,
    /// Programs whose event ended at the start of this step.
    pub ending: ProgramSet,
    /// Index in `events` of each program's event in force (usize::MAX = none).
    pub active_event: [usize; MAX_PROGRAMS],
    pub(crate) last_auto_day: [i64; MAX_PROGRAMS],
    /// Governor's orders: (start, end, permits PR, overrides DAC).
    pub orders: Vec<(i64, i64, bool, bool)>,
    /// The order in force this step.
    pub order_now: OrderInForce,
    /// A/C control bits of each (program, cycling plan).
    pub plan_bits: Vec<Vec<u16>>,
    /// For each program, the DRP (index into the scenario's `drps`) whose resource it is.
    pub drp_of: Vec<Option<usize>>,
    /// Share of each program's resource dispatched this step (a DRP's award / its bid; 1 otherwise).
    pub dispatch_share: [f64; MAX_PROGRAMS],
}

fn utc(clock: &Clock, date: Date, minute: u32) -> i64 {
    if minute >= 1440 {
        let next = date.tomorrow().unwrap_or(date);
        clock.utc_of_local(next, minute - 1440).unwrap_or(i64::MAX)
    } else {
        clock.utc_of_local(date, minute).unwrap_or(i64::MAX)
    }
}

impl ProgramState {
    /// The programs of a scenario, with its scripted dispatch judged.
    pub fn new(scn: &ValidScenario, clock: &Clock, live: bool) -> Self {
        let book: &ProgramBook = scn.book();
        let ids: Vec<String> = book.programs.keys().cloned().collect();
        let specs: Vec<std::sync::Arc<ProgramSpec>> =
            book.programs.values().cloned().map(std::sync::Arc::new).collect();
        let mut next_bit = 1u32;
        let plan_bits = specs
            .iter()
            .map(|s| match &s.response {
                Response::AcCycling { plans, .. } => plans
                    .iter()
                    .map(|_| {
                        let b = if next_bit < 16 { 1u16 << next_bit } else { 0 };
                        next_bit += 1;
                        b
                    })
                    .collect(),
                _ => vec![],
            })
            .collect();
        let mut st = Self {
            ids,
            specs,
            judge: Judge::new(book),
            rows: vec![],
            events: vec![],
            automatic: scn.automatic_dispatch() && live,
            live,
            active: ProgramSet::EMPTY,
            starting: ProgramSet::EMPTY,
            ending: ProgramSet::EMPTY,
            active_event: [usize::MAX; MAX_PROGRAMS],
            last_auto_day: [i64::MIN; MAX_PROGRAMS],
            orders: scn.orders.clone(),
            order_now: OrderInForce::default(),
            plan_bits,
            drp_of: vec![],
            dispatch_share: [1.0; MAX_PROGRAMS],
        };
        st.drp_of = st.ids.iter().map(|id| scn.drp_instances().iter().position(|x| x == id)).collect();
        let mut reqs = scn.requests().to_vec();
        sort_requests(&mut reqs);
        for r in &reqs {
            st.submit(r, clock, false);
        }
        st
    }

    /// The book being applied.
    pub fn judge_book(&self) -> &ProgramBook {
        self.judge.book()
    }

    /// Index of a program ID.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|x| x == id)
    }

    /// Judges a request; a called one becomes an event. Returns whether it was called.
    pub fn submit(&mut self, r: &Request, clock: &Clock, automatic: bool) -> bool {
        let row = self.judge.judge(r);
        let called = row.status == Status::Called;
        if called {
            if let Some(p) = self.index(&r.program) {
                self.events.push(CalledEvent {
                    program: p,
                    date: r.date,
                    start_min: r.start_min,
                    end_min: r.end_min,
                    start_utc: utc(clock, r.date, r.start_min),
                    end_utc: utc(clock, r.date, r.end_min),
                    issued_utc: utc(clock, row.issued.0, row.issued.1),
                    trigger: r.trigger,
                    automatic,
                });
            }
        }
        self.rows.push(row);
        called
    }

    /// The events table sorted as published: by (date, start, program).
    pub fn sorted_rows(&self) -> Vec<EventRow> {
        let mut rows = self.rows.clone();
        rows.sort_by(|a, b| {
            let (x, y) = (&a.request, &b.request);
            (x.date, x.start_min, &x.program).cmp(&(y.date, y.start_min, &y.program))
        });
        rows
    }

    /// Updates which events are in force at `utc_s`.
    pub fn update_active(&mut self, utc_s: i64) {
        let before = self.active;
        self.active = ProgramSet::EMPTY;
        self.active_event = [usize::MAX; MAX_PROGRAMS];
        if self.live {
            for (i, e) in self.events.iter().enumerate() {
                if e.start_utc <= utc_s && utc_s < e.end_utc && e.program < MAX_PROGRAMS {
                    self.active.insert(e.program);
                    self.active_event[e.program] = i;
                }
            }
        }
        self.starting = self.active - before;
        self.ending = before - self.active;
        let o = self.orders.iter().find(|(a, b, _, _)| *a <= utc_s && utc_s < *b);
        self.order_now = match o {
            Some((_, _, permits, dac)) => {
                OrderInForce { active: true, permits_prohibited_resources: *permits, overrides_dac: *dac }
            }
            None => OrderInForce::default(),
        };
    }
}

/// A customer's enrolments and event state.
#[derive(Component, Clone, Debug, Default, PartialEq)]
pub struct Enrolment {
    /// Programs enrolled.
    pub enrolled: ProgramSet,
    /// Cycling plan index (A/C cycling programs).
    pub plan: u8,
    /// Participation option, minutes (TOU-BIP).
    pub option_minutes: u16,
    /// Firm Service Level, kW (TOU-BIP).
    pub fsl_kw: f64,
    /// Monthly nomination, kW (CBP-E).
    pub nomination_kw: f64,
    /// Load the customer can shed, kW.
    pub flexible_kw: f64,
    /// Preferred notification channel (index into `Channel::ALL`).
    pub channel: u8,
    /// Has automated DR controls.
    pub auto_dr: bool,
    /// Backup generator size, kW (0 = none).
    pub generator_kw: f64,
    /// The generator is fossil-fuelled.
    pub generator_fossil: bool,
    /// In a disadvantaged community.
    pub dac: bool,
    /// Consecutive days with an event for this customer.
    pub consecutive_days: u16,
    /// Day number of the last event day.
    pub last_event_day: i64,
    /// Programs opted out of for the current event.
    pub opted_out: ProgramSet,
    /// Programs whose setpoint change the customer overrode in the current event.
    pub overridden: ProgramSet,
    /// Programs the customer takes part in for the current event (voluntary ones).
    pub participating: ProgramSet,
    /// Programs in whose current event the customer complies (firm ones).
    pub compliant: ProgramSet,
    /// Delivered / nominated in the current event (CBP-E).
    pub performance: f64,
    /// Share of flexible load shed in the current event (ELRP).
    pub voluntary_share: f64,
    /// Opt-outs used this year.
    pub opt_outs_used: u8,
    /// Year the opt-out count applies to.
    pub opt_out_year: i16,
    /// Energy still to be used again after events, kWh.
    pub rebound_kwh: f64,
    /// Rate at which it comes back, kW.
    pub rebound_kw: f64,
    /// Programs this customer's change in load is attributed to this step.
    pub attribution: ProgramSet,
    /// Programs of the customer's latest event, and until when snapback is attributed to them (UTC s).
    pub recent: (ProgramSet, i64),
}

/// Counts kept about programs during a run.
#[derive(Resource, Clone, Debug, Default)]
pub struct ProgramStats {
    /// Enrolled real customers per program.
    pub enrolled_customers: Vec<f64>,
    /// Enrolled agents per program.
    pub enrolled_agents: Vec<u64>,
    /// Rejected applications: (program, reason) → real customers.
    pub rejections: BTreeMap<(String, String), f64>,
    /// Notifications sent: per program, per channel, real customers notified.
    pub notifications: Vec<[f64; 4]>,
    /// Opt-outs per program, real customers.
    pub opt_outs: Vec<f64>,
    /// Thermostat overrides per program, real customers.
    pub overrides: Vec<f64>,
    /// Energy from backup generators used in events, kWh (weighted).
    pub generator_kwh: f64,
    /// Generator energy refused by prohibited-resource rules, kWh (weighted).
    pub generator_refused_kwh: f64,
}
