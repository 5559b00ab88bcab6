//! Third-party DRPs: registration, authorizations, revocation, partner shares, migration, the
//! market and DRP settlement, and the CCA's capacity-alert view.

use sim_core::Sim;
use sim_core::aggregators::state::{AuthChannel, LedgerKind};
use sim_core::customers::Customer;
use sim_core::programs::Enrolment;
use sim_core::scenario::{NoFiles, ValidScenario, load_scenario, parse_override};
use sim_core::time::{date_of_day, day_number, parse_date};

fn scenario(sets: &[&str]) -> ValidScenario {
    let o: Vec<_> = sets.iter().map(|s| parse_override(s).expect("override")).collect();
    let text = sim_core::data::scenario("third-party-2022.toml").expect("shipped");
    load_scenario(text, "third-party-2022.toml", &o, &NoFiles).expect("valid")
}

fn run(sets: &[&str]) -> Sim {
    let mut sim = Sim::new(&scenario(sets), 24);
    sim.run_to_end();
    sim
}

fn day(s: &str) -> i64 {
    day_number(parse_date(s).expect("date"))
}

#[test]
fn registration_lead_times_block_service_until_utility_cpuc_and_caiso_are_done() {
    let sim = run(&[]);
    let agg = sim.aggregators();
    let grid_share = agg.drps.iter().position(|d| d.name == "GridShare").expect("GridShare");
    // Applied 2022-05-20; 30 + 30 + 45 days of registration: it may serve from 2022-09-02.
    assert_eq!(agg.drps[grid_share].ready_day, day("2022-09-02"));
    let rows: Vec<_> = agg.ledger.iter().filter(|r| r.drp == "GridShare").collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.day >= day("2022-09-02")), "{:?}", rows.first());
    assert!(agg.market.iter().filter(|r| r.drp == grid_share).all(|r| r.day > day("2022-09-02")));
    // With registration later than the run, it never serves anyone.
    let late = run(&["drps.1.applied=2022-07-01"]);
    assert!(late.aggregators().ledger.iter().all(|r| r.drp != "GridShare"));
}

#[test]
fn a_paper_authorization_takes_longer_than_an_online_one() {
    let sim = run(&[]);
    let agg = sim.aggregators();
    let mut online = vec![];
    let mut paper = vec![];
    for l in agg.links.iter().filter(|l| l.requested_day >= day("2022-08-29")) {
        match l.channel {
            AuthChannel::Online => online.push(l.live_day - l.requested_day),
            AuthChannel::Paper => paper.push(l.live_day - l.requested_day),
        }
    }
    assert!(!online.is_empty() && !paper.is_empty());
    // The scenario's processing times: online CISR 2 days, paper form 14-941 20 days.
    assert!(online.iter().all(|d| *d == 2) && paper.iter().all(|d| *d == 20), "{online:?} {paper:?}");
    // Grants follow requests by exactly the processing time.
    for g in agg.ledger.iter().filter(|r| r.kind == LedgerKind::Grant && r.day >= day("2022-08-31")) {
        let l = &agg.links[agg.by_customer[&g.customer]];
        assert_eq!(g.day, l.live_day);
    }
}

#[test]
fn revocation_stops_bidding_and_settlement_for_that_customer_from_the_next_day() {
    // Every customer revokes on the run's first day: from the second day the DRP has nothing to bid.
    let sim = run(&[
        "authorization.revocation_monthly=1.0",
        "drps.0.acquisition={}",
        "drps.1.acquisition={}",
        "drps.1.acquisition_segments={}",
    ]);
    let agg = sim.aggregators();
    let first = day("2022-08-29");
    assert!(
        agg.links.iter().all(|l| l.revoked_day == Some(first)),
        "{:?}",
        agg.links.iter().find(|l| l.revoked_day != Some(first))
    );
    assert!(agg.links.iter().all(|l| l.live_on(first) && !l.live_on(first + 1)));
    // Bids are for tomorrow: the first day's market (for Aug 30) already has no one left to offer.
    assert!(agg.market.iter().all(|r| r.day <= first), "{:?}", agg.market.first());
    // Their meters stay with the utility: they leave the DRP's resource.
    let prog = sim.program_state().index("DRAM@VoltPool").expect("program");
    let w = sim.world();
    let mut q = w.try_query::<&Enrolment>().expect("query");
    assert!(q.iter(w).all(|e| !e.enrolled.contains(prog)));
}

#[test]
fn a_partner_share_lets_the_partner_bid() {
    let with = run(&[]);
    let agg = with.aggregators();
    let gs = agg.drps.iter().position(|d| d.name == "GridShare").expect("GridShare");
    let vp = agg.drps.iter().position(|d| d.name == "VoltPool").expect("VoltPool");
    let rows: Vec<_> = agg.market.iter().filter(|r| r.drp == gs).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.submitter == vp));
    // Bid size counts only the authorizations shared with the partner.
    let r = rows[0];
    let kw: f64 = agg
        .links
        .iter()
        .filter(|l| l.drp == gs && l.live_on(r.day) && l.shared)
        .map(|l| l.weight * l.nomination_kw)
        .sum();
    assert!((r.potential_mw - kw * 0.85 / 1000.0).abs() < 1e-9, "{} vs {}", r.potential_mw, kw * 0.85 / 1000.0);
    // Without shares, the partner has nothing to bid.
    let none = run(&["drps.1.share_with_partner=0.0"]);
    assert!(none.aggregators().market.iter().all(|r| r.drp != gs));
}

#[test]
fn migration_disenrols_from_exactly_the_conflicting_programs() {
    let scn = scenario(&[]);
    let mut sim = Sim::new(&scn, 24);
    // Before any step: customers already served by VoltPool (DRAM) left the conflicting programs.
    let ps = sim.program_state().clone();
    let conflicts: Vec<usize> = ps.specs[ps.index("DRAM@VoltPool").expect("p")]
        .migration_conflicts
        .iter()
        .map(|id| ps.index(id).expect("id"))
        .collect();
    sim.run_to_end();
    let agg = sim.aggregators().clone();
    let prog = ps.index("DRAM@VoltPool").expect("p");
    let cpp = ps.index("CPP").expect("CPP");
    let w = sim.world_mut();
    let mut q = w.query::<(&Customer, &Enrolment)>();
    let mut kept_cpp = 0;
    for (c, e) in q.iter(w) {
        if e.enrolled.contains(prog) {
            assert!(agg.by_customer.contains_key(&c.id));
            for p in &conflicts {
                assert!(!e.enrolled.contains(*p), "customer {} still in {}", c.id, ps.ids[*p]);
            }
            if e.enrolled.contains(cpp) {
                kept_cpp += 1;
            }
        }
    }
    // CPP is not in the DRAM migration matrix: DRAM customers on CPP keep it.
    assert!(kept_cpp > 0);
    let s = sim.summary();
    assert!(!s.migrations.is_empty());
    let names: Vec<&str> = ps.specs[prog].migration_conflicts.iter().map(String::as_str).collect();
    assert!(s.migrations.keys().all(|k| names.contains(&k.as_str())), "{:?}", s.migrations);
}

#[test]
fn drp_revenue_is_delivered_times_price_and_customers_get_their_share() {
    let sim = run(&[]);
    let (settled, delivered) = sim.drp_settlement();
    let agg = sim.aggregators();
    for (d, s) in settled.iter().enumerate() {
        let revenue: f64 = agg
            .market
            .iter()
            .filter(|r| r.drp == d && r.dispatched)
            .map(|r| delivered.get(&(d, r.day, r.hour)).copied().unwrap_or(0.0).max(0.0) * r.price)
            .sum();
        assert!((s.summary.market_revenue_usd - revenue).abs() < 1e-6 * revenue.max(1.0));
        let share =
            sim_core::data::scenario("third-party-2022.toml").map(|_| if d == 0 { 0.6 } else { 0.5 }).expect("share");
        assert!((s.summary.customer_payments_usd - revenue * share).abs() < 1e-6 * revenue.max(1.0));
        assert!(s.summary.awarded_mwh > 0.0 && s.summary.delivered_mwh > 0.0, "{:?}", s.summary);
    }
    let csv = sim.settlement_csv();
    assert!(csv.lines().any(|l| l.starts_with("DRAM@VoltPool,all,") && l.contains(",VoltPool,")));
}

#[test]
fn the_cca_sees_events_notices_load_and_forecasts() {
    let sim = run(&[]);
    let alerts = sim.alerts_csv();
    assert!(alerts.starts_with("issued,kind,level,program,start,end,trigger\n"));
    assert!(
        alerts.lines().any(|l| l.contains(",status,EEA3,,2022-09-06T17:20-07:00,2022-09-06T20:00-07:00,")),
        "{alerts}"
    );
    assert!(alerts.lines().any(|l| l.contains(",dr_event,,SDP,2022-09-06T")));
    let forecast = sim.forecast_csv();
    assert_eq!(forecast.lines().count(), 13);
    let sep6 = forecast.lines().find(|l| l.starts_with("2022-09-06,")).expect("Sep 6");
    assert!(sep6.split(',').nth(3).is_some_and(|f| !f.is_empty()), "{sep6}");
    let view = sim.capacity_alerts();
    assert!(view.event_history.len() > 10 && view.next_day_peak_forecast_mw.is_some());
    let s = sim.summary();
    assert!(s.suppliers.contains_key("Clean Power Alliance") && s.suppliers.contains_key("SCE"));
    let cpa = &s.suppliers["Clean Power Alliance"];
    assert!(cpa.served_mwh > 0.0 && cpa.customers > 0.0);
    let _ = date_of_day(0);
}
