//! Enrolment at the start of a run: customers apply per the scenario's shares, and are enrolled
//! only where eligible and where dual participation is allowed; rejections are counted by reason.

use super::book::{Device, Response};
use super::eligibility::{CustomerView, check_dual, check_eligibility};
use super::state::{Enrolment, ProgramState, ProgramStats};
use crate::customers::{Customer, Segments, Weight};
use crate::devices::pump::KW_PER_HP;
use crate::devices::{
    AirConditioner, AutoDr, BackupGenerator, Building, CyclingSwitch, Pump, PumpControl, SmartThermostat,
};
use crate::rng::SimRng;
use crate::scenario::{Channel, ValidScenario};
use bevy_ecs::prelude::*;
use rand::RngExt;

struct Facts {
    entity: Entity,
    customer: Customer,
    weight: f64,
    devices: Vec<Device>,
    reducible_kw: f64,
    horsepower: Option<f64>,
    generator: Option<BackupGenerator>,
    auto_dr: bool,
}

/// Enrols the customers (those enrolled in a program get an `Enrolment`) and installs the devices
/// programs install (cycling switches, pump controls). Draws go by customer id, so a world holding
/// only some customers enrols them exactly as the whole population's world does.
pub fn enrol_population(world: &mut World, scn: &ValidScenario, programs: &ProgramState, rng: &SimRng) -> ProgramStats {
    let n = programs.ids.len();
    let mut stats = ProgramStats {
        enrolled_customers: vec![0.0; n],
        enrolled_agents: vec![0; n],
        notifications: vec![[0.0; 4]; n],
        opt_outs: vec![0.0; n],
        overrides: vec![0.0; n],
        ..Default::default()
    };
    let mut q = world.query::<(
        Entity,
        &Customer,
        &Weight,
        Option<&AirConditioner>,
        Option<&SmartThermostat>,
        Option<&CyclingSwitch>,
        Option<&Building>,
        Option<&Pump>,
        Option<&PumpControl>,
        Option<&AutoDr>,
        Option<&BackupGenerator>,
    )>();
    let mut facts: Vec<Facts> = q
        .iter(world)
        .map(|(e, c, w, ac, ts, sw, b, p, pc, ad, g)| {
            let mut devices = vec![];
            if ac.is_some() {
                devices.push(Device::CentralAc);
            }
            if ts.is_some() {
                devices.push(Device::SmartThermostat);
            }
            if sw.is_some() {
                devices.push(Device::CyclingSwitch);
            }
            if p.is_some() {
                devices.push(Device::Pump);
            }
            if pc.is_some() {
                devices.push(Device::PumpControl);
            }
            if ad.is_some() {
                devices.push(Device::AutoDr);
            }
            let building_flex = b.map_or(0.0, |b| b.flexible_share * c.max_demand_kw);
            let ac_kw = ac.map_or(0.0, |a| a.elec_kw);
            let pump_kw = p.map_or(0.0, |p| p.kw);
            let gen_kw = g.filter(|g| !g.fossil).map_or(0.0, |g| g.kw);
            Facts {
                entity: e,
                customer: c.clone(),
                weight: w.0,
                devices,
                reducible_kw: building_flex + ac_kw + pump_kw + gen_kw,
                horsepower: p.map(|p| p.kw * 0.9 / KW_PER_HP),
                generator: g.copied(),
                auto_dr: ad.is_some(),
            }
        })
        .collect();
    facts.sort_by_key(|f| f.customer.id);
    let segments = world.resource::<Segments>().clone();
    let s = scn.scenario();
    let mut g = rng.fork("enrolment");
    let channels = &s.behaviour.channels;
    // Customers left out of this world (see `spawn_population`'s `keep`) still make their draws.
    let mut next_id = 0u32;
    for f in &facts {
        while next_id < f.customer.id {
            let _: Channel = channels.sample(&mut g);
            for _ in 0..3 * programs.ids.len() {
                let _: f64 = g.random();
            }
            next_id += 1;
        }
        next_id = f.customer.id.saturating_add(1);
        let seg = s.population.get(f.customer.segment as usize);
        let rate = segments.rates.get(f.customer.rate as usize).map_or("", String::as_str);
        let view = CustomerView {
            class: f.customer.class,
            service: f.customer.service,
            meter: f.customer.meter,
            rate,
            max_demand_kw: f.customer.max_demand_kw,
            horsepower: f.horsepower,
            reducible_kw: f.reducible_kw,
            devices: f.devices.clone(),
        };
        let channel: Channel = channels.sample(&mut g);
        let mut en = Enrolment {
            channel: Channel::ALL.iter().position(|c| *c == channel).unwrap_or(0) as u8,
            auto_dr: f.auto_dr,
            generator_kw: f.generator.map_or(0.0, |x| x.kw),
            generator_fossil: f.generator.is_some_and(|x| x.fossil),
            dac: f.customer.dac,
            flexible_kw: f.reducible_kw,
            last_event_day: i64::MIN,
            ..Default::default()
        };
        let mut enrolled: Vec<&str> = vec![];
        for (p, id) in programs.ids.iter().enumerate() {
            let share = seg.and_then(|sg| sg.enrolment.get(id)).or_else(|| s.enrolment.get(id)).copied().unwrap_or(0.0);
            // Every customer draws for every program, so shares of one program never shift another's draws.
            let u: f64 = g.random();
            let u_plan: f64 = g.random();
            let u_size: f64 = g.random();
            if u >= share {
                continue;
            }
            let spec = &programs.specs[p];
            if !spec.enabled {
                continue;
            }
            let verdict =
                check_eligibility(spec, &view).and_then(|()| check_dual(programs.judge.book(), id, &enrolled));
            if let Err(reason) = verdict {
                *stats.rejections.entry((id.clone(), reason.key())).or_insert(0.0) += f.weight;
                continue;
            }
            enrolled.push(id);
            en.enrolled.insert(p);
            stats.enrolled_customers[p] += f.weight;
            stats.enrolled_agents[p] += 1;
            match &spec.response {
                Response::AcCycling { plans, .. } => {
                    let mut acc = 0.0;
                    let k = plans.iter().position(|pl| {
                        acc += pl.share;
                        u_plan < acc
                    });
                    en.plan = k.unwrap_or(plans.len().saturating_sub(1)) as u8;
                }
                Response::FirmServiceLevel { options_minutes, option_shares, .. } => {
                    let mut acc = 0.0;
                    let k = option_shares.iter().position(|sh| {
                        acc += sh;
                        u_plan < acc
                    });
                    en.option_minutes = options_minutes.get(k.unwrap_or(0)).copied().unwrap_or(15) as u16;
                    // The committed reduction lies between the eligibility minimum and all the
                    // customer can shed; the FSL is max demand minus the commitment.
                    let min_red = spec
                        .eligibility
                        .min_reduction_kw
                        .unwrap_or(0.0)
                        .max(spec.eligibility.min_reduction_share.unwrap_or(0.0) * f.customer.max_demand_kw);
                    let commit = min_red + (f.reducible_kw - min_red).max(0.0) * u_size;
                    en.fsl_kw = (f.customer.max_demand_kw - commit).max(0.0);
                }
                Response::Nomination { nomination_share, .. } => {
                    let mut r = small_rng(u_size);
                    en.nomination_kw = nomination_share.sample(&mut r) * f.reducible_kw;
                }
                _ => {}
            }
        }
        // Only enrolled customers carry an `Enrolment`: systems that serve programs touch them alone.
        if !en.enrolled.is_empty() {
            let mut e = world.entity_mut(f.entity);
            install(&mut e, programs, &en);
            if let Some(mut m) = e.get_mut::<crate::customers::Meter>() {
                m.programs = en.enrolled;
            }
            e.insert(en);
        }
    }
    stats
}

/// Installs what enrolment installs: a cycling switch answering to the plan's control bit, a pump control.
fn install(e: &mut EntityWorldMut<'_>, programs: &ProgramState, en: &Enrolment) {
    for p in en.enrolled.iter() {
        let spec = &programs.specs[p];
        for d in &spec.eligibility.installs_devices {
            match d {
                Device::CyclingSwitch => {
                    let bit = programs.plan_bits[p].get(en.plan as usize).copied().unwrap_or(0);
                    if let Some(mut ac) = e.get_mut::<AirConditioner>() {
                        ac.control_mask |= bit;
                    }
                    if !e.contains::<CyclingSwitch>() {
                        e.insert(CyclingSwitch);
                    }
                }
                Device::PumpControl => {
                    if !e.contains::<PumpControl>() {
                        e.insert(PumpControl);
                    }
                }
                _ => {}
            }
        }
    }
}

/// A small generator seeded from a uniform draw (for per-customer distribution samples).
pub(crate) fn small_rng(u: f64) -> rand_chacha::ChaCha8Rng {
    use rand_chacha::rand_core::SeedableRng;
    rand_chacha::ChaCha8Rng::seed_from_u64(u.to_bits())
}
