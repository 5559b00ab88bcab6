//! Programs in the physics: enrolment honours eligibility and dual participation, automatic
//! dispatch follows alerts and never breaks a rule, responses lower load, and prohibited
//! resources follow the Governor's order.

use bevy_ecs::entity::Entity;
use sim_core::Sim;
use sim_core::customers::{Customer, Meter, Segments};
use sim_core::devices::{AcState, AirConditioner, Building, FacilityControls, Pump};
use sim_core::programs::book::Device;
use sim_core::programs::eligibility::{CustomerView, check_dual, check_eligibility};
use sim_core::programs::{Enrolment, PriceSignals, Status, judge_calendar};
use sim_core::scenario::{NoFiles, ValidScenario, load_scenario, parse_override};

fn scenario(name: &str, sets: &[&str]) -> ValidScenario {
    let o: Vec<_> = sets.iter().map(|s| parse_override(s).expect("override")).collect();
    load_scenario(sim_core::data::scenario(name).expect("shipped"), name, &o, &NoFiles).expect("valid")
}

fn run(scn: &ValidScenario, seed: u64) -> Sim {
    let mut sim = Sim::new(scn, seed);
    sim.run_to_end();
    sim
}

#[test]
fn heatwave_2022_automatic_dispatch_follows_alerts_and_lowers_system_load() {
    let sim = run(&scenario("heatwave-2022.toml", &[]), 906);
    let ps = sim.program_state();
    let steps = &sim.metrics().steps;
    let called: Vec<_> = ps.events.iter().collect();
    assert!(called.len() >= 10, "only {} events called", called.len());
    // Day-of calls are made while an alert at least as high as the policy's level is in force
    // (the operator acts on the alert of the step before).
    let step_s = 60 * i64::from(sim.clock().step_minutes);
    let mut day_of = 0;
    for e in called.iter().filter(|e| e.automatic && sim.clock().local(e.issued_utc).is_some_and(|l| l.date == e.date))
    {
        let level = ps.specs[e.program].operator.day_of_alert.expect("day-of calls come from a day-of policy");
        let at = steps.iter().find(|s| s.time.utc_s == e.issued_utc - step_s).map(|s| s.alert);
        assert!(
            at.is_some_and(|a| a >= level),
            "{} called at {} under {at:?}, policy {level}",
            ps.ids[e.program],
            e.issued_utc
        );
        day_of += 1;
    }
    assert!(day_of >= 5, "{day_of} day-of calls");
    // The automatic operator never breaks a rule: re-judging its requests gives the same verdicts.
    let rows = judge_calendar(sim.program_state().judge_book(), ps.rows.iter().map(|r| r.request.clone()).collect());
    assert!(rows.iter().all(|r| r.status == Status::Called), "{:?}", rows.iter().find(|r| r.status != Status::Called));
    // Emergency programs are called on Sep 6, the EEA 3 day.
    for id in ["SDP", "TOU-BIP", "AP-I", "ELRP-A1"] {
        assert!(
            called.iter().any(|e| ps.ids[e.program] == id && e.date.to_string() == "2022-09-06"),
            "{id} not called on Sep 6"
        );
    }
    // Reductions lower system load while events are in force.
    let during: Vec<_> = steps.iter().filter(|s| !s.active_programs.is_empty()).collect();
    let lower = during.iter().filter(|s| s.system_load_mw < s.counterfactual_system_load_mw).count();
    assert!(lower as f64 > 0.9 * during.len() as f64, "{lower} of {}", during.len());
    let mean_cut: f64 =
        during.iter().map(|s| s.counterfactual_system_load_mw - s.system_load_mw).sum::<f64>() / during.len() as f64;
    let attributed: f64 =
        during.iter().map(|s| s.program_reduction_mw.iter().sum::<f64>()).sum::<f64>() / during.len() as f64;
    assert!(mean_cut > 200.0, "mean cut {mean_cut} MW");
    // The system-load cut is the customers' reduction, all of it attributed to programs.
    assert!((mean_cut - attributed).abs() < 0.02 * mean_cut, "{mean_cut} vs {attributed}");
    let s = sim.summary();
    assert!(s.peak_system_load_mw < s.counterfactual_peak_system_load_mw.expect("twin"));
}

#[test]
fn without_events_the_twin_and_the_run_are_identical() {
    let sim = run(
        &scenario("default.toml", &["automatic_dispatch=false", "programs.RTP.enabled=false", "end=2022-09-03"]),
        3,
    );
    for s in &sim.metrics().steps {
        assert_eq!(s.system_load_mw.to_bits(), s.counterfactual_system_load_mw.to_bits());
        assert!(s.program_reduction_mw.iter().all(|r| *r == 0.0) && s.unattributed_reduction_mw == 0.0);
    }
}

fn view<'a>(
    c: &Customer,
    rates: &'a [String],
    e: &Enrolment,
    devices: Vec<Device>,
    hp: Option<f64>,
) -> CustomerView<'a> {
    CustomerView {
        class: c.class,
        service: c.service,
        meter: c.meter,
        rate: rates.get(c.rate as usize).map_or("", String::as_str),
        max_demand_kw: c.max_demand_kw,
        horsepower: hp,
        reducible_kw: e.flexible_kw,
        devices,
    }
}

#[test]
fn enrolled_customers_are_eligible_and_combine_only_allowed_programs() {
    let scn = scenario("default.toml", &["end=2022-09-01"]);
    let mut sim = Sim::new(&scn, 11);
    let rates = sim.world().resource::<Segments>().rates.clone();
    let book = scn.book().clone();
    let ids = sim.program_state().ids.clone();
    let w = sim.world_mut();
    let mut q = w.query::<(
        &Customer,
        &Enrolment,
        Option<&AirConditioner>,
        Option<&Pump>,
        Option<&sim_core::devices::SmartThermostat>,
    )>();
    let mut enrolled = 0;
    for (c, e, ac, pump, ts) in q.iter(w) {
        let mut devices = vec![];
        if ac.is_some() {
            devices.push(Device::CentralAc);
        }
        if ts.is_some() {
            devices.push(Device::SmartThermostat);
        }
        if pump.is_some() {
            devices.push(Device::Pump);
        }
        let hp = pump.map(|p| p.kw * 0.9 / sim_core::devices::pump::KW_PER_HP);
        let v = view(c, &rates, e, devices, hp);
        let mine: Vec<&str> =
            ids.iter().enumerate().filter(|(i, _)| e.enrolled.contains(*i)).map(|(_, s)| s.as_str()).collect();
        for (k, id) in mine.iter().enumerate() {
            enrolled += 1;
            assert_eq!(check_eligibility(&book.programs[*id], &v), Ok(()), "customer {} in {id}", c.id);
            assert_eq!(check_dual(&book, id, &mine[..k]), Ok(()), "customer {} in {mine:?}", c.id);
        }
    }
    assert!(enrolled > 1000, "{enrolled}");
    let s = sim.summary();
    // CPP is Bundled-only: CCA and Direct Access applicants are refused and counted.
    let cpp = &s.enrolment_rejections["CPP"];
    assert!(
        cpp["service type CCA not eligible"] > 0.0 && cpp["service type DirectAccess not eligible"] > 0.0,
        "{cpp:?}"
    );
    assert!(s.enrolment_rejections["SDP"]["requires central_ac"] > 0.0);
}

#[test]
fn a_scripted_sdp_event_cycles_air_conditioners_and_warms_homes() {
    let scn = scenario(
        "default.toml",
        &[
            "start=2022-09-06",
            "end=2022-09-06",
            "automatic_dispatch=false",
            "dispatch=[{program=\"SDP\",date=\"2022-09-06\",start=\"17:00\",end=\"19:00\",trigger=\"EEA2\"}]",
        ],
    );
    let mut sim = Sim::new(&scn, 4);
    let sdp = sim.program_state().index("SDP").expect("SDP");
    // At the end of the event, SDP customers' homes are warmer than their twins'.
    let t = sim.clock().utc_of_local(scn.first_day(), 18 * 60 + 55).expect("time");
    sim.run_until(t + 300);
    let mean_temp = |w: &bevy_ecs::world::World| {
        let mut q = w.try_query::<(&Customer, &Enrolment, &AcState)>().expect("query");
        let v: Vec<(u32, f64)> =
            q.iter(w).filter(|(_, e, _)| e.enrolled.contains(sdp)).map(|(c, _, a)| (c.id, a.temp_c)).collect();
        v.iter().map(|x| x.1).sum::<f64>() / v.len() as f64
    };
    let warm = mean_temp(sim.world()) - mean_temp(sim.counterfactual_world().expect("twin"));
    assert!(warm > 0.5, "SDP homes only {warm} °C warmer than their twins");
    sim.run_to_end();
    let steps = &sim.metrics().steps;
    let at = |hhmm: &str| steps.iter().find(|s| s.time.local_text().ends_with(hhmm)).expect("step");
    // During the event: fewer compressors run and SDP customers' load is lower than the twin's.
    assert!(at("18:00").ac_running_share < at("16:50").ac_running_share);
    assert!(at("18:00").program_reduction_mw[sdp] > 50.0, "{}", at("18:00").program_reduction_mw[sdp]);
    // Snapback after the event: the warmed homes cool down, drawing more than the twin.
    let after: f64 = steps
        .iter()
        .filter(|s| s.time.minute_of_day >= 19 * 60 && s.time.minute_of_day < 20 * 60)
        .map(|s| s.program_reduction_mw[sdp])
        .sum();
    assert!(after < 0.0, "no snapback: {after}");
}

#[test]
fn ap_i_interrupts_pumps_and_tou_bip_customers_get_down_to_their_firm_service_level() {
    let scn = scenario(
        "default.toml",
        &[
            "start=2022-09-06",
            "end=2022-09-06",
            "automatic_dispatch=false",
            "programs.TOU-BIP.response.non_compliance=0.0",
            "dispatch=[{program=\"AP-I\",date=\"2022-09-06\",start=\"12:00\",end=\"16:00\",trigger=\"EEA2\"},{program=\"TOU-BIP\",date=\"2022-09-06\",start=\"14:00\",end=\"18:00\",trigger=\"EEA2\",issued=\"2022-09-06T13:00\"}]",
        ],
    );
    let mut sim = Sim::new(&scn, 8);
    let t = sim.clock().utc_of_local(scn.first_day(), 15 * 60).expect("time");
    sim.run_until(t + 300);
    let ps = sim.program_state().clone();
    let (api, bip) = (ps.index("AP-I").expect("AP-I"), ps.index("TOU-BIP").expect("TOU-BIP"));
    let w = sim.world_mut();
    let mut q = w.query::<(&Enrolment, &Meter, Option<&Pump>, Option<&Building>)>();
    let (mut pumps, mut firms) = (0, 0);
    for (e, m, pump, b) in q.iter(w) {
        if e.enrolled.contains(api) {
            let p = pump.expect("AP-I customers have pumps");
            assert!(p.interrupted && m.kw == 0.0);
            pumps += 1;
        }
        if e.enrolled.contains(bip) && b.is_some() {
            assert!(m.kw <= e.fsl_kw + 1e-9, "load {} above FSL {}", m.kw, e.fsl_kw);
            firms += 1;
        }
    }
    assert!(pumps > 50 && firms > 20, "{pumps} {firms}");
}

#[test]
fn a_governors_order_lets_elrp_customers_run_fossil_generators_but_not_in_a_dac() {
    let base = [
        "start=2022-09-06",
        "end=2022-09-06",
        "automatic_dispatch=false",
        "population.2.enrolment.TOU-BIP=0.0",
        "population.2.enrolment.CPP=0.0",
        "population.2.enrolment.RTP=0.0",
        "population.2.enrolment.CBP-E=0.0",
        "population.2.enrolment.ELRP-A1=0.9",
        "population.2.devices.backup_generator=1.0",
        "population.2.devices.generator_fossil_share=1.0",
        "population.1.enrolment.ELRP-A1=0.0",
        "population.3.enrolment.ELRP-A1=0.0",
        "dispatch=[{program=\"ELRP-A1\",date=\"2022-09-06\",start=\"16:00\",end=\"18:00\",trigger=\"EEA2\"}]",
    ];
    let no_order = run(&scenario("default.toml", &base), 5).summary();
    assert_eq!(no_order.generator_mwh, 0.0);
    assert!(no_order.generator_refused_mwh > 0.0);
    let mut with_order = base.to_vec();
    with_order.push("governor_orders=[{start=\"2022-09-06 15:00\",end=\"2022-09-06 22:00\"}]");
    let order = run(&scenario("default.toml", &with_order), 5).summary();
    assert!(order.generator_mwh > 0.0);
    // DAC customers (35% of the segment) are still refused: the order does not override.
    assert!(order.generator_refused_mwh > 0.0);
    let mut dac = with_order.clone();
    dac.pop();
    dac.push("governor_orders=[{start=\"2022-09-06 15:00\",end=\"2022-09-06 22:00\",overrides_dac=true}]");
    let all = run(&scenario("default.toml", &dac), 5).summary();
    assert_eq!(all.generator_refused_mwh, 0.0);
    assert!(all.generator_mwh > order.generator_mwh);
    assert!(all.programs["ELRP-A1"].mean_event_reduction_mw > order.programs["ELRP-A1"].mean_event_reduction_mw);
}

#[test]
fn fatigue_makes_sdp_override_customers_opt_out_more_on_consecutive_days() {
    let days = ["2022-09-01", "2022-09-02", "2022-09-03", "2022-09-04", "2022-09-05", "2022-09-06"];
    let d: Vec<String> = days
        .iter()
        .map(|d| format!("{{program=\"SDP\",date=\"{d}\",start=\"17:00\",end=\"19:00\",trigger=\"EEA1\"}}"))
        .collect();
    let dispatch = format!("dispatch=[{}]", d.join(","));
    let fresh = run(
        &scenario(
            "default.toml",
            &["end=2022-09-06", "automatic_dispatch=false", "behaviour.fatigue_per_day=0.0", &dispatch],
        ),
        2,
    );
    let tired = run(
        &scenario(
            "default.toml",
            &["end=2022-09-06", "automatic_dispatch=false", "behaviour.fatigue_per_day=1.0", &dispatch],
        ),
        2,
    );
    let (a, b) = (fresh.summary().programs["SDP"].opt_outs, tired.summary().programs["SDP"].opt_outs);
    assert!(b > a * 1.3, "opt-outs {a} without fatigue, {b} with");
}

#[test]
fn notifications_are_counted_by_channel_for_each_event() {
    let sim = run(
        &scenario(
            "default.toml",
            &[
                "end=2022-09-06",
                "automatic_dispatch=false",
                "dispatch=[{program=\"SDP\",date=\"2022-09-06\",start=\"17:00\",end=\"19:00\",trigger=\"EEA1\"}]",
            ],
        ),
        2,
    );
    let s = sim.summary();
    let sdp = &s.programs["SDP"];
    let total: f64 = sdp.notifications.values().sum();
    assert!((total - sdp.enrolled_customers).abs() < 1e-6 * total, "{total} vs {}", sdp.enrolled_customers);
    assert!(sdp.notifications["email"] > sdp.notifications["phone"]);
}

#[test]
fn a_long_rebound_ends_and_leaves_facilities_at_their_natural_load() {
    // Rebound spread over 6 hours: it outlasts the 4-hour window after an event in which customers'
    // performance is still attributed, so the last step of rebound comes when they are about to rest.
    let scn = scenario(
        "default.toml",
        &[
            "start=2022-09-06",
            "end=2022-09-07",
            "automatic_dispatch=false",
            "behaviour.rebound_hours=6.0",
            "dispatch=[{program=\"ELRP-A1\",date=\"2022-09-06\",start=\"16:00\",end=\"18:00\",trigger=\"EEA2\"}]",
        ],
    );
    let mut sim = Sim::new(&scn, 8);
    let at = |sim: &Sim, day: u32, h: u32| {
        let d = sim_core::time::parse_date(&format!("2022-09-{day:02}")).expect("date");
        sim.clock().utc_of_local(d, h * 60).expect("time")
    };
    let rebounding = |sim: &mut Sim| {
        let w = sim.world_mut();
        let mut q = w.query::<(&Building, &FacilityControls)>();
        q.iter(w).filter(|(b, c)| c.extra_kw > 0.0 && b.controlled).count()
    };
    let t = at(&sim, 6, 20);
    sim.run_until(t);
    assert!(rebounding(&mut sim) > 20, "the event's shed comes back after it");
    let t = at(&sim, 7, 12);
    sim.run_until(t);
    let w = sim.world_mut();
    let mut q = w.query::<(&Building, &FacilityControls)>();
    for (b, c) in q.iter(w) {
        // Prices (RTP) may still move the flexible load; shed and rebound are over.
        assert_eq!((c.shed_kw, c.extra_kw, c.cap_kw), (0.0, 0.0, f64::INFINITY), "the day after the event");
        assert_eq!(b.controlled, *c != FacilityControls::NONE);
    }
}

#[test]
fn between_events_real_time_price_customers_follow_every_price_also_when_enrolled_mid_run() {
    // No events: only real-time prices (always on) move customers, from lists kept between events.
    let scn = scenario("default.toml", &["automatic_dispatch=false", "end=2022-09-03"]);
    let mut sim = Sim::new(&scn, 5);
    let rtp = sim.program_state().index("RTP").expect("RTP is in the book");
    // (customers in RTP, those whose facility does not hold this step's price factor, the factor)
    let follow = |sim: &mut Sim| {
        let f = sim.world().resource::<PriceSignals>().factor[rtp];
        let w = sim.world_mut();
        let mut q = w.query::<(&Enrolment, &FacilityControls)>();
        let enrolled: Vec<f64> =
            q.iter(w).filter(|(e, _)| e.enrolled.contains(rtp)).map(|(_, c)| c.flex_factor).collect();
        (enrolled.len(), enrolled.iter().filter(|x| **x != f).count(), f)
    };
    let mut factors = std::collections::BTreeSet::new();
    let mut before = 0;
    for _ in 0..288 {
        assert!(sim.step());
        let (n, stale, f) = follow(&mut sim);
        assert!(n > 0, "the default scenario enrols businesses in RTP");
        assert_eq!(stale, 0, "an RTP customer missed the price at {}", sim.clock().now.utc_s);
        factors.insert(f.to_bits());
        before = n;
    }
    assert!(factors.len() > 5, "prices move during the day ({} factors)", factors.len());
    // A business that was not in RTP joins it mid-run (an enrolment changes).
    let w = sim.world_mut();
    let mut q = w.query::<(Entity, &Enrolment, &FacilityControls)>();
    let joiner =
        q.iter(w).find(|(_, e, _)| !e.enrolled.contains(rtp)).map(|(x, _, _)| x).expect("a business outside RTP");
    w.get_mut::<Enrolment>(joiner).expect("enrolment").enrolled.insert(rtp);
    let mut moved = false;
    for _ in 0..288 {
        assert!(sim.step());
        let (n, stale, f) = follow(&mut sim);
        assert_eq!((n, stale), (before + 1, 0), "the new RTP customer follows prices too");
        let w = sim.world_mut();
        moved |= f != 1.0 && w.get::<FacilityControls>(joiner).is_some_and(|c| c.flex_factor == f);
    }
    assert!(moved, "the new customer's load moved with a price");
}
