//! Settle: the weighted sum of customer meters. Record: one row per step.

use crate::grid::{AlertLevel, GridState};
use crate::programs::ProgramSet;
use crate::time::{Clock, LocalStamp};
use crate::weather::Weather;
use bevy_ecs::prelude::*;

/// An order-independent sum of reals: terms are rounded to fixed point (1e-6) and added as
/// integers, so the total does not depend on iteration order (archetype order can differ between
/// platforms), and results stay bit-identical natively and in WebAssembly. Terms up to ±9e12 and
/// totals up to ±9e12 (e.g. kW of a whole system) are exact to 1e-6.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactSum(i64);

impl ExactSum {
    /// Fixed-point units per unit.
    pub const SCALE: f64 = 1e6;

    /// A term in fixed point: rounded half away from zero (NaN gives 0; infinities saturate).
    #[inline(always)]
    pub fn fixed(x: f64) -> i64 {
        let y = x * Self::SCALE;
        // `as` truncates toward zero and saturates: with ±0.5 first it rounds, in plain
        // instructions (no library call).
        (y + 0.5f64.copysign(y)) as i64
    }

    /// Adds a term (NaN adds nothing; infinities saturate).
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.0 = self.0.wrapping_add(Self::fixed(x));
    }

    /// Adds a term already in fixed point (see [`ExactSum::fixed`]).
    #[inline(always)]
    pub fn add_fixed(&mut self, v: i64) {
        self.0 = self.0.wrapping_add(v);
    }

    /// Adds another sum.
    #[inline]
    pub fn merge(&mut self, o: Self) {
        self.0 = self.0.wrapping_add(o.0);
    }

    /// The total.
    pub fn value(self) -> f64 {
        self.0 as f64 / Self::SCALE
    }
}

/// The simulated customers' weighted load this step.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct PopulationLoad {
    /// Actual load, MW.
    pub actual_mw: f64,
    /// Load expected without events or noise, MW.
    pub expected_mw: f64,
    /// Actual load by class (residential, commercial, industrial, agricultural), MW.
    pub by_class_mw: [f64; 4],
    /// Load the customers out of power would have drawn without events or noise, MW.
    pub out_expected_mw: f64,
    /// Customers out of power (weighted).
    pub out_customers: f64,
    /// Customers whose outage began this step (weighted).
    pub newly_out_customers: f64,
}

/// Energy served to the simulated customers by each supplier over the run, kWh (a resource).
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SupplierEnergy(pub [ExactSum; crate::customers::MAX_SUPPLIERS]);

/// One row of the time series.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRecord {
    /// Step start, local.
    pub time: LocalStamp,
    /// Outdoor temperature, °C.
    pub outdoor_temp_c: f64,
    /// System load, MW.
    pub system_load_mw: f64,
    /// Available supply, MW.
    pub supply_mw: f64,
    /// Reserve margin, %.
    pub reserve_margin_pct: f64,
    /// Highest alert in effect.
    pub alert: AlertLevel,
    /// Simulated customers' load, MW.
    pub customers_load_mw: f64,
    /// Their load expected without events, MW.
    pub customers_expected_mw: f64,
    /// By class, MW.
    pub class_mw: [f64; 4],
    /// Solar, MW.
    pub solar_mw: f64,
    /// Wind, MW.
    pub wind_mw: f64,
    /// Net imports, MW.
    pub imports_mw: f64,
    /// Dispatchable fleet available, MW.
    pub firm_mw: f64,
    /// Supply withheld by a replayed calendar so the margin is at the replayed level's threshold, MW.
    pub replay_withheld_mw: f64,
    /// Firm load shed (rotating outages): the load the customers out of power would have drawn, MW.
    pub unserved_mw: f64,
    /// Simulated customers out of power (weighted: the real customers they stand for).
    pub customers_out: f64,
    /// Simulated customers whose outage began this step (weighted).
    pub customers_newly_out: f64,
    /// Customers out of power on the whole system: the simulated customers out, scaled by the
    /// system's demand over theirs (an estimate: the rest of the system is taken to have the
    /// simulated customers' load per customer).
    pub system_customers_out: f64,
    /// System customers whose outage began this step (the same estimate).
    pub system_customers_newly_out: f64,
    /// Demand conserved in answer to alerts (Flex Alerts, the emergency text alert), MW.
    pub conservation_mw: f64,
    /// Mean indoor temperature of homes with A/C (weighted), °C.
    pub mean_indoor_temp_c: f64,
    /// Weighted share of A/C compressors running.
    pub ac_running_share: f64,
    /// Programs with an event in force (bit = program index).
    pub active_programs: ProgramSet,
    /// True load reduction by program (counterfactual minus actual, attributed), MW.
    pub program_reduction_mw: [f64; crate::programs::MAX_PROGRAMS],
    /// Reduction not attributable to a program (should stay near zero), MW.
    pub unattributed_reduction_mw: f64,
    /// System load in the counterfactual twin (no events), MW (NaN without a twin).
    pub counterfactual_system_load_mw: f64,
}

/// Everything recorded during a run (a resource).
#[derive(Resource, Clone, Debug, Default)]
pub struct Metrics {
    /// One row per step.
    pub steps: Vec<StepRecord>,
}

/// Settle: the step's weighted meter sums (filled by the Act systems) as the population's load.
pub fn aggregate_meters_system(
    clock: Res<'_, Clock>,
    sums: Res<'_, crate::devices::LoadSums>,
    mut pop: ResMut<'_, PopulationLoad>,
    mut served: ResMut<'_, SupplierEnergy>,
) {
    let dt = clock.dt_hours();
    for (e, s) in served.0.iter_mut().zip(sums.by_supplier) {
        e.add(s.value() * dt);
    }
    let all = sums.by_class.iter().fold(ExactSum::default(), |mut a, b| {
        a.merge(*b);
        a
    });
    *pop = PopulationLoad {
        actual_mw: all.value() / 1000.0,
        expected_mw: sums.expected.value() / 1000.0,
        by_class_mw: sums.by_class.map(|x| x.value() / 1000.0),
        out_expected_mw: sums.out_expected.value() / 1000.0,
        out_customers: sums.out_weight.value(),
        newly_out_customers: sums.newly_out_weight.value(),
    };
}

/// Record: appends this step's row.
pub fn record_system(
    clock: Res<'_, Clock>,
    weather: Res<'_, Weather>,
    grid: Option<Res<'_, GridState>>,
    programs: Option<Res<'_, crate::programs::ProgramState>>,
    pop: Res<'_, PopulationLoad>,
    mut metrics: ResMut<'_, Metrics>,
    sums: Res<'_, crate::devices::LoadSums>,
) {
    let (wsum, tsum, run) = (sums.ac_weight.value(), sums.ac_temp.value(), sums.ac_running.value());
    let (mean_t, run_share) = if wsum > 0.0 { (tsum / wsum, run / wsum) } else { (f64::NAN, f64::NAN) };
    let mut r = StepRecord {
        time: clock.now,
        outdoor_temp_c: weather.temp_c,
        system_load_mw: 0.0,
        supply_mw: 0.0,
        reserve_margin_pct: f64::NAN,
        alert: AlertLevel::None,
        customers_load_mw: pop.actual_mw,
        customers_expected_mw: pop.expected_mw,
        class_mw: pop.by_class_mw,
        solar_mw: 0.0,
        wind_mw: 0.0,
        imports_mw: 0.0,
        firm_mw: 0.0,
        replay_withheld_mw: 0.0,
        unserved_mw: 0.0,
        customers_out: pop.out_customers,
        customers_newly_out: pop.newly_out_customers,
        system_customers_out: 0.0,
        system_customers_newly_out: 0.0,
        conservation_mw: 0.0,
        mean_indoor_temp_c: mean_t,
        ac_running_share: run_share,
        active_programs: programs.map_or(ProgramSet::EMPTY, |p| p.active),
        program_reduction_mw: [0.0; crate::programs::MAX_PROGRAMS],
        unattributed_reduction_mw: 0.0,
        counterfactual_system_load_mw: f64::NAN,
    };
    if let Some(g) = grid {
        r.system_load_mw = g.system_load_mw;
        r.supply_mw = g.supply.total();
        r.reserve_margin_pct = g.margin_pct;
        r.alert = g.alert;
        r.solar_mw = g.supply.solar_mw;
        r.wind_mw = g.supply.wind_mw;
        r.imports_mw = g.supply.imports_mw;
        r.firm_mw = g.supply.firm_mw;
        r.unserved_mw = g.shed_mw;
        r.replay_withheld_mw = g.replay_withheld_mw;
        r.system_customers_out = pop.out_customers * g.system_per_simulated_customer;
        r.system_customers_newly_out = pop.newly_out_customers * g.system_per_simulated_customer;
        r.conservation_mw = g.conservation_mw;
    }
    metrics.steps.push(r);
}
