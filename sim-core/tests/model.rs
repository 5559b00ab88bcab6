//! The model against independent facts: published CAISO figures, a replayed calendar's arithmetic,
//! conservation of weighted load, weather replay, and the schedule's shape.

use sim_core::Sim;
use sim_core::grid::AlertLevel;
use sim_core::scenario::{FileSource, NoFiles, ValidScenario, load_scenario, parse_override};
use std::collections::BTreeMap;

fn shipped(name: &str) -> ValidScenario {
    load_scenario(sim_core::data::scenario(name).expect("shipped"), name, &[], &NoFiles).expect("valid")
}

fn with(name: &str, sets: &[&str]) -> ValidScenario {
    let o: Vec<_> = sets.iter().map(|s| parse_override(s).expect("override")).collect();
    load_scenario(sim_core::data::scenario(name).expect("shipped"), name, &o, &NoFiles).expect("valid")
}

#[test]
fn a_2022_like_heat_wave_peaks_near_the_52_gw_record_in_the_late_afternoon() {
    let mut sim = Sim::new(&shipped("default.toml"), 2022);
    sim.run_to_end();
    let s = sim.summary();
    // CAISO record: 52,061 MW on 2022-09-06 at 16:58 (DOMAIN.md §6).
    assert!((50_000.0..=54_000.0).contains(&s.peak_system_load_mw), "peak {}", s.peak_system_load_mw);
    assert!(s.peak_system_load_time.starts_with("2022-09-06T1"), "{}", s.peak_system_load_time);
    let hour: u32 = s.peak_system_load_time[11..13].parse().expect("hour");
    assert!((16..=18).contains(&hour), "{}", s.peak_system_load_time);
    // The tightest evening brings EEA alerts.
    assert!(s.alert_hours_at_or_above[&AlertLevel::Eea1] > 0.0, "{s:?}");
}

#[test]
fn normal_summer_weekdays_peak_at_40_to_44_gw() {
    // July-September with the heat-wave regime off: typical weekdays (DOMAIN.md §6: about 40-44 GW).
    let scn = with(
        "synthetic-summer.toml",
        &["start=2023-07-05", "end=2023-09-29", "weather.heat_wave.onset_prob_by_month=[0,0,0,0,0,0,0,0,0,0,0,0]"],
    );
    let mut sim = Sim::new(&scn, 3);
    sim.run_to_end();
    let mut peaks: BTreeMap<String, f64> = BTreeMap::new();
    for r in &sim.metrics().steps {
        if r.time.day_type == sim_core::time::DayType::Weekday {
            let e = peaks.entry(r.time.date.to_string()).or_insert(0.0);
            *e = e.max(r.system_load_mw);
        }
    }
    let mut v: Vec<f64> = peaks.values().copied().collect();
    v.sort_by(f64::total_cmp);
    let median = v[v.len() / 2];
    assert!((40_000.0..=44_000.0).contains(&median), "median weekday peak {median}");
    // Normal weather does not run the grid out of reserves.
    assert_eq!(sim.summary().unserved_energy_mwh, 0.0);
}

#[test]
fn replayed_2020_calendar_gives_its_alerts_and_unserved_energy_exactly() {
    let scn = shipped("summer-2020.toml");
    let cal = scn.calendar().expect("calendar");
    // Unserved energy is the calendar's shed MW × duration: about 1,000 MW for 75 min and 470 MW for 20 min.
    let expected: f64 = cal.iter().map(|a| a.shed_mw * (a.end_utc_s - a.start_utc_s) as f64 / 3600.0).sum();
    assert!((expected - (1000.0 * 75.0 + 470.0 * 20.0) / 60.0).abs() < 1e-9, "{expected}");
    let mut sim = Sim::new(&scn, 1);
    sim.run_to_end();
    let s = sim.summary();
    assert!((s.unserved_energy_mwh - expected).abs() < 1e-3, "{} vs {expected}", s.unserved_energy_mwh);
    let eea3 = sim.metrics().steps.iter().filter(|r| r.alert == AlertLevel::Eea3).map(|r| r.time.date.to_string());
    let days: std::collections::BTreeSet<String> = eea3.collect();
    assert_eq!(days.into_iter().collect::<Vec<_>>(), vec!["2020-08-14", "2020-08-15"]);
}

#[test]
fn replayed_2022_calendar_puts_eea3_on_september_6_from_17_17_to_20_00() {
    let mut sim = Sim::new(&shipped("heatwave-2022.toml"), 1);
    sim.run_to_end();
    let eea3: Vec<String> =
        sim.metrics().steps.iter().filter(|r| r.alert == AlertLevel::Eea3).map(|r| r.time.local_text()).collect();
    // 5-minute steps starting inside 17:17-20:00: 17:20 .. 19:55.
    assert_eq!(eea3.first().map(String::as_str), Some("2022-09-06 17:20"));
    assert_eq!(eea3.last().map(String::as_str), Some("2022-09-06 19:55"));
    assert_eq!(eea3.len(), 32);
}

#[test]
fn weights_scale_customer_load_exactly() {
    let base = with("default.toml", &["end=2022-09-01"]);
    let double = with(
        "default.toml",
        &[
            "end=2022-09-01",
            "population.0.customers=8800000",
            "population.1.customers=1120000",
            "population.2.customers=16000",
            "population.3.customers=40000",
        ],
    );
    let run = |s: &ValidScenario| {
        let mut sim = Sim::new(s, 5);
        sim.run_to_end();
        sim.metrics().steps.iter().map(|r| r.customers_load_mw).collect::<Vec<_>>()
    };
    let (a, b) = (run(&base), run(&double));
    for (x, y) in a.iter().zip(&b) {
        assert!((2.0 * x - y).abs() <= 1e-9 * y.abs(), "{x} {y}");
    }
}

struct MapFiles(BTreeMap<&'static str, String>);

impl FileSource for MapFiles {
    fn read(&self, name: &str) -> Result<String, sim_core::scenario::ReadError> {
        self.0.get(name).cloned().ok_or_else(|| sim_core::scenario::ReadError::new(name, "no such file"))
    }
}

#[test]
fn replayed_weather_is_interpolated_to_the_step() {
    let mut csv = String::from("# test\ntime,temp_c\n");
    for h in 0..=24 {
        let (d, hh) = if h < 24 { ("2022-09-06", h) } else { ("2022-09-07", 0) };
        csv.push_str(&format!("{d} {hh:02}:00,{}\n", 20 + h));
    }
    let files = MapFiles(BTreeMap::from([("w.csv", csv)]));
    let text = r#"
schema_version = 1
name = "replay"
start = "2022-09-06"
end = "2022-09-06"
step_minutes = 15
[weather]
model = "replay"
file = "w.csv"
"#;
    let scn = load_scenario(text, "replay.toml", &[], &files).expect("valid");
    let mut sim = Sim::new(&scn, 1);
    sim.run_to_end();
    let t: Vec<f64> = sim.metrics().steps.iter().map(|r| r.outdoor_temp_c).collect();
    assert_eq!(t.len(), 96);
    assert!((t[0] - 20.0).abs() < 1e-12);
    assert!((t[1] - 20.25).abs() < 1e-12);
    assert!((t[4 * 17 + 2] - 37.5).abs() < 1e-12);
    // A file that does not cover the run is refused, naming it.
    let short =
        MapFiles(BTreeMap::from([("w.csv", "time,temp_c\n2022-09-06 00:00,20\n2022-09-06 01:00,21\n".to_string())]));
    let e = load_scenario(text, "replay.toml", &[], &short).expect_err("too short").to_string();
    assert!(e.contains("does not cover"), "{e}");
    let dup =
        MapFiles(BTreeMap::from([("w.csv", "time,temp_c\n2022-09-06 00:00,20\n2022-09-06 00:00,21\n".to_string())]));
    let e = load_scenario(text, "replay.toml", &[], &dup).expect_err("duplicate").to_string();
    assert!(e.contains("w.csv:3") && e.contains("duplicate"), "{e}");
}

#[test]
fn the_schedule_has_no_ambiguous_system_order() {
    Sim::check_schedule(&shipped("default.toml")).expect("no ambiguities");
}

#[test]
fn holidays_use_the_weekend_load_shape() {
    // Labor Day 2022 (Monday Sep 5) has lower business load than Friday Sep 2 at the same hour.
    let mut sim = Sim::new(&shipped("default.toml"), 2022);
    sim.run_to_end();
    let at = |d: &str| {
        sim.metrics()
            .steps
            .iter()
            .find(|r| r.time.local_text() == format!("{d} 11:00"))
            .map(|r| r.class_mw[1])
            .expect("row")
    };
    assert!(at("2022-09-05") < 0.8 * at("2022-09-02"), "{} vs {}", at("2022-09-05"), at("2022-09-02"));
}

#[test]
fn every_run_starts_at_steady_state_with_no_start_up_transient() {
    // Each A/C starts at its steady state for the first step's weather, so the first hour's
    // customer load is what the model expects of that hour (a start with half the units running
    // drew 55 % more than expected and decayed over the first hour).
    for name in ["default.toml", "heatwave-2022.toml", "summer-2020.toml", "synthetic-summer.toml"] {
        let mut sim = Sim::new(&with(name, &["population.0.agents=4000"]), 11);
        sim.run_steps(12);
        let steps = sim.steps();
        assert_eq!(steps.len(), 12, "{name}");
        for s in steps {
            let gap = s.customers_load_mw / s.customers_expected_mw - 1.0;
            assert!(
                gap.abs() < 0.03,
                "{name} {}: load {} vs expected {}",
                s.time.local_text(),
                s.customers_load_mw,
                s.customers_expected_mw
            );
        }
    }
}

/// heatwave-2022 with the model declaring its own alerts instead of replaying CAISO's calendar.
fn heatwave_2022_model_alerts(sets: &[&str]) -> ValidScenario {
    let text = sim_core::data::scenario("heatwave-2022.toml")
        .expect("shipped")
        .replace("alerts_from = \"calendar\"", "alerts_from = \"model\"")
        .replace("calendar = \"builtin:caiso-2022\"\n", "");
    let o: Vec<_> = sets.iter().map(|s| parse_override(s).expect("override")).collect();
    load_scenario(&text, "heatwave-2022.toml", &o, &NoFiles).expect("valid")
}

#[test]
fn the_2022_text_alert_cuts_load_by_about_1200_mw_in_5_minutes_and_2000_mw_in_30() {
    // CAISO's account of 2022-09-06 (DOMAIN.md §6): about 1,200 MW between 17:50 and 17:55,
    // about 2,000 MW over the next 20-30 minutes. Tolerance ±30 %.
    let mut sim = Sim::new(&shipped("heatwave-2022.toml"), 906);
    sim.run_to_end();
    let steps = &sim.metrics().steps;
    let jump = steps
        .windows(2)
        .position(|w| w[1].conservation_mw - w[0].conservation_mw > 300.0)
        .expect("the text alert goes out during the replayed EEA 3");
    let at = &steps[jump + 1];
    assert_eq!(at.time.date.to_string(), "2022-09-06");
    assert_eq!(steps[jump].alert, AlertLevel::Eea3, "sent during EEA 3");
    let before = steps[jump].conservation_mw;
    let five = at.conservation_mw - before;
    let thirty = steps[jump + 6].conservation_mw - before;
    assert!((840.0..=1560.0).contains(&five), "{five:.0} MW in 5 minutes");
    assert!((1400.0..=2600.0).contains(&thirty), "{thirty:.0} MW in 30 minutes");
    // It is sent once: no later jump.
    assert!(!steps[jump + 2..].windows(2).any(|w| w[1].conservation_mw - w[0].conservation_mw > 300.0));
    // Without the text alert, the same evening sees only the Flex Alert response.
    let mut quiet = Sim::new(&with("heatwave-2022.toml", &["grid.conservation.text_alert=false"]), 906);
    quiet.run_to_end();
    let most = quiet.metrics().steps.iter().map(|s| s.conservation_mw).fold(0.0, f64::max);
    assert!(most < 0.02 * at.system_load_mw, "{most:.0} MW without a text alert");
}

#[test]
fn the_look_ahead_declares_emergencies_before_the_margin_itself_falls() {
    let first_eea = |sets: &[&str]| {
        let mut sim = Sim::new(&heatwave_2022_model_alerts(sets), 906);
        sim.run_to_end();
        let steps = &sim.metrics().steps;
        let i = steps.iter().position(|s| s.alert >= AlertLevel::Eea1).expect("an EEA in the 2022 heat wave");
        (steps[i].time.utc_s, steps[i].reserve_margin_pct)
    };
    let (now_only, m0) = first_eea(&["grid.alerts.lookahead_minutes=0"]);
    let (ahead, m2) = first_eea(&[]);
    let eea1 = sim_core::scenario::AlertParams::default().eea1_margin_pct;
    // Without a look-ahead, EEA 1 waits for the margin itself to cross the threshold.
    assert!(m0 < eea1, "{m0}");
    // With one, it is declared earlier, while the present margin is still above the threshold.
    assert!(ahead < now_only, "{ahead} vs {now_only}");
    assert!(m2 > eea1, "{m2}");
}

/// summer-2020 with its replayed calendar, and the same with the calendar's shed MW blanked (the
/// same alerts, no rotating outages): (with outages, without), seed 1.
fn summer_2020_with_and_without_shed() -> (Sim, Sim) {
    let cal = sim_core::data::builtin("caiso-2020").expect("builtin calendar");
    let blanked: String = cal
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            if f.len() >= 5 && f[3].parse::<f64>().is_ok() {
                format!("{},{},{},,{}\n", f[0], f[1], f[2], f[4..].join(","))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_ne!(blanked, cal, "the 2020 calendar has shed rows");
    let text = sim_core::data::scenario("summer-2020.toml").expect("shipped");
    let moved = text.replace("calendar = \"builtin:caiso-2020\"", "calendar = \"no-shed.csv\"");
    assert_ne!(moved, text);
    let files = MapFiles(BTreeMap::from([("no-shed.csv", blanked)]));
    let quiet = load_scenario(&moved, "summer-2020.toml", &[], &files).expect("valid");
    let (mut a, mut b) = (Sim::new(&shipped("summer-2020.toml"), 1), Sim::new(&quiet, 1));
    a.run_to_end();
    b.run_to_end();
    (a, b)
}

#[test]
fn rotating_outages_take_the_shed_off_the_load_and_put_customers_in_the_dark() {
    let (shed, quiet) = summer_2020_with_and_without_shed();
    let (a, b) = (&shed.metrics().steps, &quiet.metrics().steps);
    assert_eq!(a.len(), b.len());
    let represented = shed.summary().customers_represented;
    let out: Vec<usize> = (0..a.len()).filter(|&i| a[i].unserved_mw > 0.0).collect();
    assert!(out.len() >= 15, "{} steps of rotating outages", out.len());
    // The shed comes off the load: over the outages, the load served falls by the MW shed
    // (within 10 %: the customers out would have drawn their own load, not exactly the expected).
    let fall: f64 = out.iter().map(|&i| b[i].system_load_mw - a[i].system_load_mw).sum();
    let shed_mw: f64 = out.iter().map(|&i| a[i].unserved_mw).sum();
    assert!((fall / shed_mw - 1.0).abs() < 0.1, "load fell {fall:.0} MW-steps for {shed_mw:.0} shed");
    for &i in &out {
        // The simulated customers out are the shed's share of demand (their places are uniform).
        let share = a[i].unserved_mw / (a[i].system_load_mw + a[i].unserved_mw);
        let dark = a[i].customers_out / represented;
        assert!(
            (dark / share - 1.0).abs() < 0.25,
            "{}: {dark:.4} of customers out for {share:.4}",
            a[i].time.rfc3339()
        );
        assert!(a[i].system_customers_out > a[i].customers_out);
        // Homes out of power warm up.
        assert!(a[i].mean_indoor_temp_c >= b[i].mean_indoor_temp_c, "{}", a[i].time.rfc3339());
    }
    // The blocks rotate: an hour into the Aug 14 outage a new block goes dark.
    let first = out[0];
    let turn = first + 12;
    assert!(a[turn].unserved_mw > 0.0 && a[turn - 1].customers_newly_out < 0.1 * a[turn - 1].customers_out);
    assert!(a[turn].customers_newly_out > 0.9 * a[turn].customers_out, "{}", a[turn].customers_newly_out);
    // Power returns and the homes' A/Cs start together: cold load pick-up.
    let end = first + out.iter().take_while(|&&i| a[i].time.date == a[first].time.date).count();
    assert_eq!(a[end].unserved_mw, 0.0);
    let pick_up: f64 = (end..end + 3).map(|i| a[i].customers_load_mw - b[i].customers_load_mw).sum();
    assert!(pick_up > 0.0, "{pick_up:.1} MW-steps after restoration");
    // The summary's days, and none without the shed.
    let days: Vec<String> = shed.summary().outages.iter().map(|d| d.date.clone()).collect();
    assert_eq!(days, ["2020-08-14", "2020-08-15"]);
    assert!(shed.summary().outages.iter().all(|d| d.customers_out > 0.0 && d.system_customers_out > d.customers_out));
    assert!(quiet.summary().outages.is_empty() && b.iter().all(|s| s.customers_out == 0.0 && s.unserved_mw == 0.0));
}

#[test]
fn replayed_supply_incidents_and_the_response_to_outages_move_the_fleet_by_their_mw() {
    let text = sim_core::data::scenario("summer-2020.toml").expect("shipped");
    let a = text.find("incidents = [").expect("incidents");
    let b = a + text[a..].find("\n]\n").expect("list end");
    let none = format!("{}incidents = []{}", &text[..a], &text[b + 2..]);
    let run = |t: &str, sets: &[&str]| {
        let o: Vec<_> = sets.iter().map(|s| parse_override(s).expect("override")).collect();
        let mut s = Sim::new(&load_scenario(t, "summer-2020.toml", &o, &NoFiles).expect("valid"), 1);
        s.run_to_end();
        // The fleet before a replayed level withholds any of it.
        s.metrics().steps.iter().map(|r| (r.time.rfc3339(), r.firm_mw + r.replay_withheld_mw)).collect::<Vec<_>>()
    };
    let off = ["grid.outages.response_mw=0"];
    let (with, without) = (run(text, &off), run(&none, &off));
    // Each incident takes its MW off the fleet inside its window and nothing outside it.
    let lost = |t: &str| -> f64 {
        [
            ("2020-08-14T14:57", "2020-08-14T17:55", 494.0),
            ("2020-08-14T18:28", "2020-08-15T00:00", 741.0),
            ("2020-08-15T17:45", "2020-08-15T18:48", 1000.0),
            ("2020-08-15T18:13", "2020-08-15T20:00", 470.0),
        ]
        .iter()
        .filter(|(s, e, _)| *s <= t && t < *e)
        .map(|(_, _, mw)| mw)
        .sum()
    };
    let mut inside = 0;
    for ((t, x), (_, y)) in with.iter().zip(&without) {
        let want = lost(&t[..16]);
        inside += usize::from(want > 0.0);
        assert!((y - x - want).abs() < 1e-6, "{t}: {:.1} MW lost, expected {want}", y - x);
    }
    assert!(inside > 40, "{inside} steps inside incidents");
    // The response to the Aug 14 outages is in the fleet from the second day after, not before.
    let responded = run(text, &["grid.outages.response_mw=3000"]);
    for ((t, x), (_, y)) in responded.iter().zip(&with) {
        let want = if t.as_str() >= "2020-08-16" { 3000.0 } else { 0.0 };
        assert!((x - y - want).abs() < 1e-6, "{t}: {:.1} MW added, expected {want}", x - y);
    }
}
