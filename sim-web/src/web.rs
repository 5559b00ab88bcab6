//! The browser entry and the hooks the end-to-end test calls from JavaScript.
//!
//! The page's module script calls [`start`] with the canvas; a timer steps the runs between
//! frames (software WebGL draws only a few frames a second, and runs must not depend on that).

use crate::app::DashApp;
use crate::run::Runner;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Wall time a timer tick may spend stepping runs, ms.
const TICK_BUDGET_MS: f64 = 40.0;
/// Interval between timer ticks, ms.
const TICK_INTERVAL_MS: i32 = 10;

thread_local! {
    static RUNNER: RefCell<Option<Rc<RefCell<Runner>>>> = const { RefCell::new(None) };
    static STATUS: RefCell<String> = RefCell::new("{\"started\": false}".to_string());
}

/// Draws the app and publishes its status for [`app_state`].
struct WebApp(DashApp);

impl eframe::App for WebApp {
    fn ui(&mut self, ui: &mut eframe::egui::Ui, _frame: &mut eframe::Frame) {
        self.0.show(ui);
        let mut s = self.0.status();
        s["started"] = serde_json::Value::Bool(true);
        STATUS.with(|x| *x.borrow_mut() = s.to_string());
    }

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(&mut *self)
    }
}

/// Starts the dashboard on a canvas.
#[wasm_bindgen]
pub async fn start(canvas: web_sys::HtmlCanvasElement) -> Result<(), JsValue> {
    let runner = eframe::WebRunner::new();
    runner
        .start(
            canvas,
            eframe::WebOptions::default(),
            Box::new(|cc| {
                let mut app = DashApp::new();
                app.external_ticker = true;
                RUNNER.with(|r| *r.borrow_mut() = Some(app.runner.clone()));
                start_ticker(app.runner.clone(), cc.egui_ctx.clone());
                Ok(Box::new(WebApp(app)))
            }),
        )
        .await
}

/// Steps the runs on a timer, independently of the frame rate.
fn start_ticker(runner: Rc<RefCell<Runner>>, ctx: eframe::egui::Context) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let tick = Closure::<dyn FnMut()>::new(move || {
        if let Ok(mut r) = runner.try_borrow_mut() {
            if r.busy() {
                r.advance(TICK_BUDGET_MS);
                ctx.request_repaint();
            }
        }
    });
    let _ =
        window.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), TICK_INTERVAL_MS);
    tick.forget();
}

/// Test hook: runs a scenario (TOML text) with a seed to the end; returns `summary.json`'s text.
#[wasm_bindgen]
pub fn run_scenario(toml: &str, seed: f64) -> Result<String, JsValue> {
    let seed = (seed >= 0.0 && seed.fract() == 0.0).then_some(seed as u64);
    crate::run_summary(toml, "scenario.toml", seed).map_err(|e| JsValue::from_str(&e))
}

/// Test hook: the app's state as JSON (panel, run progress, errors, click targets).
#[wasm_bindgen]
pub fn app_state() -> String {
    STATUS.with(|s| s.borrow().clone())
}

/// Test hook: the summary of the app's finished main run (empty until it is done).
#[wasm_bindgen]
pub fn app_summary() -> String {
    RUNNER.with(|r| {
        r.borrow().as_ref().and_then(|r| r.try_borrow().ok()?.main.as_ref()?.summary_json.clone()).unwrap_or_default()
    })
}

/// The text of a shipped scenario (for tests), empty if unknown.
#[wasm_bindgen]
pub fn shipped_scenario(name: &str) -> String {
    sim_core::data::scenario(name).unwrap_or("").to_string()
}
