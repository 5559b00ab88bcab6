//! Helpers for end-to-end tests: build and locate the `drsim` binary, run it, read its outputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The `drsim` binary of the same profile as the running test, built on first use.
///
/// `cargo test --workspace` does not build other packages' binaries, so the first call runs
/// `cargo build --workspace --tests --bins`: the same selection as the test run, hence the same
/// features and artifacts (after `cargo test --workspace` only the binaries are linked; a bare
/// `cargo build -p sim-cli` would resolve other features and compile half the workspace again).
pub fn drsim_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test executable path");
        // target/<profile>/deps/<test> → target/<profile>
        let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>").to_path_buf();
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--quiet", "--workspace", "--tests", "--bins"]).current_dir(repo_root());
        if release {
            cmd.arg("--release");
        }
        let out = cmd.output().expect("running cargo build");
        assert!(out.status.success(), "building drsim failed:\n{}", String::from_utf8_lossy(&out.stderr));
        profile_dir.join(format!("drsim{}", std::env::consts::EXE_SUFFIX))
    })
}

/// Runs `drsim` with arguments in `dir`.
pub fn drsim(dir: &Path, args: &[&str]) -> Output {
    Command::new(drsim_bin()).args(args).current_dir(dir).output().expect("running drsim")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Reads a file to bytes, naming it on failure.
pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}
