//! Benchmarks of drsim (criterion, under `benches/`) and helpers shared by them.

use sim_core::scenario::{NoFiles, Override, ValidScenario, load_scenario, parse_override};

/// A shipped scenario with overrides (panics on a bad override: benches are not user input).
pub fn scenario(name: &str, sets: &[&str]) -> ValidScenario {
    let text = sim_core::data::scenario(name).unwrap_or_else(|| panic!("no shipped scenario {name}"));
    let o: Vec<Override> = sets.iter().map(|s| parse_override(s).unwrap_or_else(|e| panic!("{e}"))).collect();
    load_scenario(text, name, &o, &NoFiles).unwrap_or_else(|e| panic!("{e}"))
}

pub mod thermal;
