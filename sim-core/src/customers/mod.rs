//! Customers: service accounts with a class, supplier, rate, meter, location and weight.

mod components;
mod spawn;

pub use components::{Customer, MAX_SUPPLIERS, Meter, Segments, Weight};
#[cfg(feature = "test-support")]
pub use spawn::{HouseSpec, spawn_houses};
pub use spawn::spawn_population;
