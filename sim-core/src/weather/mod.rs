//! Outdoor temperature in downtown Los Angeles: stochastic, replayed, or a fixed sinusoid.

pub mod rules;
mod systems;

pub use systems::{HISTORY_DAYS, Weather, weather_system};
