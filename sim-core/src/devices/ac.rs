//! Central A/C with a first-order thermal envelope and a deadband thermostat.
//!
//! The semantics are exactly those of the peer model `thermal_day.py` (DOMAIN.md §6 for typical
//! values): each step (a) the thermostat turns on above setpoint + deadband/2 and off below
//! setpoint - deadband/2, otherwise keeps its state; (b) a cycling block turns the compressor off
//! without changing the thermostat state; (c) the unit draws `elec_kw` while running; (d) indoor
//! temperature moves exactly (exponential update) towards
//! `Teq = Tout + R (Q_int - running × P_th)` with decay `exp(-dt / (R C))`.

use bevy_ecs::prelude::*;

/// Control bit every cycling switch answers to (direct load control commands).
pub const SWITCH_BIT: u16 = 1;

/// Number of cycling slots agents are spread over (divisible by 2, 3, 4, 5, 6, 8, 10, 12, 15 and 16).
pub const CYCLE_SLOTS: usize = 240;

/// A home (or small business) with a central A/C: what the thermal model reads every step.
///
/// Its state, which the step writes, is in [`AcState`] (so the step writes back 16 bytes per unit,
/// not these 56). The thermostat's settings, which change only when an event or a price moves
/// them, are in [`AcSetpoint`]; the step reads the switching temperatures they give. The unit's
/// rating, which only enrolment and settlement read, is in [`AcRating`].
#[derive(Component, Clone, Debug, PartialEq)]
#[repr(C)]
pub struct AirConditioner {
    /// The thermostat calls for cooling above this temperature (setpoint + offset + half the
    /// deadband), °C. Set with [`AcSetpoint::apply`].
    pub on_above_c: f64,
    /// The thermostat stops calling for cooling below this temperature (setpoint + offset - half
    /// the deadband), °C.
    pub off_below_c: f64,
    /// Equilibrium offset from outdoor temperature, indexed by whether the compressor runs: off
    /// (`[0]`, R Q_int) and running (`[1]`, R (Q_int - P_th)), °C. (An array, so that the step
    /// picks one by index rather than by a branch.)
    pub teq_offset_c: [f64; 2],
    /// Electric draw while running, kW (P_th / COP).
    pub elec_kw: f64,
    /// exp(-dt / (R C)) for the run's step.
    pub decay: f64,
    /// Control bits this unit answers to (a cycling switch, program enrolments).
    pub control_mask: u16,
    /// Control bits suspended for now (the customer opted out of the event).
    pub suspended_mask: u16,
    /// Cycling slot (0..240) used to stagger cycling groups.
    pub cycle_slot: u8,
}

/// What an A/C's step changes: indoor temperature, thermostat and compressor.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
pub struct AcState {
    /// Indoor temperature, °C.
    pub temp_c: f64,
    /// Thermostat calls for cooling.
    pub on: bool,
    /// Compressor running this step (on and not blocked).
    pub running: bool,
}

/// Everything a customer's central A/C is made of (spawned together).
#[derive(Bundle, Clone, Debug, PartialEq)]
pub struct AcUnit {
    /// What the step reads.
    pub ac: AirConditioner,
    /// What the step writes.
    pub state: AcState,
    /// The thermostat's settings.
    pub setpoint: AcSetpoint,
    /// The rating.
    pub rating: AcRating,
}

/// A thermostat's settings: the customer's setpoint, the offset in force and the deadband.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct AcSetpoint {
    /// Thermostat setpoint, °C.
    pub setpoint_c: f64,
    /// Setpoint offset in force (e.g. +2.2 °C in a smart-thermostat event), °C.
    pub offset_c: f32,
    /// Half the thermostat deadband, °C.
    pub half_deadband_c: f32,
}

impl AcSetpoint {
    /// A setpoint with no offset in force and a deadband of full width `deadband_c`.
    pub fn new(setpoint_c: f64, deadband_c: f64) -> Self {
        Self { setpoint_c, offset_c: 0.0, half_deadband_c: (deadband_c / 2.0) as f32 }
    }

    /// The switching temperatures (on above, off below) these settings give, °C.
    pub fn edges(&self) -> (f64, f64) {
        let sp = self.setpoint_c + f64::from(self.offset_c);
        let h = f64::from(self.half_deadband_c);
        (sp + h, sp - h)
    }

    /// Puts an offset in force and moves the unit's switching temperatures with it.
    pub fn apply(&mut self, offset_c: f32, ac: &mut AirConditioner) {
        self.offset_c = offset_c;
        (ac.on_above_c, ac.off_below_c) = self.edges();
    }
}

/// An A/C's rating (read at enrolment and settlement, not by the step).
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct AcRating {
    /// Cooling capacity, kW thermal.
    pub pth_kw: f64,
    /// Envelope thermal resistance, °C/kW.
    pub r_c_per_kw: f64,
    /// Internal heat gains, kW.
    pub q_int_kw: f64,
}

impl AcUnit {
    /// A unit from its physical parameters; `dt_h` is the step in hours.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        r: f64,
        c: f64,
        pth: f64,
        cop: f64,
        q_int: f64,
        setpoint: f64,
        deadband: f64,
        temp: f64,
        on: bool,
        slot: u8,
        mask: u16,
        dt_h: f64,
    ) -> AcUnit {
        let sp = AcSetpoint::new(setpoint, deadband);
        let (on_above_c, off_below_c) = sp.edges();
        let ac = AirConditioner {
            on_above_c,
            off_below_c,
            // Evaluated as in the peer model: R * Q_INT (off) and R * (Q_INT - Pth) (running).
            teq_offset_c: [r * q_int, r * (q_int - pth)],
            elec_kw: pth / cop,
            decay: libm::exp(-dt_h / (r * c)),
            control_mask: mask,
            suspended_mask: 0,
            cycle_slot: slot,
        };
        Self {
            ac,
            state: AcState { temp_c: temp, on, running: false },
            setpoint: sp,
            rating: AcRating { pth_kw: pth, r_c_per_kw: r, q_int_kw: q_int },
        }
    }
}

/// Thermostat with hysteresis: on above the upper edge, off below the lower, else unchanged.
///
/// Written with bit operations, not branches: whether a unit switches this step is close to
/// random from one unit to the next, so branches on it are mispredicted often.
#[inline]
pub fn thermostat(on: bool, temp_c: f64, on_above_c: f64, off_below_c: f64) -> bool {
    let below = temp_c < off_below_c;
    (temp_c > on_above_c) | (on & !below)
}

/// Where a unit settles at a constant outdoor temperature, so a run starts without a transient.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SteadyState {
    /// The room cools itself below the thermostat's upper edge: the unit stays off and the room
    /// rests at its off equilibrium, °C.
    Off(f64),
    /// The unit cycles in the deadband, running this share of the time (the share whose mean
    /// equilibrium is the setpoint).
    Cycling(f64),
    /// The unit cannot reach the lower edge: it runs all the time and the room rests at its
    /// running equilibrium, °C.
    On(f64),
}

/// The steady state of a unit with envelope resistance `r` (°C/kW), internal gains `q_int_kw` and
/// cooling `pth_kw` at outdoor temperature `tout_c`, with the thermostat's edges
/// ([`AcSetpoint::edges`]: `on_above_c`, `off_below_c`) around `setpoint_c` (the first-order
/// envelope's equilibria are
/// `tout + R·Q_int` off and `tout + R·(Q_int − P_th)` running).
pub fn steady_state(
    tout_c: f64,
    r: f64,
    q_int_kw: f64,
    pth_kw: f64,
    setpoint_c: f64,
    (on_above_c, off_below_c): (f64, f64),
) -> SteadyState {
    let teq_off = tout_c + r * q_int_kw;
    let teq_on = tout_c + r * (q_int_kw - pth_kw);
    if teq_off <= on_above_c {
        SteadyState::Off(teq_off)
    } else if teq_on >= off_below_c {
        SteadyState::On(teq_on)
    } else {
        SteadyState::Cycling(((teq_off - setpoint_c) / (teq_off - teq_on)).clamp(0.0, 1.0))
    }
}

/// Exact one-step indoor temperature update from the unit's physical parameters (R, Q_int, P_th).
/// The kernel's [`AirConditioner::next_temp_c`] is this formula on the unit's stored offsets; a
/// test checks the two agree to the bit.
#[cfg(any(test, feature = "test-support"))]
#[inline]
pub fn next_temp(temp_c: f64, tout_c: f64, r: f64, q_int_kw: f64, pth_kw: f64, running: bool, decay: f64) -> f64 {
    relax(temp_c, tout_c + r * (q_int_kw - if running { pth_kw } else { 0.0 }), decay)
}

/// One exact step of a first-order envelope from `temp_c` towards its equilibrium `teq_c`, with
/// `decay` = exp(-dt / (R C)).
#[inline(always)]
pub fn relax(temp_c: f64, teq_c: f64, decay: f64) -> f64 {
    teq_c + (temp_c - teq_c) * decay
}

impl AirConditioner {
    /// [`next_temp`] for this unit, from the equilibrium offsets it holds (the step's form: the
    /// offset is picked by index, see [`AirConditioner::teq_offset_c`]).
    #[inline(always)]
    pub fn next_temp_c(&self, temp_c: f64, tout_c: f64, running: bool) -> f64 {
        relax(temp_c, tout_c + self.teq_offset_c[usize::from(running)], self.decay)
    }
}

/// Electric load the unit draws on average in steady state at outdoor temperature `tout_c`, kW.
///
/// The duty cycle that holds the setpoint: (Tout + R Q_int - setpoint) / (R P_th), clipped to [0, 1]
/// (R P_th is the difference of the two equilibrium offsets).
#[inline]
pub fn steady_state_kw(ac: &AirConditioner, setpoint_c: f64, tout_c: f64) -> f64 {
    let [a_off_c, a_on_c] = ac.teq_offset_c;
    let duty = (tout_c + a_off_c - setpoint_c) / (a_off_c - a_on_c);
    duty.clamp(0.0, 1.0) * ac.elec_kw
}

/// A direct load control command: cycle the A/C of units answering to `mask`.
#[derive(Clone, Debug, PartialEq)]
pub struct CyclingCommand {
    /// Control bits targeted.
    pub mask: u16,
    /// Start, UTC seconds.
    pub start_utc_s: i64,
    /// End (exclusive), UTC seconds.
    pub end_utc_s: i64,
    /// Share of each cycling period the compressor is kept off (0.5 = 50% cycling, 1.0 = off).
    pub off_fraction: f64,
    /// Cycling period, minutes.
    pub period_minutes: u32,
    /// Number of staggered groups (a unit's group is its cycle slot modulo this).
    pub groups: u32,
}

impl CyclingCommand {
    /// Whether group `g` is held off at local minute `minute_of_day`.
    ///
    /// Group g's off-block starts g × period / groups minutes into each period.
    pub fn blocks(&self, g: u32, minute_of_day: u32) -> bool {
        if self.off_fraction >= 1.0 {
            return true;
        }
        let p = self.period_minutes.max(1);
        let off = (self.off_fraction * f64::from(p)).round() as u32;
        let phase = g * p / self.groups.max(1);
        (minute_of_day + p - phase % p) % p < off
    }
}

/// Direct load control in force (a resource): commands, and this step's blocked bits per slot.
#[derive(Resource, Clone, Debug)]
pub struct AcControl {
    /// Commands issued (past, current and future).
    pub commands: Vec<CyclingCommand>,
    /// For each cycling slot, the control bits blocked this step.
    pub slot_mask: Vec<u16>,
}

impl Default for AcControl {
    fn default() -> Self {
        Self { commands: vec![], slot_mask: vec![0; CYCLE_SLOTS] }
    }
}

impl AcControl {
    /// Recomputes `slot_mask` for an instant.
    pub fn update(&mut self, utc_s: i64, minute_of_day: u32) {
        self.slot_mask.iter_mut().for_each(|m| *m = 0);
        for c in self.commands.iter().filter(|c| c.start_utc_s <= utc_s && utc_s < c.end_utc_s) {
            for (slot, m) in self.slot_mask.iter_mut().enumerate() {
                if c.blocks(slot as u32 % c.groups.max(1), minute_of_day) {
                    *m |= c.mask;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_starts_at_its_steady_state_for_the_weather() {
        // R 2 °C/kW, gains 1 kW, 10 kW of cooling, setpoint 24 °C, on above 24.5 °C, off below 23.5 °C.
        let band = (24.5, 23.5);
        // 35 °C outside: off equilibrium 37 °C, running 17 °C; holding 24 °C on average takes
        // (37 - 24) / (37 - 17) = 65 % of the time.
        match steady_state(35.0, 2.0, 1.0, 10.0, 24.0, band) {
            SteadyState::Cycling(d) => assert!((d - 0.65).abs() < 1e-12, "{d}"),
            s => panic!("{s:?}"),
        }
        // A cool night (18 °C outside): the room rests at 20 °C with the unit off.
        assert_eq!(steady_state(18.0, 2.0, 1.0, 10.0, 24.0, band), SteadyState::Off(20.0));
        // An undersized unit on a hot day: 45 °C outside, 3 kW of cooling, the room rests at 41 °C.
        assert_eq!(steady_state(45.0, 2.0, 1.0, 3.0, 24.0, band), SteadyState::On(41.0));
    }

    #[test]
    fn thermostat_has_hysteresis() {
        assert!(thermostat(false, 25.6, 25.5, 24.5));
        assert!(!thermostat(true, 24.4, 25.5, 24.5));
        assert!(thermostat(true, 25.0, 25.5, 24.5));
        assert!(!thermostat(false, 25.0, 25.5, 24.5));
        // The edges themselves keep the state.
        assert!(!thermostat(false, 25.5, 25.5, 24.5));
        assert!(thermostat(true, 24.5, 25.5, 24.5));
        // So does a temperature that compares with nothing (as in the branching form).
        assert!(thermostat(true, f64::NAN, 25.5, 24.5));
        assert!(!thermostat(false, f64::NAN, 25.5, 24.5));
    }

    #[test]
    fn the_units_step_is_next_temp_to_the_bit() {
        let (r, c, pth, cop, q) = (2.5, 2.0, 9.0, 3.2, 0.8);
        let dt = 4.0 / 60.0;
        let u = AcUnit::new(r, c, pth, cop, q, 24.0, 1.0, 26.0, false, 0, 0, dt);
        let decay = libm::exp(-dt / (r * c));
        for (t, tout, run) in [(26.0, 38.0, true), (26.0, 38.0, false), (21.3, 12.5, true), (30.1, 44.7, false)] {
            let kernel = u.ac.next_temp_c(t, tout, run);
            assert_eq!(kernel.to_bits(), next_temp(t, tout, r, q, pth, run, decay).to_bits(), "{t} {tout} {run}");
        }
    }

    #[test]
    fn temperature_update_matches_the_analytic_solution() {
        // dT/dt = (Teq - T) / (R C): T(t) = Teq + (T0 - Teq) e^{-t/RC}. Twelve 5-minute steps = one hour.
        let (r, c, q, p, tout) = (2.0, 3.0, 0.5, 10.0, 35.0);
        let dt = 5.0 / 60.0;
        let decay = libm::exp(-dt / (r * c));
        let mut t = 24.0;
        for _ in 0..12 {
            t = next_temp(t, tout, r, q, p, true, decay);
        }
        let teq = tout + r * (q - p);
        let exact = teq + (24.0 - teq) * libm::exp(-1.0 / (r * c));
        assert!((t - exact).abs() < 1e-12, "{t} vs {exact}");
        // Off, the house drifts towards Tout + R Q_int.
        let mut t = 24.0;
        for _ in 0..100_000 {
            t = next_temp(t, tout, r, q, p, false, decay);
        }
        assert!((t - (tout + r * q)).abs() < 1e-9);
    }

    #[test]
    fn fifty_percent_cycling_alternates_two_groups_in_fifteen_minute_blocks() {
        let c =
            CyclingCommand { mask: 1, start_utc_s: 0, end_utc_s: 1, off_fraction: 0.5, period_minutes: 30, groups: 2 };
        // The peer model blocks house i when (t // 3) % 2 == i % 2 with 5-minute steps t.
        for t in 0..288u32 {
            let minute = t * 5;
            for g in 0..2 {
                assert_eq!(c.blocks(g, minute), (t / 3) % 2 == g, "t={t} g={g}");
            }
        }
        let full = CyclingCommand { off_fraction: 1.0, ..c.clone() };
        assert!((0..1440).all(|m| full.blocks(0, m) && full.blocks(1, m)));
    }

    #[test]
    fn each_group_is_off_the_commanded_share_of_the_time() {
        let c =
            CyclingCommand { mask: 1, start_utc_s: 0, end_utc_s: 1, off_fraction: 0.3, period_minutes: 30, groups: 3 };
        for g in 0..3 {
            let off = (0..1440).filter(|m| c.blocks(g, *m)).count();
            assert_eq!(off, 1440 * 9 / 30);
        }
    }

    #[test]
    fn steady_state_duty_is_clipped() {
        let AcUnit { ac, setpoint: sp, .. } =
            AcUnit::new(2.0, 3.0, 10.0, 2.5, 0.5, 24.0, 1.0, 24.0, false, 0, 0, 1.0 / 12.0);
        assert_eq!(steady_state_kw(&ac, sp.setpoint_c, 10.0), 0.0);
        assert!((steady_state_kw(&ac, sp.setpoint_c, 33.0) - 4.0 * 10.0 / 20.0).abs() < 1e-12);
        assert_eq!(steady_state_kw(&ac, sp.setpoint_c, 60.0), 4.0);
    }

    #[test]
    fn the_state_every_step_streams_stays_small() {
        // The step is memory-bound at scale: these sizes are what a 1M-agent step moves.
        assert_eq!(std::mem::size_of::<AirConditioner>(), 56);
        assert_eq!(std::mem::size_of::<AcState>(), 16);
        assert_eq!(std::mem::size_of::<crate::customers::Meter>(), 16);
        assert_eq!(std::mem::size_of::<crate::devices::Building>(), 56);
    }

    #[test]
    fn an_offset_moves_both_switching_temperatures() {
        let AcUnit { mut ac, setpoint: mut sp, .. } =
            AcUnit::new(2.0, 3.0, 10.0, 2.5, 0.5, 24.0, 1.0, 24.0, false, 0, 0, 1.0 / 12.0);
        assert_eq!((ac.on_above_c, ac.off_below_c), (24.5, 23.5));
        sp.apply(2.0, &mut ac);
        assert_eq!((ac.on_above_c, ac.off_below_c), (26.5, 25.5));
        sp.apply(0.0, &mut ac);
        assert_eq!((ac.on_above_c, ac.off_below_c), (24.5, 23.5));
    }
}
