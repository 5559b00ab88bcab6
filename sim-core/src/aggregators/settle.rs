//! The DRPs' day: bids and the market's clearing (Decide), and after the run their settlement:
//! delivered energy against their resource's baseline, CAISO's payment at the clearing price,
//! their customers' share, and shortfalls against awards.

use super::market::{Offer, clear, stack_offers};
use super::state::{Aggregators, LedgerKind, MarketRow, MeterHistory, ScenarioRef, weighted_count};
use crate::csv_out::Fixed;
use crate::grid::GridState;
use crate::programs::{ProgramState, Request, Trigger};
use crate::scenario::BidStrategy;
use crate::settlement::baseline::compute;
use crate::settlement::money::CapacityBasis;
use crate::settlement::settle::overlap;
use crate::settlement::{SettlementAcc, SettlementRow};
use crate::time::{Clock, Date, date_of_day};
use crate::weather::Weather;
use bevy_ecs::prelude::*;
use std::collections::BTreeMap;

/// Decide (exclusive): at the market's decision time, the DRPs bid tomorrow's hours, the market
/// clears against the supply stack, and awards become `MarketAward` requests under the program rules.
pub fn market_system(world: &mut World) {
    let clock = world.resource::<Clock>().clone();
    let Some(scn) = world.get_resource::<ScenarioRef>().cloned() else { return };
    let s = scn.0.scenario();
    let decide = s.market.decision_time.minutes();
    let now = clock.now;
    if !(now.minute_of_day <= decide && decide < now.minute_of_day + clock.step_minutes) {
        return;
    }
    let Some(mut agg) = world.remove_resource::<Aggregators>() else { return };
    if agg.live && !agg.drps.is_empty() && agg.last_market_day != now.day {
        agg.last_market_day = now.day;
        let forecast = match (world.get_resource::<GridState>(), world.get_resource::<Weather>()) {
            (Some(g), Some(w)) => g.forecast_tomorrow(&clock, w),
            _ => vec![],
        };
        let mut ps = world.resource_mut::<ProgramState>();
        run_market(&mut agg, &mut ps, &scn, &clock, &forecast);
    }
    world.insert_resource(agg);
}

fn run_market(
    agg: &mut Aggregators,
    ps: &mut ProgramState,
    scn: &ScenarioRef,
    clock: &Clock,
    forecast: &[crate::grid::rules::ForecastHour],
) {
    let s = scn.0.scenario();
    let now = clock.now;
    let day = now.day + 1;
    let Ok(tomorrow) = now.date.tomorrow() else { return };
    // Each bidding DRP's resource for tomorrow: live authorizations only (and, when its partner
    // bids for it, only the authorizations shared with the partner).
    let mut offers: Vec<(usize, usize, f64)> = vec![];
    let mut potential: BTreeMap<usize, f64> = BTreeMap::new();
    for (d, drp) in agg.drps.iter().enumerate() {
        let cfg = &s.drps[d];
        if !drp.bids || drp.ready_day > day {
            continue;
        }
        let submitter = if cfg.bids_via_partner { drp.partner.unwrap_or(d) } else { d };
        let kw: f64 = agg
            .links
            .iter()
            .filter(|l| l.drp == d && l.live_on(day) && (!cfg.bids_via_partner || l.shared))
            .map(|l| l.weight * l.nomination_kw)
            .sum();
        let full = kw * cfg.expected_performance / 1000.0;
        potential.insert(d, full);
        let mw = full.min(cfg.capacity_mw);
        if mw > 0.0 {
            offers.push((d, submitter, mw));
        }
    }
    let stack = stack_offers(&s.market.stack);
    let cap = s.market.price_cap_usd_per_mwh;
    let mut awarded: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    let first_row = agg.market.len();
    for h in s.market.bid_hours[0]..s.market.bid_hours[1] {
        let Some(f) = forecast.iter().find(|f| f.minute_of_day == h * 60) else { continue };
        let net = (f.demand_mw - f.renewables_mw).max(0.0);
        let base_price = clear(&stack, net, cap).price;
        let mut all = stack.clone();
        let prices: Vec<f64> = offers
            .iter()
            .map(|(d, _, _)| match &s.drps[*d].bid {
                BidStrategy::Fixed { price_usd_per_mwh } => *price_usd_per_mwh,
                BidStrategy::Shade { share, floor_usd_per_mwh } => (share * base_price).max(*floor_usd_per_mwh),
            })
            .collect();
        for ((d, _, mw), p) in offers.iter().zip(&prices) {
            all.push(Offer { name: agg.drps[*d].name.clone(), mw: *mw, price: *p });
        }
        let c = clear(&all, net, cap);
        for (k, ((d, sub, mw), p)) in offers.iter().zip(&prices).enumerate() {
            let award = c.awards[stack.len() + k];
            agg.market.push(MarketRow {
                day,
                hour: h,
                drp: *d,
                drp_program: agg.drps[*d].program,
                submitter: *sub,
                net_load_mw: net,
                price: c.price,
                bid_mw: *mw,
                potential_mw: potential.get(d).copied().unwrap_or(*mw),
                bid_price: *p,
                award_mw: award,
                dispatched: false,
            });
            if award > 0.0 {
                awarded.entry(*d).or_default().push(h);
            }
        }
    }
    // Awards become dispatch requests: one per block of consecutive awarded hours.
    for (d, hours) in awarded {
        let mut blocks: Vec<(u32, u32)> = vec![];
        for h in hours {
            match blocks.last_mut() {
                Some((_, e)) if *e == h => *e = h + 1,
                _ => blocks.push((h, h + 1)),
            }
        }
        for (a, b) in blocks {
            let r = Request {
                program: ps.ids[agg.drps[d].program].clone(),
                date: tomorrow,
                start_min: a * 60,
                end_min: b * 60,
                trigger: Trigger::MarketAward,
                issued: Some((now.date, now.minute_of_day)),
            };
            if ps.submit(&r, clock, true) {
                for row in agg.market[first_row..].iter_mut().filter(|x| x.drp == d && x.hour >= a && x.hour < b) {
                    row.dispatched = true;
                }
            }
        }
    }
}

/// A DRP's results after the run.
pub struct DrpSettlement {
    /// Its row in `settlement.csv`.
    pub row: SettlementRow,
    /// Its summary.
    pub summary: super::state::DrpSummary,
}

/// Delivered energy per (drp, day, hour), MWh.
pub type Delivered = BTreeMap<(usize, i64, u32), f64>;

/// Settles every DRP: delivered energy against its resource's baseline (the aggregated history of
/// the customers with a live authorization on the event day), CAISO's payment at the clearing
/// price, capacity payments, its customers' share and shortfalls.
pub fn settle_drps(
    agg: &Aggregators,
    history: &MeterHistory,
    ps: &ProgramState,
    acc: &SettlementAcc,
    scn: &crate::scenario::ValidScenario,
    clock: &Clock,
) -> (Vec<DrpSettlement>, Delivered) {
    let s = scn.scenario();
    let now = clock.now.utc_s;
    let mut delivered: Delivered = BTreeMap::new();
    let mut out = vec![];
    let run_first = crate::time::day_number(scn.first_day());
    let run_days: Vec<i64> =
        (run_first..=clock.local(clock.utc_of_step(clock.step.max(1)) - 1).map_or(run_first, |l| l.day)).collect();
    for (d, drp) in agg.drps.iter().enumerate() {
        let cfg = &s.drps[d];
        let spec = &ps.specs[drp.program];
        let method = spec.baseline.as_ref().and_then(|b| b.method());
        let events: Vec<_> = ps.events.iter().filter(|e| e.program == drp.program && e.end_utc <= now).collect();
        let (mut base_mwh, mut act_mwh, mut unsettled) = (0.0, 0.0, 0u64);
        for e in &events {
            let day = crate::time::day_number(e.date);
            let members: Vec<_> = agg.links.iter().filter(|l| l.drp == d && l.live_on(day)).collect();
            let Some(m) = &method else { break };
            let mut data: BTreeMap<Date, [f64; 24]> = BTreeMap::new();
            for k in (day - i64::from(m.lookback_days) - 1)..=day {
                let mut hours = [0.0; 24];
                for (h, x) in hours.iter_mut().enumerate() {
                    *x = members.iter().map(|l| l.weight * history.get(l.history_slot, k, h)).sum();
                }
                data.insert(date_of_day(k), hours);
            }
            let excluded: Vec<Date> =
                ps.events.iter().filter(|x| x.program == drp.program && x.date < e.date).map(|x| x.date).collect();
            match compute(m, &data, e.date, e.start_min / 60, e.end_min.div_ceil(60).min(24), &excluded) {
                Ok(b) => {
                    for r in &b.rows {
                        let f = overlap(r.hour, e.start_min, e.end_min);
                        base_mwh += r.baseline_kw * f / 1000.0;
                        act_mwh += r.actual_kw * f / 1000.0;
                        *delivered.entry((d, day, r.hour)).or_insert(0.0) += (r.baseline_kw - r.actual_kw) * f / 1000.0;
                    }
                }
                Err(_) => unsettled += 1,
            }
        }
        let rows: Vec<&MarketRow> = agg.market.iter().filter(|r| r.drp == d && r.day <= clock.now.day).collect();
        let (mut revenue, mut shortfall, mut delivered_mwh) = (0.0, 0.0, 0.0);
        for r in &rows {
            let got = if r.dispatched { delivered.get(&(d, r.day, r.hour)).copied().unwrap_or(0.0) } else { 0.0 };
            revenue += got.max(0.0) * r.price;
            shortfall += (r.award_mw - got).max(0.0);
            if r.award_mw > 0.0 {
                delivered_mwh += got;
            }
        }
        let mut capacity = 0.0;
        if let (CapacityBasis::Commitment, Some(rates)) =
            (spec.money.capacity_basis, spec.money.capacity_usd_per_kw_month)
        {
            for day in &run_days {
                let date = date_of_day(*day);
                capacity += rates[(date.month() as usize).clamp(1, 12) - 1] * cfg.capacity_mw * 1000.0
                    / f64::from(date.days_in_month());
            }
        }
        let true_mwh: f64 = (0..acc.n_segments)
            .filter_map(|sg| acc.get(drp.program, sg))
            .map(|p| p.true_reduction_kwh.value() / 1000.0)
            .sum();
        let at_end: f64 = agg.links.iter().filter(|l| l.drp == d && l.live_on(clock.now.day)).map(|l| l.weight).sum();
        let pay = revenue * cfg.pay_share;
        out.push(DrpSettlement {
            row: SettlementRow {
                program: ps.ids[drp.program].clone(),
                segment: "all".into(),
                customers: at_end,
                events: events.len() as u64,
                event_hours: events.iter().map(|e| f64::from(e.end_min - e.start_min) / 60.0).sum(),
                baseline_mwh: base_mwh,
                actual_mwh: act_mwh,
                reduction_mwh: base_mwh - act_mwh,
                true_reduction_mwh: true_mwh,
                payments_usd: pay,
                penalties_usd: 0.0,
                credits_usd: 0.0,
                unsettled_events: unsettled,
                settled_by: drp.name.clone(),
                revenue_usd: revenue + capacity,
            },
            summary: super::state::DrpSummary {
                program: ps.ids[drp.program].clone(),
                applied: date_of_day(drp.applied_day).to_string(),
                registered: date_of_day(drp.ready_day).to_string(),
                capacity_mw: cfg.capacity_mw,
                requests: weighted_count(agg, d, LedgerKind::Request, None),
                grants: weighted_count(agg, d, LedgerKind::Grant, None),
                grants_online: weighted_count(agg, d, LedgerKind::Grant, Some(super::state::AuthChannel::Online)),
                grants_paper: weighted_count(agg, d, LedgerKind::Grant, Some(super::state::AuthChannel::Paper)),
                shares: weighted_count(agg, d, LedgerKind::Share, None),
                revocations: weighted_count(agg, d, LedgerKind::Revoke, None),
                customers_at_end: at_end,
                bid_mwh: rows.iter().map(|r| r.bid_mw).sum(),
                awarded_mwh: rows.iter().map(|r| r.award_mw).sum(),
                delivered_mwh,
                shortfall_mwh: shortfall,
                market_revenue_usd: revenue,
                capacity_payments_usd: capacity,
                customer_payments_usd: pay,
            },
        });
    }
    (out, delivered)
}

/// One line of `market.csv`: the header is taken from the field names.
#[derive(Default, serde::Serialize)]
struct MarketCsvRow<'a> {
    date: String,
    hour: u32,
    drp: &'a str,
    submitted_by: &'a str,
    net_load_mw: Fixed<1>,
    clearing_price_usd_per_mwh: Fixed<2>,
    bid_mw: Fixed<3>,
    bid_price_usd_per_mwh: Fixed<2>,
    award_mw: Fixed<3>,
    dispatched: bool,
    delivered_mw: Fixed<3>,
    shortfall_mw: Fixed<3>,
}

/// `market.csv`: one row per DRP and market hour.
pub fn market_csv(agg: &Aggregators, delivered: &Delivered) -> String {
    crate::csv_out::to_csv(agg.market.iter().map(|r| {
        let got = if r.dispatched { delivered.get(&(r.drp, r.day, r.hour)).copied().unwrap_or(0.0) } else { 0.0 };
        MarketCsvRow {
            date: date_of_day(r.day).to_string(),
            hour: r.hour,
            drp: &agg.drps[r.drp].name,
            submitted_by: &agg.drps[r.submitter].name,
            net_load_mw: Fixed(r.net_load_mw),
            clearing_price_usd_per_mwh: Fixed(r.price),
            bid_mw: Fixed(r.bid_mw),
            bid_price_usd_per_mwh: Fixed(r.bid_price),
            award_mw: Fixed(r.award_mw),
            dispatched: r.dispatched,
            delivered_mw: Fixed(got),
            shortfall_mw: Fixed((r.award_mw - got).max(0.0)),
        }
    }))
}
