//! Creating agents from population segments (and explicit houses for benches and tests).

use super::components::{Customer, Meter, SegmentInfo, Segments, Weight};
use crate::devices::ac::{AcSetpoint, AcUnit, CYCLE_SLOTS, SWITCH_BIT, SteadyState, steady_state};
use crate::devices::building::{Building, BuildingSchedule, FacilityControls};
use crate::devices::pump::{Pump, pump_kw};
use crate::devices::{AutoDr, BackupGenerator, BaseLoad, CyclingSwitch, PumpControl, SmartThermostat};
use crate::dist::{Dist, DistSpec};
use crate::rng::{AgentStream, LOAD_NOISE, SimRng};
use crate::scenario::{BuildingParams, CustomerClass, MeterType, Segment, ServiceType, ValidScenario};
use bevy_ecs::prelude::*;
use rand::RngExt;
use std::borrow::Cow;

/// Tons of refrigeration to kW thermal.
pub const KW_PER_TON: f64 = 3.516_852_842;

/// Default facility parameters by class when a segment gives none (assumptions).
pub fn default_building(class: CustomerClass) -> BuildingParams {
    let u = |a: f64, b: f64| Dist::Family(DistSpec::Uniform { min: a, max: b });
    match class {
        CustomerClass::Industrial => BuildingParams {
            base_share: u(0.2, 0.35),
            occupied_share: u(0.1, 0.2),
            hvac_share: u(0.05, 0.15),
            process_share: u(0.3, 0.5),
            balance_temp_c: 16.0,
            design_temp_c: 38.0,
            open_hour: 6.0,
            close_hour: 22.0,
            hours_spread_h: 2.0,
            weekend_factor: 0.5,
            noise_share: 0.06,
            flexible_share: u(0.05, 0.35),
        },
        _ => BuildingParams {
            base_share: u(0.2, 0.35),
            occupied_share: u(0.25, 0.4),
            hvac_share: u(0.2, 0.4),
            process_share: Dist::Fixed(0.0),
            balance_temp_c: 16.0,
            design_temp_c: 38.0,
            open_hour: 7.0,
            close_hour: 19.0,
            hours_spread_h: 2.0,
            weekend_factor: 0.4,
            noise_share: 0.05,
            flexible_share: u(0.05, 0.3),
        },
    }
}

/// Spawns every segment's agents, or with `keep` only the customers whose id it marks (every
/// customer's draws are made either way, so the kept ones are the same as in a whole population);
/// returns the segment table.
///
/// `tout0_c` is the outdoor temperature of the world's first step: each A/C starts at its steady
/// state for it.
pub fn spawn_population(
    world: &mut World,
    scn: &ValidScenario,
    rng: &SimRng,
    keep: Option<&[bool]>,
    tout0_c: f64,
) -> Segments {
    let dt_h = f64::from(scn.scenario().step_minutes) / 60.0;
    let mut segments = Segments { suppliers: scn.suppliers().to_vec(), ..Segments::default() };
    let suppliers = Suppliers::new(scn, rng);
    let mut id: u32 = 0;
    let load_noise = rng.stream(LOAD_NOISE);
    for (si, seg) in scn.scenario().population.iter().enumerate() {
        let weight = seg.customers / f64::from(seg.agents);
        segments.list.push(SegmentInfo {
            name: seg.name.clone(),
            class: seg.class,
            base_shape: seg.base_load.shape,
            building: matches!(seg.class, CustomerClass::Commercial | CustomerClass::Industrial).then(|| {
                let p = seg.building.clone().unwrap_or_else(|| default_building(seg.class));
                BuildingSchedule {
                    balance_c: p.balance_temp_c,
                    design_c: p.design_temp_c,
                    open_h: p.open_hour,
                    close_h: p.close_hour,
                    spread_h: p.hours_spread_h,
                    weekend_factor: p.weekend_factor,
                    noise_share: p.noise_share,
                }
            }),
        });
        let rate_ids: Vec<u16> = match &seg.rate_schedule {
            Some(r) => r.0.keys().map(|name| rate_index(&mut segments.rates, name)).collect(),
            None => vec![rate_index(&mut segments.rates, default_rate(seg.class))],
        };
        let mut g = rng.fork(&format!("population/{si}"));
        for _ in 0..seg.agents {
            let kept = keep.is_none_or(|k| k.get(id as usize).copied().unwrap_or(false));
            let noise = load_noise.agent(u64::from(id));
            spawn_agent(world, seg, si as u16, id, weight, &rate_ids, dt_h, &mut g, &suppliers, kept, noise, tout0_c);
            id += 1;
        }
    }
    segments
}

fn default_rate(class: CustomerClass) -> &'static str {
    match class {
        CustomerClass::Residential => "TOU-D",
        CustomerClass::Commercial => "TOU-GS-1",
        CustomerClass::Industrial => "TOU-8",
        CustomerClass::Agricultural => "TOU-PA-2",
    }
}

fn rate_index(rates: &mut Vec<String>, name: &str) -> u16 {
    match rates.iter().position(|r| r == name) {
        Some(i) => i as u16,
        None => {
            rates.push(name.to_string());
            (rates.len() - 1) as u16
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn spawn_agent(
    world: &mut World,
    seg: &Segment,
    si: u16,
    id: u32,
    weight: f64,
    rate_ids: &[u16],
    dt_h: f64,
    g: &mut rand_chacha::ChaCha12Rng,
    suppliers: &Suppliers<'_>,
    keep: bool,
    noise: AgentStream,
    tout0_c: f64,
) {
    // Draw order is fixed: changing it changes every later draw of the segment.
    let service: ServiceType = seg.service_type.sample(g);
    let rate = match &seg.rate_schedule {
        Some(r) => {
            let name = r.sample(g);
            let pos = r.0.keys().position(|k| *k == name).unwrap_or(0);
            rate_ids[pos]
        }
        None => rate_ids[0],
    };
    let meter: MeterType = seg.meter.sample(g);
    let dac = g.random::<f64>() < seg.dac_share;
    let d = &seg.devices;
    let has_ac = g.random::<f64>() < d.central_ac;
    let has_tstat = g.random::<f64>() < d.smart_thermostat;
    let has_switch = g.random::<f64>() < d.cycling_switch;
    let has_gen = g.random::<f64>() < d.backup_generator;
    let gen_fossil = g.random::<f64>() < d.generator_fossil_share;
    let has_auto_dr = g.random::<f64>() < d.auto_dr;
    let has_pump_ctl = g.random::<f64>() < d.pump_control;
    let declared_max = seg.max_demand_kw.as_ref().map(|m| m.sample(g).max(0.1));

    let ac = has_ac.then(|| {
        let a = &seg.ac;
        let tons = a.tons.sample(g);
        let cop = a.cop.sample(g);
        let r = a.r_c_per_kw.sample(g);
        let c = a.c_kwh_per_c.sample(g);
        let sp = a.setpoint_c.sample(g);
        let q = a.internal_gain_kw.sample(g);
        let (u_temp, u_on) = (g.random::<f64>(), g.random::<f64>());
        let pth = tons * KW_PER_TON;
        // The unit starts at its steady state for the first step's weather (no start-up transient).
        let edges = AcSetpoint::new(sp, a.deadband_c).edges();
        let (t0, on) = match steady_state(tout0_c, r, q, pth, sp, edges) {
            SteadyState::Off(t) => (t, false),
            SteadyState::On(t) => (t, true),
            SteadyState::Cycling(duty) => (sp + a.deadband_c * (u_temp - 0.5), u_on < duty),
        };
        let slot = (id as usize % CYCLE_SLOTS) as u8;
        AcUnit::new(r, c, pth, cop, q, sp, a.deadband_c, t0, on, slot, if has_switch { SWITCH_BIT } else { 0 }, dt_h)
    });

    let mut max_kw = declared_max.unwrap_or(0.0);
    let class_ix = CustomerClass::ALL.iter().position(|c| *c == seg.class).unwrap_or(0) as u8;
    let mut base = None;
    let mut building = None;
    let mut pump = None;
    match seg.class {
        CustomerClass::Residential => {
            let mean = seg.base_load.mean_kw.sample(g);
            base = Some(BaseLoad {
                mean_kw: mean,
                noise_share: seg.base_load.noise_share,
                factor: 1.0,
                noise,
                segment: si,
            });
            if declared_max.is_none() {
                max_kw = 2.5 * mean + ac.as_ref().map_or(0.0, |a| a.ac.elec_kw);
            }
        }
        CustomerClass::Commercial | CustomerClass::Industrial => {
            let p = seg.building.as_ref().map_or_else(|| Cow::Owned(default_building(seg.class)), Cow::Borrowed);
            let share = |d: &Dist, g: &mut rand_chacha::ChaCha12Rng| d.sample(g) * max_kw;
            let hvac = share(&p.hvac_share, g);
            building = Some(Building {
                base_kw: share(&p.base_share, g),
                occupied_kw: share(&p.occupied_share, g),
                // A business with its own central A/C (rooftop units) has its cooling modelled by
                // the thermal model instead of the building's HVAC term.
                hvac_kw: if ac.is_some() { 0.0 } else { hvac },
                process_kw: share(&p.process_share, g),
                flexible_share: p.flexible_share.sample(g),
                noise,
                segment: si,
                controlled: false,
            });
        }
        CustomerClass::Agricultural => {
            if let Some(p) = &seg.pump {
                let hp = p.horsepower.sample(g);
                let kw = pump_kw(hp, p.motor_efficiency);
                let hours = p.hours_per_day.sample(g);
                let mask = p.months.iter().fold(0u16, |m, mo| m | (1 << (mo - 1)));
                pump = Some(Pump {
                    kw,
                    hours_per_day: hours,
                    night_share: p.night_start_share,
                    months_mask: mask,
                    interrupted: false,
                    id,
                    starts: (0.0, 0.0),
                    starts_day: i64::MIN,
                });
                if declared_max.is_none() {
                    max_kw = kw;
                }
            }
        }
    }
    let generator =
        has_gen.then(|| BackupGenerator { kw: d.generator_size_share.sample(g) * max_kw, fossil: gen_fossil });
    // Every draw is made: a customer left out of this world leaves the others' draws unchanged.
    if !keep {
        return;
    }
    let supplier = suppliers.of(id, service);
    let feeder = suppliers.feeder(id);
    // Components go in in a fixed order (the archetypes' order follows it).
    let mut e =
        world.spawn((Weight(weight), Meter { class: class_ix, segment: si, supplier, feeder, ..Meter::default() }));
    if let Some(b) = base {
        e.insert(b);
    }
    if let Some(b) = building {
        e.insert((b, FacilityControls::NONE));
    }
    if let Some(p) = pump {
        e.insert(p);
    }
    if let Some(a) = ac {
        e.insert(a);
        if has_tstat {
            e.insert(SmartThermostat);
        }
        if has_switch {
            e.insert(CyclingSwitch);
        }
    }
    if let Some(x) = generator {
        e.insert(x);
    }
    if has_auto_dr {
        e.insert(AutoDr);
    }
    if has_pump_ctl && seg.class == CustomerClass::Agricultural {
        e.insert(PumpControl);
    }
    e.insert(Customer {
        id,
        segment: si,
        class: seg.class,
        service,
        rate,
        meter,
        dac,
        max_demand_kw: max_kw,
        supplier,
    });
}

/// Assigns each customer its energy supplier and its place in the rotating-outage order, each
/// by its own draw (so neither shifts the population's other draws).
pub(crate) struct Suppliers<'a> {
    key: crate::rng::StreamKey,
    feeders: crate::rng::StreamKey,
    scn: &'a ValidScenario,
}

impl<'a> Suppliers<'a> {
    fn new(scn: &'a ValidScenario, rng: &SimRng) -> Self {
        Self { key: rng.stream("suppliers"), feeders: rng.stream("feeders"), scn }
    }

    /// Customer `id`'s place in the rotating-outage order (see [`Meter::feeder`]).
    fn feeder(&self, id: u32) -> u16 {
        (self.feeders.uniform(u64::from(id), 0) * 65536.0).min(65535.0) as u16
    }

    /// The supplier index of customer `id` with service type `service`.
    fn of(&self, id: u32, service: ServiceType) -> u8 {
        let names = self.scn.suppliers();
        let s = &self.scn.scenario().suppliers;
        let (shares, default) = match service {
            ServiceType::Bundled => return 0,
            ServiceType::Cca => (&s.ccas, "CCA"),
            ServiceType::DirectAccess => (&s.esps, "ESP"),
        };
        let name = match shares {
            Some(sh) => sh.pick(self.key.uniform(u64::from(id), 0)).map_or(default, String::as_str),
            None => default,
        };
        names.iter().position(|n| n == name).unwrap_or(0) as u8
    }
}

/// A house given parameter by parameter (benches and tests that mirror a peer model).
#[cfg(feature = "test-support")]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HouseSpec {
    /// Envelope resistance, °C/kW.
    pub r_c_per_kw: f64,
    /// Capacitance, kWh/°C.
    pub c_kwh_per_c: f64,
    /// Cooling capacity, kW thermal.
    pub pth_kw: f64,
    /// Coefficient of performance.
    pub cop: f64,
    /// Setpoint, °C.
    pub setpoint_c: f64,
    /// Deadband (full width), °C.
    pub deadband_c: f64,
    /// Internal gains, kW.
    pub q_int_kw: f64,
    /// Initial indoor temperature, °C.
    pub initial_temp_c: f64,
    /// Initial thermostat state.
    pub initial_on: bool,
}

/// Spawns houses with a central A/C and a cycling switch, weight 1, no other load.
///
/// House k gets customer id `first_id + k`; the step length sets each house's decay factor.
#[cfg(feature = "test-support")]
pub fn spawn_houses(world: &mut World, houses: &[HouseSpec], first_id: u32, step_minutes: u32) {
    let dt_h = f64::from(step_minutes) / 60.0;
    let batch: Vec<_> = houses
        .iter()
        .enumerate()
        .map(|(k, h)| {
            let id = first_id + k as u32;
            let slot = (id as usize % CYCLE_SLOTS) as u8;
            let unit = AcUnit::new(
                h.r_c_per_kw,
                h.c_kwh_per_c,
                h.pth_kw,
                h.cop,
                h.q_int_kw,
                h.setpoint_c,
                h.deadband_c,
                h.initial_temp_c,
                h.initial_on,
                slot,
                SWITCH_BIT,
                dt_h,
            );
            (
                Customer {
                    id,
                    segment: u16::MAX,
                    class: CustomerClass::Residential,
                    service: ServiceType::Bundled,
                    rate: 0,
                    meter: MeterType::SmartMeter,
                    dac: false,
                    max_demand_kw: h.pth_kw / h.cop,
                    supplier: 0,
                },
                Weight(1.0),
                Meter { segment: u16::MAX, ..Meter::default() },
                unit,
                CyclingSwitch,
            )
        })
        .collect();
    world.spawn_batch(batch);
}
