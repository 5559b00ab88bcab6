//! Every scenario in `tests/corpus/bad/` is refused with exit code 2 and a message naming the problem.

use std::fs;
use tests::{drsim, repo_root, stderr, stdout};

fn expectations(text: &str) -> Vec<String> {
    text.lines().filter_map(|l| l.strip_prefix("# expect: ")).map(str::to_string).collect()
}

#[test]
fn every_bad_scenario_exits_2_and_names_the_problem() {
    let dir = repo_root().join("tests/corpus/bad");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "the corpus shrank: {} files", files.len());
    for f in files {
        let text = fs::read_to_string(&f).expect("read");
        let want = expectations(&text);
        assert!(!want.is_empty(), "{} has no `# expect:` lines", f.display());
        let name = f.file_name().and_then(|n| n.to_str()).expect("name");
        for sub in [["check", name], ["run", name]] {
            let out = drsim(&dir, &sub);
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(2),
                "drsim {} {name}: expected exit 2, got {:?}\n{err}",
                sub[0],
                out.status.code()
            );
            assert!(!err.contains("panicked"), "drsim {} {name} panicked:\n{err}", sub[0]);
            for w in &want {
                assert!(err.contains(w.as_str()), "drsim {} {name}: message lacks `{w}`:\n{err}", sub[0]);
            }
        }
    }
}

#[test]
fn a_missing_scenario_file_is_a_user_error() {
    let out = drsim(&repo_root(), &["check", "no/such/scenario.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read scenario `no/such/scenario.toml`"), "{}", stderr(&out));
}

#[test]
fn a_set_override_with_an_unknown_path_or_wrong_type_is_a_user_error() {
    let root = repo_root();
    let out = drsim(&root, &["check", "scenarios/default.toml", "--set", "grid.supply.firm_megawatts=1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("--set grid.supply.firm_megawatts") && err.contains("unknown field `firm_megawatts`"),
        "{err}"
    );
    let out = drsim(&root, &["check", "scenarios/default.toml", "--set", "population.0.agents=lots"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("population[0].agents") && err.contains("invalid type"), "{err}");
    let out = drsim(&root, &["check", "scenarios/default.toml", "--set", "population.0.agents=12"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "ok");
}

#[test]
fn unknown_arguments_are_usage_errors() {
    let out = drsim(&repo_root(), &["run", "--sed", "3"]);
    assert_eq!(out.status.code(), Some(2));
}
