//! Customers: indoor temperatures, overrides and opt-outs, fatigue and enrolment, by segment.

use super::{TimeAxis, alert_bands, fmt_num, series_color};
use crate::app::DashApp;
use crate::run::RunJob;
use eframe::egui::{self, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoints};
use sim_core::SegmentView;

/// The Customers panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    super::with_main_run(app, ui, |ui, job| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.heading("Indoor temperature of customers with central A/C, by segment");
            series_plot(ui, job, "indoor", "°C", 220.0, |v| v.mean_indoor_temp_c);
            ui.heading("Customers in an event, overriding, opted out (real customers)");
            engagement_plot(ui, job, 200.0);
            ui.add_space(6.0);
            latest_table(ui, job);
        });
    });
}

fn series_plot(ui: &mut egui::Ui, job: &RunJob, id: &str, unit: &str, height: f32, f: fn(&SegmentView) -> f64) {
    let steps = job.sim.steps();
    let axis = TimeAxis::of(steps);
    let names: Vec<String> = job.sim.segment_names().map(str::to_string).collect();
    let total_h = job.sim.clock().steps_total as f64 * job.dt_h;
    Plot::new(format!("customers-{id}"))
        .height(height)
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label(unit)
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .show(ui, |p| {
            alert_bands(p, steps, job.dt_h);
            for (k, name) in names.iter().enumerate() {
                let pts: Vec<[f64; 2]> = job
                    .segments
                    .iter()
                    .filter_map(|(h, vs)| vs.get(k).map(|v| [*h, f(v)]))
                    .filter(|[_, y]| y.is_finite())
                    .collect();
                if pts.is_empty() {
                    continue;
                }
                p.line(Line::new(name.as_str(), pts).color(series_color(k)));
            }
        });
}

fn engagement_plot(ui: &mut egui::Ui, job: &RunJob, height: f32) {
    let steps = job.sim.steps();
    let axis = TimeAxis::of(steps);
    let total_h = job.sim.clock().steps_total as f64 * job.dt_h;
    let sum = |f: fn(&SegmentView) -> f64| -> PlotPoints<'static> {
        job.segments.iter().map(|(h, vs)| [*h, vs.iter().map(f).sum::<f64>()]).collect()
    };
    Plot::new("customers-engagement")
        .height(height)
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("customers")
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .show(ui, |p| {
            alert_bands(p, steps, job.dt_h);
            p.line(Line::new("in an event", sum(|v| v.in_event)).color(series_color(0)));
            p.line(Line::new("overriding", sum(|v| v.overriding)).color(series_color(1)));
            p.line(Line::new("opted out", sum(|v| v.opted_out)).color(series_color(3)));
        });
}

fn latest_table(ui: &mut egui::Ui, job: &RunJob) {
    let Some((_, views)) = job.segments.last() else {
        return;
    };
    let ids = &job.sim.programs().ids();
    ui.heading("By segment, now");
    ui.label(RichText::new(format!("as of {}", job.sim.snapshot().time)).weak());
    egui::Grid::new("segments-now").striped(true).num_columns(10).show(ui, |ui| {
        for h in [
            "segment",
            "class",
            "agents",
            "customers",
            "with A/C",
            "indoor mean / max °C",
            "A/C running",
            "in event / overriding / opted out",
            "fatigue: mean / max consecutive event days",
            "enrolment",
        ] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for (k, v) in views.iter().enumerate() {
            ui.colored_label(series_color(k), &v.name);
            ui.label(v.class.name());
            ui.label(v.agents.to_string());
            ui.label(fmt_num(v.customers, 0));
            ui.label(fmt_num(v.ac_customers, 0));
            ui.label(format!("{} / {}", fmt_num(v.mean_indoor_temp_c, 1), fmt_num(v.max_indoor_temp_c, 1)));
            ui.label(if v.ac_running_share.is_finite() {
                format!("{:.0} %", 100.0 * v.ac_running_share)
            } else {
                "–".into()
            });
            ui.label(format!(
                "{} / {} / {}",
                fmt_num(v.in_event, 0),
                fmt_num(v.overriding, 0),
                fmt_num(v.opted_out, 0)
            ));
            ui.label(format!("{} / {}", fmt_num(v.mean_consecutive_event_days, 1), v.max_consecutive_event_days));
            let enrol: Vec<String> = v
                .enrolled
                .iter()
                .zip(ids.iter())
                .filter(|(n, _)| **n > 0.0)
                .map(|(n, id)| format!("{id} {}", fmt_num(*n, 0)))
                .collect();
            ui.label(if enrol.is_empty() { "–".to_string() } else { enrol.join(", ") });
            ui.end_row();
        }
    });
}
