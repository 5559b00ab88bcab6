//! Settlement baselines: what a customer would have used in the event hours had there been no
//! event, and the reduction that follows (baseline minus actual).
//!
//! The default method, `ten-in-ten` ("10-in-10 with day-of adjustment"), step by step:
//! 1. **Candidate days** ([`select_days`]): the days before the event date, at most
//!    [`BaselineMethod::lookback_days`] (45) back. For a weekday event, weekdays that are not
//!    holidays (the SCE calendar in [`crate::time`]) and not excluded (the program's earlier event
//!    days for the customer); the 10 most recent are kept, fewer if that is all there is, but fewer
//!    than 5 is an error. For a weekend or holiday event, the 4 most recent weekend-or-holiday
//!    days that are not excluded.
//!    Only days with complete meter data count as candidates (a day the meter file does not cover,
//!    in whole, is skipped like a holiday and the search goes further back), so a short file gives
//!    [`BaselineError::TooFewDays`] rather than a baseline built on holes.
//! 2. **Unadjusted baseline** for hour h: the mean of the selected days' kWh in hour h.
//! 3. **Day-of adjustment** ([`clip_ratio`]): the event starts at hour H; the hours starting H-4,
//!    H-3 and H-2 (the hour just before the event is skipped) give
//!    ratio = event-day kWh in those hours / unadjusted baseline in those hours, clipped to
//!    [1 - cap, 1 + cap] (cap 0.2); baseline = unadjusted × ratio.
//!    Adjustment hours before midnight (an event starting before 04:00) are read from the day
//!    before: the event day's previous evening, and for the baseline the evening before each
//!    selected day. The ratio is 1 when both sums are zero, and 1 + cap when only the baseline's is.
//! 4. **Reduction** = baseline - actual, per event hour.
//!
//! kWh in one hour is that hour's average kW, so the `_kw` columns are hourly kWh.
//!
//! Hours are local wall-clock hours. On the 23-hour spring-forward day the missing 02:00 hour is
//! simply absent: the day still counts as complete, and the mean for hour 2 is taken over the
//! selected days that have it; an event or adjustment hour that does not exist on the event day is
//! a [`BaselineError::MissingHour`]. (The 25-hour fall-back day is handled by the meter parser,
//! [`crate::settlement::meter`], which averages the repeated 01:00 hour.)
//!
//! Methods are data ([`BaselineMethod`], deserialisable from a program book), with named presets
//! ([`BaselineMethod::preset`], [`PRESET_NAMES`]).

use crate::time::{Date, DayType, day_type};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

/// The preset a program uses when its book names none.
pub const DEFAULT_METHOD: &str = "ten-in-ten";

/// Names of the preset methods, for [`BaselineMethod::preset`].
pub const PRESET_NAMES: [&str; 2] = ["ten-in-ten", "five-of-ten-highest"];

/// Header of the baseline CSV ([`to_csv`]; a test checks the rows' fields give it).
pub const CSV_HEADER: &str = "hour_start,unadjusted_kw,adjustment,baseline_kw,actual_kw,reduction_kw";

/// Decimals of the numbers in the baseline CSV.
pub const CSV_DECIMALS: usize = 4;

/// A baseline method, described by data so a program book can name a preset or write its own.
///
/// Every field has the `ten-in-ten` default, so a book may override only what differs:
/// ```toml
/// [programs.baseline]
/// selection = { highest = 5 }
/// adjustment = { kind = "multiplicative", hours = [4, 3, 2], cap = 0.4 }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BaselineMethod {
    /// How far back candidate days may lie, in days before the event date (45).
    pub lookback_days: u32,
    /// Weekday events: how many of the most recent eligible weekdays are candidates (10).
    pub weekday_days: u32,
    /// Weekday events: the fewest candidates that still give a baseline; fewer is an error (5).
    pub min_days: u32,
    /// Weekend and holiday events: how many of the most recent weekend-or-holiday days are
    /// candidates (4).
    pub weekend_days: u32,
    /// Weekend and holiday events: the fewest candidates that still give a baseline (4).
    /// (reading) The issue gives no fallback below 4 for weekends, so all 4 are required by
    /// default; a book may lower it.
    pub weekend_min_days: u32,
    /// Which candidates make the baseline.
    pub selection: Selection,
    /// The day-of adjustment.
    pub adjustment: Adjustment,
}

/// Which of the candidate days make the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// All candidates (they are already the most recent eligible days). TOML: `"most_recent"`.
    MostRecent,
    /// The N candidates with the most kWh over the event hours (ties go to the more recent day);
    /// all of them when there are N or fewer. TOML: `{ highest = 5 }`.
    Highest(u32),
}

/// The day-of adjustment of the unadjusted baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Adjustment {
    /// No adjustment: the baseline is the unadjusted mean (ratio 1). TOML: `{ kind = "none" }`.
    None,
    /// Scale by the ratio of event-day to baseline kWh in some hours before the event, clipped to
    /// [1 - cap, 1 + cap].
    Multiplicative {
        /// The adjustment hours, as offsets in hours before the event start: [4, 3, 2] means the
        /// hours starting H-4, H-3 and H-2. Each 1 to 24.
        #[serde(default = "default_adjustment_hours")]
        hours: Vec<u32>,
        /// Largest relative change the ratio may make (0.2 = ±20 %).
        #[serde(default = "default_cap")]
        cap: f64,
    },
}

fn default_adjustment_hours() -> Vec<u32> {
    vec![4, 3, 2]
}

fn default_cap() -> f64 {
    0.2
}

impl Default for Adjustment {
    fn default() -> Self {
        Adjustment::Multiplicative { hours: default_adjustment_hours(), cap: default_cap() }
    }
}

impl Default for BaselineMethod {
    fn default() -> Self {
        Self::ten_in_ten()
    }
}

impl BaselineMethod {
    /// `ten-in-ten`: the 10 most recent eligible weekdays (at least 5) or 4 weekend-or-holiday
    /// days within 45 days, with the day-of adjustment on hours H-4..H-2 capped at ±20 %.
    pub fn ten_in_ten() -> Self {
        Self {
            lookback_days: 45,
            weekday_days: 10,
            min_days: 5,
            weekend_days: 4,
            weekend_min_days: 4,
            selection: Selection::MostRecent,
            adjustment: Adjustment::default(),
        }
    }

    /// `five-of-ten-highest`, the residential "5 highest of 10" baseline.
    ///
    /// (reading) The issue's wording is used: take the 10 most recent eligible weekdays (as in
    /// `ten-in-ten`), then the 5 of them with the highest kWh over the event hours, and apply the
    /// same day-of adjustment (H-4..H-2, cap 0.2). Weekend and holiday events use the same 4
    /// candidate days as `ten-in-ten` (5 highest of 4 keeps all 4).
    pub fn five_of_ten_highest() -> Self {
        Self { selection: Selection::Highest(5), ..Self::ten_in_ten() }
    }

    /// The preset called `name` (one of [`PRESET_NAMES`]).
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "ten-in-ten" => Some(Self::ten_in_ten()),
            "five-of-ten-highest" => Some(Self::five_of_ten_highest()),
            _ => None,
        }
    }

    /// The adjustment cap, if the method adjusts.
    pub fn cap(&self) -> Option<f64> {
        match &self.adjustment {
            Adjustment::None => None,
            Adjustment::Multiplicative { cap, .. } => Some(*cap),
        }
    }

    /// The same method with another adjustment cap; an error for a method without adjustment or
    /// a cap that is negative or not finite.
    pub fn with_cap(mut self, new_cap: f64) -> Result<Self, BaselineError> {
        match &mut self.adjustment {
            Adjustment::None => {
                return Err(BaselineError::InvalidMethod(
                    "this method has no day-of adjustment, so it has no cap to set".into(),
                ));
            }
            Adjustment::Multiplicative { cap, .. } => *cap = new_cap,
        }
        self.validate()?;
        Ok(self)
    }

    /// Checks that the method can produce a baseline at all.
    pub fn validate(&self) -> Result<(), BaselineError> {
        let bad = |m: String| Err(BaselineError::InvalidMethod(m));
        if self.lookback_days == 0 {
            return bad("lookback_days must be at least 1".into());
        }
        if self.min_days == 0 || self.min_days > self.weekday_days {
            return bad(format!(
                "min_days must be from 1 to weekday_days ({}), found {}",
                self.weekday_days, self.min_days
            ));
        }
        if self.weekend_min_days == 0 || self.weekend_min_days > self.weekend_days {
            return bad(format!(
                "weekend_min_days must be from 1 to weekend_days ({}), found {}",
                self.weekend_days, self.weekend_min_days
            ));
        }
        if self.selection == Selection::Highest(0) {
            return bad("selection: highest must keep at least 1 day".into());
        }
        if let Adjustment::Multiplicative { hours, cap } = &self.adjustment {
            if hours.is_empty() {
                return bad("adjustment.hours must name at least one hour".into());
            }
            if let Some(h) = hours.iter().find(|h| !(1..=24).contains(*h)) {
                return bad(format!("adjustment.hours are hours before the event start, 1 to 24; found {h}"));
            }
            let mut sorted = hours.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.len() != hours.len() {
                return bad("adjustment.hours must not repeat an hour".into());
            }
            if !cap.is_finite() || *cap < 0.0 {
                return bad(format!("adjustment cap must be a number >= 0, found {cap}"));
            }
        }
        Ok(())
    }
}

/// Hourly energy on the local wall clock: what [`compute`] reads.
pub trait HourlyKwh {
    /// kWh in local hour `hour` (0-23) of `date`, or None when there is no complete reading.
    fn kwh(&self, date: Date, hour: u32) -> Option<f64>;
    /// Whether `date` has a complete reading for every hour on its local clock.
    fn has_full_day(&self, date: Date) -> bool;
}

/// Whole days of 24 hourly kWh values (handy for tests and synthetic meters).
impl HourlyKwh for BTreeMap<Date, [f64; 24]> {
    fn kwh(&self, date: Date, hour: u32) -> Option<f64> {
        self.get(&date)?.get(hour as usize).copied()
    }

    fn has_full_day(&self, date: Date) -> bool {
        self.contains_key(&date)
    }
}

/// Which kind of days a baseline looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// Weekdays that are not holidays (for a weekday event).
    Weekdays,
    /// Weekend days and holidays (for a weekend or holiday event).
    WeekendOrHoliday,
}

impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DayKind::Weekdays => "weekdays (not holidays, not excluded, with complete meter data)",
            DayKind::WeekendOrHoliday => "weekend or holiday days (not excluded, with complete meter data)",
        })
    }
}

/// What a meter reading was needed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// An event hour (the actual load).
    Event,
    /// The day-of adjustment.
    Adjustment,
    /// The unadjusted baseline of an event hour.
    Baseline,
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Purpose::Event => "the event hours",
            Purpose::Adjustment => "the day-of adjustment",
            Purpose::Baseline => "the baseline",
        })
    }
}

/// Why a baseline could not be computed.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum BaselineError {
    /// The event hours are not a range within the day.
    #[error("the event hours {start}..{end} are not a range within the day: need 0 <= start hour < end hour <= 24")]
    BadHourRange {
        /// First event hour.
        start: u32,
        /// Hour after the last event hour.
        end: u32,
    },
    /// Fewer candidate days than the method's minimum.
    #[error(
        "only {found} eligible {kind} in the {lookback} days before {event_date} ({from} to {to}); at least {needed} are needed"
    )]
    TooFewDays {
        /// Candidates found.
        found: usize,
        /// The method's minimum.
        needed: u32,
        /// The kind of day looked for.
        kind: DayKind,
        /// The event date.
        event_date: Date,
        /// The method's lookback, days.
        lookback: u32,
        /// First day searched.
        from: Date,
        /// Last day searched (the day before the event).
        to: Date,
    },
    /// A meter reading the computation needs is not there.
    #[error("no complete meter reading for {date} {hour:02}:00, needed for {purpose}")]
    MissingHour {
        /// Local date.
        date: Date,
        /// Local hour, 0-23.
        hour: u32,
        /// What it was needed for.
        purpose: Purpose,
    },
    /// The method cannot produce a baseline.
    #[error("invalid baseline method: {0}")]
    InvalidMethod(String),
    /// Date arithmetic left the calendar's range.
    #[error("dates before {0} are out of range")]
    DateRange(Date),
}

/// One event hour of a baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineRow {
    /// The event date (local).
    pub date: Date,
    /// The hour (0-23, local) the row starts.
    pub hour: u32,
    /// Mean of the selected days' kWh in this hour (average kW).
    pub unadjusted_kw: f64,
    /// The clipped day-of adjustment ratio (1 without adjustment).
    pub adjustment: f64,
    /// unadjusted_kw × adjustment, kW.
    pub baseline_kw: f64,
    /// The event day's kWh in this hour (average kW).
    pub actual_kw: f64,
    /// baseline_kw - actual_kw, kW (negative when the customer used more than the baseline).
    pub reduction_kw: f64,
}

impl BaselineRow {
    /// Local start of the hour, `YYYY-MM-DD HH:MM`.
    pub fn hour_start(&self) -> String {
        format!("{} {:02}:00", self.date, self.hour)
    }
}

/// A computed baseline: the days it used, its adjustment and one row per event hour.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    /// The selected baseline days, oldest first.
    pub days: Vec<Date>,
    /// The clipped day-of adjustment ratio (1 without adjustment).
    pub adjustment: f64,
    /// One row per event hour, in order.
    pub rows: Vec<BaselineRow>,
}

/// Checks an event's hours: 0 <= start < end <= 24.
pub fn check_hour_range(start_hour: u32, end_hour: u32) -> Result<(), BaselineError> {
    if start_hour < end_hour && end_hour <= 24 {
        Ok(())
    } else {
        Err(BaselineError::BadHourRange { start: start_hour, end: end_hour })
    }
}

/// The candidate days of an event, oldest first: the most recent days of the event's kind
/// (weekdays for a weekday event, weekend-or-holiday days otherwise) within the lookback that are
/// not excluded and have complete meter data (`has_data`), at most `weekday_days` /
/// `weekend_days` of them; fewer than the minimum is [`BaselineError::TooFewDays`].
pub fn select_days(
    method: &BaselineMethod,
    event_date: Date,
    excluded: &[Date],
    has_data: impl Fn(Date) -> bool,
) -> Result<Vec<Date>, BaselineError> {
    method.validate()?;
    let weekday_event = day_type(event_date) == DayType::Weekday;
    let (kind, want, needed) = if weekday_event {
        (DayKind::Weekdays, method.weekday_days, method.min_days)
    } else {
        (DayKind::WeekendOrHoliday, method.weekend_days, method.weekend_min_days)
    };
    let mut days = Vec::new();
    let mut d = event_date;
    for _ in 0..method.lookback_days {
        if days.len() >= want as usize {
            break;
        }
        d = d.yesterday().map_err(|_| BaselineError::DateRange(event_date))?;
        let similar = (day_type(d) == DayType::Weekday) == weekday_event;
        if similar && !excluded.contains(&d) && has_data(d) {
            days.push(d);
        }
    }
    if days.len() < needed as usize {
        // The loop ran the whole lookback, so `d` is its first day.
        return Err(BaselineError::TooFewDays {
            found: days.len(),
            needed,
            kind,
            event_date,
            lookback: method.lookback_days,
            from: d,
            to: event_date.yesterday().map_err(|_| BaselineError::DateRange(event_date))?,
        });
    }
    days.reverse();
    Ok(days)
}

/// The `count` days with the most `energy`, oldest first; ties go to the more recent day.
pub fn highest_days(days: &[Date], count: usize, energy: impl Fn(Date) -> f64) -> Vec<Date> {
    let mut ranked: Vec<(f64, Date)> = days.iter().map(|&d| (energy(d), d)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut kept: Vec<Date> = ranked.into_iter().take(count).map(|(_, d)| d).collect();
    kept.sort();
    kept
}

/// kWh of `date` over the event hours `start_hour..end_hour` (hours it lacks count as zero).
pub fn event_hours_kwh(data: &dyn HourlyKwh, date: Date, start_hour: u32, end_hour: u32) -> f64 {
    (start_hour..end_hour).map(|h| data.kwh(date, h).unwrap_or(0.0)).sum()
}

/// The baseline days of an event, oldest first: [`select_days`], then the method's [`Selection`].
pub fn baseline_days(
    method: &BaselineMethod,
    data: &dyn HourlyKwh,
    event_date: Date,
    start_hour: u32,
    end_hour: u32,
    excluded: &[Date],
) -> Result<Vec<Date>, BaselineError> {
    let candidates = select_days(method, event_date, excluded, |d| data.has_full_day(d))?;
    Ok(match method.selection {
        Selection::MostRecent => candidates,
        Selection::Highest(n) => {
            highest_days(&candidates, n as usize, |d| event_hours_kwh(data, d, start_hour, end_hour))
        }
    })
}

/// The day-of adjustment ratio: `observed / baseline` clipped to [1 - cap, 1 + cap]; 1 when both
/// are zero, 1 + cap when only `baseline` is.
pub fn clip_ratio(observed: f64, baseline: f64, cap: f64) -> f64 {
    let raw = if baseline > 0.0 {
        observed / baseline
    } else if observed > 0.0 {
        f64::INFINITY
    } else {
        1.0
    };
    raw.max(1.0 - cap).min(1.0 + cap)
}

/// The local (date, hour) `rel` hours after midnight starting `date` (negative: the day before).
fn resolve(date: Date, rel: i32) -> Result<(Date, u32), BaselineError> {
    if rel >= 0 {
        Ok((date, rel as u32))
    } else {
        let prev = date.yesterday().map_err(|_| BaselineError::DateRange(date))?;
        Ok((prev, (rel + 24) as u32))
    }
}

/// The reading at `rel` hours after the start of `date`, or [`BaselineError::MissingHour`].
fn reading(data: &dyn HourlyKwh, date: Date, rel: i32, purpose: Purpose) -> Result<f64, BaselineError> {
    let (d, hour) = resolve(date, rel)?;
    data.kwh(d, hour).ok_or(BaselineError::MissingHour { date: d, hour, purpose })
}

/// Mean over `days` of the reading `rel` hours after each day's start. A day whose clock lacks
/// the hour (the spring-forward gap on a complete day) is left out of the mean; any other missing
/// reading is an error.
fn mean_over_days(data: &dyn HourlyKwh, days: &[Date], rel: i32, purpose: Purpose) -> Result<f64, BaselineError> {
    let mut sum = 0.0;
    let mut n = 0_u32;
    let mut first_missing = None;
    for &day in days {
        let (d, hour) = resolve(day, rel)?;
        match data.kwh(d, hour) {
            Some(v) => {
                sum += v;
                n += 1;
            }
            None if data.has_full_day(d) => {
                first_missing.get_or_insert((d, hour));
            }
            None => {
                return Err(BaselineError::MissingHour { date: d, hour, purpose });
            }
        }
    }
    match (n, first_missing) {
        (0, Some((date, hour))) => Err(BaselineError::MissingHour { date, hour, purpose }),
        (0, None) => Err(BaselineError::InvalidMethod("no baseline days were selected".into())),
        _ => Ok(sum / f64::from(n)),
    }
}

/// Computes the baseline, adjustment and reduction of each event hour `start_hour..end_hour` of
/// `event_date`, with `excluded` days (the program's earlier events) never used as baseline days.
pub fn compute(
    method: &BaselineMethod,
    data: &dyn HourlyKwh,
    event_date: Date,
    start_hour: u32,
    end_hour: u32,
    excluded: &[Date],
) -> Result<Baseline, BaselineError> {
    check_hour_range(start_hour, end_hour)?;
    method.validate()?;
    let start = start_hour as i32;
    // The event day's readings first: a wrong date or a short file is named before anything else.
    let actual = (start_hour..end_hour)
        .map(|h| reading(data, event_date, h as i32, Purpose::Event))
        .collect::<Result<Vec<f64>, _>>()?;
    let adjustment_hours: Vec<i32> = match &method.adjustment {
        Adjustment::None => vec![],
        Adjustment::Multiplicative { hours, .. } => hours.iter().map(|&o| start - o as i32).collect(),
    };
    let observed = adjustment_hours
        .iter()
        .map(|&rel| reading(data, event_date, rel, Purpose::Adjustment))
        .collect::<Result<Vec<f64>, _>>()?;

    let days = baseline_days(method, data, event_date, start_hour, end_hour, excluded)?;

    let ratio = match &method.adjustment {
        Adjustment::None => 1.0,
        Adjustment::Multiplicative { cap, .. } => {
            let mut base = 0.0;
            for &rel in &adjustment_hours {
                base += mean_over_days(data, &days, rel, Purpose::Adjustment)?;
            }
            clip_ratio(observed.iter().sum(), base, *cap)
        }
    };

    let rows = (start_hour..end_hour)
        .zip(actual)
        .map(|(hour, actual_kw)| {
            let unadjusted_kw = mean_over_days(data, &days, hour as i32, Purpose::Baseline)?;
            let baseline_kw = unadjusted_kw * ratio;
            Ok(BaselineRow {
                date: event_date,
                hour,
                unadjusted_kw,
                adjustment: ratio,
                baseline_kw,
                actual_kw,
                reduction_kw: baseline_kw - actual_kw,
            })
        })
        .collect::<Result<Vec<_>, BaselineError>>()?;
    Ok(Baseline { days, adjustment: ratio, rows })
}

/// A number with [`CSV_DECIMALS`] decimals, without a minus sign on zero.
fn fixed(x: f64) -> String {
    let s = format!("{x:.CSV_DECIMALS$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') { s[1..].to_string() } else { s }
}

/// The rows as CSV text: [`CSV_HEADER`], then one line per row with numbers to [`CSV_DECIMALS`]
/// decimals.
pub fn to_csv(rows: &[BaselineRow]) -> String {
    crate::csv_out::to_csv(rows.iter().map(|r| BaselineCsvRow {
        hour_start: r.hour_start(),
        unadjusted_kw: fixed(r.unadjusted_kw),
        adjustment: fixed(r.adjustment),
        baseline_kw: fixed(r.baseline_kw),
        actual_kw: fixed(r.actual_kw),
        reduction_kw: fixed(r.reduction_kw),
    }))
}

/// One line of the baseline CSV: the header ([`CSV_HEADER`]) is taken from the field names.
#[derive(Default, serde::Serialize)]
struct BaselineCsvRow {
    hour_start: String,
    unadjusted_kw: String,
    adjustment: String,
    baseline_kw: String,
    actual_kw: String,
    reduction_kw: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_csv_header_is_the_rows_fields() {
        assert_eq!(to_csv(&[]).trim_end(), CSV_HEADER);
    }

    /// Every day from `first` to `last` with the same 24 hourly values.
    fn flat(first: Date, last: Date, kwh: f64) -> BTreeMap<Date, [f64; 24]> {
        let mut m = BTreeMap::new();
        let mut d = first;
        while d <= last {
            m.insert(d, [kwh; 24]);
            d = d.tomorrow().unwrap();
        }
        m
    }

    fn all_days(_: Date) -> bool {
        true
    }

    fn dates(v: &[(i16, i8, i8)]) -> Vec<Date> {
        v.iter().map(|&(y, m, d)| date(y, m, d)).collect()
    }

    #[test]
    fn worked_fact_labor_day_and_three_exclusions_give_aug_17_to_30() {
        // Event Tuesday 2022-09-06; Aug 31, Sep 1 and Sep 2 excluded; Labor Day (Sep 5) a holiday.
        let m = BaselineMethod::ten_in_ten();
        let excluded = dates(&[(2022, 8, 31), (2022, 9, 1), (2022, 9, 2)]);
        let got = select_days(&m, date(2022, 9, 6), &excluded, all_days).unwrap();
        let want = dates(&[
            (2022, 8, 17),
            (2022, 8, 18),
            (2022, 8, 19),
            (2022, 8, 22),
            (2022, 8, 23),
            (2022, 8, 24),
            (2022, 8, 25),
            (2022, 8, 26),
            (2022, 8, 29),
            (2022, 8, 30),
        ]);
        assert_eq!(got, want);
    }

    #[test]
    fn labor_day_is_not_a_candidate_for_a_weekday_event() {
        let m = BaselineMethod::ten_in_ten();
        let got = select_days(&m, date(2022, 9, 6), &[], all_days).unwrap();
        assert!(!got.contains(&date(2022, 9, 5)));
        assert_eq!(got.len(), 10);
        assert_eq!(got.last(), Some(&date(2022, 9, 2)));
        assert_eq!(got.first(), Some(&date(2022, 8, 22)));
    }

    #[test]
    fn weekends_are_not_candidates_for_a_weekday_event() {
        let m = BaselineMethod::ten_in_ten();
        let got = select_days(&m, date(2022, 9, 6), &[], all_days).unwrap();
        assert!(got.iter().all(|d| day_type(*d) == DayType::Weekday));
    }

    #[test]
    fn excluded_days_are_skipped_and_the_search_goes_further_back() {
        let m = BaselineMethod::ten_in_ten();
        let excluded = dates(&[(2022, 8, 30), (2022, 8, 25)]);
        let got = select_days(&m, date(2022, 8, 31), &excluded, all_days).unwrap();
        assert!(!got.contains(&date(2022, 8, 30)) && !got.contains(&date(2022, 8, 25)));
        assert_eq!(got.len(), 10);
        assert_eq!(got.first(), Some(&date(2022, 8, 15)));
    }

    #[test]
    fn days_without_complete_meter_data_are_not_candidates() {
        let m = BaselineMethod::ten_in_ten();
        let missing = date(2022, 9, 1);
        let got = select_days(&m, date(2022, 9, 6), &[], |d| d != missing).unwrap();
        assert!(!got.contains(&missing));
        assert_eq!(got.len(), 10);
        assert_eq!(got.first(), Some(&date(2022, 8, 19)));
    }

    #[test]
    fn days_more_than_45_days_back_are_not_candidates() {
        let m = BaselineMethod::ten_in_ten();
        let event = date(2022, 9, 6);
        // Exclude most recent weekdays so the search has to reach the 45-day limit.
        let first_allowed = date(2022, 7, 23); // 45 days before the event
        let excluded: Vec<Date> = (0..38)
            .scan(event, |d, _| {
                *d = d.yesterday().unwrap();
                Some(*d)
            })
            .collect(); // Sep 5 back to Jul 30
        let got = select_days(&m, event, &excluded, all_days).unwrap();
        // Weekdays Jul 25-29 are within 45 days; Jul 22 (46 days back) is not.
        assert_eq!(got, dates(&[(2022, 7, 25), (2022, 7, 26), (2022, 7, 27), (2022, 7, 28), (2022, 7, 29)]));
        assert!(got.iter().all(|d| *d >= first_allowed));
    }

    #[test]
    fn fewer_than_ten_days_are_used_when_that_is_all_there_is() {
        let m = BaselineMethod::ten_in_ten();
        // Meter data only from 2022-08-29: Aug 29, 30, 31, Sep 1, 2 are the weekdays before Sep 6.
        let got = select_days(&m, date(2022, 9, 6), &[], |d| d >= date(2022, 8, 29)).unwrap();
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn fewer_than_five_eligible_weekdays_is_an_error_naming_the_count_and_window() {
        let m = BaselineMethod::ten_in_ten();
        let e = select_days(&m, date(2022, 9, 6), &[], |d| d >= date(2022, 8, 30)).unwrap_err();
        assert_eq!(
            e,
            BaselineError::TooFewDays {
                found: 4,
                needed: 5,
                kind: DayKind::Weekdays,
                event_date: date(2022, 9, 6),
                lookback: 45,
                from: date(2022, 7, 23),
                to: date(2022, 9, 5),
            }
        );
        let msg = e.to_string();
        assert!(msg.contains("only 4 eligible weekdays"), "{msg}");
        assert!(msg.contains("2022-07-23 to 2022-09-05"), "{msg}");
        assert!(msg.contains("at least 5"), "{msg}");
    }

    #[test]
    fn weekend_event_uses_the_four_most_recent_weekend_or_holiday_days() {
        let m = BaselineMethod::ten_in_ten();
        // Sunday 2022-09-04: Sat Sep 3, then Aug 28, 27, 21.
        let got = select_days(&m, date(2022, 9, 4), &[], all_days).unwrap();
        assert_eq!(got, dates(&[(2022, 8, 21), (2022, 8, 27), (2022, 8, 28), (2022, 9, 3)]));
    }

    #[test]
    fn a_weekday_holiday_is_a_candidate_for_a_weekend_event() {
        let m = BaselineMethod::ten_in_ten();
        // Saturday 2022-07-09: Mon Jul 4 (Independence Day), Sun Jul 3, Sat Jul 2, Sun Jun 26.
        let got = select_days(&m, date(2022, 7, 9), &[], all_days).unwrap();
        assert_eq!(got, dates(&[(2022, 6, 26), (2022, 7, 2), (2022, 7, 3), (2022, 7, 4)]));
    }

    #[test]
    fn a_holiday_event_uses_weekend_days_and_skips_excluded_ones() {
        let m = BaselineMethod::ten_in_ten();
        // Labor Day 2022-09-05 with Sep 3 excluded: Sep 4, Aug 28, 27, 21.
        let got = select_days(&m, date(2022, 9, 5), &[date(2022, 9, 3)], all_days).unwrap();
        assert_eq!(got, dates(&[(2022, 8, 21), (2022, 8, 27), (2022, 8, 28), (2022, 9, 4)]));
    }

    #[test]
    fn fewer_than_four_weekend_days_is_an_error() {
        let m = BaselineMethod::ten_in_ten();
        let e = select_days(&m, date(2022, 9, 4), &[], |d| d >= date(2022, 8, 22)).unwrap_err();
        assert!(matches!(e, BaselineError::TooFewDays { found: 3, needed: 4, kind: DayKind::WeekendOrHoliday, .. }));
    }

    #[test]
    fn highest_days_keep_the_most_energy_and_prefer_recent_days_on_ties() {
        let days = dates(&[(2022, 8, 1), (2022, 8, 2), (2022, 8, 3), (2022, 8, 4)]);
        let energy = |d: Date| match d.day() {
            1 => 5.0,
            2 => 9.0,
            3 => 5.0,
            _ => 1.0,
        };
        assert_eq!(highest_days(&days, 2, energy), dates(&[(2022, 8, 2), (2022, 8, 3)]));
        assert_eq!(highest_days(&days, 9, energy), days);
    }

    #[test]
    fn five_of_ten_highest_keeps_the_five_days_with_most_event_hour_energy() {
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 7, 1), event, 1.0);
        // Make five of the ten candidate weekdays heavy in the event hours 16-20 only.
        let heavy = dates(&[(2022, 8, 22), (2022, 8, 24), (2022, 8, 26), (2022, 8, 30), (2022, 9, 1)]);
        for d in &heavy {
            m.get_mut(d).unwrap()[16..21].fill(3.0);
        }
        // A heavy morning does not count: only event hours rank days.
        m.get_mut(&date(2022, 8, 23)).unwrap()[9] = 100.0;
        let method = BaselineMethod::five_of_ten_highest();
        let got = baseline_days(&method, &m, event, 16, 21, &[]).unwrap();
        assert_eq!(got, heavy);
        let b = compute(&method, &m, event, 16, 21, &[]).unwrap();
        assert_eq!(b.days, heavy);
        assert_eq!(b.rows[0].unadjusted_kw, 3.0);
    }

    #[test]
    fn unadjusted_baseline_is_the_mean_of_the_selected_days() {
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 8, 1), event, 1.0);
        // Days 1..10 of the selection get 1..10 kWh at 17:00; the mean is 5.5.
        let b0 = compute(&BaselineMethod::ten_in_ten(), &m, event, 17, 18, &[]).unwrap();
        for (i, d) in b0.days.iter().enumerate() {
            m.get_mut(d).unwrap()[17] = (i + 1) as f64;
        }
        let b = compute(&BaselineMethod::ten_in_ten(), &m, event, 17, 18, &[]).unwrap();
        assert_eq!(b.rows[0].unadjusted_kw, 5.5);
        assert_eq!(b.rows[0].hour_start(), "2022-09-06 17:00");
    }

    #[test]
    fn adjustment_uses_hours_h_minus_4_to_h_minus_2_and_skips_the_hour_before() {
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 7, 1), event, 2.0);
        let day = m.get_mut(&event).unwrap();
        day[12] = 2.1;
        day[13] = 2.2;
        day[14] = 2.3; // sum 6.6 against 6.0: ratio 1.1
        day[15] = 50.0; // the hour before the event is ignored
        day[11] = 50.0; // and so is H-5
        let b = compute(&BaselineMethod::ten_in_ten(), &m, event, 16, 18, &[]).unwrap();
        assert!((b.adjustment - 1.1).abs() < 1e-12, "{}", b.adjustment);
        let r = &b.rows[0];
        assert_eq!(r.unadjusted_kw, 2.0);
        assert!((r.baseline_kw - 2.2).abs() < 1e-12);
    }

    #[test]
    fn adjustment_is_clipped_at_1_plus_cap() {
        assert_eq!(clip_ratio(15.0, 10.0, 0.2), 1.2);
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 7, 1), event, 1.0);
        m.get_mut(&event).unwrap()[12..15].fill(2.0);
        let b = compute(&BaselineMethod::ten_in_ten(), &m, event, 16, 17, &[]).unwrap();
        assert_eq!(b.adjustment, 1.2);
        assert_eq!(b.rows[0].baseline_kw, 1.2);
    }

    #[test]
    fn adjustment_is_clipped_at_1_minus_cap() {
        assert_eq!(clip_ratio(5.0, 10.0, 0.2), 0.8);
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 7, 1), event, 1.0);
        m.get_mut(&event).unwrap()[12..15].fill(0.1);
        let b = compute(&BaselineMethod::ten_in_ten(), &m, event, 16, 17, &[]).unwrap();
        assert_eq!(b.adjustment, 0.8);
    }

    #[test]
    fn adjustment_within_the_cap_is_kept() {
        assert_eq!(clip_ratio(11.0, 10.0, 0.2), 1.1);
        assert_eq!(clip_ratio(9.0, 10.0, 0.2), 0.9);
    }

    #[test]
    fn a_larger_cap_lets_the_ratio_go_further() {
        assert_eq!(clip_ratio(15.0, 10.0, 0.4), 1.4);
        assert_eq!(clip_ratio(13.0, 10.0, 0.4), 1.3);
        assert_eq!(clip_ratio(15.0, 10.0, 0.0), 1.0);
        let m = BaselineMethod::ten_in_ten().with_cap(0.4).unwrap();
        assert_eq!(m.cap(), Some(0.4));
    }

    #[test]
    fn zero_baseline_in_the_adjustment_hours_gives_ratio_one_or_the_upper_cap() {
        assert_eq!(clip_ratio(0.0, 0.0, 0.2), 1.0);
        assert_eq!(clip_ratio(3.0, 0.0, 0.2), 1.2);
    }

    #[test]
    fn reduction_is_baseline_minus_actual() {
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 7, 1), event, 4.0);
        m.get_mut(&event).unwrap()[17] = 1.5;
        m.get_mut(&event).unwrap()[18] = 5.0;
        let b = compute(&BaselineMethod::ten_in_ten(), &m, event, 17, 19, &[]).unwrap();
        assert_eq!(b.adjustment, 1.0);
        assert_eq!(b.rows[0].actual_kw, 1.5);
        assert_eq!(b.rows[0].reduction_kw, 2.5);
        assert_eq!(b.rows[1].reduction_kw, -1.0);
    }

    #[test]
    fn a_method_without_adjustment_has_ratio_one() {
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 7, 1), event, 1.0);
        m.get_mut(&event).unwrap()[13] = 9.0;
        let method = BaselineMethod { adjustment: Adjustment::None, ..BaselineMethod::ten_in_ten() };
        let b = compute(&method, &m, event, 16, 17, &[]).unwrap();
        assert_eq!(b.adjustment, 1.0);
        assert!(method.with_cap(0.3).is_err());
    }

    #[test]
    fn adjustment_hours_before_midnight_come_from_the_previous_day() {
        // Event 02:00-04:00: adjustment hours are 22:00 and 23:00 of the day before and 00:00.
        let event = date(2022, 9, 6);
        let mut m = flat(date(2022, 7, 1), event, 1.0);
        let eve = m.get_mut(&date(2022, 9, 5)).unwrap();
        eve[22] = 1.5;
        eve[23] = 1.5;
        m.get_mut(&event).unwrap()[0] = 1.0; // 4.0 / 3.0, clipped to 1.2
        let b = compute(&BaselineMethod::ten_in_ten(), &m, event, 2, 4, &[]).unwrap();
        assert_eq!(b.adjustment, 1.2);
        // With a wide cap the exact ratio shows.
        let wide = BaselineMethod::ten_in_ten().with_cap(1.0).unwrap();
        let b = compute(&wide, &m, event, 2, 4, &[]).unwrap();
        assert!((b.adjustment - 4.0 / 3.0).abs() < 1e-12);
        // The baseline side reads the evening before each baseline day: the first selected day
        // is Monday Aug 22, so Sunday Aug 21 must be there.
        assert_eq!(b.days.first(), Some(&date(2022, 8, 22)));
        m.remove(&date(2022, 8, 21));
        let e = compute(&BaselineMethod::ten_in_ten(), &m, event, 2, 4, &[]).unwrap_err();
        assert_eq!(e, BaselineError::MissingHour { date: date(2022, 8, 21), hour: 22, purpose: Purpose::Adjustment });
    }

    #[test]
    fn bad_hour_ranges_are_refused() {
        let event = date(2022, 9, 6);
        let m = flat(date(2022, 7, 1), event, 1.0);
        let method = BaselineMethod::ten_in_ten();
        for (s, e) in [(17, 17), (18, 17), (20, 25)] {
            let err = compute(&method, &m, event, s, e, &[]).unwrap_err();
            assert_eq!(err, BaselineError::BadHourRange { start: s, end: e });
        }
        assert!(compute(&method, &m, event, 0, 24, &[]).is_ok());
    }

    #[test]
    fn a_missing_event_hour_is_named() {
        let event = date(2022, 9, 6);
        let m = flat(date(2022, 7, 1), date(2022, 9, 5), 1.0);
        let e = compute(&BaselineMethod::ten_in_ten(), &m, event, 16, 21, &[]).unwrap_err();
        assert_eq!(e.to_string(), "no complete meter reading for 2022-09-06 16:00, needed for the event hours");
    }

    #[test]
    fn presets_are_found_by_name_and_ten_in_ten_is_the_default() {
        for name in PRESET_NAMES {
            let m = BaselineMethod::preset(name).unwrap();
            m.validate().unwrap();
        }
        assert_eq!(BaselineMethod::preset(DEFAULT_METHOD), Some(BaselineMethod::default()));
        assert_eq!(BaselineMethod::preset("five-of-ten-highest").map(|m| m.selection), Some(Selection::Highest(5)));
        assert_eq!(BaselineMethod::preset("10-in-10"), None);
    }

    #[test]
    fn a_book_can_override_some_fields_and_unknown_fields_are_refused() {
        let m: BaselineMethod =
            toml::from_str("selection = { highest = 5 }\nadjustment = { kind = \"multiplicative\", cap = 0.4 }\n")
                .unwrap();
        assert_eq!(m.selection, Selection::Highest(5));
        assert_eq!(m.cap(), Some(0.4));
        assert_eq!(m.lookback_days, 45);
        let none: BaselineMethod = toml::from_str("adjustment = { kind = \"none\" }").unwrap();
        assert_eq!(none.adjustment, Adjustment::None);
        let recent: BaselineMethod = toml::from_str("selection = \"most_recent\"").unwrap();
        assert_eq!(recent, BaselineMethod::ten_in_ten());
        assert!(toml::from_str::<BaselineMethod>("lookback = 30").is_err());
        assert!(toml::from_str::<BaselineMethod>("adjustment = { kind = \"multiplicative\", caps = 1 }").is_err());
    }

    #[test]
    fn an_impossible_method_is_refused() {
        let bad = [
            BaselineMethod { min_days: 11, ..BaselineMethod::ten_in_ten() },
            BaselineMethod { selection: Selection::Highest(0), ..BaselineMethod::ten_in_ten() },
            BaselineMethod {
                adjustment: Adjustment::Multiplicative { hours: vec![0], cap: 0.2 },
                ..BaselineMethod::ten_in_ten()
            },
            BaselineMethod {
                adjustment: Adjustment::Multiplicative { hours: vec![3, 3], cap: 0.2 },
                ..BaselineMethod::ten_in_ten()
            },
        ];
        for m in bad {
            assert!(matches!(m.validate(), Err(BaselineError::InvalidMethod(_))));
        }
        assert!(BaselineMethod::ten_in_ten().with_cap(-0.1).is_err());
        assert!(BaselineMethod::ten_in_ten().with_cap(f64::NAN).is_err());
    }

    #[test]
    fn csv_has_the_exact_header_and_fixed_decimals() {
        let rows = [BaselineRow {
            date: date(2022, 9, 6),
            hour: 7,
            unadjusted_kw: 1.0,
            adjustment: 1.2,
            baseline_kw: 1.2,
            actual_kw: 1.2,
            reduction_kw: -1e-12,
        }];
        assert_eq!(
            to_csv(&rows),
            "hour_start,unadjusted_kw,adjustment,baseline_kw,actual_kw,reduction_kw\n\
             2022-09-06 07:00,1.0000,1.2000,1.2000,1.2000,0.0000\n"
        );
    }
}
