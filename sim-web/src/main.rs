//! The dashboard in a native window: `cargo run --release -p sim-web [LINK]`.
//!
//! An optional argument is a link copied from the dashboard (or its `#...` part): it restores the
//! scenario, seed and edits.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> eframe::Result {
    let mut app = sim_web::DashApp::new();
    if let Some(link) = std::env::args().nth(1) {
        match sim_web::share::Shared::from_link(&link) {
            Ok(s) => app.apply_shared(s),
            Err(e) => app.message = format!("the link could not be read: {e}"),
        }
    }
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("drsim dashboard")
            .with_inner_size([1280.0, 820.0]),
        ..Default::default()
    };
    eframe::run_native("drsim dashboard", options, Box::new(|_cc| Ok(Box::new(app))))
}

// The browser build uses the library (`web.rs`); this keeps `--target wasm32` checks of the
// whole package compiling.
#[cfg(target_arch = "wasm32")]
fn main() {}
