//! The dashboard's state and frame loop.

use crate::book::{BookNotes, Edits, book_tables};
use crate::panels;
use crate::platform;
use crate::run::{RunJob, Runner};
use crate::share::{Shared, Source};
use eframe::egui;
use sim_core::{DEFAULT_BOOK, NoFiles, Override, ValidScenario, load_scenario};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Wall time the frame loop may spend stepping runs per frame, ms (natively).
const FRAME_BUDGET_MS: f64 = 25.0;

/// The dashboard's panels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// Choose a scenario, seed, run controls, open and save, share.
    Scenario,
    /// Every field of the program book.
    Editor,
    /// Load vs supply, reserves, alerts; the capacity-alerts view.
    Grid,
    /// MW by program, the events table.
    Programs,
    /// Indoor temperatures, overrides, fatigue, enrolment by segment.
    Customers,
    /// Payments, cost per kW-year, settled vs true reduction.
    Settlement,
    /// Third-party DRPs in CAISO's market: bids, awards, prices, revenues, authorizations; the
    /// CCA capacity-alert feed.
    Market,
    /// A (the book) vs B (the edited book).
    Compare,
    /// A guided heat-wave evening.
    Teach,
}

impl Panel {
    /// Every panel, in tab order.
    pub const ALL: [Panel; 9] = [
        Panel::Scenario,
        Panel::Editor,
        Panel::Grid,
        Panel::Programs,
        Panel::Customers,
        Panel::Settlement,
        Panel::Market,
        Panel::Compare,
        Panel::Teach,
    ];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Panel::Scenario => "Scenario",
            Panel::Editor => "Program editor",
            Panel::Grid => "Grid",
            Panel::Programs => "Programs",
            Panel::Customers => "Customers",
            Panel::Settlement => "Settlement",
            Panel::Market => "Market",
            Panel::Compare => "Compare",
            Panel::Teach => "Teach",
        }
    }

    /// The panel with this title (case-insensitive), if any.
    pub fn from_title(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.title().eq_ignore_ascii_case(s) || format!("{p:?}").eq_ignore_ascii_case(s))
    }
}

/// The dashboard.
pub struct DashApp {
    /// The panel shown.
    pub panel: Panel,
    /// The scenario's text and name.
    pub source: Source,
    /// The seed runs use.
    pub seed: u64,
    /// The user's edits (program book and enrolment), as `--set` overrides.
    pub edits: Edits,
    /// The default book's comments (tooltips).
    pub notes: BookNotes,
    /// The scenario without edits ("A", and the editor's defaults), or why it failed.
    pub base: Result<ValidScenario, String>,
    /// The base scenario's program tables, by program ID.
    pub base_tables: BTreeMap<String, toml::Table>,
    /// The scenario with the edits: what Run will run, or the validation errors.
    pub next: Result<ValidScenario, Vec<String>>,
    /// Runs in progress, shared with the browser's timer.
    pub runner: Rc<RefCell<Runner>>,
    /// A timer outside the frame loop steps the runs (the browser): frames only draw.
    pub external_ticker: bool,
    /// The last notice for the user (saved, link applied, ...).
    pub message: String,
    /// The "paste a link" box.
    pub link_text: String,
    /// The "open a file" path box (native).
    pub open_path: String,
    /// The editor's selection.
    pub editor: panels::editor::EditorState,
    /// The Teach panel's narration.
    pub teach: panels::teach::TeachState,
    /// Centres of clickable widgets by name, in points, from the last frame (for tests).
    pub targets: BTreeMap<String, [f32; 2]>,
    /// Frames drawn.
    pub frames: u64,
    last_fragment: String,
}

impl Default for DashApp {
    fn default() -> Self {
        Self::new()
    }
}

fn error_lines(e: &sim_core::ScenarioErrors) -> Vec<String> {
    e.0.iter().map(ToString::to_string).collect()
}

impl DashApp {
    /// The dashboard on the default scenario, or on the page's link if it has one.
    pub fn new() -> Self {
        let mut app = Self::with_source(Source::Embedded(sim_core::data::SCENARIOS[0].0.into()));
        if let Some(frag) = platform::page_fragment() {
            match Shared::from_link(&frag) {
                Ok(s) => app.apply_shared(s),
                Err(e) => app.message = format!("the link could not be read: {e}"),
            }
        }
        app
    }

    /// The dashboard on a scenario, with its own seed and no edits.
    pub fn with_source(source: Source) -> Self {
        let mut app = Self {
            panel: Panel::Scenario,
            source,
            seed: 0,
            edits: Edits::default(),
            notes: BookNotes::parse(DEFAULT_BOOK),
            base: Err(String::new()),
            base_tables: BTreeMap::new(),
            next: Err(vec![]),
            runner: Rc::new(RefCell::new(Runner::default())),
            external_ticker: false,
            message: String::new(),
            link_text: String::new(),
            open_path: String::new(),
            editor: panels::editor::EditorState::default(),
            teach: panels::teach::TeachState::default(),
            targets: BTreeMap::new(),
            frames: 0,
            last_fragment: String::new(),
        };
        app.reload_base(None);
        app
    }

    /// Loads the scenario text without edits; `seed` None takes the scenario's own.
    fn reload_base(&mut self, seed: Option<u64>) {
        let text = self.source.text().to_string();
        match load_scenario(&text, self.source.name(), &[], &NoFiles) {
            Ok(scn) => {
                self.seed = seed.unwrap_or(scn.scenario().seed);
                self.base_tables = book_tables(&scn);
                self.base = Ok(scn);
            }
            Err(e) => {
                self.seed = seed.unwrap_or(self.seed);
                self.base_tables.clear();
                self.base = Err(e.to_string());
            }
        }
        if self.editor.program.is_empty() || !self.base_tables.contains_key(&self.editor.program) {
            self.editor.program = self.base_tables.keys().next().cloned().unwrap_or_default();
        }
        self.rebuild_next();
    }

    /// Validates the scenario with the edits (what Run will run).
    pub fn rebuild_next(&mut self) {
        let text = self.source.text().to_string();
        self.next = load_scenario(&text, self.source.name(), &self.overrides(), &NoFiles).map_err(|e| error_lines(&e));
    }

    /// The edits as `--set` overrides.
    pub fn overrides(&self) -> Vec<Override> {
        self.edits.overrides()
    }

    /// Switches to another scenario (edits are dropped; the seed becomes the scenario's).
    pub fn set_source(&mut self, source: Source) {
        self.source = source;
        self.edits = Edits::default();
        self.reload_base(None);
    }

    /// Applies a shared state (a link or a restored session).
    pub fn apply_shared(&mut self, s: Shared) {
        self.source = s.source;
        self.edits = Edits::from_overrides(&s.overrides);
        self.reload_base(s.seed);
        self.message = "restored the scenario, seed and edits from the link".into();
    }

    /// What a link would carry now.
    pub fn shared(&self) -> Shared {
        Shared { source: self.source.clone(), seed: Some(self.seed), overrides: self.overrides() }
    }

    /// The link that reproduces the current scenario, seed and edits.
    pub fn link(&self) -> String {
        format!("{}#{}", platform::page_base(), self.shared().to_fragment())
    }

    /// Starts the main run from the beginning with the edited scenario and the seed.
    pub fn start_run(&mut self) {
        match &self.next {
            Ok(scn) => {
                let label = format!("{}, seed {}", scn.scenario().name, self.seed);
                let job = RunJob::new(scn, self.seed, label);
                self.runner.borrow_mut().main = Some(job);
            }
            Err(e) => {
                self.message = format!("cannot run: {}", e.first().cloned().unwrap_or_default());
            }
        }
    }

    /// Starts Compare: A = the scenario as written (the book), B = with the edits, same seed.
    pub fn start_compare(&mut self) {
        match (&self.base, &self.next) {
            (Ok(a), Ok(b)) => {
                let ja = RunJob::new(a, self.seed, "A: the book");
                let jb = RunJob::new(b, self.seed, "B: the edited book");
                self.runner.borrow_mut().compare = Some([ja, jb]);
            }
            (Err(e), _) => self.message = format!("cannot run A: {e}"),
            (_, Err(e)) => {
                self.message = format!("cannot run B: {}", e.first().cloned().unwrap_or_default());
            }
        }
    }

    /// Runs the main run to the end at once (tests and the browser's test hook).
    pub fn run_main_to_end(&mut self) {
        let mut r = self.runner.borrow_mut();
        if let Some(j) = &mut r.main {
            j.paused = false;
            j.step_n(u64::MAX);
        }
    }

    /// Remembers where a clickable widget is (for end-to-end tests that click the canvas).
    pub fn target(&mut self, name: &str, r: &egui::Response) {
        let c = r.rect.center();
        self.targets.insert(name.to_string(), [c.x, c.y]);
    }

    /// The app's state for tests: panel, run progress, errors, click targets.
    pub fn status(&self) -> serde_json::Value {
        let r = self.runner.borrow();
        let job = |j: &RunJob| {
            let c = j.sim.clock();
            serde_json::json!({
                "label": j.label,
                "step": c.step,
                "steps_total": c.steps_total,
                "progress": j.progress(),
                "paused": j.paused,
                "finished": j.finished(),
                "compute_ms": j.compute_ms,
                "time": j.sim.snapshot().time,
            })
        };
        serde_json::json!({
            "panel": self.panel.title(),
            "frames": self.frames,
            "scenario": self.source.name(),
            "seed": self.seed,
            "overrides": self.overrides().iter().map(crate::share::override_text).collect::<Vec<_>>(),
            "errors": self.next.as_ref().err().cloned().unwrap_or_default(),
            "running": r.busy(),
            "main": r.main.as_ref().map(job),
            "compare": r.compare.as_ref().map(|c| c.iter().map(job).collect::<Vec<_>>()),
            "teach": r.teach.as_ref().map(job),
            "teach_notes": self.teach.log.len(),
            "message": self.message,
            "targets": self.targets,
        })
    }

    fn handle_opened(&mut self) {
        if let Some((name, text)) = platform::take_opened() {
            self.set_source(Source::File { name, text });
            self.message = format!("opened {}", self.source.name());
            if let Err(e) = &self.base {
                self.message = format!("opened {} with errors: {e}", self.source.name());
            }
        }
    }

    fn sync_fragment(&mut self) {
        let frag = self.shared().to_fragment();
        if frag != self.last_fragment {
            platform::set_page_fragment(&frag);
            self.last_fragment = frag;
        }
    }

    /// Draws one frame (and, without an external timer, steps the runs a bounded amount).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.frames += 1;
        self.targets.clear();
        self.handle_opened();
        if !self.external_ticker {
            self.runner.borrow_mut().advance(FRAME_BUDGET_MS);
        }
        let busy = self.runner.borrow().busy();
        if busy {
            ui.ctx().request_repaint();
        }
        self.top_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| match self.panel {
            Panel::Scenario => panels::scenario::show(self, ui),
            Panel::Editor => panels::editor::show(self, ui),
            Panel::Grid => panels::grid::show(self, ui),
            Panel::Programs => panels::programs::show(self, ui),
            Panel::Customers => panels::customers::show(self, ui),
            Panel::Settlement => panels::settlement::show(self, ui),
            Panel::Market => panels::market::show(self, ui),
            Panel::Compare => panels::compare::show(self, ui),
            Panel::Teach => panels::teach::show(self, ui),
        });
        self.sync_fragment();
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.heading("drsim");
                ui.separator();
                for p in Panel::ALL {
                    let r = ui.selectable_label(self.panel == p, p.title());
                    self.target(&format!("tab:{}", p.title()), &r);
                    if r.clicked() {
                        self.panel = p;
                    }
                }
            });
            ui.horizontal(|ui| {
                panels::scenario::run_controls(self, ui);
            });
            ui.add_space(2.0);
        });
    }
}

impl eframe::App for DashApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    #[cfg(target_arch = "wasm32")]
    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(&mut *self)
    }
}
