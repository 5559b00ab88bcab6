//! Market and aggregators: the third-party DRPs' bids, awards and the clearing price in CAISO's
//! day-ahead market, what they delivered and earned, their customers' authorizations over time,
//! and the CCA capacity-alert feed beside it.

use super::settlement::fmt_money;
use super::{TimeAxis, fmt_num, series_color};
use crate::app::DashApp;
use crate::run::RunJob;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoints};
use sim_core::{DrpView, MarketRow, MarketTotals};

/// The Market and aggregators panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    super::with_main_run(app, ui, |ui, job| {
        if job.sim.steps().is_empty() {
            super::needs_run(ui);
            return;
        }
        egui::Panel::right("market-capacity-alerts").resizable(true).default_size(320.0).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| super::grid::capacity_alerts(ui, job));
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let market = job.sim.market();
            let drps = market.drps();
            if drps.is_empty() {
                ui.add_space(20.0);
                ui.label(
                    "This scenario has no third-party demand response providers. Open `third-party-2022.toml` \
                 (Scenario panel) to see DRPs bid into CAISO's day-ahead market.",
                );
                return;
            }
            // Live authorizations by DRP and day, up to today (the table shows today's).
            let first = first_day(job);
            let live = market.live_authorizations(first, job.sim.clock().now.day);
            egui::ScrollArea::vertical().show(ui, |ui| {
                drp_table(ui, job, &drps, &market.totals(), &live);
                ui.add_space(8.0);
                let h = (ui.available_height() / 3.0).max(170.0);
                price_plot(ui, job, market.rows(), h);
                bids_plot(ui, job, &drps, market.rows(), h);
                authorizations_plot(ui, job, &drps, &live, h);
            });
        });
    });
}

fn drp_table(ui: &mut egui::Ui, job: &RunJob, drps: &[DrpView], totals: &[MarketTotals], live: &[Vec<f64>]) {
    ui.heading("Demand response providers");
    let summary = job.summary.as_ref();
    if summary.is_none() {
        ui.label(RichText::new("Delivered energy and money are settled when the run ends.").weak());
    }
    let day = job.sim.clock().now.day;
    egui::Grid::new("drp-table").striped(true).num_columns(11).spacing([14.0, 4.0]).show(ui, |ui| {
        for h in [
            "DRP",
            "program",
            "registered",
            "customers",
            "bid MWh",
            "awarded MWh",
            "delivered MWh",
            "shortfall MWh",
            "CAISO revenue",
            "capacity pay",
            "customers' pay",
        ] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for (d, drp) in drps.iter().enumerate() {
            let live_now = live[d].last().copied().unwrap_or(0.0);
            let s = summary.and_then(|s| s.drps.get(&drp.name));
            ui.label(RichText::new(&drp.name).color(series_color(d)).strong());
            ui.label(s.map_or_else(
                || job.sim.programs().ids().get(drp.program).cloned().unwrap_or_default(),
                |s| s.program.clone(),
            ));
            let reg = sim_core::date_of_day(drp.ready_day);
            ui.label(if day >= drp.ready_day { reg.to_string() } else { format!("pending ({reg})") });
            ui.label(fmt_num(live_now, 0));
            let t = totals.get(d).copied().unwrap_or_default();
            ui.label(fmt_num(t.bid_mwh, 1));
            ui.label(fmt_num(t.award_mwh, 1));
            let money = |f: fn(&sim_core::DrpSummary) -> f64| s.map_or("–".into(), |s| fmt_money(f(s)));
            ui.label(s.map_or("–".into(), |s| fmt_num(s.delivered_mwh, 1)));
            ui.label(s.map_or("–".into(), |s| fmt_num(s.shortfall_mwh, 1)));
            ui.label(money(|s| s.market_revenue_usd));
            ui.label(money(|s| s.capacity_payments_usd));
            ui.label(money(|s| s.customer_payments_usd));
            ui.end_row();
        }
    });
    if let Some(s) = summary {
        if !s.migrations.is_empty() {
            let m: Vec<String> = s.migrations.iter().map(|(p, n)| format!("{p} {}", fmt_num(*n, 0))).collect();
            ui.label(format!("Customers who left a utility program for a DRP (migration matrix): {}", m.join(", ")));
        }
    }
}

/// Hours since the run's first step of a market hour.
fn market_x(first_day: i64, start_min: f64, day: i64, hour: u32) -> f64 {
    (day - first_day) as f64 * 24.0 + f64::from(hour) - start_min / 60.0
}

/// Splits (day, point) pairs, in day order, into one run of points per day: market hours are a
/// block of each day, and a line must not bridge the night between two blocks.
pub fn by_day(points: impl Iterator<Item = (i64, [f64; 2])>) -> Vec<Vec<[f64; 2]>> {
    let mut out: Vec<Vec<[f64; 2]>> = vec![];
    let mut last = None;
    for (d, p) in points {
        if last != Some(d) {
            out.push(vec![]);
            last = Some(d);
        }
        if let Some(v) = out.last_mut() {
            v.push(p);
        }
    }
    out
}

/// Day number of the run's first recorded step.
fn first_day(job: &RunJob) -> i64 {
    job.sim.steps().first().map_or(job.sim.clock().now.day, |s| s.time.day)
}

fn axis_of(job: &RunJob) -> (TimeAxis, i64, f64, f64) {
    let steps = job.sim.steps();
    let first = first_day(job);
    let start_min = steps.first().map_or(0.0, |s| f64::from(s.time.minute_of_day));
    let total_h = job.sim.clock().steps_total as f64 * job.dt_h;
    (TimeAxis::of(steps), first, start_min, total_h)
}

fn price_plot(ui: &mut egui::Ui, job: &RunJob, rows: &[MarketRow], height: f32) {
    let (axis, first, start_min, total_h) = axis_of(job);
    // One clearing price and net load per market hour (every DRP's row of that hour carries them).
    let mut hours: std::collections::BTreeMap<(i64, u32), (f64, f64)> = std::collections::BTreeMap::new();
    for r in rows {
        hours.insert((r.day, r.hour), (r.price, r.net_load_mw));
    }
    let price = by_day(hours.iter().map(|(&(d, h), &(p, _))| (d, [market_x(first, start_min, d, h), p])));
    ui.label(RichText::new("Day-ahead clearing price, $/MWh (market hours)").strong());
    Plot::new("market-price")
        .height(height)
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("$/MWh")
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .include_y(0.0)
        .show(ui, |p| {
            for day in price {
                p.line(Line::new("clearing price", PlotPoints::from(day)).color(Color32::from_rgb(214, 39, 40)));
            }
        });
}

fn bids_plot(ui: &mut egui::Ui, job: &RunJob, drps: &[DrpView], market: &[MarketRow], height: f32) {
    let (axis, first, start_min, total_h) = axis_of(job);
    ui.label(RichText::new("Bids and awards by DRP, MW").strong());
    Plot::new("market-bids")
        .height(height)
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("MW")
        .include_y(0.0)
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .show(ui, |p| {
            for (d, drp) in drps.iter().enumerate() {
                let rows = market.iter().filter(|r| r.drp == d);
                let x = |r: &MarketRow| market_x(first, start_min, r.day, r.hour);
                let (bid_name, award_name) = (format!("{} bid", drp.name), format!("{} award", drp.name));
                for day in by_day(rows.clone().map(|r| (r.day, [x(r), r.bid_mw]))) {
                    let line = Line::new(bid_name.as_str(), PlotPoints::from(day));
                    p.line(line.color(series_color(d).gamma_multiply(0.5)));
                }
                for day in by_day(rows.map(|r| (r.day, [x(r), r.award_mw]))) {
                    p.line(Line::new(award_name.as_str(), PlotPoints::from(day)).color(series_color(d)).width(2.0));
                }
            }
        });
}

fn authorizations_plot(ui: &mut egui::Ui, job: &RunJob, drps: &[DrpView], live: &[Vec<f64>], height: f32) {
    let (axis, first, start_min, total_h) = axis_of(job);
    ui.label(RichText::new("Customers with a live data authorization, by DRP").strong());
    Plot::new("market-authorizations")
        .height(height)
        .legend(Legend::default())
        .default_x_bounds(0.0, total_h)
        .y_axis_label("customers")
        .include_y(0.0)
        .x_axis_formatter(move |m, _| axis.label(m.value))
        .show(ui, |p| {
            for (d, drp) in drps.iter().enumerate() {
                let pts: Vec<[f64; 2]> = live[d]
                    .iter()
                    .enumerate()
                    .map(|(k, v)| [market_x(first, start_min, first + k as i64, 12), *v])
                    .collect();
                p.line(Line::new(drp.name.as_str(), PlotPoints::from(pts)).color(series_color(d)));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn market_hours_split_into_one_line_per_day() {
        let pts = [(3, [0.0, 1.0]), (3, [1.0, 2.0]), (4, [24.0, 5.0]), (6, [72.0, 1.0])];
        let days = by_day(pts.into_iter());
        assert_eq!(days, vec![vec![[0.0, 1.0], [1.0, 2.0]], vec![[24.0, 5.0]], vec![[72.0, 1.0]]]);
    }
}
