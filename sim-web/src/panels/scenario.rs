//! Scenario: choose a shipped scenario or open a file, the seed, run / pause / step / speed,
//! progress, and sharing (link and TOML download).

use crate::app::DashApp;
use crate::platform;
use crate::run::Speed;
use crate::share::{Shared, Source};
use eframe::egui;

/// Run, pause, step, speed and the progress bar (also in the top bar).
pub fn run_controls(app: &mut DashApp, ui: &mut egui::Ui) {
    let can_run = app.next.is_ok();
    let r = ui
        .add_enabled(can_run, egui::Button::new("Run"))
        .on_hover_text("Run the scenario (with your edits) from the start with this seed");
    app.target("run", &r);
    if r.clicked() {
        app.start_run();
    }
    let runner = app.runner.clone();
    let mut runner = runner.borrow_mut();
    let has_main = runner.main.is_some();
    let paused = runner.main.as_ref().is_some_and(|j| j.paused);
    let r = ui.add_enabled(has_main, egui::Button::new(if paused { "Resume" } else { "Pause" }));
    app.target("pause", &r);
    if r.clicked() {
        if let Some(j) = &mut runner.main {
            j.paused = !j.paused;
        }
    }
    let r = ui.add_enabled(has_main, egui::Button::new("Step")).on_hover_text("Pause and run one step");
    app.target("step", &r);
    if r.clicked() {
        if let Some(j) = &mut runner.main {
            j.paused = true;
            j.step_n(1);
        }
    }
    let mut speed = runner.speed;
    egui::ComboBox::from_id_salt("speed")
        .selected_text(Speed::CHOICES.iter().find(|(s, _)| *s == speed).map_or("max", |(_, t)| t))
        .show_ui(ui, |ui| {
            for (s, t) in Speed::CHOICES {
                ui.selectable_value(&mut speed, s, t);
            }
        })
        .response
        .on_hover_text("Speed: steps per tick, or as many as fit without freezing the page");
    runner.speed = speed;
    match &runner.main {
        Some(j) => {
            let snap = j.sim.snapshot();
            let text = if j.finished() {
                format!("{}: done, {} steps in {:.1} s", j.label, snap.steps_total, j.compute_ms / 1000.0)
            } else {
                format!("{}: step {} / {}  {}", j.label, snap.step, snap.steps_total, snap.time)
            };
            ui.add(egui::ProgressBar::new(j.progress()).desired_width(ui.available_width().max(120.0)).text(text));
        }
        None => {
            ui.label(match &app.next {
                Ok(_) => "ready",
                Err(_) => "the scenario has errors (see Scenario / Program editor)",
            });
        }
    }
}

/// The Scenario panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Scenario");
        egui::Grid::new("scenario-grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            ui.label("Shipped scenario");
            ui.horizontal_wrapped(|ui| {
                for (name, _) in sim_core::data::SCENARIOS {
                    let on = app.source == Source::Embedded(name.into());
                    let r = ui.selectable_label(on, name);
                    app.target(&format!("scenario:{name}"), &r);
                    if r.clicked() && !on {
                        app.set_source(Source::Embedded(name.into()));
                    }
                }
            });
            ui.end_row();

            ui.label("In use");
            ui.label(match &app.base {
                Ok(s) => format!(
                    "{} — {} ({} to {}, {} agents)",
                    app.source.name(),
                    s.scenario().description,
                    s.scenario().start,
                    s.scenario().end,
                    s.agents()
                ),
                Err(_) => app.source.name().to_string(),
            });
            ui.end_row();

            ui.label("Seed");
            ui.horizontal(|ui| {
                let mut seed = app.seed;
                ui.add(egui::DragValue::new(&mut seed).speed(1.0)).on_hover_text(
                    "Same scenario and seed: the same run, here, in the browser and on the command line",
                );
                if seed != app.seed {
                    app.seed = seed;
                }
                if let Ok(s) = &app.base {
                    if ui.button("scenario's seed").clicked() {
                        app.seed = s.scenario().seed;
                    }
                }
            });
            ui.end_row();

            ui.label("Edits");
            ui.label(if app.edits.values.is_empty() {
                "none (the book as written)".to_string()
            } else {
                format!("{} field(s) changed in Program editor", app.edits.values.len())
            });
            ui.end_row();
        });

        if let Err(e) = &app.base {
            ui.colored_label(egui::Color32::RED, e);
        }
        if let Err(errs) = &app.next {
            for e in errs {
                ui.colored_label(egui::Color32::RED, e);
            }
        }

        ui.separator();
        ui.heading("Running");
        ui.label(
            "Run, Pause, Step, the speed and the progress bar are in the top bar, on every panel. \
             Runs advance a bounded number of steps at a time, so the page stays responsive; \
             the other panels show the run as it goes.",
        );

        ui.separator();
        ui.heading("Open, save and share");
        ui.horizontal_wrapped(|ui| {
            let r = ui.button("Download scenario TOML").on_hover_text(
                "The scenario with your edits and seed written in, as one TOML file \
                 (drsim run FILE gives the same run)",
            );
            if r.clicked() {
                match app.shared().to_toml() {
                    Ok(text) => {
                        let name = format!("{}-edited.toml", app.source.name().trim_end_matches(".toml"));
                        app.message = platform::save_text(&name, &text);
                    }
                    Err(e) => app.message = format!("cannot write the TOML: {e}"),
                }
            }
            open_ui(app, ui);
        });
        ui.add_space(6.0);
        let l = ui.label("Link to this scenario, seed and edits (copy it to share):");
        let mut link = app.link();
        ui.add(egui::TextEdit::multiline(&mut link).desired_rows(2).desired_width(f32::INFINITY)).labelled_by(l.id);
        ui.horizontal(|ui| {
            let l = ui.label("Paste a link:");
            ui.add(egui::TextEdit::singleline(&mut app.link_text).desired_width(420.0)).labelled_by(l.id);
            if ui.button("Apply link").clicked() {
                match Shared::from_link(&app.link_text) {
                    Ok(s) => app.apply_shared(s),
                    Err(e) => app.message = format!("the link could not be read: {e}"),
                }
            }
        });
        if !app.message.is_empty() {
            ui.add_space(6.0);
            ui.label(egui::RichText::new(&app.message).italics());
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn open_ui(app: &mut DashApp, ui: &mut egui::Ui) {
    let l = ui.label("Open file:");
    ui.add(egui::TextEdit::singleline(&mut app.open_path).hint_text("path/to/scenario.toml").desired_width(220.0))
        .labelled_by(l.id);
    if ui.button("Open").clicked() {
        if let Err(e) = platform::open_path(&app.open_path) {
            app.message = e;
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn open_ui(_app: &mut DashApp, ui: &mut egui::Ui) {
    if ui
        .button("Open scenario TOML...")
        .on_hover_text("A scenario file; files it names (CSV) cannot be read in the browser: use builtin: data")
        .clicked()
    {
        platform::pick_file();
    }
}
