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
    /// Energy supplier, an index into [`Segments::suppliers`] (0 = SCE for Bundled customers).
    pub supplier: u8,
}

/// The most energy suppliers a scenario may name (SCE, CCAs and ESPs together).
pub const MAX_SUPPLIERS: usize = 8;

/// How many real customers this agent stands for.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Weight(pub f64);

/// The customer's load this step, kW, and what the step's sums split it by.
///
/// 16 bytes (a test holds it there): every Act system writes it and settlement and attribution
/// read it each step. (The load expected without events, which the grid needs, goes straight
/// into the step's sums.)
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Meter {
    /// Load this step, kW.
    pub kw: f64,
    /// Customer class index (residential, commercial, industrial, agricultural), for class sums.
    pub class: u8,
    /// Programs the customer is enrolled in.
    pub programs: crate::programs::ProgramSet,
    /// The customer's segment.
    pub segment: u16,
    /// The customer's energy supplier (see [`Customer::supplier`]).
    pub supplier: u8,
    /// The customer's place in the rotating-outage order, uniform over 0..=65535 (its own draw):
    /// rotating outages drop the customers whose places fall in the block being shed.
    pub feeder: u16,
}

/// What the engine keeps about each population segment.
#[derive(Clone, Debug)]
pub struct SegmentInfo {
    /// Segment name.
    pub name: String,
    /// Class.
    pub class: CustomerClass,
    /// Residential non-A/C load shape by hour.
    pub base_shape: [f64; 24],
    /// Commercial and industrial schedule (those classes only).
    pub building: Option<crate::devices::building::BuildingSchedule>,
}

/// Segments and rate-schedule names (a resource).
#[derive(Resource, Clone, Debug, Default)]
pub struct Segments {
    /// Per segment, in scenario order.
    pub list: Vec<SegmentInfo>,
    /// Rate schedule names; `Customer::rate` indexes this.
    pub rates: Vec<String>,
    /// Energy supplier names (SCE first, then CCAs, then ESPs); `Customer::supplier` indexes this.
    pub suppliers: Vec<String>,
}
