//! drsim's model: a discrete-time simulation of customers, their devices, demand-response
//! programs and the CAISO grid, as a bevy_ecs `World` stepped by one schedule of ordered phases.
//!
//! The crate has no file system, clocks, threads or printing, and builds for
//! `wasm32-unknown-unknown` with bit-identical results. Use it through [`Sim`]:
//!
//! ```
//! use sim_core::{Sim, data, load_scenario, NoFiles};
//! let scn = load_scenario(data::default_scenario(), "default.toml", &[], &NoFiles).unwrap();
//! let mut sim = Sim::new(&scn, 1);
//! sim.run_steps(12);
//! assert_eq!(sim.steps().len(), 12);
//! ```

/// Declares the model's modules: private to the crate, or public with the `test-support` feature
/// (for the model's own tests and the benchmarks, which reach inside). The dashboard and the CLI
/// build without it and see only the API below.
macro_rules! internal {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "test-support")]
            pub mod $name;
            #[cfg(not(feature = "test-support"))]
            mod $name;
        )*
    };
}

internal!(
    aggregators,
    customers,
    devices,
    dist,
    grid,
    metrics,
    programs,
    rng,
    scenario,
    schedule,
    settlement,
    time,
    views,
    weather
);

pub mod calibration;
mod csv_in;
mod csv_out;
pub mod data;
mod fold;
mod sim;
mod twin;

// Running a simulation.
pub use sim::{Sim, Snapshot};

// Scenarios: loading, overrides, the files they name, and every error on the way.
pub use scenario::{
    FileError, FileSource, NoFiles, Override, OverrideError, ReadError, ScenarioError, ScenarioErrors, UnknownName,
    ValidScenario, load_scenario, parse_override,
};

// Dates and times on the utility's clock.
pub use time::{Date, TimeError, date_of_day, day_number, hhmm, parse_date};

// Seeds of the runs of a batch.
pub use rng::seed_for;

// Programs: the book, dispatch calendars and the rules engine's verdicts.
pub use programs::book::{DEFAULT_BOOK, Response};
pub use programs::{
    EventRow, MAX_PROGRAMS, ProgramBook, ProgramSpec, Request, Status, Trigger, events_csv, judge_calendar,
    parse_dispatch_file,
};

// Read-only views and output rows.
pub use aggregators::state::MarketRow;
pub use aggregators::{Aggregators, DrpSummary};
pub use grid::AlertLevel;
pub use grid::IssuedAlert;
pub use metrics::cca::EventNotice;
pub use metrics::{Column, ColumnValues, OutageDayReport, ProgramSummary, RunSummary, StepRecord, Timeseries};
pub use views::{DrpView, GridView, MarketTotals, MarketView, ProgramsView, SegmentView, segment_views};

/// Customer baselines from meter data (`drsim baseline`), the method settlement uses.
pub mod baseline {
    pub use crate::settlement::baseline::{
        BaselineError, BaselineMethod, CSV_HEADER, DEFAULT_METHOD, PRESET_NAMES, check_hour_range, compute, to_csv,
    };
    pub use crate::settlement::meter::{METER_HEADER, MeterData, MeterError, MeterErrorKind, parse_meter};
}
