//! Settlement: payments, cost per kW-year, settled vs true reduction.
//!
//! Read generically from the summary JSON: every per-program field the panel does not already
//! know (settlement's fields as they land: `*_usd`, `settled_*`, payments, baselines) becomes a
//! column, money fields are totalled, and a `settled_*` field is set beside its true counterpart.

use super::{fmt_num, series_color};
use crate::app::DashApp;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, Legend, Plot};
use serde_json::Value;

/// Fields of a program's summary the other panels already show.
const KNOWN: [&str; 14] = [
    "name",
    "enrolled_customers",
    "enrolled_agents",
    "events_called",
    "events_refused",
    "event_hours",
    "mw_at_system_peak",
    "mw_at_counterfactual_peak",
    "mean_event_reduction_mw",
    "max_reduction_mw",
    "net_reduction_mwh",
    "notifications",
    "opt_outs",
    "overrides",
];

/// Top-level summary fields the other panels already show.
const KNOWN_TOP: [&str; 27] = [
    "scenario",
    "seed",
    "steps",
    "step_minutes",
    "start",
    "end",
    "agents",
    "customers_represented",
    "peak_system_load_mw",
    "peak_system_load_time",
    "min_reserve_margin_pct",
    "min_reserve_margin_time",
    "alert_hours",
    "alert_hours_at_or_above",
    "unserved_energy_mwh",
    "customers_peak_mw",
    "customers_peak_time",
    "customers_energy_mwh",
    "max_outdoor_temp_c",
    "day_ahead_alerts",
    "counterfactual_peak_system_load_mw",
    "programs",
    "enrolment_rejections",
    "generator_mwh",
    "generator_refused_mwh",
    "unattributed_reduction_mwh",
    "batch",
];

/// Whether a field is money.
pub fn is_money(key: &str) -> bool {
    key.contains("usd") || key.contains("payment") || key.contains("cost") || key.contains("penalt")
}

/// What a program costs in a run, $: its `cost_usd` field, or else the sum of its `*_usd` fields.
pub fn program_money(p: &Value) -> Option<f64> {
    let obj = p.as_object()?;
    if let Some(c) = obj.get("cost_usd").and_then(Value::as_f64) {
        return Some(c);
    }
    let vals: Vec<f64> = obj.iter().filter(|(k, _)| k.ends_with("_usd")).filter_map(|(_, v)| v.as_f64()).collect();
    (!vals.is_empty()).then(|| vals.iter().sum())
}

/// Money as `$1,234` or `-$1,234`.
pub fn fmt_money(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = fmt_num(x.abs(), 0);
    if x < 0.0 && s != "0" { format!("-${s}") } else { format!("${s}") }
}

/// Total money across programs (and top-level money fields), if the summary has any.
pub fn total_money(summary: &Value) -> Option<f64> {
    let mut any = false;
    let mut total = 0.0;
    if let Some(ps) = summary.get("programs").and_then(Value::as_object) {
        for p in ps.values() {
            if let Some(m) = program_money(p) {
                any = true;
                total += m;
            }
        }
    }
    (any).then_some(total)
}

/// The Settlement panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    super::with_main_run(app, ui, |ui, job| {
        let summary = job.summary_so_far();
        let v = serde_json::to_value(&*summary).unwrap_or(Value::Null);
        let run_h = summary.steps as f64 * f64::from(summary.step_minutes) / 60.0;
        let all = v.get("programs").and_then(Value::as_object).cloned().unwrap_or_default();
        // Programs nobody is in and that called nothing (e.g. aggregator contracts without a DRP)
        // are listed by name only.
        let (programs, idle) = split_idle(all);
        // Extra numeric fields, in first-seen order.
        let mut extra: Vec<String> = vec![];
        for p in programs.values() {
            if let Some(o) = p.as_object() {
                for (k, x) in o {
                    if !KNOWN.contains(&k.as_str()) && x.is_number() && !extra.contains(k) {
                        extra.push(k.clone());
                    }
                }
            }
        }
        egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
            ui.heading("Settlement");
            if job.summary.is_none() {
                ui.label(RichText::new("(so far: the run is not finished)").weak());
            }
            let has_money = extra.iter().any(|k| is_money(k));
            if !has_money {
                ui.label(
                    "The summary has no settlement fields yet (payments, settled reductions): \
                     this panel shows them as soon as the engine writes them. Meanwhile: what \
                     each program delivered, measured against the no-event twin.",
                );
            }
            if !idle.is_empty() {
                ui.label(RichText::new(format!("No customers and no events: {}", idle.join(", "))).weak());
            }
            egui::Grid::new("settlement").striped(true).show(ui, |ui| {
                let mut head = vec![
                    "program".to_string(),
                    "enrolled customers".into(),
                    "true MW at peak".into(),
                    "true mean MW in events".into(),
                    "true net MWh".into(),
                ];
                head.extend(extra.iter().cloned());
                head.push("cost per kW-year".into());
                for h in &head {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for (i, (id, p)) in programs.iter().enumerate() {
                    let f = |k: &str| p.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
                    ui.colored_label(series_color(i), id);
                    ui.label(fmt_num(f("enrolled_customers"), 0));
                    ui.label(fmt_num(f("mw_at_system_peak"), 1));
                    ui.label(fmt_num(f("mean_event_reduction_mw"), 1));
                    ui.label(fmt_num(f("net_reduction_mwh"), 1));
                    for k in &extra {
                        let x = f(k);
                        ui.label(if is_money(k) { fmt_money(x) } else { fmt_num(x, 2) });
                    }
                    let kw = f("mw_at_system_peak") * 1000.0;
                    let direct =
                        p.get("cost_per_kw_year_usd").or_else(|| p.get("cost_per_kw_year")).and_then(Value::as_f64);
                    let per = match (direct, program_money(p)) {
                        (Some(x), _) => Some(x),
                        (None, Some(m)) if kw > 0.0 && run_h > 0.0 => Some(m / kw * 8760.0 / run_h),
                        _ => None,
                    };
                    ui.label(per.map_or("–".into(), fmt_money));
                    ui.end_row();
                }
            });
            ui.label(
                RichText::new(
                    "Cost per kW-year: the program's money fields over its true kW at the system \
                     peak, scaled from the run's length to a year (or the summary's own figure).",
                )
                .weak(),
            );
            ui.add_space(8.0);
            settled_vs_true(ui, &programs);
            let others: Vec<(&String, &Value)> = v
                .as_object()
                .map(|o| o.iter().filter(|(k, _)| !KNOWN_TOP.contains(&k.as_str())).collect())
                .unwrap_or_default();
            if !others.is_empty() {
                ui.add_space(8.0);
                ui.heading("Other results in the summary");
                for (k, x) in others {
                    egui::CollapsingHeader::new(k.as_str()).default_open(true).show(ui, |ui| json_tree(ui, x));
                }
            }
        });
    });
}

/// Bars of settled (baseline-measured) vs true (twin-measured) reduction, where both exist.
/// Splits the summary's programs into those with customers or events and the names of the rest.
pub fn split_idle(all: serde_json::Map<String, Value>) -> (serde_json::Map<String, Value>, Vec<String>) {
    let mut idle = vec![];
    let mut active = serde_json::Map::new();
    for (id, p) in all {
        let f = |k: &str| p.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        if f("enrolled_customers") == 0.0 && f("events_called") == 0.0 {
            idle.push(id);
        } else {
            active.insert(id, p);
        }
    }
    (active, idle)
}

fn settled_vs_true(ui: &mut egui::Ui, programs: &serde_json::Map<String, Value>) {
    let mut pairs = vec![];
    for (id, p) in programs {
        let Some(o) = p.as_object() else { continue };
        for (k, x) in o {
            let Some(rest) = k.strip_prefix("settled_") else {
                continue;
            };
            let Some(s) = x.as_f64() else { continue };
            let truth = o
                .get(rest)
                .or_else(|| o.get(&format!("true_{rest}")))
                .or_else(|| o.get("mean_event_reduction_mw"))
                .and_then(Value::as_f64);
            if let Some(t) = truth {
                pairs.push((id.clone(), k.clone(), s, t));
                break;
            }
        }
    }
    ui.heading("Settled vs true reduction");
    if pairs.is_empty() {
        ui.label(RichText::new("No settled figures in the summary yet (fields named settled_*).").weak());
        return;
    }
    let settled: Vec<Bar> =
        pairs.iter().enumerate().map(|(i, (id, _, s, _))| Bar::new(i as f64 - 0.2, *s).width(0.4).name(id)).collect();
    let truth: Vec<Bar> =
        pairs.iter().enumerate().map(|(i, (id, _, _, t))| Bar::new(i as f64 + 0.2, *t).width(0.4).name(id)).collect();
    let names: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
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
    for (id, k, s, t) in &pairs {
        ui.label(format!(
            "{id}: {k} = {} vs true {} ({:+.0} %)",
            fmt_num(*s, 2),
            fmt_num(*t, 2),
            if *t != 0.0 { 100.0 * (s - t) / t } else { 0.0 }
        ));
    }
}

fn json_tree(ui: &mut egui::Ui, v: &Value) {
    match v {
        Value::Object(o) => {
            egui::Grid::new(ui.next_auto_id()).striped(true).show(ui, |ui| {
                for (k, x) in o {
                    ui.label(k);
                    match x {
                        Value::Object(_) | Value::Array(_) => {
                            ui.vertical(|ui| json_tree(ui, x));
                        }
                        _ => {
                            ui.label(x.to_string());
                        }
                    }
                    ui.end_row();
                }
            });
        }
        Value::Array(a) => {
            for x in a.iter().take(50) {
                json_tree(ui, x);
            }
        }
        other => {
            ui.label(other.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_fields_are_found_generically() {
        let p = serde_json::json!({"name": "x", "payments_usd": 100.0, "penalties_usd": -20.0,
            "mw_at_system_peak": 3.0, "capacity_usd_per_kw_month": 8.0});
        assert_eq!(program_money(&p), Some(80.0));
        let with_cost = serde_json::json!({"payments_usd": 100.0, "cost_usd": 90.0, "cost_per_mwh": 5.0});
        assert_eq!(program_money(&with_cost), Some(90.0));
        assert_eq!(fmt_money(-1234.4), "-$1,234");
        let s = serde_json::json!({"programs": {"A": p, "B": {"mw_at_system_peak": 1.0}}});
        assert_eq!(total_money(&s), Some(80.0));
        assert_eq!(total_money(&serde_json::json!({"programs": {}})), None);
    }

    #[test]
    fn programs_without_customers_or_events_are_set_aside() {
        let all = serde_json::json!({
            "DRAM": {"enrolled_customers": 0.0, "events_called": 0},
            "SDP": {"enrolled_customers": 10.0, "events_called": 0},
            "X": {"enrolled_customers": 0.0, "events_called": 2},
        });
        let (active, idle) = split_idle(all.as_object().cloned().unwrap_or_default());
        assert_eq!(active.keys().collect::<Vec<_>>(), ["SDP", "X"]);
        assert_eq!(idle, ["DRAM"]);
    }
}
