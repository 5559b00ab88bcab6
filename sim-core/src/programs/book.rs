//! The program book: every program rule as data (DOMAIN.md §3), editable per scenario.

use crate::dist::Dist;
use crate::grid::AlertLevel;
use crate::scenario::{CustomerClass, MeterType, ServiceType};
use crate::time::LocalTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The default SCE book, compiled in.
pub const DEFAULT_BOOK: &str = include_str!("../../../scenarios/programs/sce.toml");

/// What may trigger an event (DOMAIN.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Trigger {
    /// CAISO Flex Alert.
    FlexAlert,
    /// CAISO EEA Watch.
    #[serde(rename = "EEAWatch")]
    EeaWatch,
    /// CAISO EEA 1.
    #[serde(rename = "EEA1")]
    Eea1,
    /// CAISO EEA 2.
    #[serde(rename = "EEA2")]
    Eea2,
    /// CAISO EEA 3.
    #[serde(rename = "EEA3")]
    Eea3,
    /// An SCE system emergency (transmission or distribution).
    SystemEmergency,
    /// A CAISO market award.
    MarketAward,
    /// A Governor's executive order.
    GovernorOrder,
    /// A day-ahead load and/or price forecast.
    LoadForecast,
    /// A forecast of extreme temperature.
    ExtremeTemperature,
    /// Measurement and evaluation (a test event).
    Test,
}

impl Trigger {
    /// Every trigger.
    pub const ALL: [Trigger; 11] = [
        Self::FlexAlert,
        Self::EeaWatch,
        Self::Eea1,
        Self::Eea2,
        Self::Eea3,
        Self::SystemEmergency,
        Self::MarketAward,
        Self::GovernorOrder,
        Self::LoadForecast,
        Self::ExtremeTemperature,
        Self::Test,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Self::FlexAlert => "FlexAlert",
            Self::EeaWatch => "EEAWatch",
            Self::Eea1 => "EEA1",
            Self::Eea2 => "EEA2",
            Self::Eea3 => "EEA3",
            Self::SystemEmergency => "SystemEmergency",
            Self::MarketAward => "MarketAward",
            Self::GovernorOrder => "GovernorOrder",
            Self::LoadForecast => "LoadForecast",
            Self::ExtremeTemperature => "ExtremeTemperature",
            Self::Test => "Test",
        }
    }

    /// The trigger an alert level stands for.
    pub fn of_alert(level: AlertLevel) -> Option<Trigger> {
        match level {
            AlertLevel::None => None,
            AlertLevel::FlexAlert => Some(Self::FlexAlert),
            AlertLevel::EeaWatch => Some(Self::EeaWatch),
            AlertLevel::Eea1 => Some(Self::Eea1),
            AlertLevel::Eea2 => Some(Self::Eea2),
            AlertLevel::Eea3 => Some(Self::Eea3),
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Trigger {
    type Err = crate::scenario::UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|t| t.name() == s).ok_or_else(|| crate::scenario::UnknownName {
            text: s.to_string(),
            kind: "a trigger",
            expected: Self::ALL.iter().map(|t| t.name()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// Which days events may be called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayRule {
    /// Any day, including weekends and holidays.
    Any,
    /// Monday to Friday, not holidays.
    Weekdays,
}

/// A time-of-day window, optionally for some months only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Months (1-12) the window applies to; empty = every month.
    #[serde(default)]
    pub months: Vec<u32>,
    /// Start, local `HH:MM`.
    pub start: LocalTime,
    /// End, local `HH:MM`.
    pub end: LocalTime,
}

/// How much notice an event needs.
///
/// Read through [`NoticeFields`] (a plain table, so an error in `by` is reported at `notice.by`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "NoticeFields", into = "NoticeFields")]
pub enum Notice {
    /// No advance notice needed (automatic or courtesy notice only).
    None,
    /// Notice on the day before, no later than `by` (local `HH:MM`).
    DayAhead {
        /// Latest time of day on the previous day.
        by: LocalTime,
    },
    /// At least `minutes` before the event starts (day-of).
    Minutes {
        /// Minimum lead time.
        minutes: u32,
    },
}

/// The kinds of [`Notice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// [`Notice::None`].
    None,
    /// [`Notice::DayAhead`].
    DayAhead,
    /// [`Notice::Minutes`].
    Minutes,
}

/// A notice table as written: `{ kind = "none" }`, `{ kind = "day_ahead", by = "HH:MM" }` or
/// `{ kind = "minutes", minutes = N }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeFields {
    /// Which notice.
    pub kind: NoticeKind,
    /// Latest time of day on the previous day (`day_ahead` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<LocalTime>,
    /// Minimum lead time (`minutes` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

/// A notice table whose fields do not fit its kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// A field the kind needs is missing.
    #[error("missing field `{field}` (kind = \"{kind}\" needs it)")]
    Missing {
        /// The kind.
        kind: &'static str,
        /// The field.
        field: &'static str,
    },
    /// A field the kind does not take.
    #[error("unknown field `{field}` for kind = \"{kind}\"")]
    NotForKind {
        /// The kind.
        kind: &'static str,
        /// The field.
        field: &'static str,
    },
}

impl TryFrom<NoticeFields> for Notice {
    type Error = NoticeError;
    fn try_from(f: NoticeFields) -> Result<Self, NoticeError> {
        let (kind, needs) = match f.kind {
            NoticeKind::None => ("none", None),
            NoticeKind::DayAhead => ("day_ahead", Some("by")),
            NoticeKind::Minutes => ("minutes", Some("minutes")),
        };
        for (field, given) in [("by", f.by.is_some()), ("minutes", f.minutes.is_some())] {
            if given && needs != Some(field) {
                return Err(NoticeError::NotForKind { kind, field });
            }
        }
        let missing = |field| NoticeError::Missing { kind, field };
        Ok(match f.kind {
            NoticeKind::None => Notice::None,
            NoticeKind::DayAhead => Notice::DayAhead { by: f.by.ok_or_else(|| missing("by"))? },
            NoticeKind::Minutes => Notice::Minutes { minutes: f.minutes.ok_or_else(|| missing("minutes"))? },
        })
    }
}

impl From<Notice> for NoticeFields {
    fn from(n: Notice) -> Self {
        match n {
            Notice::None => Self { kind: NoticeKind::None, by: None, minutes: None },
            Notice::DayAhead { by } => Self { kind: NoticeKind::DayAhead, by: Some(by), minutes: None },
            Notice::Minutes { minutes } => Self { kind: NoticeKind::Minutes, by: None, minutes: Some(minutes) },
        }
    }
}

/// A device a program needs or installs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Device {
    /// A working central A/C.
    CentralAc,
    /// A qualified Wi-Fi smart thermostat.
    SmartThermostat,
    /// An A/C cycling switch.
    CyclingSwitch,
    /// An agricultural pump.
    Pump,
    /// A pump control device.
    PumpControl,
    /// Automated DR controls.
    AutoDr,
}

impl Device {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Self::CentralAc => "central_ac",
            Self::SmartThermostat => "smart_thermostat",
            Self::CyclingSwitch => "cycling_switch",
            Self::Pump => "pump",
            Self::PumpControl => "pump_control",
            Self::AutoDr => "auto_dr",
        }
    }
}

/// Who may enrol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Customer classes.
    pub classes: Vec<CustomerClass>,
    /// Service types.
    pub service_types: Vec<ServiceType>,
    /// Meter types (absent = any).
    #[serde(default)]
    pub meter_types: Option<Vec<MeterType>>,
    /// Rate schedules (absent = any).
    #[serde(default)]
    pub rate_schedules: Option<Vec<String>>,
    /// Minimum maximum demand, kW.
    #[serde(default)]
    pub min_demand_kw: Option<f64>,
    /// Minimum connected pump load, hp.
    #[serde(default)]
    pub min_horsepower: Option<f64>,
    /// Either threshold suffices (AP-I: demand >= 37 kW or >= 50 hp).
    #[serde(default)]
    pub demand_or_horsepower: bool,
    /// Minimum reduction the customer can make, kW.
    #[serde(default)]
    pub min_reduction_kw: Option<f64>,
    /// Minimum reduction as a share of maximum demand.
    #[serde(default)]
    pub min_reduction_share: Option<f64>,
    /// Devices the customer must have.
    #[serde(default)]
    pub required_devices: Vec<Device>,
    /// Devices the utility installs at enrolment.
    #[serde(default)]
    pub installs_devices: Vec<Device>,
}

/// Prohibited-resource policy (DOMAIN.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrPolicy {
    /// The program does not involve backup generation.
    NotApplicable,
    /// PR attestation required; PR may not be used for reductions unless a Governor's order permits.
    Attestation,
    /// ELRP: non-PR backup generation may be used; PR only under a Governor's order, and never by a
    /// customer in a DAC unless the order explicitly overrides that.
    GovernorOrderOnly,
}

/// One A/C cycling plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CyclingPlan {
    /// Plan name.
    pub name: String,
    /// Share of each cycling period the compressor is held off.
    pub off_fraction: f64,
    /// Share of enrolees on this plan.
    pub share: f64,
    /// Opt-outs allowed a year (absent: the plan allows none).
    #[serde(default)]
    pub opt_outs_per_year: Option<u32>,
}

/// Price schedules of RTP by day type (24 hourly multipliers of the average price).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RtpSchedules {
    /// Summer weekday, previous day extremely hot.
    pub extremely_hot: [f64; 24],
    /// Very hot.
    pub very_hot: [f64; 24],
    /// Hot.
    pub hot: [f64; 24],
    /// Moderate.
    pub moderate: [f64; 24],
    /// Mild.
    pub mild: [f64; 24],
    /// Summer weekend, high cost.
    pub weekend_high_cost: [f64; 24],
    /// Summer weekend, low cost.
    pub weekend_low_cost: [f64; 24],
    /// Winter, high cost.
    pub winter_high_cost: [f64; 24],
    /// Winter, low cost.
    pub winter_low_cost: [f64; 24],
}

/// How enrolled customers respond to an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Response {
    /// A/C cycling through a switch (SDP).
    AcCycling {
        /// Cycling period, minutes.
        period_minutes: u32,
        /// The plans and their shares.
        plans: Vec<CyclingPlan>,
        /// Chance a customer on a plan with opt-outs opts out of an event.
        opt_out_prob: f64,
    },
    /// Smart-thermostat setpoint raise (SEP).
    Thermostat {
        /// Setpoint raise, °C.
        setpoint_offset_c: f64,
        /// Chance per hour that a customer overrides.
        override_prob_per_hour: f64,
    },
    /// Pumps interrupted automatically (AP-I).
    PumpInterrupt,
    /// Load down to a Firm Service Level within the notice option (TOU-BIP).
    FirmServiceLevel {
        /// Notice options, minutes.
        options_minutes: Vec<u32>,
        /// Share of enrolees on each option.
        option_shares: Vec<f64>,
        /// Chance per event of not reaching the FSL.
        non_compliance: f64,
        /// Share of the commitment a non-compliant customer still sheds.
        partial_share: f64,
    },
    /// Deliver a monthly nomination (CBP-E).
    Nomination {
        /// Nomination as a share of the customer's flexible load.
        nomination_share: Dist,
        /// Delivered / nominated, drawn per customer and event.
        performance: Dist,
    },
    /// Voluntary reduction (ELRP).
    Voluntary {
        /// Chance of taking part in an event.
        participation: f64,
        /// Reduction as a share of flexible load when taking part.
        reduction_share: Dist,
    },
    /// A higher price in events (CPP).
    Price {
        /// Event price / normal price.
        price_ratio: f64,
        /// Own-price elasticity of flexible load (negative).
        elasticity: f64,
        /// Share of the reduction used after the event instead.
        shift_share: f64,
        /// Thermostat raise of A/C owners in events, °C.
        setpoint_offset_c: f64,
    },
    /// Hourly prices by a temperature-selected day type (RTP).
    RealTimePrice {
        /// Own-price elasticity of flexible load (negative).
        elasticity: f64,
        /// Share of the reduction used in cheaper hours.
        shift_share: f64,
        /// Previous day's maximum (°F) at or above which the day is extremely hot.
        extremely_hot_f: f64,
        /// Very hot threshold, °F.
        very_hot_f: f64,
        /// Hot threshold, °F.
        hot_f: f64,
        /// Moderate threshold, °F.
        moderate_f: f64,
        /// Weekend high-cost threshold, °F.
        weekend_high_cost_f: f64,
        /// Winter high-cost threshold, °F: a winter day is high-cost after a maximum above it.
        #[serde(default = "rtp_winter_high_cost_f")]
        winter_high_cost_f: f64,
        /// Months (1-12) priced on the summer schedules; the others on the winter ones.
        #[serde(default = "rtp_summer_months")]
        summer_months: Vec<u32>,
        /// Previous day's maximum assumed on a run's first day, when no previous day is simulated, °C.
        #[serde(default = "rtp_first_day_prev_max_c")]
        first_day_prev_max_c: f64,
        /// The price schedules.
        schedules: Box<RtpSchedules>,
    },
}

// DOMAIN.md §7 RTP: winter high-cost after a maximum > 90 °F (sourced: academic replication code
// of SCE's RTP schedules).
fn rtp_winter_high_cost_f() -> f64 {
    90.0
}

// SCE's summer season, June 1 - September 30 (DOMAIN.md §3: SDP and SEP summer credits run June 1 -
// Sept 30; CPP credits June-Sept).
fn rtp_summer_months() -> Vec<u32> {
    vec![6, 7, 8, 9]
}

// Assumption: 25 °C (77 °F), a mild day, on the first day of a run (editable in the book).
fn rtp_first_day_prev_max_c() -> f64 {
    25.0
}

/// The automatic dispatch policy of a program (what an operator would do).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorPolicy {
    /// Whether the operator calls this program automatically.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Call day-of when the real-time alert reaches this level.
    #[serde(default)]
    pub day_of_alert: Option<AlertLevel>,
    /// Call for tomorrow when a day-ahead alert of this level or higher is issued for tomorrow.
    #[serde(default)]
    pub day_ahead_alert: Option<AlertLevel>,
    /// Call for tomorrow when tomorrow's forecast reserve margin is below this, %.
    #[serde(default)]
    pub forecast_margin_below_pct: Option<f64>,
    /// Call for tomorrow when tomorrow's forecast high is above this, °C.
    #[serde(default)]
    pub forecast_high_above_c: Option<f64>,
    /// Preferred event start (local `HH:MM`), within the program's window.
    #[serde(default = "pref_start")]
    pub preferred_start: LocalTime,
    /// Preferred event end (local `HH:MM`).
    #[serde(default = "pref_end")]
    pub preferred_end: LocalTime,
}

fn yes() -> bool {
    true
}
fn pref_start() -> LocalTime {
    LocalTime::hm(16, 0)
}
fn pref_end() -> LocalTime {
    LocalTime::hm(21, 0)
}

impl Default for OperatorPolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            day_of_alert: None,
            day_ahead_alert: None,
            forecast_margin_below_pct: None,
            forecast_high_above_c: None,
            preferred_start: pref_start(),
            preferred_end: pref_end(),
        }
    }
}

/// One program's rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramSpec {
    /// Long name.
    pub name: String,
    /// Where the rules come from.
    pub source: String,
    /// Whether the program exists in this scenario.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Months in which events may be called.
    pub season_months: Vec<u32>,
    /// Which days events may be called.
    pub days: DayRule,
    /// Time-of-day windows.
    #[serde(default)]
    pub windows: Vec<Window>,
    /// Shortest event, hours.
    #[serde(default)]
    pub min_event_hours: Option<f64>,
    /// Longest event, hours.
    #[serde(default)]
    pub max_event_hours: Option<f64>,
    /// Events a day.
    #[serde(default)]
    pub max_events_per_day: Option<u32>,
    /// Events a calendar month.
    #[serde(default)]
    pub max_events_per_month: Option<u32>,
    /// Events a calendar year.
    #[serde(default)]
    pub max_events_per_year: Option<u32>,
    /// Planned minimum events a year (reported, not enforced).
    #[serde(default)]
    pub min_events_per_year: Option<u32>,
    /// Event hours a day.
    #[serde(default)]
    pub max_hours_per_day: Option<f64>,
    /// Event hours a calendar month.
    #[serde(default)]
    pub max_hours_per_month: Option<f64>,
    /// Event hours a calendar year.
    #[serde(default)]
    pub max_hours_per_year: Option<f64>,
    /// Test events a calendar year.
    #[serde(default)]
    pub max_test_events_per_year: Option<u32>,
    /// Notice rule.
    pub notice: Notice,
    /// Allowed triggers.
    pub triggers: Vec<Trigger>,
    /// Eligibility.
    pub eligibility: Eligibility,
    /// Programs this one may be combined with.
    #[serde(default)]
    pub dual_participation: Vec<String>,
    /// Prohibited-resource policy.
    pub prohibited_resources: PrPolicy,
    /// Commitment, [min, max] months.
    #[serde(default)]
    pub commitment_months: Option<[u32; 2]>,
    /// Response of enrolled customers.
    pub response: Response,
    /// Automatic dispatch policy.
    #[serde(default)]
    pub operator: OperatorPolicy,
    /// How settled reductions are measured: a baseline method by name (`ten-in-ten`,
    /// `five-of-ten-highest`) or written out; absent = not baseline-settled.
    #[serde(default)]
    pub baseline: Option<BaselineSpec>,
    /// Payments, credits, prices and penalties.
    #[serde(default)]
    pub money: crate::settlement::money::Money,
    /// Who runs it: the utility (customers enrol per the scenario's shares) or aggregators
    /// (customers join through a DRP, `[[drps]]`).
    #[serde(default)]
    pub run_by: RunBy,
    /// Utility programs a customer leaves on joining this program through a third-party DRP (the
    /// DRAM Customer Migration Matrix, DOMAIN.md §4).
    #[serde(default)]
    pub migration_conflicts: Vec<String>,
}

/// Who runs a program.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunBy {
    /// The utility.
    #[default]
    Utility,
    /// Third-party aggregators.
    Aggregator,
}

impl ProgramSpec {
    /// The window that applies in a month: `None` if the program has no windows (any time of
    /// day), `Some(None)` if none of its windows covers the month. Minutes after local midnight.
    pub fn window_for(&self, month: u32) -> Option<Option<(u32, u32)>> {
        if self.windows.is_empty() {
            return None;
        }
        let w = self.windows.iter().find(|w| w.months.is_empty() || w.months.contains(&month));
        Some(w.map(|w| (w.start.minutes(), w.end.minutes())))
    }

    /// A day-ahead notice's latest time on the previous day, minutes after local midnight.
    pub fn day_ahead_by(&self) -> Option<u32> {
        match &self.notice {
            Notice::DayAhead { by } => Some(by.minutes()),
            Notice::None | Notice::Minutes { .. } => None,
        }
    }

    /// The least notice an event needs, minutes (0 for day-ahead and no-notice programs).
    pub fn lead_minutes(&self) -> u32 {
        match &self.notice {
            Notice::Minutes { minutes } => *minutes,
            Notice::None | Notice::DayAhead { .. } => 0,
        }
    }
}

impl OperatorPolicy {
    /// The preferred event span, minutes after local midnight.
    pub fn preferred(&self) -> (u32, u32) {
        (self.preferred_start.minutes(), self.preferred_end.minutes())
    }
}

/// A baseline method named by preset or written out in full.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BaselineSpec {
    /// A preset's name.
    Preset(String),
    /// A method written out.
    Method(crate::settlement::baseline::BaselineMethod),
}

impl BaselineSpec {
    /// The method (None for an unknown preset name, which validation refuses).
    pub fn method(&self) -> Option<crate::settlement::baseline::BaselineMethod> {
        match self {
            Self::Preset(n) => crate::settlement::baseline::BaselineMethod::preset(n),
            Self::Method(m) => Some(m.clone()),
        }
    }
}

/// The book: programs by ID, in ID order (the order fixes each program's index).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgramBook {
    /// Programs by ID.
    pub programs: BTreeMap<String, ProgramSpec>,
}

impl ProgramBook {
    /// Program IDs in index order.
    pub fn ids(&self) -> Vec<&str> {
        self.programs.keys().map(String::as_str).collect()
    }

    /// Index of a program ID.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.programs.keys().position(|k| k == id)
    }

    /// The program at an index.
    pub fn get(&self, i: usize) -> Option<(&str, &ProgramSpec)> {
        self.programs.iter().nth(i).map(|(k, v)| (k.as_str(), v))
    }

    /// Whether two programs may be combined (either side's dual-participation list allows it).
    pub fn dual_allowed(&self, a: &str, b: &str) -> bool {
        let lists =
            |x: &str, y: &str| self.programs.get(x).is_some_and(|p| p.dual_participation.iter().any(|d| d == y));
        lists(a, b) || lists(b, a)
    }
}

/// Deep-merges `over` into `base`: tables merge key by key, anything else replaces. A table that
/// names a different `kind` or `dist` than the one it overrides replaces it whole (its fields
/// belong to the other variant).
pub fn merge_tables(base: &mut toml::Table, over: &toml::Table) {
    let tag = |t: &toml::Table| t.get("kind").or_else(|| t.get("dist")).cloned();
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if tag(o).is_none() || tag(o) == tag(b) => {
                merge_tables(b, o)
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}
