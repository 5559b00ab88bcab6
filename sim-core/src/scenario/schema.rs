//! The scenario as a user writes it (TOML, `schema_version = 1`).
//!
//! Every field has a doc comment with its unit. Defaults (the `default_*` functions and `Default`
//! impls) are data a scenario can override; where a default comes from a source it is cited.

use crate::dist::{Dist, DistSpec, Shares};
use crate::programs::DispatchEntry;
use crate::time::LocalTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The scenario file format version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole scenario: when, where, who, and under which rules.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must be 1.
    pub schema_version: u32,
    /// Short name, used for the default output folder (`out/<name>/`).
    pub name: String,
    /// What the scenario is for.
    #[serde(default)]
    pub description: String,
    /// First simulated day (local), `YYYY-MM-DD`.
    pub start: String,
    /// Last simulated day (local, inclusive), `YYYY-MM-DD`.
    pub end: String,
    /// Step length in minutes (divides 60).
    #[serde(default = "default_step_minutes")]
    pub step_minutes: u32,
    /// Seed used when the command line gives none.
    #[serde(default)]
    pub seed: u64,
    /// Local prevailing time as a POSIX TZ rule (default America/Los_Angeles).
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Outdoor temperature model.
    pub weather: WeatherConfig,
    /// The CAISO system model.
    #[serde(default)]
    pub grid: GridConfig,
    /// Population segments: who is simulated and whom each agent stands for.
    #[serde(default)]
    pub population: Vec<Segment>,
    /// Replace the default program book: `builtin:sce` or a path to a book file.
    #[serde(default)]
    pub program_book: Option<String>,
    /// Overrides of the program book by program ID, any field at any depth
    /// (e.g. `[programs.TOU-BIP] max_events_per_month = 3`); a new ID adds a program.
    #[serde(default)]
    pub programs: toml::Table,
    /// Share of customers who apply to each program, by program ID (ineligible applicants are refused).
    #[serde(default)]
    pub enrolment: BTreeMap<String, f64>,
    /// Scripted dispatch requests.
    #[serde(default)]
    pub dispatch: Vec<DispatchEntry>,
    /// Whether the operator also calls programs automatically, following each program's `operator` policy.
    #[serde(default = "default_true")]
    pub automatic_dispatch: bool,
    /// Governor's executive orders in force.
    #[serde(default)]
    pub governor_orders: Vec<GovernorOrder>,
    /// How customers behave in events.
    #[serde(default)]
    pub behaviour: Behaviour,
    /// Also run the counterfactual twin (same seed, no events) to measure each program's true reduction.
    #[serde(default = "default_true")]
    pub counterfactual: bool,
    /// Who supplies energy to CCA and Direct Access customers (DOMAIN.md §5).
    #[serde(default)]
    pub suppliers: Suppliers,
    /// Third-party demand response providers and aggregators (Rule 24, DOMAIN.md §4).
    #[serde(default)]
    pub drps: Vec<DrpConfig>,
    /// Customer data authorization (online CISR or paper form 14-941).
    #[serde(default)]
    pub authorization: AuthorizationConfig,
    /// The CAISO day-ahead market DRPs bid into.
    #[serde(default)]
    pub market: MarketConfig,
}

/// Energy suppliers of non-Bundled customers: names and shares.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppliers {
    /// Community Choice Aggregators and their shares of CCA customers (default: one, "CCA").
    #[serde(default)]
    pub ccas: Option<Shares<String>>,
    /// Electric Service Providers and their shares of Direct Access customers (default: one, "ESP").
    #[serde(default)]
    pub esps: Option<Shares<String>>,
}

/// How a DRP prices its bids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BidStrategy {
    /// The same price every hour, $/MWh.
    Fixed {
        /// Offer price, $/MWh.
        price_usd_per_mwh: f64,
    },
    /// A share of the hour's forecast clearing price without DR (bidding just under the market).
    Shade {
        /// Share of the forecast price (e.g. 0.9).
        share: f64,
        /// Lowest price offered, $/MWh.
        floor_usd_per_mwh: f64,
    },
}

/// A third-party DRP or aggregator and the resource it runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrpConfig {
    /// Name (used in outputs; letters, digits, spaces, '-' and '_').
    pub name: String,
    /// The aggregator program its customers are in (a program of the book: DRAM, LCR, PRP, CBP-E, TOU-BIP, ELRP-A1).
    pub program: String,
    /// When it applied for registration, `YYYY-MM-DD`.
    pub applied: String,
    /// Registration with the utility, days (first).
    #[serde(default = "drp_utility_days")]
    pub utility_days: u32,
    /// Registration with the CPUC, days (after the utility's).
    #[serde(default = "drp_cpuc_days")]
    pub cpuc_days: u32,
    /// Registration with CAISO, days (after the CPUC's); then the DRP may serve customers.
    #[serde(default = "drp_caiso_days")]
    pub caiso_days: u32,
    /// Capacity commitment of its resource, MW.
    pub capacity_mw: f64,
    /// Share of its market revenue paid to customers (private agreements).
    pub pay_share: f64,
    /// Customers it already serves when the run starts (agents drawn from eligible customers), share of eligible.
    #[serde(default)]
    pub initial_share: f64,
    /// Monthly acquisition rate by customer class (share of eligible, not yet recruited customers a month).
    #[serde(default)]
    pub acquisition: BTreeMap<CustomerClass, f64>,
    /// Monthly acquisition rate by segment name (overrides the class rate).
    #[serde(default)]
    pub acquisition_segments: BTreeMap<String, f64>,
    /// Share of customers who authorize online (the rest use the paper form 14-941).
    #[serde(default = "drp_online")]
    pub online_share: f64,
    /// A partner DRP its customers' authorizations may be shared with.
    #[serde(default)]
    pub partner: Option<String>,
    /// Share of its customers who share their authorization with the partner.
    #[serde(default)]
    pub share_with_partner: f64,
    /// Its bids are submitted by the partner (only customers whose authorization is shared count).
    #[serde(default)]
    pub bids_via_partner: bool,
    /// How it prices its bids.
    pub bid: BidStrategy,
    /// Share of its customers' nominated reduction it expects to deliver (sizes its bids).
    #[serde(default = "drp_perf")]
    pub expected_performance: f64,
}

fn drp_utility_days() -> u32 {
    30
}
fn drp_cpuc_days() -> u32 {
    30
}
fn drp_caiso_days() -> u32 {
    45
}
fn drp_online() -> f64 {
    0.8
}
fn drp_perf() -> f64 {
    0.85
}

/// Customer data authorization (DOMAIN.md §4; seeds 000/001).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizationConfig {
    /// Days to process an online Customer Information Service Request (assumption).
    #[serde(default = "auth_online")]
    pub online_days: u32,
    /// Days to process a paper CISR-DRP form 14-941 (assumption).
    #[serde(default = "auth_paper")]
    pub paper_days: u32,
    /// Chance a customer revokes its authorization in a month.
    #[serde(default = "auth_revoke")]
    pub revocation_monthly: f64,
}

fn auth_online() -> u32 {
    2
}
fn auth_paper() -> u32 {
    20
}
fn auth_revoke() -> f64 {
    0.02
}

impl Default for AuthorizationConfig {
    fn default() -> Self {
        Self { online_days: auth_online(), paper_days: auth_paper(), revocation_monthly: auth_revoke() }
    }
}

/// The CAISO day-ahead market as DRPs see it: a merit-order supply stack against forecast net load.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketConfig {
    /// When bids for tomorrow are submitted and cleared (local `HH:MM`).
    #[serde(default = "mk_time")]
    pub decision_time: LocalTime,
    /// Hours bid: [first, end) local hours.
    #[serde(default = "mk_hours")]
    pub bid_hours: [u32; 2],
    /// Supply stack in merit order: [MW, $/MWh] steps that meet net load (demand - solar - wind).
    #[serde(default = "mk_stack")]
    pub stack: Vec<[f64; 2]>,
    /// Price when the stack runs out (scarcity), $/MWh.
    #[serde(default = "mk_cap")]
    pub price_cap_usd_per_mwh: f64,
}

fn mk_time() -> LocalTime {
    LocalTime::hm(10, 0)
}
fn mk_hours() -> [u32; 2] {
    [16, 21]
}
// Assumption: a merit order shaped like CAISO's evening stack (must-run and hydro, efficient gas,
// peakers, imports at rising prices), so prices climb steeply as net load nears 45 GW.
fn mk_stack() -> Vec<[f64; 2]> {
    vec![
        [24_000.0, 25.0],
        [8_000.0, 45.0],
        [5_000.0, 70.0],
        [3_000.0, 120.0],
        [2_000.0, 250.0],
        [1_500.0, 600.0],
        [1_000.0, 1000.0],
    ]
}
fn mk_cap() -> f64 {
    2000.0
}

impl Default for MarketConfig {
    fn default() -> Self {
        Self { decision_time: mk_time(), bid_hours: mk_hours(), stack: mk_stack(), price_cap_usd_per_mwh: mk_cap() }
    }
}

/// A Governor's executive order (DOMAIN.md §2-3): can lift prohibited-resource limits.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernorOrder {
    /// Start, local `YYYY-MM-DD HH:MM`.
    pub start: String,
    /// End, local `YYYY-MM-DD HH:MM`.
    pub end: String,
    /// The order permits prohibited resources (fossil backup generation).
    #[serde(default = "default_true")]
    pub permits_prohibited_resources: bool,
    /// The order explicitly overrides the DAC restriction for ELRP customers.
    #[serde(default)]
    pub overrides_dac: bool,
}

/// How customers are notified of events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Phone call.
    Phone,
    /// Email.
    Email,
    /// Text message.
    Text,
    /// The SCE DR Alerts app.
    App,
}

impl Channel {
    /// All channels in report order.
    pub const ALL: [Channel; 4] = [Self::Phone, Self::Email, Self::Text, Self::App];
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Text => "text",
            Self::App => "app",
        }
    }
}

/// Behaviour in events: fatigue, rebound, response speed, notification channels.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    /// Growth of override and opt-out chances per consecutive event day (×(1 + f (days − 1))).
    #[serde(default = "bh_fatigue")]
    pub fatigue_per_day: f64,
    /// Share of curtailed non-A/C energy used again after the event (snapback).
    #[serde(default = "bh_rebound")]
    pub rebound_share: f64,
    /// Hours over which the rebound is spread.
    #[serde(default = "bh_rebound_h")]
    pub rebound_hours: f64,
    /// Minutes a customer without automation takes to reach its full reduction.
    #[serde(default = "bh_ramp")]
    pub manual_ramp_minutes: f64,
    /// Auto-DR customers' chances of overriding, opting out or failing are reduced by this share.
    #[serde(default = "bh_auto")]
    pub auto_dr_reliability: f64,
    /// Preferred notification channels.
    #[serde(default = "bh_channels")]
    pub channels: Shares<Channel>,
}

// Assumptions: fatigue and snapback of the order reported in DR impact evaluations.
fn bh_fatigue() -> f64 {
    0.25
}
fn bh_rebound() -> f64 {
    0.5
}
fn bh_rebound_h() -> f64 {
    2.0
}
fn bh_ramp() -> f64 {
    30.0
}
fn bh_auto() -> f64 {
    0.7
}
fn bh_channels() -> Shares<Channel> {
    Shares(BTreeMap::from([
        (Channel::Phone, 0.15),
        (Channel::Email, 0.35),
        (Channel::Text, 0.25),
        (Channel::App, 0.25),
    ]))
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            fatigue_per_day: bh_fatigue(),
            rebound_share: bh_rebound(),
            rebound_hours: bh_rebound_h(),
            manual_ramp_minutes: bh_ramp(),
            auto_dr_reliability: bh_auto(),
            channels: bh_channels(),
        }
    }
}

fn default_step_minutes() -> u32 {
    5
}
fn default_timezone() -> String {
    crate::time::PACIFIC_POSIX_TZ.to_string()
}
fn default_true() -> bool {
    true
}

// ------------------------------------------------------------------------------------------ weather

/// How outdoor temperature (downtown Los Angeles) is produced.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum WeatherConfig {
    /// Stochastic daily highs and lows around climate normals, with persistent anomalies and heat waves.
    Stochastic(Box<StochasticWeather>),
    /// Replay of an hourly CSV `time,temp_c` (local time), interpolated to the step.
    Replay(ReplayWeather),
    /// A fixed sinusoid: `mean_c + amplitude_c * sin(2 pi (h - (peak_hour - 6)) / 24)` (tests, benches).
    Sine(SineWeather),
}

/// Parameters of the stochastic weather model.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StochasticWeather {
    /// Normal daily maximum by month (Jan..Dec), °C.
    #[serde(default = "la_normal_high_c")]
    pub normal_high_c: [f64; 12],
    /// Normal daily minimum by month (Jan..Dec), °C.
    #[serde(default = "la_normal_low_c")]
    pub normal_low_c: [f64; 12],
    /// Day-to-day persistence of the anomaly (AR(1) coefficient, 0..1).
    #[serde(default = "default_persistence")]
    pub anomaly_persistence: f64,
    /// Standard deviation of the daily-high anomaly, °C.
    #[serde(default = "default_high_sd")]
    pub high_anomaly_sd_c: f64,
    /// Standard deviation of the daily-low anomaly, °C.
    #[serde(default = "default_low_sd")]
    pub low_anomaly_sd_c: f64,
    /// Heat-wave regime.
    #[serde(default)]
    pub heat_wave: HeatWaveConfig,
    /// Standard deviation of the day-ahead forecast error of the daily high, °C.
    #[serde(default = "default_forecast_sd")]
    pub forecast_error_sd_c: f64,
    /// Days whose high and low are pinned (e.g. to replay a known heat wave's shape).
    #[serde(default)]
    pub days: Vec<DayOverride>,
}

// NOAA NCEI 1991-2020 U.S. Climate Normals, Los Angeles Downtown (USC), GHCND:USW00093134,
// monthly mean maximum and minimum temperature (°F: max 68.2 68.6 70.2 72.7 74.5 78.1 83.8 84.8
// 83.3 78.5 73.1 67.7; min 48.5 49.9 52.1 54.6 58.3 61.5 65.0 65.8 64.4 59.6 52.9 48.0),
// converted to °C and rounded to 0.1.
impl Default for StochasticWeather {
    fn default() -> Self {
        Self {
            normal_high_c: la_normal_high_c(),
            normal_low_c: la_normal_low_c(),
            anomaly_persistence: default_persistence(),
            high_anomaly_sd_c: default_high_sd(),
            low_anomaly_sd_c: default_low_sd(),
            heat_wave: HeatWaveConfig::default(),
            forecast_error_sd_c: default_forecast_sd(),
            days: vec![],
        }
    }
}

fn la_normal_high_c() -> [f64; 12] {
    [20.1, 20.3, 21.2, 22.6, 23.6, 25.6, 28.8, 29.3, 28.5, 25.8, 22.8, 19.8]
}
fn la_normal_low_c() -> [f64; 12] {
    [9.2, 9.9, 11.2, 12.6, 14.6, 16.4, 18.3, 18.8, 18.0, 15.3, 11.6, 8.9]
}
fn default_persistence() -> f64 {
    0.65
}
fn default_high_sd() -> f64 {
    2.6
}
fn default_low_sd() -> f64 {
    1.4
}
fn default_forecast_sd() -> f64 {
    1.5
}

/// The heat-wave regime: onsets, durations and strength.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeatWaveConfig {
    /// Probability that a heat wave starts on a given day, by month (Jan..Dec).
    #[serde(default = "default_onset")]
    pub onset_prob_by_month: [f64; 12],
    /// Shortest heat wave, days.
    #[serde(default = "default_hw_min")]
    pub min_days: u32,
    /// Longest heat wave, days.
    #[serde(default = "default_hw_max")]
    pub max_days: u32,
    /// Extra warmth of the daily high at the wave's height, °C.
    #[serde(default = "default_hw_amp")]
    pub amplitude_c: Dist,
    /// Share of the high's extra warmth that the nightly low also gets.
    #[serde(default = "default_hw_low_share")]
    pub low_share: f64,
}

impl Default for HeatWaveConfig {
    fn default() -> Self {
        Self {
            onset_prob_by_month: default_onset(),
            min_days: default_hw_min(),
            max_days: default_hw_max(),
            amplitude_c: default_hw_amp(),
            low_share: default_hw_low_share(),
        }
    }
}

// Assumption, tuned so that a May-October season has about two multi-day heat waves on average,
// most often in late summer (downtown LA's hottest spells come in August-October).
fn default_onset() -> [f64; 12] {
    [0.0, 0.0, 0.0, 0.002, 0.004, 0.008, 0.012, 0.016, 0.02, 0.012, 0.002, 0.0]
}
fn default_hw_min() -> u32 {
    3
}
fn default_hw_max() -> u32 {
    8
}
fn default_hw_amp() -> Dist {
    Dist::Family(DistSpec::Uniform { min: 5.0, max: 10.0 })
}
fn default_hw_low_share() -> f64 {
    0.5
}

/// A day whose high and low are given rather than drawn.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayOverride {
    /// Local date `YYYY-MM-DD`.
    pub date: String,
    /// Daily maximum, °C.
    pub high_c: f64,
    /// Daily minimum, °C.
    pub low_c: f64,
}

/// Replay of an hourly temperature file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayWeather {
    /// CSV with header `time,temp_c` (`YYYY-MM-DD HH:MM` local); a path relative to the scenario file.
    pub file: String,
    /// Standard deviation of the day-ahead forecast error of the daily high, °C.
    #[serde(default = "default_forecast_sd")]
    pub forecast_error_sd_c: f64,
}

/// A fixed daily sinusoid.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SineWeather {
    /// Daily mean, °C.
    pub mean_c: f64,
    /// Half the daily range, °C.
    pub amplitude_c: f64,
    /// Hour of the daily maximum (local).
    pub peak_hour: f64,
}

// ------------------------------------------------------------------------------------------ grid

/// Where alert levels come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSource {
    /// Derived each step from the modelled reserves and day-ahead forecasts.
    #[default]
    Model,
    /// Replayed from an alert calendar file.
    Calendar,
}

/// The CAISO system: demand, supply, reserves and alerts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridConfig {
    /// Whether the system is modelled at all (off: only the customers are simulated).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Where alert levels come from.
    #[serde(default)]
    pub alerts_from: AlertSource,
    /// Alert calendar for `alerts_from = "calendar"`: `builtin:caiso-2020`, `builtin:caiso-2022`, or a path.
    #[serde(default)]
    pub calendar: Option<String>,
    /// System demand model.
    #[serde(default)]
    pub demand: DemandParams,
    /// Available supply model.
    #[serde(default)]
    pub supply: SupplyParams,
    /// Alert thresholds and forecasting.
    #[serde(default)]
    pub alerts: AlertParams,
    /// Rotating outages: how shed load is spread over customers.
    #[serde(default)]
    pub outages: OutageParams,
    /// Voluntary conservation in response to alerts.
    #[serde(default)]
    pub conservation: ConservationParams,
}

impl Default for GridConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            alerts_from: AlertSource::Model,
            calendar: None,
            demand: DemandParams::default(),
            supply: SupplyParams::default(),
            alerts: AlertParams::default(),
            outages: OutageParams::default(),
            conservation: ConservationParams::default(),
        }
    }
}

/// CAISO system demand: a non-weather load shape plus cooling load driven by temperature.
///
/// demand = month_factor × base_mw × shape(hour, day type)
///        + cooling_shape(hour) × (fast_mw_per_c × (T_fast − balance)+ + slow_mw_per_c × (T_slow − balance)+)
/// where T_fast and T_slow are exponential averages of outdoor temperature with time constants
/// `fast_tau_h` and `slow_tau_h` (the slow one carries the build-up of a multi-day heat wave).
/// Calibrated (see `grid::rules` tests) so that a normal summer weekday peaks at 40-44 GW and a
/// 2022-like heat wave near 52 GW (CAISO record 52,061 MW, 2022-09-06 16:58).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandParams {
    /// Non-weather load at the shape's maximum, MW.
    #[serde(default = "d_base")]
    pub base_mw: f64,
    /// Weekday non-weather shape by hour 0..23 (1.0 = base_mw), interpolated within the hour.
    #[serde(default = "d_weekday_shape")]
    pub weekday_shape: [f64; 24],
    /// Weekend and holiday non-weather shape by hour.
    #[serde(default = "d_weekend_shape")]
    pub weekend_shape: [f64; 24],
    /// Seasonal factor on the non-weather load by month (Jan..Dec).
    #[serde(default = "d_month")]
    pub month_factor: [f64; 12],
    /// Temperature below which there is no cooling load, °C.
    #[serde(default = "d_balance")]
    pub balance_temp_c: f64,
    /// Cooling load per °C of the fast temperature average above balance, MW/°C.
    #[serde(default = "d_fast")]
    pub fast_mw_per_c: f64,
    /// Time constant of the fast temperature average, hours.
    #[serde(default = "d_fast_tau")]
    pub fast_tau_h: f64,
    /// Cooling load per °C of the slow temperature average above balance, MW/°C.
    #[serde(default = "d_slow")]
    pub slow_mw_per_c: f64,
    /// Time constant of the slow temperature average, hours.
    #[serde(default = "d_slow_tau")]
    pub slow_tau_h: f64,
    /// Cooling load's diurnal multiplier by hour 0..23.
    #[serde(default = "d_cooling_shape")]
    pub cooling_shape: [f64; 24],
    /// Standard deviation of the daily demand error (what forecasts cannot know), % of demand.
    #[serde(default = "d_noise")]
    pub daily_noise_pct: f64,
}

fn d_base() -> f64 {
    33_500.0
}
// Assumption: shaped like CAISO's summer load net of cooling (overnight trough about 70% of the
// early-evening maximum), from CAISO's published daily demand curves ("Today's Outlook").
fn d_weekday_shape() -> [f64; 24] {
    [
        0.76, 0.72, 0.70, 0.69, 0.70, 0.74, 0.80, 0.85, 0.88, 0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.98, 1.00,
        1.00, 0.99, 0.97, 0.93, 0.87, 0.81,
    ]
}
fn d_weekend_shape() -> [f64; 24] {
    [
        0.75, 0.71, 0.68, 0.67, 0.67, 0.68, 0.71, 0.75, 0.79, 0.83, 0.86, 0.88, 0.89, 0.90, 0.91, 0.92, 0.94, 0.95,
        0.95, 0.94, 0.92, 0.89, 0.84, 0.79,
    ]
}
fn d_month() -> [f64; 12] {
    [0.92, 0.90, 0.88, 0.87, 0.90, 0.95, 1.0, 1.0, 0.98, 0.94, 0.91, 0.93]
}
fn d_balance() -> f64 {
    18.0
}
fn d_fast() -> f64 {
    700.0
}
fn d_fast_tau() -> f64 {
    3.0
}
fn d_slow() -> f64 {
    500.0
}
fn d_slow_tau() -> f64 {
    48.0
}
fn d_cooling_shape() -> [f64; 24] {
    [
        0.50, 0.46, 0.43, 0.41, 0.40, 0.41, 0.45, 0.52, 0.60, 0.68, 0.76, 0.84, 0.90, 0.95, 0.98, 1.00, 1.00, 0.97,
        0.90, 0.81, 0.72, 0.65, 0.59, 0.54,
    ]
}
fn d_noise() -> f64 {
    1.5
}

impl Default for DemandParams {
    fn default() -> Self {
        Self {
            base_mw: d_base(),
            weekday_shape: d_weekday_shape(),
            weekend_shape: d_weekend_shape(),
            month_factor: d_month(),
            balance_temp_c: d_balance(),
            fast_mw_per_c: d_fast(),
            fast_tau_h: d_fast_tau(),
            slow_mw_per_c: d_slow(),
            slow_tau_h: d_slow_tau(),
            cooling_shape: d_cooling_shape(),
            daily_noise_pct: d_noise(),
        }
    }
}

/// Available supply: dispatchable fleet (with heat derates and forced outages), solar, wind and imports.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyParams {
    /// Dispatchable capacity (gas, nuclear, hydro, geothermal, storage at its evening output), MW.
    #[serde(default = "s_firm")]
    pub firm_mw: f64,
    /// Capacity lost per °C of the fast temperature average above `derate_above_c`, % of firm.
    #[serde(default = "s_derate")]
    pub heat_derate_pct_per_c: f64,
    /// Temperature above which thermal plants derate, °C.
    #[serde(default = "s_derate_above")]
    pub derate_above_c: f64,
    /// Mean share of the firm fleet on forced outage on a day, %.
    #[serde(default = "s_fo_mean")]
    pub forced_outage_mean_pct: f64,
    /// Day-to-day standard deviation of the forced-outage share, percentage points.
    #[serde(default = "s_fo_sd")]
    pub forced_outage_sd_pct: f64,
    /// Expected number of sudden large-unit trips a day.
    #[serde(default = "s_trip_rate")]
    pub unit_trips_per_day: f64,
    /// Size of one trip, MW.
    #[serde(default = "s_trip_mw")]
    pub unit_trip_mw: f64,
    /// How long a tripped unit stays out, hours.
    #[serde(default = "s_trip_h")]
    pub unit_trip_hours: f64,
    /// Solar output under a clear sky with the sun overhead, MW.
    #[serde(default = "s_solar")]
    pub solar_mw: f64,
    /// Exponent on the cosine of the solar zenith angle in the solar profile (below 1: a tracking fleet's broad shoulders).
    #[serde(default = "s_solar_exp")]
    pub solar_exponent: f64,
    /// Latitude of the solar fleet's centre, degrees north.
    #[serde(default = "s_lat")]
    pub solar_latitude_deg: f64,
    /// Longitude of the solar fleet's centre, degrees east (negative west).
    #[serde(default = "s_lon")]
    pub solar_longitude_deg: f64,
    /// Mean wind output, MW.
    #[serde(default = "s_wind")]
    pub wind_mw: f64,
    /// Wind's diurnal multiplier by hour 0..23 (mean about 1).
    #[serde(default = "s_wind_shape")]
    pub wind_shape: [f64; 24],
    /// Net imports available in normal weather, MW.
    #[serde(default = "s_imports")]
    pub imports_mw: f64,
    /// Imports lost per °C of the slow temperature average above `imports_heat_above_c` (West-wide heat), MW/°C.
    #[serde(default = "s_imports_heat")]
    pub imports_heat_mw_per_c: f64,
    /// Slow-average temperature above which imports shrink, °C.
    #[serde(default = "s_imports_above")]
    pub imports_heat_above_c: f64,
    /// Emergency assistance from neighbouring balancing areas while EEA 2 or EEA 3 is declared (reported with imports), MW.
    #[serde(default)]
    pub emergency_assistance_mw: f64,
    /// Recorded losses of supply replayed at their times (a unit's trip, a drop in wind): inputs
    /// like the weather, each naming its source.
    #[serde(default)]
    pub incidents: Vec<SupplyIncident>,
}

/// A recorded loss of supply: `mw` of capacity unavailable from `start` to `end`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyIncident {
    /// Start, local `YYYY-MM-DD HH:MM`.
    pub start: String,
    /// End, local `YYYY-MM-DD HH:MM`.
    pub end: String,
    /// Capacity lost, MW.
    pub mw: f64,
    /// What was lost, and the public account it comes from.
    #[serde(default)]
    pub source: String,
}

// Assumptions, calibrated so that 2022-like heat (52 GW) leaves single-digit reserve margins after
// sunset while a normal summer day does not. Reference points: about 15 GW of utility solar on the
// CAISO system in 2022 (CAISO Summer Assessment 2022), net imports about 6,500 MW at the tightest
// point on 2022-09-06 (DOMAIN.md §6).
fn s_firm() -> f64 {
    46_000.0
}
fn s_derate() -> f64 {
    0.4
}
fn s_derate_above() -> f64 {
    28.0
}
fn s_fo_mean() -> f64 {
    5.0
}
fn s_fo_sd() -> f64 {
    1.5
}
fn s_trip_rate() -> f64 {
    0.3
}
fn s_trip_mw() -> f64 {
    750.0
}
fn s_trip_h() -> f64 {
    6.0
}
fn s_solar() -> f64 {
    15_500.0
}
fn s_solar_exp() -> f64 {
    0.5
}
fn s_lat() -> f64 {
    35.0
}
fn s_lon() -> f64 {
    -118.5
}
fn s_wind() -> f64 {
    2_500.0
}
fn s_wind_shape() -> [f64; 24] {
    [
        1.15, 1.12, 1.08, 1.04, 1.0, 0.96, 0.9, 0.82, 0.74, 0.68, 0.66, 0.68, 0.74, 0.82, 0.92, 1.02, 1.12, 1.2, 1.26,
        1.3, 1.3, 1.27, 1.22, 1.18,
    ]
}
fn s_imports() -> f64 {
    9_500.0
}
fn s_imports_heat() -> f64 {
    450.0
}
fn s_imports_above() -> f64 {
    24.0
}

impl Default for SupplyParams {
    fn default() -> Self {
        Self {
            firm_mw: s_firm(),
            heat_derate_pct_per_c: s_derate(),
            derate_above_c: s_derate_above(),
            forced_outage_mean_pct: s_fo_mean(),
            forced_outage_sd_pct: s_fo_sd(),
            unit_trips_per_day: s_trip_rate(),
            unit_trip_mw: s_trip_mw(),
            unit_trip_hours: s_trip_h(),
            solar_mw: s_solar(),
            solar_exponent: s_solar_exp(),
            solar_latitude_deg: s_lat(),
            solar_longitude_deg: s_lon(),
            wind_mw: s_wind(),
            wind_shape: s_wind_shape(),
            imports_mw: s_imports(),
            imports_heat_mw_per_c: s_imports_heat(),
            imports_heat_above_c: s_imports_above(),
            emergency_assistance_mw: 0.0,
            incidents: vec![],
        }
    }
}

/// Alert thresholds on the operating reserve margin, and day-ahead alerting.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertParams {
    /// Real-time reserve margin below which EEA 1 is declared, %.
    #[serde(default = "a_eea1")]
    pub eea1_margin_pct: f64,
    /// Real-time reserve margin below which EEA 2 is declared, %.
    #[serde(default = "a_eea2")]
    pub eea2_margin_pct: f64,
    /// Real-time reserve margin below which EEA 3 is declared (minimum contingency reserves), %.
    #[serde(default = "a_eea3")]
    pub eea3_margin_pct: f64,
    /// During EEA 3, firm load is shed so that the margin does not fall below this, %.
    #[serde(default = "a_shed")]
    pub shed_margin_pct: f64,
    /// Once declared, an EEA level lasts at least this long, minutes.
    #[serde(default = "a_min_dur")]
    pub min_duration_minutes: u32,
    /// Margin above a level's threshold, in percentage points, needed to step down.
    #[serde(default = "a_hyst")]
    pub clear_hysteresis_pct: f64,
    /// When the day-ahead assessment for tomorrow is made (local `HH:MM`).
    #[serde(default = "a_issue")]
    pub day_ahead_issue_time: String,
    /// Forecast margin (at the tightest hour of tomorrow's alert window) below which a Flex Alert is issued, %.
    #[serde(default = "a_flex")]
    pub flex_alert_margin_pct: f64,
    /// Forecast margin below which an EEA Watch is issued, %.
    #[serde(default = "a_watch")]
    pub eea_watch_margin_pct: f64,
    /// Start of the Flex Alert / EEA Watch window (local `HH:MM`).
    #[serde(default = "a_win_start")]
    pub alert_window_start: String,
    /// End of the Flex Alert / EEA Watch window (local `HH:MM`).
    #[serde(default = "a_win_end")]
    pub alert_window_end: String,
    /// How far ahead the real-time declaration looks: an EEA level is declared when the margin is,
    /// or is forecast within this horizon to be, below its threshold, minutes (0: the present only).
    #[serde(default = "a_lookahead")]
    pub lookahead_minutes: u32,
}

// Assumption: CAISO declares energy emergencies on its real-time look-ahead (the real-time unit
// commitment looks hours ahead); two hours is editable.
fn a_lookahead() -> u32 {
    120
}

// Assumptions in the spirit of CAISO Operating Procedure 4420 (contingency reserves of about 6%
// of load; EEA 3 when they cannot be maintained). Users tune these per study.
fn a_eea1() -> f64 {
    10.0
}
fn a_eea2() -> f64 {
    8.0
}
fn a_eea3() -> f64 {
    6.0
}
fn a_shed() -> f64 {
    3.0
}
fn a_min_dur() -> u32 {
    60
}
fn a_hyst() -> f64 {
    1.0
}
fn a_issue() -> String {
    "10:00".into()
}
fn a_flex() -> f64 {
    20.0
}
fn a_watch() -> f64 {
    12.0
}
fn a_win_start() -> String {
    "16:00".into()
}
fn a_win_end() -> String {
    "21:00".into()
}

impl Default for AlertParams {
    fn default() -> Self {
        Self {
            eea1_margin_pct: a_eea1(),
            eea2_margin_pct: a_eea2(),
            eea3_margin_pct: a_eea3(),
            shed_margin_pct: a_shed(),
            min_duration_minutes: a_min_dur(),
            clear_hysteresis_pct: a_hyst(),
            day_ahead_issue_time: a_issue(),
            flex_alert_margin_pct: a_flex(),
            eea_watch_margin_pct: a_watch(),
            alert_window_start: a_win_start(),
            alert_window_end: a_win_end(),
            lookahead_minutes: a_lookahead(),
        }
    }
}

/// Voluntary conservation by everyone on the system in response to alerts, as a share of demand.
///
/// While a Flex Alert (or any higher alert) is in effect inside the alert window, demand falls by
/// `flex_alert_pct`, less `fatigue_pct_per_day` for each earlier consecutive alert day. A statewide
/// emergency text alert, sent `text_alert_after_eea3_minutes` after EEA 3 is declared when
/// `text_alert` is on, adds `text_alert_pct` until the window ends. Demand approaches the target
/// with the time constant `flex_response_tau_minutes`, or `response_tau_minutes` once the text
/// alert is out.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConservationParams {
    /// Conservation while a Flex Alert is in effect, % of demand. Assumption.
    #[serde(default = "c_flex")]
    pub flex_alert_pct: f64,
    /// Reduction of the Flex Alert response per earlier consecutive alert day, percentage points. Assumption.
    #[serde(default = "c_fatigue")]
    pub fatigue_pct_per_day: f64,
    /// Whether a statewide emergency text alert is sent during EEA 3 (2022: yes; 2020: no).
    #[serde(default)]
    pub text_alert: bool,
    /// Delay from the EEA 3 declaration to the text alert, minutes. Assumption.
    #[serde(default = "c_text_delay")]
    pub text_alert_after_eea3_minutes: u32,
    /// Conservation after the text alert, % of demand, on top of the Flex Alert response.
    /// Calibrated: CAISO reported about 2,000 MW (of about 50 GW) within 20-30 minutes of the
    /// 2022-09-06 text alert.
    #[serde(default = "c_text")]
    pub text_alert_pct: f64,
    /// Time constant of the response to the text alert, minutes. Calibrated: about 1,200 of the
    /// 2,000 MW came in the first five minutes on 2022-09-06.
    #[serde(default = "c_tau")]
    pub response_tau_minutes: f64,
    /// Time constant of the response to a Flex Alert alone, minutes: people conserve gradually
    /// through the afternoon rather than at the stroke of the window's start. Assumption.
    #[serde(default = "c_flex_tau")]
    pub flex_response_tau_minutes: f64,
}

fn c_flex() -> f64 {
    1.0
}
fn c_fatigue() -> f64 {
    0.1
}
fn c_text_delay() -> u32 {
    30
}
fn c_text() -> f64 {
    4.0
}
fn c_tau() -> f64 {
    5.5
}
fn c_flex_tau() -> f64 {
    90.0
}

impl Default for ConservationParams {
    fn default() -> Self {
        Self {
            flex_alert_pct: c_flex(),
            fatigue_pct_per_day: c_fatigue(),
            text_alert: false,
            text_alert_after_eea3_minutes: c_text_delay(),
            text_alert_pct: c_text(),
            response_tau_minutes: c_tau(),
            flex_response_tau_minutes: c_flex_tau(),
        }
    }
}

/// Rotating outages (firm load shed in EEA 3).
///
/// The shed is spread over every customer on the system in proportion to load: the simulated
/// customers lose power in rotating blocks (a share of them equal to the shed's share of demand),
/// and the rest of the system's demand is cut by the same share. A block is out for
/// `rotation_minutes`, then the next block takes its place; a customer's devices are off while
/// it is out and start again on their own controls when power returns.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutageParams {
    /// How long each block of customers is out before the next block takes its turn, minutes.
    /// Assumption: the utilities' rotating outages of August 2020 lasted about an hour per
    /// block.
    #[serde(default = "o_rotation")]
    pub rotation_minutes: u32,
    /// Share of customers never shed (circuits serving hospitals, emergency services and other
    /// essential loads), 0-0.9. Assumption; 0 sheds everyone in turn.
    #[serde(default)]
    pub exempt_share: f64,
    /// Supply the state and the operator add once rotating outages have happened, MW: emergency
    /// orders that free backup generation, exports curtailed, capacity bought out of market. It
    /// comes from the `response_after_days`-th day after the first day with outages, for the rest
    /// of the run. Assumption, 0 by default: the August 2020 accounts name these measures (the
    /// Governor's emergency proclamation of 2020-08-17; CAISO's curtailed exports and
    /// exceptional dispatch) without one total.
    #[serde(default)]
    pub response_mw: f64,
    /// Days from the first day with outages to the day the response is in place.
    #[serde(default = "o_response_days")]
    pub response_after_days: u32,
}

fn o_rotation() -> u32 {
    60
}
fn o_response_days() -> u32 {
    2
}

impl Default for OutageParams {
    fn default() -> Self {
        Self {
            rotation_minutes: o_rotation(),
            exempt_share: 0.0,
            response_mw: 0.0,
            response_after_days: o_response_days(),
        }
    }
}

// ------------------------------------------------------------------------------------------ population

/// Customer class (DOMAIN.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerClass {
    /// Homes.
    Residential,
    /// Businesses: offices, shops, schools.
    Commercial,
    /// Factories and large facilities.
    Industrial,
    /// Agricultural and pumping accounts.
    Agricultural,
}

impl CustomerClass {
    /// All classes in report order.
    pub const ALL: [CustomerClass; 4] = [Self::Residential, Self::Commercial, Self::Industrial, Self::Agricultural];
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Residential => "residential",
            Self::Commercial => "commercial",
            Self::Industrial => "industrial",
            Self::Agricultural => "agricultural",
        }
    }
}

/// Who supplies the customer's energy (DOMAIN.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ServiceType {
    /// SCE supplies energy.
    Bundled,
    /// An Electric Service Provider supplies energy.
    DirectAccess,
    /// A Community Choice Aggregator supplies energy.
    #[serde(rename = "CCA")]
    Cca,
}

/// The customer's meter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeterType {
    /// Interval data recorder.
    Idr,
    /// Edison SmartConnect smart meter.
    SmartMeter,
    /// No interval meter.
    None,
}

/// A population segment: `agents` simulated customers standing for `customers` real ones.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    /// Segment name, used in reports.
    pub name: String,
    /// Customer class.
    pub class: CustomerClass,
    /// Number of simulated agents.
    pub agents: u32,
    /// Number of real customers they represent (each agent's weight is customers / agents).
    pub customers: f64,
    /// Shares of service types.
    #[serde(default = "bundled_only")]
    pub service_type: Shares<ServiceType>,
    /// Shares of rate schedules (names as in the tariff book, e.g. `TOU-GS-1`).
    #[serde(default)]
    pub rate_schedule: Option<Shares<String>>,
    /// Shares of meter types.
    #[serde(default = "smart_meters")]
    pub meter: Shares<MeterType>,
    /// Share of customers located in a disadvantaged community.
    #[serde(default)]
    pub dac_share: f64,
    /// Maximum demand, kW (required for commercial and industrial; derived for others when absent).
    #[serde(default)]
    pub max_demand_kw: Option<Dist>,
    /// Device ownership shares.
    #[serde(default)]
    pub devices: DeviceShares,
    /// Central air conditioner and house parameters (residential and commercial A/C owners).
    #[serde(default)]
    pub ac: AcParams,
    /// Residential non-A/C load.
    #[serde(default)]
    pub base_load: BaseLoadParams,
    /// Commercial and industrial building load.
    #[serde(default)]
    pub building: Option<BuildingParams>,
    /// Agricultural pump.
    #[serde(default)]
    pub pump: Option<PumpParams>,
    /// Per-segment application shares by program ID (override the scenario's `enrolment`).
    #[serde(default)]
    pub enrolment: BTreeMap<String, f64>,
}

fn bundled_only() -> Shares<ServiceType> {
    Shares::only(ServiceType::Bundled)
}
fn smart_meters() -> Shares<MeterType> {
    Shares::only(MeterType::SmartMeter)
}

/// Shares of customers owning each device (conditional shares say what they are conditional on).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceShares {
    /// Share with a working central A/C.
    #[serde(default)]
    pub central_ac: f64,
    /// Share of A/C owners with a qualified Wi-Fi smart thermostat.
    #[serde(default)]
    pub smart_thermostat: f64,
    /// Share of A/C owners with an A/C cycling switch installed.
    #[serde(default)]
    pub cycling_switch: f64,
    /// Share with a backup generator.
    #[serde(default)]
    pub backup_generator: f64,
    /// Share of backup generators that are fossil-fuelled (prohibited resources).
    #[serde(default)]
    pub generator_fossil_share: f64,
    /// Backup generator size as a share of maximum demand.
    #[serde(default = "gen_size")]
    pub generator_size_share: Dist,
    /// Battery storage is not modelled: these fields are read only to be refused with a clear
    /// error (a setting that changes nothing must not be accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery: Option<toml::Value>,
    /// Refused with `battery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_kwh: Option<toml::Value>,
    /// Refused with `battery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_kw: Option<toml::Value>,
    /// Share with automated demand response controls (EMS / Auto-DR).
    #[serde(default)]
    pub auto_dr: f64,
    /// Share of pumps with a utility control device (AP-I).
    #[serde(default)]
    pub pump_control: f64,
}

impl Default for DeviceShares {
    fn default() -> Self {
        Self {
            central_ac: 0.0,
            smart_thermostat: 0.0,
            cycling_switch: 0.0,
            backup_generator: 0.0,
            generator_fossil_share: 0.0,
            generator_size_share: gen_size(),
            battery: None,
            battery_kwh: None,
            battery_kw: None,
            auto_dr: 0.0,
            pump_control: 0.0,
        }
    }
}

fn gen_size() -> Dist {
    Dist::Fixed(0.5)
}

/// First-order thermal model of a building and its central A/C (DOMAIN.md §6: COP about 3.5,
/// deadband 2 °F, time constant of several hours; a 4-ton unit draws about 3-4 kW).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcParams {
    /// Cooling capacity, tons (1 ton = 3.517 kW thermal).
    #[serde(default = "ac_tons")]
    pub tons: Dist,
    /// Coefficient of performance (thermal kW per electric kW).
    #[serde(default = "ac_cop")]
    pub cop: Dist,
    /// Envelope thermal resistance, °C/kW.
    #[serde(default = "ac_r")]
    pub r_c_per_kw: Dist,
    /// Thermal capacitance, kWh/°C.
    #[serde(default = "ac_c")]
    pub c_kwh_per_c: Dist,
    /// Thermostat setpoint, °C.
    #[serde(default = "ac_sp")]
    pub setpoint_c: Dist,
    /// Thermostat deadband (full width), °C.
    #[serde(default = "ac_db")]
    pub deadband_c: f64,
    /// Internal heat gains, kW.
    #[serde(default = "ac_qint")]
    pub internal_gain_kw: Dist,
}

fn ac_tons() -> Dist {
    Dist::Family(DistSpec::Normal { mean: 3.5, sd: 0.8, min: Some(1.5), max: Some(6.0) })
}
fn ac_cop() -> Dist {
    Dist::Family(DistSpec::Normal { mean: 3.5, sd: 0.4, min: Some(2.5), max: Some(5.0) })
}
fn ac_r() -> Dist {
    Dist::Family(DistSpec::Uniform { min: 1.8, max: 3.2 })
}
fn ac_c() -> Dist {
    Dist::Family(DistSpec::Uniform { min: 2.0, max: 4.0 })
}
fn ac_sp() -> Dist {
    Dist::Family(DistSpec::Normal { mean: 24.0, sd: 1.0, min: Some(21.0), max: Some(27.0) })
}
fn ac_db() -> f64 {
    10.0 / 9.0 // 2 °F
}
fn ac_qint() -> Dist {
    Dist::Fixed(0.5)
}

impl Default for AcParams {
    fn default() -> Self {
        Self {
            tons: ac_tons(),
            cop: ac_cop(),
            r_c_per_kw: ac_r(),
            c_kwh_per_c: ac_c(),
            setpoint_c: ac_sp(),
            deadband_c: ac_db(),
            internal_gain_kw: ac_qint(),
        }
    }
}

/// A home's load other than central A/C: a daily shape times a level, with noise.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseLoadParams {
    /// Mean non-A/C load, kW.
    #[serde(default = "bl_mean")]
    pub mean_kw: Dist,
    /// Diurnal shape by hour 0..23 (mean about 1).
    #[serde(default = "bl_shape")]
    pub shape: [f64; 24],
    /// Step-to-step noise, as a share of the load.
    #[serde(default = "bl_noise")]
    pub noise_share: f64,
}

fn bl_mean() -> Dist {
    Dist::Family(DistSpec::Lognormal { median: 0.6, sigma: 0.35, min: Some(0.15), max: Some(3.0) })
}
// Assumption: a typical California residential non-cooling load shape (morning and evening peaks).
fn bl_shape() -> [f64; 24] {
    [
        0.70, 0.62, 0.58, 0.56, 0.56, 0.62, 0.80, 0.98, 1.00, 0.92, 0.86, 0.84, 0.84, 0.86, 0.90, 0.98, 1.10, 1.30,
        1.48, 1.55, 1.50, 1.36, 1.12, 0.86,
    ]
}
fn bl_noise() -> f64 {
    0.15
}

impl Default for BaseLoadParams {
    fn default() -> Self {
        Self { mean_kw: bl_mean(), shape: bl_shape(), noise_share: bl_noise() }
    }
}

/// A commercial or industrial facility's load, in shares of its maximum demand.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildingParams {
    /// Always-on load, share of max demand.
    pub base_share: Dist,
    /// Extra load while open (lighting, plug, equipment), share of max demand.
    pub occupied_share: Dist,
    /// HVAC load at the design temperature, share of max demand.
    pub hvac_share: Dist,
    /// Process load (industrial), share of max demand.
    #[serde(default = "zero")]
    pub process_share: Dist,
    /// Outdoor temperature at which HVAC load starts, °C.
    #[serde(default = "bp_balance")]
    pub balance_temp_c: f64,
    /// Outdoor temperature at which HVAC load reaches `hvac_share`, °C.
    #[serde(default = "bp_design")]
    pub design_temp_c: f64,
    /// Opening hour (local, 0-24).
    #[serde(default = "bp_open")]
    pub open_hour: f64,
    /// Closing hour (local, 0-24).
    #[serde(default = "bp_close")]
    pub close_hour: f64,
    /// How widely the segment's buildings' hours differ: each building's opening and closing are
    /// shifted by an offset spread evenly over this many hours, centred on the hours above.
    #[serde(default = "bp_spread")]
    pub hours_spread_h: f64,
    /// Share of the occupied load on weekends and holidays.
    #[serde(default = "bp_weekend")]
    pub weekend_factor: f64,
    /// Step-to-step noise of the process and occupied load, share.
    #[serde(default = "bp_noise")]
    pub noise_share: f64,
    /// Share of the load that can be curtailed in an event without stopping the business.
    #[serde(default = "bp_flex")]
    pub flexible_share: Dist,
}

fn zero() -> Dist {
    Dist::Fixed(0.0)
}
fn bp_balance() -> f64 {
    16.0
}
fn bp_design() -> f64 {
    38.0
}
fn bp_open() -> f64 {
    7.0
}
fn bp_close() -> f64 {
    19.0
}
// Assumption: businesses do not all open and close on the same minute; two hours is editable.
fn bp_spread() -> f64 {
    2.0
}
fn bp_weekend() -> f64 {
    0.4
}
fn bp_noise() -> f64 {
    0.05
}
fn bp_flex() -> Dist {
    Dist::Family(DistSpec::Uniform { min: 0.05, max: 0.3 })
}

/// An agricultural pump and its daily run schedule.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PumpParams {
    /// Connected load, horsepower.
    pub horsepower: Dist,
    /// Motor efficiency (kW = hp × 0.7457 / efficiency).
    #[serde(default = "pp_eff")]
    pub motor_efficiency: f64,
    /// Hours of pumping a day in season.
    pub hours_per_day: Dist,
    /// Probability that a day's run starts in the evening (18:00-24:00) rather than the morning (05:00-10:00).
    #[serde(default = "pp_night")]
    pub night_start_share: f64,
    /// Months (1-12) in which the pump runs.
    #[serde(default = "pp_months")]
    pub months: Vec<u32>,
}

fn pp_eff() -> f64 {
    0.9
}
fn pp_night() -> f64 {
    0.5
}
fn pp_months() -> Vec<u32> {
    (3..=10).collect()
}
