//! Settlement: what each program delivered (measured against the no-event twin), what its
//! settlement credited (measured against baselines), what it cost and what its customers felt,
//! read from the run summary's program fields.

use super::{fmt_num, series_color};
use crate::app::DashApp;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, Legend, Plot};
use sim_core::{ProgramSummary, RunSummary};

/// Money as `$1,234` or `-$1,234`.
pub fn fmt_money(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = fmt_num(x.abs(), 0);
    if x < 0.0 && s != "0" { format!("-${s}") } else { format!("${s}") }
}

/// What the run's programs cost together (payments + credits − penalties), $; `None` when the book
/// has no programs.
pub fn total_cost(s: &RunSummary) -> Option<f64> {
    (!s.programs.is_empty()).then(|| s.programs.values().map(|p| p.cost_usd).sum())
}

/// Whether a program had customers or called events (the others are listed by name only).
pub fn is_active(p: &ProgramSummary) -> bool {
    p.enrolled_customers > 0.0 || p.events_called > 0
}

/// An optional figure, or a dash.
fn opt(x: Option<f64>, show: impl Fn(f64) -> String) -> String {
    x.map_or_else(|| "–".into(), show)
}

/// The table's columns: heading and a program's cell.
type Column = (&'static str, fn(&ProgramSummary) -> String);

/// The settlement table: delivery (twin), settlement (baselines), money, comfort.
pub const COLUMNS: [Column; 17] = [
    ("enrolled customers", |p| fmt_num(p.enrolled_customers, 0)),
    ("true MW at peak", |p| fmt_num(p.mw_at_system_peak, 1)),
    ("true mean MW in events", |p| fmt_num(p.mean_event_reduction_mw, 1)),
    ("true net MWh", |p| fmt_num(p.net_reduction_mwh, 1)),
    ("true MWh in events", |p| fmt_num(p.true_reduction_mwh, 1)),
    ("settled MWh", |p| fmt_num(p.settled_reduction_mwh, 1)),
    ("settlement error", |p| opt(p.settlement_error_pct, |x| format!("{x:+.1} %"))),
    ("unsettled events", |p| p.unsettled_events.to_string()),
    ("payments", |p| fmt_money(p.payments_usd)),
    ("credits", |p| fmt_money(p.credits_usd)),
    ("penalties", |p| fmt_money(p.penalties_usd)),
    ("cost", |p| fmt_money(p.cost_usd)),
    ("cost per kW-year", |p| opt(p.cost_per_kw_year, fmt_money)),
    ("cost per MWh", |p| opt(p.cost_per_mwh, fmt_money)),
    ("°C·h above setpoint per customer", |p| fmt_num(p.comfort_degree_hours_per_customer, 2)),
    ("extra °C·h vs twin per customer", |p| opt(p.extra_degree_hours_per_customer, |x| fmt_num(x, 2))),
    ("share overriding or opting out", |p| format!("{} %", fmt_num(100.0 * p.share_overriding, 1))),
];

/// The Settlement panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    super::with_main_run(app, ui, |ui, job| {
        let summary = job.summary_so_far();
        let (active, idle): (Vec<_>, Vec<_>) = summary.programs.iter().partition(|(_, p)| is_active(p));
        egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
            ui.heading("Settlement");
            if job.summary.is_none() {
                ui.label(RichText::new("(so far: the run is not finished)").weak());
            }
            if !idle.is_empty() {
                let names: Vec<&str> = idle.iter().map(|(id, _)| id.as_str()).collect();
                ui.label(RichText::new(format!("No customers and no events: {}", names.join(", "))).weak());
            }
            egui::Grid::new("settlement").striped(true).show(ui, |ui| {
                ui.label(RichText::new("program").strong());
                for (head, _) in &COLUMNS {
                    ui.label(RichText::new(*head).strong());
                }
                ui.end_row();
                for (i, (id, p)) in active.iter().enumerate() {
                    ui.colored_label(series_color(i), id.as_str()).on_hover_text(&p.name);
                    for (_, cell) in &COLUMNS {
                        ui.label(cell(p));
                    }
                    ui.end_row();
                }
            });
            if let Some(total) = total_cost(&summary) {
                ui.label(format!("All programs together cost {} over the run.", fmt_money(total)));
            }
            ui.label(
                RichText::new(
                    "True figures compare the run with its no-event twin; settled ones compare \
                     meters with the programs' baselines. Cost: payments + credits − penalties; \
                     per kW-year: scaled from the run's length to a year, per kW of mean true \
                     reduction in events.",
                )
                .weak(),
            );
            ui.add_space(8.0);
            settled_vs_true(ui, &active);
        });
    });
}

/// A program's settled and true energy reduction in events, MWh.
struct Reduction<'a> {
    id: &'a str,
    settled: f64,
    truth: f64,
    error_pct: Option<f64>,
}

/// Bars of settled (baseline-measured) against true (twin-measured) energy reduction in events.
fn settled_vs_true(ui: &mut egui::Ui, programs: &[(&String, &ProgramSummary)]) {
    let pairs: Vec<Reduction<'_>> = programs
        .iter()
        .filter(|(_, p)| p.settled_reduction_mwh != 0.0 || p.true_reduction_mwh != 0.0)
        .map(|(id, p)| Reduction {
            id: id.as_str(),
            settled: p.settled_reduction_mwh,
            truth: p.true_reduction_mwh,
            error_pct: p.settlement_error_pct,
        })
        .collect();
    ui.heading("Settled vs true reduction in events (MWh)");
    if pairs.is_empty() {
        ui.label(RichText::new("No program reduced load in an event yet.").weak());
        return;
    }
    let bars = |dx: f64, v: fn(&Reduction<'_>) -> f64| -> Vec<Bar> {
        pairs.iter().enumerate().map(|(i, p)| Bar::new(i as f64 + dx, v(p)).width(0.4).name(p.id)).collect()
    };
    let settled = bars(-0.2, |p| p.settled);
    let truth = bars(0.2, |p| p.truth);
    let names: Vec<String> = pairs.iter().map(|p| p.id.to_string()).collect();
    Plot::new("settled-vs-true")
        .height(220.0)
        .legend(Legend::default())
        .x_axis_formatter(move |m, _| {
            let i = m.value.round();
            if (m.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |p| {
            p.bar_chart(BarChart::new("settled", settled).color(Color32::from_rgb(255, 127, 14)));
            p.bar_chart(BarChart::new("true", truth).color(Color32::from_rgb(31, 119, 180)));
        });
    for p in &pairs {
        let err = opt(p.error_pct, |x| format!("{x:+.0} %"));
        ui.label(format!(
            "{}: settled {} MWh vs true {} MWh ({err})",
            p.id,
            fmt_num(p.settled, 2),
            fmt_num(p.truth, 2)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_as_dollars() {
        assert_eq!(fmt_money(-1234.4), "-$1,234");
        assert_eq!(fmt_money(0.2), "$0");
        assert_eq!(fmt_money(f64::NAN), "–");
    }

    #[test]
    fn the_table_reads_a_real_runs_program_fields() {
        let scn = sim_core::load_scenario(
            sim_core::data::scenario("default.toml").expect("shipped"),
            "default.toml",
            &[sim_core::parse_override("end=2022-09-01").expect("override")],
            &sim_core::NoFiles,
        )
        .expect("valid");
        let mut sim = sim_core::Sim::new(&scn, 3);
        sim.run_to_end();
        let s = sim.summary();
        let cost: f64 = s.programs.values().map(|p| p.payments_usd + p.credits_usd - p.penalties_usd).sum();
        let total = total_cost(&s).expect("the book has programs");
        assert!((total - cost).abs() <= 1e-6 * cost.abs().max(1.0), "{total} vs {cost}");
        let (active, idle): (Vec<_>, Vec<_>) = s.programs.values().partition(|p| is_active(p));
        assert!(!active.is_empty() && !idle.is_empty(), "some programs have customers, some do not");
        for p in active {
            let cells: Vec<String> = COLUMNS.iter().map(|(_, cell)| cell(p)).collect();
            assert_eq!(cells[0], fmt_num(p.enrolled_customers, 0));
            assert_eq!(cells[11], fmt_money(p.cost_usd));
            assert!(cells.iter().all(|c| !c.is_empty()));
        }
    }
}
