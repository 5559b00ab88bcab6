//! Agricultural pumps: kW from horsepower, a daily run block in the morning or the evening.

use bevy_ecs::prelude::*;

/// Kilowatts per horsepower.
pub const KW_PER_HP: f64 = 0.745_699_872;

/// Morning run blocks start uniformly in [MORNING.0, MORNING.1) hours.
pub const MORNING: (f64, f64) = (5.0, 10.0);
/// Evening run blocks start uniformly in [EVENING.0, EVENING.1) hours.
pub const EVENING: (f64, f64) = (18.0, 24.0);

/// An agricultural pump.
#[derive(Component, Clone, Debug, PartialEq)]
pub struct Pump {
    /// Electric load while running, kW.
    pub kw: f64,
    /// Run hours a day in season.
    pub hours_per_day: f64,
    /// Probability a day's run starts in the evening.
    pub night_share: f64,
    /// Bit m-1 set when the pump runs in month m.
    pub months_mask: u16,
    /// Interrupted by the utility this step (AP-I).
    pub interrupted: bool,
    /// The customer's id (for its schedule draws).
    pub id: u32,
    /// Start hours of today's and yesterday's run blocks.
    pub starts: (f64, f64),
    /// Day number `starts` were drawn for.
    pub starts_day: i64,
}

/// Electric kW of a motor of `hp` horsepower at `efficiency`.
pub fn pump_kw(hp: f64, efficiency: f64) -> f64 {
    hp * KW_PER_HP / efficiency
}

/// Length of the overlap of [a, b) and (c, d] on the 24-hour circle, hours.
///
/// Without branches (an empty overlap adds +0, which leaves the sum as it is): every pump takes
/// this path every step, with windows that overlap or not in no predictable order.
fn circular_overlap(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let mut total = 0.0;
    for k in [-24.0, 0.0, 24.0] {
        let lo = a.max(c + k);
        let hi = b.min(d + k);
        total += (hi - lo).max(0.0);
    }
    total
}

/// The day's run block start hour, from two uniform draws.
pub fn start_hour(night_share: f64, u_which: f64, u_start: f64) -> f64 {
    let (a, b) = if u_which < night_share { EVENING } else { MORNING };
    a + (b - a) * u_start
}

/// Whether a block starting at `start` (hours, may run past midnight) covers `hour` of the same day
/// (`offset` 0) or of the next day (`offset` 24).
pub fn covers(start: f64, hours: f64, hour: f64, offset: f64) -> bool {
    let h = hour + offset;
    (h >= start) & (h < start + hours)
}

/// Probability that a pump with this schedule is running at `hour`.
pub fn run_probability(p: &Pump, hour: f64) -> f64 {
    let hrs = p.hours_per_day.clamp(0.0, 24.0);
    let window = |(a, b): (f64, f64)| circular_overlap(a, b, hour - hrs, hour) / (b - a);
    p.night_share * window(EVENING) + (1.0 - p.night_share) * window(MORNING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_100_hp_motor_at_90_percent_draws_about_83_kw() {
        assert!((pump_kw(100.0, 0.9) - 82.855).abs() < 0.01);
    }

    #[test]
    fn run_probability_matches_a_monte_carlo_of_start_times() {
        let p = Pump {
            kw: 1.0,
            hours_per_day: 8.0,
            night_share: 0.4,
            months_mask: 0xfff,
            interrupted: false,
            id: 0,
            starts: (0.0, 0.0),
            starts_day: i64::MIN,
        };
        use rand::RngExt;
        use rand_chacha::rand_core::SeedableRng;
        let mut rng = rand_chacha::ChaCha12Rng::seed_from_u64(9);
        let n = 200_000;
        for hour in [0.5, 3.0, 7.5, 12.0, 17.0, 20.0, 23.5] {
            let mut hits = 0;
            for _ in 0..n {
                let s = start_hour(p.night_share, rng.random(), rng.random());
                if covers(s, p.hours_per_day, hour, 0.0) || covers(s, p.hours_per_day, hour, 24.0) {
                    hits += 1;
                }
            }
            let mc = f64::from(hits) / f64::from(n);
            assert!(
                (mc - run_probability(&p, hour)).abs() < 0.01,
                "hour {hour}: {mc} vs {}",
                run_probability(&p, hour)
            );
        }
    }
}
