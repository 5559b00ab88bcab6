//! A run's metrics: every numeric leaf of its summary, by dotted name.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Fields of the summary that are not metrics: `seed` has its own column in `runs.csv`.
const NOT_METRICS: [&str; 1] = ["seed"];

/// Flattens a serialisable summary into `name → value`, names dotted (`alert_hours.EEA3`) and
/// sorted. Numbers are kept; strings, booleans, arrays and nulls (NaN) are skipped.
pub fn flatten<S: Serialize>(summary: &S) -> anyhow::Result<BTreeMap<String, f64>> {
    let v = serde_json::to_value(summary)?;
    let mut out = BTreeMap::new();
    walk(&v, "", &mut out);
    for k in NOT_METRICS {
        out.remove(k);
    }
    Ok(out)
}

fn walk(v: &Value, prefix: &str, out: &mut BTreeMap<String, f64>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                walk(x, &name, out);
            }
        }
        Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                out.insert(prefix.to_string(), x);
            }
        }
        Value::Null | Value::Bool(_) | Value::String(_) | Value::Array(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numeric_leaves_become_dotted_sorted_names() {
        let v = json!({
            "seed": 7, "scenario": "x", "peak_mw": 1.5, "none": null, "list": [1, 2],
            "alert_hours": {"EEA3": 2.0, "EEA1": 0.5}, "ok": true
        });
        let m = flatten(&v).expect("flattens");
        let names: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(names, ["alert_hours.EEA1", "alert_hours.EEA3", "peak_mw"]);
        assert_eq!(m["alert_hours.EEA3"], 2.0);
    }
}
