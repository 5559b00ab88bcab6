//! The calibration report's figures: the published values it compares with (read only by the
//! report, never by the model), the runs each figure comes from, and how a run gives the figure.
//!
//! Front ends run the variants over seeds, call [`measure`] on each run and [`Row::of`] on the
//! values; the report is the rows.

use crate::grid::AlertLevel;
use crate::metrics::{RunSummary, StepRecord};
use crate::scenario::{NoFiles, Override, ScenarioErrors, ValidScenario, load_scenario};

/// The published figures (`data/calibration/published.csv`, with their sources).
pub const PUBLISHED_CSV: &str = include_str!("../data/calibration/published.csv");

/// The runs the figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// heatwave-2022 with the model declaring its own alerts.
    Heatwave2022Model,
    /// heatwave-2022 replaying CAISO's 2022 calendar.
    Heatwave2022Replay,
    /// summer-2020 with the model declaring its own alerts (and shedding load itself).
    Summer2020Model,
    /// summer-2020 replaying CAISO's 2020 calendar, rotating outages included.
    Summer2020Replay,
    /// synthetic-summer from July 5 to September 29 with no heat waves.
    NormalSummer,
}

impl Variant {
    /// Every variant, in report order.
    pub const ALL: [Variant; 5] = [
        Variant::Heatwave2022Model,
        Variant::Heatwave2022Replay,
        Variant::Summer2020Model,
        Variant::Summer2020Replay,
        Variant::NormalSummer,
    ];

    /// How the report names the run.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Heatwave2022Model => "heatwave-2022, model alerts",
            Variant::Heatwave2022Replay => "heatwave-2022, replayed alerts",
            Variant::Summer2020Model => "summer-2020, model alerts",
            Variant::Summer2020Replay => "summer-2020, replayed alerts",
            Variant::NormalSummer => "synthetic-summer, Jul 5-Sep 29, no heat waves",
        }
    }

    /// The variant's scenario, with `sets` applied on top.
    pub fn scenario(self, sets: &[Override]) -> Result<ValidScenario, ScenarioErrors> {
        let shipped = |n: &str| crate::data::scenario(n).unwrap_or_default().to_string();
        let model = |n: &str, cal: &str| {
            shipped(n)
                .replace("alerts_from = \"calendar\"", "alerts_from = \"model\"")
                .replace(&format!("calendar = \"builtin:{cal}\"\n"), "")
        };
        let (name, text, extra): (&str, String, &[&str]) = match self {
            Variant::Heatwave2022Model => ("heatwave-2022.toml", model("heatwave-2022.toml", "caiso-2022"), &[]),
            Variant::Heatwave2022Replay => ("heatwave-2022.toml", shipped("heatwave-2022.toml"), &[]),
            Variant::Summer2020Model => ("summer-2020.toml", model("summer-2020.toml", "caiso-2020"), &[]),
            Variant::Summer2020Replay => ("summer-2020.toml", shipped("summer-2020.toml"), &[]),
            Variant::NormalSummer => (
                "synthetic-summer.toml",
                shipped("synthetic-summer.toml"),
                &[
                    "start=2023-07-05",
                    "end=2023-09-29",
                    "weather.heat_wave.onset_prob_by_month=[0,0,0,0,0,0,0,0,0,0,0,0]",
                ],
            ),
        };
        let mut all: Vec<Override> =
            extra.iter().filter_map(|s| crate::scenario::parse_override(s).ok()).collect::<Vec<_>>();
        all.extend(sets.iter().cloned());
        load_scenario(&text, name, &all, &NoFiles)
    }
}

/// How close the model must come.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    /// Within ± this share of the published value, %.
    Pct(f64),
    /// Within ± this many minutes of the published time.
    Minutes(f64),
    /// At most this value.
    AtMost(f64),
}

impl Tolerance {
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Some(v) = s.strip_prefix("at most ") {
            return v.trim().parse().ok().map(Tolerance::AtMost);
        }
        let v = s.strip_prefix('±')?;
        if let Some(p) = v.strip_suffix('%') {
            return p.trim().parse().ok().map(Tolerance::Pct);
        }
        v.strip_suffix("min").and_then(|m| m.trim().parse().ok()).map(Tolerance::Minutes)
    }

    /// Whether `simulated` passes against `published`.
    pub fn passes(self, published: f64, simulated: f64) -> bool {
        simulated.is_finite()
            && match self {
                Tolerance::Pct(p) => (simulated - published).abs() <= p / 100.0 * published.abs(),
                Tolerance::Minutes(m) => (simulated - published).abs() <= m,
                Tolerance::AtMost(v) => simulated <= v + 1e-9,
            }
    }
}

/// A published figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Identifier (the `calibration.csv` key).
    pub id: String,
    /// What it is.
    pub figure: String,
    /// The published value (times as minutes after local midnight).
    pub published: f64,
    /// The published value as written (`16:58`, `52061`).
    pub published_text: String,
    /// Unit (`local time` for times).
    pub unit: String,
    /// The tolerance as written, and parsed.
    pub tolerance_text: String,
    /// The tolerance.
    pub tolerance: Tolerance,
    /// Where the figure was published.
    pub source: String,
    /// The run it comes from.
    pub variant: Variant,
}

impl Figure {
    /// Whether the figure is a time of day.
    pub fn is_time(&self) -> bool {
        self.unit == "local time"
    }
}

#[derive(serde::Deserialize)]
struct FigureRow {
    id: String,
    figure: String,
    published: String,
    unit: String,
    tolerance: String,
    source: String,
}

/// The published figures, in the file's order. Every row is known to the code (a test holds it).
pub fn figures() -> Vec<Figure> {
    let mut r = csv::Reader::from_reader(PUBLISHED_CSV.as_bytes());
    r.deserialize::<FigureRow>()
        .filter_map(Result::ok)
        .filter_map(|f| {
            let published = if f.unit == "local time" {
                crate::time::parse_hhmm(&f.published).ok().map(f64::from)
            } else {
                f.published.parse().ok()
            }?;
            Some(Figure {
                variant: variant_of(&f.id)?,
                tolerance: Tolerance::parse(&f.tolerance)?,
                published,
                published_text: f.published,
                tolerance_text: f.tolerance,
                id: f.id,
                figure: f.figure,
                unit: f.unit,
                source: f.source,
            })
        })
        .collect()
}

/// The run a figure comes from.
fn variant_of(id: &str) -> Option<Variant> {
    Some(match id {
        "peak_2022_09_06"
        | "peak_time_2022_09_06"
        | "net_peak_2022_09_06"
        | "net_peak_time_2022_09_06"
        | "eea1_start_2022_09_05"
        | "eea2_start_2022_09_06"
        | "eea3_start_2022_09_06"
        | "shed_2022" => Variant::Heatwave2022Model,
        "text_alert_5_min" | "text_alert_30_min" | "replay_eea3_margin_2022" => Variant::Heatwave2022Replay,
        "eea3_start_2020_08_14"
        | "eea3_start_2020_08_15"
        | "shed_2020_08_14"
        | "shed_2020_08_15"
        | "shed_2020_other_days" => Variant::Summer2020Model,
        "customers_out_2020_08_14" | "customers_out_2020_08_15" => Variant::Summer2020Replay,
        "typical_weekday_peak" => Variant::NormalSummer,
        _ => return None,
    })
}

fn on(s: &StepRecord, date: &str) -> bool {
    s.time.date.to_string() == date
}

/// The step of a day with the highest value of `f`.
fn day_max<'a>(steps: &'a [StepRecord], date: &str, f: impl Fn(&StepRecord) -> f64) -> Option<&'a StepRecord> {
    steps.iter().filter(|s| on(s, date)).fold(None, |b: Option<&StepRecord>, s| match b {
        Some(b) if f(b) >= f(s) => Some(b),
        _ => Some(s),
    })
}

/// When a level (or a higher one) was first in effect on a day, minutes after local midnight.
fn first_at_or_above(steps: &[StepRecord], date: &str, level: AlertLevel) -> Option<f64> {
    steps.iter().find(|s| on(s, date) && s.alert >= level).map(|s| f64::from(s.time.minute_of_day))
}

/// The drop in load (conservation) over `minutes` after the text alert: the first jump in
/// conservation of more than 300 MW in a step.
fn text_alert_drop(steps: &[StepRecord], step_minutes: u32, minutes: u32) -> Option<f64> {
    let i = steps.windows(2).position(|w| w[1].conservation_mw - w[0].conservation_mw > 300.0)?;
    let k = (minutes / step_minutes.max(1)) as usize;
    Some(steps.get(i + k)?.conservation_mw - steps[i].conservation_mw)
}

/// Figure `id` of a run (`None` when the run does not have it: no EEA 3 that day, say).
pub fn measure(id: &str, steps: &[StepRecord], summary: &RunSummary) -> Option<f64> {
    let net = |s: &StepRecord| s.system_load_mw - s.solar_mw - s.wind_mw;
    let load = |s: &StepRecord| s.system_load_mw;
    let day = |d: &str| summary.outages.iter().find(|o| o.date == d);
    match id {
        "peak_2022_09_06" => day_max(steps, "2022-09-06", load).map(load),
        "peak_time_2022_09_06" => day_max(steps, "2022-09-06", load).map(|s| f64::from(s.time.minute_of_day)),
        "net_peak_2022_09_06" => day_max(steps, "2022-09-06", net).map(net),
        "net_peak_time_2022_09_06" => day_max(steps, "2022-09-06", net).map(|s| f64::from(s.time.minute_of_day)),
        "eea1_start_2022_09_05" => first_at_or_above(steps, "2022-09-05", AlertLevel::Eea1),
        "eea2_start_2022_09_06" => first_at_or_above(steps, "2022-09-06", AlertLevel::Eea2),
        "eea3_start_2022_09_06" => first_at_or_above(steps, "2022-09-06", AlertLevel::Eea3),
        "shed_2022" | "shed_2020_other_days" => {
            let keep = |d: &str| id == "shed_2022" || (d != "2020-08-14" && d != "2020-08-15");
            Some(summary.outages.iter().filter(|o| keep(&o.date)).map(|o| o.unserved_mwh).sum())
        }
        "text_alert_5_min" => text_alert_drop(steps, summary.step_minutes, 5),
        "text_alert_30_min" => text_alert_drop(steps, summary.step_minutes, 30),
        "replay_eea3_margin_2022" => steps
            .iter()
            .filter(|s| on(s, "2022-09-06") && s.alert == AlertLevel::Eea3)
            .map(|s| s.reserve_margin_pct)
            .reduce(f64::min),
        "eea3_start_2020_08_14" => first_at_or_above(steps, "2020-08-14", AlertLevel::Eea3),
        "eea3_start_2020_08_15" => first_at_or_above(steps, "2020-08-15", AlertLevel::Eea3),
        "shed_2020_08_14" => Some(day("2020-08-14").map_or(0.0, |o| o.peak_shed_mw)),
        "shed_2020_08_15" => Some(day("2020-08-15").map_or(0.0, |o| o.peak_shed_mw)),
        "customers_out_2020_08_14" => day("2020-08-14").map(|o| o.system_customers_out),
        "customers_out_2020_08_15" => day("2020-08-15").map(|o| o.system_customers_out),
        "typical_weekday_peak" => {
            let mut peaks: std::collections::BTreeMap<i64, f64> = std::collections::BTreeMap::new();
            for s in steps.iter().filter(|s| s.time.day_type == crate::time::DayType::Weekday) {
                let e = peaks.entry(s.time.day).or_insert(0.0);
                *e = e.max(s.system_load_mw);
            }
            let mut v: Vec<f64> = peaks.into_values().collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied()
        }
        _ => None,
    }
}

/// A figure's result over the seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Runs that had the figure.
    pub present: usize,
    /// Runs in all.
    pub runs: usize,
    /// Mean over the runs that had it.
    pub mean: f64,
    /// 5th and 95th percentiles over those runs (the 90 % band).
    pub band: (f64, f64),
    /// (mean - published) / published, % (NaN for times, whose error is in minutes).
    pub error_pct: f64,
    /// Whether it passes: the mean within the tolerance, and the figure in at least 90 % of runs.
    pub pass: bool,
}

impl Row {
    /// The row of `f` for the values of its runs.
    pub fn of(f: &Figure, values: &[Option<f64>]) -> Self {
        let mut v: Vec<f64> = values.iter().flatten().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let mean = if v.is_empty() { f64::NAN } else { v.iter().sum::<f64>() / v.len() as f64 };
        let q = |p: f64| {
            if v.is_empty() {
                f64::NAN
            } else {
                // Linear interpolation between order statistics.
                let x = p * (v.len() - 1) as f64;
                let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
                v[lo] + (v[hi] - v[lo]) * (x - lo as f64)
            }
        };
        let error_pct =
            if f.is_time() || f.published == 0.0 { f64::NAN } else { (mean - f.published) / f.published * 100.0 };
        let enough = !values.is_empty() && v.len() * 10 >= values.len() * 9;
        Row {
            present: v.len(),
            runs: values.len(),
            mean,
            band: (q(0.05), q(0.95)),
            error_pct,
            pass: enough && f.tolerance.passes(f.published, mean),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_figure_is_read_and_known() {
        let rows = PUBLISHED_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
        let f = figures();
        assert_eq!(f.len(), rows, "a row of published.csv is unknown or malformed");
        let peak = f.iter().find(|x| x.id == "peak_time_2022_09_06").expect("peak time");
        assert_eq!(peak.published, f64::from(16 * 60 + 58));
        assert_eq!(peak.tolerance, Tolerance::Minutes(30.0));
    }

    #[test]
    fn a_row_passes_on_its_mean_and_needs_the_figure_in_nine_runs_of_ten() {
        let f = Figure {
            id: "x".into(),
            figure: "x".into(),
            published: 100.0,
            published_text: "100".into(),
            unit: "MW".into(),
            tolerance_text: "±10%".into(),
            tolerance: Tolerance::Pct(10.0),
            source: String::new(),
            variant: Variant::NormalSummer,
        };
        let r = Row::of(&f, &[Some(95.0), Some(105.0), Some(112.0)]);
        assert_eq!((r.present, r.runs), (3, 3));
        assert!((r.mean - 104.0).abs() < 1e-12 && (r.error_pct - 4.0).abs() < 1e-9 && r.pass);
        // 5th percentile of 95, 105, 112: 95 + 0.1 × 10.
        assert!((r.band.0 - 96.0).abs() < 1e-12, "{:?}", r.band);
        // A figure missing from a run in three fails, whatever the mean.
        assert!(!Row::of(&f, &[Some(100.0), Some(100.0), None]).pass);
        assert!(!Row::of(&f, &[Some(120.0)]).pass);
        assert!(Tolerance::AtMost(0.0).passes(0.0, 0.0) && !Tolerance::AtMost(0.0).passes(0.0, 0.1));
    }
}
