//! Building the book a scenario runs with: the default (or named) book, deep-merged with the
//! scenario's `[programs.<ID>]` overrides, deserialised and checked.

use super::book::{ProgramBook, ProgramSpec, Response, merge_tables};
use crate::scenario::Seg;

type Errs = Vec<(Vec<Seg>, String)>;

/// The most programs a book may hold (each program is one bit in per-customer masks).
pub const MAX_PROGRAMS: usize = 16;

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

/// Merges `overrides` into the book text and deserialises every program.
pub(crate) fn build_book(base_text: &str, base_name: &str, overrides: &toml::Table) -> Result<ProgramBook, Errs> {
    let mut table: toml::Table = toml::from_str(base_text)
        .map_err(|e| vec![(vec![k("program_book")], format!("{base_name}: {}", e.message().trim()))])?;
    merge_tables(&mut table, overrides);
    let mut book = ProgramBook::default();
    let mut errs = vec![];
    // Programs that did not read: references to them are not reported again as unknown.
    let mut unread = std::collections::BTreeSet::new();
    for (id, v) in table {
        let path = |rest: Vec<Seg>| {
            let mut p = vec![k("programs"), Seg::Key(id.clone())];
            p.extend(rest);
            p
        };
        match serde_path_to_error::deserialize::<_, ProgramSpec>(v) {
            Ok(spec) => {
                for (p, m) in check_program(&spec) {
                    errs.push((path(p), m));
                }
                book.programs.insert(id.clone(), spec);
            }
            Err(e) => {
                unread.insert(id.clone());
                let segs: Vec<Seg> = e
                    .path()
                    .iter()
                    .filter_map(|s| match s {
                        serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                        serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                        _ => None,
                    })
                    .collect();
                errs.push((path(segs), e.inner().message().trim().to_string()));
            }
        }
    }
    if book.programs.len() > MAX_PROGRAMS {
        errs.push((
            vec![k("programs")],
            format!("{} programs: at most {MAX_PROGRAMS} are supported", book.programs.len()),
        ));
    }
    for (id, spec) in &book.programs {
        for (i, d) in spec.migration_conflicts.iter().enumerate() {
            if !book.programs.contains_key(d) && !unread.contains(d) {
                errs.push((
                    vec![k("programs"), Seg::Key(id.clone()), k("migration_conflicts"), Seg::Index(i)],
                    format!("unknown program `{d}`"),
                ));
            }
        }
        for (i, d) in spec.dual_participation.iter().enumerate() {
            if !book.programs.contains_key(d) && !unread.contains(d) {
                errs.push((
                    vec![k("programs"), Seg::Key(id.clone()), k("dual_participation"), Seg::Index(i)],
                    format!("unknown program `{d}`"),
                ));
            }
        }
    }
    if errs.is_empty() { Ok(book) } else { Err(errs) }
}

fn unit(v: f64) -> bool {
    v.is_finite() && (0.0..=1.0).contains(&v)
}

fn check_program(p: &ProgramSpec) -> Errs {
    let mut e: Errs = vec![];
    let mut push = |path: Vec<Seg>, m: &dyn std::fmt::Display| e.push((path, m.to_string()));
    if p.season_months.iter().any(|m| !(1..=12).contains(m)) {
        push(vec![k("season_months")], &"expected months 1-12");
    }
    for (i, w) in p.windows.iter().enumerate() {
        let at = |f: &str| vec![k("windows"), Seg::Index(i), k(f)];
        if w.end <= w.start {
            push(at("end"), &format!("window end {} must be after start {}", w.end, w.start));
        }
        if w.months.iter().any(|m| !(1..=12).contains(m)) {
            push(at("months"), &"expected months 1-12");
        }
    }
    for (f, v) in [
        ("min_event_hours", p.min_event_hours),
        ("max_event_hours", p.max_event_hours),
        ("max_hours_per_day", p.max_hours_per_day),
        ("max_hours_per_month", p.max_hours_per_month),
        ("max_hours_per_year", p.max_hours_per_year),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                push(vec![k(f)], &format!("{v}: expected hours >= 0"));
            }
        }
    }
    if let (Some(a), Some(b)) = (p.min_event_hours, p.max_event_hours) {
        if a > b {
            push(vec![k("min_event_hours")], &"expected min_event_hours <= max_event_hours");
        }
    }
    let el = &p.eligibility;
    for (f, v) in [("min_reduction_share", el.min_reduction_share)] {
        if let Some(v) = v {
            if !unit(v) {
                push(vec![k("eligibility"), k(f)], &format!("{v}: expected a share 0 to 1"));
            }
        }
    }
    let r = |f: &str| vec![k("response"), k(f)];
    match &p.response {
        Response::AcCycling { period_minutes, plans, opt_out_prob } => {
            if *period_minutes == 0 {
                push(r("period_minutes"), &"expected minutes > 0");
            }
            if plans.is_empty() {
                push(r("plans"), &"expected at least one plan");
            }
            let total: f64 = plans.iter().map(|x| x.share).sum();
            if (total - 1.0).abs() > 1e-6 {
                push(r("plans"), &format!("plan shares sum to {total}: expected 1"));
            }
            for (i, pl) in plans.iter().enumerate() {
                if !(pl.off_fraction > 0.0 && pl.off_fraction <= 1.0) {
                    push(
                        vec![k("response"), k("plans"), Seg::Index(i), k("off_fraction")],
                        &"expected a share in (0, 1]",
                    );
                }
            }
            if !unit(*opt_out_prob) {
                push(r("opt_out_prob"), &"expected a probability 0 to 1");
            }
        }
        Response::Thermostat { setpoint_offset_c, override_prob_per_hour } => {
            if !(setpoint_offset_c.is_finite() && (0.0..=10.0).contains(setpoint_offset_c)) {
                push(r("setpoint_offset_c"), &"expected 0 to 10 °C");
            }
            if !unit(*override_prob_per_hour) {
                push(r("override_prob_per_hour"), &"expected a probability 0 to 1");
            }
        }
        Response::PumpInterrupt => {}
        Response::FirmServiceLevel { options_minutes, option_shares, non_compliance, partial_share } => {
            if options_minutes.is_empty() || options_minutes.len() != option_shares.len() {
                push(r("option_shares"), &"expected one share per option");
            }
            let total: f64 = option_shares.iter().sum();
            if (total - 1.0).abs() > 1e-6 {
                push(r("option_shares"), &format!("option shares sum to {total}: expected 1"));
            }
            if !unit(*non_compliance) {
                push(r("non_compliance"), &"expected a probability 0 to 1");
            }
            if !unit(*partial_share) {
                push(r("partial_share"), &"expected a share 0 to 1");
            }
        }
        Response::Nomination { nomination_share, performance } => {
            if let Err(m) = nomination_share.check(0.0, 1.0) {
                push(r("nomination_share"), &m);
            }
            if let Err(m) = performance.check(0.0, 3.0) {
                push(r("performance"), &m);
            }
        }
        Response::Voluntary { participation, reduction_share } => {
            if !unit(*participation) {
                push(r("participation"), &"expected a probability 0 to 1");
            }
            if let Err(m) = reduction_share.check(0.0, 1.0) {
                push(r("reduction_share"), &m);
            }
        }
        Response::Price { price_ratio, elasticity, shift_share, setpoint_offset_c } => {
            if !(price_ratio.is_finite() && *price_ratio > 0.0) {
                push(r("price_ratio"), &"expected a ratio > 0");
            }
            if !(elasticity.is_finite() && (-2.0..=0.0).contains(elasticity)) {
                push(r("elasticity"), &"expected an elasticity -2 to 0");
            }
            if !unit(*shift_share) {
                push(r("shift_share"), &"expected a share 0 to 1");
            }
            if !(setpoint_offset_c.is_finite() && (0.0..=10.0).contains(setpoint_offset_c)) {
                push(r("setpoint_offset_c"), &"expected 0 to 10 °C");
            }
        }
        Response::RealTimePrice { elasticity, shift_share, .. } => {
            if !(elasticity.is_finite() && (-2.0..=0.0).contains(elasticity)) {
                push(r("elasticity"), &"expected an elasticity -2 to 0");
            }
            if !unit(*shift_share) {
                push(r("shift_share"), &"expected a share 0 to 1");
            }
        }
    }
    if let Some(b) = &p.baseline {
        match b.method() {
            None => push(
                vec![k("baseline")],
                &format!(
                    "unknown baseline method: expected one of {}",
                    crate::settlement::baseline::PRESET_NAMES.join(", ")
                ),
            ),
            Some(m) => {
                if let Err(e) = m.validate() {
                    push(vec![k("baseline")], &e);
                }
            }
        }
    }
    let money = &p.money;
    for (f, v) in [
        ("energy_usd_per_kwh", money.energy_usd_per_kwh),
        ("excess_energy_usd_per_kwh", money.excess_energy_usd_per_kwh),
        ("credit_usd_per_ton", money.credit_usd_per_ton),
        ("signup_credit_usd", money.signup_credit_usd),
        ("season_credit_usd", money.season_credit_usd),
        ("event_adder_usd_per_kwh", money.event_adder_usd_per_kwh),
        ("peak_credit_usd_per_kwh", money.peak_credit_usd_per_kwh),
        ("base_price_usd_per_kwh", money.base_price_usd_per_kwh),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                push(vec![k("money"), k(f)], &format!("{v}: expected an amount >= 0"));
            }
        }
    }
    if money.capacity_usd_per_kw_month.is_some_and(|a| a.iter().any(|v| !(v.is_finite() && *v >= 0.0))) {
        push(vec![k("money"), k("capacity_usd_per_kw_month")], &"expected amounts >= 0");
    }
    if money.credit_months.iter().any(|m| !(1..=12).contains(m)) {
        push(vec![k("money"), k("credit_months")], &"expected months 1-12");
    }
    if let (Response::AcCycling { plans, .. }, Some(c)) = (&p.response, &money.plan_credit_usd) {
        if c.len() != plans.len() {
            push(vec![k("money"), k("plan_credit_usd")], &format!("expected {} credits, one per plan", plans.len()));
        }
    }
    if let (Response::FirmServiceLevel { options_minutes, .. }, Some(f)) = (&p.response, &money.option_factors) {
        if f.len() != options_minutes.len() {
            push(
                vec![k("money"), k("option_factors")],
                &format!("expected {} factors, one per option", options_minutes.len()),
            );
        }
    }
    for (f, v) in [("full_performance", money.full_performance), ("zero_performance", money.zero_performance)] {
        if let Some(v) = v {
            if !unit(v) {
                push(vec![k("money"), k(f)], &format!("{v}: expected a share 0 to 1"));
            }
        }
    }
    e
}
