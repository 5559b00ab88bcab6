//! Scripted dispatch: `[[dispatch]]` entries in a scenario, or a dispatch file (TOML or CSV).

use super::book::{ProgramBook, Trigger};
use super::judge::Request;
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
    let date = parse_date(&e.date).map_err(|m| ("date", m))?;
    let start_min = parse_hhmm(&e.start).map_err(|m| ("start", m))?;
    let end_min = parse_hhmm(&e.end).map_err(|m| ("end", m))?;
    if start_min >= 24 * 60 {
        return Err(("start", format!("`{}`: an event starts before 24:00", e.start)));
    }
    if end_min <= start_min {
        return Err(("end", format!("end {} must be after start {} (events do not cross midnight)", e.end, e.start)));
    }
    let trigger: Trigger = e.trigger.parse().map_err(|m| ("trigger", m))?;
    let issued = match &e.issued {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) => Some(parse_local_datetime(s).map_err(|m| ("issued", m))?),
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
pub fn parse_dispatch_file(text: &str, name: &str, book: &ProgramBook) -> Result<Vec<Request>, String> {
    let looks_csv = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("program,"));
    if looks_csv {
        return parse_csv(text, name, book);
    }
    let f: DispatchFile = toml::from_str(text).map_err(|e| {
        let loc = e.span().map(|s| {
            let before = &text[..s.start.min(text.len())];
            format!(":{}", before.matches('\n').count() + 1)
        });
        format!("{name}{}: {}", loc.unwrap_or_default(), e.message().trim())
    })?;
    f.dispatch
        .iter()
        .enumerate()
        .map(|(i, e)| entry_to_request(e, book).map_err(|(field, m)| format!("{name}: dispatch[{i}].{field}: {m}")))
        .collect()
}

fn parse_csv(text: &str, name: &str, book: &ProgramBook) -> Result<Vec<Request>, String> {
    let mut out = vec![];
    let mut header: Option<Vec<String>> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let cells: Vec<String> = split_csv(t);
        let Some(h) = &header else {
            let ok = cells.len() >= 5
                && cells[..5] == ["program", "date", "start", "end", "trigger"]
                && (cells.len() == 5
                    || cells[5] == "issued"
                        && (cells.len() == 6 || cells.len() == 8 && cells[6] == "status" && cells[7] == "reason"));
            if !ok {
                return Err(format!(
                    "{name}:{n}: expected the header `program,date,start,end,trigger[,issued[,status,reason]]`"
                ));
            }
            header = Some(cells);
            continue;
        };
        if cells.len() != h.len() {
            return Err(format!("{name}:{n}: expected {} columns, found {}", h.len(), cells.len()));
        }
        let e = DispatchEntry {
            program: cells[0].clone(),
            date: cells[1].clone(),
            start: cells[2].clone(),
            end: cells[3].clone(),
            trigger: cells[4].clone(),
            issued: cells.get(5).cloned(),
        };
        out.push(entry_to_request(&e, book).map_err(|(field, m)| format!("{name}:{n}: {field}: {m}"))?);
    }
    if header.is_none() {
        return Err(format!("{name}: empty dispatch file"));
    }
    Ok(out)
}

fn split_csv(line: &str) -> Vec<String> {
    let mut cells = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}
