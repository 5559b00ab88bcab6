//! The CCA operator's view (DOMAIN.md §5, the CCA page's "Capacity Alerts"): active DR events and
//! event history, system status notices, current load, today's peak and the next-day forecast.

use super::systems::StepRecord;
use crate::csv_out::{Fixed, Maybe};
use crate::grid::{AlertLevel, GridState};
use crate::programs::ProgramState;
use crate::time::{Clock, date_of_day};
use serde::Serialize;

/// A DR event as the feed shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventNotice {
    /// Program.
    pub program: String,
    /// Start (local, RFC 3339).
    pub start: String,
    /// End.
    pub end: String,
    /// Trigger.
    pub trigger: String,
    /// When notice was given.
    pub issued: String,
}

/// A system status notice: an alert level in force from `start` to `end`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusNotice {
    /// `status` (declared in real time or replayed) or `day_ahead` (issued the day before).
    pub kind: String,
    /// Alert level.
    pub level: AlertLevel,
    /// When it was issued.
    pub issued: String,
    /// From.
    pub start: String,
    /// Until (empty while still in force).
    pub end: String,
}

/// What a CCA operator sees at the latest step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapacityAlerts {
    /// Time of the latest step.
    pub time: String,
    /// System load now, MW.
    pub current_load_mw: f64,
    /// Today's highest system load so far, MW.
    pub today_peak_mw: f64,
    /// Tomorrow's peak forecast, MW (once made).
    pub next_day_peak_forecast_mw: Option<f64>,
    /// Highest alert in force now.
    pub alert: AlertLevel,
    /// DR events in force now.
    pub active_events: Vec<EventNotice>,
    /// DR events called so far (including future ones already announced).
    pub event_history: Vec<EventNotice>,
    /// Status notices so far.
    pub notices: Vec<StatusNotice>,
}

fn events(ps: &ProgramState, clock: &Clock) -> Vec<(i64, i64, EventNotice)> {
    let t = |u: i64| clock.local(u).map(|l| l.rfc3339()).unwrap_or_default();
    let mut v: Vec<(i64, i64, EventNotice)> = ps
        .events
        .iter()
        .filter(|e| e.issued_utc <= clock.now.utc_s)
        .map(|e| {
            (
                e.start_utc,
                e.end_utc,
                EventNotice {
                    program: ps.ids[e.program].clone(),
                    start: t(e.start_utc),
                    end: t(e.end_utc),
                    trigger: e.trigger.name().into(),
                    issued: t(e.issued_utc),
                },
            )
        })
        .collect();
    v.sort_by(|a, b| (a.0, &a.2.program).cmp(&(b.0, &b.2.program)));
    v
}

/// Status notices from the recorded alert levels (each level's spells) and the day-ahead alerts.
fn notices(steps: &[StepRecord], grid: Option<&GridState>, clock: &Clock) -> Vec<StatusNotice> {
    let t = |u: i64| clock.local(u).map(|l| l.rfc3339()).unwrap_or_default();
    let mut out = vec![];
    let mut open: Option<(AlertLevel, i64)> = None;
    let step_s = 60 * i64::from(clock.step_minutes);
    for s in steps {
        let level = s.alert;
        match open {
            Some((l, _)) if l == level => {}
            _ => {
                if let Some((l, from)) = open.take() {
                    out.push(StatusNotice {
                        kind: "status".into(),
                        level: l,
                        issued: t(from),
                        start: t(from),
                        end: t(s.time.utc_s),
                    });
                }
                if level != AlertLevel::None {
                    open = Some((level, s.time.utc_s));
                }
            }
        }
    }
    if let Some((l, from)) = open {
        let end = steps
            .last()
            .map_or(String::new(), |s| if clock.finished() { t(s.time.utc_s + step_s) } else { String::new() });
        out.push(StatusNotice { kind: "status".into(), level: l, issued: t(from), start: t(from), end });
    }
    for a in grid.map(|g| g.issued.as_slice()).unwrap_or(&[]) {
        out.push(StatusNotice {
            kind: "day_ahead".into(),
            level: a.level,
            issued: t(a.issued_utc_s),
            start: t(a.start_utc_s),
            end: t(a.end_utc_s),
        });
    }
    out.sort_by(|a, b| (&a.issued, &a.kind, a.level).cmp(&(&b.issued, &b.kind, b.level)));
    out
}

/// The feed at the latest step.
pub fn capacity_alerts(
    steps: &[StepRecord],
    grid: Option<&GridState>,
    ps: &ProgramState,
    clock: &Clock,
) -> CapacityAlerts {
    let last = steps.last();
    let now = last.map_or(clock.now.utc_s, |s| s.time.utc_s);
    let ev = events(ps, clock);
    CapacityAlerts {
        time: last.map(|s| s.time.rfc3339()).unwrap_or_default(),
        current_load_mw: last.map_or(0.0, |s| s.system_load_mw),
        today_peak_mw: grid.map_or(0.0, |g| g.today_peak_mw),
        next_day_peak_forecast_mw: grid
            .and_then(|g| g.next_day_peak_forecast)
            .filter(|(d, _)| *d == clock.now.day + 1 || *d == clock.now.day)
            .map(|x| x.1),
        alert: last.map_or(AlertLevel::None, |s| s.alert),
        active_events: ev.iter().filter(|(a, b, _)| *a <= now && now < *b).map(|x| x.2.clone()).collect(),
        event_history: ev.into_iter().map(|x| x.2).collect(),
        notices: notices(steps, grid, clock),
    }
}

/// `alerts.csv`: status notices, day-ahead alerts and DR events, by time issued.
pub fn alerts_csv(steps: &[StepRecord], grid: Option<&GridState>, ps: &ProgramState, clock: &Clock) -> String {
    let mut rows: Vec<AlertCsvRow> = vec![];
    for n in notices(steps, grid, clock) {
        let level = n.level.name().into();
        rows.push(AlertCsvRow {
            issued: n.issued,
            kind: n.kind,
            level,
            start: n.start,
            end: n.end,
            ..Default::default()
        });
    }
    for (_, _, e) in events(ps, clock) {
        let kind = "dr_event".into();
        let (program, trigger) = (e.program, e.trigger);
        rows.push(AlertCsvRow {
            issued: e.issued,
            kind,
            program,
            start: e.start,
            end: e.end,
            trigger,
            ..Default::default()
        });
    }
    // By time issued, then by every other column, so the order does not depend on the sources'.
    rows.sort();
    crate::csv_out::to_csv(rows)
}

/// One line of `alerts.csv`: the header is taken from the field names.
#[derive(Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
struct AlertCsvRow {
    issued: String,
    kind: String,
    level: String,
    program: String,
    start: String,
    end: String,
    trigger: String,
}

/// One line of `forecast.csv`: the header is taken from the field names.
#[derive(Default, serde::Serialize)]
struct ForecastCsvRow {
    date: String,
    peak_load_mw: Fixed<1>,
    peak_time: String,
    forecast_peak_mw: Maybe<1>,
    forecast_error_pct: Maybe<2>,
}

/// `forecast.csv`: per day, the peak system load, when it came, and the forecast made the day before.
pub fn forecast_csv(steps: &[StepRecord], grid: Option<&GridState>) -> String {
    let mut days: Vec<(i64, f64, String)> = vec![];
    for s in steps {
        match days.last_mut() {
            Some((d, p, t)) if *d == s.time.day => {
                if s.system_load_mw > *p {
                    *p = s.system_load_mw;
                    *t = s.time.rfc3339();
                }
            }
            _ => days.push((s.time.day, s.system_load_mw, s.time.rfc3339())),
        }
    }
    crate::csv_out::to_csv(days.into_iter().map(|(d, peak, peak_time)| {
        let f = grid.and_then(|g| g.peak_forecasts.iter().rev().find(|(x, _)| *x == d)).map(|x| x.1);
        ForecastCsvRow {
            date: date_of_day(d).to_string(),
            peak_load_mw: Fixed(peak),
            peak_time,
            forecast_peak_mw: Maybe(f),
            forecast_error_pct: Maybe(f.filter(|_| peak > 0.0).map(|f| (f - peak) / peak * 100.0)),
        }
    }))
}
