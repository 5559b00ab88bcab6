//! Read-only views of a run for dashboards: the population's state aggregated by segment.
//!
//! Nothing here changes the world; every figure is weighted by the real customers an agent
//! stands for, and sums are exact (order-independent), so a view reads the same natively and in
//! the browser.

use crate::Sim;
use crate::customers::{Customer, Weight};
use crate::devices::AcState;
use crate::metrics::ExactSum;
use crate::programs::{Enrolment, MAX_PROGRAMS};
use crate::scenario::CustomerClass;
use crate::aggregators::state::MarketRow;
use crate::grid::{AlertLevel, IssuedAlert};
use crate::programs::{EventRow, ProgramSpec};
use serde::Serialize;

/// One population segment's state at the latest step, weighted by real customers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentView {
    /// Segment name.
    pub name: String,
    /// Customer class.
    pub class: CustomerClass,
    /// Simulated agents.
    pub agents: u64,
    /// Real customers they stand for.
    pub customers: f64,
    /// Customers with a central A/C.
    pub ac_customers: f64,
    /// Mean indoor temperature of customers with a central A/C, °C (NaN without any).
    pub mean_indoor_temp_c: f64,
    /// Highest indoor temperature among them, °C (NaN without any).
    pub max_indoor_temp_c: f64,
    /// Share of their A/C compressors running this step.
    pub ac_running_share: f64,
    /// Enrolled customers per program, in the run's program index order.
    pub enrolled: Vec<f64>,
    /// Customers enrolled in a program with an event in force this step.
    pub in_event: f64,
    /// Customers who overrode a thermostat change in their current event.
    pub overriding: f64,
    /// Customers who opted out of their current event.
    pub opted_out: f64,
    /// Mean consecutive event days of customers who had an event (fatigue), days.
    pub mean_consecutive_event_days: f64,
    /// Most consecutive event days of any customer, days.
    pub max_consecutive_event_days: u16,
}

#[derive(Default)]
struct Acc {
    agents: u64,
    customers: ExactSum,
    ac: ExactSum,
    indoor: ExactSum,
    indoor_max: f64,
    running: ExactSum,
    enrolled: [ExactSum; MAX_PROGRAMS],
    in_event: ExactSum,
    overriding: ExactSum,
    opted_out: ExactSum,
    fatigued: ExactSum,
    fatigue_days: ExactSum,
    fatigue_max: u16,
}

fn ratio(num: ExactSum, den: ExactSum) -> f64 {
    let d = den.value();
    if d > 0.0 { num.value() / d } else { f64::NAN }
}

/// The population's state by segment (in scenario order) at the latest step.
pub fn segment_views(sim: &Sim) -> Vec<SegmentView> {
    let world = &sim.world;
    let segments = sim.res::<crate::customers::Segments>();
    let active = sim.res::<crate::programs::ProgramState>().active;
    let programs = sim.res::<crate::programs::ProgramState>().ids.len().min(MAX_PROGRAMS);
    let mut acc: Vec<Acc> = segments.list.iter().map(|_| Acc::default()).collect();
    let query = world.try_query::<(&Customer, &Weight, Option<&Enrolment>, Option<&AcState>)>();
    if let Some(mut q) = query {
        for (c, w, e, ac) in q.iter(world) {
            let Some(a) = acc.get_mut(usize::from(c.segment)) else {
                continue;
            };
            let w = w.0;
            a.agents += 1;
            a.customers.add(w);
            if let Some(ac) = ac {
                a.ac.add(w);
                a.indoor.add(w * ac.temp_c);
                a.indoor_max = a.indoor_max.max(ac.temp_c);
                if ac.running {
                    a.running.add(w);
                }
            }
            if let Some(e) = e {
                for (p, sum) in a.enrolled.iter_mut().enumerate().take(programs) {
                    if e.enrolled.contains(p) {
                        sum.add(w);
                    }
                }
                let live = e.enrolled & active;
                if !live.is_empty() {
                    a.in_event.add(w);
                }
                if e.overridden.intersects(live) {
                    a.overriding.add(w);
                }
                if e.opted_out.intersects(live) {
                    a.opted_out.add(w);
                }
                if e.consecutive_days > 0 {
                    a.fatigued.add(w);
                    a.fatigue_days.add(w * f64::from(e.consecutive_days));
                    a.fatigue_max = a.fatigue_max.max(e.consecutive_days);
                }
            }
        }
    }
    segments
        .list
        .iter()
        .zip(acc)
        .map(|(s, a)| SegmentView {
            name: s.name.clone(),
            class: s.class,
            agents: a.agents,
            customers: a.customers.value(),
            ac_customers: a.ac.value(),
            mean_indoor_temp_c: ratio(a.indoor, a.ac),
            max_indoor_temp_c: if a.ac.value() > 0.0 { a.indoor_max } else { f64::NAN },
            ac_running_share: ratio(a.running, a.ac),
            enrolled: a.enrolled[..programs].iter().map(|x| x.value()).collect(),
            in_event: a.in_event.value(),
            overriding: a.overriding.value(),
            opted_out: a.opted_out.value(),
            mean_consecutive_event_days: ratio(a.fatigue_days, a.fatigued),
            max_consecutive_event_days: a.fatigue_max,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;
    use crate::scenario::{NoFiles, load_scenario};

    #[test]
    fn live_authorizations_count_from_the_live_day_through_the_revocation_day() {
        use crate::aggregators::state::{AuthChannel, DrpRuntime, Link};
        let link = |drp: usize, live_day: i64, revoked_day: Option<i64>, weight: f64| Link {
            customer: 0,
            drp,
            requested_day: live_day - 3,
            live_day,
            channel: AuthChannel::Online,
            shared: false,
            revoked_day,
            nomination_kw: 1.0,
            weight,
            history_slot: 0,
        };
        let drp = |name: &str| DrpRuntime {
            name: name.into(),
            program: 0,
            applied_day: 0,
            ready_day: 5,
            partner: None,
            candidates: vec![],
            bids: true,
        };
        let mut agg = crate::aggregators::Aggregators::default();
        agg.drps = vec![drp("A"), drp("B")];
        agg.links = vec![link(0, 10, None, 2.0), link(0, 12, Some(13), 5.0), link(1, 20, None, 1.0)];
        let live = MarketView::new(&agg).live_authorizations(10, 15);
        assert_eq!(live[0], vec![2.0, 2.0, 7.0, 7.0, 2.0, 2.0]);
        assert_eq!(live[1], vec![0.0; 6]);
        // Each day agrees with `Link::live_on`, the rule the DRPs' bids and settlement use.
        for (k, v) in live[0].iter().enumerate() {
            let day = 10 + k as i64;
            let want: f64 = agg.links.iter().filter(|l| l.drp == 0 && l.live_on(day)).map(|l| l.weight).sum();
            assert_eq!(*v, want, "day {day}");
        }
    }

    #[test]
    fn market_totals_sum_each_drps_rows() {
        let scn = load_scenario(data::scenario("third-party-2022.toml").unwrap(), "x.toml", &[], &NoFiles).unwrap();
        let mut sim = Sim::new(&scn, 3);
        sim.run_to_end();
        let m = sim.market();
        let t = m.totals();
        assert_eq!(t.len(), m.drps().len());
        assert!(t.iter().any(|x| x.bid_mwh > 0.0), "some DRP bids");
        for (d, x) in t.iter().enumerate() {
            let rows: Vec<_> = m.rows().iter().filter(|r| r.drp == d).collect();
            assert_eq!(x.bid_mwh, rows.iter().map(|r| r.bid_mw).sum::<f64>());
            assert!(x.award_mwh <= x.bid_mwh + 1e-9, "awards never exceed bids");
            assert_eq!(x.dispatched_hours as usize, rows.iter().filter(|r| r.dispatched).count());
        }
    }

    #[test]
    fn segment_views_cover_every_agent_and_enrolment() {
        let scn = load_scenario(data::default_scenario(), "default.toml", &[], &NoFiles).unwrap();
        let mut sim = Sim::new(&scn, 1);
        sim.run_steps(3);
        let views = segment_views(&sim);
        assert_eq!(views.len(), sim.segments().list.len());
        let agents: u64 = views.iter().map(|v| v.agents).sum();
        assert_eq!(agents, scn.agents());
        let homes = &views[0];
        assert!(homes.mean_indoor_temp_c > 15.0 && homes.mean_indoor_temp_c < 40.0);
        let stats = sim.program_stats();
        for p in 0..sim.res::<crate::programs::ProgramState>().ids.len() {
            let by_segment: f64 = views.iter().map(|v| v.enrolled[p]).sum();
            let total = stats.enrolled_customers[p];
            assert!((by_segment - total).abs() <= 1e-6 * total.max(1.0), "program {p}");
        }
    }
}

/// The grid as a dashboard reads it: declared alert, thresholds, day-ahead alerts and forecasts.
#[derive(Clone, Copy)]
pub struct GridView<'a> {
    grid: &'a crate::grid::GridState,
}

impl<'a> GridView<'a> {
    pub(crate) fn new(grid: &'a crate::grid::GridState) -> Self {
        Self { grid }
    }

    /// The reserve-margin thresholds of the real-time alerts, %.
    pub fn alert_thresholds(&self) -> [(AlertLevel, f64); 3] {
        let a = &self.grid.cfg.alerts;
        [(AlertLevel::Eea1, a.eea1_margin_pct), (AlertLevel::Eea2, a.eea2_margin_pct), (AlertLevel::Eea3, a.eea3_margin_pct)]
    }

    /// The real-time alert in force and when it was declared (UTC seconds), if any.
    pub fn declared(&self) -> Option<(AlertLevel, i64)> {
        let rt = &self.grid.rt;
        (rt.level != AlertLevel::None).then_some((rt.level, rt.since_utc_s))
    }

    /// Day-ahead alerts issued so far, in issue order.
    pub fn issued(&self) -> &'a [IssuedAlert] {
        &self.grid.issued
    }

    /// Today's peak system load so far, MW.
    pub fn today_peak_mw(&self) -> f64 {
        self.grid.today_peak_mw
    }

    /// The latest next-day peak forecast: (day number, MW).
    pub fn next_day_peak_forecast(&self) -> Option<(i64, f64)> {
        self.grid.next_day_peak_forecast
    }

    /// The latest next-day lowest reserve margin forecast: (day number, %).
    pub fn next_day_min_margin(&self) -> Option<(i64, f64)> {
        self.grid.next_day_min_margin
    }
}

/// The programs of a run as a dashboard reads them: ids, rules and the events table.
#[derive(Clone, Copy)]
pub struct ProgramsView<'a> {
    ps: &'a crate::programs::ProgramState,
}

impl<'a> ProgramsView<'a> {
    pub(crate) fn new(ps: &'a crate::programs::ProgramState) -> Self {
        Self { ps }
    }

    /// Program IDs in index order (the order of every per-program column).
    pub fn ids(&self) -> &'a [String] {
        &self.ps.ids
    }

    /// A program's index.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.ps.index(id)
    }

    /// A program's rules, by index.
    pub fn spec(&self, index: usize) -> Option<&'a ProgramSpec> {
        self.ps.specs.get(index).map(|s| &**s)
    }

    /// The events table so far, in the order the requests were judged.
    pub fn rows(&self) -> &'a [EventRow] {
        &self.ps.rows
    }

    /// The events table in `events.csv` order (by date, start and program).
    pub fn sorted_rows(&self) -> Vec<EventRow> {
        self.ps.sorted_rows()
    }
}

/// A third-party demand response provider as a dashboard reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DrpView {
    /// Name.
    pub name: String,
    /// Index of its program (see [`ProgramsView::ids`]).
    pub program: usize,
    /// Day number from which it may enrol customers and bid (registration complete).
    pub ready_day: i64,
}

/// One DRP's market totals so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MarketTotals {
    /// Bids, MWh.
    pub bid_mwh: f64,
    /// Awards, MWh.
    pub award_mwh: f64,
    /// Hours dispatched.
    pub dispatched_hours: u32,
}

/// The third-party market as a dashboard reads it: DRPs, market rows and authorizations.
#[derive(Clone, Copy)]
pub struct MarketView<'a> {
    agg: &'a crate::aggregators::Aggregators,
}

impl<'a> MarketView<'a> {
    pub(crate) fn new(agg: &'a crate::aggregators::Aggregators) -> Self {
        Self { agg }
    }

    /// The DRPs, in scenario order.
    pub fn drps(&self) -> Vec<DrpView> {
        let d = &self.agg.drps;
        d.iter().map(|d| DrpView { name: d.name.clone(), program: d.program, ready_day: d.ready_day }).collect()
    }

    /// The day-ahead market's rows so far (bids, awards, dispatch), hour by hour.
    pub fn rows(&self) -> &'a [MarketRow] {
        &self.agg.market
    }

    /// Per-DRP totals of the market rows so far, in DRP order.
    pub fn totals(&self) -> Vec<MarketTotals> {
        let mut t = vec![MarketTotals::default(); self.agg.drps.len()];
        for r in &self.agg.market {
            if let Some(x) = t.get_mut(r.drp) {
                x.bid_mwh += r.bid_mw;
                x.award_mwh += r.award_mw;
                x.dispatched_hours += u32::from(r.dispatched);
            }
        }
        t
    }

    /// Weighted customers with a live authorization per DRP and day, from `first_day` to
    /// `last_day` (day numbers): `out[drp][day - first_day]`. An authorization is live from the
    /// day it is processed through the day it is revoked.
    pub fn live_authorizations(&self, first_day: i64, last_day: i64) -> Vec<Vec<f64>> {
        let n = usize::try_from(last_day - first_day + 1).unwrap_or(0);
        let mut diff = vec![vec![0.0; n + 1]; self.agg.drps.len()];
        let idx = |d: i64| usize::try_from((d - first_day).max(0)).unwrap_or(0).min(n);
        for l in &self.agg.links {
            let end = l.revoked_day.map_or(last_day, |r| r.min(last_day));
            if l.live_day > last_day || end < l.live_day {
                continue;
            }
            if let Some(d) = diff.get_mut(l.drp) {
                d[idx(l.live_day)] += l.weight;
                d[idx(end + 1)] -= l.weight;
            }
        }
        diff.into_iter()
            .map(|d| {
                let mut acc = 0.0;
                d[..n]
                    .iter()
                    .map(|x| {
                        acc += x;
                        acc
                    })
                    .collect()
            })
            .collect()
    }
}
