//! Sharing an edited scenario: as a link (the page address's fragment) and as a TOML file.
//!
//! A link carries the embedded scenario's file name (or, for an opened file, its whole text), the
//! seed and the overrides, each as the `KEY=VALUE` text `drsim run --set` takes:
//! `#s=default.toml&seed=2022&o=programs.TOU-BIP.max_events_per_month%3D3`.

use sim_core::{Override, parse_override};

/// Where the scenario's text comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A scenario compiled into the library, by file name (`default.toml`).
    Embedded(String),
    /// A file the user opened: its name and text.
    File {
        /// File name.
        name: String,
        /// The TOML text.
        text: String,
    },
}

impl Source {
    /// The file name shown and used in error messages.
    pub fn name(&self) -> &str {
        match self {
            Source::Embedded(n) => n,
            Source::File { name, .. } => name,
        }
    }

    /// The scenario's TOML text (empty for an unknown embedded name).
    pub fn text(&self) -> &str {
        match self {
            Source::Embedded(n) => sim_core::data::scenario(n).unwrap_or(""),
            Source::File { text, .. } => text,
        }
    }
}

/// Everything a link reproduces: scenario, seed and overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    /// The scenario.
    pub source: Source,
    /// The seed (None: the scenario's own).
    pub seed: Option<u64>,
    /// Overrides in order.
    pub overrides: Vec<Override>,
}

/// `KEY=VALUE` text of an override (parsed back by `parse_override`).
pub fn override_text(o: &Override) -> String {
    format!("{}={}", o.key, o.value)
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space); invalid escapes are kept as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |c: u8| char::from(c).to_digit(16);
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Shared {
    /// The link fragment (without `#`).
    pub fn to_fragment(&self) -> String {
        let mut parts = vec![];
        match &self.source {
            Source::Embedded(n) => parts.push(format!("s={}", percent_encode(n))),
            Source::File { name, text } => {
                parts.push(format!("f={}", percent_encode(name)));
                parts.push(format!("t={}", percent_encode(text)));
            }
        }
        if let Some(seed) = self.seed {
            parts.push(format!("seed={seed}"));
        }
        for o in &self.overrides {
            parts.push(format!("o={}", percent_encode(&override_text(o))));
        }
        parts.join("&")
    }

    /// Reads a link, a page address with a fragment, or a bare fragment.
    pub fn from_link(link: &str) -> Result<Shared, String> {
        let link = link.trim();
        let frag = link.split_once('#').map_or(link, |(_, f)| f);
        let mut embedded = None;
        let mut file_name = None;
        let mut file_text = None;
        let mut seed = None;
        let mut overrides = vec![];
        for part in frag.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let v = percent_decode(v);
            match k {
                "s" => embedded = Some(v),
                "f" => file_name = Some(v),
                "t" => file_text = Some(v),
                "seed" => {
                    seed = Some(v.parse::<u64>().map_err(|_| format!("seed `{v}` is not a whole number"))?);
                }
                "o" => overrides.push(parse_override(&v).map_err(|e| e.to_string())?),
                _ => return Err(format!("unknown part `{k}` in the link")),
            }
        }
        let source = match (embedded, file_text) {
            (_, Some(text)) => Source::File { name: file_name.unwrap_or_else(|| "shared.toml".into()), text },
            (Some(n), None) => {
                if sim_core::data::scenario(&n).is_none() {
                    return Err(format!("`{n}` is not a shipped scenario"));
                }
                Source::Embedded(n)
            }
            (None, None) => return Err("the link names no scenario (s=...)".into()),
        };
        Ok(Shared { source, seed, overrides })
    }

    /// The scenario as one TOML file: the text with the overrides (and the seed) written in,
    /// comments kept.
    pub fn to_toml(&self) -> Result<String, String> {
        let mut doc: toml_edit::DocumentMut =
            self.source.text().parse().map_err(|e: toml_edit::TomlError| format!("malformed TOML: {}", e.message()))?;
        if let Some(seed) = self.seed {
            let seed = i64::try_from(seed).map_err(|_| "seed too large for TOML".to_string())?;
            doc["seed"] = toml_edit::value(seed);
        }
        for o in &self.overrides {
            set_in_doc(doc.as_table_mut(), &o.key, &o.value).map_err(|e| format!("{}: {e}", o.key))?;
        }
        Ok(doc.to_string())
    }
}

fn to_edit_value(v: &toml::Value) -> Result<toml_edit::Value, String> {
    let text = v.to_string();
    text.parse::<toml_edit::Value>().map_err(|e| format!("cannot write `{text}`: {}", e.message()))
}

/// Sets a dotted path in a document, creating tables as needed (numbers index arrays of tables).
fn set_in_doc(root: &mut toml_edit::Table, key: &str, value: &toml::Value) -> Result<(), String> {
    let segs: Vec<&str> = key.split('.').collect();
    let Some((last, parents)) = segs.split_last() else {
        return Err("empty key".into());
    };
    let mut cur: &mut dyn toml_edit::TableLike = root;
    let mut i = 0;
    while i < parents.len() {
        let seg = parents[i];
        let next = parents.get(i + 1).and_then(|s| s.parse::<usize>().ok());
        if !cur.contains_key(seg) {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            cur.insert(seg, toml_edit::Item::Table(t));
        }
        let item = cur.get_mut(seg).ok_or_else(|| format!("cannot create `{seg}`"))?;
        match (item, next) {
            (toml_edit::Item::ArrayOfTables(a), Some(n)) => {
                let len = a.len();
                cur = a.get_mut(n).ok_or_else(|| format!("index {n} is past the end of a list of {len}"))?;
                i += 2;
                continue;
            }
            (item, _) => {
                cur = item.as_table_like_mut().ok_or_else(|| format!("`{seg}` is not a table"))?;
            }
        }
        i += 1;
    }
    let v = to_edit_value(value)?;
    match cur.get_mut(last) {
        Some(item) if item.is_value() => {
            // Keep the trailing comment of the line being replaced.
            let decor = item.as_value().map(|x| x.decor().clone());
            let mut v = v;
            if let Some(d) = decor {
                *v.decor_mut() = d;
            }
            *item = toml_edit::Item::Value(v);
        }
        _ => {
            cur.insert(last, toml_edit::Item::Value(v));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Shared {
        Shared {
            source: Source::Embedded("default.toml".into()),
            seed: Some(7),
            overrides: vec![
                parse_override("programs.TOU-BIP.max_events_per_month=3").unwrap(),
                parse_override("programs.CBP-E.notice.by=\"15:00\"").unwrap(),
                parse_override("population.0.enrolment.SDP=0.2").unwrap(),
            ],
        }
    }

    #[test]
    fn a_link_round_trips() {
        let s = shared();
        let frag = s.to_fragment();
        assert!(frag.starts_with("s=default.toml&seed=7&o=programs.TOU-BIP"));
        let back = Shared::from_link(&format!("http://127.0.0.1:8640/#{frag}")).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn an_opened_file_travels_whole_in_the_link() {
        let s = Shared {
            source: Source::File { name: "my.toml".into(), text: "schema_version = 1\nname = \"a & b\" # c\n".into() },
            seed: None,
            overrides: vec![],
        };
        assert_eq!(Shared::from_link(&s.to_fragment()).unwrap(), s);
    }

    #[test]
    fn the_toml_download_loads_to_the_same_scenario() {
        let s = shared();
        let text = s.to_toml().unwrap();
        assert!(text.contains("[programs.TOU-BIP]"), "{text}");
        assert!(text.contains("seed = 7"));
        let direct =
            sim_core::load_scenario(s.source.text(), "default.toml", &s.overrides, &sim_core::NoFiles).unwrap();
        let from_file = sim_core::load_scenario(&text, "x.toml", &[], &sim_core::NoFiles).unwrap();
        assert_eq!(direct.book(), from_file.book());
        assert_eq!(from_file.scenario().population[0].enrolment.get("SDP"), Some(&0.2));
        assert_eq!(from_file.scenario().seed, 7);
    }

    #[test]
    fn bad_links_are_refused_with_a_reason() {
        assert!(Shared::from_link("#s=nope.toml").is_err());
        assert!(Shared::from_link("#seed=x&s=default.toml").is_err());
        assert!(Shared::from_link("#").is_err());
    }
}
