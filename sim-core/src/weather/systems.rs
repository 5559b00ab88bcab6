//! The weather resource and the Observe-phase system that sets this step's temperature.

use super::rules::{DailyTemps, diurnal, generate_days, sine};
use crate::rng::SimRng;
use crate::scenario::{HourlyTemp, ValidScenario, WeatherConfig};
use crate::time::{Clock, LocalStamp, day_number};
use bevy_ecs::prelude::*;

#[derive(Clone, Debug)]
enum Source {
    Days,
    Hourly(Vec<HourlyTemp>),
    Sine { mean_c: f64, amplitude_c: f64, peak_hour: f64 },
}

/// Days of weather kept before the run's first day: the settlement baselines look back 45 days.
pub const HISTORY_DAYS: i64 = 46;

/// Outdoor temperature (downtown Los Angeles) and the daily extremes around the run.
#[derive(Resource, Clone, Debug)]
pub struct Weather {
    source: Source,
    /// Day number (days since 1970-01-01) of `days[0]`.
    first_day: i64,
    days: Vec<DailyTemps>,
    /// Day-ahead forecast error of each day's high, °C.
    forecast_error_c: Vec<f64>,
    /// This step's outdoor temperature, °C.
    pub temp_c: f64,
}

impl Weather {
    /// Builds the weather for a scenario: days from [`HISTORY_DAYS`] before the run (the
    /// settlement baselines' look-back) to two days after.
    pub fn new(scn: &ValidScenario, rng: &SimRng) -> Self {
        let first = (0..HISTORY_DAYS).fold(scn.first, |d, _| d.yesterday().unwrap_or(d));
        let n = (day_number(scn.last) - day_number(first) + 3) as usize;
        let first_day = day_number(first);
        let mut frng = rng.fork("weather/forecast");
        let (sd, source, mut days) = match &scn.scenario().weather {
            WeatherConfig::Stochastic(cfg) => {
                let g = generate_days(cfg, first, n, &mut rng.fork("weather"));
                (cfg.forecast_error_sd_c, Source::Days, g.days)
            }
            WeatherConfig::Replay(r) => {
                let series = scn.weather_series.clone().unwrap_or_default();
                let days = daily_extremes(&series, first_day, n, scn);
                (r.forecast_error_sd_c, Source::Hourly(series), days)
            }
            WeatherConfig::Sine(s) => {
                let d = DailyTemps { high_c: s.mean_c + s.amplitude_c, low_c: s.mean_c - s.amplitude_c };
                (
                    0.0,
                    Source::Sine { mean_c: s.mean_c, amplitude_c: s.amplitude_c, peak_hour: s.peak_hour },
                    vec![d; n],
                )
            }
        };
        for (date, hi, lo) in &scn.day_overrides {
            let i = day_number(*date) - first_day;
            if (0..n as i64).contains(&i) {
                days[i as usize] = DailyTemps { high_c: *hi, low_c: *lo };
            }
        }
        let forecast_error_c = (0..n).map(|_| sd * crate::dist::std_normal(&mut frng)).collect();
        let mut w = Self { source, first_day, days, forecast_error_c, temp_c: 0.0 };
        w.temp_c = w.temp_at(&scn.clock.now);
        w
    }

    /// The extremes of a day (by day number), if within the generated range.
    pub fn day(&self, day: i64) -> Option<DailyTemps> {
        let i = day - self.first_day;
        (0..self.days.len() as i64).contains(&i).then(|| self.days[i as usize])
    }

    /// The day-ahead forecast of a day's extremes (actual plus forecast error; lows err 60% as much).
    pub fn forecast(&self, day: i64) -> Option<DailyTemps> {
        let d = self.day(day)?;
        let e = self.forecast_error_c[(day - self.first_day) as usize];
        Some(DailyTemps { high_c: d.high_c + e, low_c: d.low_c + 0.6 * e })
    }

    /// Temperature at a local instant inside the run.
    pub fn temp_at(&self, t: &LocalStamp) -> f64 {
        match &self.source {
            Source::Sine { mean_c, amplitude_c, peak_hour } => sine(*mean_c, *amplitude_c, *peak_hour, t.hour_f64()),
            Source::Hourly(series) => match (series.first(), series.last()) {
                (Some(a), Some(b)) if t.utc_s >= a.utc_s - 3600 && t.utc_s <= b.utc_s + 3600 => {
                    interpolate(series, t.utc_s)
                }
                // Before or after the file (the look-back before a run): climate normals.
                _ => self.diurnal_on(t.day, t.hour_f64(), |d| self.day(d)),
            },
            Source::Days => self.diurnal_on(t.day, t.hour_f64(), |d| self.day(d)),
        }
    }

    /// Forecast temperature at hour `hour` of day `day` (from the forecast extremes).
    pub fn forecast_temp(&self, day: i64, hour: f64) -> f64 {
        self.diurnal_on(day, hour, |d| self.forecast(d))
    }

    fn diurnal_on(&self, day: i64, hour: f64, get: impl Fn(i64) -> Option<DailyTemps>) -> f64 {
        let today = get(day).unwrap_or(DailyTemps { high_c: 25.0, low_c: 15.0 });
        let prev = get(day - 1).unwrap_or(today);
        let next = get(day + 1).unwrap_or(today);
        diurnal(prev.high_c, today, next.low_c, hour)
    }
}

fn interpolate(series: &[HourlyTemp], utc_s: i64) -> f64 {
    let i = series.partition_point(|h| h.utc_s <= utc_s);
    match (i.checked_sub(1).and_then(|j| series.get(j)), series.get(i)) {
        (Some(a), Some(b)) => {
            let w = (utc_s - a.utc_s) as f64 / (b.utc_s - a.utc_s) as f64;
            a.temp_c + (b.temp_c - a.temp_c) * w
        }
        (Some(a), None) => a.temp_c,
        (None, Some(b)) => b.temp_c,
        (None, None) => 20.0,
    }
}

fn daily_extremes(series: &[HourlyTemp], first_day: i64, n: usize, scn: &ValidScenario) -> Vec<DailyTemps> {
    let mut days = vec![(f64::NEG_INFINITY, f64::INFINITY); n];
    {
        let c = &scn.clock;
        for h in series {
            if let Some(l) = c.local(h.utc_s) {
                let i = l.day - first_day;
                if (0..n as i64).contains(&i) {
                    let e = &mut days[i as usize];
                    e.0 = e.0.max(h.temp_c);
                    e.1 = e.1.min(h.temp_c);
                }
            }
        }
    }
    // Days outside the file take the climate normals (downtown Los Angeles).
    let normals = crate::scenario::StochasticWeather::default();
    let mut out: Vec<DailyTemps> = Vec::with_capacity(n);
    let known: Vec<Option<DailyTemps>> =
        days.iter().map(|(hi, lo)| hi.is_finite().then_some(DailyTemps { high_c: *hi, low_c: *lo })).collect();
    for (i, k) in known.iter().enumerate() {
        let v = k.unwrap_or_else(|| {
            let date = crate::time::date_of_day(first_day + i as i64);
            DailyTemps {
                high_c: super::rules::normal_on(&normals.normal_high_c, date),
                low_c: super::rules::normal_on(&normals.normal_low_c, date),
            }
        });
        out.push(v);
    }
    out
}

/// Observe: sets this step's outdoor temperature.
pub fn weather_system(clock: Res<'_, Clock>, mut weather: ResMut<'_, Weather>) {
    let t = weather.temp_at(&clock.now);
    weather.temp_c = t;
}
