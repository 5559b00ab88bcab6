//! Devices that use, shed or shift load: A/C with thermostat, home base load, commercial and
//! industrial buildings, agricultural pumps and backup generators (battery storage is not
//! modelled, and a scenario that sets it is refused).
//!
//! How an A/C answers a thermostat setpoint offset: the offset a customer keeps comes from
//! [`crate::programs::rules::thermostat_offset_c`]; the room then follows the first-order envelope
//! [`AirConditioner::next_temp_c`] (the exact update `ac::next_temp` on the unit's stored
//! offsets) and the deadband thermostat in [`ac`], which the step kernels call. A run starts each
//! unit at its steady state for the first step's weather, [`ac::steady_state`].

pub mod ac;
pub mod building;
pub mod pump;
mod systems;

pub use ac::{AcControl, AcRating, AcSetpoint, AcState, AirConditioner, CyclingCommand};
// The cycling switch's control bit, for benchmarks that command A/C directly.
#[cfg(feature = "test-support")]
pub use ac::SWITCH_BIT;
pub use building::{Building, FacilityControls};
pub use pump::Pump;
pub use systems::{
    BaseLoad, Coupling, LoadShapes, LoadSums, NoiseKey, Outage, ac_control_system, ac_system, base_load_system,
    building_system, load_shapes_system, pump_system, reset_sums_system,
};

use bevy_ecs::prelude::*;

/// A qualified Wi-Fi smart thermostat on the customer's central A/C.
#[derive(Component, Clone, Copy, Debug, Default)]
pub struct SmartThermostat;

/// An A/C cycling switch (direct load control).
#[derive(Component, Clone, Copy, Debug, Default)]
pub struct CyclingSwitch;

/// Automated demand response controls (EMS / Auto-DR).
#[derive(Component, Clone, Copy, Debug, Default)]
pub struct AutoDr;

/// A utility control device on the customer's pump (AP-I).
#[derive(Component, Clone, Copy, Debug, Default)]
pub struct PumpControl;

/// A backup generator.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct BackupGenerator {
    /// Rated output, kW.
    pub kw: f64,
    /// Fossil-fuelled (a prohibited resource, DOMAIN.md §3).
    pub fossil: bool,
}

