//! `batch.json` (what the batch is: identical for every thread count and, shard field aside, for
//! every shard) and `invocation.json` (how this folder was made: argv, threads, shard, time).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The value of `format` in `batch.json`.
pub const FORMAT: &str = "drsim-batch/1";

/// `batch.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchInfo {
    /// Always [`FORMAT`].
    pub format: String,
    /// The command that reproduces these results, normalised: the scenario, `--runs`, `--seed`
    /// (explicit even when defaulted), `--set`s and `--sweep`s in the order given, `--series`.
    /// Leaves out what does not change the results: `--threads`, `--shard`, `--out`, `--quiet`.
    pub command: Vec<String>,
    /// The scenario file.
    pub scenario: ScenarioInfo,
    /// Runs per sweep point.
    pub runs: u64,
    /// Base seed; run i uses `seed_for(base_seed, i)` at every sweep point (common random numbers).
    pub base_seed: u64,
    /// The `--set` overrides, in order.
    pub sets: Vec<String>,
    /// The sweeps, in order; the first varies slowest.
    pub sweep: Vec<SweepInfo>,
    /// Every sweep point, in order (one point with no values when nothing is swept).
    pub points: Vec<PointInfo>,
    /// Time series format written under `series/`, if any.
    pub series: Option<String>,
    /// Versions of what produced the results.
    pub versions: Versions,
    /// Present only in a shard's folder: which shard it is (a merge drops it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
}

/// The scenario a batch ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// File name as given, or `<embedded default.toml>`.
    pub origin: String,
    /// The scenario's `name`.
    pub name: String,
    /// SHA-256 of the scenario file's text (files it names, e.g. weather CSVs, are not included).
    pub sha256: String,
}

/// One `--sweep`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepInfo {
    /// Field path.
    pub key: String,
    /// Values as typed.
    pub values: Vec<String>,
}

/// One sweep point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointInfo {
    /// Index, as in the series file names.
    pub point: usize,
    /// The value of each swept key, in sweep order.
    pub values: Vec<String>,
    /// SHA-256 of the effective scenario at this point (after `--set` and the swept values), as
    /// canonical JSON (keys sorted, compact).
    pub scenario_sha256: String,
}

/// Versions recorded in `batch.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Versions {
    /// drsim (and sim-core, which shares the workspace version).
    pub drsim: String,
}

impl Versions {
    /// This build's versions.
    pub fn current() -> Self {
        Versions { drsim: env!("CARGO_PKG_VERSION").to_string() }
    }
}

/// The shard a folder holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// This shard, 1..=m.
    pub k: u64,
    /// Number of shards.
    pub m: u64,
    /// First run index in the shard.
    pub first_run: u64,
    /// One past the last run index.
    pub end_run: u64,
}

impl BatchInfo {
    /// The sweeps as parsed values.
    pub fn sweeps(&self) -> Vec<super::spec::Sweep> {
        self.sweep.iter().map(|s| super::spec::Sweep { key: s.key.clone(), values: s.values.clone() }).collect()
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> anyhow::Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self)?;
        v.push(b'\n');
        Ok(v)
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Canonical JSON: object keys sorted at every level, no spaces (stable whatever the map types).
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    canon(v, &mut out);
    out
}

fn canon(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(x) = m.get(k) {
                    canon(x, out);
                }
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canon(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// `invocation.json`: the exact command line and what varies between equivalent batches.
pub fn invocation_json(fields: Value) -> anyhow::Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(&fields)?;
    v.push(b'\n');
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = json!({"b": 1, "a": {"z": [1, {"y": 2, "x": null}], "c": "s"}});
        assert_eq!(canonical_json(&v), r#"{"a":{"c":"s","z":[1,{"x":null,"y":2}]},"b":1}"#);
    }

    #[test]
    fn sha256_of_abc_is_the_published_vector() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
