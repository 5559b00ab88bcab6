//! The simulation clock: fixed steps in absolute time, read in local prevailing time.

use super::calendar::{DayType, day_type};
use bevy_ecs::prelude::Resource;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// America/Los_Angeles as a POSIX TZ rule: PST (UTC-8), and PDT (UTC-7) from 02:00 on the second
/// Sunday of March to 02:00 on the first Sunday of November (US rule since 2007).
pub const PACIFIC_POSIX_TZ: &str = "PST8PDT,M3.2.0,M11.1.0";

/// 1970-01-01, day 0 of [`day_number`].
const EPOCH: Date = Date::constant(1970, 1, 1);

/// Days since 1970-01-01 of a civil date.
pub fn day_number(d: Date) -> i64 {
    // Civil days are 24 hours long, so the whole-day count is exact.
    d.duration_since(EPOCH).as_secs().div_euclid(86_400)
}

/// The civil date of a day number (days since 1970-01-01); `Date::MIN` outside jiff's range.
pub fn date_of_day(days: i64) -> Date {
    jiff::Span::new().try_days(days).and_then(|s| EPOCH.checked_add(s)).unwrap_or(Date::MIN)
}

/// Why a date, a time of day or a local instant cannot be read or placed on the clock.
#[derive(Clone, Debug, thiserror::Error)]
pub enum TimeError {
    /// The text is not shaped `YYYY-MM-DD`.
    #[error("`{0}` is not a date: expected YYYY-MM-DD")]
    NotADate(String),
    /// Shaped like a date, but no such day (e.g. 2022-02-30).
    #[error("`{text}` is not a valid date: {source}")]
    InvalidDate {
        /// The text as given.
        text: String,
        /// What jiff found wrong.
        source: jiff::Error,
    },
    /// The text is not `HH:MM` from 00:00 to 24:00.
    #[error("`{0}` is not a time of day: expected HH:MM")]
    NotATime(String),
    /// The text is not `YYYY-MM-DD HH:MM`.
    #[error("`{0}` is not a local date and time: expected YYYY-MM-DD HH:MM")]
    NotALocalDateTime(String),
    /// A date or instant outside the range the time zone arithmetic supports.
    #[error(transparent)]
    OutOfRange(#[from] jiff::Error),
    /// A clock whose end is not after its start.
    #[error("the run must cover at least one step")]
    EmptyRun,
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<Date, TimeError> {
    let ok = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    if !ok {
        return Err(TimeError::NotADate(s.to_string()));
    }
    s.parse::<Date>().map_err(|source| TimeError::InvalidDate { text: s.to_string(), source })
}

/// Parses `HH:MM` (00:00 to 24:00) to minutes after midnight.
pub fn parse_hhmm(s: &str) -> Result<u32, TimeError> {
    let bad = || TimeError::NotATime(s.to_string());
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// `HH:MM` text of a minute of the day (the inverse of [`parse_hhmm`]).
pub fn hhmm(m: u32) -> String {
    LocalTime(m).to_string()
}

/// A time of day in local prevailing time, 00:00 to 24:00, held as minutes after midnight.
///
/// Scenario and book fields of this type read and write `HH:MM` text; a value that is not a time
/// is refused while the file is read, so nothing later parses time text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalTime(u32);

impl LocalTime {
    /// The time `h:m` (const, for defaults); `h:m` must be 00:00 to 24:00.
    pub const fn hm(h: u32, m: u32) -> Self {
        assert!(m < 60 && (h < 24 || (h == 24 && m == 0)), "not a time of day");
        Self(h * 60 + m)
    }

    /// Minutes after local midnight (0 to 1440).
    pub const fn minutes(self) -> u32 {
        self.0
    }
}

impl std::str::FromStr for LocalTime {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, TimeError> {
        parse_hhmm(s).map(Self)
    }
}

impl TryFrom<String> for LocalTime {
    type Error = TimeError;
    fn try_from(s: String) -> Result<Self, TimeError> {
        s.parse()
    }
}

impl From<LocalTime> for String {
    fn from(t: LocalTime) -> String {
        t.to_string()
    }
}

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// Parses a local date and time `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM` to (date, minute of day).
pub fn parse_local_datetime(s: &str) -> Result<(Date, u32), TimeError> {
    let bad = || TimeError::NotALocalDateTime(s.to_string());
    if s.len() != 16 {
        return Err(bad());
    }
    let (d, rest) = s.split_at(10);
    if !(rest.starts_with(' ') || rest.starts_with('T')) {
        return Err(bad());
    }
    let date = parse_date(d).map_err(|_| bad())?;
    let minute = parse_hhmm(&rest[1..]).map_err(|_| bad())?;
    if minute >= 24 * 60 {
        return Err(bad());
    }
    Ok((date, minute))
}

/// One instant read on the local clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalStamp {
    /// Seconds since the Unix epoch (UTC).
    pub utc_s: i64,
    /// Local date.
    pub date: Date,
    /// Minutes after local midnight.
    pub minute_of_day: u32,
    /// Offset from UTC in minutes (e.g. -420 for PDT).
    pub offset_minutes: i32,
    /// Weekday, weekend or holiday.
    pub day_type: DayType,
    /// Days since 1970-01-01 of the local date.
    pub day: i64,
}

impl LocalStamp {
    /// Hour of day as a real number: minute_of_day / 60, correctly rounded.
    pub fn hour_f64(&self) -> f64 {
        f64::from(self.minute_of_day) / 60.0
    }

    /// RFC 3339 text with the local offset, e.g. `2022-09-06T17:00-07:00`.
    pub fn rfc3339(&self) -> String {
        let off = self.offset_minutes;
        let sign = if off < 0 { '-' } else { '+' };
        let a = off.unsigned_abs();
        format!(
            "{}T{:02}:{:02}{}{:02}:{:02}",
            self.date,
            self.minute_of_day / 60,
            self.minute_of_day % 60,
            sign,
            a / 60,
            a % 60
        )
    }

    /// Local `YYYY-MM-DD HH:MM`.
    pub fn local_text(&self) -> String {
        format!("{} {:02}:{:02}", self.date, self.minute_of_day / 60, self.minute_of_day % 60)
    }
}

/// The simulation clock (a resource): the current step and its local time.
#[derive(Resource, Clone, Debug)]
pub struct Clock {
    tz: TimeZone,
    /// Step length in minutes.
    pub step_minutes: u32,
    /// Index of the current step (the interval [now, now + step)).
    pub step: u64,
    /// Number of steps in the run.
    pub steps_total: u64,
    start_utc_s: i64,
    /// The current step's start, in local time.
    pub now: LocalStamp,
}

impl Clock {
    /// A clock from local midnight of `first` to local midnight after `last`, in `tz`.
    pub fn new(tz: TimeZone, first: Date, last: Date, step_minutes: u32) -> Result<Self, TimeError> {
        let start = local_to_utc(&tz, first, 0)?;
        let end = local_to_utc(&tz, last.tomorrow()?, 0)?;
        let step_s = i64::from(step_minutes) * 60;
        if step_s <= 0 || end <= start {
            return Err(TimeError::EmptyRun);
        }
        let steps_total = ((end - start) / step_s) as u64;
        let now = stamp(&tz, start)?;
        Ok(Self { tz, step_minutes, step: 0, steps_total, start_utc_s: start, now })
    }

    /// Step length in hours.
    pub fn dt_hours(&self) -> f64 {
        f64::from(self.step_minutes) / 60.0
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.step >= self.steps_total
    }

    /// Moves to the next step.
    pub fn advance(&mut self) {
        self.step += 1;
        let t = self.utc_of_step(self.step);
        // Every instant in range converts (checked when the clock was made).
        if let Ok(s) = stamp(&self.tz, t) {
            self.now = s;
        }
    }

    /// UTC seconds at the start of step `k`.
    pub fn utc_of_step(&self, k: u64) -> i64 {
        self.start_utc_s + k as i64 * i64::from(self.step_minutes) * 60
    }

    /// The local reading of an arbitrary UTC instant.
    pub fn local(&self, utc_s: i64) -> Option<LocalStamp> {
        stamp(&self.tz, utc_s).ok()
    }

    /// UTC seconds of a local date and minute (the earlier instant when ambiguous).
    pub fn utc_of_local(&self, date: Date, minute_of_day: u32) -> Result<i64, TimeError> {
        local_to_utc(&self.tz, date, minute_of_day)
    }

    /// The time zone.
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }
}

/// UTC seconds of a local date and minute in `tz` (the earlier instant when ambiguous).
pub fn local_to_utc(tz: &TimeZone, date: Date, minute_of_day: u32) -> Result<i64, TimeError> {
    let dt: DateTime = date.at((minute_of_day / 60) as i8, (minute_of_day % 60) as i8, 0, 0);
    let ts = tz.to_ambiguous_timestamp(dt).earlier()?;
    Ok(ts.as_second())
}

fn stamp(tz: &TimeZone, utc_s: i64) -> Result<LocalStamp, TimeError> {
    let ts = Timestamp::from_second(utc_s)?;
    let dt = tz.to_datetime(ts);
    let off = tz.to_offset(ts).seconds() / 60;
    let date = dt.date();
    Ok(LocalStamp {
        utc_s,
        date,
        minute_of_day: dt.hour() as u32 * 60 + dt.minute() as u32,
        offset_minutes: off,
        day_type: day_type(date),
        day: day_number(date),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pacific() -> TimeZone {
        TimeZone::posix(PACIFIC_POSIX_TZ).expect("valid rule")
    }

    #[test]
    fn a_local_time_reads_and_writes_hh_mm_from_midnight_to_24_00() {
        for (text, minutes) in [("00:00", 0), ("09:05", 545), ("17:17", 1037), ("24:00", 1440)] {
            let t: LocalTime = text.parse().unwrap();
            assert_eq!((t.minutes(), t.to_string()), (minutes, text.to_string()));
        }
        for bad in ["9:00", "24:01", "12:60", "noon", ""] {
            assert!(matches!(bad.parse::<LocalTime>(), Err(TimeError::NotATime(t)) if t == bad), "{bad}");
        }
        assert_eq!(LocalTime::hm(16, 0), "16:00".parse().unwrap());
    }

    #[test]
    fn a_summer_day_has_288_five_minute_steps_in_pdt() {
        let c = Clock::new(pacific(), date(2022, 9, 6), date(2022, 9, 6), 5).unwrap();
        assert_eq!(c.steps_total, 288);
        assert_eq!(c.now.offset_minutes, -420);
        assert_eq!(c.now.rfc3339(), "2022-09-06T00:00-07:00");
    }

    #[test]
    fn dst_days_have_23_and_25_hours() {
        let spring = Clock::new(pacific(), date(2022, 3, 13), date(2022, 3, 13), 60).unwrap();
        assert_eq!(spring.steps_total, 23);
        let fall = Clock::new(pacific(), date(2022, 11, 6), date(2022, 11, 6), 60).unwrap();
        assert_eq!(fall.steps_total, 25);
        let mut c = spring;
        let mut hours = vec![];
        while !c.finished() {
            hours.push(c.now.minute_of_day / 60);
            c.advance();
        }
        assert_eq!(&hours[..4], &[0, 1, 3, 4]);
    }

    #[test]
    fn advancing_reads_local_time_and_day_type() {
        let mut c = Clock::new(pacific(), date(2022, 9, 5), date(2022, 9, 6), 5).unwrap();
        assert_eq!(c.now.day_type, DayType::Holiday);
        for _ in 0..(288 + 12 * 17 + 3) {
            c.advance();
        }
        assert_eq!(c.now.local_text(), "2022-09-06 17:15");
        assert_eq!(c.now.day_type, DayType::Weekday);
        assert_eq!(c.now.hour_f64(), 17.25);
    }

    #[test]
    fn day_numbers_match_the_unix_epoch() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
        assert_eq!(date_of_day(-1), date(1969, 12, 31));
        assert_eq!(day_number(date(2022, 9, 6)), 19_241);
        assert_eq!(day_number(date(2000, 3, 1)) - day_number(date(2000, 2, 28)), 2);
        for d in [date(1970, 1, 1), date(2000, 2, 29), date(2022, 9, 6), date(2024, 12, 31), date(1969, 7, 20)] {
            assert_eq!(date_of_day(day_number(d)), d);
        }
    }

    #[test]
    fn parsing_rejects_malformed_text() {
        assert_eq!(parse_hhmm("16:30").ok(), Some(990));
        assert_eq!(parse_hhmm("24:00").ok(), Some(1440));
        assert!(parse_hhmm("4pm").is_err());
        assert!(parse_hhmm("16:60").is_err());
        assert!(parse_date("2022-9-6").is_err());
        assert!(parse_date("2022-02-30").is_err());
        assert_eq!(parse_local_datetime("2022-09-06 17:17").ok().map(|x| x.1), Some(17 * 60 + 17));
        assert!(parse_local_datetime("2022-09-06 24:00").is_err());
    }
}
