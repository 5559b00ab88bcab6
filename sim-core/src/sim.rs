//! The facade: the only door into a run for the command line, the browser, benches and tests.

use crate::aggregators::state::init_aggregators;
use crate::aggregators::{
    Aggregators, DrpSettlement, MeterHistory, ScenarioRef, Tracked, authorizations_csv, market_csv, settle_drps,
};
use crate::customers::{Customer, Segments, Weight, spawn_population};
use crate::devices::{AcControl, Coupling, NoiseKey};
use crate::grid::{AlertLevel, GridState};
use crate::metrics::cca::{CapacityAlerts, alerts_csv, capacity_alerts, forecast_csv};
use crate::metrics::{
    Metrics, PopulationLoad, ProgramReport, RunSummary, StepRecord, SupplierEnergy, Timeseries, timeseries_csv,
};
use crate::programs::enrol::enrol_population;
use crate::programs::{BehaviourParams, Enrolment, MAX_PROGRAMS, PriceSignals, ProgramState, ProgramStats, events_csv};
use crate::rng::SimRng;
use crate::scenario::ValidScenario;
use crate::schedule::build_schedule;
use crate::settlement::{SettlementAcc, SettlementRow, init_settlement, settle, settlement_csv};
use crate::time::Clock;
use crate::twin::{Twin, attribute, run_pair};
use crate::views::{GridView, MarketView, ProgramsView};
use crate::weather::{HISTORY_DAYS, Weather};
use bevy_ecs::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Agents from which the actual world and its twin are stepped at the same time (`parallel`).
const CONCURRENT_TWIN_AGENTS: u64 = 50_000;

/// A simulation run.
pub struct Sim {
    pub(crate) world: World,
    schedule: Schedule,
    twin: Option<Twin>,
    /// Portfolios' meter data of the 45 days before the run (settlement baselines).
    history: Option<SettlementAcc>,
    name: String,
    seed: u64,
    agents: u64,
    customers: f64,
}

/// The state of a run at its latest step, for dashboards.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// Steps done.
    pub step: u64,
    /// Steps in the run.
    pub steps_total: u64,
    /// Local time of the latest step (RFC 3339), empty before the first.
    pub time: String,
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
    /// Firm load shed, MW.
    pub unserved_mw: f64,
    /// Customers out of power on the whole system (estimated from the simulated customers out).
    pub system_customers_out: f64,
    /// Demand conserved in answer to alerts, MW.
    pub conservation_mw: f64,
}

/// Which world is being built.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The run itself.
    Actual,
    /// The counterfactual twin: same seed, no events.
    Twin,
    /// The 45 days before the run, without events, for settlement baselines.
    WarmUp,
}

/// Builds a world of `mode`. With `keep`, only the customers it marks (by id) are spawned: the
/// twin and warm-up worlds hold only the customers programs and DRPs concern.
fn build_world(scn: &Arc<ValidScenario>, seed: u64, mode: Mode, keep: Option<&[bool]>) -> World {
    let rng = SimRng::new(seed);
    let s = scn.scenario();
    let mut world = World::new();
    // Validation built both clocks.
    let clock = if mode == Mode::WarmUp { scn.warmup_clock.clone() } else { scn.clock.clone() };
    let weather = Weather::new(scn, &rng);
    // The twin needs no grid of its own: its system load is the run's plus the customers' differences.
    let grid = s.grid.enabled && mode == Mode::Actual;
    if grid {
        // Start the temperature averages at the first day's mean.
        let first = weather.day(clock.now.day).map_or(weather.temp_c, |d| 0.5 * (d.high_c + d.low_c));
        world.insert_resource(GridState::new(scn, &rng, first));
    }
    let programs = ProgramState::new(scn, &clock, mode == Mode::Actual);
    let days = (clock.steps_total * u64::from(clock.step_minutes)).div_ceil(1440) as usize + 1;
    let first_day = clock.now.day;
    world.insert_resource(weather);
    world.insert_resource(clock);
    world.insert_resource(AcControl::default());
    world.insert_resource(Coupling(grid));
    world.insert_resource(NoiseKey::new(&rng, &programs.ids));
    world.insert_resource(PopulationLoad::default());
    world.insert_resource(crate::devices::LoadSums::default());
    world.insert_resource(crate::devices::Outage::default());
    world.insert_resource(crate::devices::LoadShapes::default());
    world.insert_resource(Metrics::default());
    world.insert_resource(BehaviourParams(s.behaviour.clone()));
    world.insert_resource(PriceSignals::default());
    // The A/Cs start at their steady state for the first step's outdoor temperature.
    let tout0_c = world.resource::<Weather>().temp_at(&world.resource::<Clock>().now);
    let segments = spawn_population(&mut world, scn, &rng, keep, tout0_c);
    world.insert_resource(segments);
    let stats = enrol_population(&mut world, scn, &programs, &rng);
    world.insert_resource(stats);
    world.insert_resource(programs);
    // Third-party DRPs: their customers' meter history covers the settlement look-back and the run.
    let run_first = crate::time::day_number(scn.first);
    let history_first = run_first - (HISTORY_DAYS - 1);
    let history_days = (crate::time::day_number(scn.last) - history_first + 1) as usize;
    let (agg, meter_history) =
        init_aggregators(&mut world, scn, &rng, mode == Mode::Actual, history_first, history_days);
    world.insert_resource(agg);
    world.insert_resource(meter_history);
    world.insert_resource(ScenarioRef(Arc::clone(scn)));
    world.insert_resource(SupplierEnergy::default());
    let mut acc = init_settlement(&mut world, first_day, days);
    acc.comfort_only = mode == Mode::Twin;
    world.insert_resource(acc);
    world
}

/// The customers some program or DRP concerns, by id: the others behave identically with and
/// without events, and before the run.
fn concerned(world: &mut World) -> Vec<bool> {
    let mut keep = vec![];
    let mut q = world.query_filtered::<&Customer, Or<(With<Enrolment>, With<Tracked>)>>();
    for c in q.iter(world) {
        let i = c.id as usize;
        if i >= keep.len() {
            keep.resize(i + 1, false);
        }
        keep[i] = true;
    }
    keep
}

/// Whether any enrolled customer is in a baseline-settled program, or DRPs settle their customers.
fn needs_history(world: &World) -> bool {
    if !world.resource::<MeterHistory>().ids.is_empty() {
        return true;
    }
    let ps = world.resource::<ProgramState>();
    let acc = world.resource::<SettlementAcc>();
    (0..ps.ids.len().min(MAX_PROGRAMS)).any(|p| {
        ps.specs[p].baseline.is_some() && (0..acc.n_segments).any(|s| acc.get(p, s).is_some_and(|x| x.agents > 0))
    })
}

/// Simulates the 45 days before the run, without events and with only enrolled customers, and
/// returns their portfolios' hourly meter data (the history settlement baselines look back on).
fn warm_up(scn: &Arc<ValidScenario>, seed: u64, keep: &[bool]) -> (SettlementAcc, MeterHistory) {
    let mut world = build_world(scn, seed, Mode::WarmUp, Some(keep));
    let mut schedule = build_schedule(false, false);
    while !world.resource::<Clock>().finished() {
        schedule.run(&mut world);
        world.resource_mut::<Clock>().advance();
    }
    (
        world.remove_resource::<SettlementAcc>().unwrap_or_default(),
        world.remove_resource::<MeterHistory>().unwrap_or_default(),
    )
}

impl Sim {
    /// A run of `scn` with `seed`: builds the world (and its counterfactual twin when the scenario
    /// has programs and asks for it), spawns and enrols the population, and is ready to step.
    pub fn new(scn: &ValidScenario, seed: u64) -> Self {
        Self::build(scn, seed, false)
    }

    fn build(scn: &ValidScenario, seed: u64, strict: bool) -> Self {
        let s = scn.scenario();
        // One copy of the scenario, shared by the actual, warm-up and twin worlds.
        let shared = Arc::new(scn.clone());
        let mut world = build_world(&shared, seed, Mode::Actual, None);
        let want_history = needs_history(&world);
        let want_twin = s.counterfactual && !scn.book().programs.is_empty() && scn.agents() > 0;
        // Who the warm-up and the twin hold (found only when either is built).
        let keep = if want_history || want_twin { concerned(&mut world) } else { vec![] };
        let history = want_history.then(|| {
            let (acc, meters) = warm_up(&shared, seed, &keep);
            // The warm-up's meter history (the days before the run) continues in the run.
            world.insert_resource(meters);
            acc
        });
        let grid = s.grid.enabled;
        let twin = want_twin.then(|| {
            let tw = build_world(&shared, seed, Mode::Twin, Some(&keep));
            Twin::new(&mut world, tw, build_schedule(false, false), scn.agents() >= CONCURRENT_TWIN_AGENTS)
        });
        Self {
            world,
            schedule: build_schedule(grid, strict),
            twin,
            history,
            name: s.name.clone(),
            seed,
            agents: scn.agents(),
            customers: scn.customers_represented(),
        }
    }

    /// Builds the schedule with ambiguity detection as an error (for tests).
    pub fn check_schedule(scn: &ValidScenario) -> Result<(), bevy_ecs::schedule::ScheduleBuildError> {
        let mut sim = Self::build(scn, 0, true);
        sim.schedule.initialize(&mut sim.world).map(|_| ())
    }

    #[cfg(feature = "test-support")]
    /// Adds explicit houses (benches and peer comparisons); they get ids after the population's.
    pub fn spawn_houses(&mut self, houses: &[crate::customers::HouseSpec]) {
        use crate::customers::spawn_houses;
        let first = self.agents as u32;
        let step = self.clock().step_minutes;
        spawn_houses(&mut self.world, houses, first, step);
        if let Some(t) = &mut self.twin {
            spawn_houses(&mut t.world, houses, first, step);
        }
        self.agents += houses.len() as u64;
        self.customers += houses.len() as f64;
    }

    #[cfg(feature = "test-support")]
    /// Issues a direct load control (A/C cycling) command.
    pub fn command_cycling(&mut self, cmd: crate::devices::CyclingCommand) {
        self.world.resource_mut::<AcControl>().commands.push(cmd);
    }

    /// Runs one step; false when the run had already finished.
    pub fn step(&mut self) -> bool {
        if self.clock().finished() {
            return false;
        }
        let Self { world, schedule, twin, agents, .. } = self;
        if let Some(t) = twin {
            // The twin reads nothing of the actual world within a step: the two can run at once.
            if t.concurrent {
                run_pair(schedule, world, &mut t.schedule, &mut t.world);
            } else {
                schedule.run(world);
                t.schedule.run(&mut t.world);
            }
            attribute(world, t, *agents as usize);
            // The twin's customers lose power with the run's (the grid, which sheds, is the run's).
            *t.world.resource_mut::<crate::devices::Outage>() = *world.resource::<crate::devices::Outage>();
            t.world.resource_mut::<Clock>().advance();
        } else {
            schedule.run(world);
        }
        world.resource_mut::<Clock>().advance();
        true
    }

    /// Runs until the clock reaches `utc_s` (or the end).
    pub fn run_until(&mut self, utc_s: i64) {
        while self.clock().now.utc_s < utc_s && self.step() {}
    }

    /// Runs at most `n` steps; returns how many ran.
    pub fn run_steps(&mut self, n: u64) -> u64 {
        let mut k = 0;
        while k < n && self.step() {
            k += 1;
        }
        k
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        while self.step() {}
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.clock().finished()
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        self.world.resource::<Clock>()
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A resource of the run's world (for the crate's outputs and views).
    pub(crate) fn res<R: bevy_ecs::resource::Resource>(&self) -> &R {
        self.world.resource::<R>()
    }

    fn grid_state(&self) -> Option<&GridState> {
        self.world.get_resource::<GridState>()
    }

    /// Every step recorded so far.
    pub fn steps(&self) -> &[StepRecord] {
        &self.res::<Metrics>().steps
    }

    /// The grid as the dashboard reads it, when the grid is modelled.
    pub fn grid(&self) -> Option<GridView<'_>> {
        self.grid_state().map(GridView::new)
    }

    /// The programs: ids, rules and the events table.
    pub fn programs(&self) -> ProgramsView<'_> {
        ProgramsView::new(self.res::<ProgramState>())
    }

    /// The third-party market: DRPs, market rows and authorizations.
    pub fn market(&self) -> MarketView<'_> {
        MarketView::new(self.res::<Aggregators>())
    }

    /// The population segments' names, in scenario order.
    pub fn segment_names(&self) -> impl Iterator<Item = &str> {
        self.res::<Segments>().list.iter().map(|s| s.name.as_str())
    }

    #[cfg(feature = "test-support")]
    /// Everything recorded so far.
    pub fn metrics(&self) -> &Metrics {
        self.res::<Metrics>()
    }

    #[cfg(feature = "test-support")]
    /// The population segments.
    pub fn segments(&self) -> &Segments {
        self.res::<Segments>()
    }

    #[cfg(feature = "test-support")]
    /// The weather.
    pub fn weather(&self) -> &Weather {
        self.res::<Weather>()
    }

    #[cfg(feature = "test-support")]
    /// Programs: book, events table, events in force.
    pub fn program_state(&self) -> &ProgramState {
        self.res::<ProgramState>()
    }

    #[cfg(feature = "test-support")]
    /// Program statistics: enrolment, rejections, notifications.
    pub fn program_stats(&self) -> &ProgramStats {
        self.res::<ProgramStats>()
    }

    #[cfg(feature = "test-support")]
    /// Third-party DRPs: links, authorization ledger, market rows.
    pub fn aggregators(&self) -> &Aggregators {
        self.res::<Aggregators>()
    }

    /// Whether the counterfactual twin runs alongside.
    pub fn has_counterfactual(&self) -> bool {
        self.twin.is_some()
    }

    #[cfg(feature = "test-support")]
    /// The twin's world (same seed, no events), if any.
    pub fn counterfactual_world(&self) -> Option<&World> {
        self.twin.as_ref().map(|t| &t.world)
    }

    #[cfg(feature = "test-support")]
    /// Read access to the world (for views and tests).
    pub fn world(&self) -> &World {
        &self.world
    }

    #[cfg(feature = "test-support")]
    /// Mutable access to the world (for tests that set up special cases).
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// The events table as CSV (`program,date,start,end,trigger,issued,status,reason`).
    pub fn events_csv(&self) -> String {
        events_csv(&self.res::<ProgramState>().sorted_rows())
    }

    /// Settlement of every program's portfolios so far (events that have ended), then each DRP's.
    pub fn settlement(&self) -> Vec<SettlementRow> {
        self.settlement_with(&self.drp_settlement().0)
    }

    /// Settlement rows: the programs' portfolios, then the DRPs' (already settled).
    fn settlement_with(&self, drps: &[DrpSettlement]) -> Vec<SettlementRow> {
        let mut rows = settle(
            self.res::<ProgramState>(),
            self.world.resource::<SettlementAcc>(),
            self.history.as_ref(),
            self.res::<Segments>(),
            self.clock(),
        );
        rows.extend(drps.iter().map(|d| d.row.clone()));
        rows
    }

    /// `settlement.csv` and `market.csv` from one settlement of the DRPs.
    pub fn settlement_and_market_csv(&self) -> (String, String) {
        let (drps, delivered) = self.drp_settlement();
        (settlement_csv(&self.settlement_with(&drps)), market_csv(self.res::<Aggregators>(), &delivered))
    }

    /// The DRPs' settlement, and delivered energy per (DRP, day, hour).
    pub fn drp_settlement(&self) -> (Vec<DrpSettlement>, crate::aggregators::Delivered) {
        let scn = &self.world.resource::<ScenarioRef>().0;
        settle_drps(
            self.res::<Aggregators>(),
            self.world.resource::<MeterHistory>(),
            self.res::<ProgramState>(),
            self.world.resource::<SettlementAcc>(),
            scn,
            self.clock(),
        )
    }

    /// `authorizations.csv`: every grant, share and revocation.
    pub fn authorizations_csv(&self) -> String {
        authorizations_csv(self.res::<Aggregators>())
    }

    /// `market.csv`: every DRP's bids, awards and deliveries by hour.
    pub fn market_csv(&self) -> String {
        market_csv(self.res::<Aggregators>(), &self.drp_settlement().1)
    }

    /// The CCA operator's capacity-alert view at the latest step.
    pub fn capacity_alerts(&self) -> CapacityAlerts {
        capacity_alerts(self.steps(), self.grid_state(), self.res::<ProgramState>(), self.clock())
    }

    /// `alerts.csv`: status notices, day-ahead alerts and DR events.
    pub fn alerts_csv(&self) -> String {
        alerts_csv(self.steps(), self.grid_state(), self.res::<ProgramState>(), self.clock())
    }

    /// `forecast.csv`: daily peaks beside the forecasts made the day before.
    pub fn forecast_csv(&self) -> String {
        forecast_csv(self.steps(), self.grid_state())
    }

    /// `settlement.csv`: one row per program and segment.
    pub fn settlement_csv(&self) -> String {
        settlement_csv(&self.settlement())
    }

    fn supplier_summary(&self) -> BTreeMap<String, crate::metrics::SupplierSummary> {
        let names = &self.res::<Segments>().suppliers;
        let served = self.world.resource::<SupplierEnergy>();
        let mut out: BTreeMap<String, crate::metrics::SupplierSummary> = BTreeMap::new();
        if let Some(mut q) = self.world.try_query::<(&Customer, &Weight, Option<&Enrolment>)>() {
            for (c, w, e) in q.iter(&self.world) {
                let name = names.get(usize::from(c.supplier)).cloned().unwrap_or_default();
                let x = out.entry(name).or_default();
                x.customers += w.0;
                if e.is_some_and(|e| !e.enrolled.is_empty()) {
                    x.enrolled_customers += w.0;
                }
            }
        }
        for (i, name) in names.iter().enumerate() {
            let x = out.entry(name.clone()).or_default();
            x.served_mwh = served.0[i].value() / 1000.0;
            x.reduced_in_events_mwh = self.twin.as_ref().map_or(0.0, |t| t.by_supplier[i].value());
        }
        out.into_iter().map(|(k, v)| (k, v.rounded())).collect()
    }

    /// Degree-hours above setpoint per program (actual, twin), summed over segments, °C·h (weighted).
    fn degree_hours(&self) -> Vec<(f64, f64)> {
        let sum = |acc: &SettlementAcc, p: usize| {
            (0..acc.n_segments).filter_map(|s| acc.get(p, s)).map(|x| x.degree_hours.value()).sum::<f64>()
        };
        let acc = self.world.resource::<SettlementAcc>();
        let twin = self.twin.as_ref().and_then(|t| t.world.get_resource::<SettlementAcc>());
        (0..self.res::<ProgramState>().ids.len().min(MAX_PROGRAMS))
            .map(|p| (sum(acc, p), twin.map_or(f64::NAN, |t| sum(t, p))))
            .collect()
    }

    /// The time series as CSV (one row a step, one reduction column per program).
    pub fn timeseries_csv(&self) -> String {
        timeseries_csv(self.steps(), &self.res::<ProgramState>().ids)
    }

    /// The time series as columns (what `timeseries.csv` and a batch's Parquet series hold).
    pub fn timeseries(&self) -> Timeseries {
        Timeseries::of(self.steps(), &self.res::<ProgramState>().ids)
    }

    /// The latest step's state.
    pub fn snapshot(&self) -> Snapshot {
        let c = self.clock();
        let last: Option<&StepRecord> = self.steps().last();
        Snapshot {
            step: c.step,
            steps_total: c.steps_total,
            time: last.map(|r| r.time.rfc3339()).unwrap_or_default(),
            outdoor_temp_c: last.map_or(f64::NAN, |r| r.outdoor_temp_c),
            system_load_mw: last.map_or(0.0, |r| r.system_load_mw),
            supply_mw: last.map_or(0.0, |r| r.supply_mw),
            reserve_margin_pct: last.map_or(f64::NAN, |r| r.reserve_margin_pct),
            alert: last.map_or(AlertLevel::None, |r| r.alert),
            customers_load_mw: last.map_or(0.0, |r| r.customers_load_mw),
            unserved_mw: last.map_or(0.0, |r| r.unserved_mw),
            system_customers_out: last.map_or(0.0, |r| r.system_customers_out),
            conservation_mw: last.map_or(0.0, |r| r.conservation_mw),
        }
    }

    /// The run's summary (so far).
    pub fn summary(&self) -> RunSummary {
        let drps = self.drp_settlement().0;
        let c = self.clock();
        let end = c.local(c.utc_of_step(c.step)).map(|s| s.rfc3339()).unwrap_or_default();
        let issued = self.grid_state().map(|g| g.issued.as_slice()).unwrap_or(&[]);
        let local = |utc: i64| c.local(utc).map(|s| s.rfc3339()).unwrap_or_default();
        let mut s = RunSummary::from_steps(
            &self.name,
            self.seed,
            c.step_minutes,
            self.agents,
            self.customers,
            self.steps(),
            end,
            issued,
            &local,
        );
        s.add_programs(&ProgramReport {
            programs: self.res::<ProgramState>(),
            stats: self.res::<ProgramStats>(),
            steps: self.steps(),
            dt_h: c.dt_hours(),
            counterfactual: self.twin.is_some(),
            settlement: &self.settlement_with(&drps),
            degree_hours: &self.degree_hours(),
            run_days: c.step as f64 * c.dt_hours() / 24.0,
        });
        let names = &self.world.resource::<ScenarioRef>().0.scenario().drps;
        for (d, r) in drps.into_iter().enumerate() {
            if let Some(cfg) = names.get(d) {
                s.drps.insert(cfg.name.clone(), r.summary.rounded());
            }
        }
        s.migrations = self
            .res::<Aggregators>()
            .migrations
            .iter()
            .map(|(k, v)| (k.clone(), crate::metrics::round(*v, 3)))
            .collect();
        s.suppliers = self.supplier_summary();
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::{
        AcRating, AcSetpoint, AcState, AirConditioner, AutoDr, BackupGenerator, BaseLoad, Building, CyclingSwitch,
        Pump, PumpControl, SmartThermostat,
    };
    use crate::scenario::{NoFiles, load_scenario};

    /// Every customer's components, by id.
    fn customers(world: &mut World) -> BTreeMap<u32, String> {
        let mut q = world.query::<(
            (&Customer, &crate::customers::Meter, &Weight, Option<&Enrolment>, Option<&Tracked>),
            (Option<&AirConditioner>, Option<&AcState>, Option<&AcSetpoint>, Option<&AcRating>),
            (Option<&SmartThermostat>, Option<&CyclingSwitch>),
            (Option<&BaseLoad>, Option<&Building>, Option<&Pump>, Option<&PumpControl>),
            (Option<&BackupGenerator>, Option<&AutoDr>),
        )>();
        q.iter(world).map(|(a, b, t, c, d)| (a.0.id, format!("{a:?} {b:?} {t:?} {c:?} {d:?}"))).collect()
    }

    /// What a world's portfolios and DRP history hold at the start: the portfolios' agents and
    /// DRP data (exact), and their payment bases (sums of floats in table order).
    fn books(world: &World) -> (String, Vec<f64>) {
        let acc = world.resource::<SettlementAcc>();
        let agents: Vec<_> = acc.portfolios.iter().map(|p| p.agents).collect();
        let bases = acc
            .portfolios
            .iter()
            .flat_map(|p| [p.customers, p.nomination_kw, p.committed_kw, p.pump_kw, p.plan_credits_usd])
            .collect();
        let agg = world.resource::<Aggregators>();
        let drps: Vec<_> = agg.drps.iter().map(|d| (d.candidates.clone(), d.ready_day)).collect();
        (format!("{agents:?} {:?} {drps:?} {:?}", world.resource::<MeterHistory>().ids, agg.links), bases)
    }

    #[test]
    fn a_world_of_the_concerned_customers_holds_them_exactly_as_the_whole_population_does() {
        // Third-party DRPs (customers tracked without an enrolment) and every utility program,
        // with generators (drawn last for each customer).
        let text = crate::data::scenario("third-party-2022.toml").expect("shipped");
        let sets: Vec<_> = [
            "population.1.devices.backup_generator=0.2",
            "population.1.devices.generator_size_share={ dist = \"uniform\", min = 0.2, max = 0.8 }",
        ]
        .iter()
        .map(|s| crate::scenario::parse_override(s).expect("override"))
        .collect();
        let scn = Arc::new(load_scenario(text, "third-party-2022.toml", &sets, &NoFiles).expect("valid"));
        for mode in [Mode::Twin, Mode::WarmUp] {
            let mut whole = build_world(&scn, 24, mode, None);
            let keep = concerned(&mut whole);
            let kept = keep.iter().filter(|k| **k).count();
            let tracked_only = whole.query_filtered::<(), (With<Tracked>, Without<Enrolment>)>().iter(&whole).count();
            assert!(kept > 1000 && kept < scn.agents() as usize / 2, "{kept} of {}", scn.agents());
            assert!(tracked_only > 0, "some DRP candidates are in no utility program");
            // The reference: the whole population, with everyone else removed.
            let idle: Vec<Entity> = whole
                .query_filtered::<Entity, (With<Customer>, Without<Enrolment>, Without<Tracked>)>()
                .iter(&whole)
                .collect();
            for e in idle {
                whole.despawn(e);
            }
            let mut part = build_world(&scn, 24, mode, Some(&keep));
            let (a, b) = (customers(&mut whole), customers(&mut part));
            assert_eq!(a.len(), kept);
            assert_eq!(a, b);
            let ((x, xs), (y, ys)) = (books(&whole), books(&part));
            assert_eq!(x, y);
            // Payment bases are float sums in table order, which differs between the two worlds
            // (the twin and warm-up never settle payments, so only rounding may differ).
            assert_eq!(xs.len(), ys.len());
            for (u, v) in xs.iter().zip(&ys) {
                assert!((u - v).abs() <= 1e-9 * u.abs().max(1.0), "{u} vs {v}");
            }
        }
    }
}
