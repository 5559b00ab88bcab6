//! Outdoor temperature in downtown Los Angeles: stochastic, replayed, or a fixed sinusoid.

pub mod rules;
mod systems;

pub use rules::DailyTemps;
pub use systems::{Weather, weather_system};
