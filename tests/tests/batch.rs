//! `drsim batch` and `drsim merge`: results independent of threads and shards, sweeps, bad input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tests::{drsim, read, stderr};

/// A short, small batch: the default scenario cut to one day and about 300 agents.
const SMALL: [&str; 10] = [
    "--set",
    "end=2022-09-01",
    "--set",
    "population.0.agents=200",
    "--set",
    "population.1.agents=50",
    "--set",
    "population.2.agents=20",
    "--set",
    "population.3.agents=20",
];

fn batch(dir: &Path, extra: &[&str]) {
    let mut args = vec!["batch", "--quiet"];
    args.extend(SMALL);
    args.extend(extra);
    let o = drsim(dir, &args);
    assert_eq!(o.status.code(), Some(0), "drsim {args:?}: {}", stderr(&o));
}

/// Every file under `dir` (relative path → bytes), except `invocation.json`, which records the
/// command line, threads, shard and time and so differs by design.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.file_name().is_some_and(|n| n != "invocation.json") {
                let rel = p.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(rel, read(&p));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn assert_same_files(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(
        fa.keys().collect::<Vec<_>>(),
        fb.keys().collect::<Vec<_>>(),
        "{} and {} hold different files",
        a.display(),
        b.display()
    );
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{} differs between {} and {}", name.display(), a.display(), b.display());
    }
    assert!(a.join("invocation.json").is_file() && b.join("invocation.json").is_file());
}

fn lines(p: &Path) -> Vec<String> {
    String::from_utf8(read(p)).expect("utf-8").lines().map(str::to_string).collect()
}

#[test]
fn one_thread_and_two_threads_write_byte_identical_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let common = ["--runs", "4", "--seed", "11", "--sweep", "grid.supply.firm_mw=42000,46000", "--series", "parquet"];
    batch(d, &[&common[..], &["--threads", "1", "--out", "t1"]].concat());
    batch(d, &[&common[..], &["--threads", "2", "--out", "t2"]].concat());
    assert_same_files(&d.join("t1"), &d.join("t2"));
    let f = files(&d.join("t1"));
    assert_eq!(f.len(), 3 + 8, "{:?}", f.keys().collect::<Vec<_>>());
    assert!(f.contains_key(Path::new("series/point-001/run-000003.parquet")));
}

#[test]
fn three_shards_merged_equal_the_unsharded_batch_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let common = ["--runs", "5", "--sweep", "population.0.devices.central_ac=0.5,0.7", "--series", "csv"];
    batch(d, &[&common[..], &["--out", "whole"]].concat());
    for k in ["1/3", "2/3", "3/3"] {
        let out = format!("shard{}", &k[..1]);
        batch(d, &[&common[..], &["--shard", k, "--out", &out]].concat());
    }
    // Shard 2/3 holds runs 1..3 (contiguous blocks [(k-1)N/M, kN/M)).
    let s2 = lines(&d.join("shard2/runs.csv"));
    let runs: Vec<&str> = s2[1..].iter().map(|l| &l[..1]).collect();
    assert_eq!(runs, ["1", "2", "1", "2"]);
    let o = drsim(d, &["merge", "shard3", "shard1", "shard2", "--out", "merged"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_same_files(&d.join("whole"), &d.join("merged"));
}

#[test]
fn a_sweep_runs_every_combination_with_the_same_seeds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    batch(
        d,
        &[
            "--runs",
            "3",
            "--sweep",
            "grid.supply.firm_mw=40000,46000",
            "--sweep",
            "population.1.customers=500000,600000",
            "--out",
            "sw",
        ],
    );
    let rows = lines(&d.join("sw/runs.csv"));
    let header: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(header[..4], ["run", "seed", "grid.supply.firm_mw", "population.1.customers"]);
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (customers, margin) = (col("customers_represented"), col("min_reserve_margin_pct"));
    let cells: Vec<Vec<&str>> = rows[1..].iter().map(|l| l.split(',').collect()).collect();
    assert_eq!(cells.len(), 2 * 2 * 3);
    let mut i = 0;
    for firm in ["40000", "46000"] {
        for pop in ["500000", "600000"] {
            for run in 0..3 {
                let c = &cells[i];
                assert_eq!((c[0], c[2], c[3]), (run.to_string().as_str(), firm, pop));
                // Common random numbers: run r has the same seed at every point.
                assert_eq!(c[1], cells[run][1]);
                let want = 4_400_000 + pop.parse::<u32>().expect("n") + 8_000 + 20_000;
                assert_eq!(c[customers], want.to_string());
                i += 1;
            }
        }
    }
    let seeds: std::collections::BTreeSet<&str> = cells.iter().map(|c| c[1]).collect();
    assert_eq!(seeds.len(), 3, "three runs, three seeds");
    // The swept supply changes the results: same seed, 6 GW more firm supply, a wider margin.
    let m = |i: usize| cells[i][margin].parse::<f64>().expect("margin");
    assert!(m(6) > m(0), "{} vs {}", m(6), m(0));
    let summary = lines(&d.join("sw/summary.csv"));
    assert!(
        summary[0]
            .starts_with("grid.supply.firm_mw,population.1.customers,metric,n,mean,std,p5,p50,p95,ci95_low,ci95_high"),
        "{}",
        summary[0]
    );
    let per_point = header.len() - 4;
    assert_eq!(summary.len(), 1 + 4 * per_point);
    let info: serde_json::Value = serde_json::from_slice(&read(&d.join("sw/batch.json"))).expect("json");
    assert_eq!(info["points"].as_array().map(Vec::len), Some(4));
    assert_eq!(info["points"][1]["values"][1], "600000");
}

#[test]
fn bad_shards_and_sweeps_exit_2_with_a_clear_message() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let cases: [(&[&str], &str); 8] = [
        (&["--shard", "0/3"], "K must be between 1 and M=3"),
        (&["--shard", "4/3"], "K must be between 1 and M=3"),
        (&["--shard", "1/0"], "must be at least 1"),
        (&["--shard", "two/3"], "not a whole number"),
        (&["--sweep", "grid.supply.firm_mw"], "expected KEY=V1,V2"),
        (&["--sweep", "grid.supply.firm_mw=1,,2"], "is empty"),
        (&["--sweep", "x=[1,2"], "unclosed bracket"),
        (&["--sweep", "grid.supply.firm_mw=lots,42000"], "sweep point grid.supply.firm_mw=lots"),
    ];
    for (extra, msg) in cases {
        let mut args = vec!["batch", "--quiet", "--runs", "2", "--out", "x"];
        args.extend(extra);
        let o = drsim(d, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: expected `{msg}` in\n{err}");
    }
    assert!(!d.join("x").exists(), "no output for refused arguments");
}

#[test]
fn merge_refuses_missing_repeated_or_foreign_shards() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    batch(d, &["--runs", "2", "--shard", "1/2", "--out", "a1"]);
    batch(d, &["--runs", "2", "--shard", "2/2", "--out", "a2"]);
    batch(d, &["--runs", "2", "--seed", "9", "--shard", "2/2", "--out", "b2"]);
    let cases: [(&[&str], &str); 3] = [
        (&["a1"], "missing shard(s) 2/2"),
        (&["a1", "a1", "a2"], "given twice"),
        (&["a1", "b2"], "differs in `base_seed`, `command`"),
    ];
    for (dirs, msg) in cases {
        let mut args = vec!["merge"];
        args.extend(dirs);
        args.extend(["--out", "m"]);
        let o = drsim(d, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: expected `{msg}` in\n{err}");
    }
}
