//! The money of a program as data (DOMAIN.md §3 and §7), and the pure rules that turn it into
//! payments, credits and penalties.

use serde::{Deserialize, Serialize};

/// What a monthly capacity payment or credit is paid per kW of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityBasis {
    /// No capacity payment.
    #[default]
    None,
    /// The customer's monthly nomination (CBP-E).
    Nomination,
    /// The load committed to be shed: maximum demand minus the Firm Service Level (TOU-BIP).
    CommittedReduction,
    /// The interruptible load: the pump's kW (AP-I).
    InterruptibleLoad,
    /// An aggregator's contracted capacity commitment (DRAM, LCR, PRP).
    Commitment,
}

/// A program's money: payments, credits, prices and penalties. Absent fields do not apply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Payment per kWh of settled reduction, $/kWh (ELRP $2/kWh; CBP-E energy payment).
    #[serde(default)]
    pub energy_usd_per_kwh: Option<f64>,
    /// Monthly capacity payment or bill credit per kW of the basis, by month Jan..Dec, $/kW-month.
    #[serde(default)]
    pub capacity_usd_per_kw_month: Option<[f64; 12]>,
    /// What the capacity payment is per kW of.
    #[serde(default)]
    pub capacity_basis: CapacityBasis,
    /// Share of the nomination delivered (hourly average in the month's events) at or above which
    /// the capacity payment is paid in full (CBP-E: 75%).
    #[serde(default)]
    pub full_performance: Option<f64>,
    /// Share delivered at or below which no capacity payment is paid (linear in between).
    #[serde(default)]
    pub zero_performance: Option<f64>,
    /// Charge per kWh used above the Firm Service Level in events, $/kWh (TOU-BIP Excess Energy Charge).
    #[serde(default)]
    pub excess_energy_usd_per_kwh: Option<f64>,
    /// Multiplier of capacity credits per participation option, in the order of the options (TOU-BIP).
    #[serde(default)]
    pub option_factors: Option<Vec<f64>>,
    /// Seasonal credit per cycling plan, $ per customer, in the order of the plans (SDP, SDP-C).
    #[serde(default)]
    pub plan_credit_usd: Option<Vec<f64>>,
    /// Credit per ton of A/C per season, $, capped by the plan's credit (SDP residential).
    #[serde(default)]
    pub credit_usd_per_ton: Option<f64>,
    /// Months over which seasonal credits are paid, in equal monthly parts.
    #[serde(default)]
    pub credit_months: Vec<u32>,
    /// One-time sign-up credit, $ per customer (SEP).
    #[serde(default)]
    pub signup_credit_usd: Option<f64>,
    /// Seasonal credit, $ per customer (SEP).
    #[serde(default)]
    pub season_credit_usd: Option<f64>,
    /// Extra price per kWh used during events, $/kWh (CPP).
    #[serde(default)]
    pub event_adder_usd_per_kwh: Option<f64>,
    /// Credit per kWh used in the peak hours in the credit months, $/kWh (CPP summer credits).
    #[serde(default)]
    pub peak_credit_usd_per_kwh: Option<f64>,
    /// The peak hours of the peak credit: from the first hour (local) to before the second.
    #[serde(default = "peak_credit_hours")]
    pub peak_credit_hours: [u32; 2],
    /// First-year bill protection: customers pay no more than on their prior rate (CPP).
    #[serde(default)]
    pub bill_protection: bool,
    /// Average energy price, $/kWh (RTP bills against a flat price).
    #[serde(default)]
    pub base_price_usd_per_kwh: Option<f64>,
}

// DOMAIN.md §3 CPP: the event and credit window is 4-9 p.m. (hours 16 to 20).
fn peak_credit_hours() -> [u32; 2] {
    [16, 21]
}

/// Share of the capacity payment earned at a performance (delivered / nominated): 1 at or above
/// `full`, 0 at or below `zero`, linear in between (DOMAIN.md §3 CBP-E, §7 CBP).
pub fn capacity_factor(performance: f64, full: Option<f64>, zero: Option<f64>) -> f64 {
    let Some(full) = full else { return 1.0 };
    let zero = zero.unwrap_or(0.0).min(full);
    if performance >= full {
        1.0
    } else if performance <= zero || full <= zero {
        0.0
    } else {
        (performance - zero) / (full - zero)
    }
}

/// Seasonal SDP credit of one customer: $ per ton × tons × the plan's cycling share, capped by the
/// plan's credit (DOMAIN.md §7 SDP residential: about $44 per ton per summer, at most $200 for
/// Standard 100%).
pub fn sdp_credit(plan_credit_usd: f64, per_ton_usd: Option<f64>, tons: f64, off_fraction: f64) -> f64 {
    match per_ton_usd {
        Some(r) => (r * tons * off_fraction).min(plan_credit_usd),
        None => plan_credit_usd,
    }
}

/// Energy payment for one event: settled reductions below zero earn nothing.
pub fn energy_payment(rate_usd_per_kwh: f64, settled_kwh: f64) -> f64 {
    rate_usd_per_kwh * settled_kwh.max(0.0)
}

/// CPP with bill protection: the customer's net (adders paid minus credits earned) is never a cost.
/// Returns the extra credit the protection gives.
pub fn bill_protection_refund(adders_usd: f64, credits_usd: f64) -> f64 {
    (adders_usd - credits_usd).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbp_capacity_is_full_from_75_percent_and_nothing_below_50() {
        assert_eq!(capacity_factor(0.9, Some(0.75), Some(0.5)), 1.0);
        assert_eq!(capacity_factor(0.75, Some(0.75), Some(0.5)), 1.0);
        assert!((capacity_factor(0.625, Some(0.75), Some(0.5)) - 0.5).abs() < 1e-12);
        assert_eq!(capacity_factor(0.5, Some(0.75), Some(0.5)), 0.0);
        assert_eq!(capacity_factor(0.1, Some(0.75), Some(0.5)), 0.0);
        assert_eq!(capacity_factor(0.1, None, None), 1.0);
    }

    #[test]
    fn sdp_credit_is_per_ton_capped_by_the_plan() {
        // §7: 2011, $198 a year for a 4.5-ton unit at $44 a ton; Standard 100% at most $200.
        assert!((sdp_credit(200.0, Some(44.0), 4.5, 1.0) - 198.0).abs() < 1e-9);
        assert_eq!(sdp_credit(200.0, Some(44.0), 6.0, 1.0), 200.0);
        assert!((sdp_credit(100.0, Some(44.0), 3.0, 0.5) - 66.0).abs() < 1e-9);
        assert_eq!(sdp_credit(250.0, None, 10.0, 1.0), 250.0);
    }

    #[test]
    fn elrp_pays_two_dollars_a_kwh_and_nothing_for_negative_reductions() {
        assert_eq!(energy_payment(2.0, 1000.0), 2000.0);
        assert_eq!(energy_payment(2.0, -50.0), 0.0);
    }

    #[test]
    fn bill_protection_refunds_what_adders_cost_beyond_credits() {
        assert_eq!(bill_protection_refund(120.0, 100.0), 20.0);
        assert_eq!(bill_protection_refund(80.0, 100.0), 0.0);
    }
}
