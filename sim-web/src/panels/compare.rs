//! Compare: two program designs run with the same seed, side by side — A the book as the scenario
//! writes it, B with the editor's changes — and the differences that matter.

use super::{TimeAxis, alert_bands, fmt_num};
use crate::app::DashApp;
use crate::run::RunJob;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};
use sim_core::{AlertLevel, RunSummary};

/// Indoor temperature above which homes count as uncomfortable, °C.
pub const COMFORT_LIMIT_C: f64 = 26.0;

/// The figures compared, from a finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// Highest system load, MW.
    pub peak_mw: f64,
    /// Demand response delivered at the system peak (all programs), MW.
    pub dr_at_peak_mw: f64,
    /// Hours at EEA 1 or worse.
    pub eea_hours: f64,
    /// Hours at EEA 3 (rotating outages possible).
    pub eea3_hours: f64,
    /// Energy not served, MWh.
    pub unserved_mwh: f64,
    /// Lowest reserve margin, %.
    pub min_margin_pct: f64,
    /// Money the programs cost (settlement fields), $, when the summary has them.
    pub cost_usd: Option<f64>,
    /// Events called.
    pub events: u64,
    /// Hottest mean indoor temperature of homes with A/C, °C.
    pub max_indoor_c: f64,
    /// Degree-hours of the homes' mean indoor temperature above the comfort limit, °C·h.
    pub discomfort_ch: f64,
    /// Customers who opted out or overrode (summed over events).
    pub opt_outs: f64,
}

impl Figures {
    /// The figures of a run (its summary and recorded steps).
    pub fn of(job: &RunJob, s: &RunSummary) -> Figures {
        let steps = job.sim.steps();
        let eea = |l: AlertLevel| s.alert_hours_at_or_above.get(&l).copied().unwrap_or(0.0);
        Figures {
            peak_mw: s.peak_system_load_mw,
            dr_at_peak_mw: s.programs.values().map(|p| p.mw_at_system_peak).sum(),
            eea_hours: eea(AlertLevel::Eea1),
            eea3_hours: eea(AlertLevel::Eea3),
            unserved_mwh: s.unserved_energy_mwh,
            min_margin_pct: s.min_reserve_margin_pct,
            cost_usd: super::settlement::total_cost(s),
            events: s.programs.values().map(|p| p.events_called).sum(),
            max_indoor_c: steps.iter().map(|x| x.mean_indoor_temp_c).filter(|x| x.is_finite()).fold(f64::NAN, f64::max),
            discomfort_ch: steps
                .iter()
                .map(|x| (x.mean_indoor_temp_c - COMFORT_LIMIT_C).max(0.0))
                .filter(|x| x.is_finite())
                .sum::<f64>()
                * job.dt_h,
            opt_outs: s.programs.values().map(|p| p.opt_outs + p.overrides).sum(),
        }
    }

    /// (label, A, B, decimals, lower is better) rows.
    pub fn rows(a: &Figures, b: &Figures) -> Vec<(&'static str, f64, f64, usize, bool)> {
        vec![
            ("Peak system load (MW)", a.peak_mw, b.peak_mw, 0, true),
            ("DR delivered at the peak (MW)", a.dr_at_peak_mw, b.dr_at_peak_mw, 1, false),
            ("Hours at EEA 1 or worse", a.eea_hours, b.eea_hours, 2, true),
            ("Hours at EEA 3", a.eea3_hours, b.eea3_hours, 2, true),
            ("Unserved energy (MWh)", a.unserved_mwh, b.unserved_mwh, 1, true),
            ("Lowest reserve margin (%)", a.min_margin_pct, b.min_margin_pct, 2, false),
            ("Program cost ($)", a.cost_usd.unwrap_or(f64::NAN), b.cost_usd.unwrap_or(f64::NAN), 0, true),
            ("Events called", a.events as f64, b.events as f64, 0, false),
            ("Comfort: hottest mean indoor °C", a.max_indoor_c, b.max_indoor_c, 2, true),
            ("Comfort: degree-hours above 26 °C", a.discomfort_ch, b.discomfort_ch, 1, true),
            ("Opt-outs + overrides", a.opt_outs, b.opt_outs, 0, true),
        ]
    }
}

/// The Compare panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    ui.heading("Compare: A = the book, B = your edited book (same scenario, same seed)");
    ui.horizontal_wrapped(|ui| {
        let r = ui.add_enabled(app.next.is_ok() && app.base.is_ok(), egui::Button::new("Run A and B"));
        app.target("compare:run", &r);
        if r.clicked() {
            app.start_compare();
        }
        if app.edits.values.is_empty() {
            ui.label(
                RichText::new("B has no edits yet: change a rule in Program editor first.")
                    .color(Color32::from_rgb(200, 120, 20)),
            );
        } else {
            let keys: Vec<String> = app.overrides().iter().map(crate::share::override_text).collect();
            ui.label(format!("B: {}", keys.join("  ")));
        }
    });
    let runner = app.runner.clone();
    let runner = runner.borrow();
    let Some([a, b]) = &runner.compare else {
        ui.add_space(10.0);
        ui.label("Press Run A and B.");
        return;
    };
    ui.horizontal(|ui| {
        for j in [a, b] {
            ui.add(egui::ProgressBar::new(j.progress()).desired_width(300.0).text(format!(
                "{}: {:.0} %",
                j.label,
                100.0 * j.progress()
            )));
        }
    });
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if let (Some(sa), Some(sb)) = (&a.summary, &b.summary) {
            let fa = Figures::of(a, sa);
            let fb = Figures::of(b, sb);
            table(ui, &fa, &fb);
        } else {
            ui.label("The table appears when both runs are done.");
        }
        ui.add_space(8.0);
        overlay(ui, a, b);
    });
}

fn table(ui: &mut egui::Ui, a: &Figures, b: &Figures) {
    let rows = Figures::rows(a, b);
    let differs =
        rows.iter().any(|(_, x, y, d, _)| x.is_finite() && y.is_finite() && fmt_num(*x, *d) != fmt_num(*y, *d));
    egui::Grid::new("compare-table").striped(true).num_columns(4).spacing([16.0, 6.0]).show(ui, |ui| {
        for h in ["", "A: the book", "B: edited", "B - A"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for (label, x, y, d, lower_better) in rows {
            ui.label(label);
            ui.label(fmt_num(x, d));
            ui.label(fmt_num(y, d));
            let diff = y - x;
            if !diff.is_finite() {
                ui.label(RichText::new("n/a (no settlement fields yet)").weak());
            } else if fmt_num(diff.abs(), d) == fmt_num(0.0, d) {
                ui.label(RichText::new("same").weak());
            } else {
                let better = (diff < 0.0) == lower_better;
                let c = if better { Color32::from_rgb(40, 150, 60) } else { Color32::from_rgb(210, 50, 40) };
                ui.colored_label(c, format!("{}{}", if diff > 0.0 { "+" } else { "" }, fmt_num(diff, d)));
            }
            ui.end_row();
        }
    });
    ui.label(if differs {
        RichText::new("B differs from A.").strong()
    } else {
        RichText::new("A and B give the same results.").weak()
    });
}

fn overlay(ui: &mut egui::Ui, a: &RunJob, b: &RunJob) {
    let sa = a.sim.steps();
    let sb = b.sim.steps();
    let axis = TimeAxis::of(if sa.len() >= sb.len() { sa } else { sb });
    let total_h = a.sim.clock().steps_total as f64 * a.dt_h;
    let pts = |steps: &[sim_core::StepRecord], dt: f64| -> PlotPoints<'static> {
        steps.iter().enumerate().map(|(i, s)| [i as f64 * dt, s.system_load_mw / 1000.0]).collect()
    };
    ui.heading("System load: A vs B (bands: B's alerts)");
    Plot::new("compare-load")
        .height(300.0)
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("GW")
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .show(ui, |p| {
            alert_bands(p, sb, b.dt_h);
            p.line(Line::new("A: the book", pts(sa, a.dt_h)).color(Color32::from_rgb(31, 119, 180)));
            p.line(
                Line::new("B: edited", pts(sb, b.dt_h))
                    .color(Color32::from_rgb(255, 127, 14))
                    .style(LineStyle::dashed_loose()),
            );
        });
}
