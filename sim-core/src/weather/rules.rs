//! Pure weather functions: climate normals by day, daily anomalies and heat waves, diurnal shape.

use crate::scenario::StochasticWeather;
use crate::time::Date;
use rand::Rng;
use rand::RngExt;
use std::f64::consts::PI;

/// One day's extremes, °C.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DailyTemps {
    /// Daily maximum (reached at 15:00), °C.
    pub high_c: f64,
    /// Daily minimum (reached at 06:00), °C.
    pub low_c: f64,
}

/// Hour of the daily minimum in the diurnal shape.
pub const HOUR_OF_MIN: f64 = 6.0;
/// Hour of the daily maximum in the diurnal shape.
pub const HOUR_OF_MAX: f64 = 15.0;

/// A monthly normal interpolated to a date: monthly values sit at mid-month, linear in between.
pub fn normal_on(monthly: &[f64; 12], date: Date) -> f64 {
    let m = date.month() as usize - 1;
    let days = f64::from(date.days_in_month());
    let pos = (f64::from(date.day()) - 0.5) / days; // 0..1 through the month
    if pos < 0.5 {
        let prev = monthly[(m + 11) % 12];
        let w = pos + 0.5; // 0.5 at the 1st, 1.0 at mid-month
        prev + (monthly[m] - prev) * w
    } else {
        let next = monthly[(m + 1) % 12];
        let w = pos - 0.5;
        monthly[m] + (next - monthly[m]) * w
    }
}

/// Temperature at `hour` (0..24) of a day, from yesterday's high, today's low and high, and tomorrow's low.
///
/// Cosine segments: falling from yesterday's high (15:00) to today's low (06:00), rising to today's
/// high (15:00), falling towards tomorrow's low.
pub fn diurnal(prev_high: f64, today: DailyTemps, next_low: f64, hour: f64) -> f64 {
    let fall = 24.0 - HOUR_OF_MAX + HOUR_OF_MIN; // 15 h
    if hour < HOUR_OF_MIN {
        let x = (hour + 24.0 - HOUR_OF_MAX) / fall;
        today.low_c + (prev_high - today.low_c) * 0.5 * (1.0 + libm::cos(PI * x))
    } else if hour < HOUR_OF_MAX {
        let x = (hour - HOUR_OF_MIN) / (HOUR_OF_MAX - HOUR_OF_MIN);
        today.low_c + (today.high_c - today.low_c) * 0.5 * (1.0 - libm::cos(PI * x))
    } else {
        let x = (hour - HOUR_OF_MAX) / fall;
        next_low + (today.high_c - next_low) * 0.5 * (1.0 + libm::cos(PI * x))
    }
}

/// The fixed sinusoid `mean + amplitude sin(2 pi (h - (peak_hour - 6)) / 24)`.
///
/// Evaluated in the same order as the peer script `thermal_day.py` (`30 + 8 sin(2 pi (h - 10) / 24)`).
pub fn sine(mean_c: f64, amplitude_c: f64, peak_hour: f64, hour: f64) -> f64 {
    let phase = peak_hour - 6.0;
    mean_c + amplitude_c * libm::sin(2.0 * PI * (hour - phase) / 24.0)
}

/// A generated run of days: extremes, and whether each day is in a heat wave.
#[derive(Clone, Debug, Default)]
pub struct GeneratedDays {
    /// Extremes per day.
    pub days: Vec<DailyTemps>,
    /// Heat-wave flag per day.
    pub heat_wave: Vec<bool>,
}

/// Draws daily highs and lows for consecutive dates starting at `first`.
///
/// Anomalies follow an AR(1) process (persistence φ, stationary sd σ); heat waves start with the
/// month's onset probability, last `min_days..=max_days`, and add a warm anomaly that ramps up on
/// the first day and down on the last.
pub fn generate_days<R: Rng + ?Sized>(cfg: &StochasticWeather, first: Date, n: usize, rng: &mut R) -> GeneratedDays {
    let phi = cfg.anomaly_persistence;
    let innov = libm::sqrt(1.0 - phi * phi);
    let mut a_hi = 0.0;
    let mut a_lo = 0.0;
    let mut wave_left = 0u32;
    let mut wave_len = 0u32;
    let mut wave_amp = 0.0;
    let mut out = GeneratedDays::default();
    let mut date = first;
    for i in 0..n {
        if i > 0 {
            date = date.tomorrow().unwrap_or(date);
        }
        let z1 = crate::dist::std_normal(rng);
        let z2 = crate::dist::std_normal(rng);
        a_hi = phi * a_hi + innov * cfg.high_anomaly_sd_c * z1;
        // Nights follow days partly: correlation 0.6 between the two innovations.
        a_lo = phi * a_lo + innov * cfg.low_anomaly_sd_c * (0.6 * z1 + 0.8 * z2);
        let onset_u: f64 = rng.random();
        let len_u: f64 = rng.random();
        let amp = cfg.heat_wave.amplitude_c.sample(rng);
        if wave_left == 0 && onset_u < cfg.heat_wave.onset_prob_by_month[date.month() as usize - 1] {
            let span = cfg.heat_wave.max_days - cfg.heat_wave.min_days + 1;
            wave_len = cfg.heat_wave.min_days + ((len_u * f64::from(span)) as u32).min(span - 1);
            wave_left = wave_len;
            wave_amp = amp;
        }
        let mut extra = 0.0;
        if wave_left > 0 {
            let day_in = wave_len - wave_left; // 0-based
            let ramp = if day_in == 0 || wave_left == 1 { 0.6 } else { 1.0 };
            extra = wave_amp * ramp;
            wave_left -= 1;
        }
        let hi = normal_on(&cfg.normal_high_c, date) + a_hi + extra;
        let lo = (normal_on(&cfg.normal_low_c, date) + a_lo + extra * cfg.heat_wave.low_share).min(hi - 2.0);
        out.days.push(DailyTemps { high_c: hi, low_c: lo });
        out.heat_wave.push(extra > 0.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{HeatWaveConfig, StochasticWeather};
    use jiff::civil::date;
    use rand_chacha::ChaCha12Rng;
    use rand_chacha::rand_core::SeedableRng;

    fn la() -> StochasticWeather {
        toml::from_str::<StochasticWeather>("").expect("defaults")
    }

    #[test]
    fn mid_month_takes_the_monthly_normal_and_month_ends_blend() {
        let m = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0];
        // 15.5 of 31 days in July is exactly mid-month (day 16 at noon would be; day 16's 0.5 offset is 15.5/31).
        assert!((normal_on(&m, date(2022, 7, 16)) - 60.0).abs() < 1e-9);
        let end_july = normal_on(&m, date(2022, 7, 31));
        let start_aug = normal_on(&m, date(2022, 8, 1));
        assert!(end_july > 64.0 && start_aug < 66.0 && start_aug > end_july);
    }

    #[test]
    fn diurnal_shape_hits_low_at_six_and_high_at_fifteen_and_is_continuous() {
        let d = DailyTemps { high_c: 30.0, low_c: 18.0 };
        assert!((diurnal(29.0, d, 19.0, 6.0) - 18.0).abs() < 1e-12);
        assert!((diurnal(29.0, d, 19.0, 15.0) - 30.0).abs() < 1e-12);
        // Midnight from before equals midnight of the next day's formula with matching neighbours.
        let end = diurnal(29.0, d, 19.0, 23.999_999);
        let next = diurnal(30.0, DailyTemps { high_c: 31.0, low_c: 19.0 }, 18.0, 0.0);
        assert!((end - next).abs() < 1e-4, "{end} vs {next}");
    }

    #[test]
    fn sine_matches_the_peer_formula() {
        for t in 0..288u32 {
            let h = f64::from(t * 5) / 60.0;
            let peer = 30.0 + 8.0 * libm::sin(2.0 * PI * (h - 10.0) / 24.0);
            assert_eq!(sine(30.0, 8.0, 16.0, h).to_bits(), peer.to_bits());
        }
    }

    #[test]
    fn generated_summers_match_normals_on_average_and_contain_heat_waves() {
        let cfg = la();
        let mut rng = ChaCha12Rng::seed_from_u64(11);
        let mut aug_highs = vec![];
        let mut waves = 0;
        let years = 200;
        for _ in 0..years {
            let g = generate_days(&cfg, date(2022, 5, 1), 184, &mut rng);
            // August is days 92..123 from May 1.
            aug_highs.extend(g.days[92..123].iter().map(|d| d.high_c));
            waves += g.heat_wave.windows(2).filter(|w| !w[0] && w[1]).count() + usize::from(g.heat_wave[0]);
        }
        let mean = aug_highs.iter().sum::<f64>() / aug_highs.len() as f64;
        // August normal high 29.3 °C, plus the heat waves' contribution (about 0.5 °C).
        assert!((mean - 29.3).abs() < 1.2, "mean August high {mean}");
        let per_season = waves as f64 / f64::from(years);
        assert!((1.0..=4.0).contains(&per_season), "{per_season} heat waves a season");
        let hot_days = aug_highs.iter().filter(|h| **h > 35.0).count() as f64 / aug_highs.len() as f64;
        assert!(hot_days > 0.01 && hot_days < 0.15, "share of August days above 35 °C: {hot_days}");
    }

    #[test]
    fn no_heat_waves_when_onsets_are_zero() {
        let mut cfg = la();
        cfg.heat_wave = HeatWaveConfig { onset_prob_by_month: [0.0; 12], ..HeatWaveConfig::default() };
        let mut rng = ChaCha12Rng::seed_from_u64(2);
        let g = generate_days(&cfg, date(2022, 5, 1), 184, &mut rng);
        assert!(g.heat_wave.iter().all(|w| !w));
    }
}
