//! The rules engine on a year of dispatch requests, and the baseline method on a year of meter data.

use criterion::{Criterion, criterion_group, criterion_main};
use sim_core::programs::Trigger;
use sim_core::programs::judge::{Request, judge_calendar};
use sim_core::settlement::baseline::{BaselineMethod, compute};
use sim_core::time::{Date, date_of_day, day_number};
use std::collections::BTreeMap;
use std::hint::black_box;

/// A year of requests: every day of 2022, each program of the default book asks for a
/// 16:00-20:00 event and a 13:00-14:00 one (many are refused by windows, seasons and caps).
fn year_of_requests(programs: &[&str]) -> Vec<Request> {
    let first = day_number(Date::constant(2022, 1, 1));
    let mut v = vec![];
    for d in 0..365 {
        let date = date_of_day(first + d);
        for p in programs {
            for (start_min, end_min) in [(16 * 60, 20 * 60), (13 * 60, 14 * 60)] {
                let trigger = if d % 3 == 0 { Trigger::Eea1 } else { Trigger::FlexAlert };
                v.push(Request { program: p.to_string(), date, start_min, end_min, trigger, issued: None });
            }
        }
    }
    v
}

/// A year of hourly kWh of an air-conditioned home (a daily shape, warmer in summer).
fn year_of_meter_data() -> BTreeMap<Date, [f64; 24]> {
    let first = day_number(Date::constant(2022, 1, 1));
    (0..365)
        .map(|d| {
            let season = 1.0 + 0.8 * (std::f64::consts::PI * (d as f64 - 15.0) / 365.0).sin().powi(2);
            let mut h = [0.0; 24];
            for (k, x) in h.iter_mut().enumerate() {
                let shape = 0.6 + 0.5 * (std::f64::consts::PI * (k as f64 - 8.0) / 16.0).sin().max(0.0);
                *x = shape * season * (1.0 + 0.05 * ((d * 31 + k as i64 * 7) % 11) as f64 / 11.0);
            }
            (date_of_day(first + d), h)
        })
        .collect()
}

fn rules(c: &mut Criterion) {
    let scn = benches::scenario("default.toml", &[]);
    let book = scn.book();
    let programs = book.ids();
    let reqs = year_of_requests(&programs);
    c.bench_function(&format!("rules engine: a year of requests ({} requests)", reqs.len()), |b| {
        b.iter(|| judge_calendar(black_box(book), reqs.clone()).len())
    });
}

fn baseline(c: &mut Criterion) {
    let data = year_of_meter_data();
    let method = BaselineMethod::ten_in_ten();
    // Every weekday from February on is an event day 16:00-21:00 (excluding the earlier ones of
    // the last 45 days, as a program's event days are).
    let first = day_number(Date::constant(2022, 2, 1));
    let days: Vec<Date> = (0..334).map(|d| date_of_day(first + d)).collect();
    c.bench_function("baseline: ten-in-ten for every day of a year of hourly data", |b| {
        b.iter(|| {
            let mut ok = 0;
            for (i, d) in days.iter().enumerate() {
                let excluded: Vec<Date> = days[i.saturating_sub(6)..i].to_vec();
                if compute(&method, black_box(&data), *d, 16, 21, &excluded).is_ok() {
                    ok += 1;
                }
            }
            ok
        })
    });
}

criterion_group!(benches, rules, baseline);
criterion_main!(benches);
