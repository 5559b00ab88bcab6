//! The grid resource and its systems: Observe (exogenous demand and supply) and Settle (balance, alerts, shed).

use super::alerts::{AlertLevel, IssuedAlert, RtAlertState};
use super::rules::{
    ForecastHour, OutageBlock, PLACES, Supply, SupplyDay, ThermalDrivers, conservation_target_pct, demand_mw, ema, reserve_margin_pct, shed_mw,
    supply,
};
use crate::devices::Outage;
use crate::metrics::PopulationLoad;
use crate::rng::SimRng;
use crate::scenario::{AlertSource, CalendarAlert, GridConfig, ValidScenario};
use crate::time::Clock;
use crate::weather::Weather;
use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_chacha::ChaCha12Rng;

/// State of the CAISO system at the current step.
#[derive(Resource, Clone, Debug)]
pub struct GridState {
    /// The grid's parameters.
    pub cfg: GridConfig,
    calendar: Option<Vec<CalendarAlert>>,
    issue_minute: u32,
    window: (u32, u32),
    rng: ChaCha12Rng,
    current_day: i64,
    trips_end_utc_s: Vec<i64>,
    /// Temperature averages driving cooling load.
    pub drivers: ThermalDrivers,
    /// Today's random supply conditions.
    pub day: SupplyDay,
    /// Today's demand error (share of demand).
    pub demand_error: f64,
    /// Demand of everyone (model), before the simulated customers' deviation, MW.
    pub modelled_demand_mw: f64,
    /// Available supply by source, MW.
    pub supply: Supply,
    /// System load including the simulated customers' actual load, MW.
    pub system_load_mw: f64,
    /// Operating reserve margin, %.
    pub margin_pct: f64,
    /// Highest alert in effect this step.
    pub alert: AlertLevel,
    /// Real-time EEA declaration state.
    pub rt: RtAlertState,
    /// Firm load shed this step (rotating outages): the load of the customers out of power, MW.
    pub shed_mw: f64,
    /// Supply the replay withholds this step so the margin is at the replayed level's threshold, MW.
    pub replay_withheld_mw: f64,
    /// System customers per simulated customer (weighted): the system's demand over the simulated
    /// customers' expected load.
    pub system_per_simulated_customer: f64,
    /// Load shed ordered for this step (decided the step before), MW.
    ordered_mw: f64,
    /// The present rotating outage: (when it began, UTC seconds; its block's turn, from 0).
    rotation: Option<(i64, i64)>,
    /// Place in the outage order where the present block starts (see `OutageBlock`).
    block_start: f64,
    /// Place where the next outage's first block starts: after the last block shed, so that the
    /// next outage falls on other customers.
    next_place: f64,
    /// Day-ahead alerts issued so far.
    pub issued: Vec<IssuedAlert>,
    /// Next-day peak demand forecast: (day number, MW), made at the day-ahead issue time.
    pub next_day_peak_forecast: Option<(i64, f64)>,
    /// Every next-day peak forecast made: (day number forecast, MW).
    pub peak_forecasts: Vec<(i64, f64)>,
    /// Next-day lowest forecast reserve margin in the alert window: (day number, %).
    pub next_day_min_margin: Option<(i64, f64)>,
    /// Today's highest system load so far, MW.
    pub today_peak_mw: f64,
    /// Lowest reserve margin forecast over the declaration look-ahead, %.
    lookahead_margin_pct: f64,
    /// Demand conserved in answer to alerts this step, MW.
    pub conservation_mw: f64,
    /// When today's emergency text alert goes (or went) out, UTC seconds.
    text_alert_utc_s: Option<i64>,
    /// The simulated customers' deviation from their expected load at the last step, MW.
    customers_deviation_mw: f64,
    /// Replayed supply incidents: (start UTC s, end UTC s, MW lost).
    incidents: Vec<(i64, i64, f64)>,
    /// The first day with rotating outages (day number).
    first_outage_day: Option<i64>,
    /// Whether a Flex Alert or higher has been in effect today.
    alerted_today: bool,
    /// Consecutive days before today with an alert in effect.
    earlier_alert_days: u32,
}

impl GridState {
    /// Initial grid state for a scenario.
    pub fn new(scn: &ValidScenario, rng: &SimRng, first_temp_c: f64) -> Self {
        let cfg = scn.scenario().grid.clone();
        let calendar = (cfg.alerts_from == AlertSource::Calendar).then(|| scn.calendar.clone().unwrap_or_default());
        Self {
            cfg,
            calendar,
            issue_minute: scn.day_ahead_issue_minute,
            window: scn.alert_window,
            rng: rng.fork("grid"),
            current_day: i64::MIN,
            trips_end_utc_s: vec![],
            // The averages start from a day's mean rather than cold.
            drivers: ThermalDrivers { t_fast: first_temp_c, t_slow: first_temp_c },
            day: SupplyDay { forced_outage_pct: 0.0, wind_factor: 1.0 },
            demand_error: 0.0,
            modelled_demand_mw: 0.0,
            supply: Supply::default(),
            system_load_mw: 0.0,
            margin_pct: 100.0,
            alert: AlertLevel::None,
            rt: RtAlertState::default(),
            shed_mw: 0.0,
            system_per_simulated_customer: 0.0,
            replay_withheld_mw: 0.0,
            ordered_mw: 0.0,
            rotation: None,
            block_start: 0.0,
            next_place: 0.0,
            issued: vec![],
            next_day_peak_forecast: None,
            next_day_min_margin: None,
            peak_forecasts: vec![],
            today_peak_mw: 0.0,
            lookahead_margin_pct: 100.0,
            conservation_mw: 0.0,
            text_alert_utc_s: None,
            customers_deviation_mw: 0.0,
            alerted_today: false,
            earlier_alert_days: 0,
            incidents: scn.incidents.clone(),
            first_outage_day: None,
        }
    }

    /// Supply lost to replayed incidents at `utc_s`, MW.
    fn incident_mw(&self, utc_s: i64) -> f64 {
        self.incidents.iter().filter(|(a, b, _)| *a <= utc_s && utc_s < *b).map(|(_, _, mw)| mw).sum()
    }

    /// Supply the state and the operator have added in response to rotating outages, MW.
    fn outage_response_mw(&self) -> f64 {
        let op = &self.cfg.outages;
        match self.first_outage_day {
            Some(d) if self.current_day >= d + i64::from(op.response_after_days) => op.response_mw,
            _ => 0.0,
        }
    }

    fn new_day(&mut self) {
        let s = &self.cfg.supply;
        let fo = s.forced_outage_mean_pct + s.forced_outage_sd_pct * crate::dist::std_normal(&mut self.rng);
        let wind = libm::exp(0.35 * crate::dist::std_normal(&mut self.rng) - 0.5 * 0.35 * 0.35);
        let err = self.cfg.demand.daily_noise_pct / 100.0 * crate::dist::std_normal(&mut self.rng);
        self.day =
            SupplyDay { forced_outage_pct: fo.clamp(0.0, 3.0 * s.forced_outage_mean_pct.max(1.0)), wind_factor: wind };
        self.demand_error = err.clamp(-0.15, 0.15);
        self.today_peak_mw = 0.0;
        self.earlier_alert_days = if self.alerted_today { self.earlier_alert_days + 1 } else { 0 };
        self.alerted_today = false;
        self.text_alert_utc_s = None;
    }

    /// Lowest margin forecast over the next `lookahead_minutes`, at 15-minute points, from today's
    /// known conditions: demand from forecast temperatures, today's supply draws and trips, and the
    /// simulated customers' and conservation's present deviations held constant.
    fn lookahead_margin(&self, clock: &Clock, weather: &Weather, tripped_mw: f64) -> f64 {
        let d = &self.cfg.demand;
        let now = clock.now;
        let mut drv = self.drivers;
        let mut worst = f64::INFINITY;
        let steps = self.cfg.alerts.lookahead_minutes / 15;
        for k in 1..=steps {
            let minute = now.minute_of_day + 15 * k;
            let (day, m) = (now.day + i64::from(minute / 1440), minute % 1440);
            drv.advance(weather.forecast_temp(day, f64::from(m) / 60.0), 0.25, d);
            let utc = now.utc_s + i64::from(15 * k) * 60;
            let load = demand_mw(d, now.date.month(), m, now.day_type, drv) * (1.0 + self.demand_error)
                - self.conservation_mw
                + self.customers_deviation_mw;
            let sup = supply(&self.cfg.supply, utc, m, drv, self.day, tripped_mw).total() + self.assistance_mw();
            worst = worst.min(reserve_margin_pct(sup, load.max(0.0)));
        }
        worst
    }

    /// The block of customers out of power next step, for a shed of `share` of demand starting
    /// at `next_utc_s`, given `current`, the block out this step: the present outage's block, or
    /// the next one once its turn is over; none when nothing is shed.
    fn rotate(&mut self, share: f64, next_utc_s: i64, current: &OutageBlock) -> OutageBlock {
        let op = &self.cfg.outages;
        if share <= 0.0 {
            if self.rotation.take().is_some() {
                self.next_place = self.block_start + current.share() * PLACES;
            }
            return OutageBlock::NONE;
        }
        let turn_s = i64::from(op.rotation_minutes) * 60;
        match self.rotation {
            None => {
                self.rotation = Some((next_utc_s, 0));
                self.block_start = self.next_place;
            }
            Some((since, turn)) => {
                let now_turn = (next_utc_s - since).div_euclid(turn_s);
                if now_turn != turn {
                    self.block_start += current.share() * PLACES;
                    self.rotation = Some((since, now_turn));
                }
            }
        }
        OutageBlock::new(self.block_start, share, op.exempt_share)
    }

    /// Emergency assistance from neighbouring balancing areas, MW: offered while EEA 2 or 3 is in
    /// effect, whether the model declared it or the calendar replays it.
    fn assistance_mw(&self) -> f64 {
        if self.alert >= AlertLevel::Eea2 { self.cfg.supply.emergency_assistance_mw } else { 0.0 }
    }

    /// Moves conservation one step toward what the alerts in effect call for.
    fn update_conservation(&mut self, clock: &Clock, demand_mw: f64) {
        let now = clock.now;
        let cp = &self.cfg.conservation;
        let (ws, we) = self.window;
        let in_window = now.minute_of_day >= ws && now.minute_of_day < we;
        let flex = self.alert >= AlertLevel::FlexAlert;
        self.alerted_today |= flex;
        if cp.text_alert && self.alert == AlertLevel::Eea3 && self.text_alert_utc_s.is_none() {
            let at = now.utc_s + i64::from(cp.text_alert_after_eea3_minutes) * 60;
            self.text_alert_utc_s = Some(at);
        }
        let text = self.text_alert_utc_s.is_some_and(|t| t <= now.utc_s);
        let target = if in_window || text && now.minute_of_day < we {
            conservation_target_pct(cp, flex && in_window, self.earlier_alert_days, text) / 100.0 * demand_mw
        } else {
            0.0
        };
        let tau_min = if text { cp.response_tau_minutes } else { cp.flex_response_tau_minutes };
        self.conservation_mw = ema(self.conservation_mw, target, clock.dt_hours(), tau_min / 60.0).max(0.0);
    }

    /// Calendar alerts in effect at an instant: (highest level, shed MW).
    fn calendar_at(&self, utc_s: i64) -> (AlertLevel, f64) {
        let mut level = AlertLevel::None;
        let mut shed = 0.0;
        for a in self.calendar.iter().flatten().filter(|a| a.start_utc_s <= utc_s && utc_s < a.end_utc_s) {
            level = level.max(a.level);
            shed += a.shed_mw;
        }
        (level, shed)
    }

    /// Whether the day-ahead assessment falls in the step starting at `minute_of_day`.
    pub fn is_day_ahead_step(&self, minute_of_day: u32, step_minutes: u32) -> bool {
        minute_of_day <= self.issue_minute && self.issue_minute < minute_of_day + step_minutes
    }

    /// The highest day-ahead alert (Flex Alert or EEA Watch) known for a day: issued by the model,
    /// or, when alerts are replayed, the calendar's rows starting that day.
    pub fn day_ahead_level_for(&self, day: i64, clock: &Clock) -> AlertLevel {
        let on_day = |utc: i64| clock.local(utc).is_some_and(|l| l.day == day);
        let issued = self.issued.iter().filter(|a| on_day(a.start_utc_s)).map(|a| a.level);
        let replayed = self
            .calendar
            .iter()
            .flatten()
            .filter(|a| a.level <= AlertLevel::EeaWatch && on_day(a.start_utc_s))
            .map(|a| a.level);
        issued.chain(replayed).max().unwrap_or(AlertLevel::None)
    }

    fn day_ahead_at(&self, utc_s: i64) -> AlertLevel {
        self.issued
            .iter()
            .filter(|a| a.start_utc_s <= utc_s && utc_s < a.end_utc_s)
            .map(|a| a.level)
            .max()
            .unwrap_or(AlertLevel::None)
    }

    /// Hourly forecast for tomorrow, made now: demand from forecast temperatures, supply at expected conditions.
    pub fn forecast_tomorrow(&self, clock: &Clock, weather: &Weather) -> Vec<ForecastHour> {
        let d = &self.cfg.demand;
        let mut drv = self.drivers;
        let today = clock.now.day;
        let mut out = vec![];
        let expected = SupplyDay { forced_outage_pct: self.cfg.supply.forced_outage_mean_pct, wind_factor: 1.0 };
        // Walk hourly from the next hour of today through the end of tomorrow.
        let start_h = clock.now.minute_of_day / 60 + 1;
        for k in start_h..48 {
            let (day, h) = if k < 24 { (today, k) } else { (today + 1, k - 24) };
            let temp = weather.forecast_temp(day, f64::from(h));
            drv.advance(temp, 1.0, d);
            if day == today + 1 {
                let minute = h * 60;
                let utc = clock.now.utc_s + i64::from(k * 60 - clock.now.minute_of_day) * 60;
                let Some(local) = clock.local(utc) else {
                    continue;
                };
                let date = local.date;
                let demand = demand_mw(d, date.month(), minute, local.day_type, drv);
                let sup = supply(&self.cfg.supply, utc, minute, drv, expected, 0.0);
                out.push(ForecastHour {
                    minute_of_day: minute,
                    demand_mw: demand,
                    supply_mw: sup.total(),
                    renewables_mw: sup.solar_mw + sup.wind_mw,
                });
            }
        }
        out
    }

    fn issue_day_ahead(&mut self, clock: &Clock, weather: &Weather) {
        let hours = self.forecast_tomorrow(clock, weather);
        let peak = hours.iter().map(|h| h.demand_mw).fold(0.0, f64::max);
        self.next_day_peak_forecast = Some((clock.now.day + 1, peak));
        self.peak_forecasts.push((clock.now.day + 1, peak));
        let (ws, we) = self.window;
        let min_margin = hours
            .iter()
            .filter(|h| h.minute_of_day >= ws && h.minute_of_day < we)
            .map(ForecastHour::margin_pct)
            .fold(f64::INFINITY, f64::min);
        if !min_margin.is_finite() {
            return;
        }
        self.next_day_min_margin = Some((clock.now.day + 1, min_margin));
        if self.calendar.is_some() {
            return;
        }
        let tomorrow = clock.now.date.tomorrow().ok();
        let Some(tomorrow) = tomorrow else { return };
        let (Ok(start), Ok(end)) = (clock.utc_of_local(tomorrow, ws), clock.utc_of_local(tomorrow, we)) else {
            return;
        };
        let a = &self.cfg.alerts;
        for (level, th) in
            [(AlertLevel::FlexAlert, a.flex_alert_margin_pct), (AlertLevel::EeaWatch, a.eea_watch_margin_pct)]
        {
            if min_margin < th {
                self.issued.push(IssuedAlert {
                    level,
                    issued_utc_s: clock.now.utc_s,
                    start_utc_s: start,
                    end_utc_s: end,
                    forecast_margin_pct: min_margin,
                });
            }
        }
    }
}

/// Observe: advances temperature drivers, draws the day's conditions, issues day-ahead alerts,
/// and computes modelled demand and available supply for this step.
pub fn grid_observe_system(clock: Res<'_, Clock>, weather: Res<'_, Weather>, mut grid: ResMut<'_, GridState>) {
    let g = &mut *grid;
    let now = clock.now;
    if now.day != g.current_day {
        g.current_day = now.day;
        g.new_day();
    }
    g.drivers.advance(weather.temp_c, clock.dt_hours(), &g.cfg.demand);
    // Sudden unit trips: Bernoulli per step, drawn every step so the stream stays aligned.
    let p_trip = g.cfg.supply.unit_trips_per_day * clock.dt_hours() / 24.0;
    let u: f64 = g.rng.random();
    if u < p_trip {
        let end = now.utc_s + (g.cfg.supply.unit_trip_hours * 3600.0) as i64;
        g.trips_end_utc_s.push(end);
    }
    g.trips_end_utc_s.retain(|end| *end > now.utc_s);
    // Capacity out of service: trips and replayed incidents, less what the response to outages added.
    let lost = g.trips_end_utc_s.len() as f64 * g.cfg.supply.unit_trip_mw + g.incident_mw(now.utc_s)
        - g.outage_response_mw();
    let d = demand_mw(&g.cfg.demand, now.date.month(), now.minute_of_day, now.day_type, g.drivers);
    let d = d * (1.0 + g.demand_error);
    g.update_conservation(&clock, d);
    g.modelled_demand_mw = d - g.conservation_mw;
    g.supply = supply(&g.cfg.supply, now.utc_s, now.minute_of_day, g.drivers, g.day, lost);
    g.supply.imports_mw += g.assistance_mw();
    g.lookahead_margin_pct = g.lookahead_margin(&clock, &weather, lost);
    let issue = g.issue_minute;
    if now.minute_of_day <= issue && issue < now.minute_of_day + clock.step_minutes {
        g.issue_day_ahead(&clock, &weather);
    }
}

/// Settle: system load with the simulated customers and the rotating outages in force, reserve
/// margin, alert level, and the load to shed from the next step.
///
/// Demand is what the system would draw with no one out of power (the customers out count at
/// their expected load). The shed ordered comes off it: the simulated customers out of power
/// (the same share of them as the order's share of demand) and, for the rest of the order, the
/// rest of the system's customers; the load served is demand less the shed. Alerts are
/// declared, and the next shed sized, on the margin over demand, so shedding does not lift the
/// emergency that called for it.
pub fn grid_balance_system(
    clock: Res<'_, Clock>,
    pop: Res<'_, PopulationLoad>,
    mut grid: ResMut<'_, GridState>,
    mut outage: ResMut<'_, Outage>,
) {
    let g = &mut *grid;
    let now = clock.now.utc_s;
    g.customers_deviation_mw = pop.actual_mw + pop.out_expected_mw - pop.expected_mw;
    let demand = (g.modelled_demand_mw + g.customers_deviation_mw).max(0.0);
    let rest_shed = (g.ordered_mw - pop.out_expected_mw).clamp(0.0, (g.modelled_demand_mw - pop.expected_mw).max(0.0));
    g.shed_mw = (pop.out_expected_mw + rest_shed).min(demand);
    g.system_load_mw = demand - g.shed_mw;
    g.system_per_simulated_customer = if pop.expected_mw > 0.0 { demand / pop.expected_mw } else { 0.0 };
    let mut total = g.supply.total();
    let next = now + i64::from(clock.step_minutes) * 60;
    g.replay_withheld_mw = 0.0;
    let order = if g.calendar.is_some() {
        g.alert = g.calendar_at(now).0;
        // A replayed emergency finds the grid as short as its level says: supply the modelled
        // grid has beyond the level's threshold margin is withheld (reported, taken from the
        // dispatchable fleet).
        if let Some(thr) = g.alert.threshold(&g.cfg.alerts) {
            let withheld = total - g.system_load_mw * (1.0 + thr / 100.0);
            if withheld > 0.0 {
                g.replay_withheld_mw = withheld;
                g.supply.firm_mw -= withheld;
                total -= withheld;
            }
        }
        g.calendar_at(next).1
    } else {
        let params = g.cfg.alerts.clone();
        g.rt.update(reserve_margin_pct(total, demand).min(g.lookahead_margin_pct), now, &params);
        g.alert = g.rt.level.max(g.day_ahead_at(now));
        if g.rt.level == AlertLevel::Eea3 { shed_mw(total, demand, &params) } else { 0.0 }
    };
    g.margin_pct = reserve_margin_pct(total, g.system_load_mw);
    g.ordered_mw = order.min(demand);
    let share = if demand > 0.0 { g.ordered_mw / demand } else { 0.0 };
    let block = g.rotate(share, next, &outage.now);
    *outage = Outage { before: outage.now, now: block };
    g.today_peak_mw = g.today_peak_mw.max(g.system_load_mw);
    if g.shed_mw > 0.0 && g.first_outage_day.is_none() {
        g.first_outage_day = Some(clock.now.day);
    }
}
