//! Third-party demand response (Rule 24, DOMAIN.md §4): DRPs and aggregators, customers' data
//! authorizations, migration out of utility programs, the CAISO day-ahead market and DRP settlement.

pub mod market;
pub mod settle;
pub mod state;

pub use settle::{Delivered, DrpSettlement, market_csv, market_system, settle_drps};
pub use state::{
    Aggregators, DrpSummary, MeterHistory, ScenarioRef, Tracked, authorizations_csv, drp_daily_system, history_system,
};
