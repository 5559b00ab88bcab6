//! Every file in `scenarios/` validates, and every shipped scenario runs.

use std::fs;
use tests::{drsim, read, repo_root, stderr};

#[test]
fn every_scenario_file_validates_and_is_embedded() {
    let dir = repo_root().join("scenarios");
    let mut n = 0;
    for e in fs::read_dir(&dir).expect("scenarios folder") {
        let p = e.expect("entry").path();
        if p.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        n += 1;
        let out = drsim(&dir, &["check", p.file_name().and_then(|f| f.to_str()).expect("name")]);
        assert_eq!(out.status.code(), Some(0), "{}: {}", p.display(), stderr(&out));
        let name = p.file_name().and_then(|f| f.to_str()).expect("name");
        let embedded =
            sim_core::data::scenario(name).unwrap_or_else(|| panic!("{name} is not embedded in sim_core::data"));
        assert_eq!(embedded.as_bytes(), read(&p).as_slice(), "{name}: embedded copy differs");
    }
    assert_eq!(n, sim_core::data::SCENARIOS.len());
}

#[test]
fn each_shipped_scenario_runs_and_writes_its_outputs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (name, _) in sim_core::data::SCENARIOS {
        let out_dir = tmp.path().join(name);
        let path = repo_root().join("scenarios").join(name);
        let out = drsim(
            tmp.path(),
            &["run", path.to_str().expect("utf-8"), "--quiet", "--out", out_dir.to_str().expect("utf-8")],
        );
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let summary: serde_json::Value = serde_json::from_slice(&read(&out_dir.join("summary.json"))).expect("json");
        assert!(summary["steps"].as_u64().unwrap_or(0) > 288, "{name}");
        assert!(summary["peak_system_load_mw"].as_f64().unwrap_or(0.0) > 30_000.0, "{name}");
        let ts = String::from_utf8(read(&out_dir.join("timeseries.csv"))).expect("utf-8");
        assert_eq!(ts.lines().count() as u64, summary["steps"].as_u64().unwrap_or(0) + 1, "{name}");
        let events = String::from_utf8(read(&out_dir.join("events.csv"))).expect("utf-8");
        assert!(events.starts_with("program,date,start,end,trigger,issued,status,reason\n"));
        // No temporary files are left behind.
        let leftovers: Vec<_> = fs::read_dir(&out_dir)
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{name}: temporary files left");
    }
}
