//! Commercial and industrial facilities: base, occupied, HVAC and process load.
//!
//! What a facility's load is made of is per customer ([`Building`]); when it is open and how its
//! HVAC follows the weather is per segment ([`BuildingSchedule`]), so the schedule factors are
//! computed once a step per segment, not per customer.

use crate::rng::AgentStream;
use crate::time::DayType;
use bevy_ecs::prelude::*;

/// A facility's load components, kW (what the step reads of every facility).
///
/// What programs do to the load (shed, caps, price response, rebound) is in [`FacilityControls`],
/// which the step only reads while `controlled` is set.
#[derive(Component, Clone, Debug, PartialEq)]
pub struct Building {
    /// Always-on load, kW.
    pub base_kw: f64,
    /// Extra load while open, kW.
    pub occupied_kw: f64,
    /// HVAC load at the design temperature, kW.
    pub hvac_kw: f64,
    /// Process load, kW.
    pub process_kw: f64,
    /// Share of load that can be curtailed without stopping the business.
    pub flexible_share: f64,
    /// The customer's load-noise stream (drawn once a step).
    pub noise: AgentStream,
    /// The customer's segment (for its schedule).
    pub segment: u16,
    /// Whether `FacilityControls` differ from [`FacilityControls::NONE`] (set with
    /// [`FacilityControls::apply`]).
    pub controlled: bool,
}

/// What programs do to a facility's load this step.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct FacilityControls {
    /// Load shed this step by program response, kW.
    pub shed_kw: f64,
    /// Load cap this step (a Firm Service Level in an interruptible event), kW.
    pub cap_kw: f64,
    /// Price response multiplier on the flexible load (1 = none).
    pub flex_factor: f64,
    /// Load added this step (rebound after events), kW.
    pub extra_kw: f64,
}

impl FacilityControls {
    /// No shed, no cap, no price response, no rebound.
    pub const NONE: Self = Self { shed_kw: 0.0, cap_kw: f64::INFINITY, flex_factor: 1.0, extra_kw: 0.0 };

    /// Puts these controls in force on `b`'s facility.
    pub fn apply(&mut self, next: Self, b: &mut Building) {
        *self = next;
        b.controlled = next != Self::NONE;
    }

    /// The facility's load under these controls, from its load without them (`natural_kw` >= 0).
    #[inline]
    pub fn load_kw(&self, b: &Building, natural_kw: f64) -> f64 {
        // Price response scales the flexible part; shed and caps come from program events.
        let priced = natural_kw + natural_kw * b.flexible_share * (self.flex_factor - 1.0);
        ((priced - self.shed_kw).max(0.0).min(self.cap_kw) + self.extra_kw).max(0.0)
    }
}

impl Default for FacilityControls {
    fn default() -> Self {
        Self::NONE
    }
}

/// When a segment's facilities are open and how their HVAC follows the weather.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BuildingSchedule {
    /// Outdoor temperature where HVAC load starts, °C.
    pub balance_c: f64,
    /// Outdoor temperature where HVAC reaches `hvac_kw`, °C.
    pub design_c: f64,
    /// Opening hour.
    pub open_h: f64,
    /// Closing hour.
    pub close_h: f64,
    /// Spread of the buildings' hours around the opening and closing hours, hours.
    pub spread_h: f64,
    /// Occupied-load share on weekends and holidays.
    pub weekend_factor: f64,
    /// Noise share of occupied and process load.
    pub noise_share: f64,
}

/// A segment's factors at one instant: occupancy (0..1) and the share of design HVAC load.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Factors {
    /// Occupancy.
    pub occupancy: f64,
    /// Share of design HVAC load.
    pub hvac: f64,
    /// Noise share.
    pub noise: f64,
}

/// Whether a building with exactly the schedule's hours is open at `hour`.
fn is_open(s: &BuildingSchedule, hour: f64) -> bool {
    let hour = hour.rem_euclid(24.0);
    if s.open_h <= s.close_h { hour >= s.open_h && hour < s.close_h } else { hour >= s.open_h || hour < s.close_h }
}

/// Points over which the spread of opening hours is averaged.
const SPREAD_POINTS: u32 = 24;

/// Occupancy factor (0..1) at an hour of a day type: the share of the segment's buildings open,
/// each shifted by an offset spread evenly over `spread_h` (midpoint rule).
pub fn occupancy(s: &BuildingSchedule, hour: f64, day_type: DayType) -> f64 {
    let f = if s.spread_h <= 0.0 {
        if is_open(s, hour) { 1.0 } else { 0.0 }
    } else {
        let n = SPREAD_POINTS;
        let open = (0..n)
            .filter(|k| is_open(s, hour + s.spread_h * ((f64::from(*k) + 0.5) / f64::from(n) - 0.5)))
            .count();
        open as f64 / f64::from(n)
    };
    match day_type {
        DayType::Weekday => f,
        DayType::Weekend | DayType::Holiday => f * s.weekend_factor,
    }
}

/// Share of design HVAC load at an outdoor temperature and occupancy (some cooling runs when closed).
pub fn hvac_factor(s: &BuildingSchedule, tout_c: f64, occupancy: f64) -> f64 {
    let t = ((tout_c - s.balance_c) / (s.design_c - s.balance_c)).clamp(0.0, 1.25);
    t * (0.4 + 0.6 * occupancy)
}

/// A schedule's factors at an instant.
pub fn factors(s: &BuildingSchedule, tout_c: f64, hour: f64, day_type: DayType) -> Factors {
    let occ = occupancy(s, hour, day_type);
    Factors { occupancy: occ, hvac: hvac_factor(s, tout_c, occ), noise: s.noise_share }
}

/// The factors of a facility's segment at this instant (all zero for a segment without any).
#[inline(always)]
pub fn segment_factors(factors: &[Factors], b: &Building) -> Factors {
    factors.get(usize::from(b.segment)).copied().unwrap_or_default()
}

/// Load expected without noise, kW.
#[inline]
pub fn expected_kw(b: &Building, f: Factors) -> f64 {
    b.base_kw + f.occupancy * b.occupied_kw + f.hvac * b.hvac_kw + b.process_kw
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> (Building, BuildingSchedule) {
        (
            Building {
                base_kw: 10.0,
                occupied_kw: 20.0,
                hvac_kw: 30.0,
                process_kw: 0.0,
                flexible_share: 0.1,
                noise: AgentStream::default(),
                segment: 0,
                controlled: false,
            },
            BuildingSchedule {
                balance_c: 16.0,
                design_c: 36.0,
                open_h: 7.0,
                close_h: 19.0,
                spread_h: 0.0,
                weekend_factor: 0.5,
                noise_share: 0.0,
            },
        )
    }

    #[test]
    fn load_is_base_when_closed_and_cool_and_full_when_open_at_design_heat() {
        let (b, s) = shop();
        assert_eq!(expected_kw(&b, factors(&s, 10.0, 3.0, DayType::Weekday)), 10.0);
        assert_eq!(expected_kw(&b, factors(&s, 36.0, 12.0, DayType::Weekday)), 60.0);
        // Weekend: half the occupied load, HVAC scaled by (0.4 + 0.6 * 0.5).
        assert!(
            (expected_kw(&b, factors(&s, 36.0, 12.0, DayType::Weekend)) - (10.0 + 10.0 + 30.0 * 0.7)).abs() < 1e-12
        );
    }

    #[test]
    fn without_controls_the_load_is_the_natural_load_exactly() {
        let (mut b, _) = shop();
        let mut c = FacilityControls::default();
        for natural in [0.0, 1e-300, 0.1, 1.0 / 3.0, 47.25, 1e12] {
            assert_eq!(c.load_kw(&b, natural).to_bits(), natural.to_bits());
        }
        c.apply(FacilityControls { shed_kw: 5.0, ..FacilityControls::NONE }, &mut b);
        assert!(b.controlled);
        assert_eq!(c.load_kw(&b, 47.0), 42.0);
        c.apply(FacilityControls { cap_kw: 30.0, extra_kw: 2.0, ..FacilityControls::NONE }, &mut b);
        assert_eq!(c.load_kw(&b, 47.0), 32.0);
        // A 20% price response on a 10% flexible share.
        c.apply(FacilityControls { flex_factor: 0.8, ..FacilityControls::NONE }, &mut b);
        assert!((c.load_kw(&b, 50.0) - 49.0).abs() < 1e-12);
        c.apply(FacilityControls::NONE, &mut b);
        assert!(!b.controlled);
    }

    #[test]
    fn spread_hours_ramp_occupancy_evenly_through_the_closing_hour() {
        let (_, mut s) = shop();
        s.spread_h = 2.0;
        // Half the buildings have closed at the stated hour, all an hour later, none an hour before.
        assert_eq!(occupancy(&s, 19.0, DayType::Weekday), 0.5);
        assert_eq!(occupancy(&s, 18.0, DayType::Weekday), 1.0);
        assert_eq!(occupancy(&s, 20.0, DayType::Weekday), 0.0);
        assert_eq!(occupancy(&s, 18.5, DayType::Weekday), 0.75);
        assert_eq!(occupancy(&s, 7.0, DayType::Weekday), 0.5);
        // Summed over a day, the open hours are the same as without the spread.
        let total = |s: &BuildingSchedule| (0..2400).map(|m| occupancy(s, f64::from(m) / 100.0, DayType::Weekday)).sum::<f64>();
        let mut sharp = s;
        sharp.spread_h = 0.0;
        assert!((total(&s) - total(&sharp)).abs() < 1e-9, "{} {}", total(&s), total(&sharp));
    }

    #[test]
    fn overnight_opening_hours_wrap() {
        let (_, mut s) = shop();
        s.open_h = 22.0;
        s.close_h = 6.0;
        assert_eq!(occupancy(&s, 23.0, DayType::Weekday), 1.0);
        assert_eq!(occupancy(&s, 3.0, DayType::Weekday), 1.0);
        assert_eq!(occupancy(&s, 12.0, DayType::Weekday), 0.0);
    }
}
