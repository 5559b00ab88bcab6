//! Settlement after (or during) a run: baselines for every ended event of every baseline-settled
//! program, settled reductions, payments, credits and penalties, beside the true reductions.
//!
//! Each program is settled on the portfolio of its enrolled customers in each population segment
//! (the way aggregated portfolios such as CBP's are settled): the portfolio's hourly meter data
//! (the run, preceded by 45 simulated days without events) goes through the program's baseline
//! method, the same code as `drsim baseline`.

use super::accumulate::{Portfolio, SettlementAcc};
use super::baseline::compute;
use super::money::{CapacityBasis, bill_protection_refund, capacity_factor, energy_payment};
use crate::csv_out::Fixed;
use crate::customers::Segments;
use crate::metrics::ExactSum;
use crate::programs::{MAX_PROGRAMS, ProgramState};
use crate::time::{Clock, Date, date_of_day};
use std::collections::BTreeMap;

/// One row of `settlement.csv`: a program's portfolio in one segment.
#[derive(Clone, Debug, PartialEq)]
pub struct SettlementRow {
    /// Program ID.
    pub program: String,
    /// Segment name.
    pub segment: String,
    /// Real customers enrolled.
    pub customers: f64,
    /// Events called (and ended) in the run.
    pub events: u64,
    /// Event hours.
    pub event_hours: f64,
    /// Baseline energy in event hours, MWh.
    pub baseline_mwh: f64,
    /// Metered energy in event hours, MWh.
    pub actual_mwh: f64,
    /// Settled reduction (baseline − actual), MWh.
    pub reduction_mwh: f64,
    /// True reduction (counterfactual twin − actual) while events were in force, MWh.
    pub true_reduction_mwh: f64,
    /// Payments to customers (energy and capacity), $.
    pub payments_usd: f64,
    /// Penalties and charges paid by customers (excess energy, event price adders), $.
    pub penalties_usd: f64,
    /// Bill credits to customers, $.
    pub credits_usd: f64,
    /// Events a baseline could not be computed for.
    pub unsettled_events: u64,
    /// Who settles the portfolio (`SCE`, or the DRP that runs it).
    pub settled_by: String,
    /// A DRP's revenue: CAISO's market payments and capacity contract payments, $ (0 for SCE rows).
    pub revenue_usd: f64,
}

impl SettlementRow {
    /// Cost to the program: payments + credits − penalties, $.
    pub fn cost_usd(&self) -> f64 {
        self.payments_usd + self.credits_usd - self.penalties_usd
    }
}

/// One line of `settlement.csv`: the header is taken from the field names.
#[derive(Default, serde::Serialize)]
struct SettlementCsvRow<'a> {
    program: &'a str,
    segment: &'a str,
    customers: Fixed<3>,
    events: u64,
    event_hours: Fixed<4>,
    baseline_mwh: Fixed<4>,
    actual_mwh: Fixed<4>,
    reduction_mwh: Fixed<4>,
    true_reduction_mwh: Fixed<4>,
    payments_usd: Fixed<2>,
    penalties_usd: Fixed<2>,
    credits_usd: Fixed<2>,
    unsettled_events: u64,
    settled_by: &'a str,
    revenue_usd: Fixed<2>,
}

/// Every row as CSV text.
pub fn settlement_csv(rows: &[SettlementRow]) -> String {
    crate::csv_out::to_csv(rows.iter().map(|r| SettlementCsvRow {
        program: &r.program,
        segment: &r.segment,
        customers: Fixed(r.customers),
        events: r.events,
        event_hours: Fixed(r.event_hours),
        baseline_mwh: Fixed(r.baseline_mwh),
        actual_mwh: Fixed(r.actual_mwh),
        reduction_mwh: Fixed(r.reduction_mwh),
        true_reduction_mwh: Fixed(r.true_reduction_mwh),
        payments_usd: Fixed(r.payments_usd),
        penalties_usd: Fixed(r.penalties_usd),
        credits_usd: Fixed(r.credits_usd),
        unsettled_events: r.unsettled_events,
        settled_by: &r.settled_by,
        revenue_usd: Fixed(r.revenue_usd),
    }))
}

/// Fraction of the hour starting at `h` (hours) covered by [start, end) minutes.
pub(crate) fn overlap(h: u32, start_min: u32, end_min: u32) -> f64 {
    let a = start_min.max(h * 60);
    let b = end_min.min(h * 60 + 60);
    f64::from(b.saturating_sub(a)) / 60.0
}

fn days_in_month(d: Date) -> f64 {
    f64::from(d.days_in_month())
}

/// Settles every program's portfolios.
///
/// `acc` holds the run's data, `history` the simulated days before it (same portfolios), `clock`
/// the run's clock (events not yet ended are left out).
pub fn settle(
    ps: &ProgramState,
    acc: &SettlementAcc,
    history: Option<&SettlementAcc>,
    segments: &Segments,
    clock: &Clock,
) -> Vec<SettlementRow> {
    let n_seg = acc.n_segments;
    let now = clock.now.utc_s;
    let first = acc.first_day;
    // Days with at least one step done.
    let last = if clock.step == 0 {
        first - 1
    } else {
        clock.local(clock.utc_of_step(clock.step) - 1).map_or(first - 1, |l| l.day)
    };
    let run_days: Vec<i64> = (first..=last).collect();
    let mut rows = vec![];
    for (p, id) in ps.ids.iter().enumerate().take(MAX_PROGRAMS) {
        let spec = &ps.specs[p];
        let money = &spec.money;
        let method = spec.baseline.as_ref().and_then(|b| b.method());
        if ps.drp_of.get(p).copied().flatten().is_some() {
            // A DRP's resource is settled with the DRP (`aggregators::settle_drps`).
            continue;
        }
        let events: Vec<_> = ps.events.iter().filter(|e| e.program == p && e.end_utc <= now).collect();
        for s in 0..n_seg {
            let Some(port) = acc.get(p, s) else { continue };
            if port.agents == 0 {
                continue;
            }
            let mut data: BTreeMap<Date, [f64; 24]> = BTreeMap::new();
            if let Some(h) = history.and_then(|h| h.get(p, s).map(|x| (h.first_day, x))) {
                add_days(&mut data, h.0, h.1, usize::MAX);
            }
            add_days(&mut data, first, port, run_days.len());
            let mut row = SettlementRow {
                program: id.clone(),
                segment: segments.list.get(s).map_or_else(|| s.to_string(), |x| x.name.clone()),
                customers: port.customers,
                events: events.len() as u64,
                event_hours: events.iter().map(|e| f64::from(e.end_min - e.start_min) / 60.0).sum(),
                baseline_mwh: 0.0,
                actual_mwh: 0.0,
                reduction_mwh: 0.0,
                true_reduction_mwh: port.true_reduction_kwh.value() / 1000.0,
                payments_usd: 0.0,
                penalties_usd: 0.0,
                credits_usd: 0.0,
                unsettled_events: 0,
                settled_by: "SCE".into(),
                revenue_usd: 0.0,
            };
            // Baselines, event by event; settled kWh by month for capacity performance.
            let mut settled_by_month: BTreeMap<(i16, i8), (f64, f64)> = BTreeMap::new();
            for e in &events {
                let Some(m) = &method else { break };
                let excluded: Vec<Date> =
                    ps.events.iter().filter(|x| x.program == p && x.date < e.date).map(|x| x.date).collect();
                let (h1, h2) = (e.start_min / 60, e.end_min.div_ceil(60).min(24));
                match compute(m, &data, e.date, h1, h2, &excluded) {
                    Ok(b) => {
                        let (mut base, mut act) = (0.0, 0.0);
                        for r in &b.rows {
                            let f = overlap(r.hour, e.start_min, e.end_min);
                            base += r.baseline_kw * f;
                            act += r.actual_kw * f;
                        }
                        row.baseline_mwh += base / 1000.0;
                        row.actual_mwh += act / 1000.0;
                        if let Some(rate) = money.energy_usd_per_kwh {
                            row.payments_usd += energy_payment(rate, base - act);
                        }
                        let hours = f64::from(e.end_min - e.start_min) / 60.0;
                        let slot = settled_by_month.entry((e.date.year(), e.date.month())).or_insert((0.0, 0.0));
                        slot.0 += base - act;
                        slot.1 += hours;
                    }
                    Err(_) => row.unsettled_events += 1,
                }
            }
            row.reduction_mwh = row.baseline_mwh - row.actual_mwh;
            // Monthly capacity payments or credits, prorated by the run's days in each month.
            if let Some(rates) = money.capacity_usd_per_kw_month {
                let basis = match money.capacity_basis {
                    CapacityBasis::None => 0.0,
                    CapacityBasis::Nomination => port.nomination_kw,
                    CapacityBasis::CommittedReduction => port.committed_kw,
                    CapacityBasis::InterruptibleLoad => port.pump_kw,
                    // Aggregators' commitments are settled with the aggregator (see `aggregators`).
                    CapacityBasis::Commitment => 0.0,
                };
                let mut months: BTreeMap<(i16, i8), (f64, f64)> = BTreeMap::new();
                for d in &run_days {
                    let date = date_of_day(*d);
                    months.entry((date.year(), date.month())).or_insert((0.0, days_in_month(date))).0 += 1.0;
                }
                for ((y, mo), (days, total)) in months {
                    let factor = match (money.capacity_basis, settled_by_month.get(&(y, mo))) {
                        (CapacityBasis::Nomination, Some((kwh, hours))) if port.nomination_kw > 0.0 && *hours > 0.0 => {
                            capacity_factor(
                                kwh / (port.nomination_kw * hours),
                                money.full_performance,
                                money.zero_performance,
                            )
                        }
                        _ => 1.0,
                    };
                    let amount = rates[(mo as usize).clamp(1, 12) - 1] * basis * factor * days / total;
                    if money.capacity_basis == CapacityBasis::Nomination {
                        row.payments_usd += amount;
                    } else {
                        row.credits_usd += amount;
                    }
                }
            }
            if let Some(rate) = money.excess_energy_usd_per_kwh {
                row.penalties_usd += rate * port.excess_kwh.value();
            }
            // Seasonal credits, spread over the credit months, prorated by the run's days in them.
            let credit_days: f64 = run_days
                .iter()
                .filter(|d| money.credit_months.contains(&u32::from(date_of_day(**d).month() as u8)))
                .count() as f64;
            let season_days =
                season_length(&money.credit_months, run_days.first().map_or(2022, |d| date_of_day(*d).year()));
            let season_share = if season_days > 0.0 { credit_days / season_days } else { 0.0 };
            row.credits_usd += port.plan_credits_usd * season_share;
            if let Some(c) = money.season_credit_usd {
                row.credits_usd += port.customers * c * season_share;
            }
            if let Some(c) = money.signup_credit_usd {
                row.credits_usd += port.customers * c;
            }
            if let Some(adder) = money.event_adder_usd_per_kwh {
                let adders = adder * port.event_kwh.value();
                let credits = money.peak_credit_usd_per_kwh.unwrap_or(0.0) * port.peak_kwh.value();
                row.penalties_usd += adders;
                row.credits_usd += credits;
                if money.bill_protection {
                    row.credits_usd += bill_protection_refund(adders, credits);
                }
            }
            if money.base_price_usd_per_kwh.is_some() {
                row.credits_usd += port.flat_bill_usd.value() - port.price_bill_usd.value();
            }
            rows.push(row);
        }
    }
    rows
}

fn season_length(months: &[u32], year: i16) -> f64 {
    months.iter().filter_map(|m| Date::new(year, *m as i8, 1).ok()).map(|d| f64::from(d.days_in_month())).sum()
}

fn add_days(data: &mut BTreeMap<Date, [f64; 24]>, first_day: i64, port: &Portfolio, limit: usize) {
    for (i, day) in port.hourly_kwh.iter().enumerate().take(limit) {
        data.insert(date_of_day(first_day + i as i64), day.map(ExactSum::value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_hours_count_by_their_overlap() {
        assert_eq!(overlap(19, 19 * 60 + 5, 21 * 60), 55.0 / 60.0);
        assert_eq!(overlap(20, 19 * 60 + 5, 21 * 60), 1.0);
        assert_eq!(overlap(21, 19 * 60 + 5, 21 * 60), 0.0);
    }

    #[test]
    fn a_june_to_september_season_has_122_days() {
        assert_eq!(season_length(&[6, 7, 8, 9], 2022), 122.0);
    }
}
