//! One file a panel, and what they share: colours, the time axis, alert bands.

pub mod compare;
pub mod customers;
pub mod editor;
pub mod grid;
pub mod market;
pub mod programs;
pub mod scenario;
pub mod settlement;
pub mod teach;

use crate::run::RunJob;
use eframe::egui::{self, Color32};
use egui_plot::{PlotUi, Span};
use sim_core::{AlertLevel, StepRecord};

/// Colour of an alert level's band (translucent) and label.
pub fn alert_color(l: AlertLevel) -> Color32 {
    match l {
        AlertLevel::None => Color32::from_rgb(120, 160, 120),
        AlertLevel::FlexAlert => Color32::from_rgb(240, 200, 60),
        AlertLevel::EeaWatch => Color32::from_rgb(245, 160, 40),
        AlertLevel::Eea1 => Color32::from_rgb(240, 110, 40),
        AlertLevel::Eea2 => Color32::from_rgb(220, 50, 40),
        AlertLevel::Eea3 => Color32::from_rgb(150, 20, 120),
    }
}

/// A distinct colour for series `i`.
pub fn series_color(i: usize) -> Color32 {
    const C: [Color32; 10] = [
        Color32::from_rgb(31, 119, 180),
        Color32::from_rgb(255, 127, 14),
        Color32::from_rgb(44, 160, 44),
        Color32::from_rgb(214, 39, 40),
        Color32::from_rgb(148, 103, 189),
        Color32::from_rgb(140, 86, 75),
        Color32::from_rgb(227, 119, 194),
        Color32::from_rgb(127, 127, 127),
        Color32::from_rgb(188, 189, 34),
        Color32::from_rgb(23, 190, 207),
    ];
    C[i % C.len()]
}

/// Plain words for an alert level.
pub fn alert_words(l: AlertLevel) -> &'static str {
    match l {
        AlertLevel::None => "no alert",
        AlertLevel::FlexAlert => "Flex Alert",
        AlertLevel::EeaWatch => "EEA Watch",
        AlertLevel::Eea1 => "EEA 1",
        AlertLevel::Eea2 => "EEA 2",
        AlertLevel::Eea3 => "EEA 3",
    }
}

/// Turns hours since the run's start into local clock text, from the recorded steps.
#[derive(Clone, Debug, Default)]
pub struct TimeAxis {
    days: Vec<String>,
    start_min: f64,
}

impl TimeAxis {
    /// The axis of a run's steps.
    pub fn of(steps: &[StepRecord]) -> TimeAxis {
        let Some(first) = steps.first() else {
            return TimeAxis::default();
        };
        let mut days = vec![];
        let mut last = None;
        for s in steps {
            if last != Some(s.time.date) {
                days.push(format!("{} {}", month_abbr(s.time.date.month()), s.time.date.day()));
                last = Some(s.time.date);
            }
        }
        TimeAxis { days, start_min: f64::from(first.time.minute_of_day) }
    }

    /// Clock text of `hours` since the start: `Sep 6 18:00`.
    pub fn label(&self, hours: f64) -> String {
        let m = (self.start_min + hours * 60.0).round();
        if m < 0.0 {
            return String::new();
        }
        let day = (m / 1440.0).floor() as usize;
        let mm = (m as i64).rem_euclid(1440);
        match self.days.get(day) {
            Some(d) => format!("{d} {:02}:{:02}", mm / 60, mm % 60),
            None => format!("+{day}d {:02}:{:02}", mm / 60, mm % 60),
        }
    }
}

fn month_abbr(m: i8) -> &'static str {
    const M: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    M[usize::try_from(m - 1).unwrap_or(0).min(11)]
}

/// Hours since the start of step `i`.
pub fn hours(i: usize, dt_h: f64) -> f64 {
    i as f64 * dt_h
}

/// Adds the alert levels as coloured vertical bands (x: hours since the first step).
pub fn alert_bands(plot: &mut PlotUi<'_>, steps: &[StepRecord], dt_h: f64) {
    alert_bands_from(plot, steps, 0.0, dt_h);
}

/// Adds the alert levels as coloured vertical bands, step `i` at `x0 + i * dt_h`.
pub fn alert_bands_from(plot: &mut PlotUi<'_>, steps: &[StepRecord], x0: f64, dt_h: f64) {
    let hours = |i: usize, dt: f64| x0 + hours(i, dt);
    let mut i = 0;
    while i < steps.len() {
        let l = steps[i].alert;
        let mut j = i;
        while j < steps.len() && steps[j].alert == l {
            j += 1;
        }
        if l != AlertLevel::None {
            let c = alert_color(l);
            plot.span(
                Span::new(alert_words(l), hours(i, dt_h)..=hours(j, dt_h))
                    .fill(Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), 60))
                    .border_width(0.0),
            );
        }
        i = j;
    }
}

/// A small legend of the alert colours.
pub fn alert_legend(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Alert bands:");
        for l in AlertLevel::ALL.into_iter().skip(1) {
            ui.colored_label(alert_color(l), alert_words(l));
        }
    });
}

/// A number with thousands separators and `d` decimals.
pub fn fmt_num(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", d, x.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut out = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if x < 0.0 && out.chars().any(|c| c != '0' && c != '.' && c != ',') {
        out.insert(0, '-');
    }
    out
}

/// Draws a panel of the main run with `f`, or tells the user there is no run yet.
pub fn with_main_run(app: &crate::app::DashApp, ui: &mut egui::Ui, f: impl FnOnce(&mut egui::Ui, &RunJob)) {
    let runner = app.runner.clone();
    let runner = runner.borrow();
    match &runner.main {
        Some(job) => f(ui, job),
        None => needs_run(ui),
    }
}

/// A note shown when a panel needs a run first.
pub fn needs_run(ui: &mut egui::Ui) {
    ui.add_space(20.0);
    ui.label("No run yet: press Run (top bar or Scenario panel) to simulate the scenario.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(fmt_num(52061.26, 1), "52,061.3");
        assert_eq!(fmt_num(-1234.0, 0), "-1,234");
        assert_eq!(fmt_num(12.0, 2), "12.00");
        assert_eq!(fmt_num(f64::NAN, 2), "–");
    }
}
