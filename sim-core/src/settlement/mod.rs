//! Settlement: baselines, payments and penalties.

pub mod baseline;
pub mod meter;
