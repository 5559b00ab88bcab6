//! Same scenario and seed: byte-identical outputs. Different seeds: different outputs.

use tests::{drsim, read, repo_root, stderr};

fn run(dir: &std::path::Path, seed: &str, out: &str) {
    let o = drsim(dir, &["run", "--seed", seed, "--quiet", "--out", out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_same_seed_gives_byte_identical_files_and_another_seed_differs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    run(d, "7", "a");
    run(d, "7", "b");
    run(d, "8", "c");
    for f in ["summary.json", "timeseries.csv", "events.csv"] {
        assert_eq!(read(&d.join("a").join(f)), read(&d.join("b").join(f)), "{f} differs between identical runs");
    }
    assert_ne!(read(&d.join("a/timeseries.csv")), read(&d.join("c/timeseries.csv")));
    assert_ne!(read(&d.join("a/summary.json")), read(&d.join("c/summary.json")));
}

#[test]
fn with_no_arguments_drsim_runs_the_embedded_default_into_out_default() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = drsim(tmp.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("peak system load") && s.contains("default"), "{s}");
    let summary: serde_json::Value =
        serde_json::from_slice(&read(&tmp.path().join("out/default/summary.json"))).expect("json");
    assert_eq!(summary["scenario"], "default");
    assert_eq!(summary["seed"], 2022);
    assert_eq!(summary["agents"], 10_000);
    let _ = repo_root();
}
