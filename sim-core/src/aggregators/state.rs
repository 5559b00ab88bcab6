//! Third-party DRPs in a run: registration, customer acquisition, data authorizations (grants,
//! partner shares, revocations), migration out of conflicting utility programs, and the customers'
//! hourly meter history the DRPs' settlement baselines read.

use crate::customers::{Customer, Meter, Weight};
use crate::devices::{AirConditioner, Building, Pump};
use crate::programs::book::{Device, Response};
use crate::programs::eligibility::{CustomerView, check_eligibility};
use crate::programs::enrol::small_rng;
use crate::programs::{Enrolment, ProgramState};
use crate::rng::{SimRng, StreamKey};
use crate::scenario::ValidScenario;
use crate::time::{Clock, date_of_day, day_number, parse_date};
use bevy_ecs::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a customer authorized a DRP to see its usage data (DOMAIN.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AuthChannel {
    /// The online Customer Information Service Request.
    Online,
    /// The paper CISR-DRP form 14-941.
    Paper,
}

impl AuthChannel {
    /// Name in `authorizations.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Online => "online CISR",
            Self::Paper => "paper form 14-941",
        }
    }
}

/// A customer's relationship with a DRP.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// Customer id.
    pub customer: u32,
    /// The DRP (index into `Aggregators::drps`).
    pub drp: usize,
    /// Day (number) the customer signed and requested the authorization.
    pub requested_day: i64,
    /// Day the authorization is processed and live (the DRP may enrol, bid and settle from then).
    pub live_day: i64,
    /// Channel.
    pub channel: AuthChannel,
    /// Shared with the DRP's partner.
    pub shared: bool,
    /// Day the customer revoked it (it still counts that day; from the next day it does not).
    pub revoked_day: Option<i64>,
    /// Reduction the DRP nominates for the customer, kW.
    pub nomination_kw: f64,
    /// The customer's weight.
    pub weight: f64,
    /// Slot in the meter history.
    pub history_slot: u32,
}

impl Link {
    /// Whether the authorization is live on `day` (so the DRP may bid and settle the customer).
    pub fn live_on(&self, day: i64) -> bool {
        self.live_day <= day && self.revoked_day.is_none_or(|r| day <= r)
    }
}

/// What happened to an authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerKind {
    /// The customer signed and the request was filed.
    Request,
    /// The request was processed: the DRP receives the data.
    Grant,
    /// The authorization was shared with the DRP's partner.
    Share,
    /// The customer revoked it.
    Revoke,
}

impl LedgerKind {
    /// Name in `authorizations.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Grant => "grant",
            Self::Share => "share",
            Self::Revoke => "revoke",
        }
    }
}

/// One line of the authorization ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerRow {
    /// Day number.
    pub day: i64,
    /// Customer id.
    pub customer: u32,
    /// DRP name.
    pub drp: String,
    /// Partner name (shares only).
    pub partner: String,
    /// What happened.
    pub kind: LedgerKind,
    /// Channel.
    pub channel: AuthChannel,
}

/// A DRP during a run.
#[derive(Clone, Debug)]
pub struct DrpRuntime {
    /// Name.
    pub name: String,
    /// Program index of its resource.
    pub program: usize,
    /// Day it applied for registration.
    pub applied_day: i64,
    /// Day it is registered with the utility, the CPUC and CAISO and may serve customers.
    pub ready_day: i64,
    /// Partner DRP.
    pub partner: Option<usize>,
    /// Customers it may recruit, with their monthly acquisition rate.
    pub candidates: Vec<(u32, f64)>,
    /// Its bids can be cleared (its resource is dispatched by market awards).
    pub bids: bool,
}

/// One DRP's offer and award in one market hour.
#[derive(Clone, Debug, PartialEq)]
pub struct MarketRow {
    /// Day number of the traded day.
    pub day: i64,
    /// Hour (local).
    pub hour: u32,
    /// DRP whose resource was offered.
    pub drp: usize,
    /// Program index of that resource.
    pub drp_program: usize,
    /// Who submitted the bid (the DRP, or its partner).
    pub submitter: usize,
    /// Forecast net load, MW.
    pub net_load_mw: f64,
    /// Clearing price, $/MWh.
    pub price: f64,
    /// Offered, MW.
    pub bid_mw: f64,
    /// What the resource could deliver (before the capacity cap), MW.
    pub potential_mw: f64,
    /// Offer price, $/MWh.
    pub bid_price: f64,
    /// Awarded, MW.
    pub award_mw: f64,
    /// The award was dispatched (the program's rules allowed the event).
    pub dispatched: bool,
}

/// Hourly kWh of the customers DRPs may serve, from the settlement look-back before the run to
/// its end (the DRPs' baselines are computed on their customers' aggregated history).
#[derive(Resource, Clone, Debug, Default)]
pub struct MeterHistory {
    /// Day number of the first day.
    pub first_day: i64,
    /// Days covered.
    pub days: usize,
    /// Customer id of each slot.
    pub ids: Vec<u32>,
    /// kWh by day, hour and slot (time-major: one step writes one contiguous row of slots).
    pub kwh: Vec<f32>,
}

impl MeterHistory {
    /// A customer's kWh on a day and hour.
    pub fn get(&self, slot: u32, day: i64, hour: usize) -> f64 {
        let d = day - self.first_day;
        if d < 0 || d as usize >= self.days {
            return 0.0;
        }
        f64::from(self.kwh[self.index(slot as usize, d as usize, hour)])
    }

    /// Position of (slot, day offset, hour) in `kwh`.
    #[inline]
    fn index(&self, slot: usize, d: usize, hour: usize) -> usize {
        (d * 24 + hour) * self.ids.len() + slot
    }
}

/// Marks a customer whose hourly meter data is kept (a DRP may serve it).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tracked(pub u32);

/// Third-party DRPs and their customers (a resource).
#[derive(Resource, Clone, Debug, Default)]
pub struct Aggregators {
    /// The DRPs.
    pub drps: Vec<DrpRuntime>,
    /// Every customer-DRP link, in the order made.
    pub links: Vec<Link>,
    /// Link index by customer id.
    pub by_customer: BTreeMap<u32, usize>,
    /// The authorization ledger.
    pub ledger: Vec<LedgerRow>,
    /// Market offers and awards.
    pub market: Vec<MarketRow>,
    /// Customers who left utility programs on joining a DRP: program → real customers.
    pub migrations: BTreeMap<String, f64>,
    /// Whether the DRPs act (false in the counterfactual twin and the warm-up).
    pub live: bool,
    keys: Option<DrpStreams>,
    entities: BTreeMap<u32, Entity>,
    last_day: i64,
    pub(crate) last_market_day: i64,
}

/// The named random streams of the DRPs' decisions: one key per decision, and per DRP where the
/// decision is the DRP's, so no two decisions share a draw and adding a DRP moves no other's draws.
#[derive(Clone, Debug)]
struct DrpStreams {
    /// Whether a candidate is already served when the run starts, per DRP: counter (customer, 0).
    initial: Vec<StreamKey>,
    /// Whether a candidate is recruited today, per DRP: counter (customer, day).
    recruit: Vec<StreamKey>,
    /// Online or paper authorization: counter (customer, day of the request).
    channel: StreamKey,
    /// Whether the authorization is shared with the DRP's partner: counter (customer, day).
    partner_share: StreamKey,
    /// The customer's nomination share: counter (customer, day).
    nomination: StreamKey,
    /// Whether the customer revokes today: counter (customer, day).
    revocation: StreamKey,
}

impl DrpStreams {
    fn new(rng: &SimRng, drps: &[crate::scenario::DrpConfig]) -> Self {
        let root = rng.stream("drps");
        let per_drp = |label: &str| drps.iter().map(|d| root.derive(label).derive(&d.name)).collect();
        Self {
            initial: per_drp("initial-customers"),
            recruit: per_drp("recruit"),
            channel: root.derive("authorization-channel"),
            partner_share: root.derive("partner-share"),
            nomination: root.derive("nomination-share"),
            revocation: root.derive("revocation"),
        }
    }

    fn channel(&self, cfg: &crate::scenario::DrpConfig, id: u32, day: i64) -> AuthChannel {
        if self.channel.uniform(u64::from(id), day as u64) < cfg.online_share {
            AuthChannel::Online
        } else {
            AuthChannel::Paper
        }
    }
}

fn monthly_to_daily(p: f64) -> f64 {
    1.0 - libm::pow(1.0 - p.clamp(0.0, 1.0), 1.0 / 30.4375)
}

fn view_of<'a>(
    c: &Customer,
    rate: &'a str,
    ac: Option<&AirConditioner>,
    b: Option<&Building>,
    p: Option<&Pump>,
    devices: Vec<Device>,
) -> CustomerView<'a> {
    let reducible =
        b.map_or(0.0, |b| b.flexible_share * c.max_demand_kw) + ac.map_or(0.0, |a| a.elec_kw) + p.map_or(0.0, |p| p.kw);
    CustomerView {
        class: c.class,
        service: c.service,
        meter: c.meter,
        rate,
        max_demand_kw: c.max_demand_kw,
        horsepower: p.map(|p| p.kw * 0.9 / crate::devices::pump::KW_PER_HP),
        reducible_kw: reducible,
        devices,
    }
}

/// Sets up the DRPs after spawn and enrolment: candidates, the customers they already serve when
/// the run starts, and the meter history. Returns the resources to insert.
pub fn init_aggregators(
    world: &mut World,
    scn: &ValidScenario,
    rng: &SimRng,
    live: bool,
    first_day: i64,
    days: usize,
) -> (Aggregators, MeterHistory) {
    let s = scn.scenario();
    let ps = world.resource::<ProgramState>().clone();
    let rates = world.resource::<crate::customers::Segments>().rates.clone();
    let mut agg = Aggregators { live, last_day: i64::MIN, last_market_day: i64::MIN, ..Default::default() };
    if s.drps.is_empty() {
        return (agg, MeterHistory::default());
    }
    agg.keys = Some(DrpStreams::new(rng, &s.drps));
    // Candidates: customers eligible for each DRP's program, with their acquisition rates.
    let mut q = world.query::<(
        &Customer,
        Option<&AirConditioner>,
        Option<&Building>,
        Option<&Pump>,
        Option<&crate::devices::SmartThermostat>,
    )>();
    let mut customers: Vec<(u32, u16, f64, Vec<Option<f64>>)> = vec![];
    let mut facts = vec![];
    for (c, ac, b, p, ts) in q.iter(world) {
        let mut devices = vec![];
        if ac.is_some() {
            devices.push(Device::CentralAc);
        }
        if ts.is_some() {
            devices.push(Device::SmartThermostat);
        }
        if p.is_some() {
            devices.push(Device::Pump);
        }
        let rate = rates.get(c.rate as usize).map_or("", String::as_str);
        let v = view_of(c, rate, ac, b, p, devices);
        facts.push((
            c.clone(),
            v.reducible_kw,
            s.drps
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let prog = &ps.specs[ps.index(&scn.drp_instances()[i]).unwrap_or(0)];
                    let seg_name = s.population.get(c.segment as usize).map_or("", |x| x.name.as_str());
                    let rate = d
                        .acquisition_segments
                        .get(seg_name)
                        .or_else(|| d.acquisition.get(&c.class))
                        .copied()
                        .unwrap_or(0.0);
                    // The DRP's market: the classes and segments it recruits in.
                    (check_eligibility(prog, &v).is_ok() && rate > 0.0).then_some(rate)
                })
                .collect::<Vec<_>>(),
        ));
    }
    facts.sort_by_key(|f| f.0.id);
    for (c, reducible, elig) in &facts {
        if elig.iter().any(Option::is_some) {
            customers.push((c.id, c.segment, *reducible, elig.clone()));
        }
    }
    // Meter history: one slot per candidate.
    let mut history = MeterHistory { first_day, days, ids: customers.iter().map(|x| x.0).collect(), kwh: vec![] };
    history.kwh = vec![0.0; history.ids.len() * days * 24];
    let slot_of: BTreeMap<u32, u32> = history.ids.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();
    let ents: Vec<(Entity, u32)> = world.query::<(Entity, &Customer)>().iter(world).map(|(e, c)| (e, c.id)).collect();
    agg.entities = ents.iter().map(|(e, id)| (*id, *e)).collect();
    for (e, id) in ents {
        if let Some(slot) = slot_of.get(&id) {
            world.entity_mut(e).insert(Tracked(*slot));
        }
    }
    for (i, d) in s.drps.iter().enumerate() {
        let applied = parse_date(&d.applied).map(day_number).unwrap_or(first_day);
        let ready = applied + i64::from(d.utility_days + d.cpuc_days + d.caiso_days);
        let program = ps.index(&scn.drp_instances()[i]).unwrap_or(0);
        let bids = ps.specs[program].triggers.contains(&crate::programs::Trigger::MarketAward);
        agg.drps.push(DrpRuntime {
            name: d.name.clone(),
            program,
            applied_day: applied,
            ready_day: ready,
            partner: d.partner.as_ref().and_then(|p| s.drps.iter().position(|x| &x.name == p)),
            candidates: customers.iter().filter_map(|x| x.3[i].map(|r| (x.0, r))).collect(),
            bids,
        });
    }
    // Customers already served when the run starts (their authorizations granted before it).
    let Some(keys) = agg.keys.clone() else { return (agg, history) };
    let run_start = day_number(scn.first_day());
    for (i, d) in s.drps.iter().enumerate() {
        if agg.drps[i].ready_day > run_start - 1 || d.initial_share <= 0.0 {
            continue;
        }
        let cands = agg.drps[i].candidates.clone();
        for (id, _) in cands {
            if agg.by_customer.contains_key(&id) || keys.initial[i].uniform(u64::from(id), 0) >= d.initial_share {
                continue;
            }
            let live_day = run_start - 1;
            let channel = keys.channel(d, id, live_day - 1);
            let request = AuthRequest { drp: i, customer: id, day: live_day - 1, live_day, channel };
            link(&mut agg, world, scn, &keys, request, &slot_of);
        }
    }
    for k in 0..agg.links.len() {
        let l = agg.links[k].clone();
        grant(&mut agg, world, &l, run_start - 1);
    }
    (agg, history)
}

/// A customer's authorization request to a DRP.
#[derive(Clone, Copy, Debug)]
struct AuthRequest {
    drp: usize,
    customer: u32,
    /// Day the request is filed.
    day: i64,
    /// Day the authorization is processed and the customer joins the resource.
    live_day: i64,
    channel: AuthChannel,
}

/// Files a link (request) for a customer with a DRP.
fn link(
    agg: &mut Aggregators,
    world: &mut World,
    scn: &ValidScenario,
    keys: &DrpStreams,
    r: AuthRequest,
    slots: &BTreeMap<u32, u32>,
) {
    let AuthRequest { drp: d, customer: id, day: today, live_day, channel } = r;
    let cfg = &scn.scenario().drps[d];
    let u_share = keys.partner_share.uniform(u64::from(id), today as u64);
    let u_nom = keys.nomination.uniform(u64::from(id), today as u64);
    let (weight, reducible) = agg.entities.get(&id).and_then(|e| world.get_entity(*e).ok()).map_or((0.0, 0.0), |e| {
        let c_kw = e.get::<Customer>().map_or(0.0, |c| c.max_demand_kw);
        let w = e.get::<Weight>().map_or(0.0, |w| w.0);
        let b = e.get::<Building>().map_or(0.0, |b| b.flexible_share * c_kw);
        let a = e.get::<AirConditioner>().map_or(0.0, |a| a.elec_kw);
        let p = e.get::<Pump>().map_or(0.0, |p| p.kw);
        (w, b + a + p)
    });
    let ps = world.resource::<ProgramState>();
    let share = match &ps.specs[agg.drps[d].program].response {
        Response::Nomination { nomination_share, .. } => nomination_share.sample(&mut small_rng(u_nom)),
        _ => 0.7,
    };
    agg.by_customer.insert(id, agg.links.len());
    agg.links.push(Link {
        customer: id,
        drp: d,
        requested_day: today,
        live_day,
        channel,
        shared: agg.drps[d].partner.is_some() && u_share < cfg.share_with_partner,
        revoked_day: None,
        nomination_kw: share * reducible,
        weight,
        history_slot: slots.get(&id).copied().unwrap_or(0),
    });
    agg.ledger.push(LedgerRow {
        day: today,
        customer: id,
        drp: agg.drps[d].name.clone(),
        partner: String::new(),
        kind: LedgerKind::Request,
        channel,
    });
}

/// Grants a processed authorization: the DRP enrols the customer in its resource, and the customer
/// leaves the utility programs the migration matrix says conflict.
fn grant(agg: &mut Aggregators, world: &mut World, l: &Link, today: i64) {
    let drp = agg.drps[l.drp].clone();
    agg.ledger.push(LedgerRow {
        day: today,
        customer: l.customer,
        drp: drp.name.clone(),
        partner: String::new(),
        kind: LedgerKind::Grant,
        channel: l.channel,
    });
    if l.shared {
        if let Some(p) = drp.partner {
            agg.ledger.push(LedgerRow {
                day: today,
                customer: l.customer,
                drp: drp.name.clone(),
                partner: agg.drps[p].name.clone(),
                kind: LedgerKind::Share,
                channel: l.channel,
            });
        }
    }
    // The programs the customer leaves: index, id and the A/C control bits of their cycling plans.
    let conflicts: Vec<(usize, String, u16)> = {
        let ps = world.resource::<ProgramState>();
        let plan_bits = |p: usize| ps.plan_bits.get(p).map_or(0, |bits| bits.iter().fold(0, |m, b| m | b));
        ps.specs[drp.program]
            .migration_conflicts
            .iter()
            .filter_map(|id| ps.index(id))
            .map(|p| (p, ps.ids[p].clone(), plan_bits(p)))
            .collect()
    };
    let Some(mut e) = agg.entities.get(&l.customer).and_then(|e| world.get_entity_mut(*e).ok()) else {
        return;
    };
    let mut en = e.get::<Enrolment>().cloned().unwrap_or(Enrolment { last_event_day: i64::MIN, ..Default::default() });
    for (p, id, plan_bits) in conflicts {
        if en.enrolled.contains(p) {
            en.enrolled.remove(p);
            *agg.migrations.entry(id).or_insert(0.0) += l.weight;
            // A cycling switch installed for the program stops answering to it.
            if plan_bits != 0
                && let Some(mut ac) = e.get_mut::<AirConditioner>()
            {
                ac.control_mask &= !plan_bits;
            }
        }
    }
    en.enrolled.insert(drp.program);
    en.nomination_kw = l.nomination_kw;
    if en.flexible_kw == 0.0 {
        en.flexible_kw = l.nomination_kw;
    }
    if let Some(mut m) = e.get_mut::<Meter>() {
        m.programs = en.enrolled;
    }
    e.insert(en);
}

/// Removes a revoked customer from its DRP's resource.
fn drop_customer(agg: &Aggregators, world: &mut World, id: u32, program: usize) {
    let Some(mut e) = agg.entities.get(&id).and_then(|e| world.get_entity_mut(*e).ok()) else {
        return;
    };
    if let Some(mut en) = e.get_mut::<Enrolment>() {
        en.enrolled.remove(program);
        let enrolled = en.enrolled;
        if let Some(mut m) = e.get_mut::<Meter>() {
            m.programs = enrolled;
        }
    }
}

/// Decide (exclusive, first step of each day): revocations take effect, processed authorizations
/// are granted, customers revoke, DRPs recruit.
pub fn drp_daily_system(world: &mut World) {
    let day = world.resource::<Clock>().now.day;
    let Some(mut agg) = world.remove_resource::<Aggregators>() else { return };
    if agg.live && agg.last_day != day && !agg.drps.is_empty() {
        agg.last_day = day;
        if let Some(scn) = world.remove_resource::<ScenarioRef>() {
            daily(&mut agg, world, &scn.0, day);
            world.insert_resource(scn);
        }
    }
    world.insert_resource(agg);
}

/// The scenario, kept in the world for the systems that need its DRP settings.
#[derive(Resource, Clone)]
pub struct ScenarioRef(pub std::sync::Arc<ValidScenario>);

fn daily(agg: &mut Aggregators, world: &mut World, scn: &ValidScenario, day: i64) {
    let Some(keys) = agg.keys.clone() else { return };
    let s = scn.scenario();
    // Revoked yesterday: out of the resource from today.
    for l in agg.links.clone() {
        if l.revoked_day == Some(day - 1) {
            drop_customer(agg, world, l.customer, agg.drps[l.drp].program);
        }
    }
    // Processed today: granted.
    for k in 0..agg.links.len() {
        let l = agg.links[k].clone();
        if l.live_day == day {
            grant(agg, world, &l, day);
        }
    }
    // Revocations.
    let p_revoke = monthly_to_daily(s.authorization.revocation_monthly);
    for k in 0..agg.links.len() {
        let l = &agg.links[k];
        if l.live_day <= day
            && l.revoked_day.is_none()
            && keys.revocation.uniform(u64::from(l.customer), day as u64) < p_revoke
        {
            let (id, d, ch) = (l.customer, l.drp, l.channel);
            agg.links[k].revoked_day = Some(day);
            agg.ledger.push(LedgerRow {
                day,
                customer: id,
                drp: agg.drps[d].name.clone(),
                partner: String::new(),
                kind: LedgerKind::Revoke,
                channel: ch,
            });
        }
    }
    // Recruiting by registered DRPs.
    let slots: BTreeMap<u32, u32> =
        world.resource::<MeterHistory>().ids.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();
    for d in 0..agg.drps.len() {
        if agg.drps[d].ready_day > day {
            continue;
        }
        let cands = agg.drps[d].candidates.clone();
        for (id, rate) in cands {
            if rate <= 0.0 || agg.by_customer.contains_key(&id) {
                continue;
            }
            if keys.recruit[d].uniform(u64::from(id), day as u64) < monthly_to_daily(rate) {
                let channel = keys.channel(&s.drps[d], id, day);
                let days = match channel {
                    AuthChannel::Online => s.authorization.online_days,
                    AuthChannel::Paper => s.authorization.paper_days,
                };
                let live_day = day + i64::from(days.max(1));
                link(agg, world, scn, &keys, AuthRequest { drp: d, customer: id, day, live_day, channel }, &slots);
            }
        }
    }
}

/// Settle: adds every tracked customer's energy this step to its history.
pub fn history_system(clock: Res<'_, Clock>, mut h: ResMut<'_, MeterHistory>, q: Query<'_, '_, (&Tracked, &Meter)>) {
    if h.ids.is_empty() {
        return;
    }
    let now = clock.now;
    let d = now.day - h.first_day;
    if d < 0 || d as usize >= h.days {
        return;
    }
    let (hour, dt) = ((now.minute_of_day / 60) as usize % 24, clock.dt_hours());
    for (t, m) in &q {
        let i = h.index(t.0 as usize, d as usize, hour);
        if let Some(x) = h.kwh.get_mut(i) {
            *x += (m.kw * dt) as f32;
        }
    }
}

/// The DRPs' summary, per DRP.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DrpSummary {
    /// Program of its resource.
    pub program: String,
    /// Day it applied for registration.
    pub applied: String,
    /// Day it could serve customers (utility, CPUC and CAISO registration done).
    pub registered: String,
    /// Capacity commitment, MW.
    pub capacity_mw: f64,
    /// Authorization requests filed (real customers).
    pub requests: f64,
    /// Authorizations granted (real customers).
    pub grants: f64,
    /// Granted online / on paper.
    pub grants_online: f64,
    /// Granted on paper.
    pub grants_paper: f64,
    /// Authorizations shared with its partner.
    pub shares: f64,
    /// Revocations.
    pub revocations: f64,
    /// Customers with a live authorization at the end of the run.
    pub customers_at_end: f64,
    /// Energy offered in the market, MWh.
    pub bid_mwh: f64,
    /// Energy awarded, MWh.
    pub awarded_mwh: f64,
    /// Energy delivered in awarded hours (baseline − actual), MWh.
    pub delivered_mwh: f64,
    /// Awarded energy not delivered, MWh.
    pub shortfall_mwh: f64,
    /// Market revenue paid by CAISO (delivered × clearing price), $.
    pub market_revenue_usd: f64,
    /// Capacity contract payments (the program's capacity price on the commitment), $.
    pub capacity_payments_usd: f64,
    /// Paid to its customers under their agreements (revenue × pay share), $.
    pub customer_payments_usd: f64,
}

impl DrpSummary {
    /// Rounded for the summary.
    pub fn rounded(self) -> Self {
        let r = |x: f64| crate::metrics::round(x, 3);
        Self {
            requests: r(self.requests),
            grants: r(self.grants),
            grants_online: r(self.grants_online),
            grants_paper: r(self.grants_paper),
            shares: r(self.shares),
            revocations: r(self.revocations),
            customers_at_end: r(self.customers_at_end),
            bid_mwh: r(self.bid_mwh),
            awarded_mwh: r(self.awarded_mwh),
            delivered_mwh: r(self.delivered_mwh),
            shortfall_mwh: r(self.shortfall_mwh),
            market_revenue_usd: crate::metrics::round(self.market_revenue_usd, 2),
            capacity_payments_usd: crate::metrics::round(self.capacity_payments_usd, 2),
            customer_payments_usd: crate::metrics::round(self.customer_payments_usd, 2),
            ..self
        }
    }
}

pub(crate) fn weighted_count(agg: &Aggregators, d: usize, kind: LedgerKind, channel: Option<AuthChannel>) -> f64 {
    agg.ledger
        .iter()
        .filter(|r| r.kind == kind && r.drp == agg.drps[d].name && channel.is_none_or(|c| c == r.channel))
        .map(|r| agg.by_customer.get(&r.customer).map_or(0.0, |k| agg.links[*k].weight))
        .sum()
}

/// `authorizations.csv`: the ledger of grants, shares and revocations.
pub fn authorizations_csv(agg: &Aggregators) -> String {
    let mut rows = agg.ledger.clone();
    rows.sort_by(|a, b| {
        (a.day, a.customer, a.drp.as_str(), a.kind as u8).cmp(&(b.day, b.customer, b.drp.as_str(), b.kind as u8))
    });
    crate::csv_out::to_csv(rows.iter().map(|r| AuthorizationCsvRow {
        date: date_of_day(r.day).to_string(),
        customer: r.customer,
        drp: &r.drp,
        event: r.kind.name(),
        channel: r.channel.name(),
        partner: &r.partner,
    }))
}

/// One line of `authorizations.csv`: the header is taken from the field names.
#[derive(Default, serde::Serialize)]
struct AuthorizationCsvRow<'a> {
    date: String,
    customer: u32,
    drp: &'a str,
    event: &'static str,
    channel: &'static str,
    partner: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::DrpConfig;

    fn drp(name: &str) -> DrpConfig {
        let text = crate::data::scenario("third-party-2022.toml").expect("shipped");
        let scn = crate::scenario::load_scenario(text, "third-party-2022.toml", &[], &crate::scenario::NoFiles)
            .expect("valid");
        let mut d = scn.scenario().drps[0].clone();
        d.name = name.into();
        d
    }

    #[test]
    fn each_drp_decision_draws_from_its_own_named_stream() {
        let rng = SimRng::new(2022);
        let k = DrpStreams::new(&rng, &[drp("A"), drp("B")]);
        let keys = [k.initial[0], k.initial[1], k.recruit[0], k.recruit[1], k.channel, k.partner_share, k.nomination, k.revocation];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a.uniform(7, 19_000), b.uniform(7, 19_000), "two decisions share a draw");
            }
        }
        // A DRP's draws depend on its name, not on its place in the list or on the others.
        let alone = DrpStreams::new(&rng, &[drp("B")]);
        assert_eq!(alone.recruit[0], k.recruit[1]);
        assert_eq!(alone.initial[0], k.initial[1]);
    }
}
