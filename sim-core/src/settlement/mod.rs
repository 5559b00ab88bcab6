//! Settlement: baselines, payments and penalties.

pub mod accumulate;
pub mod baseline;
pub mod meter;
pub mod money;
pub mod settle;

pub use accumulate::{SettlementAcc, init_settlement, settlement_system};
pub use settle::{SettlementRow, settle, settlement_csv};
