//! `runs.csv` and `summary.csv`: writing them from a batch's results, and reading `runs.csv` back
//! (for `drsim merge`).
//!
//! Numbers are written in Rust's shortest round-trip form (`{}`), so reading `runs.csv` gives back
//! the very same `f64`s and a merge recomputes `summary.csv` to the byte. Missing values
//! (a metric a run's summary did not have, or an undefined statistic) are empty cells.

use super::spec::Sweep;
use super::stats::Stats;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One run at one sweep point: its seed and its metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Sweep point index (row-major over the sweeps, first sweep slowest).
    pub point: usize,
    /// Run index, 0..runs.
    pub run: u64,
    /// The run's seed, `seed_for(base_seed, run)`.
    pub seed: u64,
    /// Metric name → value (names from the run summary, dotted).
    pub metrics: BTreeMap<String, f64>,
}

/// What the tables need to know about the sweep: its keys and each point's values.
pub struct Layout<'a> {
    /// The sweeps, in command-line order.
    pub sweeps: &'a [Sweep],
    /// Each point's value index in each sweep.
    pub points: &'a [Vec<usize>],
}

impl Layout<'_> {
    fn values(&self, point: usize) -> Vec<&str> {
        self.points
            .get(point)
            .map_or_else(Vec::new, |p| p.iter().zip(self.sweeps).map(|(&j, s)| s.values[j].as_str()).collect())
    }
}

/// Every metric name that occurs in any row, sorted.
pub fn metric_names(rows: &[Row]) -> Vec<String> {
    let set: BTreeSet<&String> = rows.iter().flat_map(|r| r.metrics.keys()).collect();
    set.into_iter().cloned().collect()
}

fn num(x: f64) -> String {
    if x.is_nan() { String::new() } else { format!("{x}") }
}

/// `runs.csv`: `run,seed,<swept keys...>,<metrics...>`, one row per (point, run), in the order of
/// `rows` (the caller sorts them by point, then run).
pub fn runs_csv(layout: &Layout<'_>, rows: &[Row]) -> anyhow::Result<Vec<u8>> {
    let names = metric_names(rows);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["run".to_string(), "seed".to_string()];
    header.extend(layout.sweeps.iter().map(|s| s.key.clone()));
    header.extend(names.iter().cloned());
    w.write_record(&header)?;
    for r in rows {
        let mut rec = vec![r.run.to_string(), r.seed.to_string()];
        rec.extend(layout.values(r.point).into_iter().map(str::to_string));
        rec.extend(names.iter().map(|n| r.metrics.get(n).map_or_else(String::new, |&x| num(x))));
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Columns of `summary.csv` after the swept keys.
pub const SUMMARY_COLUMNS: [&str; 10] =
    ["metric", "n", "mean", "std", "p5", "p50", "p95", "ci95_low", "ci95_high", "runs"];

/// `summary.csv`: `<swept keys...>,metric,n,mean,std,p5,p50,p95,ci95_low,ci95_high,runs`, one row
/// per sweep point (in order) and metric (sorted). `runs` counts the point's runs, `n` those
/// where the metric was defined.
pub fn summary_csv(layout: &Layout<'_>, rows: &[Row]) -> anyhow::Result<Vec<u8>> {
    let names = metric_names(rows);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = layout.sweeps.iter().map(|s| s.key.clone()).collect();
    header.extend(SUMMARY_COLUMNS.iter().map(|s| s.to_string()));
    w.write_record(&header)?;
    for p in 0..layout.points.len() {
        let at_point: Vec<&Row> = rows.iter().filter(|r| r.point == p).collect();
        for name in &names {
            let v: Vec<f64> = at_point.iter().map(|r| r.metrics.get(name).copied().unwrap_or(f64::NAN)).collect();
            let s = Stats::of(&v);
            let mut rec: Vec<String> = layout.values(p).into_iter().map(str::to_string).collect();
            rec.push(name.clone());
            rec.push(s.n.to_string());
            for x in [s.mean, s.std, s.p5, s.p50, s.p95, s.ci95_low, s.ci95_high] {
                rec.push(num(x));
            }
            rec.push(at_point.len().to_string());
            w.write_record(&rec)?;
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Reads `runs.csv` written by [`runs_csv`] for the same layout; errors are messages for the user.
pub fn read_runs_csv(layout: &Layout<'_>, bytes: &[u8]) -> Result<Vec<Row>, String> {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().map_err(|e| e.to_string())?.iter().map(str::to_string).collect();
    let nk = layout.sweeps.len();
    let want: Vec<&str> = ["run", "seed"].into_iter().chain(layout.sweeps.iter().map(|s| s.key.as_str())).collect();
    if header.len() < want.len() || header[..want.len()] != want[..] {
        return Err(format!("the header does not start with `{}`", want.join(",")));
    }
    let names = &header[want.len()..];
    let by_values: HashMap<Vec<&str>, usize> = (0..layout.points.len()).map(|p| (layout.values(p), p)).collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let int = |j: usize| {
            rec.get(j)
                .and_then(|s| s.parse::<u64>().ok())
                .ok_or_else(|| format!("line {line}: column {} is not a whole number", header[j]))
        };
        let (run, seed) = (int(0)?, int(1)?);
        let values: Vec<&str> = (0..nk).map(|j| rec.get(2 + j).unwrap_or("")).collect();
        let point = *by_values
            .get(&values)
            .ok_or_else(|| format!("line {line}: swept values {values:?} are not a sweep point"))?;
        let mut metrics = BTreeMap::new();
        for (j, name) in names.iter().enumerate() {
            let cell = rec.get(2 + nk + j).unwrap_or("");
            if cell.is_empty() {
                continue;
            }
            let x = cell.parse::<f64>().map_err(|_| format!("line {line}: {name} = `{cell}` is not a number"))?;
            metrics.insert(name.clone(), x);
        }
        rows.push(Row { point, run, seed, metrics });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_csv_reads_back_to_the_same_rows() {
        let sweeps = vec![Sweep::parse("a.b=1,\"x,y\"").expect("sweep")];
        let points = super::super::spec::points(&sweeps);
        let layout = Layout { sweeps: &sweeps, points: &points };
        let m = |x: f64| BTreeMap::from([("m".to_string(), x), ("k.z".to_string(), 1e-300)]);
        let rows = vec![
            Row { point: 0, run: 0, seed: u64::MAX, metrics: m(0.1 + 0.2) },
            Row { point: 1, run: 0, seed: 3, metrics: BTreeMap::from([("m".to_string(), -0.0)]) },
        ];
        let bytes = runs_csv(&layout, &rows).expect("csv");
        let text = String::from_utf8(bytes.clone()).expect("utf8");
        assert!(text.starts_with("run,seed,a.b,k.z,m\n"), "{text}");
        assert!(text.contains("\"\"\"x,y\"\"\""), "{text}");
        let back = read_runs_csv(&layout, &bytes).expect("reads");
        assert_eq!(back, rows);
        assert_eq!(runs_csv(&layout, &back).expect("csv"), bytes);
    }
}
