//! Pure grid functions: demand, supply, reserve margin, load shed, and the day-ahead forecast.

use crate::scenario::{AlertParams, ConservationParams, DemandParams, SupplyParams};
use crate::time::DayType;
use std::f64::consts::PI;

/// Value of an hourly shape at a minute of the day (linear between hour starts, wrapping at midnight).
pub fn shape_at(shape: &[f64; 24], minute_of_day: u32) -> f64 {
    let h = (minute_of_day / 60) as usize % 24;
    let w = f64::from(minute_of_day % 60) / 60.0;
    shape[h] + (shape[(h + 1) % 24] - shape[h]) * w
}

/// One step of an exponential moving average with time constant `tau_h`.
pub fn ema(prev: f64, x: f64, dt_h: f64, tau_h: f64) -> f64 {
    prev + (x - prev) * (1.0 - libm::exp(-dt_h / tau_h))
}

/// Temperature state the demand model reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThermalDrivers {
    /// Fast temperature average, °C.
    pub t_fast: f64,
    /// Slow temperature average, °C.
    pub t_slow: f64,
}

impl ThermalDrivers {
    /// Advances both averages by one step of `dt_h` hours at temperature `t`.
    pub fn advance(&mut self, t: f64, dt_h: f64, p: &DemandParams) {
        self.t_fast = ema(self.t_fast, t, dt_h, p.fast_tau_h);
        self.t_slow = ema(self.t_slow, t, dt_h, p.slow_tau_h);
    }
}

/// CAISO system demand, MW (before the simulated customers' deviation from their expected load).
pub fn demand_mw(p: &DemandParams, month: i8, minute_of_day: u32, day_type: DayType, drv: ThermalDrivers) -> f64 {
    let shape = match day_type {
        DayType::Weekday => &p.weekday_shape,
        DayType::Weekend | DayType::Holiday => &p.weekend_shape,
    };
    let base = p.month_factor[(month as usize).clamp(1, 12) - 1] * p.base_mw * shape_at(shape, minute_of_day);
    let cooling = p.fast_mw_per_c * (drv.t_fast - p.balance_temp_c).max(0.0)
        + p.slow_mw_per_c * (drv.t_slow - p.balance_temp_c).max(0.0);
    base + shape_at(&p.cooling_shape, minute_of_day) * cooling
}

/// Cosine of the solar zenith angle at a UTC instant for a latitude and longitude (degrees).
///
/// Declination by Cooper's formula, equation of time by Spencer's short form; accurate to about
/// a degree, which is plenty for a fleet profile.
pub fn cos_zenith(utc_s: i64, lat_deg: f64, lon_deg: f64) -> f64 {
    let days = utc_s.div_euclid(86_400);
    let secs = utc_s.rem_euclid(86_400);
    let doy = day_of_year_utc(days) as f64;
    let decl = (23.44 * PI / 180.0) * libm::sin(2.0 * PI * (284.0 + doy) / 365.0);
    let b = 2.0 * PI * (doy - 81.0) / 364.0;
    let eot_min = 9.87 * libm::sin(2.0 * b) - 7.53 * libm::cos(b) - 1.5 * libm::sin(b);
    let solar_h = secs as f64 / 3600.0 + lon_deg / 15.0 + eot_min / 60.0;
    let ha = (15.0 * (solar_h - 12.0)) * PI / 180.0;
    let lat = lat_deg * PI / 180.0;
    libm::sin(lat) * libm::sin(decl) + libm::cos(lat) * libm::cos(decl) * libm::cos(ha)
}

fn day_of_year_utc(days_since_epoch: i64) -> i64 {
    i64::from(crate::time::date_of_day(days_since_epoch).day_of_year())
}

/// Clear-sky solar output of the fleet, MW.
pub fn solar_mw(p: &SupplyParams, utc_s: i64) -> f64 {
    let cz = cos_zenith(utc_s, p.solar_latitude_deg, p.solar_longitude_deg);
    if cz <= 0.0 { 0.0 } else { p.solar_mw * libm::pow(cz, p.solar_exponent) }
}

/// The day's random supply conditions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SupplyDay {
    /// Share of the firm fleet on forced outage, %.
    pub forced_outage_pct: f64,
    /// Multiplier on mean wind.
    pub wind_factor: f64,
}

/// Available supply by source, MW.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Supply {
    /// Dispatchable fleet after derates, outages and trips.
    pub firm_mw: f64,
    /// Solar.
    pub solar_mw: f64,
    /// Wind.
    pub wind_mw: f64,
    /// Net imports.
    pub imports_mw: f64,
}

impl Supply {
    /// Total available supply, MW.
    pub fn total(&self) -> f64 {
        self.firm_mw + self.solar_mw + self.wind_mw + self.imports_mw
    }
}

/// Available supply at an instant.
pub fn supply(
    p: &SupplyParams,
    utc_s: i64,
    minute_of_day: u32,
    drv: ThermalDrivers,
    day: SupplyDay,
    tripped_mw: f64,
) -> Supply {
    let derate = (p.heat_derate_pct_per_c * (drv.t_fast - p.derate_above_c).max(0.0)).min(100.0);
    let firm = p.firm_mw * (1.0 - day.forced_outage_pct / 100.0) * (1.0 - derate / 100.0) - tripped_mw;
    let imports = p.imports_mw - p.imports_heat_mw_per_c * (drv.t_slow - p.imports_heat_above_c).max(0.0);
    Supply {
        firm_mw: firm.max(0.0),
        solar_mw: solar_mw(p, utc_s),
        wind_mw: p.wind_mw * day.wind_factor * shape_at(&p.wind_shape, minute_of_day),
        imports_mw: imports.max(0.0),
    }
}

/// Operating reserve margin, % of load.
pub fn reserve_margin_pct(supply_mw: f64, load_mw: f64) -> f64 {
    if load_mw <= 0.0 { 100.0 } else { (supply_mw - load_mw) / load_mw * 100.0 }
}

/// Firm load shed (rotating outages) needed to hold the margin at `shed_margin_pct`, MW.
pub fn shed_mw(supply_mw: f64, load_mw: f64, p: &AlertParams) -> f64 {
    (load_mw - supply_mw / (1.0 + p.shed_margin_pct / 100.0)).max(0.0)
}

/// Places in the rotating-outage order (see [`crate::customers::Meter::feeder`]): 65,536 of them,
/// each customer's drawn uniformly.
pub const PLACES: f64 = 65536.0;

/// The customers out of power in a rotating outage: those whose places fall in one of two
/// half-open ranges (a block that runs past the last sheddable place wraps round to the first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutageBlock {
    ranges: [(u32, u32); 2],
}

impl OutageBlock {
    /// No one out.
    pub const NONE: Self = Self { ranges: [(0, 0); 2] };

    /// The block that starts at place `start` and holds `share` of all customers, when the
    /// places from `(1 - exempt_share) * PLACES` up are never shed. A share above the sheddable
    /// share sheds every sheddable customer.
    pub fn new(start: f64, share: f64, exempt_share: f64) -> Self {
        let l = ((1.0 - exempt_share) * PLACES).round().clamp(0.0, PLACES);
        let width = (share * PLACES).round().clamp(0.0, l);
        if width <= 0.0 {
            return Self::NONE;
        }
        let start = start.rem_euclid(l.max(1.0)).floor();
        let end = start + width;
        let first = (start as u32, end.min(l) as u32);
        let second = (0, (end - l).max(0.0) as u32);
        Self { ranges: [first, second] }
    }

    /// Whether the customer at `place` is out.
    #[inline(always)]
    pub fn contains(&self, place: u16) -> bool {
        let p = u32::from(place);
        let [(a, b), (c, d)] = self.ranges;
        (a <= p && p < b) | (c <= p && p < d)
    }

    /// Whether no one is out.
    pub fn is_empty(&self) -> bool {
        self.ranges.iter().all(|(a, b)| a >= b)
    }

    /// The share of all places in the block.
    pub fn share(&self) -> f64 {
        self.ranges.iter().map(|(a, b)| f64::from(b.saturating_sub(*a))).sum::<f64>() / PLACES
    }
}

/// The share of demand conserved in answer to alerts, %.
///
/// `flex_alert` is whether a Flex Alert or higher is in effect, `earlier_alert_days` how many
/// consecutive days before today had one (fatigue), `text_alert` whether the emergency text alert
/// has gone out.
pub fn conservation_target_pct(p: &ConservationParams, flex_alert: bool, earlier_alert_days: u32, text_alert: bool) -> f64 {
    let flex = if flex_alert || text_alert {
        (p.flex_alert_pct - p.fatigue_pct_per_day * f64::from(earlier_alert_days)).max(0.0)
    } else {
        0.0
    };
    flex + if text_alert { p.text_alert_pct } else { 0.0 }
}

/// One hour of a day-ahead forecast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForecastHour {
    /// Local minute of day of the hour start.
    pub minute_of_day: u32,
    /// Forecast demand, MW.
    pub demand_mw: f64,
    /// Forecast available supply, MW.
    pub supply_mw: f64,
    /// Forecast solar and wind, MW (demand minus this is net load).
    pub renewables_mw: f64,
}

impl ForecastHour {
    /// Forecast reserve margin, %.
    pub fn margin_pct(&self) -> f64 {
        reserve_margin_pct(self.supply_mw, self.demand_mw)
    }
}

#[cfg(test)]
mod outage_tests {
    use super::*;

    #[test]
    fn a_block_holds_its_share_of_places_and_wraps_past_the_exempt_ones() {
        // 10 % of customers, none exempt, from place 0: places 0..6554.
        let b = OutageBlock::new(0.0, 0.1, 0.0);
        assert_eq!(b.share(), 6554.0 / PLACES);
        assert!(b.contains(0) && b.contains(6553) && !b.contains(6554));
        // With a quarter exempt, sheddable places are 0..49152. A 10 % block from 45,000 runs to
        // 49,152 and wraps round to 0..2402 (4,152 + 2,402 = 6,554 places), never touching the
        // exempt places.
        let w = OutageBlock::new(45_000.0, 0.1, 0.25);
        assert!(w.contains(45_000) && w.contains(49_151) && !w.contains(49_152) && !w.contains(65_535));
        assert!(w.contains(0) && w.contains(2401) && !w.contains(2402) && !w.contains(44_999));
        assert_eq!(w.share(), 6554.0 / PLACES);
        // More than the sheddable share: every sheddable customer, no exempt one.
        let all = OutageBlock::new(1000.0, 0.9, 0.25);
        assert_eq!(all.share(), 0.75);
        assert!(all.contains(0) && all.contains(49_151) && !all.contains(49_152));
        assert!(OutageBlock::new(10.0, 0.0, 0.0).is_empty() && !b.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{Date, day_number};

    #[test]
    fn shape_interpolates_within_the_hour_and_wraps() {
        let mut s = [0.0; 24];
        s[10] = 1.0;
        s[11] = 3.0;
        s[23] = 2.0;
        assert_eq!(shape_at(&s, 10 * 60), 1.0);
        assert_eq!(shape_at(&s, 10 * 60 + 30), 2.0);
        assert_eq!(shape_at(&s, 23 * 60 + 30), 1.0);
    }

    #[test]
    fn day_of_year_is_right_in_leap_and_common_years() {
        let doy = |y: i16, m: i8, d: i8| day_of_year_utc(day_number(Date::new(y, m, d).unwrap()));
        assert_eq!(doy(2022, 1, 1), 1);
        assert_eq!(doy(2022, 9, 6), 249);
        assert_eq!(doy(2020, 12, 31), 366);
        assert_eq!(doy(2021, 3, 1), 60);
    }

    #[test]
    fn the_sun_is_up_at_noon_and_down_at_midnight_and_sets_around_seven_in_september() {
        // 2022-09-06 in PDT (UTC-7): local noon = 19:00 UTC.
        let day = day_number(Date::new(2022, 9, 6).unwrap()) * 86_400;
        let at = |h_local: i64| cos_zenith(day + (h_local + 7) * 3600, 34.05, -118.25);
        assert!(at(13) > 0.85, "{}", at(13));
        assert!(at(0) < 0.0);
        // Sunset in Los Angeles on Sept 6 is about 19:15 PDT.
        assert!(at(19) > 0.0 && at(20) < 0.0, "{} {}", at(19), at(20));
        assert!(at(6) < 0.05 && at(7) > 0.0, "{} {}", at(6), at(7));
    }

    #[test]
    fn conservation_adds_the_text_alert_and_tires_with_consecutive_alert_days() {
        let p = ConservationParams {
            flex_alert_pct: 1.0,
            fatigue_pct_per_day: 0.25,
            text_alert_pct: 4.0,
            ..ConservationParams::default()
        };
        assert_eq!(conservation_target_pct(&p, false, 0, false), 0.0);
        assert_eq!(conservation_target_pct(&p, true, 0, false), 1.0);
        assert_eq!(conservation_target_pct(&p, true, 2, false), 0.5);
        // Fatigue never turns conservation into extra load.
        assert_eq!(conservation_target_pct(&p, true, 9, false), 0.0);
        assert_eq!(conservation_target_pct(&p, true, 0, true), 5.0);
        // The text alert is heard even where no Flex Alert is in effect.
        assert_eq!(conservation_target_pct(&p, false, 0, true), 5.0);
    }

    #[test]
    fn margin_and_shed_are_consistent() {
        let p = AlertParams::default();
        assert!((reserve_margin_pct(110.0, 100.0) - 10.0).abs() < 1e-12);
        assert_eq!(shed_mw(50_000.0, 40_000.0, &p), 0.0);
        let s = shed_mw(50_000.0, 49_500.0, &p);
        // After shedding, the margin is exactly the shed margin.
        assert!((reserve_margin_pct(50_000.0, 49_500.0 - s) - p.shed_margin_pct).abs() < 1e-9);
    }
}
