//! The step schedule: ordered phases run once per step.

use crate::aggregators::{drp_daily_system, history_system, market_system};
use crate::devices::{
    ac_control_system, ac_system, base_load_system, building_system, load_shapes_system, pump_system, reset_sums_system,
};
use crate::grid::{grid_balance_system, grid_observe_system};
use crate::metrics::{aggregate_meters_system, record_system};
use crate::programs::{dispatch_system, response_system};
use crate::settlement::settlement_system;
use crate::weather::weather_system;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};

/// The phases of a step, in order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Weather, grid conditions, alerts.
    Observe,
    /// Program dispatch, aggregator bids, customer choices.
    Decide,
    /// Devices respond; meters are read.
    Act,
    /// Meters are summed; the grid balances; shed and settlement.
    Settle,
    /// Metrics are recorded.
    Record,
}

/// Builds the step schedule. `grid` adds the CAISO system's systems.
pub fn build_schedule(grid: bool, strict: bool) -> Schedule {
    let mut s = Schedule::default();
    if strict {
        s.set_build_settings(ScheduleBuildSettings { ambiguity_detection: LogLevel::Error, ..Default::default() });
    }
    s.configure_sets((Phase::Observe, Phase::Decide, Phase::Act, Phase::Settle, Phase::Record).chain());
    if grid {
        s.add_systems((weather_system, load_shapes_system, grid_observe_system).chain().in_set(Phase::Observe));
    } else {
        s.add_systems((weather_system, load_shapes_system).chain().in_set(Phase::Observe));
    }
    s.add_systems(
        (drp_daily_system, market_system, dispatch_system, response_system, ac_control_system)
            .chain()
            .in_set(Phase::Decide),
    );
    s.add_systems(
        (reset_sums_system, base_load_system, building_system, pump_system, ac_system).chain().in_set(Phase::Act),
    );
    if grid {
        s.add_systems(
            (aggregate_meters_system, grid_balance_system, settlement_system, history_system)
                .chain()
                .in_set(Phase::Settle),
        );
    } else {
        s.add_systems((aggregate_meters_system, settlement_system, history_system).chain().in_set(Phase::Settle));
    }
    s.add_systems(record_system.in_set(Phase::Record));
    s
}
