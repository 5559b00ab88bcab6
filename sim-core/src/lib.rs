//! drsim's model: a discrete-time simulation of customers, their devices, demand-response
//! programs and the CAISO grid, as a bevy_ecs `World` stepped by one schedule of ordered phases.
//!
//! The crate has no file system, clocks, threads or printing, and builds for
//! `wasm32-unknown-unknown` with bit-identical results. Use it through [`Sim`]:
//!
//! ```
//! use sim_core::{Sim, data, scenario::{load_scenario, NoFiles}};
//! let scn = load_scenario(data::default_scenario(), "default.toml", &[], &NoFiles).unwrap();
//! let mut sim = Sim::new(&scn, 1);
//! sim.run_steps(12);
//! assert_eq!(sim.metrics().steps.len(), 12);
//! ```

pub mod aggregators;
mod csv_in;
mod csv_out;
pub mod customers;
pub mod data;
pub mod devices;
pub mod dist;
mod fold;
pub mod grid;
pub mod metrics;
pub mod programs;
pub mod rng;
pub mod scenario;
pub mod schedule;
pub mod settlement;
mod sim;
pub mod time;
mod twin;
pub mod views;
pub mod weather;

pub use sim::{Sim, Snapshot};
