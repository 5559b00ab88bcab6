//! Meter files: interval readings as CSV text, summed into hourly kWh on the local wall clock.
//!
//! The format is CSV with the header `start,kwh`; `start` is the local (prevailing, wall-clock)
//! start of the interval, `YYYY-MM-DD HH:MM`, and `kwh` the energy in the interval. Readings are
//! hourly or every 15 minutes, told apart by the first two readings, and the same throughout a
//! file. They must be in time order and contiguous: a missing interval, a duplicate, a reading
//! out of order, text or a negative number where the kWh belongs, or a time off the file's grid is
//! an error naming the line. Blank lines are ignored; a byte-order mark and CRLF line ends are
//! accepted. 15-minute readings are summed into hours; an hour is complete only with all four
//! quarters (so a file that starts or ends mid-hour leaves that hour without a reading).
//!
//! Daylight saving (America/Los_Angeles by default): on the spring-forward day the clock skips
//! 02:00-02:59, so that hour has no readings (a reading stamped inside it is an error) and the day
//! is complete with its 23 hours. On the fall-back day the clock shows 01:00-01:59 twice: the
//! second run of readings for that hour is taken as the repeated hour, and the hour's kWh is the
//! mean of the two real hours (the wall-clock hour's average kW), so the day still has 24 hours.

use super::baseline::HourlyKwh;
use crate::time::{Date, PACIFIC_POSIX_TZ, parse_local_datetime};
use jiff::Timestamp;
use jiff::tz::{AmbiguousOffset, TimeZone};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// The header a meter file must start with.
pub const METER_HEADER: &str = "start,kwh";

/// What is wrong with a meter file, and on which line.
#[derive(Clone, Debug, PartialEq, Error)]
#[error("line {line}: {kind}")]
pub struct MeterError {
    /// 1-based line number in the file.
    pub line: usize,
    /// What is wrong.
    pub kind: MeterErrorKind,
}

/// The kinds of meter-file errors.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum MeterErrorKind {
    /// No header line at all.
    #[error("the meter file is empty: expected the header `start,kwh`")]
    Empty,
    /// The first line is not `start,kwh`.
    #[error("the header must be `start,kwh`, found `{0}`")]
    Header(String),
    /// A line without exactly two fields.
    #[error("expected two fields, `start,kwh`, found {0}")]
    Fields(usize),
    /// The start is not a local date and time.
    #[error("{0}")]
    Start(String),
    /// The CSV itself cannot be read (e.g. an unclosed quote).
    #[error("{0}")]
    Unreadable(String),
    /// The kWh is not a (finite) number.
    #[error("kwh `{0}` is not a number")]
    NotANumber(String),
    /// The kWh is negative.
    #[error("kwh `{0}` is negative")]
    Negative(String),
    /// The start is not on the 15-minute grid.
    #[error("`{0}` is not on a 15-minute or hourly grid (minutes must be 00, 15, 30 or 45)")]
    OffGrid(String),
    /// The start is not on the hour in an hourly file.
    #[error("`{0}` is not on the hour, but this file's readings are hourly")]
    OffHourlyGrid(String),
    /// The start does not exist on the local clock (the spring-forward gap).
    #[error("`{0}` does not exist on the local clock (it falls in the spring-forward gap)")]
    Nonexistent(String),
    /// The first two readings are neither 15 nor 60 minutes apart.
    #[error(
        "cannot tell the interval: the first two readings are {0} minutes apart, expected 60 (hourly) or 15 (15-minute)"
    )]
    Interval(i64),
    /// The same interval twice.
    #[error("duplicate reading for {time} (first on line {first_line})")]
    Duplicate {
        /// Local start of the interval.
        time: String,
        /// Line of its first reading.
        first_line: usize,
    },
    /// A reading earlier than the one before it.
    #[error("`{time}` is out of order: it comes after {prev} (line {prev_line})")]
    OutOfOrder {
        /// Local start of this reading.
        time: String,
        /// Local start of the reading before.
        prev: String,
        /// Line of the reading before.
        prev_line: usize,
    },
    /// Intervals missing between two readings.
    #[error(
        "missing reading for {first_missing}{}: the reading before is for {prev} (line {prev_line})",
        if *count > 1 { format!(" ({count} intervals missing, up to {last_missing})") } else { String::new() }
    )]
    Missing {
        /// Local start of the first missing interval.
        first_missing: String,
        /// Local start of the last missing interval.
        last_missing: String,
        /// How many intervals are missing.
        count: i64,
        /// Local start of the reading before the gap.
        prev: String,
        /// Its line.
        prev_line: usize,
    },
    /// A header but no readings.
    #[error("the meter file has no readings")]
    NoReadings,
}

/// Hourly kWh by local date, parsed from a meter file.
#[derive(Clone, Debug, PartialEq)]
pub struct MeterData {
    interval_minutes: u32,
    days: BTreeMap<Date, [Option<f64>; 24]>,
    full_days: BTreeSet<Date>,
    first: String,
    last: String,
    readings: usize,
}

impl MeterData {
    /// Minutes between readings in the file (60 or 15).
    pub fn interval_minutes(&self) -> u32 {
        self.interval_minutes
    }

    /// Number of readings in the file.
    pub fn readings(&self) -> usize {
        self.readings
    }

    /// Local start of the first reading, `YYYY-MM-DD HH:MM`.
    pub fn first_reading(&self) -> &str {
        &self.first
    }

    /// Local start of the last reading, `YYYY-MM-DD HH:MM`.
    pub fn last_reading(&self) -> &str {
        &self.last
    }

    /// The dates with a complete reading for every hour on their local clock.
    pub fn full_days(&self) -> impl Iterator<Item = Date> + '_ {
        self.full_days.iter().copied()
    }
}

impl HourlyKwh for MeterData {
    fn kwh(&self, date: Date, hour: u32) -> Option<f64> {
        *self.days.get(&date)?.get(hour as usize)?
    }

    fn has_full_day(&self, date: Date) -> bool {
        self.full_days.contains(&date)
    }
}

/// America/Los_Angeles, the clock of SCE's meters.
fn pacific() -> TimeZone {
    // The rule is a constant (checked by a test); UTC is only a formal fallback.
    TimeZone::posix(PACIFIC_POSIX_TZ).unwrap_or(TimeZone::UTC)
}

/// Parses a meter file whose times are on SCE's clock (America/Los_Angeles).
pub fn parse_meter(text: &str) -> Result<MeterData, MeterError> {
    parse_meter_in(text, &pacific())
}

/// One reading, placed in absolute time.
struct Reading {
    line: usize,
    utc_s: i64,
    date: Date,
    minute: u32,
    kwh: f64,
}

/// Local `YYYY-MM-DD HH:MM` of an instant.
fn local_text(tz: &TimeZone, utc_s: i64) -> String {
    match Timestamp::from_second(utc_s) {
        Ok(ts) => {
            let dt = tz.to_datetime(ts);
            format!("{} {:02}:{:02}", dt.date(), dt.hour(), dt.minute())
        }
        Err(_) => format!("{utc_s} s after the epoch"),
    }
}

fn wall_text(date: Date, minute: u32) -> String {
    format!("{date} {:02}:{:02}", minute / 60, minute % 60)
}

/// Whether local `hour` exists on `date` (false only inside a spring-forward gap).
fn hour_exists(tz: &TimeZone, date: Date, hour: u32) -> bool {
    let dt = date.at(hour as i8, 0, 0, 0);
    !matches!(tz.to_ambiguous_timestamp(dt).offset(), AmbiguousOffset::Gap { .. })
}

/// Parses one data line (fields, time, kWh) and places it in absolute time. In the fall-back
/// fold the earlier instant is taken unless the previous reading is already at or past it.
fn parse_line(
    tz: &TimeZone,
    line_no: usize,
    fields: &csv::StringRecord,
    prev_utc: Option<i64>,
) -> Result<Reading, MeterError> {
    let err = |kind| MeterError { line: line_no, kind };
    let (Some(start), Some(kwh), 2) = (fields.get(0), fields.get(1), fields.len()) else {
        return Err(err(MeterErrorKind::Fields(fields.len())));
    };
    let (date, minute) = parse_local_datetime(start).map_err(|m| err(MeterErrorKind::Start(m.to_string())))?;
    let kwh_value: f64 = match kwh.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => return Err(err(MeterErrorKind::NotANumber(kwh.to_string()))),
    };
    if kwh_value < 0.0 {
        return Err(err(MeterErrorKind::Negative(kwh.to_string())));
    }
    if !minute.is_multiple_of(15) {
        return Err(err(MeterErrorKind::OffGrid(wall_text(date, minute))));
    }
    let dt = date.at((minute / 60) as i8, (minute % 60) as i8, 0, 0);
    let amb = tz.to_ambiguous_timestamp(dt);
    let nonexistent = || err(MeterErrorKind::Nonexistent(wall_text(date, minute)));
    let ts = match amb.offset() {
        AmbiguousOffset::Gap { .. } => return Err(nonexistent()),
        AmbiguousOffset::Unambiguous { .. } => amb.compatible(),
        AmbiguousOffset::Fold { .. } => {
            let earlier = amb.earlier().map_err(|_| nonexistent())?;
            match prev_utc {
                Some(p) if p >= earlier.as_second() => amb.later(),
                _ => Ok(earlier),
            }
        }
    }
    .map_err(|_| nonexistent())?;
    Ok(Reading { line: line_no, utc_s: ts.as_second(), date, minute, kwh: kwh_value })
}

/// Parses a meter file whose times are local wall-clock times in `tz`.
pub fn parse_meter_in(text: &str, tz: &TimeZone) -> Result<MeterData, MeterError> {
    let table = crate::csv_in::read(text)
        .map_err(|(line, m)| MeterError { line, kind: MeterErrorKind::Unreadable(m) })?
        .ok_or(MeterError { line: 1, kind: MeterErrorKind::Empty })?;
    let header_line = table.header_line;
    if !table.header_is(&["start", "kwh"]) {
        return Err(MeterError { line: header_line, kind: MeterErrorKind::Header(table.header_text()) });
    }

    let mut readings: Vec<Reading> = Vec::new();
    let mut step_s: Option<i64> = None;
    for (line_no, fields) in table.raw_rows() {
        let prev = readings.last();
        let r = parse_line(tz, line_no, fields, prev.map(|p| p.utc_s))?;
        let err = |kind| MeterError { line: line_no, kind };
        if let Some(p) = prev {
            let diff = r.utc_s - p.utc_s;
            if diff <= 0 {
                return Err(err(ordering_error(&readings, &r, step_s, tz)));
            }
            let step = match step_s {
                Some(s) => s,
                None => {
                    if diff != 3600 && diff != 900 {
                        return Err(err(MeterErrorKind::Interval(diff / 60)));
                    }
                    if diff == 3600 && !p.minute.is_multiple_of(60) {
                        return Err(MeterError {
                            line: p.line,
                            kind: MeterErrorKind::OffHourlyGrid(wall_text(p.date, p.minute)),
                        });
                    }
                    step_s = Some(diff);
                    diff
                }
            };
            if step == 3600 && !r.minute.is_multiple_of(60) {
                return Err(err(MeterErrorKind::OffHourlyGrid(wall_text(r.date, r.minute))));
            }
            if diff != step {
                let count = diff / step - 1;
                return Err(err(MeterErrorKind::Missing {
                    first_missing: local_text(tz, p.utc_s + step),
                    last_missing: local_text(tz, r.utc_s - step),
                    count,
                    prev: wall_text(p.date, p.minute),
                    prev_line: p.line,
                }));
            }
        }
        readings.push(r);
    }
    let (Some(first), Some(last)) = (readings.first(), readings.last()) else {
        return Err(MeterError { line: header_line, kind: MeterErrorKind::NoReadings });
    };
    let (first, last) = (wall_text(first.date, first.minute), wall_text(last.date, last.minute));
    // A single reading on the hour is read as hourly.
    let interval_minutes = match step_s {
        Some(s) => (s / 60) as u32,
        None if readings[0].minute.is_multiple_of(60) => 60,
        None => 15,
    };
    let per_hour = 60 / interval_minutes;

    // Sum the intervals of each real hour (keyed by the instant the local hour starts).
    struct Hour {
        key: i64,
        date: Date,
        hour: u32,
        kwh: f64,
        parts: u32,
    }
    let mut hours: Vec<Hour> = Vec::new();
    for r in &readings {
        let key = r.utc_s - i64::from(r.minute % 60) * 60;
        match hours.last_mut() {
            Some(h) if h.key == key => {
                h.kwh += r.kwh;
                h.parts += 1;
            }
            _ => hours.push(Hour { key, date: r.date, hour: r.minute / 60, kwh: r.kwh, parts: 1 }),
        }
    }

    // Complete hours onto the wall clock; the fall-back day's repeated hour is averaged.
    let mut sums: BTreeMap<Date, [(f64, u32); 24]> = BTreeMap::new();
    for h in hours.iter().filter(|h| h.parts == per_hour) {
        let slot = &mut sums.entry(h.date).or_insert([(0.0, 0); 24])[h.hour as usize];
        slot.0 += h.kwh;
        slot.1 += 1;
    }
    let days: BTreeMap<Date, [Option<f64>; 24]> =
        sums.into_iter().map(|(d, s)| (d, s.map(|(sum, n)| (n > 0).then(|| sum / f64::from(n))))).collect();
    let full_days = days
        .iter()
        .filter(|(d, hrs)| (0..24).all(|h| hrs[h as usize].is_some() || !hour_exists(tz, **d, h)))
        .map(|(d, _)| *d)
        .collect();
    Ok(MeterData { interval_minutes, days, full_days, first, last, readings: readings.len() })
}

/// The error for a reading at or before the previous one: a duplicate when its interval is
/// already in the file, otherwise out of order.
fn ordering_error(readings: &[Reading], r: &Reading, step_s: Option<i64>, tz: &TimeZone) -> MeterErrorKind {
    // Readings so far are contiguous, so an interval's position follows from its time.
    let first = readings.first().map_or(r.utc_s, |f| f.utc_s);
    let step = step_s.unwrap_or(900);
    let offset = r.utc_s - first;
    let earlier = (offset >= 0 && offset % step == 0)
        .then(|| readings.get((offset / step) as usize))
        .flatten()
        .filter(|e| e.utc_s == r.utc_s);
    match (earlier, readings.last()) {
        (Some(e), _) => MeterErrorKind::Duplicate { time: local_text(tz, r.utc_s), first_line: e.line },
        (None, Some(p)) => MeterErrorKind::OutOfOrder {
            time: wall_text(r.date, r.minute),
            prev: wall_text(p.date, p.minute),
            prev_line: p.line,
        },
        (None, None) => MeterErrorKind::NoReadings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn hourly_day(d: &str, kwh: impl Fn(u32) -> f64) -> String {
        (0..24).map(|h| format!("{d} {h:02}:00,{}\n", kwh(h))).collect()
    }

    fn err_of(text: &str) -> MeterError {
        parse_meter(text).unwrap_err()
    }

    #[test]
    fn the_pacific_rule_parses() {
        assert!(TimeZone::posix(PACIFIC_POSIX_TZ).is_ok());
    }

    #[test]
    fn an_hourly_file_gives_hourly_kwh_and_full_days() {
        let text = format!(
            "start,kwh\n{}{}",
            hourly_day("2022-09-05", |h| f64::from(h) / 10.0),
            hourly_day("2022-09-06", |_| 1.5)
        );
        let m = parse_meter(&text).unwrap();
        assert_eq!(m.interval_minutes(), 60);
        assert_eq!(m.readings(), 48);
        assert_eq!(m.kwh(date(2022, 9, 5), 17), Some(1.7));
        assert_eq!(m.kwh(date(2022, 9, 6), 0), Some(1.5));
        assert_eq!(m.kwh(date(2022, 9, 7), 0), None);
        assert!(m.has_full_day(date(2022, 9, 5)) && m.has_full_day(date(2022, 9, 6)));
        assert_eq!(m.first_reading(), "2022-09-05 00:00");
        assert_eq!(m.last_reading(), "2022-09-06 23:00");
    }

    #[test]
    fn quarter_hours_are_summed_into_hours() {
        let mut text = String::from("start,kwh\n");
        for h in 0..24 {
            for q in 0..4 {
                text.push_str(&format!("2022-09-06 {h:02}:{:02},0.25\n", q * 15));
            }
        }
        let m = parse_meter(&text).unwrap();
        assert_eq!(m.interval_minutes(), 15);
        assert_eq!(m.kwh(date(2022, 9, 6), 13), Some(1.0));
        assert!(m.has_full_day(date(2022, 9, 6)));
    }

    #[test]
    fn an_hour_needs_all_four_quarters() {
        let text = "start,kwh\n2022-09-06 10:30,1\n2022-09-06 10:45,1\n\
                    2022-09-06 11:00,1\n2022-09-06 11:15,1\n2022-09-06 11:30,1\n2022-09-06 11:45,1\n\
                    2022-09-06 12:00,1\n";
        let m = parse_meter(text).unwrap();
        assert_eq!(m.kwh(date(2022, 9, 6), 10), None);
        assert_eq!(m.kwh(date(2022, 9, 6), 11), Some(4.0));
        assert_eq!(m.kwh(date(2022, 9, 6), 12), None);
        assert!(!m.has_full_day(date(2022, 9, 6)));
    }

    #[test]
    fn the_header_must_be_start_kwh() {
        let e = err_of("time,kwh\n2022-09-06 10:00,1\n");
        assert_eq!(e.line, 1);
        assert_eq!(e.kind, MeterErrorKind::Header("time,kwh".into()));
        assert_eq!(err_of("").kind, MeterErrorKind::Empty);
        assert_eq!(err_of("start,kwh\n\n").kind, MeterErrorKind::NoReadings);
    }

    #[test]
    fn a_missing_hour_names_the_line_and_the_hour() {
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 11:00,1\n2022-09-06 13:00,1\n");
        assert_eq!(e.line, 4);
        assert_eq!(
            e.to_string(),
            "line 4: missing reading for 2022-09-06 12:00: the reading before is for 2022-09-06 11:00 (line 3)"
        );
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 10:15,1\n2022-09-06 11:00,1\n");
        assert!(
            e.to_string()
                .contains("missing reading for 2022-09-06 10:30 (2 intervals missing, up to 2022-09-06 10:45)"),
            "{e}"
        );
    }

    #[test]
    fn a_duplicate_names_both_lines() {
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 11:00,1\n2022-09-06 11:00,2\n");
        assert_eq!(e.line, 4);
        assert_eq!(e.kind, MeterErrorKind::Duplicate { time: "2022-09-06 11:00".into(), first_line: 3 });
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 10:00,1\n");
        assert_eq!((e.line, e.kind.to_string().contains("first on line 2")), (3, true));
    }

    #[test]
    fn a_reading_out_of_order_is_refused() {
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 11:00,1\n2022-09-06 09:00,1\n");
        assert_eq!(e.line, 4);
        assert!(matches!(e.kind, MeterErrorKind::OutOfOrder { prev_line: 3, .. }));
    }

    #[test]
    fn text_in_kwh_names_the_line() {
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 11:00,abc\n");
        assert_eq!(e.to_string(), "line 3: kwh `abc` is not a number");
        assert_eq!(err_of("start,kwh\n2022-09-06 10:00,NaN\n").line, 2);
        assert_eq!(err_of("start,kwh\n2022-09-06 10:00,inf\n").line, 2);
        assert_eq!(err_of("start,kwh\n2022-09-06 10:00,\n").line, 2);
    }

    #[test]
    fn negative_kwh_is_refused() {
        let e = err_of("start,kwh\n2022-09-06 10:00,-0.5\n");
        assert_eq!((e.line, e.kind), (2, MeterErrorKind::Negative("-0.5".into())));
    }

    #[test]
    fn bad_times_and_field_counts_name_the_line() {
        assert!(matches!(err_of("start,kwh\n2022-09-06 10:07,1\n").kind, MeterErrorKind::OffGrid(_)));
        assert!(matches!(err_of("start,kwh\n2022-09-06,1\n").kind, MeterErrorKind::Start(_)));
        assert_eq!(err_of("start,kwh\n2022-09-06 10:00,1,2\n").kind, MeterErrorKind::Fields(3));
    }

    #[test]
    fn a_quarter_hour_in_an_hourly_file_is_off_its_grid() {
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 11:00,1\n2022-09-06 11:15,1\n");
        assert_eq!((e.line, e.kind), (4, MeterErrorKind::OffHourlyGrid("2022-09-06 11:15".into())));
        let e = err_of("start,kwh\n2022-09-06 10:00,1\n2022-09-06 10:30,1\n");
        assert_eq!((e.line, e.kind), (3, MeterErrorKind::Interval(30)));
    }

    #[test]
    fn crlf_line_ends_a_bom_and_blank_lines_are_accepted() {
        let m = parse_meter("\u{feff}start,kwh\r\n2022-09-06 10:00,1\r\n\r\n2022-09-06 11:00,2\r\n").unwrap();
        assert_eq!(m.kwh(date(2022, 9, 6), 11), Some(2.0));
    }

    #[test]
    fn the_spring_forward_day_has_23_hours_and_is_complete() {
        // 2022-03-13: 01:00 is followed by 03:00.
        let mut text = String::from("start,kwh\n");
        for h in (0..24).filter(|h| *h != 2) {
            text.push_str(&format!("2022-03-13 {h:02}:00,1\n"));
        }
        let m = parse_meter(&text).unwrap();
        assert_eq!(m.kwh(date(2022, 3, 13), 2), None);
        assert!(m.has_full_day(date(2022, 3, 13)));
        let e = err_of("start,kwh\n2022-03-13 01:00,1\n2022-03-13 02:00,1\n");
        assert_eq!((e.line, e.kind), (3, MeterErrorKind::Nonexistent("2022-03-13 02:00".into())));
    }

    #[test]
    fn the_fall_back_days_repeated_hour_is_averaged() {
        // 2022-11-06: 01:00-01:59 happens twice.
        let mut text = String::from("start,kwh\n");
        for h in [0, 1, 1, 2] {
            for q in 0..4 {
                let kwh = if h == 1 && text.contains("01:45") { 0.5 } else { 0.25 };
                text.push_str(&format!("2022-11-06 {h:02}:{:02},{kwh}\n", q * 15));
            }
        }
        let m = parse_meter(&text).unwrap();
        assert_eq!(m.kwh(date(2022, 11, 6), 0), Some(1.0));
        assert_eq!(m.kwh(date(2022, 11, 6), 1), Some(1.5)); // (1.0 + 2.0) / 2
        assert_eq!(m.kwh(date(2022, 11, 6), 2), Some(1.0));
        // A third run of the hour is a duplicate.
        let e = err_of("start,kwh\n2022-11-06 01:00,1\n2022-11-06 01:00,1\n2022-11-06 01:00,1\n");
        assert_eq!(e.line, 4);
        assert!(matches!(e.kind, MeterErrorKind::Duplicate { first_line: 3, .. }));
    }

    #[test]
    fn a_whole_fall_back_day_is_complete() {
        let mut text = String::from("start,kwh\n");
        for h in 0..24 {
            text.push_str(&format!("2022-11-06 {h:02}:00,1\n"));
            if h == 1 {
                text.push_str("2022-11-06 01:00,3\n");
            }
        }
        let m = parse_meter(&text).unwrap();
        assert_eq!(m.readings(), 25);
        assert!(m.has_full_day(date(2022, 11, 6)));
        assert_eq!(m.kwh(date(2022, 11, 6), 1), Some(2.0));
    }
}
