//! The run's summary (`summary.json`) and the time series as CSV text.
//!
//! Formatting lives in the core so that every front end (command line, browser) writes the same bytes.

use super::systems::StepRecord;
use crate::grid::{AlertLevel, IssuedAlert};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rounds to `d` decimals (for readable, stable output).
pub(crate) fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
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
            steps
                .iter()
                .fold(None::<&StepRecord>, |best, s| match best {
                    Some(b) if f(b) >= f(s) => Some(b),
                    _ => Some(s),
                })
        };
        let peak = argmax(&|s| s.system_load_mw);
        let cpeak = argmax(&|s| s.customers_load_mw);
        let minm = argmax(&|s| {
            if s.reserve_margin_pct.is_nan() {
                f64::NEG_INFINITY
            } else {
                -s.reserve_margin_pct
            }
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
            customers_peak_mw: round(cpeak.map_or(0.0, |s| s.customers_load_mw), 3),
            customers_peak_time: time_of(cpeak),
            customers_energy_mwh: round(
                steps.iter().map(|s| s.customers_load_mw).sum::<f64>() * dt_h,
                3,
            ),
            max_outdoor_temp_c: round(
                steps
                    .iter()
                    .map(|s| s.outdoor_temp_c)
                    .fold(f64::NEG_INFINITY, f64::max),
                3,
            ),
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
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

/// The header of `events.csv` (one row per dispatch request).
pub fn events_csv_header() -> &'static str {
    "program,date,start,end,trigger,issued,status,reason\n"
}

/// Columns of `timeseries.csv`, in order.
pub const TIMESERIES_COLUMNS: [&str; 19] = [
    "time",
    "outdoor_temp_c",
    "system_load_mw",
    "supply_mw",
    "reserve_margin_pct",
    "alert",
    "customers_load_mw",
    "customers_expected_mw",
    "residential_mw",
    "commercial_mw",
    "industrial_mw",
    "agricultural_mw",
    "solar_mw",
    "wind_mw",
    "imports_mw",
    "firm_mw",
    "unserved_mw",
    "mean_indoor_temp_c",
    "ac_running_share",
];

fn num(out: &mut String, x: f64, d: usize) {
    if x.is_finite() {
        let _ = write!(out, ",{x:.d$}");
    } else {
        out.push(',');
    }
}

/// The time series as CSV text (header and one row a step).
pub fn timeseries_csv(steps: &[StepRecord]) -> String {
    let mut out = String::with_capacity(64 + steps.len() * 200);
    out.push_str(&TIMESERIES_COLUMNS.join(","));
    out.push('\n');
    for s in steps {
        out.push_str(&s.time.rfc3339());
        num(&mut out, s.outdoor_temp_c, 3);
        num(&mut out, s.system_load_mw, 3);
        num(&mut out, s.supply_mw, 3);
        num(&mut out, s.reserve_margin_pct, 3);
        out.push(',');
        out.push_str(s.alert.name());
        num(&mut out, s.customers_load_mw, 6);
        num(&mut out, s.customers_expected_mw, 6);
        for c in s.class_mw {
            num(&mut out, c, 6);
        }
        num(&mut out, s.solar_mw, 3);
        num(&mut out, s.wind_mw, 3);
        num(&mut out, s.imports_mw, 3);
        num(&mut out, s.firm_mw, 3);
        num(&mut out, s.unserved_mw, 3);
        num(&mut out, s.mean_indoor_temp_c, 4);
        num(&mut out, s.ac_running_share, 5);
        out.push('\n');
    }
    out
}
