//! SHA-256 pins of drsim's outputs: `summary.json`, `timeseries.csv`, `events.csv` and
//! `settlement.csv` of every shipped scenario at seed [`SEED`], as `drsim run` writes them.
//!
//! The pinned digests are in `outputs.sha256` (one `<hex>  <scenario>/<file>` line each, the format
//! of `sha256sum`). The native test (`cargo test -p pins`) and the WASM check
//! (`scripts/wasm-pins`, the same code compiled for `wasm32-unknown-unknown` and run in Node.js)
//! compare the outputs of this build with them. A change that alters outputs updates the file in
//! the same commit (`PINS_UPDATE=1 cargo test -p pins` rewrites it) and says why in its message.

use sha2::{Digest, Sha256};
use sim_core::{NoFiles, Sim, load_scenario};
use std::fmt::Write;

/// The seed every scenario is pinned at.
pub const SEED: u64 = 2022;

/// The pinned output files, in the order of `outputs.sha256`.
pub const FILES: [&str; 4] = ["summary.json", "timeseries.csv", "events.csv", "settlement.csv"];

/// The pinned digests (`outputs.sha256`).
pub const PINNED: &str = include_str!("../outputs.sha256");

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Runs the shipped scenario `name` (its text `text`) at [`SEED`] and returns the four outputs'
/// texts, in the order of [`FILES`].
pub fn outputs(name: &str, text: &str) -> Result<[String; 4], String> {
    let scn = load_scenario(text, name, &[], &NoFiles).map_err(|e| format!("{name}: {e}"))?;
    let mut sim = Sim::new(&scn, SEED);
    sim.run_to_end();
    let (settlement, _market) = sim.settlement_and_market_csv();
    Ok([sim.summary().to_json(), sim.timeseries_csv(), sim.events_csv(), settlement])
}

/// The digests of this build, in the format of `outputs.sha256`.
pub fn digests() -> Result<String, String> {
    let mut out = String::new();
    for (name, text) in sim_core::data::SCENARIOS {
        let stem = name.trim_end_matches(".toml");
        for (file, body) in FILES.iter().zip(outputs(name, text)?) {
            let _ = writeln!(out, "{}  {stem}/{file}", sha256_hex(body.as_bytes()));
        }
    }
    Ok(out)
}

/// Compares `actual` digests with `expected` ones; the error names every file that differs,
/// is missing or is not pinned.
pub fn compare(expected: &str, actual: &str) -> Result<(), String> {
    let parse = |t: &str| -> Vec<(String, String)> {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| match l.split_once("  ") {
                Some((h, f)) => (f.trim().to_string(), h.trim().to_string()),
                None => (l.trim().to_string(), String::new()),
            })
            .collect()
    };
    let (want, got) = (parse(expected), parse(actual));
    let mut problems = vec![];
    for (file, hash) in &got {
        match want.iter().find(|(f, _)| f == file) {
            None => problems.push(format!("{file}: not pinned (this build: {hash})")),
            Some((_, h)) if h != hash => problems.push(format!("{file}: pinned {h}, this build {hash}")),
            Some(_) => {}
        }
    }
    for (file, _) in &want {
        if !got.iter().any(|(f, _)| f == file) {
            problems.push(format!("{file}: pinned but not produced"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// Checks this build against the pins: `Ok` or the list of differences.
pub fn check() -> Result<(), String> {
    compare(PINNED, &digests()?)
}

/// The WASM entry point: an empty string when every output matches its pin, else the differences.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn check_pins() -> String {
    match check() {
        Ok(()) => String::new(),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_published_vector() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn compare_names_changed_missing_and_unpinned_files() {
        let pinned = "aa  s/summary.json\nbb  s/events.csv\n";
        assert!(compare(pinned, "aa  s/summary.json\nbb  s/events.csv\n").is_ok());
        let e = compare(pinned, "ab  s/summary.json\ncc  s/new.csv\n").expect_err("differs");
        assert!(e.contains("s/summary.json: pinned aa, this build ab"), "{e}");
        assert!(e.contains("s/new.csv: not pinned"), "{e}");
        assert!(e.contains("s/events.csv: pinned but not produced"), "{e}");
    }
}
