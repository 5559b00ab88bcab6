//! What a run records: one row per step, and the run's summary.

pub mod cca;
mod output;
mod systems;

pub use output::{
    Column, ColumnValues, OutageDayReport, ProgramReport, ProgramSummary, RunSummary, SupplierSummary, Timeseries, round,
    timeseries_csv,
};
pub use systems::{
    ExactSum, Metrics, PopulationLoad, StepRecord, SupplierEnergy, aggregate_meters_system, record_system,
};
