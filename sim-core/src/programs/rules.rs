//! How customers behave in events, as plain functions: the response system
//! ([`super::systems`]) gathers each customer's components, calls these and writes the results.
//!
//! Every parameter comes from the scenario's `[behaviour]` table or the program book; their
//! sources are cited there (most are `assumption`s of the order reported in DR load-impact
//! evaluations). The rules engine that judges dispatch requests is [`super::judge`].

use super::book::{PrPolicy, ProgramSpec, Response};
use super::eligibility::OrderInForce;

/// Tolerance of the hour caps: event hours are sums of whole minutes / 60, so two sums that are
/// equal in minutes may differ in the last bits.
pub const HOURS_CAP_TOLERANCE_H: f64 = 1e-9;

/// Whether `hours` more event hours fit under an hour cap of `limit_h` with `used_h` used.
///
/// The judge refuses a request that does not fit ([`super::judge::Judge::judge`]); the operator
/// trims its requests until they fit. Both call this.
#[inline]
pub fn fits_hours_cap(limit_h: Option<f64>, used_h: f64, hours: f64) -> bool {
    limit_h.is_none_or(|limit_h| used_h + hours <= limit_h + HOURS_CAP_TOLERANCE_H)
}

/// The longest event (minutes, a multiple of `step_minutes`, at most `minutes`) that fits under
/// every hour cap: `caps` pairs each cap (day, month, year) with the hours already used under it.
pub fn trim_to_hours_caps(minutes: u32, step_minutes: u32, caps: &[(Option<f64>, f64)]) -> u32 {
    let step = step_minutes.max(1);
    let mut m = minutes / step * step;
    while m > 0 && !caps.iter().all(|&(limit, used)| fits_hours_cap(limit, used, f64::from(m) / 60.0)) {
        m -= step;
    }
    m
}

/// Event fatigue: override and opt-out chances grow by `fatigue_per_day` for each consecutive
/// event day after the first (×(1 + f (days − 1))).
#[inline]
pub fn fatigue(consecutive_days: u16, fatigue_per_day: f64) -> f64 {
    1.0 + fatigue_per_day * f64::from(consecutive_days.max(1) - 1)
}

/// Consecutive event days after an event starts on `today` for a customer whose last event day
/// was `last_event_day` with `consecutive` days in its run.
#[inline]
pub fn consecutive_days(consecutive: u16, last_event_day: i64, today: i64) -> u16 {
    if last_event_day == today {
        consecutive
    } else if last_event_day == today - 1 {
        consecutive.saturating_add(1)
    } else {
        1
    }
}

/// Factor on an automated (Auto-DR) customer's chances of overriding, opting out or failing:
/// reduced by the share `auto_dr_reliability`; 1 for a customer without automation.
#[inline]
pub fn automation_factor(auto_dr: bool, auto_dr_reliability: f64) -> f64 {
    if auto_dr { 1.0 - auto_dr_reliability } else { 1.0 }
}

/// Override hazard of a smart-thermostat customer: the chance of overriding within one step of
/// `dt_hours` for an hourly chance `prob_per_hour` scaled by fatigue and automation (capped at 1).
#[inline]
pub fn override_chance(prob_per_hour: f64, fatigue: f64, automation: f64, dt_hours: f64) -> f64 {
    let per_hour = (prob_per_hour * fatigue * automation).min(1.0);
    1.0 - libm::pow(1.0 - per_hour, dt_hours)
}

/// Setpoint offset response of a smart-thermostat customer this step: the program's offset
/// (°C, added to the A/C's setpoint), or nothing once the customer overrides (`u`, a uniform draw,
/// falls below the override chance).
#[inline]
pub fn thermostat_offset_c(setpoint_offset_c: f64, override_chance: f64, u: f64) -> Option<f64> {
    (u >= override_chance).then_some(setpoint_offset_c)
}

/// Share of the full reduction a customer delivers `minutes_in` minutes into an event (counting
/// the current step): automated customers respond at once, others ramp up over `ramp_minutes`.
#[inline]
pub fn manual_ramp(minutes_in: f64, auto_dr: bool, ramp_minutes: f64) -> f64 {
    if auto_dr || ramp_minutes <= 0.0 { 1.0 } else { (minutes_in / ramp_minutes).min(1.0) }
}

/// Chance that an A/C-cycling customer opts out of an event: the plan's chance, scaled by fatigue
/// and automation, while the plan's opt-outs a year (`allowed`; `None`, no opt-outs) last.
#[inline]
pub fn opt_out_chance(prob: f64, fatigue: f64, automation: f64, used: u8, allowed: Option<u32>) -> f64 {
    match allowed {
        Some(n) if u32::from(used) < n => prob * fatigue * automation,
        _ => 0.0,
    }
}

/// Chance that a customer of a voluntary program takes part in an event: fatigue lowers it;
/// automation recovers the share `auto_dr_reliability` of the rest.
#[inline]
pub fn participation_chance(participation: f64, fatigue: f64, auto_dr: bool, auto_dr_reliability: f64) -> f64 {
    let p = participation / fatigue;
    if auto_dr { p + (1.0 - p) * auto_dr_reliability } else { p }
}

/// A nominated customer's performance in an event: the drawn share `drawn`, of which automation
/// recovers the share `auto_dr_reliability` of the shortfall.
#[inline]
pub fn nomination_performance(drawn: f64, auto_dr: bool, auto_dr_reliability: f64) -> f64 {
    if auto_dr && drawn < 1.0 { drawn + (1.0 - drawn) * auto_dr_reliability } else { drawn }
}

/// Whether a firm-service-level customer complies in an event: `u`, a uniform draw, is at least
/// its non-compliance chance scaled by fatigue and automation.
#[inline]
pub fn fsl_complies(u: f64, non_compliance: f64, fatigue: f64, automation: f64) -> bool {
    u >= non_compliance * fatigue * automation
}

/// Enrolment-option readiness: when a customer on a notice option of `option_minutes` can act on
/// an event issued at `issued_utc` that starts at `start_utc` (UTC seconds): not before either.
#[inline]
pub fn ready_utc(start_utc: i64, issued_utc: i64, option_minutes: u16) -> i64 {
    start_utc.max(issued_utc + i64::from(option_minutes) * 60)
}

/// What a firm-service-level customer does once ready.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FslAction {
    /// Compliant: its load is capped at the firm service level, kW.
    Cap(f64),
    /// Not compliant: it sheds this share of the way from its expected load to the level, kW.
    Shed(f64),
}

/// Firm-service-level cap: a compliant customer holds its load at `fsl_kw`; one that does not
/// comply sheds `partial_share` of what lies above the level in its expected load `expected_kw`.
#[inline]
pub fn firm_service_level(compliant: bool, fsl_kw: f64, partial_share: f64, expected_kw: f64) -> FslAction {
    if compliant { FslAction::Cap(fsl_kw) } else { FslAction::Shed(partial_share * (expected_kw - fsl_kw).max(0.0)) }
}

/// Rebound owed for one step of curtailment: the share `rebound_share` of the energy shed
/// (`shed_kw` plus the price response `price_cut_kw`, for `dt_hours`), kWh.
#[inline]
pub fn rebound_owed_kwh(shed_kw: f64, price_cut_kw: f64, dt_hours: f64, rebound_share: f64) -> f64 {
    (shed_kw + price_cut_kw) * dt_hours * rebound_share
}

/// The rate at which a rebound of `owed_kwh` is paid back, spread over `rebound_hours`, kW.
#[inline]
pub fn rebound_rate_kw(owed_kwh: f64, rebound_hours: f64) -> f64 {
    owed_kwh / rebound_hours
}

/// One step of payback after an event: the extra load this step (the rate, or what is left if
/// less), kW, and what is still owed, kWh.
#[inline]
pub fn payback(rate_kw: f64, owed_kwh: f64, dt_hours: f64) -> (f64, f64) {
    let extra_kw = rate_kw.min(owed_kwh / dt_hours);
    (extra_kw, (owed_kwh - extra_kw * dt_hours).max(0.0))
}

/// Load cut by a price signal: the flexible share of the expected load times the cut `1 − factor`.
#[inline]
pub fn price_cut_kw(factor: f64, flexible_share: f64, expected_kw: f64) -> f64 {
    (1.0 - factor).max(0.0) * flexible_share * expected_kw
}

/// Why a customer may not run its backup generator in an event (see [`check_generator_use`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GeneratorRefusal {
    /// The customer has none.
    #[error("no backup generator")]
    NoGenerator,
    /// The program does not involve backup generation.
    #[error("backup generation not part of this program")]
    NotInProgram,
    /// A fossil generator (a prohibited resource) without a Governor's order that permits it.
    #[error("prohibited resource: not allowed without a Governor's order")]
    NeedsOrder,
    /// A fossil generator in a disadvantaged community, under an order that does not override.
    #[error("prohibited resource: customer in a DAC and the order does not override")]
    Dac,
}

/// Generator use: whether a customer may run its backup generator to reduce load in an event of a
/// program.
///
/// DOMAIN.md §3: fossil-fuelled backup generation is a prohibited resource (PR). PR may not be used
/// except as each program allows; ELRP allows non-PR backup generators; PR only when a Governor's
/// order permits; ELRP customers in a DAC may not use PR unless an order explicitly overrides.
pub fn check_generator_use(
    spec: &ProgramSpec,
    has_generator: bool,
    fossil: bool,
    dac: bool,
    order: OrderInForce,
) -> Result<(), GeneratorRefusal> {
    let permitted = order.active && order.permits_prohibited_resources;
    match spec.prohibited_resources {
        _ if !has_generator => Err(GeneratorRefusal::NoGenerator),
        PrPolicy::NotApplicable => Err(GeneratorRefusal::NotInProgram),
        _ if !fossil => Ok(()),
        _ if !permitted => Err(GeneratorRefusal::NeedsOrder),
        PrPolicy::GovernorOrderOnly if dac && !order.overrides_dac => Err(GeneratorRefusal::Dac),
        PrPolicy::Attestation | PrPolicy::GovernorOrderOnly => Ok(()),
    }
}

fn f_to_c(f: f64) -> f64 {
    (f - 32.0) * 5.0 / 9.0
}

/// RTP day types (DOMAIN.md §7 RTP): the price schedule of a day follows from the previous day's
/// maximum temperature, the season and whether it is a weekend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RtpDay {
    /// Summer weekday after an extremely hot day.
    ExtremelyHot,
    /// Summer weekday after a very hot day.
    VeryHot,
    /// Summer weekday after a hot day.
    Hot,
    /// Summer weekday after a moderate day.
    Moderate,
    /// Summer weekday after a mild day.
    Mild,
    /// Summer weekend after a hot day.
    WeekendHighCost,
    /// Other summer weekend days.
    WeekendLowCost,
    /// Winter day after a hot day.
    WinterHighCost,
    /// Other winter days.
    WinterLowCost,
}

/// RTP day type of a day in `month` from the previous day's maximum `prev_max_c` (`None` on a
/// run's first day: the book's `first_day_prev_max_c`); `None` when the response is not RTP.
pub fn rtp_day_type(r: &Response, prev_max_c: Option<f64>, month: u32, weekend: bool) -> Option<RtpDay> {
    let Response::RealTimePrice {
        extremely_hot_f,
        very_hot_f,
        hot_f,
        moderate_f,
        weekend_high_cost_f,
        winter_high_cost_f,
        summer_months,
        first_day_prev_max_c,
        ..
    } = r
    else {
        return None;
    };
    let prev_max_c = prev_max_c.unwrap_or(*first_day_prev_max_c);
    let day = if !summer_months.contains(&month) {
        if prev_max_c > f_to_c(*winter_high_cost_f) { RtpDay::WinterHighCost } else { RtpDay::WinterLowCost }
    } else if weekend {
        if prev_max_c >= f_to_c(*weekend_high_cost_f) { RtpDay::WeekendHighCost } else { RtpDay::WeekendLowCost }
    } else if prev_max_c >= f_to_c(*extremely_hot_f) {
        RtpDay::ExtremelyHot
    } else if prev_max_c >= f_to_c(*very_hot_f) {
        RtpDay::VeryHot
    } else if prev_max_c >= f_to_c(*hot_f) {
        RtpDay::Hot
    } else if prev_max_c >= f_to_c(*moderate_f) {
        RtpDay::Moderate
    } else {
        RtpDay::Mild
    };
    Some(day)
}

/// The RTP price schedule of a day (24 hourly multipliers of the average price); see
/// [`rtp_day_type`].
pub fn rtp_schedule(r: &Response, prev_max_c: Option<f64>, month: u32, weekend: bool) -> Option<&[f64; 24]> {
    let day = rtp_day_type(r, prev_max_c, month, weekend)?;
    let Response::RealTimePrice { schedules: s, .. } = r else {
        return None;
    };
    Some(match day {
        RtpDay::ExtremelyHot => &s.extremely_hot,
        RtpDay::VeryHot => &s.very_hot,
        RtpDay::Hot => &s.hot,
        RtpDay::Moderate => &s.moderate,
        RtpDay::Mild => &s.mild,
        RtpDay::WeekendHighCost => &s.weekend_high_cost,
        RtpDay::WeekendLowCost => &s.weekend_low_cost,
        RtpDay::WinterHighCost => &s.winter_high_cost,
        RtpDay::WinterLowCost => &s.winter_low_cost,
    })
}

/// Price factor: the multiplier on flexible load for a price `p` against the day's mean `mean`
/// with own-price `elasticity`; load shifted out of dear hours comes back in cheap ones only as
/// the share `shift_share`.
#[inline]
pub fn price_factor(p: f64, mean: f64, elasticity: f64, shift_share: f64) -> f64 {
    let f = libm::pow(p / mean, elasticity);
    if f > 1.0 { 1.0 + (f - 1.0) * shift_share } else { f }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn fatigue_grows_by_its_rate_per_consecutive_event_day() {
        // 0.25 a day: day 1 ×1, day 3 ×1.5 (1 + 0.25 × 2).
        assert_eq!(fatigue(1, 0.25), 1.0);
        assert_eq!(fatigue(0, 0.25), 1.0, "no run yet counts as the first day");
        assert!(close(fatigue(3, 0.25), 1.5));
    }

    #[test]
    fn consecutive_days_count_back_to_back_event_days_only() {
        assert_eq!(consecutive_days(2, 10, 10), 2, "a second event the same day");
        assert_eq!(consecutive_days(2, 10, 11), 3, "the next day");
        assert_eq!(consecutive_days(5, 10, 13), 1, "after a day without events");
    }

    #[test]
    fn override_hazard_compounds_over_the_step() {
        // 10 %/h, fatigue ×1.5, no automation: 15 %/h; in a quarter hour 1 − 0.85^0.25.
        let p = override_chance(0.1, 1.5, automation_factor(false, 0.5), 0.25);
        assert!(close(p, 1.0 - 0.85f64.powf(0.25)), "{p}");
        // Automation halves it: 7.5 %/h over a full hour.
        assert!(close(override_chance(0.1, 1.5, automation_factor(true, 0.5), 1.0), 0.075));
        // The hourly chance is capped at 1: overriding is then certain.
        assert_eq!(override_chance(0.8, 2.0, 1.0, 0.25), 1.0);
    }

    #[test]
    fn setpoint_offset_response_holds_until_the_customer_overrides() {
        assert_eq!(thermostat_offset_c(2.0, 0.1, 0.5), Some(2.0));
        assert_eq!(thermostat_offset_c(2.0, 0.1, 0.05), None);
    }

    #[test]
    fn manual_customers_ramp_up_automated_ones_do_not() {
        assert!(close(manual_ramp(15.0, false, 60.0), 0.25));
        assert_eq!(manual_ramp(90.0, false, 60.0), 1.0);
        assert_eq!(manual_ramp(15.0, true, 60.0), 1.0);
        assert_eq!(manual_ramp(15.0, false, 0.0), 1.0);
    }

    #[test]
    fn opt_outs_stop_when_the_plans_allowance_is_used() {
        assert!(close(opt_out_chance(0.1, 1.25, 1.0, 0, Some(5)), 0.125));
        assert_eq!(opt_out_chance(0.1, 1.25, 1.0, 5, Some(5)), 0.0);
        assert_eq!(opt_out_chance(0.1, 1.25, 1.0, 0, None), 0.0);
    }

    #[test]
    fn fatigue_lowers_participation_and_automation_recovers_part() {
        // 60 % / 1.5 = 40 %; automation at 50 % recovers half of the other 60 %: 70 %.
        assert!(close(participation_chance(0.6, 1.5, false, 0.5), 0.4));
        assert!(close(participation_chance(0.6, 1.5, true, 0.5), 0.7));
        assert!(close(nomination_performance(0.8, true, 0.5), 0.9));
        assert_eq!(nomination_performance(0.8, false, 0.5), 0.8);
        assert_eq!(nomination_performance(1.2, true, 0.5), 1.2, "over-performance is kept");
    }

    #[test]
    fn enrolment_option_readiness_waits_for_the_notice_of_the_option() {
        // Issued at t = 0 for a start 30 min later: a 15-min option acts at the start, a 60-min
        // option an hour after issue.
        assert_eq!(ready_utc(1800, 0, 15), 1800);
        assert_eq!(ready_utc(1800, 0, 60), 3600);
    }

    #[test]
    fn firm_service_level_caps_compliant_customers_and_part_sheds_the_others() {
        assert_eq!(firm_service_level(true, 200.0, 0.5, 800.0), FslAction::Cap(200.0));
        // Half of the 600 kW above the level.
        assert_eq!(firm_service_level(false, 200.0, 0.5, 800.0), FslAction::Shed(300.0));
        assert_eq!(firm_service_level(false, 200.0, 0.5, 150.0), FslAction::Shed(0.0));
        assert!(fsl_complies(0.3, 0.2, 1.0, 1.0));
        assert!(!fsl_complies(0.3, 0.2, 2.0, 1.0), "fatigue doubles non-compliance to 40 %");
    }

    #[test]
    fn rebound_pays_back_a_share_of_the_energy_shed() {
        // 100 kW shed for a quarter hour with 50 % rebound: 12.5 kWh owed, over 2 h: 6.25 kW.
        let owed = rebound_owed_kwh(80.0, 20.0, 0.25, 0.5);
        assert!(close(owed, 12.5));
        let rate = rebound_rate_kw(owed, 2.0);
        assert!(close(rate, 6.25));
        let (extra, left) = payback(rate, owed, 0.25);
        assert!(close(extra, 6.25) && close(left, 12.5 - 6.25 * 0.25));
        // The last step pays only what is left, and nothing is owed after it.
        let (extra, left) = payback(rate, 1.0, 0.25);
        assert!(close(extra, 4.0) && left == 0.0);
        // Energy is conserved: stepping until paid returns what was owed.
        let (mut owed_now, mut paid) = (owed, 0.0);
        while owed_now > 0.0 {
            let (x, l) = payback(rate, owed_now, 0.25);
            paid += x * 0.25;
            owed_now = l;
        }
        assert!(close(paid, owed));
    }

    #[test]
    fn a_price_cut_is_the_flexible_share_of_the_reduction() {
        assert!(close(price_cut_kw(0.8, 0.5, 100.0), 10.0));
        assert_eq!(price_cut_kw(1.2, 0.5, 100.0), 0.0, "a cheap hour cuts nothing");
    }

    fn program(id: &str) -> ProgramSpec {
        let text = "schema_version = 1\nname = \"t\"\nstart = \"2022-09-01\"\nend = \"2022-09-01\"\n[weather]\nmodel = \"stochastic\"\n";
        let s = crate::scenario::load_scenario(text, "t.toml", &[], &crate::scenario::NoFiles).expect("valid");
        s.book().programs[id].clone()
    }

    fn rtp() -> Response {
        program("RTP").response
    }

    #[test]
    fn generator_use_follows_the_prohibited_resource_rules() {
        // DOMAIN.md §3: ELRP allows non-PR generators; PR only under a Governor's order that
        // permits it; in a DAC only if the order also overrides.
        let elrp = program("ELRP-A1");
        let order =
            |permits, dac| OrderInForce { active: true, permits_prohibited_resources: permits, overrides_dac: dac };
        let none = OrderInForce::default();
        assert_eq!(
            check_generator_use(&elrp, false, false, false, order(true, true)),
            Err(GeneratorRefusal::NoGenerator)
        );
        assert_eq!(check_generator_use(&elrp, true, false, true, none), Ok(()));
        assert_eq!(check_generator_use(&elrp, true, true, false, none), Err(GeneratorRefusal::NeedsOrder));
        assert_eq!(check_generator_use(&elrp, true, true, false, order(true, false)), Ok(()));
        assert_eq!(check_generator_use(&elrp, true, true, true, order(true, false)), Err(GeneratorRefusal::Dac));
        assert_eq!(check_generator_use(&elrp, true, true, true, order(true, true)), Ok(()));
        assert_eq!(check_generator_use(&program("SEP"), true, false, false, none), Err(GeneratorRefusal::NotInProgram));
        // An attestation program (AP-I) takes PR under an order, in a DAC too.
        assert_eq!(check_generator_use(&program("AP-I"), true, true, true, order(true, false)), Ok(()));
        assert_eq!(
            GeneratorRefusal::NeedsOrder.to_string(),
            "prohibited resource: not allowed without a Governor's order"
        );
    }

    #[test]
    fn rtp_day_type_follows_the_previous_days_maximum_season_and_weekend() {
        let r = rtp();
        let c = |f: f64| (f - 32.0) * 5.0 / 9.0;
        // DOMAIN.md §7 RTP: extremely hot >= 95 °F, very hot 91-94, hot 85-90, moderate 81-84,
        // mild <= 80 on summer weekdays; weekend high-cost >= 78; winter high-cost > 90.
        let day = |f: f64, month: u32, weekend: bool| rtp_day_type(&r, Some(c(f)), month, weekend);
        assert_eq!(day(95.0, 8, false), Some(RtpDay::ExtremelyHot));
        assert_eq!(day(94.0, 8, false), Some(RtpDay::VeryHot));
        assert_eq!(day(88.0, 8, false), Some(RtpDay::Hot));
        assert_eq!(day(82.0, 8, false), Some(RtpDay::Moderate));
        assert_eq!(day(80.0, 8, false), Some(RtpDay::Mild));
        assert_eq!(day(80.0, 8, true), Some(RtpDay::WeekendHighCost));
        assert_eq!(day(77.0, 8, true), Some(RtpDay::WeekendLowCost));
        assert_eq!(day(95.0, 11, false), Some(RtpDay::WinterHighCost));
        assert_eq!(day(90.0, 11, false), Some(RtpDay::WinterLowCost));
        // The first day of a run reads the book's assumed maximum (25 °C, mild).
        assert_eq!(rtp_day_type(&r, None, 8, false), Some(RtpDay::Mild));
        let Response::RealTimePrice { schedules, .. } = &r else { panic!("RTP is priced") };
        assert_eq!(rtp_schedule(&r, Some(c(96.0)), 7, false), Some(&schedules.extremely_hot));
        assert_eq!(rtp_day_type(&Response::PumpInterrupt, Some(40.0), 8, false), None);
    }

    #[test]
    fn price_factor_follows_the_elasticity_and_gives_back_only_the_shift_share() {
        // Price 4× the mean at −0.1: 4^−0.1.
        assert!(close(price_factor(4.0, 1.0, -0.1, 0.5), 4f64.powf(-0.1)));
        // Half the mean: 0.5^−0.1 ≈ 1.0718 more, of which half comes back.
        assert!(close(price_factor(0.5, 1.0, -0.1, 0.5), 1.0 + (0.5f64.powf(-0.1) - 1.0) * 0.5));
    }

    #[test]
    fn hour_caps_fit_up_to_the_limit_and_trim_to_whole_steps() {
        assert!(fits_hours_cap(Some(6.0), 4.0, 2.0));
        assert!(!fits_hours_cap(Some(6.0), 4.0, 2.25));
        assert!(fits_hours_cap(None, 1e9, 1.0));
        // 1.5 h left under the month cap, 15-min steps, a 4 h window: 90 min.
        assert_eq!(trim_to_hours_caps(240, 15, &[(Some(4.0), 0.0), (Some(30.0), 28.5), (None, 50.0)]), 90);
        // Sums of thirds of an hour: 20 min used three times fits exactly under a 1 h cap.
        let used = 20.0 / 60.0 + 20.0 / 60.0;
        assert_eq!(trim_to_hours_caps(60, 5, &[(Some(1.0), used)]), 20);
        assert_eq!(trim_to_hours_caps(60, 15, &[(Some(1.0), 1.0)]), 0);
    }
}
