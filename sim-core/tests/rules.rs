//! One named test per rule per program of the default book (DOMAIN.md §3), each asserting the
//! exact status and reason of the events table.

use sim_core::programs::book::{DayRule, Notice, ProgramBook};
use sim_core::programs::eligibility::{CustomerView, EnrolRefusal, OrderInForce, check_dual, check_eligibility};
use sim_core::programs::judge::{Request, Status, judge_calendar};
use sim_core::programs::rules::{GeneratorRefusal, check_generator_use};
use sim_core::programs::{Trigger, book::Device};
use sim_core::scenario::{CustomerClass, MeterType, NoFiles, ServiceType, load_scenario, parse_override};
use sim_core::time::{LocalTime, parse_date, parse_hhmm, parse_local_datetime};

fn book_with(sets: &[&str]) -> ProgramBook {
    let text = "schema_version = 1\nname = \"t\"\nstart = \"2022-09-01\"\nend = \"2022-09-01\"\n[weather]\nmodel = \"stochastic\"\n";
    let o: Vec<_> = sets.iter().map(|s| parse_override(s).expect("override")).collect();
    load_scenario(text, "t.toml", &o, &NoFiles).expect("valid").book().clone()
}

/// The errors of a scenario with overrides, as (path, message).
fn book_errors(sets: &[&str]) -> Vec<(String, String)> {
    let text = "schema_version = 1\nname = \"t\"\nstart = \"2022-09-01\"\nend = \"2022-09-01\"\n[weather]\nmodel = \"stochastic\"\n";
    let o: Vec<_> = sets.iter().map(|s| parse_override(s).expect("override")).collect();
    let errs = load_scenario(text, "t.toml", &o, &NoFiles).expect_err("refused");
    errs.0.into_iter().map(|e| (e.path, e.message)).collect()
}

#[test]
fn program_times_are_read_once_and_a_bad_one_is_refused_at_its_field() {
    let book = book_with(&["programs.TOU-BIP.operator.preferred_start=\"17:30\""]);
    assert_eq!(book.programs["TOU-BIP"].operator.preferred_start.minutes(), 17 * 60 + 30);
    let not_a_time = |t: &str| format!("`{t}` is not a time of day: expected HH:MM");
    assert_eq!(
        book_errors(&["programs.CBP-E.notice.by=\"9:00\""]),
        [("programs.CBP-E.notice.by".to_string(), not_a_time("9:00"))]
    );
    assert_eq!(
        book_errors(&["programs.TOU-BIP.windows=[{start=\"16:00\",end=\"24:01\"}]"]),
        [("programs.TOU-BIP.windows[0].end".to_string(), not_a_time("24:01"))]
    );
    // A notice field of another kind is refused, not ignored.
    let e = book_errors(&["programs.CBP-E.notice.minutes=30"]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "programs.CBP-E.notice");
    assert!(e[0].1.contains("unknown field `minutes`"), "{e:?}");
}

#[test]
fn a_program_that_does_not_read_is_reported_once_not_again_by_the_programs_naming_it() {
    // TOU-BIP is named in other programs' dual-participation and migration lists.
    let e = book_errors(&["programs.TOU-BIP.operator.preferred_end=\"late\""]);
    assert_eq!(
        e,
        [(
            "programs.TOU-BIP.operator.preferred_end".to_string(),
            "`late` is not a time of day: expected HH:MM".to_string()
        )]
    );
}

/// "PROGRAM YYYY-MM-DD HH:MM-HH:MM TRIGGER [@YYYY-MM-DDTHH:MM]"
fn req(s: &str) -> Request {
    let p: Vec<&str> = s.split_whitespace().collect();
    let (a, b) = p[2].split_once('-').expect("HH:MM-HH:MM");
    Request {
        program: p[0].to_string(),
        date: parse_date(p[1]).expect("date"),
        start_min: parse_hhmm(a).expect("start"),
        end_min: parse_hhmm(b).expect("end"),
        trigger: p[3].parse::<Trigger>().expect("trigger"),
        issued: p.get(4).map(|i| parse_local_datetime(i.trim_start_matches('@')).expect("issued")),
    }
}

/// Judges the calendar and returns the status and reason of the last request listed.
fn verdict(book: &ProgramBook, reqs: &[String]) -> (Status, String) {
    let parsed: Vec<Request> = reqs.iter().map(|s| req(s)).collect();
    let last = parsed.last().expect("a request").clone();
    let rows = judge_calendar(book, parsed);
    let row = rows.iter().rev().find(|r| r.request == last).expect("row");
    (row.status, row.reason.as_ref().map(ToString::to_string).unwrap_or_default())
}

fn one(s: &str) -> Vec<String> {
    vec![s.to_string()]
}

/// `n` events of a program, one a day from `first` (same window), then `last`.
fn daily(program: &str, first: &str, n: usize, window: &str, trigger: &str) -> Vec<String> {
    let mut d = parse_date(first).expect("date");
    let mut v = vec![];
    for _ in 0..n {
        v.push(format!("{program} {d} {window} {trigger}"));
        d = d.tomorrow().expect("date");
    }
    v
}

macro_rules! refused {
    ($name:ident, $reqs:expr, $reason:expr) => {
        refused!($name, &[], $reqs, $reason);
    };
    ($name:ident, $sets:expr, $reqs:expr, $reason:expr) => {
        #[test]
        fn $name() {
            let (status, reason) = verdict(&book_with($sets), &$reqs);
            assert_eq!((status, reason.as_str()), (Status::Refused, $reason));
        }
    };
}

macro_rules! called {
    ($name:ident, $reqs:expr) => {
        called!($name, &[], $reqs);
    };
    ($name:ident, $sets:expr, $reqs:expr) => {
        #[test]
        fn $name() {
            let (status, reason) = verdict(&book_with($sets), &$reqs);
            assert_eq!((status, reason.as_str()), (Status::Called, ""));
        }
    };
}

fn with_last(mut v: Vec<String>, last: &str) -> Vec<String> {
    v.push(last.to_string());
    v
}

// ------------------------------------------------------------------ AP-I
called!(ap_i_is_year_round_so_a_january_event_is_called, one("AP-I 2022-01-12 10:00-12:00 EEA2"));
called!(ap_i_any_day_so_labor_day_is_called, one("AP-I 2022-09-05 10:00-12:00 EEA2"));
called!(ap_i_has_no_window_so_a_night_event_is_called, one("AP-I 2022-09-06 02:00-04:00 EEA1"));
refused!(
    ap_i_event_of_seven_hours_is_refused_whole,
    one("AP-I 2022-09-06 10:00-17:00 EEA2"),
    "max_event_hours 6 exceeded"
);
refused!(
    ap_i_second_event_in_a_day_is_refused,
    vec!["AP-I 2022-09-06 10:00-11:00 EEA2".into(), "AP-I 2022-09-06 15:00-16:00 EEA2".into()],
    "max_events_per_day 1 reached"
);
refused!(
    ap_i_eleventh_event_in_a_month_is_refused,
    with_last(daily("AP-I", "2022-09-01", 10, "10:00-11:00", "EEA2"), "AP-I 2022-09-20 10:00-11:00 EEA2"),
    "max_events_per_month 10 reached"
);
refused!(
    ap_i_hours_beyond_180_a_year_are_refused,
    {
        let mut v = vec![];
        for m in ["01", "02", "03"] {
            v.extend(daily("AP-I", &format!("2022-{m}-01"), 10, "08:00-14:00", "EEA2"));
        }
        with_last(v, "AP-I 2022-04-01 08:00-09:00 EEA2")
    },
    "max_hours_per_year 180 exceeded"
);
refused!(
    ap_i_market_award_trigger_is_refused,
    one("AP-I 2022-09-06 16:00-18:00 MarketAward"),
    "trigger MarketAward not allowed"
);
called!(ap_i_needs_no_notice, one("AP-I 2022-09-06 16:00-18:00 EEA2 @2022-09-06T16:00"));
refused!(
    ap_i_notice_after_start_is_refused,
    one("AP-I 2022-09-06 16:00-18:00 EEA2 @2022-09-06T16:05"),
    "notice: issued after start"
);
called!(ap_i_test_event_is_allowed, one("AP-I 2022-03-02 10:00-11:00 Test"));

// ------------------------------------------------------------------ CBP-E
refused!(
    cbp_e_april_is_out_of_season,
    one("CBP-E 2022-04-12 17:00-19:00 FlexAlert @2022-04-11T12:00"),
    "out of season"
);
called!(cbp_e_may_window_is_17_to_22, one("CBP-E 2022-05-12 17:00-22:00 FlexAlert @2022-05-11T12:00"));
refused!(
    cbp_e_may_event_at_16_is_outside_the_window,
    one("CBP-E 2022-05-12 16:00-18:00 FlexAlert @2022-05-11T12:00"),
    "outside window 17:00-22:00"
);
refused!(
    cbp_e_june_event_past_21_is_outside_the_window,
    one("CBP-E 2022-06-14 17:00-22:00 FlexAlert @2022-06-13T12:00"),
    "outside window 16:00-21:00"
);
called!(cbp_e_any_day_so_a_sunday_is_called, one("CBP-E 2022-09-04 16:00-20:00 FlexAlert @2022-09-03T12:00"));
refused!(
    cbp_e_needs_day_ahead_notice_by_17,
    one("CBP-E 2022-09-06 16:00-20:00 FlexAlert @2022-09-05T17:30"),
    "notice: needs day-ahead by 17:00"
);
called!(cbp_e_default_notice_is_the_day_before_at_17, one("CBP-E 2022-09-06 16:00-20:00 FlexAlert"));
refused!(
    cbp_e_event_shorter_than_an_hour_is_refused,
    one("CBP-E 2022-09-06 16:00-16:30 FlexAlert"),
    "min_event_hours 1 not met"
);
refused!(
    cbp_e_hours_beyond_24_a_month_are_refused,
    with_last(daily("CBP-E", "2022-08-01", 6, "16:00-20:00", "FlexAlert"), "CBP-E 2022-08-10 16:00-17:00 FlexAlert"),
    "max_hours_per_month 24 exceeded"
);
refused!(
    cbp_e_fourth_test_event_in_a_year_is_refused,
    with_last(
        vec![
            "CBP-E 2022-06-01 16:00-17:00 Test".into(),
            "CBP-E 2022-07-01 16:00-17:00 Test".into(),
            "CBP-E 2022-08-01 16:00-17:00 Test".into()
        ],
        "CBP-E 2022-09-01 16:00-17:00 Test"
    ),
    "max_test_events_per_year 3 reached"
);
called!(cbp_e_accepts_a_market_award, one("CBP-E 2022-09-06 16:00-20:00 MarketAward"));
refused!(
    cbp_e_refuses_an_extreme_temperature_trigger,
    one("CBP-E 2022-09-06 16:00-20:00 ExtremeTemperature"),
    "trigger ExtremeTemperature not allowed"
);
refused!(
    cbp_e_seven_hour_event_is_refused,
    &["programs.CBP-E.windows=[]"],
    one("CBP-E 2022-09-06 12:00-19:00 FlexAlert"),
    "max_event_hours 6 exceeded"
);

// ------------------------------------------------------------------ CPP
called!(cpp_is_year_round_so_december_is_called, one("CPP 2022-12-14 16:00-21:00 LoadForecast"));
called!(cpp_includes_holidays, one("CPP 2022-09-05 16:00-21:00 ExtremeTemperature"));
refused!(cpp_window_is_16_to_21, one("CPP 2022-09-06 15:00-20:00 LoadForecast"), "outside window 16:00-21:00");
refused!(
    cpp_sixteenth_event_in_a_year_is_refused,
    with_last(daily("CPP", "2022-07-01", 15, "16:00-21:00", "LoadForecast"), "CPP 2022-08-20 16:00-21:00 LoadForecast"),
    "max_events_per_year 15 reached"
);
refused!(
    cpp_needs_notice_the_day_before,
    one("CPP 2022-09-06 16:00-21:00 LoadForecast @2022-09-06T09:00"),
    "notice: needs day-ahead by 17:00"
);
refused!(cpp_does_not_take_eea3, one("CPP 2022-09-06 16:00-21:00 EEA3"), "trigger EEA3 not allowed");
refused!(
    cpp_second_event_in_a_day_is_refused,
    vec!["CPP 2022-09-06 16:00-17:00 LoadForecast".into(), "CPP 2022-09-06 18:00-19:00 LoadForecast".into()],
    "max_events_per_day 1 reached"
);

// ------------------------------------------------------------------ ELRP-A1
refused!(elrp_november_is_out_of_season, one("ELRP-A1 2022-11-02 16:00-18:00 EEA1"), "out of season");
called!(elrp_may_first_is_in_season, one("ELRP-A1 2022-05-01 16:00-18:00 EEAWatch"));
refused!(elrp_window_is_16_to_21, one("ELRP-A1 2022-09-06 16:00-21:30 EEA2"), "outside window 16:00-21:00");
refused!(
    elrp_event_longer_than_5_hours_is_refused,
    &["programs.ELRP-A1.windows=[]"],
    one("ELRP-A1 2022-09-06 14:00-19:30 EEA2"),
    "max_event_hours 5 exceeded"
);
called!(elrp_can_be_called_day_of_at_the_start, one("ELRP-A1 2022-09-06 17:00-19:00 EEA2 @2022-09-06T17:00"));
called!(elrp_can_be_called_day_ahead, one("ELRP-A1 2022-09-06 16:00-21:00 EEAWatch @2022-09-05T15:00"));
refused!(
    elrp_does_not_take_flex_alerts,
    one("ELRP-A1 2022-09-06 16:00-21:00 FlexAlert"),
    "trigger FlexAlert not allowed"
);
called!(elrp_any_day_so_a_saturday_is_called, one("ELRP-A1 2022-09-03 16:00-21:00 EEA1"));
refused!(elrp_event_under_an_hour_is_refused, one("ELRP-A1 2022-09-06 16:00-16:45 EEA1"), "min_event_hours 1 not met");

// ------------------------------------------------------------------ RTP
refused!(
    rtp_is_never_dispatched,
    one("RTP 2022-09-06 16:00-21:00 ExtremeTemperature"),
    "trigger ExtremeTemperature not allowed"
);

// ------------------------------------------------------------------ SEP
called!(sep_is_year_round, one("SEP 2022-02-10 18:00-20:00 EEA1"));
refused!(
    sep_hours_beyond_6_a_day_are_refused,
    vec!["SEP 2022-09-06 12:00-16:00 EEA1".into(), "SEP 2022-09-06 17:00-20:00 EEA2".into()],
    "max_hours_per_day 6 exceeded"
);
refused!(
    sep_hours_beyond_180_a_year_are_refused,
    with_last(daily("SEP", "2022-06-01", 30, "14:00-20:00", "EEA1"), "SEP 2022-07-15 16:00-17:00 EEA1"),
    "max_hours_per_year 180 exceeded"
);
refused!(
    sep_refuses_load_forecast_triggers,
    one("SEP 2022-09-06 16:00-18:00 LoadForecast"),
    "trigger LoadForecast not allowed"
);
called!(sep_takes_market_awards, one("SEP 2022-09-06 16:00-18:00 MarketAward"));
refused!(
    sep_overlapping_events_are_refused,
    vec!["SEP 2022-09-06 16:00-18:00 EEA1".into(), "SEP 2022-09-06 17:00-18:00 EEA2".into()],
    "overlaps called event 16:00-18:00"
);

// ------------------------------------------------------------------ SDP and SDP-C
called!(sdp_is_year_round, one("SDP 2022-03-10 16:00-18:00 EEA1"));
refused!(
    sdp_hours_beyond_6_a_day_are_refused,
    vec!["SDP 2022-09-06 11:00-15:00 EEA1".into(), "SDP 2022-09-06 16:00-19:00 EEA2".into()],
    "max_hours_per_day 6 exceeded"
);
refused!(
    sdp_hours_beyond_180_a_year_are_refused,
    with_last(daily("SDP", "2022-06-01", 30, "15:00-21:00", "EEA1"), "SDP 2022-08-15 16:00-17:00 EEA1"),
    "max_hours_per_year 180 exceeded"
);
refused!(
    sdp_refuses_governor_orders_as_triggers,
    one("SDP 2022-09-06 16:00-18:00 GovernorOrder"),
    "trigger GovernorOrder not allowed"
);
called!(sdp_needs_no_notice, one("SDP 2022-09-06 16:00-18:00 EEA1 @2022-09-06T16:00"));
refused!(
    sdp_c_hours_beyond_6_a_day_are_refused,
    vec!["SDP-C 2022-09-06 10:00-15:00 EEA1".into(), "SDP-C 2022-09-06 16:00-18:00 EEA1".into()],
    "max_hours_per_day 6 exceeded"
);
called!(sdp_c_takes_test_events, one("SDP-C 2022-09-06 16:00-17:00 Test"));

// ------------------------------------------------------------------ TOU-BIP
refused!(tou_bip_april_is_out_of_season, one("TOU-BIP 2022-04-12 16:00-18:00 EEA2"), "out of season");
called!(tou_bip_any_day_so_a_sunday_is_called, one("TOU-BIP 2022-09-04 16:00-18:00 EEA2"));
refused!(
    tou_bip_event_of_seven_hours_is_refused_whole,
    one("TOU-BIP 2022-09-06 12:00-19:00 EEA2"),
    "max_event_hours 6 exceeded"
);
refused!(
    tou_bip_second_event_in_a_day_is_refused,
    vec!["TOU-BIP 2022-09-06 12:00-13:00 EEA2".into(), "TOU-BIP 2022-09-06 16:00-18:00 EEA2".into()],
    "max_events_per_day 1 reached"
);
refused!(
    eleventh_bip_event_in_a_month_is_refused,
    with_last(daily("TOU-BIP", "2022-08-01", 10, "16:00-17:00", "EEA2"), "TOU-BIP 2022-08-20 16:00-17:00 EEA2"),
    "max_events_per_month 10 reached"
);
called!(
    tou_bip_the_cap_resets_in_a_new_month,
    with_last(daily("TOU-BIP", "2022-08-01", 10, "16:00-17:00", "EEA2"), "TOU-BIP 2022-09-01 16:00-17:00 EEA2")
);
refused!(
    tou_bip_hours_beyond_180_a_year_are_refused,
    {
        let mut v = vec![];
        for m in ["05", "06", "07"] {
            v.extend(daily("TOU-BIP", &format!("2022-{m}-01"), 10, "12:00-18:00", "EEA2"));
        }
        with_last(v, "TOU-BIP 2022-08-01 16:00-17:00 EEA2")
    },
    "max_hours_per_year 180 exceeded"
);
refused!(
    tou_bip_needs_15_minutes_notice,
    one("TOU-BIP 2022-09-06 16:00-18:00 EEA2 @2022-09-06T15:50"),
    "notice: needs 15 minutes"
);
called!(tou_bip_15_minutes_notice_is_enough, one("TOU-BIP 2022-09-06 16:00-18:00 EEA2 @2022-09-06T15:45"));
refused!(
    tou_bip_refuses_market_awards,
    one("TOU-BIP 2022-09-06 16:00-18:00 MarketAward"),
    "trigger MarketAward not allowed"
);
refused!(
    a_lower_monthly_cap_set_by_the_scenario_is_applied,
    &["programs.TOU-BIP.max_events_per_month=3"],
    with_last(daily("TOU-BIP", "2022-08-01", 3, "16:00-17:00", "EEA2"), "TOU-BIP 2022-08-10 16:00-17:00 EEA2"),
    "max_events_per_month 3 reached"
);

// ------------------------------------------------------------------ day types (weekdays-only programs)
refused!(
    a_weekdays_only_program_refuses_labor_day,
    &["programs.CBP-E.days=\"weekdays\""],
    one("CBP-E 2022-09-05 16:00-20:00 FlexAlert"),
    "weekdays only: 2022-09-05 is a holiday"
);
refused!(
    a_weekdays_only_program_refuses_a_saturday,
    &["programs.CBP-E.days=\"weekdays\""],
    one("CBP-E 2022-09-03 16:00-20:00 FlexAlert"),
    "weekdays only: 2022-09-03 is a Saturday"
);
refused!(
    a_disabled_program_refuses_everything,
    &["programs.SDP.enabled=false"],
    one("SDP 2022-09-06 16:00-18:00 EEA1"),
    "program disabled"
);

#[test]
fn refused_requests_do_not_count_toward_caps() {
    let book = book_with(&[]);
    // The 7-hour request is refused; the next one is the first event of the day and is called.
    let (s, r) =
        verdict(&book, &["TOU-BIP 2022-09-06 10:00-17:00 EEA2".into(), "TOU-BIP 2022-09-06 18:00-19:00 EEA2".into()]);
    assert_eq!((s, r.as_str()), (Status::Called, ""));
}

#[test]
fn the_default_book_keeps_the_fact_sheet_day_rules() {
    let book = book_with(&[]);
    // DOMAIN.md §3: every SCE program may call events on any day, holidays included; only PRP, an
    // aggregator contract read as business-day capacity, is weekdays-only (a reading, marked in the book).
    for (id, p) in &book.programs {
        let want = if id == "PRP" { DayRule::Weekdays } else { DayRule::Any };
        assert_eq!(p.days, want, "{id}");
    }
    assert_eq!(
        book.ids(),
        vec!["AP-I", "CBP-E", "CPP", "DRAM", "ELRP-A1", "LCR", "PRP", "RTP", "SDP", "SDP-C", "SEP", "TOU-BIP"]
    );
}

// ------------------------------------------------------------------ eligibility
fn customer(class: CustomerClass) -> CustomerView<'static> {
    CustomerView {
        class,
        service: ServiceType::Bundled,
        meter: MeterType::SmartMeter,
        rate: "TOU-GS-1",
        max_demand_kw: 500.0,
        horsepower: None,
        reducible_kw: 150.0,
        devices: vec![Device::CentralAc, Device::SmartThermostat],
    }
}

fn eligible(id: &str, c: &CustomerView<'_>) -> Result<(), String> {
    check_eligibility(&book_with(&[]).programs[id], c).map_err(|e| e.to_string())
}

#[test]
fn ap_i_eligibility_takes_37_kw_or_50_hp() {
    let mut c = CustomerView {
        max_demand_kw: 20.0,
        horsepower: Some(30.0),
        devices: vec![Device::Pump],
        ..customer(CustomerClass::Agricultural)
    };
    assert_eq!(eligible("AP-I", &c), Err("demand 20 kW below 37 kW and 30 hp below 50 hp".into()));
    c.horsepower = Some(60.0);
    assert_eq!(eligible("AP-I", &c), Ok(()));
    c.horsepower = Some(10.0);
    c.max_demand_kw = 40.0;
    assert_eq!(eligible("AP-I", &c), Ok(()));
    assert_eq!(eligible("AP-I", &customer(CustomerClass::Commercial)), Err("class commercial not eligible".into()));
}

#[test]
fn cbp_e_eligibility_needs_an_interval_meter() {
    let c = CustomerView { meter: MeterType::None, ..customer(CustomerClass::Commercial) };
    assert_eq!(eligible("CBP-E", &c), Err("meter none not eligible".into()));
    assert_eq!(eligible("CBP-E", &customer(CustomerClass::Commercial)), Ok(()));
}

#[test]
fn cpp_and_rtp_refuse_direct_access_and_cca_customers() {
    for s in [ServiceType::DirectAccess, ServiceType::Cca] {
        let c = CustomerView { service: s, ..customer(CustomerClass::Commercial) };
        let name = if s == ServiceType::Cca { "CCA" } else { "DirectAccess" };
        assert_eq!(eligible("CPP", &c), Err(format!("service type {name} not eligible")));
        assert_eq!(eligible("RTP", &c), Err(format!("service type {name} not eligible")));
    }
    assert_eq!(eligible("CPP", &customer(CustomerClass::Residential)), Ok(()));
    assert_eq!(eligible("RTP", &customer(CustomerClass::Residential)), Err("class residential not eligible".into()));
}

#[test]
fn elrp_eligibility_is_non_residential_able_to_reduce_1_kw() {
    assert_eq!(
        eligible("ELRP-A1", &customer(CustomerClass::Residential)),
        Err("class residential not eligible".into())
    );
    let c = CustomerView { reducible_kw: 0.5, ..customer(CustomerClass::Commercial) };
    assert_eq!(eligible("ELRP-A1", &c), Err("can reduce 0.5 kW, below 1 kW".into()));
}

#[test]
fn sep_eligibility_needs_the_listed_rates_a_thermostat_and_a_smart_meter() {
    let c = CustomerView { rate: "TOU-8", ..customer(CustomerClass::Commercial) };
    assert_eq!(eligible("SEP", &c), Err("rate schedule TOU-8 not eligible".into()));
    let c = CustomerView { devices: vec![Device::CentralAc], ..customer(CustomerClass::Commercial) };
    assert_eq!(eligible("SEP", &c), Err("requires smart_thermostat".into()));
    let c = CustomerView { meter: MeterType::Idr, ..customer(CustomerClass::Commercial) };
    assert_eq!(eligible("SEP", &c), Err("meter idr not eligible".into()));
    assert_eq!(eligible("SEP", &customer(CustomerClass::Commercial)), Ok(()));
}

#[test]
fn sdp_eligibility_needs_a_central_ac() {
    let c = CustomerView { devices: vec![], ..customer(CustomerClass::Residential) };
    assert_eq!(eligible("SDP", &c), Err("requires central_ac".into()));
    assert_eq!(eligible("SDP", &customer(CustomerClass::Residential)), Ok(()));
    assert_eq!(eligible("SDP-C", &customer(CustomerClass::Residential)), Err("class residential not eligible".into()));
}

#[test]
fn tou_bip_eligibility_needs_200_kw_and_a_15_percent_and_100_kw_reduction() {
    let c = CustomerView { max_demand_kw: 150.0, ..customer(CustomerClass::Industrial) };
    assert_eq!(eligible("TOU-BIP", &c), Err("demand 150 kW below 200 kW".into()));
    let c = CustomerView { max_demand_kw: 1000.0, reducible_kw: 120.0, ..customer(CustomerClass::Industrial) };
    assert_eq!(eligible("TOU-BIP", &c), Err("can reduce 12% of max demand, below 15%".into()));
    let c = CustomerView { max_demand_kw: 400.0, reducible_kw: 80.0, ..customer(CustomerClass::Industrial) };
    assert_eq!(eligible("TOU-BIP", &c), Err("can reduce 80 kW, below 100 kW".into()));
    assert_eq!(eligible("TOU-BIP", &customer(CustomerClass::Industrial)), Ok(()));
}

// ------------------------------------------------------------------ dual participation
#[test]
fn elrp_may_be_combined_with_the_programs_it_lists() {
    let book = book_with(&[]);
    for other in ["TOU-BIP", "AP-I", "SDP-C", "CPP", "RTP", "SEP"] {
        assert_eq!(check_dual(&book, "ELRP-A1", &[other]), Ok(()), "{other}");
        assert_eq!(check_dual(&book, other, &["ELRP-A1"]), Ok(()), "{other}");
    }
}

#[test]
fn programs_not_listed_together_may_not_be_combined() {
    let book = book_with(&[]);
    assert_eq!(check_dual(&book, "ELRP-A1", &["CBP-E"]), Err(EnrolRefusal::Dual("CBP-E".into())));
    assert_eq!(EnrolRefusal::Dual("CBP-E".into()).to_string(), "dual participation with CBP-E not allowed");
    assert_eq!(check_dual(&book, "TOU-BIP", &["CBP-E"]), Err(EnrolRefusal::Dual("CBP-E".into())));
    assert_eq!(check_dual(&book, "SEP", &["SDP"]), Err(EnrolRefusal::Dual("SDP".into())));
    assert_eq!(check_dual(&book, "CPP", &["ELRP-A1", "SDP-C"]), Err(EnrolRefusal::Dual("SDP-C".into())));
    let book = book_with(&["programs.CBP-E.dual_participation=[\"ELRP-A1\"]"]);
    assert_eq!(check_dual(&book, "ELRP-A1", &["CBP-E"]), Ok(()));
}

// ------------------------------------------------------------------ prohibited resources, DACs, Governor's orders
const NO_ORDER: OrderInForce =
    OrderInForce { active: false, permits_prohibited_resources: false, overrides_dac: false };
const ORDER: OrderInForce = OrderInForce { active: true, permits_prohibited_resources: true, overrides_dac: false };
const ORDER_DAC: OrderInForce = OrderInForce { active: true, permits_prohibited_resources: true, overrides_dac: true };

#[test]
fn elrp_allows_backup_generators_that_are_not_prohibited_resources() {
    let book = book_with(&[]);
    assert_eq!(check_generator_use(&book.programs["ELRP-A1"], true, false, true, NO_ORDER), Ok(()));
}

#[test]
fn elrp_refuses_fossil_generators_without_a_governors_order() {
    let book = book_with(&[]);
    assert_eq!(
        check_generator_use(&book.programs["ELRP-A1"], true, true, false, NO_ORDER),
        Err(GeneratorRefusal::NeedsOrder)
    );
    assert_eq!(check_generator_use(&book.programs["ELRP-A1"], true, true, false, ORDER), Ok(()));
}

#[test]
fn elrp_in_a_dac_refuses_fossil_generators_unless_the_order_overrides() {
    let book = book_with(&[]);
    assert_eq!(check_generator_use(&book.programs["ELRP-A1"], true, true, true, ORDER), Err(GeneratorRefusal::Dac));
    assert_eq!(check_generator_use(&book.programs["ELRP-A1"], true, true, true, ORDER_DAC), Ok(()));
}

#[test]
fn attestation_programs_refuse_fossil_generation_without_an_order() {
    let book = book_with(&[]);
    for id in ["AP-I", "CBP-E", "TOU-BIP"] {
        assert_eq!(
            check_generator_use(&book.programs[id], true, true, false, NO_ORDER),
            Err(GeneratorRefusal::NeedsOrder),
            "{id}"
        );
        assert_eq!(check_generator_use(&book.programs[id], true, true, true, ORDER), Ok(()), "{id}");
        assert_eq!(check_generator_use(&book.programs[id], true, false, false, NO_ORDER), Ok(()), "{id}");
    }
}

#[test]
fn residential_programs_do_not_involve_generators() {
    let book = book_with(&[]);
    for id in ["SDP", "SEP", "CPP", "RTP"] {
        assert_eq!(
            check_generator_use(&book.programs[id], true, false, false, ORDER),
            Err(GeneratorRefusal::NotInProgram),
            "{id}"
        );
    }
}

#[test]
fn an_override_that_switches_the_kind_of_a_rule_replaces_it_whole() {
    // CBP-E's notice is `{ kind = "day_ahead", by = "17:00" }`; switching the kind must not keep `by`.
    let book = book_with(&["programs.CBP-E.notice={kind=\"minutes\",minutes=30}"]);
    assert_eq!(book.programs["CBP-E"].notice, Notice::Minutes { minutes: 30 });
    // The same kind merges field by field.
    let book = book_with(&["programs.CBP-E.notice={kind=\"day_ahead\",by=\"15:00\"}"]);
    assert_eq!(book.programs["CBP-E"].notice, Notice::DayAhead { by: LocalTime::hm(15, 0) });
    // And the rule is applied: 30 minutes' notice on the day is now enough.
    let book = book_with(&["programs.CBP-E.notice={kind=\"minutes\",minutes=30}"]);
    let (s, r) = verdict(&book, &["CBP-E 2022-09-06 17:00-19:00 EEA1 @2022-09-06T16:30".into()]);
    assert_eq!((s, r.as_str()), (Status::Called, ""));
    let (s, r) = verdict(&book, &["CBP-E 2022-09-06 17:00-19:00 EEA1 @2022-09-06T16:45".into()]);
    assert_eq!(s, Status::Refused, "{r}");
    assert!(r.contains("notice"), "{r}");
}
