//! The program book as the editor sees it: each program's fields as TOML values, with the comment
//! that cites each field's source (read from the book's text with `toml_edit`), and the user's
//! edits as `--set` overrides.
//!
//! Nothing here knows the book's fields by name beyond what helps choose a control (units from
//! name suffixes, the known values of enumerations): a field added to the book later shows up in
//! the editor by itself.

use sim_core::{Override, ProgramSpec, ValidScenario};
use std::collections::BTreeMap;

/// The comments of one program in the book's text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgramNotes {
    /// Program ID.
    pub id: String,
    /// Comment of each field, by dotted path inside the program (`eligibility.min_demand_kw`).
    pub comments: BTreeMap<String, String>,
    /// Field paths in the order the book writes them.
    pub order: Vec<String>,
}

/// The book's comments: per program, and the field reference at the top of the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BookNotes {
    /// Per program, in the book's order.
    pub programs: Vec<ProgramNotes>,
    /// The header's field reference: field name → description.
    pub reference: BTreeMap<String, String>,
}

impl BookNotes {
    /// Reads the comments of a book's text (the default book if unsure).
    pub fn parse(text: &str) -> BookNotes {
        let mut notes = BookNotes { reference: header_reference(text), ..BookNotes::default() };
        let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
            return notes;
        };
        for (id, item) in doc.as_table().iter() {
            let Some(t) = item.as_table() else { continue };
            let mut p = ProgramNotes { id: id.to_string(), ..ProgramNotes::default() };
            walk_table(t, "", &mut p);
            notes.programs.push(p);
        }
        notes
    }

    /// The notes of a program.
    pub fn program(&self, id: &str) -> Option<&ProgramNotes> {
        self.programs.iter().find(|p| p.id == id)
    }

    /// The tooltip of a field: its comment, or the header's description of its name.
    pub fn help(&self, program: &str, path: &str) -> Option<String> {
        if let Some(c) = self.program(program).and_then(|p| p.comments.get(path)) {
            return Some(c.clone());
        }
        let name = path.rsplit('.').next().unwrap_or(path);
        let top = path.split('.').next().unwrap_or(path);
        self.reference.get(name).or_else(|| self.reference.get(top)).cloned()
    }

    /// Where a field comes in the book (fields the book does not write come last).
    pub fn rank(&self, program: &str, path: &str) -> usize {
        self.program(program).and_then(|p| p.order.iter().position(|x| x == path)).unwrap_or(usize::MAX)
    }
}

/// The `#   name   description` lines at the top of the book.
fn header_reference(text: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in text.lines() {
        let Some(rest) = line.strip_prefix('#') else {
            if line.trim_start().starts_with('[') {
                break;
            }
            continue;
        };
        let body = rest.trim_start();
        let indent = rest.len() - body.len();
        if indent >= 10 {
            // A continuation line of the previous entry.
            if let Some(k) = &last {
                if let Some(v) = out.get_mut(k) {
                    v.push(' ');
                    v.push_str(body.trim());
                }
            }
            continue;
        }
        last = None;
        if indent < 2 {
            continue;
        }
        let Some((name, desc)) = body.split_once("  ") else {
            continue;
        };
        if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !name.is_empty() {
            out.insert(name.to_string(), desc.trim().to_string());
            last = Some(name.to_string());
        }
    }
    out
}

/// The comments in a piece of decor (`# ...` lines), joined.
fn comments_of(raw: Option<&toml_edit::RawString>) -> Vec<String> {
    raw.and_then(toml_edit::RawString::as_str).map(comment_lines).unwrap_or_default()
}

fn comment_lines(s: &str) -> Vec<String> {
    let mut out = vec![];
    for line in s.lines() {
        if let Some(i) = find_comment(line) {
            let c = line[i + 1..].trim();
            // Section rules (`# ----- AP-I`) are not about a field.
            if !c.is_empty() && !c.starts_with("---") {
                out.push(c.to_string());
            }
        }
    }
    out
}

/// Byte offset of a `#` that starts a comment (not inside a string).
fn find_comment(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, ch) in line.char_indices() {
        match (quote, ch) {
            (None, '"' | '\'') => quote = Some(ch),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return Some(i),
            _ => {}
        }
    }
    None
}

fn value_comments(v: &toml_edit::Value) -> Vec<String> {
    let mut out = comments_of(v.decor().prefix());
    out.extend(comments_of(v.decor().suffix()));
    match v {
        toml_edit::Value::Array(a) => {
            for x in a.iter() {
                out.extend(value_comments(x));
            }
            out.extend(comment_lines(a.trailing().as_str().unwrap_or("")));
        }
        toml_edit::Value::InlineTable(t) => {
            for (_, x) in t.iter() {
                out.extend(value_comments(x));
            }
        }
        _ => {}
    }
    out
}

fn walk_table(t: &toml_edit::Table, prefix: &str, p: &mut ProgramNotes) {
    for (k, item) in t.iter() {
        let path = if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
        let mut comments = t.key(k).map(|key| comments_of(key.leaf_decor().prefix())).unwrap_or_default();
        p.order.push(path.clone());
        match item {
            toml_edit::Item::Value(v) => comments.extend(value_comments(v)),
            toml_edit::Item::Table(sub) => {
                comments.extend(comments_of(sub.decor().prefix()));
                walk_table(sub, &path, p);
            }
            _ => {}
        }
        if !comments.is_empty() {
            p.comments.insert(path, comments.join(" "));
        }
    }
}

/// A program's fields as a TOML table (every field the engine has, defaults included).
pub fn spec_table(spec: &ProgramSpec) -> toml::Table {
    toml::Table::try_from(spec).unwrap_or_default()
}

/// The program tables of a scenario's book, by program ID.
pub fn book_tables(scn: &ValidScenario) -> BTreeMap<String, toml::Table> {
    scn.book().programs.iter().map(|(id, spec)| (id.clone(), spec_table(spec))).collect()
}

/// The user's edits: dotted path (as `--set` takes it) → value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edits {
    /// Path → value, e.g. `programs.TOU-BIP.max_events_per_month` → 3.
    pub values: BTreeMap<String, toml::Value>,
}

impl Edits {
    /// The edits as overrides, in path order.
    pub fn overrides(&self) -> Vec<Override> {
        self.values.iter().map(|(k, v)| Override { key: k.clone(), value: v.clone() }).collect()
    }

    /// Edits from overrides (a link or a restored state).
    pub fn from_overrides(os: &[Override]) -> Edits {
        Edits { values: os.iter().map(|o| (o.key.clone(), o.value.clone())).collect() }
    }

    /// Whether a path (or a field inside it, or a list holding it) is edited.
    pub fn touches(&self, path: &str) -> bool {
        self.values.keys().any(|k| {
            k == path
                || k.strip_prefix(path).is_some_and(|r| r.starts_with('.'))
                || path.strip_prefix(k.as_str()).is_some_and(|r| r.starts_with('.'))
        })
    }

    /// Drops the edits of a path and of everything inside it.
    pub fn reset(&mut self, path: &str) {
        self.values.retain(|k, _| !(k == path || k.strip_prefix(path).is_some_and(|r| r.starts_with('.'))));
    }

    /// A program's table with the edits under `programs.<id>` applied.
    pub fn apply(&self, id: &str, base: &toml::Table) -> toml::Table {
        let mut t = base.clone();
        let prefix = format!("programs.{id}.");
        for (k, v) in &self.values {
            if let Some(rest) = k.strip_prefix(&prefix) {
                set_table_path(&mut t, rest, v.clone());
            }
        }
        t
    }

    /// Records the differences between a program's shown table and the edited one.
    pub fn record(&mut self, id: &str, before: &toml::Table, after: &toml::Table) {
        let mut out = vec![];
        diff(&format!("programs.{id}"), before, after, &mut out);
        for (k, v) in out {
            // An edit replaces edits inside it (a whole list replaces its elements' edits).
            self.reset(&k);
            self.values.insert(k, v);
        }
    }
}

fn set_table_path(t: &mut toml::Table, path: &str, v: toml::Value) {
    match path.split_once('.') {
        None => {
            t.insert(path.to_string(), v);
        }
        Some((head, rest)) => {
            let e = t.entry(head.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(sub) = e {
                set_table_path(sub, rest, v);
            }
        }
    }
}

/// Changed leaves between two tables (tables recurse; lists and values compare whole).
fn diff(prefix: &str, a: &toml::Table, b: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (k, vb) in b {
        let path = format!("{prefix}.{k}");
        match (a.get(k), vb) {
            (Some(toml::Value::Table(ta)), toml::Value::Table(tb)) => diff(&path, ta, tb, out),
            (Some(va), vb) if va == vb => {}
            _ => out.push((path, vb.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::DEFAULT_BOOK;

    #[test]
    fn every_commented_field_of_the_book_has_its_source_comment() {
        let notes = BookNotes::parse(DEFAULT_BOOK);
        assert_eq!(notes.programs.len(), 12);
        assert!(notes.program("DRAM").is_some() && notes.program("LCR").is_some() && notes.program("PRP").is_some());
        let bip = notes.program("TOU-BIP").unwrap();
        assert!(bip.comments["max_events_per_month"].contains("10 events/month"), "{:?}", bip.comments);
        assert!(bip.comments["eligibility.min_demand_kw"].contains("200 kW"));
        assert!(notes.program("CBP-E").unwrap().comments["windows"].contains("June-October"));
        assert!(notes.reference["season_months"].contains("months"));
        assert!(notes.help("SDP", "days").is_some());
    }

    #[test]
    fn edits_become_overrides_at_the_leaf_or_the_whole_list() {
        let notes_free = BookNotes::default();
        assert!(notes_free.programs.is_empty());
        let mut before = toml::Table::new();
        before.insert("max_events_per_month".into(), toml::Value::Integer(10));
        let mut win = toml::Table::new();
        win.insert("start".into(), toml::Value::String("16:00".into()));
        before.insert("windows".into(), toml::Value::Array(vec![toml::Value::Table(win)]));
        let mut after = before.clone();
        after.insert("max_events_per_month".into(), toml::Value::Integer(3));
        if let Some(toml::Value::Array(a)) = after.get_mut("windows") {
            if let Some(toml::Value::Table(w)) = a.get_mut(0) {
                w.insert("start".into(), toml::Value::String("17:00".into()));
            }
        }
        let mut e = Edits::default();
        e.record("TOU-BIP", &before, &after);
        let keys: Vec<&str> = e.values.keys().map(String::as_str).collect();
        assert_eq!(keys, ["programs.TOU-BIP.max_events_per_month", "programs.TOU-BIP.windows"]);
        assert_eq!(e.apply("TOU-BIP", &before), after);
        assert!(e.touches("programs.TOU-BIP"));
        e.reset("programs.TOU-BIP.windows");
        assert_eq!(e.values.len(), 1);
    }
}
