//! Customer components.

use crate::scenario::{CustomerClass, MeterType, ServiceType};
use bevy_ecs::prelude::*;

/// A service account (DOMAIN.md §1).
#[derive(Component, Clone, Debug, PartialEq)]
pub struct Customer {
    /// Index of the agent in the run (0..agents), stable across runs of the same scenario.
    pub id: u32,
    /// Index of its population segment.
    pub segment: u16,
    /// Customer class.
    pub class: CustomerClass,
    /// Energy supplier.
    pub service: ServiceType,
    /// Index of its rate schedule in [`Segments::rates`].
    pub rate: u16,
    /// Meter type.
    pub meter: MeterType,
    /// In a disadvantaged community.
    pub dac: bool,
    /// Maximum demand, kW.
    pub max_demand_kw: f64,
}

/// How many real customers this agent stands for.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Weight(pub f64);

/// The customer's load this step, kW, and the load expected without any event (for the grid).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Meter {
    /// Load this step, kW.
    pub kw: f64,
    /// Load expected at this step's conditions without events or noise, kW.
    pub expected_kw: f64,
}

/// What the engine keeps about each population segment.
#[derive(Clone, Debug)]
pub struct SegmentInfo {
    /// Segment name.
    pub name: String,
    /// Class.
    pub class: CustomerClass,
    /// Agents.
    pub agents: u32,
    /// Weight of each agent.
    pub weight: f64,
    /// Residential non-A/C load shape by hour.
    pub base_shape: [f64; 24],
}

/// Segments and rate-schedule names (a resource).
#[derive(Resource, Clone, Debug, Default)]
pub struct Segments {
    /// Per segment, in scenario order.
    pub list: Vec<SegmentInfo>,
    /// Rate schedule names; `Customer::rate` indexes this.
    pub rates: Vec<String>,
}
