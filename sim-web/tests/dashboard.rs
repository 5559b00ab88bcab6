//! Interaction tests of the dashboard with egui_kittest: the app is driven through its widgets
//! (found by their accessible labels), as a person would.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sim_web::egui;
use sim_web::egui::accesskit::Role;
use sim_web::{DashApp, Panel};

fn harness(app: DashApp) -> Harness<'static, DashApp> {
    Harness::builder().with_size(egui::vec2(1400.0, 900.0)).build_ui_state(|ui, app: &mut DashApp| app.show(ui), app)
}

/// Steps frames until `done` holds (at most `max` frames).
fn step_until(h: &mut Harness<'_, DashApp>, max: usize, done: impl Fn(&DashApp) -> bool) {
    for _ in 0..max {
        if done(h.state()) {
            return;
        }
        h.step();
    }
    assert!(done(h.state()), "not done after {max} frames");
}

/// The program selector's button (the first of the labels: dual-participation lists repeat IDs).
fn program<'h>(h: &'h Harness<'_, DashApp>, id: &'h str) -> egui_kittest::Node<'h> {
    h.query_all_by_label(id).next().unwrap_or_else(|| panic!("no program {id}"))
}

fn main_finished(app: &DashApp) -> bool {
    app.runner.borrow().main.as_ref().is_some_and(|j| j.finished())
}

#[test]
fn changing_a_program_slider_changes_the_scenario_the_app_will_run() {
    let mut h = harness(DashApp::new());
    h.run_steps(2);
    h.get_by_label("Program editor").click();
    h.run_steps(2);
    assert_eq!(h.state().panel, Panel::Editor);
    program(&h, "TOU-BIP").click();
    h.run_steps(2);
    assert_eq!(h.state().editor.program, "TOU-BIP");
    h.get_by_label("max_events_per_month").set_value_accesskit(3.0);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Slider, "large-ci").set_value_accesskit(0.5);
    h.run_steps(2);

    let app = h.state();
    let scn = app.next.as_ref().expect("the edited scenario validates");
    assert_eq!(scn.book().programs["TOU-BIP"].max_events_per_month, Some(3));
    assert_eq!(scn.scenario().population[2].enrolment["TOU-BIP"], 0.5);
    let keys: Vec<String> = app.overrides().iter().map(sim_web::share::override_text).collect();
    assert!(keys.contains(&"programs.TOU-BIP.max_events_per_month=3".to_string()), "{keys:?}");
    // The link carries the edit.
    assert!(app.link().contains("max_events_per_month%3D3"));
    // The book as written is untouched (it is Compare's A).
    let base = app.base.as_ref().expect("the book loads");
    assert_eq!(base.book().programs["TOU-BIP"].max_events_per_month, Some(10));
}

#[test]
fn an_edit_that_breaks_a_rule_shows_the_error_and_does_not_run() {
    let mut h = harness(DashApp::new());
    h.get_by_label("Program editor").click();
    h.run_steps(2);
    program(&h, "CBP-E").click();
    h.run_steps(2);
    // A day rule the engine does not know.
    h.state_mut().edits.values.insert("programs.CBP-E.days".into(), toml::Value::String("sometimes".into()));
    h.state_mut().rebuild_next();
    h.run_steps(2);
    assert!(h.state().next.is_err());
    assert!(h.query_by_label_contains("do not validate").is_some());
    h.get_by_label("Reset all programs").click();
    h.run_steps(2);
    assert!(h.state().next.is_ok());
}

#[test]
fn running_the_default_scenario_fills_the_plots() {
    let mut h = harness(DashApp::new());
    h.run_steps(1);
    h.get_by_label("Run").click();
    h.run_steps(1);
    assert!(h.state().runner.borrow().main.is_some());
    step_until(&mut h, 20_000, main_finished);
    for panel in ["Grid", "Programs", "Customers", "Settlement"] {
        h.get_by_label(panel).click();
        h.run_steps(3);
        assert!(h.query_by_label_contains("No run yet").is_none(), "{panel} has no data");
    }
    let app = h.state();
    let runner = app.runner.borrow();
    let job = runner.main.as_ref().expect("a run");
    let total = job.sim.clock().steps_total as usize;
    assert_eq!(job.sim.steps().len(), total);
    assert!(sim_web::panels::programs::reduction_points(job) > 0);
    assert!(job.segments.len() > total / 4);
    // The summary is the CLI's bytes (same scenario, same seed).
    let expected = sim_web::run_summary(sim_core::data::default_scenario(), "default.toml", None).unwrap();
    assert_eq!(job.summary_json.as_deref(), Some(expected.as_str()));
}

#[test]
fn compare_shows_a_difference_when_b_differs_from_a() {
    let mut app = DashApp::new();
    app.panel = Panel::Compare;
    let mut h = harness(app);
    h.run_steps(2);
    assert!(h.query_by_label_contains("B has no edits").is_some());
    // Three times as many homes apply to SDP (A/C cycling) in B.
    h.get_by_label("Program editor").click();
    h.run_steps(2);
    program(&h, "SDP").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Slider, "homes").set_value_accesskit(0.33);
    h.run_steps(2);
    h.get_by_label("Compare").click();
    h.run_steps(2);
    h.get_by_label("Run A and B").click();
    h.run_steps(1);
    step_until(&mut h, 40_000, |a| a.runner.borrow().compare.as_ref().is_some_and(|c| c.iter().all(|j| j.finished())));
    h.run_steps(2);
    assert!(h.query_by_label("B differs from A.").is_some());
    let app = h.state();
    let runner = app.runner.borrow();
    let [a, b] = runner.compare.as_ref().expect("compare runs");
    let (sa, sb) = (a.summary.as_ref().unwrap(), b.summary.as_ref().unwrap());
    assert!(sb.programs["SDP"].enrolled_customers > 2.0 * sa.programs["SDP"].enrolled_customers);
    assert_eq!(sa.seed, sb.seed);
}

#[test]
fn the_market_panel_shows_the_drps_bids_awards_and_revenue() {
    let mut app = DashApp::with_source(sim_web::share::Source::Embedded("third-party-2022.toml".into()));
    app.panel = Panel::Market;
    let mut h = harness(app);
    h.run_steps(2);
    assert!(h.query_by_label_contains("No run yet").is_some());
    h.get_by_label("Run").click();
    h.run_steps(1);
    step_until(&mut h, 40_000, main_finished);
    h.run_steps(3);
    let (names, revenue) = {
        let app = h.state();
        let runner = app.runner.borrow();
        let job = runner.main.as_ref().expect("a run");
        let s = job.summary.as_ref().expect("finished");
        assert!(!s.drps.is_empty(), "the scenario has DRPs");
        let names: Vec<String> = s.drps.keys().cloned().collect();
        let market = job.sim.market();
        let (bid, award) = (market.totals()[0].bid_mwh, market.totals()[0].award_mwh);
        let first = &s.drps[&market.drps()[0].name];
        // The table's totals are the summary's (hourly MW over one-hour market intervals = MWh).
        assert!((bid - first.bid_mwh).abs() < 1e-3 * bid.max(1.0), "{bid} vs {}", first.bid_mwh);
        assert!((award - first.awarded_mwh).abs() < 1e-3 * award.max(1.0), "{award} vs {}", first.awarded_mwh);
        (names, sim_web::panels::settlement::fmt_money(first.market_revenue_usd))
    };
    for n in &names {
        assert!(h.query_all_by_label(n.as_str()).next().is_some(), "no row for {n}");
    }
    assert!(h.query_by_label(revenue.as_str()).is_some(), "no revenue cell {revenue}");
    assert!(h.query_by_label_contains("Capacity alerts").is_some(), "the CCA feed is beside the market");
}
