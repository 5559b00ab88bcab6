//! Who may enrol (eligibility, dual participation) and who may use backup generation in an event
//! (prohibited resources, DACs and Governor's orders). Pure functions with exact reasons.

use super::book::{Device, ProgramBook, ProgramSpec};
use crate::scenario::{CustomerClass, MeterType, ServiceType};

/// What eligibility looks at for one customer.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerView<'a> {
    /// Class.
    pub class: CustomerClass,
    /// Service type.
    pub service: ServiceType,
    /// Meter.
    pub meter: MeterType,
    /// Rate schedule name.
    pub rate: &'a str,
    /// Maximum demand, kW.
    pub max_demand_kw: f64,
    /// Connected pump load, hp (pumps only).
    pub horsepower: Option<f64>,
    /// Load the customer can reduce, kW.
    pub reducible_kw: f64,
    /// Devices the customer has.
    pub devices: Vec<Device>,
}

fn meter_name(m: MeterType) -> &'static str {
    match m {
        MeterType::Idr => "idr",
        MeterType::SmartMeter => "smart_meter",
        MeterType::None => "none",
    }
}

fn service_name(s: ServiceType) -> &'static str {
    match s {
        ServiceType::Bundled => "Bundled",
        ServiceType::DirectAccess => "DirectAccess",
        ServiceType::Cca => "CCA",
    }
}

fn kw(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 { format!("{x:.0}") } else { format!("{x:.1}") }
}

/// Why a customer may not join a program.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnrolRefusal {
    /// A rule of the program's eligibility fails.
    #[error("{detail}")]
    Ineligible {
        /// The rule alone (e.g. `demand below 200 kW`): the key refusals are counted under.
        rule: String,
        /// The rule with the customer's own values (e.g. `demand 150 kW below 200 kW`).
        detail: String,
    },
    /// The customer is already in a program this one may not be combined with.
    #[error("dual participation with {0} not allowed")]
    Dual(String),
}

impl EnrolRefusal {
    /// The key refusals are counted under in outputs: the rule, without the customer's values.
    pub fn key(&self) -> String {
        match self {
            Self::Ineligible { rule, .. } => rule.clone(),
            Self::Dual(_) => self.to_string(),
        }
    }
}

/// Checks a customer against a program's eligibility; the error names the first rule failed,
/// with the customer's own values.
pub fn check_eligibility(spec: &ProgramSpec, c: &CustomerView<'_>) -> Result<(), EnrolRefusal> {
    eligibility(spec, c).map_err(|(rule, detail)| EnrolRefusal::Ineligible { rule, detail })
}

fn eligibility(spec: &ProgramSpec, c: &CustomerView<'_>) -> Result<(), (String, String)> {
    let same = |m: String| (m.clone(), m);
    let e = &spec.eligibility;
    if !e.classes.contains(&c.class) {
        return Err(same(format!("class {} not eligible", c.class.name())));
    }
    if !e.service_types.contains(&c.service) {
        return Err(same(format!("service type {} not eligible", service_name(c.service))));
    }
    if let Some(m) = &e.meter_types {
        if !m.contains(&c.meter) {
            return Err(same(format!("meter {} not eligible", meter_name(c.meter))));
        }
    }
    if let Some(r) = &e.rate_schedules {
        if !r.iter().any(|x| x == c.rate) {
            return Err(same(format!("rate schedule {} not eligible", c.rate)));
        }
    }
    let min_kw = e.min_demand_kw.unwrap_or(0.0);
    let min_hp = e.min_horsepower.unwrap_or(0.0);
    let hp = c.horsepower.unwrap_or(0.0);
    let demand_ok = e.min_demand_kw.is_none_or(|m| c.max_demand_kw >= m);
    let hp_ok = e.min_horsepower.is_none_or(|m| hp >= m);
    if e.demand_or_horsepower {
        if !(demand_ok || hp_ok) {
            return Err((
                format!("demand below {} kW and below {} hp", kw(min_kw), kw(min_hp)),
                format!(
                    "demand {} kW below {} kW and {} hp below {} hp",
                    kw(c.max_demand_kw),
                    kw(min_kw),
                    kw(hp),
                    kw(min_hp)
                ),
            ));
        }
    } else {
        if !demand_ok {
            return Err((
                format!("demand below {} kW", kw(min_kw)),
                format!("demand {} kW below {} kW", kw(c.max_demand_kw), kw(min_kw)),
            ));
        }
        if !hp_ok {
            return Err((
                format!("connected load below {} hp", kw(min_hp)),
                format!("{} hp below {} hp", kw(hp), kw(min_hp)),
            ));
        }
    }
    if let Some(s) = e.min_reduction_share {
        let share = if c.max_demand_kw > 0.0 { c.reducible_kw / c.max_demand_kw } else { 0.0 };
        if share < s - 1e-12 {
            return Err((
                format!("reduction below {:.0}% of max demand", s * 100.0),
                format!("can reduce {:.0}% of max demand, below {:.0}%", share * 100.0, s * 100.0),
            ));
        }
    }
    if let Some(m) = e.min_reduction_kw {
        if c.reducible_kw < m {
            return Err((
                format!("reduction below {} kW", kw(m)),
                format!("can reduce {} kW, below {} kW", kw(c.reducible_kw), kw(m)),
            ));
        }
    }
    if let Some(d) = e.required_devices.iter().find(|d| !c.devices.contains(d)) {
        return Err(same(format!("requires {}", d.name())));
    }
    Ok(())
}

/// Checks that a customer already in `enrolled` programs may also join `program`.
pub fn check_dual(book: &ProgramBook, program: &str, enrolled: &[&str]) -> Result<(), EnrolRefusal> {
    match enrolled.iter().find(|other| !book.dual_allowed(program, other)) {
        Some(other) => Err(EnrolRefusal::Dual(other.to_string())),
        None => Ok(()),
    }
}

/// A Governor's executive order in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct OrderInForce {
    /// An order is in force.
    pub active: bool,
    /// It permits prohibited resources.
    pub permits_prohibited_resources: bool,
    /// It explicitly overrides the DAC restriction.
    pub overrides_dac: bool,
}

