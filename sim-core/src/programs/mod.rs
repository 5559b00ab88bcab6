//! Demand-response programs: the book of rules, the rules engine, dispatch, enrolment and response.

pub mod book;
pub mod dispatch;
pub mod eligibility;
pub(crate) mod load;
pub mod rules;

pub use book::{ProgramBook, ProgramSpec, Trigger};
pub use dispatch::{DispatchEntry, parse_dispatch_file};
pub use load::MAX_PROGRAMS;
pub use rules::{Cap, EventRow, Judge, Refusal, Request, Status, events_csv, judge_calendar};
pub mod enrol;
pub mod state;
pub mod systems;

pub use state::{CalledEvent, Enrolment, ProgramState, ProgramStats};
pub use systems::{BehaviourParams, PriceSignals, dispatch_system, response_system};
