//! Time: the simulation clock in local prevailing time, and the utility's holiday calendar.

mod calendar;
mod clock;

pub use calendar::{DayType, day_type};
pub use clock::{
    Clock, LocalStamp, LocalTime, PACIFIC_POSIX_TZ, TimeError, date_of_day, day_number, hhmm, local_to_utc, parse_date,
    parse_hhmm,
    parse_local_datetime,
};
pub use jiff::civil::Date;
