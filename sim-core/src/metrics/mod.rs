//! What a run records: one row per step, and the run's summary.

mod output;
mod systems;

pub use output::{ProgramReport, ProgramSummary, RunSummary, TIMESERIES_COLUMNS, events_csv_header, timeseries_csv};
pub use systems::{ExactSum, Metrics, PopulationLoad, StepRecord, aggregate_meters_system, record_system};
