//! Customers: service accounts with a class, supplier, rate, meter, location and weight.

mod components;
mod spawn;

pub use components::{Customer, MAX_SUPPLIERS, Meter, SegmentInfo, Segments, Weight};
pub use spawn::{HouseSpec, spawn_houses, spawn_population};
