//! Grid: system load vs supply, reserve margin, alert levels as coloured bands; and the CCA
//! "capacity alerts" view: status, current load, today's peak, the next-day forecast, active
//! events, event history and status notices.

use super::{TimeAxis, alert_bands, alert_color, alert_legend, alert_words, fmt_num, hours};
use crate::app::DashApp;
use crate::run::RunJob;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{HLine, Legend, Line, LineStyle, Plot, PlotPoints};
use sim_core::{AlertLevel, StepRecord, hhmm};

/// The Grid panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    super::with_main_run(app, ui, |ui, job| {
        let steps = job.sim.steps();
        if steps.is_empty() {
            super::needs_run(ui);
            return;
        }
        egui::Panel::right("capacity-alerts").resizable(true).default_size(340.0).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| capacity_alerts(ui, job));
        });
        egui::CentralPanel::default().show(ui, |ui| {
            alert_legend(ui);
            load_plot(ui, job, steps, ui.available_height() * 0.62);
            margin_plot(ui, job, steps, ui.available_height());
        });
    });
}

/// System load, supply and the load without events, with alert bands.
pub fn load_plot(ui: &mut egui::Ui, job: &RunJob, steps: &[StepRecord], height: f32) {
    let dt = job.dt_h;
    let axis = TimeAxis::of(steps);
    let pts = |f: &dyn Fn(&StepRecord) -> f64| -> PlotPoints<'static> {
        steps.iter().enumerate().filter(|(_, s)| f(s).is_finite()).map(|(i, s)| [hours(i, dt), f(s) / 1000.0]).collect()
    };
    let total_h = job.sim.clock().steps_total as f64 * dt;
    Plot::new("load-vs-supply")
        .height(height.max(160.0))
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("GW")
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .label_formatter({
            let axis = TimeAxis::of(steps);
            move |h| match h {
                egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } => {
                    Some(format!("{}\n{plot_name}: {:.2} GW", axis.label(position.x), position.y))
                }
                egui_plot::HoverPosition::Elsewhere { position } => {
                    Some(format!("{}\n{:.2} GW", axis.label(position.x), position.y))
                }
            }
        })
        .show(ui, |p| {
            alert_bands(p, steps, dt);
            p.line(Line::new("supply", pts(&|s| s.supply_mw)).color(Color32::from_rgb(44, 160, 44)).width(1.5));
            p.line(
                Line::new("system load", pts(&|s| s.system_load_mw)).color(Color32::from_rgb(31, 119, 180)).width(2.0),
            );
            if job.sim.has_counterfactual() {
                p.line(
                    Line::new("load without events", pts(&|s| s.counterfactual_system_load_mw))
                        .color(Color32::GRAY)
                        .style(LineStyle::dashed_loose()),
                );
            }
            if steps.iter().any(|s| s.unserved_mw > 0.0) {
                p.line(Line::new("load shed", pts(&|s| s.unserved_mw)).color(alert_color(AlertLevel::Eea3)));
            }
            if steps.iter().any(|s| s.conservation_mw > 0.0) {
                p.line(
                    Line::new("conservation", pts(&|s| s.conservation_mw))
                        .color(alert_color(AlertLevel::FlexAlert))
                        .style(LineStyle::dotted_dense()),
                );
            }
        });
}

fn margin_plot(ui: &mut egui::Ui, job: &RunJob, steps: &[StepRecord], height: f32) {
    let dt = job.dt_h;
    let axis = TimeAxis::of(steps);
    let margin: PlotPoints<'_> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.reserve_margin_pct.is_finite())
        .map(|(i, s)| [hours(i, dt), s.reserve_margin_pct])
        .collect();
    let thresholds = job.sim.grid().map(|g| g.alert_thresholds());
    let total_h = job.sim.clock().steps_total as f64 * dt;
    Plot::new("reserve-margin")
        .height(height.max(120.0))
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("reserve margin %")
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .show(ui, |p| {
            alert_bands(p, steps, dt);
            p.line(Line::new("reserve margin", margin).color(Color32::from_rgb(31, 119, 180)));
            for (l, v) in thresholds.into_iter().flatten() {
                p.hline(
                    HLine::new(format!("{} threshold", alert_words(l)), v)
                        .color(alert_color(l))
                        .style(LineStyle::dashed_dense()),
                );
            }
        });
}

/// The CCA "capacity alerts" view: what a load-serving entity watches during a heat wave.
pub fn capacity_alerts(ui: &mut egui::Ui, job: &RunJob) {
    let sim = &job.sim;
    let snap = sim.snapshot();
    ui.heading("Capacity alerts");
    ui.label(RichText::new(format!("as of {}", snap.time)).weak());
    ui.add_space(4.0);
    let (bg, fg) = (alert_color(snap.alert), Color32::WHITE);
    egui::Frame::new().fill(bg).inner_margin(8.0).corner_radius(4.0).show(ui, |ui| {
        ui.label(RichText::new(format!("Status: {}", alert_words(snap.alert))).color(fg).strong().size(18.0));
        if let Some(g) = sim.grid() {
            if let Some((level, since_utc_s)) = g.declared() {
                let since = sim.clock().local(since_utc_s).map(|l| hhmm(l.minute_of_day)).unwrap_or_default();
                ui.label(RichText::new(format!("{} declared at {since}", alert_words(level))).color(fg));
            }
        }
    });
    ui.add_space(6.0);
    egui::Grid::new("cap-grid").num_columns(2).striped(true).show(ui, |ui| {
        ui.label("Current load");
        ui.label(format!("{} MW", fmt_num(snap.system_load_mw, 0)));
        ui.end_row();
        ui.label("Available supply");
        ui.label(format!("{} MW", fmt_num(snap.supply_mw, 0)));
        ui.end_row();
        ui.label("Reserve margin");
        ui.label(format!("{:.1} %", snap.reserve_margin_pct));
        ui.end_row();
        if let Some(g) = sim.grid() {
            ui.label("Today's peak");
            ui.label(format!("{} MW", fmt_num(g.today_peak_mw(), 0)));
            ui.end_row();
            ui.label("Next-day peak forecast");
            ui.label(match g.next_day_peak_forecast() {
                Some((day, mw)) => format!("{} MW ({})", fmt_num(mw, 0), sim_core::date_of_day(day)),
                None => "not yet made (issued each afternoon)".into(),
            });
            ui.end_row();
            ui.label("Next-day lowest margin");
            ui.label(match g.next_day_min_margin() {
                Some((_, m)) => format!("{m:.1} % (forecast)"),
                None => "–".into(),
            });
            ui.end_row();
        }
        ui.label("Outdoor temperature");
        ui.label(format!("{:.1} °C", snap.outdoor_temp_c));
        ui.end_row();
        ui.label("Load shed now");
        ui.label(format!("{} MW", fmt_num(snap.unserved_mw, 0)));
        ui.end_row();
        ui.label("Customers out now");
        ui.label(format!("about {} (estimated, whole system)", fmt_num(snap.system_customers_out, 0)));
        ui.end_row();
        ui.label("Conservation now");
        ui.label(format!("{} MW", fmt_num(snap.conservation_mw, 0)));
        ui.end_row();
    });

    // Events and notices: the same feed as `alerts.csv` (`Sim::capacity_alerts`).
    let feed = sim.capacity_alerts();
    let event_line = |e: &sim_core::EventNotice| {
        format!(
            "{} {}–{} ({}, notice {})",
            e.program,
            short_time(&e.start),
            short_time(&e.end),
            e.trigger,
            short_time(&e.issued)
        )
    };
    ui.add_space(8.0);
    ui.label(RichText::new("Active events").strong());
    if feed.active_events.is_empty() {
        ui.label(RichText::new("none").weak());
    }
    for e in &feed.active_events {
        ui.label(event_line(e));
    }

    ui.add_space(8.0);
    ui.label(RichText::new("Event history").strong());
    if feed.event_history.is_empty() {
        ui.label(RichText::new("no events called yet").weak());
    }
    for e in feed.event_history.iter().rev().take(30) {
        ui.label(event_line(e));
    }

    ui.add_space(8.0);
    ui.label(RichText::new("Status notices").strong());
    if feed.notices.is_empty() {
        ui.label(RichText::new("none").weak());
    }
    for n in feed.notices.iter().rev().take(40) {
        let what = if n.kind == "day_ahead" { "issued for" } else { "in effect" };
        let until = if n.end.is_empty() { "now".to_string() } else { short_time(&n.end) };
        ui.label(format!(
            "{} {} {what} {} to {until}",
            short_time(&n.issued),
            alert_words(n.level),
            short_time(&n.start)
        ));
    }
}

/// "2022-09-06 16:00" from an RFC 3339 local time ("2022-09-06T16:00:00-07:00").
fn short_time(t: &str) -> String {
    t.get(..16).unwrap_or(t).replacen('T', " ", 1)
}
