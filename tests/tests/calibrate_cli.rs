//! `drsim calibrate`, short: two seeds of each calibration run. A figure that passes its tolerance
//! today and leaves it fails this test, so a change that breaks the calibration cannot land quietly.

use std::collections::BTreeMap;
use tests::{drsim, read, repo_root, stderr};

/// The figures within tolerance today (see docs/calibration.md); the others are open work.
const HOLDS: [&str; 10] = [
    "peak_2022_09_06",
    "peak_time_2022_09_06",
    "net_peak_2022_09_06",
    "net_peak_time_2022_09_06",
    "shed_2022",
    "text_alert_5_min",
    "text_alert_30_min",
    "replay_eea3_margin_2022",
    "customers_out_2020_08_14",
    "typical_weekday_peak",
];

#[test]
fn the_figures_within_tolerance_stay_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cal");
    let o = drsim(
        &repo_root(),
        &["calibrate", "--runs", "2", "--sensitivity-runs", "1", "--quiet", "--out", out.to_str().expect("utf-8 path")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(read(&out.join("calibration.csv"))).expect("utf-8");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head = r.headers().expect("header").clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap_or_else(|| panic!("column {n}"));
    let (id, pass, runs, mean) = (col("id"), col("pass"), col("runs"), col("simulated_mean"));
    let rows: BTreeMap<String, csv::StringRecord> =
        r.records().map(|x| x.expect("row")).map(|x| (x[id].to_string(), x)).collect();
    // Every published figure has its row, from two runs.
    let published = sim_core::calibration::PUBLISHED_CSV.lines().skip(1).filter(|l| !l.is_empty()).count();
    assert_eq!(rows.len(), published);
    assert!(rows.values().all(|x| &x[runs] == "2"));
    for f in HOLDS {
        let x = &rows[f];
        assert_eq!(&x[pass], "pass", "{f} left its tolerance: simulated {}", &x[mean]);
    }
    // The report and its plot are written beside the table, the plot with a bar per figure.
    let md = String::from_utf8(read(&out.join("calibration.md"))).expect("utf-8");
    assert!(md.contains("| peak_2022_09_06") || md.contains("(`peak_2022_09_06`)"), "{md}");
    assert!(md.contains("## Sensitivity to the assumptions"));
    let svg = String::from_utf8(read(&out.join("calibration.svg"))).expect("utf-8");
    assert!(svg.starts_with("<svg") && svg.contains("typical_weekday_peak"));
}
