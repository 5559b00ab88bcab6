//! drsim's dashboard: an egui app for regulators and teachers, natively in a window and in the
//! browser (WebAssembly) from the same code.
//!
//! [`DashApp`] holds the state and draws a frame; runs advance a bounded amount per frame (or per
//! browser timer tick), so the window never freezes. The browser entry and the end-to-end test
//! hooks are in `web.rs`.

pub mod app;
pub mod book;
pub mod panels;
pub mod platform;
pub mod run;
pub mod share;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use app::{DashApp, Panel};
pub use eframe::egui;

/// Runs a scenario (TOML text) with a seed to the end and returns `summary.json`'s text, the
/// same bytes `drsim run` writes; `seed` None takes the scenario's own.
pub fn run_summary(toml: &str, name: &str, seed: Option<u64>) -> Result<String, String> {
    let scn = sim_core::load_scenario(toml, name, &[], &sim_core::NoFiles).map_err(|e| e.to_string())?;
    let seed = seed.unwrap_or(scn.scenario().seed);
    let mut sim = sim_core::Sim::new(&scn, seed);
    sim.run_to_end();
    Ok(sim.summary().to_json())
}
