//! The CAISO system: demand, supply, operating reserves, alerts and rotating outages.

mod alerts;
pub mod rules;
mod systems;

pub use alerts::{AlertLevel, IssuedAlert};
pub use systems::{GridState, grid_balance_system, grid_observe_system};
