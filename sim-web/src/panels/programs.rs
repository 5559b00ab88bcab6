//! Programs: the true reduction delivered by each program (stacked), per-program results, and the
//! events table with called / refused and the reasons.

use super::{TimeAxis, alert_bands, fmt_num, hours, series_color};
use crate::app::DashApp;
use crate::run::RunJob;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{FilledArea, Legend, Plot};
use sim_core::{Status, hhmm};

/// Which rows of the events table to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Filter {
    #[default]
    All,
    Called,
    Refused,
}

/// The Programs panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    super::with_main_run(app, ui, |ui, job| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.heading("MW delivered by program (true reduction vs the no-event twin)");
            stacked_plot(ui, job, 300.0);
            ui.add_space(6.0);
            results_table(ui, job);
            ui.add_space(10.0);
            events_table(ui, job);
        });
    });
}

/// Reductions by program, stacked (negative values, i.e. snapback, are not stacked).
pub fn stacked_plot(ui: &mut egui::Ui, job: &RunJob, height: f32) {
    let steps = job.sim.steps();
    let ids = &job.sim.programs().ids();
    if !job.sim.has_counterfactual() {
        ui.label("This run has no counterfactual twin, so true reductions are not measured.");
        return;
    }
    let dt = job.dt_h;
    let xs: Vec<f64> = (0..steps.len()).map(|i| hours(i, dt)).collect();
    let mut lower = vec![0.0; steps.len()];
    let mut areas = vec![];
    for (p, id) in ids.iter().enumerate() {
        let upper: Vec<f64> = steps
            .iter()
            .zip(&lower)
            .map(|(s, lo)| lo + s.program_reduction_mw.get(p).copied().unwrap_or(0.0).max(0.0))
            .collect();
        if upper.iter().zip(&lower).any(|(u, l)| u > l) {
            areas.push((id.clone(), p, lower.clone(), upper.clone()));
        }
        lower = upper;
    }
    let axis = TimeAxis::of(steps);
    let total_h = job.sim.clock().steps_total as f64 * dt;
    Plot::new("stacked-programs")
        .height(height)
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("MW")
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .show(ui, |p| {
            alert_bands(p, steps, dt);
            for (id, i, lo, up) in &areas {
                let c = series_color(*i);
                p.add(FilledArea::new(id.as_str(), &xs, lo, up).fill_color(Color32::from_rgba_unmultiplied(
                    c.r(),
                    c.g(),
                    c.b(),
                    170,
                )));
            }
        });
    if areas.is_empty() {
        ui.label(RichText::new("No program has reduced load yet.").weak());
    }
}

fn results_table(ui: &mut egui::Ui, job: &RunJob) {
    let summary = job.summary_so_far();
    ui.heading("Results by program");
    if job.summary.is_none() {
        ui.label(RichText::new("(so far: the run is not finished)").weak());
    }
    egui::Grid::new("program-results").striped(true).num_columns(9).show(ui, |ui| {
        for h in [
            "program",
            "enrolled customers",
            "events called",
            "refused",
            "event hours",
            "MW at system peak",
            "mean MW in events",
            "net MWh",
            "opt-outs + overrides",
        ] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for (i, (id, p)) in summary.programs.iter().enumerate() {
            ui.colored_label(series_color(job.sim.programs().index(id).unwrap_or(i)), id).on_hover_text(&p.name);
            ui.label(fmt_num(p.enrolled_customers, 0));
            ui.label(p.events_called.to_string());
            ui.label(p.events_refused.to_string());
            ui.label(fmt_num(p.event_hours, 1));
            ui.label(fmt_num(p.mw_at_system_peak, 1));
            ui.label(fmt_num(p.mean_event_reduction_mw, 1));
            ui.label(fmt_num(p.net_reduction_mwh, 1));
            ui.label(fmt_num(p.opt_outs + p.overrides, 0));
            ui.end_row();
        }
    });
}

fn events_table(ui: &mut egui::Ui, job: &RunJob) {
    let rows = job.sim.programs().sorted_rows();
    let id = egui::Id::unique("events-filter");
    let mut filter: Filter = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    ui.horizontal(|ui| {
        ui.heading("Events table");
        ui.label(format!(
            "{} requests: {} called, {} refused",
            rows.len(),
            rows.iter().filter(|r| r.status == Status::Called).count(),
            rows.iter().filter(|r| r.status == Status::Refused).count()
        ));
        ui.selectable_value(&mut filter, Filter::All, "all");
        ui.selectable_value(&mut filter, Filter::Called, "called");
        ui.selectable_value(&mut filter, Filter::Refused, "refused");
    });
    ui.data_mut(|d| d.insert_temp(id, filter));
    if rows.is_empty() {
        ui.label(RichText::new("No requests yet.").weak());
        return;
    }
    egui::Grid::new("events-table").striped(true).num_columns(7).show(ui, |ui| {
        for h in ["program", "date", "window", "trigger", "notice", "status", "reason"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for r in rows.iter().filter(|r| match filter {
            Filter::All => true,
            Filter::Called => r.status == Status::Called,
            Filter::Refused => r.status == Status::Refused,
        }) {
            let q = &r.request;
            ui.label(&q.program);
            ui.label(q.date.to_string());
            ui.label(format!("{}–{}", hhmm(q.start_min), hhmm(q.end_min)));
            ui.label(q.trigger.name());
            ui.label(format!("{} {}", r.issued.0, hhmm(r.issued.1)));
            match r.status {
                Status::Called => {
                    ui.colored_label(Color32::from_rgb(40, 150, 60), "called");
                }
                Status::Refused => {
                    ui.colored_label(Color32::from_rgb(210, 50, 40), "refused");
                }
            }
            ui.label(r.reason.as_ref().map(ToString::to_string).unwrap_or_default());
            ui.end_row();
        }
    });
}

/// Number of steps with any reduction (used by tests to see the plots are filled).
pub fn reduction_points(job: &RunJob) -> usize {
    job.sim.steps().iter().filter(|s| s.program_reduction_mw.iter().any(|r| *r > 0.0)).count()
}
