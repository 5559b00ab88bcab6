//! The rules engine: judges dispatch requests against the program book (pure, no physics).
//!
//! Requests are judged in order of (date, start, program). A request that breaks any rule is
//! refused whole (never trimmed) with a reason naming the rule and its value; refused requests do
//! not count toward caps. Months and years are calendar ones, by event date.

use super::book::{DayRule, ProgramBook, ProgramSpec, Trigger};
use super::rules::{HOURS_CAP_TOLERANCE_H, fits_hours_cap};
use crate::time::{Date, DayType, day_number, day_type, hhmm};
use std::collections::BTreeMap;

/// A request to call an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Program ID.
    pub program: String,
    /// Event date (local).
    pub date: Date,
    /// Start, minutes after local midnight.
    pub start_min: u32,
    /// End, minutes after local midnight (up to 1440).
    pub end_min: u32,
    /// Trigger.
    pub trigger: Trigger,
    /// When notice was given (local date, minute); None = the latest the notice rule allows.
    pub issued: Option<(Date, u32)>,
}

/// Whether a request was called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Called: the event happens.
    Called,
    /// Refused: a rule forbids it.
    Refused,
}

impl Status {
    /// The name in the events table.
    pub fn name(self) -> &'static str {
        match self {
            Self::Called => "called",
            Self::Refused => "refused",
        }
    }
}

/// One row of the events table.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    /// The request.
    pub request: Request,
    /// Notice time used (given or defaulted).
    pub issued: (Date, u32),
    /// Called or refused.
    pub status: Status,
    /// Why it was refused (None when called).
    pub reason: Option<Refusal>,
}

/// A cap of the program book: a number of events or of event hours in a day, month or year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    /// `max_events_per_day`.
    EventsPerDay,
    /// `max_events_per_month`.
    EventsPerMonth,
    /// `max_events_per_year`.
    EventsPerYear,
    /// `max_hours_per_day`.
    HoursPerDay,
    /// `max_hours_per_month`.
    HoursPerMonth,
    /// `max_hours_per_year`.
    HoursPerYear,
    /// `max_test_events_per_year`.
    TestEventsPerYear,
}

impl Cap {
    /// The book's field name.
    pub fn field(self) -> &'static str {
        match self {
            Self::EventsPerDay => "max_events_per_day",
            Self::EventsPerMonth => "max_events_per_month",
            Self::EventsPerYear => "max_events_per_year",
            Self::HoursPerDay => "max_hours_per_day",
            Self::HoursPerMonth => "max_hours_per_month",
            Self::HoursPerYear => "max_hours_per_year",
            Self::TestEventsPerYear => "max_test_events_per_year",
        }
    }
}

impl std::fmt::Display for Cap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.field())
    }
}

/// Why the rules engine refused a request: the rule broken and its value. The text (`Display`)
/// is the `reason` column of `events.csv`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// The request names a program the book does not have.
    #[error("unknown program {0}")]
    UnknownProgram(String),
    /// The program is switched off (`enabled = false`).
    #[error("program disabled")]
    Disabled,
    /// The event ends at or before its start.
    #[error("end {} is not after start {}", hhmm(*.end_min), hhmm(*.start_min))]
    EndNotAfterStart {
        /// Start, minutes after local midnight.
        start_min: u32,
        /// End, minutes after local midnight.
        end_min: u32,
    },
    /// The trigger is not one of the program's `triggers`.
    #[error("trigger {0} not allowed")]
    TriggerNotAllowed(Trigger),
    /// The event month is not in `season_months`.
    #[error("out of season")]
    OutOfSeason,
    /// A weekdays-only program on a weekend day.
    #[error("weekdays only: {0} is a {day:?}", day = .0.weekday())]
    Weekend(Date),
    /// A weekdays-only program on a holiday.
    #[error("weekdays only: {0} is a holiday")]
    Holiday(Date),
    /// The program has windows, but none in the event's month.
    #[error("outside window: none in month {0}")]
    NoWindowInMonth(u32),
    /// The event is not inside the month's window.
    #[error("outside window {}-{}", hhmm(*.start_min), hhmm(*.end_min))]
    OutsideWindow {
        /// Window start, minutes after local midnight.
        start_min: u32,
        /// Window end, minutes after local midnight.
        end_min: u32,
    },
    /// The event is longer than `max_event_hours`.
    #[error("max_event_hours {} exceeded", num(*.0))]
    MaxEventHours(f64),
    /// The event is shorter than `min_event_hours`.
    #[error("min_event_hours {} not met", num(*.0))]
    MinEventHours(f64),
    /// Notice given after the event's start.
    #[error("notice: issued after start")]
    IssuedAfterStart,
    /// A day-ahead program's notice came after the latest minute of the day before.
    #[error("notice: needs day-ahead by {}", hhmm(*.0))]
    NeedsDayAhead(u32),
    /// Less notice than the program's lead time, minutes.
    #[error("notice: needs {0} minutes")]
    NeedsLead(u32),
    /// The event overlaps an event of the program already called that day.
    #[error("overlaps called event {}-{}", hhmm(*.start_min), hhmm(*.end_min))]
    Overlaps {
        /// The called event's start, minutes after local midnight.
        start_min: u32,
        /// Its end.
        end_min: u32,
    },
    /// A cap on the number of events is reached.
    #[error("{cap} {limit} reached")]
    EventsCap {
        /// Which cap.
        cap: Cap,
        /// Its value.
        limit: u32,
    },
    /// A cap on event hours would be exceeded.
    #[error("{cap} {} exceeded", num(*.limit_h))]
    HoursCap {
        /// Which cap.
        cap: Cap,
        /// Its value, hours.
        limit_h: f64,
    },
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x}") }
}

/// The latest notice time a rule allows for an event (the default `issued`).
pub fn default_issued(spec: &ProgramSpec, date: Date, start_min: u32) -> (Date, u32) {
    if let Some(by) = spec.day_ahead_by() {
        return (date.yesterday().unwrap_or(date), by);
    }
    let lead = spec.lead_minutes();
    if lead <= start_min {
        (date, start_min - lead)
    } else {
        // Lead time reaching into the previous day.
        let back = lead - start_min;
        let days = back.div_ceil(1440);
        let d = (0..days).fold(date, |d, _| d.yesterday().unwrap_or(d));
        (d, days * 1440 - back)
    }
}

fn minutes_between(a: (Date, u32), b: (Date, u32)) -> i64 {
    (day_number(b.0) - day_number(a.0)) * 1440 + i64::from(b.1) - i64::from(a.1)
}

#[derive(Clone, Debug)]
struct Called {
    date: Date,
    start_min: u32,
    end_min: u32,
    test: bool,
}

impl Called {
    fn hours(&self) -> f64 {
        f64::from(self.end_min - self.start_min) / 60.0
    }
}

/// Which called events a cap counts (same day, month or year as the request).
type CapFilter<'a> = &'a dyn Fn(&&Called) -> bool;

/// Judges requests one at a time, remembering what was called.
#[derive(Clone, Debug)]
pub struct Judge {
    book: ProgramBook,
    called: BTreeMap<String, Vec<Called>>,
}

impl Judge {
    /// A judge for a book, with nothing called yet.
    pub fn new(book: &ProgramBook) -> Self {
        Self { book: book.clone(), called: BTreeMap::new() }
    }

    /// The book being applied.
    pub fn book(&self) -> &ProgramBook {
        &self.book
    }

    /// Event hours already called for a program on a date, in its month and in its year.
    pub fn hours_used(&self, program: &str, date: Date) -> (f64, f64, f64) {
        let mut h = (0.0, 0.0, 0.0);
        for c in self.called.get(program).into_iter().flatten() {
            if c.date.year() == date.year() {
                h.2 += c.hours();
                if c.date.month() == date.month() {
                    h.1 += c.hours();
                    if c.date == date {
                        h.0 += c.hours();
                    }
                }
            }
        }
        h
    }

    /// Judges one request; a called one counts toward later caps.
    pub fn judge(&mut self, req: &Request) -> EventRow {
        let (issued, verdict) = match self.book.programs.get(&req.program) {
            Some(spec) => {
                let issued = req.issued.unwrap_or_else(|| default_issued(spec, req.date, req.start_min));
                let v = self.check(spec, req, issued);
                (issued, v)
            }
            None => ((req.date, req.start_min), Err(Refusal::UnknownProgram(req.program.clone()))),
        };
        match verdict {
            Ok(()) => {
                self.called.entry(req.program.clone()).or_default().push(Called {
                    date: req.date,
                    start_min: req.start_min,
                    end_min: req.end_min,
                    test: req.trigger == Trigger::Test,
                });
                EventRow { request: req.clone(), issued, status: Status::Called, reason: None }
            }
            Err(reason) => EventRow { request: req.clone(), issued, status: Status::Refused, reason: Some(reason) },
        }
    }

    fn check(&self, spec: &ProgramSpec, req: &Request, issued: (Date, u32)) -> Result<(), Refusal> {
        if !spec.enabled {
            return Err(Refusal::Disabled);
        }
        if req.end_min <= req.start_min {
            return Err(Refusal::EndNotAfterStart { start_min: req.start_min, end_min: req.end_min });
        }
        if !spec.triggers.contains(&req.trigger) {
            return Err(Refusal::TriggerNotAllowed(req.trigger));
        }
        let month = u32::from(req.date.month() as u8);
        if !spec.season_months.contains(&month) {
            return Err(Refusal::OutOfSeason);
        }
        if spec.days == DayRule::Weekdays {
            match day_type(req.date) {
                DayType::Weekday => {}
                DayType::Weekend => return Err(Refusal::Weekend(req.date)),
                DayType::Holiday => return Err(Refusal::Holiday(req.date)),
            }
        }
        match spec.window_for(month) {
            None => {}
            Some(None) => return Err(Refusal::NoWindowInMonth(month)),
            Some(Some((ws, we))) => {
                if req.start_min < ws || req.end_min > we {
                    return Err(Refusal::OutsideWindow { start_min: ws, end_min: we });
                }
            }
        }
        let hours = f64::from(req.end_min - req.start_min) / 60.0;
        if let Some(m) = spec.max_event_hours {
            if hours > m + HOURS_CAP_TOLERANCE_H {
                return Err(Refusal::MaxEventHours(m));
            }
        }
        if let Some(m) = spec.min_event_hours {
            if hours < m - HOURS_CAP_TOLERANCE_H {
                return Err(Refusal::MinEventHours(m));
            }
        }
        let start = (req.date, req.start_min);
        if minutes_between(issued, start) < 0 {
            return Err(Refusal::IssuedAfterStart);
        }
        if let Some(by) = spec.day_ahead_by() {
            let latest = (req.date.yesterday().unwrap_or(req.date), by);
            if minutes_between(issued, latest) < 0 {
                return Err(Refusal::NeedsDayAhead(by));
            }
        }
        if minutes_between(issued, start) < i64::from(spec.lead_minutes()) {
            return Err(Refusal::NeedsLead(spec.lead_minutes()));
        }
        let history = self.called.get(&req.program).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(c) =
            history.iter().find(|c| c.date == req.date && c.start_min < req.end_min && req.start_min < c.end_min)
        {
            return Err(Refusal::Overlaps { start_min: c.start_min, end_min: c.end_min });
        }
        let same_year = |c: &&Called| c.date.year() == req.date.year();
        let same_month = |c: &&Called| same_year(c) && c.date.month() == req.date.month();
        let same_day = |c: &&Called| c.date == req.date;
        let count = |f: &dyn Fn(&&Called) -> bool| history.iter().filter(|c| f(c)).count() as u32;
        let sum = |f: &dyn Fn(&&Called) -> bool| history.iter().filter(|c| f(c)).map(Called::hours).sum::<f64>();
        let caps_n: [(Cap, Option<u32>, CapFilter<'_>); 3] = [
            (Cap::EventsPerDay, spec.max_events_per_day, &same_day),
            (Cap::EventsPerMonth, spec.max_events_per_month, &same_month),
            (Cap::EventsPerYear, spec.max_events_per_year, &same_year),
        ];
        let caps_h: [(Cap, Option<f64>, CapFilter<'_>); 3] = [
            (Cap::HoursPerDay, spec.max_hours_per_day, &same_day),
            (Cap::HoursPerMonth, spec.max_hours_per_month, &same_month),
            (Cap::HoursPerYear, spec.max_hours_per_year, &same_year),
        ];
        for i in 0..3 {
            let (cap, limit, f) = caps_n[i];
            if let Some(limit) = limit {
                if count(f) >= limit {
                    return Err(Refusal::EventsCap { cap, limit });
                }
            }
            let (cap, limit, f) = caps_h[i];
            if let Some(limit_h) = limit
                && !fits_hours_cap(limit, sum(f), hours)
            {
                return Err(Refusal::HoursCap { cap, limit_h });
            }
        }
        if req.trigger == Trigger::Test {
            if let Some(cap) = spec.max_test_events_per_year {
                if count(&|c: &&Called| c.test && same_year(c)) >= cap {
                    return Err(Refusal::EventsCap { cap: Cap::TestEventsPerYear, limit: cap });
                }
            }
        }
        Ok(())
    }
}

/// Sorts requests by (date, start, program) — the order they are judged in.
pub fn sort_requests(reqs: &mut [Request]) {
    reqs.sort_by(|a, b| (a.date, a.start_min, &a.program).cmp(&(b.date, b.start_min, &b.program)));
}

/// Judges a whole calendar: sorts it, then judges each request in turn.
pub fn judge_calendar(book: &ProgramBook, mut reqs: Vec<Request>) -> Vec<EventRow> {
    sort_requests(&mut reqs);
    let mut judge = Judge::new(book);
    reqs.iter().map(|r| judge.judge(r)).collect()
}

/// One row of `events.csv`: the header is taken from the field names.
#[derive(Debug, Default, serde::Serialize)]
pub struct EventCsvRow<'a> {
    /// Program ID.
    pub program: &'a str,
    /// Event date (local), `YYYY-MM-DD`.
    pub date: String,
    /// Start, local `HH:MM`.
    pub start: String,
    /// End, local `HH:MM`.
    pub end: String,
    /// Trigger.
    pub trigger: String,
    /// When the event was issued, local `YYYY-MM-DDTHH:MM`.
    pub issued: String,
    /// `called` or `refused`.
    pub status: &'static str,
    /// Why a request was refused (empty when called).
    pub reason: String,
}

impl<'a> EventCsvRow<'a> {
    /// The row of a judged request.
    pub fn of(r: &'a EventRow) -> Self {
        let q = &r.request;
        EventCsvRow {
            program: &q.program,
            date: q.date.to_string(),
            start: hhmm(q.start_min),
            end: hhmm(q.end_min),
            trigger: q.trigger.to_string(),
            issued: format!("{}T{}", r.issued.0, hhmm(r.issued.1)),
            status: r.status.name(),
            reason: r.reason.as_ref().map(Refusal::to_string).unwrap_or_default(),
        }
    }
}

/// `events.csv`: one row per judged request, written by the `csv` crate (quoting as needed).
pub fn events_csv(rows: &[EventRow]) -> String {
    crate::csv_out::to_csv(rows.iter().map(EventCsvRow::of))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_csv_takes_its_header_from_the_row_and_quotes_what_needs_quotes() {
        let text = "schema_version = 1\nname = \"t\"\nstart = \"2022-09-01\"\nend = \"2022-09-01\"\n[weather]\nmodel = \"stochastic\"\n";
        let scn = crate::scenario::load_scenario(text, "t.toml", &[], &crate::scenario::NoFiles).expect("valid");
        let date = crate::time::parse_date("2022-09-06").expect("date");
        let req = |start_min, end_min| Request {
            program: "ELRP-A1".into(),
            date,
            start_min,
            end_min,
            trigger: Trigger::Eea1,
            issued: Some((date, 600)),
        };
        // The second overlaps the first and the third ends before it starts: both refused; the file
        // parses back into the same fields whatever the reasons hold.
        // A program the book does not know, with a comma and a quote in its name (and its reason).
        let odd = Request { program: "X,\"Y\"".into(), ..req(1020, 1140) };
        let rows = judge_calendar(scn.book(), vec![req(1020, 1140), req(1080, 1200), req(1200, 1140), odd]);
        let text = events_csv(&rows);
        let empty = events_csv(&[]);
        assert_eq!(text.lines().next(), empty.lines().next(), "one header with rows and without");
        assert_eq!(empty.trim_end(), "program,date,start,end,trigger,issued,status,reason");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let back: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().expect("parses");
        assert_eq!(back.len(), 4);
        for (rec, row) in back.iter().zip(&rows) {
            assert_eq!(&rec[0], row.request.program);
            assert_eq!(&rec[6], row.status.name());
            assert_eq!(rec[7], row.reason.as_ref().map(Refusal::to_string).unwrap_or_default());
        }
        assert_eq!(&back[0][6], "called");
        assert_eq!(&back[1][6], "refused");
        assert!(back.iter().any(|r| &r[0] == "X,\"Y\"" && r[7].contains("X,\"Y\"")), "{text}");
    }
}
