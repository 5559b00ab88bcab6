//! Read-only views of a run for dashboards: the population's state aggregated by segment.
//!
//! Nothing here changes the world; every figure is weighted by the real customers an agent
//! stands for, and sums are exact (order-independent), so a view reads the same natively and in
//! the browser.

use crate::Sim;
use crate::customers::{Customer, Weight};
use crate::devices::AcState;
use crate::metrics::ExactSum;
use crate::programs::{Enrolment, MAX_PROGRAMS};
use crate::scenario::CustomerClass;
use serde::Serialize;

/// One population segment's state at the latest step, weighted by real customers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentView {
    /// Segment name.
    pub name: String,
    /// Customer class.
    pub class: CustomerClass,
    /// Simulated agents.
    pub agents: u64,
    /// Real customers they stand for.
    pub customers: f64,
    /// Customers with a central A/C.
    pub ac_customers: f64,
    /// Mean indoor temperature of customers with a central A/C, °C (NaN without any).
    pub mean_indoor_temp_c: f64,
    /// Highest indoor temperature among them, °C (NaN without any).
    pub max_indoor_temp_c: f64,
    /// Share of their A/C compressors running this step.
    pub ac_running_share: f64,
    /// Enrolled customers per program, in the run's program index order.
    pub enrolled: Vec<f64>,
    /// Customers enrolled in a program with an event in force this step.
    pub in_event: f64,
    /// Customers who overrode a thermostat change in their current event.
    pub overriding: f64,
    /// Customers who opted out of their current event.
    pub opted_out: f64,
    /// Mean consecutive event days of customers who had an event (fatigue), days.
    pub mean_consecutive_event_days: f64,
    /// Most consecutive event days of any customer, days.
    pub max_consecutive_event_days: u16,
}

#[derive(Default)]
struct Acc {
    agents: u64,
    customers: ExactSum,
    ac: ExactSum,
    indoor: ExactSum,
    indoor_max: f64,
    running: ExactSum,
    enrolled: [ExactSum; MAX_PROGRAMS],
    in_event: ExactSum,
    overriding: ExactSum,
    opted_out: ExactSum,
    fatigued: ExactSum,
    fatigue_days: ExactSum,
    fatigue_max: u16,
}

fn ratio(num: ExactSum, den: ExactSum) -> f64 {
    let d = den.value();
    if d > 0.0 { num.value() / d } else { f64::NAN }
}

/// The population's state by segment (in scenario order) at the latest step.
pub fn segment_views(sim: &Sim) -> Vec<SegmentView> {
    let world = &sim.world;
    let segments = sim.segments();
    let active = sim.programs().active;
    let programs = sim.programs().ids.len().min(MAX_PROGRAMS);
    let mut acc: Vec<Acc> = segments.list.iter().map(|_| Acc::default()).collect();
    let query = world.try_query::<(&Customer, &Weight, Option<&Enrolment>, Option<&AcState>)>();
    if let Some(mut q) = query {
        for (c, w, e, ac) in q.iter(world) {
            let Some(a) = acc.get_mut(usize::from(c.segment)) else {
                continue;
            };
            let w = w.0;
            a.agents += 1;
            a.customers.add(w);
            if let Some(ac) = ac {
                a.ac.add(w);
                a.indoor.add(w * ac.temp_c);
                a.indoor_max = a.indoor_max.max(ac.temp_c);
                if ac.running {
                    a.running.add(w);
                }
            }
            if let Some(e) = e {
                for (p, sum) in a.enrolled.iter_mut().enumerate().take(programs) {
                    if e.enrolled.contains(p) {
                        sum.add(w);
                    }
                }
                let live = e.enrolled & active;
                if !live.is_empty() {
                    a.in_event.add(w);
                }
                if e.overridden.intersects(live) {
                    a.overriding.add(w);
                }
                if e.opted_out.intersects(live) {
                    a.opted_out.add(w);
                }
                if e.consecutive_days > 0 {
                    a.fatigued.add(w);
                    a.fatigue_days.add(w * f64::from(e.consecutive_days));
                    a.fatigue_max = a.fatigue_max.max(e.consecutive_days);
                }
            }
        }
    }
    segments
        .list
        .iter()
        .zip(acc)
        .map(|(s, a)| SegmentView {
            name: s.name.clone(),
            class: s.class,
            agents: a.agents,
            customers: a.customers.value(),
            ac_customers: a.ac.value(),
            mean_indoor_temp_c: ratio(a.indoor, a.ac),
            max_indoor_temp_c: if a.ac.value() > 0.0 { a.indoor_max } else { f64::NAN },
            ac_running_share: ratio(a.running, a.ac),
            enrolled: a.enrolled[..programs].iter().map(|x| x.value()).collect(),
            in_event: a.in_event.value(),
            overriding: a.overriding.value(),
            opted_out: a.opted_out.value(),
            mean_consecutive_event_days: ratio(a.fatigue_days, a.fatigued),
            max_consecutive_event_days: a.fatigue_max,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;
    use crate::scenario::{NoFiles, load_scenario};

    #[test]
    fn segment_views_cover_every_agent_and_enrolment() {
        let scn = load_scenario(data::default_scenario(), "default.toml", &[], &NoFiles).unwrap();
        let mut sim = Sim::new(&scn, 1);
        sim.run_steps(3);
        let views = segment_views(&sim);
        assert_eq!(views.len(), sim.segments().list.len());
        let agents: u64 = views.iter().map(|v| v.agents).sum();
        assert_eq!(agents, scn.agents());
        let homes = &views[0];
        assert!(homes.mean_indoor_temp_c > 15.0 && homes.mean_indoor_temp_c < 40.0);
        let stats = sim.program_stats();
        for p in 0..sim.programs().ids.len() {
            let by_segment: f64 = views.iter().map(|v| v.enrolled[p]).sum();
            let total = stats.enrolled_customers[p];
            assert!((by_segment - total).abs() <= 1e-6 * total.max(1.0), "program {p}");
        }
    }
}
