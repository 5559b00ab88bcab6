//! From TOML text (plus `--set` overrides) to a `ValidScenario`, with located errors.

use super::errors::{OverrideError, ReadError, ScenarioError, ScenarioErrors};
use super::schema::{SCHEMA_VERSION, Scenario};
use super::validate::{ValidScenario, validate};
use toml::de::{DeTable, DeValue};

/// Reads the files a scenario names (weather and calendar CSVs), relative to the scenario file.
pub trait FileSource {
    /// The text of `name`, or why it cannot be read.
    fn read(&self, name: &str) -> Result<String, ReadError>;
}

/// A file source with no files (for scenarios that use only built-in data).
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, name: &str) -> Result<String, ReadError> {
        Err(ReadError::new(name, "this build has no file access (use a builtin: name)"))
    }
}

/// One `--set KEY=VALUE` override.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// Dotted path, e.g. `grid.supply.firm_mw` or `population.0.agents`.
    pub key: String,
    /// The value, parsed as TOML (text that is not valid TOML is taken as a string).
    pub value: toml::Value,
}

/// Parses `KEY=VALUE`.
pub fn parse_override(s: &str) -> Result<Override, OverrideError> {
    let (key, raw) = s.split_once('=').ok_or_else(|| OverrideError::NotKeyValue(s.to_string()))?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(OverrideError::NotAPath(s.to_string()));
    }
    let raw = raw.trim();
    let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_string()));
    Ok(Override { key: key.to_string(), value })
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Formats a path as `population[0].agents`.
pub fn path_text(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn override_segs(key: &str) -> Vec<Seg> {
    key.split('.').map(|p| p.parse::<usize>().map_or_else(|_| Seg::Key(p.to_string()), Seg::Index)).collect()
}

fn set_path(table: &mut toml::Table, segs: &[Seg], value: toml::Value) -> Result<(), OverrideError> {
    let Some((last, parents)) = segs.split_last() else {
        return Err(OverrideError::EmptyKey);
    };
    let mut cur: &mut toml::Value = match parents.first() {
        None => {
            return match last {
                Seg::Key(k) => {
                    table.insert(k.clone(), value);
                    Ok(())
                }
                Seg::Index(_) => Err(OverrideError::TopLevelIndex),
            };
        }
        Some(Seg::Key(k)) => table.entry(k.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new())),
        Some(Seg::Index(_)) => return Err(OverrideError::TopLevelIndex),
    };
    for seg in parents.iter().skip(1) {
        cur = step_into(cur, seg)?;
    }
    match (cur, last) {
        (toml::Value::Table(t), Seg::Key(k)) => {
            t.insert(k.clone(), value);
            Ok(())
        }
        (toml::Value::Array(a), Seg::Index(i)) if *i < a.len() => {
            a[*i] = value;
            Ok(())
        }
        (toml::Value::Array(a), Seg::Index(i)) => Err(OverrideError::PastEnd { index: *i, len: a.len() }),
        (v, _) => Err(OverrideError::CannotSetInside(v.type_str())),
    }
}

fn step_into<'a>(cur: &'a mut toml::Value, seg: &Seg) -> Result<&'a mut toml::Value, OverrideError> {
    match (cur, seg) {
        (toml::Value::Table(t), Seg::Key(k)) => {
            Ok(t.entry(k.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new())))
        }
        (toml::Value::Array(a), Seg::Index(i)) => {
            let n = a.len();
            a.get_mut(*i).ok_or(OverrideError::PastEnd { index: *i, len: n })
        }
        (toml::Value::Array(_), Seg::Key(k)) => Err(OverrideError::KeyInList(k.clone())),
        (v, _) => Err(OverrideError::CannotDescend(v.type_str())),
    }
}

struct Locator<'a> {
    text: &'a str,
    file: &'a str,
    doc: Option<toml::Spanned<DeTable<'a>>>,
    overrides: Vec<(Vec<Seg>, String)>,
}

impl Locator<'_> {
    fn error(&self, path: &[Seg], message: String) -> ScenarioError {
        // A path set on the command line is reported against `--set`.
        for (segs, key) in &self.overrides {
            if path.starts_with(segs) || segs.starts_with(path) && !path.is_empty() {
                return ScenarioError {
                    file: format!("--set {key}"),
                    line: None,
                    column: None,
                    path: path_text(path),
                    message,
                };
            }
        }
        let span = self.doc.as_ref().and_then(|d| deepest_span(d.get_ref(), path));
        let (line, column) = match span {
            Some(start) => {
                let (l, c) = line_col(self.text, start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        ScenarioError { file: self.file.to_string(), line, column, path: path_text(path), message }
    }
}

fn deepest_span(doc: &DeTable<'_>, path: &[Seg]) -> Option<usize> {
    let mut best = None;
    let mut cur: Option<&DeValue<'_>> = None;
    for seg in path {
        let next = match (cur, seg) {
            (None, Seg::Key(k)) => doc.get(k.as_str()),
            (Some(v), Seg::Key(k)) => v.get(k.as_str()),
            (Some(v), Seg::Index(i)) => v.get(*i),
            (None, Seg::Index(_)) => None,
        };
        match next {
            Some(sp) => {
                best = Some(sp.span().start);
                cur = Some(sp.get_ref());
            }
            None => break,
        }
    }
    best
}

fn segs_of(path: &serde_path_to_error::Path) -> Vec<Seg> {
    path.iter()
        .filter_map(|s| match s {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => None,
        })
        .collect()
}

/// Parses, overrides, deserialises and validates a scenario.
///
/// `file` names the text in messages; `files` reads the files the scenario refers to.
pub fn load_scenario(
    text: &str,
    file: &str,
    overrides: &[Override],
    files: &dyn FileSource,
) -> Result<ValidScenario, ScenarioErrors> {
    let one = |line: Option<usize>, column: Option<usize>, path: &str, message: String| {
        ScenarioErrors(vec![ScenarioError { file: file.to_string(), line, column, path: path.into(), message }])
    };
    let doc = match DeTable::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let (line, col) = e.span().map_or((None, None), |s| {
                let (l, c) = line_col(text, s.start);
                (Some(l), Some(c))
            });
            return Err(one(line, col, "", format!("malformed TOML: {}", e.message().trim())));
        }
    };
    let mut table: toml::Table = toml::from_str(text).map_err(|e| one(None, None, "", e.message().to_string()))?;
    let loc = Locator {
        text,
        file,
        doc: Some(doc),
        overrides: overrides.iter().map(|o| (override_segs(&o.key), o.key.clone())).collect(),
    };

    match table.get("schema_version") {
        None => {
            return Err(ScenarioErrors(vec![loc.error(
                &[Seg::Key("schema_version".into())],
                format!("missing field: expected `schema_version = {SCHEMA_VERSION}` at the top of the file"),
            )]));
        }
        Some(toml::Value::Integer(v)) if *v == i64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(ScenarioErrors(vec![loc.error(
                &[Seg::Key("schema_version".into())],
                format!("schema_version {v} is not supported: this build reads schema_version = {SCHEMA_VERSION}"),
            )]));
        }
    }

    for o in overrides {
        let segs = override_segs(&o.key);
        set_path(&mut table, &segs, o.value.clone()).map_err(|m| {
            ScenarioErrors(vec![ScenarioError {
                file: format!("--set {}", o.key),
                line: None,
                column: None,
                path: path_text(&segs),
                message: m.to_string(),
            }])
        })?;
    }

    let scenario: Scenario = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
        let segs = segs_of(e.path());
        let msg = e.inner().message().trim().to_string();
        ScenarioErrors(vec![loc.error(&segs, msg)])
    })?;

    validate(scenario, files)
        .map_err(|errs| ScenarioErrors(errs.into_iter().map(|(path, msg)| loc.error(&path, msg)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_values_as_toml_or_strings() {
        let o = parse_override("grid.supply.firm_mw=40000").unwrap();
        assert_eq!(o.value, toml::Value::Integer(40000));
        let o = parse_override("name=heat test").unwrap();
        assert_eq!(o.value, toml::Value::String("heat test".into()));
        let o = parse_override("grid.enabled = false").unwrap();
        assert_eq!((o.key.as_str(), o.value), ("grid.enabled", toml::Value::Boolean(false)));
        assert!(parse_override("novalue").is_err());
        assert!(parse_override("a..b=1").is_err());
    }

    #[test]
    fn set_path_creates_tables_and_indexes_lists() {
        let mut t: toml::Table = toml::from_str("[[population]]\nagents = 1\n").unwrap();
        set_path(&mut t, &override_segs("population.0.agents"), toml::Value::Integer(5)).unwrap();
        set_path(&mut t, &override_segs("grid.supply.firm_mw"), toml::Value::Float(1.0)).unwrap();
        assert_eq!(t["population"][0]["agents"].as_integer(), Some(5));
        assert_eq!(t["grid"]["supply"]["firm_mw"].as_float(), Some(1.0));
        assert!(set_path(&mut t, &override_segs("population.3.agents"), toml::Value::Integer(5)).is_err());
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("a\nbc\nd", 3), (2, 2));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
