//! Program editor: every field of the program book as a control, generic over the book's TOML.
//!
//! Booleans are checkboxes, numbers drag values or sliders (unit from the name's suffix),
//! `HH:MM` texts time edits, month lists month pickers, lists of known values multi-selects,
//! tables and lists of tables collapsible sections. Each field's tooltip is its comment in the
//! book (the source rule) and the program's `source`; "reset" resets it. Edits become `--set`
//! overrides (`programs.TOU-BIP.max_events_per_month=3`), validated at once.

use crate::app::DashApp;
use crate::book::{BookNotes, Edits};
use eframe::egui::{self, Color32, RichText};
use sim_core::{AlertLevel, Trigger};

/// The editor's selection.
#[derive(Clone, Debug, Default)]
pub struct EditorState {
    /// Program ID shown.
    pub program: String,
}

const MONTHS: [&str; 12] = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The unit shown after a number, from the field name's suffix.
pub fn unit_of(key: &str) -> &'static str {
    const SUFFIXES: [(&str, &str); 22] = [
        ("_usd_per_kw_month", "$/kW-month"),
        ("_usd_per_kw_year", "$/kW-year"),
        ("_usd_per_kwh", "$/kWh"),
        ("_usd_per_kw", "$/kW"),
        ("_per_kwh", "$/kWh"),
        ("_usd", "$"),
        ("_kwh", "kWh"),
        ("_kw", "kW"),
        ("_mwh", "MWh"),
        ("_mw", "MW"),
        ("_hours", "h"),
        ("_pct", "%"),
        ("_c", "°C"),
        ("_f", "°F"),
        ("_minutes", "min"),
        ("minutes", "min"),
        ("_months", "months"),
        ("horsepower", "hp"),
        ("_hp", "hp"),
        ("_per_hour", "per hour"),
        ("_per_year", "a year"),
        ("_days", "days"),
    ];
    if key.contains("hours_per_") {
        return "h";
    }
    if key.contains("events_per_") {
        return "events";
    }
    SUFFIXES.iter().find(|(s, _)| key.ends_with(s)).map_or("", |(_, u)| u)
}

/// Whether a number is a share or probability (a 0-1 slider).
fn is_share(key: &str) -> bool {
    ["share", "prob", "fraction", "participation", "non_compliance"].iter().any(|w| key.contains(w))
}

/// The known values of a text field, when it is an enumeration.
fn choices_of(key: &str, program_ids: &[String]) -> Option<Vec<String>> {
    let v = |xs: &[&str]| Some(xs.iter().map(ToString::to_string).collect());
    match key {
        "days" => v(&["any", "weekdays"]),
        "prohibited_resources" => v(&["not_applicable", "attestation", "governor_order_only"]),
        "day_of_alert" | "day_ahead_alert" => {
            Some(AlertLevel::ALL.iter().skip(1).map(|l| l.name().to_string()).collect())
        }
        "triggers" => Some(Trigger::ALL.iter().map(|t| t.name().to_string()).collect()),
        "classes" => v(&["residential", "commercial", "industrial", "agricultural"]),
        "service_types" => v(&["Bundled", "DirectAccess", "CCA"]),
        "meter_types" => v(&["idr", "smart_meter", "none"]),
        "required_devices" | "installs_devices" => {
            v(&["central_ac", "smart_thermostat", "cycling_switch", "pump", "pump_control", "auto_dr"])
        }
        "dual_participation" => Some(program_ids.to_vec()),
        _ => None,
    }
}

fn is_month_list(key: &str) -> bool {
    key == "months" || key.ends_with("_months") && key != "commitment_months"
}

fn parse_hhmm(s: &str) -> Option<(i64, i64)> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    Some((h.parse().ok()?, m.parse().ok()?))
}

/// What the field widgets need besides the value.
struct Ctx<'a> {
    notes: &'a BookNotes,
    edits: &'a Edits,
    program: &'a str,
    source: &'a str,
    program_ids: &'a [String],
    resets: Vec<String>,
}

impl Ctx<'_> {
    fn full(&self, path: &str) -> String {
        format!("programs.{}.{path}", self.program)
    }

    fn tooltip(&self, path: &str) -> String {
        let mut t = String::new();
        if let Some(h) = self.notes.help(self.program, path) {
            t.push_str(&h);
            t.push_str("\n\n");
        }
        t.push_str(&format!("Program source: {}\n", self.source));
        t.push_str(&format!("Command line: --set {}=...", self.full(path)));
        t
    }

    /// The field's name label (marked when edited) with its tooltip; returns its response.
    fn label(&self, ui: &mut egui::Ui, key: &str, path: &str) -> egui::Response {
        let edited = self.edits.touches(&self.full(path));
        let text = if edited {
            RichText::new(format!("{key} *")).color(Color32::from_rgb(230, 140, 20))
        } else {
            RichText::new(key)
        };
        ui.label(text).on_hover_text(self.tooltip(path))
    }

    fn reset_button(&mut self, ui: &mut egui::Ui, path: &str) {
        let full = self.full(path);
        if self.edits.touches(&full) {
            if ui.small_button("reset").on_hover_text("Reset to the book's value").clicked() {
                self.resets.push(full);
            }
        } else {
            ui.label("");
        }
    }
}

/// The Program editor panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    let ids: Vec<String> = app.base_tables.keys().cloned().collect();
    if ids.is_empty() {
        ui.label("This scenario has no program book (or it could not be loaded).");
        if let Err(e) = &app.base {
            ui.colored_label(Color32::RED, e);
        }
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Program:");
        for id in &ids {
            let edited = app.edits.touches(&format!("programs.{id}"));
            let text = if edited { format!("{id} *") } else { id.clone() };
            let r = ui.selectable_label(app.editor.program == *id, text);
            app.target(&format!("program:{id}"), &r);
            if r.clicked() {
                app.editor.program = id.clone();
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        if ui.add_enabled(!app.edits.values.is_empty(), egui::Button::new("Reset all programs")).clicked() {
            app.edits = Edits::default();
            app.rebuild_next();
        }
        match &app.next {
            Ok(_) => {
                ui.colored_label(
                    Color32::from_rgb(40, 150, 60),
                    format!("Valid: {} edit(s); Run and Compare use them", app.edits.values.len()),
                );
            }
            Err(_) => {
                ui.colored_label(Color32::RED, "The edits do not validate:");
            }
        }
    });
    if let Err(errs) = &app.next {
        for e in errs {
            ui.colored_label(Color32::RED, e);
        }
    }
    ui.separator();

    let id = app.editor.program.clone();
    let Some(base) = app.base_tables.get(&id) else {
        return;
    };
    let shown = app.edits.apply(&id, base);
    let mut edited = shown.clone();
    let source = shown.get("source").and_then(toml::Value::as_str).unwrap_or("").to_string();
    let name = shown.get("name").and_then(toml::Value::as_str).unwrap_or("").to_string();
    let mut ctx =
        Ctx { notes: &app.notes, edits: &app.edits, program: &id, source: &source, program_ids: &ids, resets: vec![] };
    let mut enrolment_edits = vec![];
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(format!("{id}: {name}"));
        ui.label(RichText::new(format!("Source: {source}")).weak());
        if ctx.edits.touches(&format!("programs.{id}")) && ui.button(format!("Reset {id}")).clicked() {
            ctx.resets.push(format!("programs.{id}"));
        }
        ui.add_space(4.0);
        table_ui(ui, &mut ctx, "", &mut edited, true);
        ui.add_space(8.0);
        if let Ok(scn) = &app.base {
            enrolment_edits = enrolment_ui(ui, &mut ctx, scn);
        }
    });
    let resets = std::mem::take(&mut ctx.resets);
    let mut changed = false;
    if edited != shown {
        app.edits.record(&id, &shown, &edited);
        changed = true;
    }
    for (k, v) in enrolment_edits {
        app.edits.values.insert(k, v);
        changed = true;
    }
    for r in resets {
        app.edits.reset(&r);
        changed = true;
    }
    if changed {
        app.rebuild_next();
    }
}

/// Enrolment shares of this program by segment (`population.N.enrolment.ID`).
fn enrolment_ui(ui: &mut egui::Ui, ctx: &mut Ctx<'_>, scn: &sim_core::ValidScenario) -> Vec<(String, toml::Value)> {
    let mut out = vec![];
    egui::CollapsingHeader::new(RichText::new("enrolment (who applies, by segment)").strong())
        .id_salt("enrolment")
        .default_open(true)
        .show(ui, |ui| {
            ui.label(
                RichText::new("Share of each segment's customers who apply; ineligible applicants are refused.").weak(),
            );
            egui::Grid::new("enrol-grid").num_columns(3).show(ui, |ui| {
                for (i, seg) in scn.scenario().population.iter().enumerate() {
                    let key = format!("population.{i}.enrolment.{}", ctx.program);
                    let base = seg
                        .enrolment
                        .get(ctx.program)
                        .or_else(|| scn.scenario().enrolment.get(ctx.program))
                        .copied()
                        .unwrap_or(0.0);
                    let cur = ctx
                        .edits
                        .values
                        .get(&key)
                        .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|x| x as f64)))
                        .unwrap_or(base);
                    let mut v = cur;
                    let edited = ctx.edits.values.contains_key(&key);
                    let l = ui
                        .label(if edited {
                            RichText::new(format!("{} *", seg.name)).color(Color32::from_rgb(230, 140, 20))
                        } else {
                            RichText::new(&seg.name)
                        })
                        .on_hover_text(format!(
                            "{} ({:?}): share applying to {}\n--set {key}=...",
                            seg.name, seg.class, ctx.program
                        ));
                    ui.add(egui::Slider::new(&mut v, 0.0..=1.0).fixed_decimals(2)).labelled_by(l.id);
                    if edited {
                        if ui.small_button("reset").clicked() {
                            ctx.resets.push(key.clone());
                        }
                    } else {
                        ui.label("");
                    }
                    if v != cur {
                        out.push((key, toml::Value::Float(v)));
                    }
                    ui.end_row();
                }
            });
        });
    out
}

fn table_ui(ui: &mut egui::Ui, ctx: &mut Ctx<'_>, prefix: &str, t: &mut toml::Table, top: bool) {
    let mut keys: Vec<String> = t.keys().cloned().collect();
    let path_of = |k: &str| {
        if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") }
    };
    keys.sort_by_key(|k| (ctx.notes.rank(ctx.program, &path_of(k)), k.clone()));
    let is_section = |v: &toml::Value| match v {
        toml::Value::Table(_) => true,
        toml::Value::Array(a) => a.iter().any(toml::Value::is_table) || a.len() > 12,
        _ => false,
    };
    let leaves: Vec<String> = keys
        .iter()
        .filter(|k| !is_section(&t[k.as_str()]))
        .filter(|k| !(top && (k.as_str() == "name" || k.as_str() == "source")))
        .cloned()
        .collect();
    let sections: Vec<String> = keys.iter().filter(|k| is_section(&t[k.as_str()])).cloned().collect();
    if !leaves.is_empty() {
        egui::Grid::new(format!("grid:{}:{prefix}", ctx.program))
            .num_columns(3)
            .spacing([10.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                for k in &leaves {
                    let path = path_of(k);
                    let l = ctx.label(ui, k, &path);
                    if let Some(v) = t.get_mut(k.as_str()) {
                        ui.horizontal(|ui| value_ui(ui, ctx, k, &path, v, &l));
                    }
                    ctx.reset_button(ui, &path);
                    ui.end_row();
                }
            });
    }
    for k in &sections {
        let path = path_of(k);
        let edited = ctx.edits.touches(&ctx.full(&path));
        let Some(v) = t.get_mut(k.as_str()) else {
            continue;
        };
        let title = match &*v {
            toml::Value::Array(a) => format!("{k} ({})", a.len()),
            _ => k.clone(),
        };
        let title = if edited {
            RichText::new(format!("{title} *")).strong().color(Color32::from_rgb(230, 140, 20))
        } else {
            RichText::new(title).strong()
        };
        let small = match &*v {
            toml::Value::Table(x) => x.len() <= 12,
            _ => false,
        };
        let tip = ctx.tooltip(&path);
        let h = egui::CollapsingHeader::new(title)
            .id_salt(format!("sec:{}:{path}", ctx.program))
            .default_open(small)
            .show(ui, |ui| {
                if edited && ui.small_button("reset section").clicked() {
                    ctx.resets.push(ctx.full(&path));
                }
                match v {
                    toml::Value::Table(sub) => table_ui(ui, ctx, &path, sub, false),
                    toml::Value::Array(a) => array_section_ui(ui, ctx, k, &path, a),
                    _ => {}
                }
            });
        h.header_response.on_hover_text(tip);
    }
}

/// A list of tables (windows, cycling plans) or a long list of numbers (price schedules).
fn array_section_ui(ui: &mut egui::Ui, ctx: &mut Ctx<'_>, key: &str, path: &str, a: &mut Vec<toml::Value>) {
    if a.iter().all(|x| x.is_table()) {
        let mut remove = None;
        for (i, item) in a.iter_mut().enumerate() {
            if let toml::Value::Table(t) = item {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{key}[{i}]")).italics());
                    if ui.small_button("remove").clicked() {
                        remove = Some(i);
                    }
                });
                ui.indent(format!("{path}.{i}"), |ui| {
                    table_ui(ui, ctx, &format!("{path}.{i}"), t, false);
                });
            }
        }
        if let Some(i) = remove {
            a.remove(i);
        }
        if let Some(last) = a.last().cloned() {
            if ui.small_button("add (a copy of the last)").clicked() {
                a.push(last);
            }
        }
    } else {
        numbers_ui(ui, key, a);
    }
}

fn numbers_ui(ui: &mut egui::Ui, key: &str, a: &mut [toml::Value]) {
    let unit = unit_of(key);
    let hourly = a.len() == 24;
    ui.horizontal_wrapped(|ui| {
        for (i, x) in a.iter_mut().enumerate() {
            let r = number_ui(ui, key, x, unit);
            if hourly {
                r.on_hover_text(format!("hour {i}:00-{}:00", i + 1));
            }
        }
    });
}

fn number_ui(ui: &mut egui::Ui, key: &str, v: &mut toml::Value, unit: &str) -> egui::Response {
    let suffix = if unit.is_empty() || unit.starts_with('$') { String::new() } else { format!(" {unit}") };
    let prefix = if unit == "$" { "$" } else { "" };
    match v {
        toml::Value::Integer(i) => {
            let mut x = *i;
            let r = ui.add(
                egui::DragValue::new(&mut x).range(0..=i64::from(u32::MAX)).speed(0.2).suffix(suffix).prefix(prefix),
            );
            *i = x;
            r
        }
        toml::Value::Float(f) => {
            let mut x = *f;
            let r = if is_share(key) {
                ui.add(egui::Slider::new(&mut x, 0.0..=1.0).fixed_decimals(2))
            } else {
                let range = if key.contains("elasticity") { -10.0..=0.0 } else { 0.0..=f64::MAX };
                let speed = (x.abs() * 0.01).max(0.01);
                ui.add(
                    egui::DragValue::new(&mut x)
                        .range(range)
                        .speed(speed)
                        .max_decimals(3)
                        .suffix(suffix)
                        .prefix(prefix),
                )
            };
            *f = x;
            r
        }
        other => ui.label(other.to_string()),
    }
}

fn value_ui(ui: &mut egui::Ui, ctx: &mut Ctx<'_>, key: &str, path: &str, v: &mut toml::Value, label: &egui::Response) {
    let unit = unit_of(key);
    match v {
        toml::Value::Boolean(b) => {
            ui.checkbox(b, "").labelled_by(label.id);
        }
        toml::Value::Integer(_) | toml::Value::Float(_) => {
            number_ui(ui, key, v, unit).labelled_by(label.id);
        }
        toml::Value::String(s) => {
            if let Some((h, m)) = parse_hhmm(s) {
                let (mut h2, mut m2) = (h, m);
                ui.add(egui::DragValue::new(&mut h2).range(0..=24).suffix(" h")).labelled_by(label.id);
                ui.label(":");
                ui.add(egui::DragValue::new(&mut m2).range(0..=59).speed(0.5).suffix(" min"));
                if (h2, m2) != (h, m) {
                    *s = format!("{h2:02}:{m2:02}");
                }
            } else if key == "kind" || key == "dist" {
                ui.label(RichText::new(s.as_str()).monospace())
                    .on_hover_text("the kind fixes which fields exist; change it in a scenario file");
            } else if let Some(choices) = choices_of(key, ctx.program_ids) {
                egui::ComboBox::from_id_salt(format!("combo:{}:{path}", ctx.program))
                    .selected_text(s.as_str())
                    .show_ui(ui, |ui| {
                        for c in choices {
                            ui.selectable_value(s, c.clone(), c);
                        }
                    });
            } else {
                ui.add(egui::TextEdit::singleline(s).desired_width(260.0)).labelled_by(label.id);
            }
        }
        toml::Value::Array(a) => {
            if a.is_empty() && !is_month_list(key) && choices_of(key, ctx.program_ids).is_none() {
                ui.label(RichText::new("(none)").weak())
                    .on_hover_text("an empty list; set it in a scenario file to add entries");
            } else if is_month_list(key) {
                month_picker(ui, a);
            } else if let Some(choices) = choices_of(key, ctx.program_ids) {
                multi_select(ui, a, &choices);
            } else if a.iter().all(|x| x.is_integer() || x.is_float()) && !a.is_empty() {
                numbers_ui(ui, key, a);
            } else if a.iter().all(toml::Value::is_str) {
                let mut text = a.iter().filter_map(toml::Value::as_str).collect::<Vec<_>>().join(", ");
                let before = text.clone();
                ui.add(egui::TextEdit::singleline(&mut text).desired_width(320.0))
                    .labelled_by(label.id)
                    .on_hover_text("comma-separated");
                if text != before {
                    *a = text
                        .split(',')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(|x| toml::Value::String(x.to_string()))
                        .collect();
                }
            } else {
                ui.label(toml::Value::Array(a.clone()).to_string());
            }
        }
        other => {
            ui.label(other.to_string());
        }
    }
}

fn month_picker(ui: &mut egui::Ui, a: &mut Vec<toml::Value>) {
    let mut on: Vec<bool> = (1..=12i64).map(|m| a.iter().any(|x| x.as_integer() == Some(m))).collect();
    let before = on.clone();
    for (i, flag) in on.iter_mut().enumerate() {
        ui.toggle_value(flag, MONTHS[i]).on_hover_text(MONTH_NAMES[i]);
    }
    if on != before {
        *a = on.iter().enumerate().filter(|(_, f)| **f).map(|(i, _)| toml::Value::Integer(i as i64 + 1)).collect();
    }
}

fn multi_select(ui: &mut egui::Ui, a: &mut Vec<toml::Value>, choices: &[String]) {
    let present: Vec<String> = a.iter().filter_map(toml::Value::as_str).map(ToString::to_string).collect();
    let mut next = present.clone();
    for c in choices {
        let mut flag = present.contains(c);
        if ui.toggle_value(&mut flag, c.as_str()).changed() {
            if flag {
                next.push(c.clone());
            } else {
                next.retain(|x| x != c);
            }
        }
    }
    // Values the book has that are not in the known list stay.
    if next != present {
        *a = next.into_iter().map(toml::Value::String).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_come_from_field_name_suffixes() {
        assert_eq!(unit_of("min_demand_kw"), "kW");
        assert_eq!(unit_of("max_event_hours"), "h");
        assert_eq!(unit_of("max_hours_per_year"), "h");
        assert_eq!(unit_of("max_events_per_month"), "events");
        assert_eq!(unit_of("forecast_margin_below_pct"), "%");
        assert_eq!(unit_of("setpoint_offset_c"), "°C");
        assert_eq!(unit_of("capacity_payment_usd_per_kw_month"), "$/kW-month");
        assert_eq!(unit_of("penalty_usd"), "$");
        assert_eq!(unit_of("period_minutes"), "min");
        assert!(is_share("option_shares") && is_share("override_prob_per_hour"));
    }
}
