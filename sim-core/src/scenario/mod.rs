//! Scenarios: the TOML a user writes (`Scenario`), checked into what the engine runs (`ValidScenario`).
//!
//! Text → TOML table → `--set` overrides → `Scenario` (serde, unknown fields refused) →
//! `validate` → `ValidScenario`. Every error names the file, the line and column where the
//! parser knows them, the field path and what was expected. Nothing here touches the file
//! system: files a scenario names are read through a [`FileSource`] the caller provides.

mod errors;
mod load;
mod schema;
mod validate;

pub use errors::{FileError, OverrideError, ReadError, ScenarioError, ScenarioErrors, UnknownName};
pub use load::{FileSource, NoFiles, Override, Seg, load_scenario, parse_override};
pub use schema::*;
pub use validate::{CalendarAlert, HourlyTemp, ValidScenario};
