//! Demand-response programs: the book of rules, the rules engine, dispatch, enrolment and response.
//!
//! Where each part lives:
//! - the program book (windows, notice, event and hour caps, triggers, money, responses) as data:
//!   [`book`], filled from `scenarios/programs/sce.toml`;
//! - the rules engine, which calls or refuses each dispatch request and says why: [`judge`]
//!   (hour caps such as TOU-BIP's monthly cap are checked by [`rules::fits_hours_cap`], which the
//!   operator's trimming also calls, [`rules::trim_to_hours_caps`]);
//! - who may enrol and may run a backup generator: [`eligibility`], [`rules::check_generator_use`];
//! - how customers behave in events, as pure functions with unit tests: [`rules`] (fatigue
//!   [`rules::fatigue`], override hazard [`rules::override_chance`], setpoint offset response
//!   [`rules::thermostat_offset_c`], firm service level [`rules::firm_service_level`], rebound
//!   [`rules::rebound_owed_kwh`] and [`rules::payback`], RTP day type [`rules::rtp_day_type`] and
//!   price factor [`rules::price_factor`], enrolment-option readiness [`rules::ready_utc`]);
//! - the systems that gather components, call those rules and write results: [`systems`]
//!   (the operator's automatic dispatch and the customers' response), [`enrol`] (enrolment).

pub mod book;
pub mod dispatch;
pub mod eligibility;
pub mod judge;
pub(crate) mod load;
pub mod rules;
pub mod set;

pub use book::{ProgramBook, ProgramSpec, Trigger};
pub use dispatch::{DispatchEntry, parse_dispatch_file};
pub use judge::{EventRow, Request, Status, events_csv, judge_calendar};
pub use load::MAX_PROGRAMS;
pub use set::ProgramSet;
pub mod enrol;
pub mod state;
pub mod systems;

pub use state::{Enrolment, ProgramState, ProgramStats};
pub use systems::{BehaviourParams, PriceSignals, dispatch_system, response_system};
