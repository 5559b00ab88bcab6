//! Semantic checks: a `Scenario` becomes a `ValidScenario` the engine can run without surprises.

use super::errors::{FileError, ScenarioError};
use super::load::{FileSource, Seg};
use super::schema::*;
use crate::csv_in::read_exact;
use crate::dist::Dist;
use crate::grid::AlertLevel;
use crate::programs::{ProgramBook, Request};
use crate::time::{Clock, Date, local_to_utc, parse_date, parse_hhmm, parse_local_datetime};
use crate::weather::HISTORY_DAYS;
use jiff::tz::TimeZone;

/// One hour of a replayed temperature file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HourlyTemp {
    /// UTC seconds of the reading.
    pub utc_s: i64,
    /// Outdoor temperature, °C.
    pub temp_c: f64,
}

/// One row of a replayed alert calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct CalendarAlert {
    /// Start, UTC seconds.
    pub start_utc_s: i64,
    /// End (exclusive), UTC seconds.
    pub end_utc_s: i64,
    /// Local start text as written (`YYYY-MM-DD HH:MM`).
    pub start_local: String,
    /// Alert level.
    pub level: AlertLevel,
    /// Firm load shed ordered in the interval (rotating outages), MW.
    pub shed_mw: f64,
    /// Where the row comes from.
    pub source: String,
}

/// A scenario that passed every check, with the files it names already read and parsed.
#[derive(Clone, Debug)]
pub struct ValidScenario {
    scenario: Scenario,
    pub(crate) first: Date,
    pub(crate) last: Date,
    /// The run's clock at its first step.
    pub(crate) clock: Clock,
    /// The warm-up clock: the [`HISTORY_DAYS`] - 1 days before the run, ending the day before it.
    pub(crate) warmup_clock: Clock,
    pub(crate) weather_series: Option<Vec<HourlyTemp>>,
    pub(crate) day_overrides: Vec<(Date, f64, f64)>,
    pub(crate) calendar: Option<Vec<CalendarAlert>>,
    pub(crate) day_ahead_issue_minute: u32,
    pub(crate) alert_window: (u32, u32),
    pub(crate) book: ProgramBook,
    pub(crate) requests: Vec<Request>,
    pub(crate) automatic: bool,
    /// Governor's orders: (start UTC s, end UTC s, permits PR, overrides DAC).
    pub(crate) orders: Vec<(i64, i64, bool, bool)>,
    /// Replayed supply incidents: (start UTC s, end UTC s, MW lost).
    pub(crate) incidents: Vec<(i64, i64, f64)>,
    /// Program ID of each DRP's resource (`<PROGRAM>@<DRP>`), in `drps` order.
    pub(crate) drp_instances: Vec<String>,
    /// Supplier names: `SCE` (Bundled) first, then CCAs, then ESPs.
    pub(crate) suppliers: Vec<String>,
}

impl ValidScenario {
    /// The scenario as written (after overrides).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// First simulated day.
    pub fn first_day(&self) -> Date {
        self.first
    }
    /// Last simulated day (inclusive).
    pub fn last_day(&self) -> Date {
        self.last
    }
    /// The replayed alert calendar, if any.
    pub fn calendar(&self) -> Option<&[CalendarAlert]> {
        self.calendar.as_deref()
    }
    /// Total agents over all segments.
    pub fn agents(&self) -> u64 {
        self.scenario.population.iter().map(|s| u64::from(s.agents)).sum()
    }
    /// Total real customers represented.
    pub fn customers_represented(&self) -> f64 {
        self.scenario.population.iter().map(|s| s.customers).sum()
    }
    /// The program book in force (default or named book with the scenario's overrides).
    pub fn book(&self) -> &ProgramBook {
        &self.book
    }
    /// Program ID of each DRP's resource (`<PROGRAM>@<DRP>`), in the scenario's `drps` order.
    pub fn drp_instances(&self) -> &[String] {
        &self.drp_instances
    }
    /// Energy suppliers: `SCE` (Bundled) first, then the CCAs, then the ESPs.
    pub fn suppliers(&self) -> &[String] {
        &self.suppliers
    }
    /// The scripted dispatch requests.
    pub fn requests(&self) -> &[Request] {
        &self.requests
    }
    /// Whether automatic dispatch is on.
    pub fn automatic_dispatch(&self) -> bool {
        self.automatic
    }
    /// Replaces the scripted dispatch with `requests` and switches automatic dispatch off
    /// (`drsim run --dispatch FILE`).
    pub fn replace_dispatch(&mut self, requests: Vec<Request>) {
        self.requests = requests;
        self.automatic = false;
    }
}

type Errs = Vec<(Vec<Seg>, String)>;

struct Checker {
    errs: Errs,
}

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

impl Checker {
    fn push(&mut self, path: Vec<Seg>, msg: impl std::fmt::Display) {
        self.errs.push((path, msg.to_string()));
    }
    fn range(&mut self, path: Vec<Seg>, v: f64, lo: f64, hi: f64) {
        if !(v.is_finite() && v >= lo && v <= hi) {
            self.push(path, format!("{v} is out of range: expected {lo} to {hi}"));
        }
    }
    fn minutes_in_a_day(&mut self, path: Vec<Seg>, minutes: u32) {
        if minutes > 24 * 60 {
            self.push(path, format!("{minutes} is out of range: expected at most 1440 minutes (one day)"));
        }
    }
    fn dist(&mut self, path: Vec<Seg>, d: &Dist, lo: f64, hi: f64) {
        if let Err(m) = d.check(lo, hi) {
            self.push(path, m);
        }
    }
    fn shape(&mut self, path: Vec<Seg>, v: &[f64]) {
        if v.iter().any(|x| !(x.is_finite() && *x >= 0.0)) {
            self.push(path, "expected numbers >= 0");
        }
    }
}

/// Reads a CSV text from the scenario's file source or the built-in data.
fn read_named(files: &dyn FileSource, name: &str) -> Result<String, FileError> {
    if let Some(b) = name.strip_prefix("builtin:") {
        return crate::data::builtin(b).map(str::to_string).ok_or_else(|| FileError::NoBuiltin {
            name: b.to_string(),
            expected: crate::data::BUILTIN_NAMES.join(", "),
        });
    }
    Ok(files.read(name)?)
}

/// One row of an alert calendar file, as written.
#[derive(serde::Deserialize)]
struct CalendarRow {
    start: String,
    end: String,
    level: String,
    shed_mw: String,
    source: String,
}

/// Parses an alert calendar (`start,end,level,shed_mw,source`).
pub(crate) fn parse_calendar(text: &str, name: &str, tz: &TimeZone) -> Result<Vec<CalendarAlert>, ScenarioError> {
    let mut out = vec![];
    for (n, c) in read_exact::<CalendarRow>(text, name, &["start", "end", "level", "shed_mw", "source"])? {
        let at = |field: &str, m: &dyn std::fmt::Display| ScenarioError::at_line(name, n, field, m);
        let (sd, sm) = parse_local_datetime(&c.start).map_err(|e| at("start", &e))?;
        let (ed, em) = parse_local_datetime(&c.end).map_err(|e| at("end", &e))?;
        let level: AlertLevel = c.level.parse().map_err(|e| at("level", &e))?;
        let shed_mw = if c.shed_mw.is_empty() {
            0.0
        } else {
            c.shed_mw
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| at("shed_mw", &format!("`{}` is not a number >= 0", c.shed_mw)))?
        };
        if c.source.is_empty() {
            return Err(at("source", &"every row must say where it comes from"));
        }
        let start_utc_s = local_to_utc(tz, sd, sm).map_err(|e| at("start", &e))?;
        let end_utc_s = local_to_utc(tz, ed, em).map_err(|e| at("end", &e))?;
        if end_utc_s <= start_utc_s {
            return Err(at("", &"end must be after start"));
        }
        out.push(CalendarAlert { start_utc_s, end_utc_s, start_local: c.start, level, shed_mw, source: c.source });
    }
    Ok(out)
}

/// One row of an hourly temperature file, as written.
#[derive(serde::Deserialize)]
struct TempRow {
    time: String,
    temp_c: String,
}

/// Parses an hourly temperature file (`time,temp_c`).
pub(crate) fn parse_hourly_temps(text: &str, name: &str, tz: &TimeZone) -> Result<Vec<HourlyTemp>, ScenarioError> {
    let mut out: Vec<HourlyTemp> = vec![];
    for (n, c) in read_exact::<TempRow>(text, name, &["time", "temp_c"])? {
        let at = |field: &str, m: &dyn std::fmt::Display| ScenarioError::at_line(name, n, field, m);
        let (d, m) = parse_local_datetime(&c.time).map_err(|e| at("time", &e))?;
        let temp_c: f64 = c
            .temp_c
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && (-60.0..=60.0).contains(v))
            .ok_or_else(|| at("temp_c", &format!("`{}` is not a temperature in °C", c.temp_c)))?;
        let utc_s = local_to_utc(tz, d, m).map_err(|e| at("time", &e))?;
        if let Some(prev) = out.last() {
            if utc_s <= prev.utc_s {
                return Err(at("", &"times must increase (duplicate or out of order)"));
            }
            if utc_s - prev.utc_s > 3 * 3600 {
                return Err(at("", &"gap of more than 3 hours before this row"));
            }
        }
        out.push(HourlyTemp { utc_s, temp_c });
    }
    Ok(out)
}

pub(crate) fn validate(s: Scenario, files: &dyn FileSource) -> Result<ValidScenario, Errs> {
    let mut c = Checker { errs: vec![] };
    if s.name.is_empty()
        || !s.name.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
        || s.name.starts_with('.')
    {
        c.push(
            vec![k("name")],
            format!("`{}`: expected letters, digits, '-', '_' or '.' (it names the output folder)", s.name),
        );
    }
    let first = parse_date(&s.start).map_err(|m| c.push(vec![k("start")], m)).ok();
    let last = parse_date(&s.end).map_err(|m| c.push(vec![k("end")], m)).ok();
    if let (Some(a), Some(b)) = (first, last) {
        let days = crate::time::day_number(b) - crate::time::day_number(a) + 1;
        if days < 1 {
            c.push(vec![k("end")], format!("end {b} is before start {a}"));
        } else if days > 3 * 366 {
            c.push(vec![k("end")], format!("{days} days is too long: expected at most 3 years"));
        }
    }
    if s.step_minutes == 0 || 60 % s.step_minutes != 0 {
        c.push(
            vec![k("step_minutes")],
            format!("{}: expected a divisor of 60 (1, 5, 15, 30, 60, ...)", s.step_minutes),
        );
    }
    let tz = TimeZone::posix(&s.timezone)
        .map_err(|e| {
            c.push(vec![k("timezone")], format!("not a POSIX TZ rule ({e}): e.g. {}", crate::time::PACIFIC_POSIX_TZ))
        })
        .ok();

    // Weather.
    let mut weather_series = None;
    let mut day_overrides = vec![];
    match &s.weather {
        WeatherConfig::Stochastic(w) => {
            let p = |f: &str| vec![k("weather"), k(f)];
            for (i, (h, l)) in w.normal_high_c.iter().zip(&w.normal_low_c).enumerate() {
                if !(h.is_finite() && l.is_finite() && h >= l) {
                    c.push(
                        vec![k("weather"), k("normal_high_c"), Seg::Index(i)],
                        "each month's normal high must be >= its low",
                    );
                }
            }
            c.range(p("anomaly_persistence"), w.anomaly_persistence, 0.0, 0.99);
            c.range(p("high_anomaly_sd_c"), w.high_anomaly_sd_c, 0.0, 15.0);
            c.range(p("low_anomaly_sd_c"), w.low_anomaly_sd_c, 0.0, 15.0);
            c.range(p("forecast_error_sd_c"), w.forecast_error_sd_c, 0.0, 15.0);
            let hw = &w.heat_wave;
            for (i, v) in hw.onset_prob_by_month.iter().enumerate() {
                c.range(vec![k("weather"), k("heat_wave"), k("onset_prob_by_month"), Seg::Index(i)], *v, 0.0, 1.0);
            }
            if hw.min_days == 0 || hw.min_days > hw.max_days {
                c.push(vec![k("weather"), k("heat_wave"), k("min_days")], "expected 1 <= min_days <= max_days");
            }
            c.dist(vec![k("weather"), k("heat_wave"), k("amplitude_c")], &hw.amplitude_c, 0.0, 25.0);
            c.range(vec![k("weather"), k("heat_wave"), k("low_share")], hw.low_share, 0.0, 1.5);
            for (i, d) in w.days.iter().enumerate() {
                let base = || vec![k("weather"), k("days"), Seg::Index(i)];
                match parse_date(&d.date) {
                    Ok(date) => {
                        if !(d.high_c.is_finite() && d.low_c.is_finite() && d.high_c >= d.low_c) {
                            let mut pth = base();
                            pth.push(k("high_c"));
                            c.push(pth, "expected finite temperatures with high_c >= low_c");
                        }
                        day_overrides.push((date, d.high_c, d.low_c));
                    }
                    Err(m) => {
                        let mut pth = base();
                        pth.push(k("date"));
                        c.push(pth, m);
                    }
                }
            }
        }
        WeatherConfig::Replay(r) => {
            c.range(vec![k("weather"), k("forecast_error_sd_c")], r.forecast_error_sd_c, 0.0, 15.0);
            if let Some(tz) = &tz {
                match read_named(files, &r.file).and_then(|t| Ok(parse_hourly_temps(&t, &r.file, tz)?)) {
                    Ok(series) => {
                        if let (Some(a), Some(b), Some(f), Some(l)) = (first, last, series.first(), series.last()) {
                            let need_a = local_to_utc(tz, a, 0).unwrap_or(i64::MIN);
                            let need_b =
                                b.tomorrow().ok().and_then(|d| local_to_utc(tz, d, 0).ok()).unwrap_or(i64::MAX);
                            if f.utc_s > need_a || l.utc_s < need_b - 3600 {
                                c.push(
                                    vec![k("weather"), k("file")],
                                    format!("`{}` does not cover {a} 00:00 to {b} 23:00", r.file),
                                );
                            }
                        } else if series.is_empty() {
                            c.push(vec![k("weather"), k("file")], format!("`{}` has no rows", r.file));
                        }
                        weather_series = Some(series);
                    }
                    Err(m) => c.push(vec![k("weather"), k("file")], m),
                }
            }
        }
        WeatherConfig::Sine(w) => {
            c.range(vec![k("weather"), k("mean_c")], w.mean_c, -40.0, 50.0);
            c.range(vec![k("weather"), k("amplitude_c")], w.amplitude_c, 0.0, 30.0);
            c.range(vec![k("weather"), k("peak_hour")], w.peak_hour, 0.0, 24.0);
        }
    }

    // Grid.
    let g = &s.grid;
    let gp = |a: &str, b: &str| vec![k("grid"), k(a), k(b)];
    let mut calendar = None;
    if g.alerts_from == AlertSource::Calendar {
        match (&g.calendar, &tz) {
            (None, _) => c.push(
                vec![k("grid"), k("calendar")],
                "alerts_from = \"calendar\" needs a calendar (e.g. \"builtin:caiso-2022\" or a CSV path)",
            ),
            (Some(name), Some(tz)) => match read_named(files, name).and_then(|t| Ok(parse_calendar(&t, name, tz)?)) {
                Ok(cal) => calendar = Some(cal),
                Err(m) => c.push(vec![k("grid"), k("calendar")], m),
            },
            (Some(_), None) => {}
        }
    } else if g.calendar.is_some() {
        c.push(vec![k("grid"), k("calendar")], "a calendar is only used with alerts_from = \"calendar\"");
    }
    let d = &g.demand;
    c.range(gp("demand", "base_mw"), d.base_mw, 0.0, 1e6);
    c.shape(gp("demand", "weekday_shape"), &d.weekday_shape);
    c.shape(gp("demand", "weekend_shape"), &d.weekend_shape);
    c.shape(gp("demand", "month_factor"), &d.month_factor);
    c.shape(gp("demand", "cooling_shape"), &d.cooling_shape);
    c.range(gp("demand", "balance_temp_c"), d.balance_temp_c, -20.0, 40.0);
    c.range(gp("demand", "fast_mw_per_c"), d.fast_mw_per_c, 0.0, 1e5);
    c.range(gp("demand", "slow_mw_per_c"), d.slow_mw_per_c, 0.0, 1e5);
    c.range(gp("demand", "fast_tau_h"), d.fast_tau_h, 0.01, 1000.0);
    c.range(gp("demand", "slow_tau_h"), d.slow_tau_h, 0.01, 1000.0);
    c.range(gp("demand", "daily_noise_pct"), d.daily_noise_pct, 0.0, 50.0);
    let sp = &g.supply;
    for (f, v) in [
        ("firm_mw", sp.firm_mw),
        ("solar_mw", sp.solar_mw),
        ("wind_mw", sp.wind_mw),
        ("imports_mw", sp.imports_mw),
        ("imports_heat_mw_per_c", sp.imports_heat_mw_per_c),
        ("unit_trip_mw", sp.unit_trip_mw),
        ("emergency_assistance_mw", sp.emergency_assistance_mw),
    ] {
        c.range(gp("supply", f), v, 0.0, 1e6);
    }
    c.range(gp("supply", "heat_derate_pct_per_c"), sp.heat_derate_pct_per_c, 0.0, 10.0);
    c.range(gp("supply", "forced_outage_mean_pct"), sp.forced_outage_mean_pct, 0.0, 100.0);
    c.range(gp("supply", "forced_outage_sd_pct"), sp.forced_outage_sd_pct, 0.0, 50.0);
    c.range(gp("supply", "unit_trips_per_day"), sp.unit_trips_per_day, 0.0, 50.0);
    c.range(gp("supply", "unit_trip_hours"), sp.unit_trip_hours, 0.0, 240.0);
    c.range(gp("supply", "solar_exponent"), sp.solar_exponent, 0.1, 5.0);
    c.range(gp("supply", "solar_latitude_deg"), sp.solar_latitude_deg, -90.0, 90.0);
    c.range(gp("supply", "solar_longitude_deg"), sp.solar_longitude_deg, -180.0, 180.0);
    c.shape(gp("supply", "wind_shape"), &sp.wind_shape);
    let a = &g.alerts;
    if !(a.eea1_margin_pct > a.eea2_margin_pct
        && a.eea2_margin_pct > a.eea3_margin_pct
        && a.eea3_margin_pct >= a.shed_margin_pct)
    {
        c.push(
            gp("alerts", "eea1_margin_pct"),
            "expected eea1_margin_pct > eea2_margin_pct > eea3_margin_pct >= shed_margin_pct",
        );
    }
    if a.flex_alert_margin_pct < a.eea_watch_margin_pct {
        c.push(gp("alerts", "flex_alert_margin_pct"), "expected flex_alert_margin_pct >= eea_watch_margin_pct");
    }
    c.range(gp("alerts", "clear_hysteresis_pct"), a.clear_hysteresis_pct, 0.0, 50.0);
    c.minutes_in_a_day(gp("alerts", "lookahead_minutes"), a.lookahead_minutes);
    let op = &g.outages;
    c.range(gp("outages", "rotation_minutes"), f64::from(op.rotation_minutes), 5.0, 1440.0);
    c.range(gp("outages", "exempt_share"), op.exempt_share, 0.0, 0.9);
    c.range(gp("outages", "response_mw"), op.response_mw, 0.0, 1e5);
    c.range(gp("outages", "response_after_days"), f64::from(op.response_after_days), 0.0, 366.0);
    let cp = &g.conservation;
    c.range(gp("conservation", "flex_alert_pct"), cp.flex_alert_pct, 0.0, 50.0);
    c.range(gp("conservation", "fatigue_pct_per_day"), cp.fatigue_pct_per_day, 0.0, 50.0);
    c.range(gp("conservation", "text_alert_pct"), cp.text_alert_pct, 0.0, 50.0);
    c.range(gp("conservation", "response_tau_minutes"), cp.response_tau_minutes, 0.1, 1440.0);
    c.range(gp("conservation", "flex_response_tau_minutes"), cp.flex_response_tau_minutes, 0.1, 1440.0);
    c.minutes_in_a_day(gp("conservation", "text_alert_after_eea3_minutes"), cp.text_alert_after_eea3_minutes);
    let issue =
        parse_hhmm(&a.day_ahead_issue_time).map_err(|m| c.push(gp("alerts", "day_ahead_issue_time"), m)).unwrap_or(0);
    if issue >= 24 * 60 {
        c.push(gp("alerts", "day_ahead_issue_time"), "expected a time before 24:00");
    }
    let ws = parse_hhmm(&a.alert_window_start).map_err(|m| c.push(gp("alerts", "alert_window_start"), m)).unwrap_or(0);
    let we =
        parse_hhmm(&a.alert_window_end).map_err(|m| c.push(gp("alerts", "alert_window_end"), m)).unwrap_or(24 * 60);
    if we <= ws {
        c.push(gp("alerts", "alert_window_end"), "the alert window must end after it starts");
    }

    // Programs.
    let (book_text, book_name) = match &s.program_book {
        None => (Ok(crate::programs::book::DEFAULT_BOOK.to_string()), "builtin:sce".to_string()),
        Some(n) if n == "builtin:sce" => (Ok(crate::programs::book::DEFAULT_BOOK.to_string()), n.clone()),
        Some(n) => (files.read(n), n.clone()),
    };
    let book = match book_text {
        Err(m) => {
            c.push(vec![k("program_book")], m);
            ProgramBook::default()
        }
        Ok(text) => match crate::programs::load::build_book(&text, &book_name, &s.programs) {
            Ok(b) => b,
            Err(errs) => {
                c.errs.extend(errs);
                ProgramBook::default()
            }
        },
    };
    let (book, drp_instances) = add_drps(&mut c, &s, book);
    let check_shares = |c: &mut Checker, base: Vec<Seg>, m: &std::collections::BTreeMap<String, f64>| {
        for (id, v) in m {
            let mut p = base.clone();
            p.push(Seg::Key(id.clone()));
            if !book.programs.is_empty() && !book.programs.contains_key(id) {
                c.push(p, format!("unknown program `{id}`: expected one of {}", book.ids().join(", ")));
            } else if book.programs.get(id).is_some_and(|x| x.run_by == crate::programs::book::RunBy::Aggregator) {
                c.push(p, format!("{id} is run by aggregators: customers join it through a DRP ([[drps]])"));
            } else {
                c.range(p, *v, 0.0, 1.0);
            }
        }
    };
    check_shares(&mut c, vec![k("enrolment")], &s.enrolment);
    for (i, seg) in s.population.iter().enumerate() {
        check_shares(&mut c, vec![k("population"), Seg::Index(i), k("enrolment")], &seg.enrolment);
    }
    let mut requests = vec![];
    if !book.programs.is_empty() {
        for (i, e) in s.dispatch.iter().enumerate() {
            match crate::programs::dispatch::entry_to_request(e, &book) {
                Ok(r) => requests.push(r),
                Err((field, m)) => c.push(vec![k("dispatch"), Seg::Index(i), k(field)], m),
            }
        }
    }
    let mut orders = vec![];
    for (i, o) in s.governor_orders.iter().enumerate() {
        let at = |f: &str| vec![k("governor_orders"), Seg::Index(i), k(f)];
        let st = parse_local_datetime(&o.start).map_err(|m| c.push(at("start"), m)).ok();
        let en = parse_local_datetime(&o.end).map_err(|m| c.push(at("end"), m)).ok();
        if let (Some((sd, sm)), Some((ed, em)), Some(tz)) = (st, en, &tz) {
            match (local_to_utc(tz, sd, sm), local_to_utc(tz, ed, em)) {
                (Ok(a), Ok(b)) if b > a => orders.push((a, b, o.permits_prohibited_resources, o.overrides_dac)),
                _ => c.push(at("end"), "the order must end after it starts".to_string()),
            }
        }
    }
    let mut incidents = vec![];
    for (i, inc) in s.grid.supply.incidents.iter().enumerate() {
        let at = |f: &str| vec![k("grid"), k("supply"), k("incidents"), Seg::Index(i), k(f)];
        c.range(at("mw"), inc.mw, 0.0, 1e5);
        let st = parse_local_datetime(&inc.start).map_err(|m| c.push(at("start"), m)).ok();
        let en = parse_local_datetime(&inc.end).map_err(|m| c.push(at("end"), m)).ok();
        if let (Some((sd, sm)), Some((ed, em)), Some(tz)) = (st, en, &tz) {
            match (local_to_utc(tz, sd, sm), local_to_utc(tz, ed, em)) {
                (Ok(a), Ok(b)) if b > a => incidents.push((a, b, inc.mw)),
                _ => c.push(at("end"), "the incident must end after it starts".to_string()),
            }
        }
    }
    if let Err(m) = s.behaviour.channels.check() {
        c.push(vec![k("behaviour"), k("channels")], m);
    }
    let bh = &s.behaviour;
    c.range(vec![k("behaviour"), k("fatigue_per_day")], bh.fatigue_per_day, 0.0, 10.0);
    c.range(vec![k("behaviour"), k("rebound_share")], bh.rebound_share, 0.0, 1.0);
    c.range(vec![k("behaviour"), k("rebound_hours")], bh.rebound_hours, 0.01, 48.0);
    c.range(vec![k("behaviour"), k("manual_ramp_minutes")], bh.manual_ramp_minutes, 0.0, 240.0);
    c.range(vec![k("behaviour"), k("auto_dr_reliability")], bh.auto_dr_reliability, 0.0, 1.0);

    // Suppliers and the market.
    let mut suppliers = vec!["SCE".to_string()];
    for (f, sh, default) in [("ccas", &s.suppliers.ccas, "CCA"), ("esps", &s.suppliers.esps, "ESP")] {
        match sh {
            Some(x) => {
                if let Err(m) = x.check() {
                    c.push(vec![k("suppliers"), k(f)], m);
                }
                suppliers.extend(x.0.keys().cloned());
            }
            None => suppliers.push(default.to_string()),
        }
    }
    if suppliers.len() > crate::customers::MAX_SUPPLIERS {
        c.push(
            vec![k("suppliers")],
            format!("{} suppliers: at most {} are supported", suppliers.len(), crate::customers::MAX_SUPPLIERS),
        );
    }
    let mk = &s.market;
    if !(mk.bid_hours[0] < mk.bid_hours[1] && mk.bid_hours[1] <= 24) {
        c.push(vec![k("market"), k("bid_hours")], "expected [first, end) hours with first < end <= 24");
    }
    if mk.stack.is_empty() || mk.stack.iter().any(|x| !(x[0].is_finite() && x[0] >= 0.0 && x[1].is_finite())) {
        c.push(vec![k("market"), k("stack")], "expected [MW >= 0, $/MWh] steps");
    }
    let auth = &s.authorization;
    c.range(vec![k("authorization"), k("revocation_monthly")], auth.revocation_monthly, 0.0, 1.0);

    // Population.
    for (i, seg) in s.population.iter().enumerate() {
        check_segment(&mut c, i, seg);
    }
    let total_agents: u64 = s.population.iter().map(|x| u64::from(x.agents)).sum();
    if total_agents > 50_000_000 {
        c.push(vec![k("population")], format!("{total_agents} agents is more than this build supports (50,000,000)"));
    }

    if !c.errs.is_empty() {
        return Err(c.errs);
    }
    let (Some(first), Some(last), Some(tz)) = (first, last, tz) else {
        return Err(vec![(vec![], "invalid scenario".into())]);
    };
    let back = |n: i64| (0..n).fold(first, |d, _| d.yesterday().unwrap_or(d));
    let clocks = Clock::new(tz.clone(), first, last, s.step_minutes).and_then(|run| {
        let warmup = Clock::new(tz.clone(), back(HISTORY_DAYS - 1), back(1), s.step_minutes)?;
        Ok((run, warmup))
    });
    let (clock, warmup_clock) =
        clocks.map_err(|e| vec![(vec![k("start")], format!("cannot start a clock here: {e}"))])?;
    Ok(ValidScenario {
        first,
        last,
        clock,
        warmup_clock,
        weather_series,
        day_overrides,
        calendar,
        day_ahead_issue_minute: issue,
        alert_window: (ws, we),
        book,
        requests,
        automatic: s.automatic_dispatch,
        orders,
        incidents,
        drp_instances,
        suppliers,
        scenario: s,
    })
}

fn check_segment(c: &mut Checker, i: usize, seg: &Segment) {
    let p = |f: &str| vec![k("population"), Seg::Index(i), k(f)];
    let p2 = |a: &str, b: &str| vec![k("population"), Seg::Index(i), k(a), k(b)];
    if seg.name.is_empty() {
        c.push(p("name"), "expected a non-empty segment name");
    }
    if seg.agents == 0 {
        c.push(p("agents"), "expected at least 1 agent");
    }
    if !(seg.customers.is_finite() && seg.customers > 0.0) {
        c.push(p("customers"), format!("{}: expected a number of customers > 0", seg.customers));
    }
    if let Err(m) = seg.service_type.check() {
        c.push(p("service_type"), m);
    }
    if let Some(r) = &seg.rate_schedule
        && let Err(m) = r.check()
    {
        c.push(p("rate_schedule"), m);
    }
    if let Err(m) = seg.meter.check() {
        c.push(p("meter"), m);
    }
    c.range(p("dac_share"), seg.dac_share, 0.0, 1.0);
    let dv = &seg.devices;
    for (f, v) in [
        ("central_ac", dv.central_ac),
        ("smart_thermostat", dv.smart_thermostat),
        ("cycling_switch", dv.cycling_switch),
        ("backup_generator", dv.backup_generator),
        ("generator_fossil_share", dv.generator_fossil_share),
        ("auto_dr", dv.auto_dr),
        ("pump_control", dv.pump_control),
    ] {
        c.range(p2("devices", f), v, 0.0, 1.0);
    }
    c.dist(p2("devices", "generator_size_share"), &dv.generator_size_share, 0.0, 5.0);
    for (f, v) in [("battery", &dv.battery), ("battery_kwh", &dv.battery_kwh), ("battery_kw", &dv.battery_kw)] {
        if v.is_some() {
            c.push(
                p2("devices", f),
                "battery storage is not modelled (no customer would charge or discharge): remove this field",
            );
        }
    }
    match &seg.max_demand_kw {
        Some(d) => c.dist(p("max_demand_kw"), d, 0.0, 1e6),
        None if matches!(seg.class, CustomerClass::Commercial | CustomerClass::Industrial) => c.push(
            p("max_demand_kw"),
            "required for commercial and industrial segments (a number or a distribution, kW)",
        ),
        None => {}
    }
    let ac = &seg.ac;
    c.dist(p2("ac", "tons"), &ac.tons, 0.1, 500.0);
    c.dist(p2("ac", "cop"), &ac.cop, 0.5, 10.0);
    c.dist(p2("ac", "r_c_per_kw"), &ac.r_c_per_kw, 0.01, 100.0);
    c.dist(p2("ac", "c_kwh_per_c"), &ac.c_kwh_per_c, 0.01, 1e4);
    c.dist(p2("ac", "setpoint_c"), &ac.setpoint_c, 10.0, 35.0);
    c.range(p2("ac", "deadband_c"), ac.deadband_c, 0.0, 10.0);
    c.dist(p2("ac", "internal_gain_kw"), &ac.internal_gain_kw, 0.0, 1e3);
    let bl = &seg.base_load;
    c.dist(p2("base_load", "mean_kw"), &bl.mean_kw, 0.0, 1e4);
    c.shape(p2("base_load", "shape"), &bl.shape);
    c.range(p2("base_load", "noise_share"), bl.noise_share, 0.0, 1.0);
    match (&seg.building, seg.class) {
        (Some(b), CustomerClass::Commercial | CustomerClass::Industrial) => {
            for (f, d) in [
                ("base_share", &b.base_share),
                ("occupied_share", &b.occupied_share),
                ("hvac_share", &b.hvac_share),
                ("process_share", &b.process_share),
                ("flexible_share", &b.flexible_share),
            ] {
                c.dist(p2("building", f), d, 0.0, 1.0);
            }
            if b.design_temp_c <= b.balance_temp_c {
                c.push(p2("building", "design_temp_c"), "expected design_temp_c > balance_temp_c");
            }
            c.range(p2("building", "open_hour"), b.open_hour, 0.0, 24.0);
            c.range(p2("building", "close_hour"), b.close_hour, 0.0, 24.0);
            c.range(p2("building", "hours_spread_h"), b.hours_spread_h, 0.0, 12.0);
            c.range(p2("building", "weekend_factor"), b.weekend_factor, 0.0, 1.0);
            c.range(p2("building", "noise_share"), b.noise_share, 0.0, 1.0);
        }
        (Some(_), _) => c.push(p("building"), "building parameters apply to commercial and industrial segments only"),
        (None, _) => {}
    }
    match (&seg.pump, seg.class) {
        (Some(pp), CustomerClass::Agricultural) => {
            c.dist(p2("pump", "horsepower"), &pp.horsepower, 0.0, 1e5);
            c.range(p2("pump", "motor_efficiency"), pp.motor_efficiency, 0.1, 1.0);
            c.dist(p2("pump", "hours_per_day"), &pp.hours_per_day, 0.0, 24.0);
            c.range(p2("pump", "night_start_share"), pp.night_start_share, 0.0, 1.0);
            if pp.months.iter().any(|m| !(1..=12).contains(m)) {
                c.push(p2("pump", "months"), "expected months 1-12");
            }
        }
        (Some(_), _) => c.push(p("pump"), "pump parameters apply to agricultural segments only"),
        (None, CustomerClass::Agricultural) => {
            c.push(p("pump"), "required for agricultural segments: [population.pump] with horsepower and hours_per_day")
        }
        (None, _) => {}
    }
}

/// Programs a DRP may run its customers in besides the aggregator-run ones (DOMAIN.md §3-4:
/// CBP-E portfolios, TOU-BIP and ELRP through aggregators).
const AGGREGATED_UTILITY_PROGRAMS: [&str; 3] = ["CBP-E", "TOU-BIP", "ELRP-A1"];

/// Checks the DRPs and adds each one's resource to the book as its own program, `<PROGRAM>@<DRP>`.
fn add_drps(c: &mut Checker, s: &Scenario, mut book: ProgramBook) -> (ProgramBook, Vec<String>) {
    use crate::programs::book::RunBy;
    let mut ids = vec![];
    for (i, d) in s.drps.iter().enumerate() {
        let at = |f: &str| vec![k("drps"), Seg::Index(i), k(f)];
        if d.name.is_empty() || !d.name.chars().all(|ch| ch.is_ascii_alphanumeric() || " -_".contains(ch)) {
            c.push(at("name"), format!("`{}`: expected letters, digits, spaces, '-' or '_'", d.name));
        }
        if s.drps[..i].iter().any(|o| o.name == d.name) {
            c.push(at("name"), format!("`{}` is named twice", d.name));
        }
        if let Err(m) = parse_date(&d.applied) {
            c.push(at("applied"), m);
        }
        c.range(at("capacity_mw"), d.capacity_mw, 0.0, 1e5);
        c.range(at("pay_share"), d.pay_share, 0.0, 1.0);
        c.range(at("initial_share"), d.initial_share, 0.0, 1.0);
        c.range(at("online_share"), d.online_share, 0.0, 1.0);
        c.range(at("share_with_partner"), d.share_with_partner, 0.0, 1.0);
        c.range(at("expected_performance"), d.expected_performance, 0.0, 2.0);
        for (cl, v) in &d.acquisition {
            c.range(vec![k("drps"), Seg::Index(i), k("acquisition"), Seg::Key(cl.name().into())], *v, 0.0, 1.0);
        }
        for (sg, v) in &d.acquisition_segments {
            let pth = vec![k("drps"), Seg::Index(i), k("acquisition_segments"), Seg::Key(sg.clone())];
            if s.population.iter().all(|p| &p.name != sg) {
                c.push(pth, format!("unknown segment `{sg}`"));
            } else {
                c.range(pth, *v, 0.0, 1.0);
            }
        }
        match &d.partner {
            Some(p) if p == &d.name => c.push(at("partner"), "a DRP cannot be its own partner"),
            Some(p) if s.drps.iter().all(|o| &o.name != p) => c.push(at("partner"), format!("unknown DRP `{p}`")),
            None if d.bids_via_partner => c.push(at("bids_via_partner"), "bidding through a partner needs a partner"),
            _ => {}
        }
        match &d.bid {
            BidStrategy::Fixed { price_usd_per_mwh } => c.range(at("bid"), *price_usd_per_mwh, -1e4, 1e5),
            BidStrategy::Shade { share, floor_usd_per_mwh } => {
                c.range(at("bid"), *share, 0.0, 10.0);
                c.range(at("bid"), *floor_usd_per_mwh, -1e4, 1e5);
            }
        }
        let id = format!("{}@{}", d.program, d.name);
        match book.programs.get(&d.program) {
            None if book.programs.is_empty() => {}
            None => c.push(
                at("program"),
                format!("unknown program `{}`: expected one of {}", d.program, book.ids().join(", ")),
            ),
            Some(t) if t.run_by != RunBy::Aggregator && !AGGREGATED_UTILITY_PROGRAMS.contains(&d.program.as_str()) => c
                .push(
                    at("program"),
                    format!(
                        "`{}` is not run through aggregators: expected an aggregator program or one of {}",
                        d.program,
                        AGGREGATED_UTILITY_PROGRAMS.join(", ")
                    ),
                ),
            Some(t) => {
                let mut spec = t.clone();
                spec.name = format!("{} ({})", t.name, d.name);
                spec.run_by = RunBy::Aggregator;
                // A resource bid into the market is dispatched by its awards, not by the operator.
                if spec.triggers.contains(&crate::programs::Trigger::MarketAward) {
                    spec.operator.enabled = false;
                }
                if spec.migration_conflicts.is_empty() {
                    spec.migration_conflicts =
                        book.programs.get("DRAM").map(|x| x.migration_conflicts.clone()).unwrap_or_default();
                }
                book.programs.insert(id.clone(), spec);
            }
        }
        ids.push(id);
    }
    if book.programs.len() > crate::programs::MAX_PROGRAMS {
        c.push(
            vec![k("drps")],
            format!(
                "{} programs with the DRPs' resources: at most {} are supported",
                book.programs.len(),
                crate::programs::MAX_PROGRAMS
            ),
        );
    }
    (book, ids)
}
