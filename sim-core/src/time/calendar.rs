//! Weekdays and the holidays that SCE's tariffs recognise.
//!
//! SCE's time-of-use tariffs name these holidays: New Year's Day (January 1), Presidents' Day
//! (third Monday in February), Memorial Day (last Monday in May), Independence Day (July 4),
//! Labor Day (first Monday in September), Veterans Day (November 11), Thanksgiving Day (fourth
//! Thursday in November) and Christmas (December 25). "When any holiday listed above falls on a
//! Sunday, the following Monday will be recognized as an off-peak holiday. No change will be made
//! for holidays falling on Saturday." (SCE tariff special conditions, e.g. Schedule TOU-GS-1.)

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

/// What kind of day a date is, for load shapes, program rules and baselines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DayType {
    /// Monday to Friday and not a holiday.
    Weekday,
    /// Saturday or Sunday and not a holiday.
    Weekend,
    /// One of the recognised holidays (or its observed Monday).
    Holiday,
}

/// How a holiday's date is found in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HolidayRule {
    /// A fixed month and day, moved to Monday when it falls on a Sunday.
    Fixed {
        /// Month 1-12.
        month: i8,
        /// Day of month.
        day: i8,
    },
    /// The nth weekday of a month (negative n counts from the end: -1 is the last).
    Nth {
        /// Month 1-12.
        month: i8,
        /// Which occurrence (1..=5, or -1 for the last).
        nth: i8,
        /// The weekday.
        weekday: Weekday,
    },
}

/// The SCE holidays, by name and rule.
pub const SCE_HOLIDAYS: [(&str, HolidayRule); 8] = [
    ("New Year's Day", HolidayRule::Fixed { month: 1, day: 1 }),
    ("Presidents' Day", HolidayRule::Nth { month: 2, nth: 3, weekday: Weekday::Monday }),
    ("Memorial Day", HolidayRule::Nth { month: 5, nth: -1, weekday: Weekday::Monday }),
    ("Independence Day", HolidayRule::Fixed { month: 7, day: 4 }),
    ("Labor Day", HolidayRule::Nth { month: 9, nth: 1, weekday: Weekday::Monday }),
    ("Veterans Day", HolidayRule::Fixed { month: 11, day: 11 }),
    ("Thanksgiving Day", HolidayRule::Nth { month: 11, nth: 4, weekday: Weekday::Thursday }),
    ("Christmas Day", HolidayRule::Fixed { month: 12, day: 25 }),
];

fn observed(year: i16, rule: HolidayRule) -> Option<Date> {
    match rule {
        HolidayRule::Fixed { month, day } => {
            let d = Date::new(year, month, day).ok()?;
            if d.weekday() == Weekday::Sunday { d.tomorrow().ok() } else { Some(d) }
        }
        HolidayRule::Nth { month, nth, weekday } => {
            Date::new(year, month, 1).ok()?.nth_weekday_of_month(nth, weekday).ok()
        }
    }
}

/// The observed holidays of a year, in date order, with their names.
#[cfg(test)]
fn holidays_in_year(year: i16) -> Vec<(Date, &'static str)> {
    let mut v: Vec<(Date, &'static str)> =
        SCE_HOLIDAYS.iter().filter_map(|(name, rule)| observed(year, *rule).map(|d| (d, *name))).collect();
    v.sort();
    v
}

/// The name of the holiday observed on `date`, if any.
pub fn holiday_name(date: Date) -> Option<&'static str> {
    SCE_HOLIDAYS.iter().find(|(_, rule)| observed(date.year(), *rule) == Some(date)).map(|(n, _)| *n)
}

/// Whether `date` is an observed SCE holiday.
pub fn is_holiday(date: Date) -> bool {
    holiday_name(date).is_some()
}

/// The day type of `date`: holidays first, then weekends.
pub fn day_type(date: Date) -> DayType {
    if is_holiday(date) {
        DayType::Holiday
    } else if matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
        DayType::Weekend
    } else {
        DayType::Weekday
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn holidays_of_2022_are_the_published_dates() {
        let got: Vec<Date> = holidays_in_year(2022).into_iter().map(|(d, _)| d).collect();
        // 2022: Jan 1 is a Saturday (no change), Jul 4 a Monday, Nov 11 a Friday, Dec 25 a Sunday (observed Dec 26).
        let want = vec![
            date(2022, 1, 1),
            date(2022, 2, 21),
            date(2022, 5, 30),
            date(2022, 7, 4),
            date(2022, 9, 5),
            date(2022, 11, 11),
            date(2022, 11, 24),
            date(2022, 12, 26),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn labor_day_2022_is_a_holiday_and_the_day_after_a_weekday() {
        assert_eq!(day_type(date(2022, 9, 5)), DayType::Holiday);
        assert_eq!(holiday_name(date(2022, 9, 5)), Some("Labor Day"));
        assert_eq!(day_type(date(2022, 9, 6)), DayType::Weekday);
        assert_eq!(day_type(date(2022, 9, 3)), DayType::Weekend);
    }

    #[test]
    fn a_sunday_holiday_moves_to_monday_and_a_saturday_one_stays() {
        // 2021-07-04 was a Sunday: observed Monday 2021-07-05.
        assert!(!is_holiday(date(2021, 7, 4)));
        assert!(is_holiday(date(2021, 7, 5)));
        // 2020-07-04 was a Saturday: no change.
        assert!(is_holiday(date(2020, 7, 4)));
        assert!(!is_holiday(date(2020, 7, 3)));
        assert_eq!(day_type(date(2020, 7, 4)), DayType::Holiday);
    }

    #[test]
    fn nth_weekday_rules_of_2020() {
        assert!(is_holiday(date(2020, 2, 17))); // Presidents' Day
        assert!(is_holiday(date(2020, 5, 25))); // Memorial Day, last Monday
        assert!(is_holiday(date(2020, 9, 7))); // Labor Day
        assert!(is_holiday(date(2020, 11, 26))); // Thanksgiving
        assert!(!is_holiday(date(2020, 11, 19)));
    }
}
