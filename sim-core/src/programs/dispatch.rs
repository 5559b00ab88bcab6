//! Scripted dispatch: `[[dispatch]]` entries in a scenario, or a dispatch file (TOML or CSV).

use super::book::{ProgramBook, Trigger};
use super::judge::Request;
use crate::scenario::ScenarioError;
use crate::time::{parse_date, parse_hhmm, parse_local_datetime};
use serde::{Deserialize, Serialize};

/// One scripted dispatch entry, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispatchEntry {
    /// Program ID.
    pub program: String,
    /// Event date, `YYYY-MM-DD`.
    pub date: String,
    /// Start, local `HH:MM`.
    pub start: String,
    /// End, local `HH:MM` (up to `24:00`).
    pub end: String,
    /// Trigger name.
    pub trigger: String,
    /// When notice was given, `YYYY-MM-DDTHH:MM` (default: the latest the notice rule allows).
    #[serde(default)]
    pub issued: Option<String>,
}

/// Turns an entry into a request, or says which field is wrong.
pub fn entry_to_request(e: &DispatchEntry, book: &ProgramBook) -> Result<Request, (&'static str, String)> {
    if !book.programs.contains_key(&e.program) {
        return Err(("program", format!("unknown program `{}`: expected one of {}", e.program, book.ids().join(", "))));
    }
    let date = parse_date(&e.date).map_err(|m| ("date", m.to_string()))?;
    let start_min = parse_hhmm(&e.start).map_err(|m| ("start", m.to_string()))?;
    let end_min = parse_hhmm(&e.end).map_err(|m| ("end", m.to_string()))?;
    if start_min >= 24 * 60 {
        return Err(("start", format!("`{}`: an event starts before 24:00", e.start)));
    }
    if end_min <= start_min {
        return Err(("end", format!("end {} must be after start {} (events do not cross midnight)", e.end, e.start)));
    }
    let trigger: Trigger = e.trigger.parse().map_err(|m: crate::scenario::UnknownName| ("trigger", m.to_string()))?;
    let issued = match &e.issued {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) => Some(parse_local_datetime(s).map_err(|m| ("issued", m.to_string()))?),
    };
    Ok(Request { program: e.program.clone(), date, start_min, end_min, trigger, issued })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DispatchFile {
    #[serde(default)]
    dispatch: Vec<DispatchEntry>,
}

/// Parses a dispatch file: TOML with `[[dispatch]]` entries, or CSV with the header
/// `program,date,start,end,trigger[,issued[,status,reason]]` (an `events.csv` can be fed back).
/// Errors name the file, the line (CSV) or entry, and the field.
pub fn parse_dispatch_file(text: &str, name: &str, book: &ProgramBook) -> Result<Vec<Request>, ScenarioError> {
    let looks_csv = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.trim_start_matches('\u{feff}').starts_with("program,"));
    if looks_csv {
        return parse_csv(text, name, book);
    }
    let f: DispatchFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(s) => {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                ScenarioError::at_line(name, line, "", message)
            }
            None => ScenarioError::in_file(name, message),
        }
    })?;
    f.dispatch
        .iter()
        .enumerate()
        .map(|(i, e)| {
            entry_to_request(e, book).map_err(|(field, m)| {
                let mut err = ScenarioError::in_file(name, m);
                err.path = format!("dispatch[{i}].{field}");
                err
            })
        })
        .collect()
}

/// The first five columns every CSV dispatch file has; `issued` may follow, and after it
/// `status,reason` (the columns of events.csv, which are ignored).
const CSV_COLUMNS: [&str; 5] = ["program", "date", "start", "end", "trigger"];

/// A CSV dispatch row: the entry's fields by header name (the `status` and `reason` of an
/// events.csv are not read).
#[derive(Deserialize)]
struct CsvEntry {
    program: String,
    date: String,
    start: String,
    end: String,
    trigger: String,
    #[serde(default)]
    issued: Option<String>,
}

fn parse_csv(text: &str, name: &str, book: &ProgramBook) -> Result<Vec<Request>, ScenarioError> {
    let table = crate::csv_in::read(text)
        .map_err(|(line, m)| ScenarioError::at_line(name, line, "", m))?
        .ok_or_else(|| ScenarioError::in_file(name, "empty dispatch file"))?;
    let h = &table.header;
    let ok = h.len() >= 5
        && h.iter().take(5).eq(CSV_COLUMNS)
        && (h.len() == 5
            || &h[5] == "issued" && (h.len() == 6 || h.len() == 8 && &h[6] == "status" && &h[7] == "reason"));
    if !ok {
        return Err(ScenarioError::at_line(
            name,
            table.header_line,
            "",
            "expected the header `program,date,start,end,trigger[,issued[,status,reason]]`",
        ));
    }
    table
        .records::<CsvEntry>(name)
        .map(|r| {
            let (n, CsvEntry { program, date, start, end, trigger, issued }) = r?;
            let e = DispatchEntry { program, date, start, end, trigger, issued };
            entry_to_request(&e, book).map_err(|(field, m)| ScenarioError::at_line(name, n, field, m))
        })
        .collect()
}
