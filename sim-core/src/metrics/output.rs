//! The run's summary (`summary.json`) and the time series as CSV text.
//!
//! Formatting lives in the core so that every front end (command line, browser) writes the same bytes.

use super::systems::StepRecord;
use crate::grid::{AlertLevel, IssuedAlert};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rounds to `d` decimals (for readable, stable output).
pub fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    // `+ 0.0` turns -0.0 into 0.0.
    (x * f).round() / f + 0.0
}

/// A day-ahead alert as reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IssuedAlertReport {
    /// FlexAlert or EEAWatch.
    pub level: AlertLevel,
    /// When issued (local, RFC 3339).
    pub issued: String,
    /// Window start (local).
    pub start: String,
    /// Window end (local).
    pub end: String,
    /// Forecast reserve margin that triggered it, %.
    pub forecast_margin_pct: f64,
}

/// A day's rotating outages, as reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutageDayReport {
    /// Local date.
    pub date: String,
    /// First step with load shed (local).
    pub start: String,
    /// End of the last step with load shed (local).
    pub end: String,
    /// Highest load shed, MW.
    pub peak_shed_mw: f64,
    /// Energy not served, MWh.
    pub unserved_mwh: f64,
    /// Simulated customers who lost power that day (weighted; each counted once per outage).
    pub customers_out: f64,
    /// Customers on the whole system who lost power that day (estimated: see `timeseries.csv`'s
    /// `system_customers_out`).
    pub system_customers_out: f64,
}

/// The run's summary (`summary.json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    /// Scenario name.
    pub scenario: String,
    /// Seed of the run.
    pub seed: u64,
    /// Steps simulated.
    pub steps: u64,
    /// Step length, minutes.
    pub step_minutes: u32,
    /// First step (local).
    pub start: String,
    /// End of the last step (local).
    pub end: String,
    /// Simulated agents.
    pub agents: u64,
    /// Real customers they represent.
    pub customers_represented: f64,
    /// Highest system load, MW.
    pub peak_system_load_mw: f64,
    /// When it occurred (step start, local).
    pub peak_system_load_time: String,
    /// Lowest reserve margin, %.
    pub min_reserve_margin_pct: f64,
    /// When it occurred.
    pub min_reserve_margin_time: String,
    /// Hours during which each level was the highest alert in effect.
    pub alert_hours: BTreeMap<AlertLevel, f64>,
    /// Hours during which each level or a higher one was in effect.
    pub alert_hours_at_or_above: BTreeMap<AlertLevel, f64>,
    /// Energy not served because of rotating outages, MWh.
    pub unserved_energy_mwh: f64,
    /// Each day with rotating outages: when, how much, and how many customers lost power.
    pub outages: Vec<OutageDayReport>,
    /// Highest load of the simulated customers (weighted), MW.
    pub customers_peak_mw: f64,
    /// When it occurred.
    pub customers_peak_time: String,
    /// Energy used by the simulated customers (weighted), MWh.
    pub customers_energy_mwh: f64,
    /// Hottest outdoor temperature, °C.
    pub max_outdoor_temp_c: f64,
    /// Day-ahead alerts issued by the model.
    pub day_ahead_alerts: Vec<IssuedAlertReport>,
    /// Highest system load in the counterfactual twin (no events), MW (absent without a twin).
    pub counterfactual_peak_system_load_mw: Option<f64>,
    /// Per program: enrolment, events, and what it delivered.
    pub programs: BTreeMap<String, ProgramSummary>,
    /// Applications refused at enrolment: program → reason → real customers.
    pub enrolment_rejections: BTreeMap<String, BTreeMap<String, f64>>,
    /// Energy from backup generators used in events, MWh.
    pub generator_mwh: f64,
    /// Generator energy refused by prohibited-resource rules, MWh.
    pub generator_refused_mwh: f64,
    /// Load change not attributable to any program (should be near zero), MWh.
    pub unattributed_reduction_mwh: f64,
    /// Third-party DRPs: registration, authorizations, bids, awards, deliveries and money.
    pub drps: BTreeMap<String, crate::aggregators::DrpSummary>,
    /// Customers who left utility programs on joining a DRP, by program left (real customers).
    pub migrations: BTreeMap<String, f64>,
    /// By energy supplier (SCE for Bundled, CCAs, ESPs): customers, enrolment, load served and reduced.
    pub suppliers: BTreeMap<String, SupplierSummary>,
}

/// One energy supplier's customers in a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SupplierSummary {
    /// Real customers.
    pub customers: f64,
    /// Real customers enrolled in any program.
    pub enrolled_customers: f64,
    /// Energy served to them, MWh.
    pub served_mwh: f64,
    /// Their true reduction while events were in force, MWh.
    pub reduced_in_events_mwh: f64,
}

impl SupplierSummary {
    /// Rounded for the summary.
    pub fn rounded(self) -> Self {
        Self {
            customers: round(self.customers, 3),
            enrolled_customers: round(self.enrolled_customers, 3),
            served_mwh: round(self.served_mwh, 3),
            reduced_in_events_mwh: round(self.reduced_in_events_mwh, 3),
        }
    }
}

/// One program's results in a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProgramSummary {
    /// Long name.
    pub name: String,
    /// Real customers enrolled.
    pub enrolled_customers: f64,
    /// Agents enrolled.
    pub enrolled_agents: u64,
    /// Requests called.
    pub events_called: u64,
    /// Requests refused.
    pub events_refused: u64,
    /// Hours of called events inside the run.
    pub event_hours: f64,
    /// True reduction at the step of peak system load, MW.
    pub mw_at_system_peak: f64,
    /// True reduction at the step the system would have peaked without events (the counterfactual peak), MW.
    pub mw_at_counterfactual_peak: f64,
    /// Mean true reduction over the steps its events were in force, MW.
    pub mean_event_reduction_mw: f64,
    /// Largest true reduction in any step, MW.
    pub max_reduction_mw: f64,
    /// Energy reduced over the run, net of snapback, MWh.
    pub net_reduction_mwh: f64,
    /// Notifications sent, by channel (real customers notified, summed over events).
    pub notifications: BTreeMap<String, f64>,
    /// Customers who opted out of an event (summed over events).
    pub opt_outs: f64,
    /// Customers who overrode a thermostat change (summed over events).
    pub overrides: f64,
    /// Settled reduction (baseline − actual) over ended events, MWh.
    pub settled_reduction_mwh: f64,
    /// True reduction (twin − actual) while events were in force, MWh.
    pub true_reduction_mwh: f64,
    /// Settlement error: (settled − true) / true, % (absent when the true reduction is ~0).
    pub settlement_error_pct: Option<f64>,
    /// Events a baseline could not be computed for.
    pub unsettled_events: u64,
    /// Payments to customers, $.
    pub payments_usd: f64,
    /// Penalties and charges paid by customers, $.
    pub penalties_usd: f64,
    /// Bill credits to customers, $.
    pub credits_usd: f64,
    /// Cost of the program over the run: payments + credits − penalties, $.
    pub cost_usd: f64,
    /// Cost per kW-year: the run's cost scaled to a year, per kW of mean reduction in events.
    pub cost_per_kw_year: Option<f64>,
    /// Cost per MWh of true reduction in events, $/MWh.
    pub cost_per_mwh: Option<f64>,
    /// Degree-hours above the thermostat setpoint per enrolled customer over the run, °C·h.
    pub comfort_degree_hours_per_customer: f64,
    /// Extra degree-hours per enrolled customer compared with the twin (the comfort the program costs), °C·h.
    pub extra_degree_hours_per_customer: Option<f64>,
    /// Share of enrolled customers overriding or opting out, per event called.
    pub share_overriding: f64,
}

/// What the summary needs to report programs.
pub struct ProgramReport<'a> {
    /// Programs in force.
    pub programs: &'a crate::programs::ProgramState,
    /// Their statistics.
    pub stats: &'a crate::programs::ProgramStats,
    /// Recorded steps.
    pub steps: &'a [StepRecord],
    /// Step length, hours.
    pub dt_h: f64,
    /// A counterfactual twin ran.
    pub counterfactual: bool,
    /// Settlement rows.
    pub settlement: &'a [crate::settlement::SettlementRow],
    /// Degree-hours above setpoint per program: (actual, twin).
    pub degree_hours: &'a [(f64, f64)],
    /// Days simulated so far.
    pub run_days: f64,
}

/// The days with rotating outages, in order.
/// `run_end` is the end of the last step (local).
fn outage_days(steps: &[StepRecord], dt_h: f64, run_end: &str) -> Vec<OutageDayReport> {
    let mut out: Vec<OutageDayReport> = vec![];
    for (i, s) in steps.iter().enumerate().filter(|(_, s)| s.unserved_mw > 0.0) {
        let date = s.time.date.to_string();
        let end = steps.get(i + 1).map_or_else(|| run_end.to_string(), |n| n.time.rfc3339());
        match out.last_mut() {
            Some(d) if d.date == date => {
                d.end = end;
                d.peak_shed_mw = d.peak_shed_mw.max(s.unserved_mw);
                d.unserved_mwh += s.unserved_mw * dt_h;
                d.customers_out += s.customers_newly_out;
                d.system_customers_out += s.system_customers_newly_out;
            }
            _ => out.push(OutageDayReport {
                date,
                start: s.time.rfc3339(),
                end,
                peak_shed_mw: s.unserved_mw,
                unserved_mwh: s.unserved_mw * dt_h,
                customers_out: s.customers_newly_out,
                system_customers_out: s.system_customers_newly_out,
            }),
        }
    }
    for d in &mut out {
        d.peak_shed_mw = round(d.peak_shed_mw, 3);
        d.unserved_mwh = round(d.unserved_mwh, 3);
        d.customers_out = round(d.customers_out, 3);
        d.system_customers_out = round(d.system_customers_out, 0);
    }
    out
}

impl RunSummary {
    /// Builds the summary from the recorded steps.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_steps(
        scenario: &str,
        seed: u64,
        step_minutes: u32,
        agents: u64,
        customers_represented: f64,
        steps: &[StepRecord],
        end_text: String,
        issued: &[IssuedAlert],
        local: &dyn Fn(i64) -> String,
    ) -> Self {
        let dt_h = f64::from(step_minutes) / 60.0;
        let argmax = |f: &dyn Fn(&StepRecord) -> f64| {
            steps.iter().fold(None::<&StepRecord>, |best, s| match best {
                Some(b) if f(b) >= f(s) => Some(b),
                _ => Some(s),
            })
        };
        let peak = argmax(&|s| s.system_load_mw);
        let cpeak = argmax(&|s| s.customers_load_mw);
        let minm = argmax(&|s| {
            if s.reserve_margin_pct.is_nan() { f64::NEG_INFINITY } else { -s.reserve_margin_pct }
        });
        let mut alert_hours = BTreeMap::new();
        let mut at_or_above = BTreeMap::new();
        for l in AlertLevel::ALL.into_iter().skip(1) {
            let n = steps.iter().filter(|s| s.alert == l).count() as f64;
            let m = steps.iter().filter(|s| s.alert >= l).count() as f64;
            alert_hours.insert(l, round(n * dt_h, 4));
            at_or_above.insert(l, round(m * dt_h, 4));
        }
        let time_of = |s: Option<&StepRecord>| s.map(|s| s.time.rfc3339()).unwrap_or_default();
        let outages = outage_days(steps, dt_h, &end_text);
        RunSummary {
            scenario: scenario.to_string(),
            seed,
            steps: steps.len() as u64,
            step_minutes,
            start: time_of(steps.first()),
            end: end_text,
            agents,
            customers_represented: round(customers_represented, 3),
            peak_system_load_mw: round(peak.map_or(0.0, |s| s.system_load_mw), 3),
            peak_system_load_time: time_of(peak),
            min_reserve_margin_pct: round(minm.map_or(f64::NAN, |s| s.reserve_margin_pct), 3),
            min_reserve_margin_time: time_of(minm),
            alert_hours,
            alert_hours_at_or_above: at_or_above,
            unserved_energy_mwh: round(steps.iter().map(|s| s.unserved_mw).sum::<f64>() * dt_h, 3),
            outages,
            customers_peak_mw: round(cpeak.map_or(0.0, |s| s.customers_load_mw), 3),
            customers_peak_time: time_of(cpeak),
            customers_energy_mwh: round(steps.iter().map(|s| s.customers_load_mw).sum::<f64>() * dt_h, 3),
            max_outdoor_temp_c: round(steps.iter().map(|s| s.outdoor_temp_c).fold(f64::NEG_INFINITY, f64::max), 3),
            day_ahead_alerts: issued
                .iter()
                .map(|a| IssuedAlertReport {
                    level: a.level,
                    issued: local(a.issued_utc_s),
                    start: local(a.start_utc_s),
                    end: local(a.end_utc_s),
                    forecast_margin_pct: round(a.forecast_margin_pct, 3),
                })
                .collect(),
            counterfactual_peak_system_load_mw: None,
            programs: BTreeMap::new(),
            enrolment_rejections: BTreeMap::new(),
            generator_mwh: 0.0,
            generator_refused_mwh: 0.0,
            unattributed_reduction_mwh: 0.0,
            drps: BTreeMap::new(),
            migrations: BTreeMap::new(),
            suppliers: BTreeMap::new(),
        }
    }

    /// Adds the programs' results.
    pub fn add_programs(&mut self, r: &ProgramReport<'_>) {
        let steps = r.steps;
        let peak = steps.iter().enumerate().fold(None::<(usize, f64)>, |b, (i, s)| match b {
            Some((_, v)) if v >= s.system_load_mw => b,
            _ => Some((i, s.system_load_mw)),
        });
        let cf_peak = steps.iter().enumerate().filter(|(_, s)| s.counterfactual_system_load_mw.is_finite()).fold(
            None::<(usize, f64)>,
            |b, (i, s)| match b {
                Some((_, v)) if v >= s.counterfactual_system_load_mw => b,
                _ => Some((i, s.counterfactual_system_load_mw)),
            },
        );
        if r.counterfactual {
            self.counterfactual_peak_system_load_mw = cf_peak.map(|(_, v)| round(v, 3));
        }
        let ps = r.programs;
        for (p, id) in ps.ids.iter().enumerate().take(crate::programs::MAX_PROGRAMS) {
            let rows = ps.rows.iter().filter(|x| &x.request.program == id);
            let called = rows.clone().filter(|x| x.status == crate::programs::Status::Called).count() as u64;
            let refused = rows.clone().count() as u64 - called;
            let active: Vec<&StepRecord> = steps.iter().filter(|s| s.active_programs.contains(p)).collect();
            let mean = if active.is_empty() {
                0.0
            } else {
                active.iter().map(|s| s.program_reduction_mw[p]).sum::<f64>() / active.len() as f64
            };
            let notifications = crate::scenario::Channel::ALL
                .iter()
                .enumerate()
                .map(|(k, c)| (c.name().to_string(), round(r.stats.notifications.get(p).map_or(0.0, |n| n[k]), 3)))
                .collect();
            let rows: Vec<&crate::settlement::SettlementRow> =
                r.settlement.iter().filter(|x| &x.program == id).collect();
            let sum = |f: &dyn Fn(&crate::settlement::SettlementRow) -> f64| rows.iter().map(|x| f(x)).sum::<f64>();
            let settled = sum(&|x| x.reduction_mwh);
            let true_mwh = sum(&|x| x.true_reduction_mwh);
            let (payments, penalties, credits) =
                (sum(&|x| x.payments_usd), sum(&|x| x.penalties_usd), sum(&|x| x.credits_usd));
            let cost = payments + credits - penalties;
            let enrolled = r.stats.enrolled_customers.get(p).copied().unwrap_or(0.0);
            let (dh, dh_twin) = r.degree_hours.get(p).copied().unwrap_or((0.0, f64::NAN));
            let events_called = rows.first().map_or(0, |x| x.events);
            let overriding =
                r.stats.overrides.get(p).copied().unwrap_or(0.0) + r.stats.opt_outs.get(p).copied().unwrap_or(0.0);
            let mean_kw = mean * 1000.0;
            let some = |x: f64| x.is_finite().then(|| round(x, 3));
            self.programs.insert(
                id.clone(),
                ProgramSummary {
                    name: ps.specs[p].name.clone(),
                    enrolled_customers: round(r.stats.enrolled_customers.get(p).copied().unwrap_or(0.0), 3),
                    enrolled_agents: r.stats.enrolled_agents.get(p).copied().unwrap_or(0),
                    events_called: called,
                    events_refused: refused,
                    event_hours: round(active.len() as f64 * r.dt_h, 4),
                    mw_at_system_peak: round(peak.map_or(0.0, |(i, _)| steps[i].program_reduction_mw[p]), 3),
                    mw_at_counterfactual_peak: round(cf_peak.map_or(0.0, |(i, _)| steps[i].program_reduction_mw[p]), 3),
                    mean_event_reduction_mw: round(mean, 3),
                    max_reduction_mw: round(steps.iter().map(|s| s.program_reduction_mw[p]).fold(0.0, f64::max), 3),
                    net_reduction_mwh: round(steps.iter().map(|s| s.program_reduction_mw[p]).sum::<f64>() * r.dt_h, 3),
                    notifications,
                    opt_outs: round(r.stats.opt_outs.get(p).copied().unwrap_or(0.0), 3),
                    overrides: round(r.stats.overrides.get(p).copied().unwrap_or(0.0), 3),
                    settled_reduction_mwh: round(settled, 4),
                    true_reduction_mwh: round(true_mwh, 4),
                    settlement_error_pct: (true_mwh.abs() > 1e-6)
                        .then(|| round((settled - true_mwh) / true_mwh * 100.0, 2)),
                    unsettled_events: rows.iter().map(|x| x.unsettled_events).sum(),
                    payments_usd: round(payments, 2),
                    penalties_usd: round(penalties, 2),
                    credits_usd: round(credits, 2),
                    cost_usd: round(cost, 2),
                    cost_per_kw_year: (mean_kw > 1e-6 && r.run_days > 0.0)
                        .then(|| round(cost * 365.0 / r.run_days / mean_kw, 2)),
                    cost_per_mwh: (true_mwh > 1e-6).then(|| round(cost / true_mwh, 2)),
                    comfort_degree_hours_per_customer: if enrolled > 0.0 { round(dh / enrolled, 4) } else { 0.0 },
                    extra_degree_hours_per_customer: if enrolled > 0.0 {
                        some((dh - dh_twin) / enrolled)
                    } else {
                        None
                    },
                    share_overriding: if enrolled > 0.0 && events_called > 0 {
                        round(overriding / (enrolled * events_called as f64), 5)
                    } else {
                        0.0
                    },
                },
            );
        }
        for ((prog, reason), n) in &r.stats.rejections {
            self.enrolment_rejections.entry(prog.clone()).or_default().insert(reason.clone(), round(*n, 3));
        }
        self.generator_mwh = round(r.stats.generator_kwh / 1000.0, 3);
        self.generator_refused_mwh = round(r.stats.generator_refused_kwh / 1000.0, 3);
        self.unattributed_reduction_mwh =
            round(steps.iter().map(|s| s.unattributed_reduction_mw).sum::<f64>() * r.dt_h, 3);
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

/// The values of one column of the time series.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnValues {
    /// Text (the time stamp, the alert level).
    Text(Vec<String>),
    /// Numbers, written with `decimals` places; a non-finite value is written empty (null).
    Number {
        /// One value a step.
        values: Vec<f64>,
        /// Decimal places in CSV (and the rounding of [`Column::rounded`]).
        decimals: usize,
    },
}

/// One column of the time series: its name and a value for every step.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Column name, with its unit (e.g. `system_load_mw`).
    pub name: String,
    /// The values.
    pub values: ColumnValues,
}

impl Column {
    /// The numbers as written in CSV (rounded to the column's decimals; `None` where empty), or
    /// `None` for a text column.
    pub fn rounded(&self) -> Option<Vec<Option<f64>>> {
        match &self.values {
            ColumnValues::Text(_) => None,
            ColumnValues::Number { values, decimals } => {
                Some(values.iter().map(|x| cell(*x, *decimals).and_then(|t| t.parse().ok())).collect())
            }
        }
    }
}

fn cell(x: f64, d: usize) -> Option<String> {
    x.is_finite().then(|| format!("{x:.d$}"))
}

/// The time series of a run (`timeseries.csv`, and the per-run series of a batch), as columns:
/// the one model both the CSV and the Parquet writers read.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeseries {
    /// The columns, in file order.
    pub columns: Vec<Column>,
    /// Steps (rows).
    pub rows: usize,
}

/// A numeric column: name, decimals in CSV, and the value of a step.
type NumberSpec = (&'static str, usize, fn(&StepRecord) -> f64);

/// The numeric columns after `time` and before `alert`.
const BEFORE_ALERT: [NumberSpec; 4] = [
    ("outdoor_temp_c", 3, |s| s.outdoor_temp_c),
    ("system_load_mw", 3, |s| s.system_load_mw),
    ("supply_mw", 3, |s| s.supply_mw),
    ("reserve_margin_pct", 3, |s| s.reserve_margin_pct),
];

/// The numeric columns after `alert`, up to the per-program reductions.
const AFTER_ALERT: [NumberSpec; 18] = [
    ("customers_load_mw", 6, |s| s.customers_load_mw),
    ("customers_expected_mw", 6, |s| s.customers_expected_mw),
    ("residential_mw", 6, |s| s.class_mw[0]),
    ("commercial_mw", 6, |s| s.class_mw[1]),
    ("industrial_mw", 6, |s| s.class_mw[2]),
    ("agricultural_mw", 6, |s| s.class_mw[3]),
    ("solar_mw", 3, |s| s.solar_mw),
    ("wind_mw", 3, |s| s.wind_mw),
    ("imports_mw", 3, |s| s.imports_mw),
    ("firm_mw", 3, |s| s.firm_mw),
    ("replay_withheld_mw", 3, |s| s.replay_withheld_mw),
    ("unserved_mw", 3, |s| s.unserved_mw),
    ("customers_out", 3, |s| s.customers_out),
    ("system_customers_out", 0, |s| s.system_customers_out),
    ("conservation_mw", 3, |s| s.conservation_mw),
    ("mean_indoor_temp_c", 4, |s| s.mean_indoor_temp_c),
    ("ac_running_share", 5, |s| s.ac_running_share),
    ("counterfactual_system_load_mw", 3, |s| s.counterfactual_system_load_mw),
];

impl Timeseries {
    /// The series of `steps`; `programs` names the per-program reduction columns.
    pub fn of(steps: &[StepRecord], programs: &[String]) -> Self {
        let number = |name: String, decimals: usize, f: &dyn Fn(&StepRecord) -> f64| Column {
            name,
            values: ColumnValues::Number { values: steps.iter().map(f).collect(), decimals },
        };
        let mut columns = vec![Column {
            name: "time".into(),
            values: ColumnValues::Text(steps.iter().map(|s| s.time.rfc3339()).collect()),
        }];
        columns.extend(BEFORE_ALERT.iter().map(|(n, d, f)| number((*n).into(), *d, f)));
        columns.push(Column {
            name: "alert".into(),
            values: ColumnValues::Text(steps.iter().map(|s| s.alert.name().to_string()).collect()),
        });
        columns.extend(AFTER_ALERT.iter().map(|(n, d, f)| number((*n).into(), *d, f)));
        for (i, p) in programs.iter().enumerate() {
            let f = |s: &StepRecord| s.program_reduction_mw.get(i).copied().unwrap_or(f64::NAN);
            columns.push(number(format!("reduction_{p}_mw"), 4, &f));
        }
        columns.push(number("unattributed_reduction_mw".into(), 4, &|s| s.unattributed_reduction_mw));
        Self { columns, rows: steps.len() }
    }

    /// CSV text, written by the csv crate: the header, then one row a step.
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        let _ = w.write_record(self.columns.iter().map(|c| c.name.as_str()));
        let mut buf = String::new();
        for r in 0..self.rows {
            for c in &self.columns {
                buf.clear();
                match &c.values {
                    ColumnValues::Text(v) => buf.push_str(&v[r]),
                    ColumnValues::Number { values, decimals } => {
                        let (x, d) = (values[r], *decimals);
                        if x.is_finite() {
                            let _ = write!(buf, "{x:.d$}");
                        }
                    }
                }
                let _ = w.write_field(&buf);
            }
            let _ = w.write_record(None::<&[u8]>);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// The time series as CSV text (header and one row a step); `programs` names the reduction columns.
pub fn timeseries_csv(steps: &[StepRecord], programs: &[String]) -> String {
    Timeseries::of(steps, programs).to_csv()
}
