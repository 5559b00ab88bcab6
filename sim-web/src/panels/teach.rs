//! Teach: a guided walk through a heat-wave evening (2022-09-06), step by step, each alert and
//! each program explained in plain words as it happens.

use super::grid::capacity_alerts;
use super::{alert_words, fmt_num};
use crate::app::DashApp;
use crate::platform::now_ms;
use crate::run::RunJob;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};
use sim_core::{AlertLevel, Date, NoFiles, ProgramSpec, Response, Status, ValidScenario, hhmm, load_scenario};

/// The evening walked through.
pub const DAY: &str = "2022-09-06";
/// Where the walk starts and ends, local minutes of the day.
pub const FROM_MIN: u32 = 14 * 60;
/// End of the walk, local minute of the day.
pub const TO_MIN: u32 = 23 * 60;

/// One line of the narration.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// Local clock time.
    pub time: String,
    /// Short title.
    pub title: String,
    /// Plain-words explanation.
    pub text: String,
    /// Colour of the title.
    pub color: Color32,
}

/// The narration so far.
#[derive(Clone, Debug, Default)]
pub struct TeachState {
    /// Notes, oldest first.
    pub log: Vec<Note>,
    seen_step: usize,
    seen_issued: usize,
    seen_rows: usize,
    introduced: bool,
    playing: bool,
    seeking: bool,
    last_play_ms: f64,
    /// Why the walk could not start, if so.
    pub error: String,
}

/// Plain words for an alert level, as it is declared.
pub fn explain_alert(l: AlertLevel) -> &'static str {
    match l {
        AlertLevel::None => "The alert is over: supply again covers demand with a comfortable reserve.",
        AlertLevel::FlexAlert => {
            "A Flex Alert asks everyone to use less electricity, usually 4-9 p.m.: pre-cool the \
             house, then raise the thermostat and put off dishwashers and laundry. It is \
             voluntary and nothing is switched off."
        }
        AlertLevel::EeaWatch => {
            "An EEA Watch: CAISO, the grid operator, expects supply to be tight. It lines up \
             every power plant and import it can; utilities may call demand-response programs."
        }
        AlertLevel::Eea1 => {
            "EEA 1: every available resource is running or committed and reserves are thin. \
             Utilities call demand-response programs (A/C cycling, smart thermostats, business \
             programs) to take load off the grid."
        }
        AlertLevel::Eea2 => {
            "EEA 2: CAISO takes emergency actions. Emergency programs are called: large \
             businesses and farms on interruptible programs (TOU-BIP, AP-I) cut down to their \
             agreed level, and emergency power is bought wherever it can be found."
        }
        AlertLevel::Eea3 => {
            "EEA 3: reserves are below the minimum the grid needs to ride out a power-plant \
             failure. Rotating outages — switching neighbourhoods off for an hour or so in \
             turn — are imminent or under way."
        }
    }
}

/// Plain words for what a program does when it is called.
pub fn explain_program(spec: &ProgramSpec) -> String {
    let what = match &spec.response {
        Response::AcCycling { plans, .. } => format!(
            "a switch on each enrolled air conditioner turns the compressor off for part of \
             every half hour ({} plans, from {:.0} % to {:.0} % off); homes warm up slowly",
            plans.len(),
            plans.iter().map(|p| p.off_fraction).fold(f64::INFINITY, f64::min) * 100.0,
            plans.iter().map(|p| p.off_fraction).fold(0.0, f64::max) * 100.0
        ),
        Response::Thermostat { setpoint_offset_c, .. } => format!(
            "smart thermostats are raised by {setpoint_offset_c:.1} °C, so A/Cs run less; \
             anyone too warm can override"
        ),
        Response::PumpInterrupt => "farm water pumps are switched off automatically for the event".to_string(),
        Response::FirmServiceLevel { .. } => {
            "large businesses cut their load down to their Firm Service Level within 15 or 30 \
             minutes, or pay a penalty"
                .to_string()
        }
        Response::Nomination { .. } => {
            "businesses deliver the kW they offered (nominated) for the month, through their \
             aggregator"
                .to_string()
        }
        Response::Voluntary { .. } => {
            "businesses are asked to cut load; they are paid for what they deliver and face no \
             penalty if they cannot"
                .to_string()
        }
        Response::Price { price_ratio, .. } => format!(
            "electricity costs about {price_ratio:.0}× the usual price during the event, so \
             customers use less or shift it to later"
        ),
        Response::RealTimePrice { .. } => {
            "hourly prices follow a schedule picked by yesterday's heat; customers use less \
             when prices peak"
                .to_string()
        }
    };
    format!("{}: {what}.", spec.name)
}

fn day() -> Option<Date> {
    sim_core::parse_date(DAY).ok()
}

fn covers_day(scn: &ValidScenario) -> bool {
    day().is_some_and(|d| scn.first_day() <= d && d <= scn.last_day())
}

impl TeachState {
    fn push(&mut self, time: String, title: String, text: String, color: Color32) {
        self.log.push(Note { time, title, text, color });
    }

    /// Narrates everything that happened since the last call.
    pub fn catch_up(&mut self, job: &RunJob) {
        let sim = &job.sim;
        let steps = sim.steps();
        if !self.introduced {
            if job.stop_at_utc.is_none_or(|t| sim.clock().now.utc_s < t) {
                return;
            }
            self.introduce(job);
            return;
        }
        let ps = sim.programs();
        for row in ps.rows().iter().skip(self.seen_rows) {
            let q = &row.request;
            let (title, color, text) = match row.status {
                Status::Called => (
                    format!("{} called", q.program),
                    Color32::from_rgb(40, 150, 60),
                    format!(
                        "The operator calls {} for {} {}–{} (trigger: {}).",
                        q.program,
                        q.date,
                        hhmm(q.start_min),
                        hhmm(q.end_min),
                        q.trigger
                    ),
                ),
                Status::Refused => (
                    format!("{} request refused", q.program),
                    Color32::from_rgb(210, 50, 40),
                    format!(
                        "A request to call {} {}–{} is refused by the program's rules: {}.",
                        q.program,
                        hhmm(q.start_min),
                        hhmm(q.end_min),
                        row.reason.as_ref().map(ToString::to_string).unwrap_or_default()
                    ),
                ),
            };
            let time = format!("{} {}", row.issued.0, hhmm(row.issued.1));
            self.push(time, title, text, color);
        }
        self.seen_rows = ps.rows().len();
        if let Some(g) = sim.grid() {
            for a in g.issued().iter().skip(self.seen_issued) {
                let t = |u: i64| sim.clock().local(u).map(|l| l.local_text()).unwrap_or_default();
                self.push(
                    t(a.issued_utc_s),
                    format!("{} issued for tomorrow", alert_words(a.level)),
                    format!(
                        "The forecast for tomorrow shows a reserve margin of only {:.1} %, so \
                         CAISO issues a {} for {} to {}. {}",
                        a.forecast_margin_pct,
                        alert_words(a.level),
                        t(a.start_utc_s),
                        t(a.end_utc_s),
                        explain_alert(a.level)
                    ),
                    super::alert_color(a.level),
                );
            }
            self.seen_issued = g.issued().len();
        }
        for i in self.seen_step..steps.len() {
            let s = &steps[i];
            let prev = i.checked_sub(1).map(|k| &steps[k]);
            let time = s.time.local_text();
            if let Some(p) = prev {
                if s.alert != p.alert {
                    let verb = if s.alert > p.alert { "declared" } else { "lifted" };
                    let title = if s.alert > p.alert {
                        format!("{} {verb}", alert_words(s.alert))
                    } else {
                        format!("{} {verb}; now {}", alert_words(p.alert), alert_words(s.alert))
                    };
                    self.push(
                        time.clone(),
                        title,
                        format!(
                            "Reserve margin {:.1} % (load {} MW, supply {} MW). {}",
                            s.reserve_margin_pct,
                            fmt_num(s.system_load_mw, 0),
                            fmt_num(s.supply_mw, 0),
                            explain_alert(s.alert)
                        ),
                        super::alert_color(s.alert.max(p.alert)),
                    );
                }
                let started = s.active_programs - p.active_programs;
                let ended = p.active_programs - s.active_programs;
                for k in 0..ps.ids().len().min(sim_core::MAX_PROGRAMS) {
                    if started.contains(k) {
                        self.push(
                            time.clone(),
                            format!("{} event starts", ps.ids()[k]),
                            ps.spec(k).map(explain_program).unwrap_or_default(),
                            Color32::from_rgb(31, 119, 180),
                        );
                    }
                    if ended.contains(k) {
                        let mw = p.program_reduction_mw.get(k).copied().unwrap_or(0.0);
                        self.push(
                            time.clone(),
                            format!("{} event ends", ps.ids()[k]),
                            format!(
                                "It was taking about {} MW off the grid at the end. Devices \
                                 switch back on and homes cool down again, so load bounces \
                                 back for a while (the \"snapback\").",
                                fmt_num(mw, 0)
                            ),
                            Color32::GRAY,
                        );
                    }
                }
                if s.unserved_mw > 0.0 && p.unserved_mw <= 0.0 {
                    self.push(
                        time.clone(),
                        "Rotating outages begin".into(),
                        format!(
                            "{} MW of customers, about {} of them, are switched off in turn to \
                             keep the grid stable. Their air conditioners stop; when power comes \
                             back they all start at once.",
                            fmt_num(s.unserved_mw, 0),
                            fmt_num(s.system_customers_out, 0)
                        ),
                        super::alert_color(AlertLevel::Eea3),
                    );
                }
                if s.unserved_mw <= 0.0 && p.unserved_mw > 0.0 {
                    self.push(
                        time.clone(),
                        "Rotating outages end".into(),
                        "Everyone's power is back on.".into(),
                        Color32::GRAY,
                    );
                }
            }
        }
        self.seen_step = steps.len();
    }

    fn introduce(&mut self, job: &RunJob) {
        let sim = &job.sim;
        let steps = sim.steps();
        let snap = sim.snapshot();
        let earlier: Vec<String> = sim
            .grid()
            .map(|g| {
                g.issued()
                    .iter()
                    .map(|a| {
                        let t = |u: i64| sim.clock().local(u).map(|l| l.local_text()).unwrap_or_default();
                        format!("{} for {}", alert_words(a.level), t(a.start_utc_s))
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.push(
            snap.time.clone(),
            "Tuesday 6 September 2022, 2 p.m.".into(),
            format!(
                "A heat wave has baked California for a week; downtown Los Angeles is {:.0} °C. \
                 The grid carries {} MW with {} MW available: a reserve margin of {:.1} %. \
                 Solar power fades after 6 p.m. while air conditioners keep running, so the \
                 hardest hours are 5-9 p.m. Alerts so far this week: {}. Press Next to move \
                 the clock on.",
                snap.outdoor_temp_c,
                fmt_num(snap.system_load_mw, 0),
                fmt_num(snap.supply_mw, 0),
                snap.reserve_margin_pct,
                if earlier.is_empty() { "none".to_string() } else { earlier.join("; ") }
            ),
            Color32::from_rgb(31, 119, 180),
        );
        self.introduced = true;
        self.seen_step = steps.len();
        self.seen_rows = sim.programs().rows().len();
        self.seen_issued = sim.grid().map_or(0, |g| g.issued().len());
    }

    fn status_note(&mut self, job: &RunJob) {
        let s = job.sim.snapshot();
        let t = s.time.get(11..16).unwrap_or_default().to_string();
        self.push(
            s.time.clone(),
            format!("{t} — {}", alert_words(s.alert)),
            format!(
                "{:.1} °C outside · load {} MW · supply {} MW · reserve {:.1} %",
                s.outdoor_temp_c,
                fmt_num(s.system_load_mw, 0),
                fmt_num(s.supply_mw, 0),
                s.reserve_margin_pct
            ),
            Color32::DARK_GRAY,
        );
    }
}

fn start(app: &mut DashApp) {
    let scn = match &app.next {
        Ok(s) if covers_day(s) => Ok(s.clone()),
        _ => load_scenario(sim_core::data::default_scenario(), "default.toml", &app.overrides(), &NoFiles)
            .or_else(|_| load_scenario(sim_core::data::default_scenario(), "default.toml", &[], &NoFiles))
            .map_err(|e| e.to_string()),
    };
    app.teach = TeachState::default();
    match scn {
        Ok(scn) => {
            let mut job = RunJob::new(&scn, app.seed, format!("{}, evening of {DAY}", scn.scenario().name));
            let stop = day().and_then(|d| job.sim.clock().utc_of_local(d, FROM_MIN).ok());
            job.stop_at_utc = stop;
            app.runner.borrow_mut().teach = Some(job);
        }
        Err(e) => app.teach.error = e,
    }
}

fn advance_minutes(job: &mut RunJob, minutes: i64) {
    let now = job.sim.clock().now.utc_s;
    job.stop_at_utc = Some(now + minutes * 60);
}

fn end_utc(job: &RunJob) -> Option<i64> {
    day().and_then(|d| job.sim.clock().utc_of_local(d, TO_MIN).ok())
}

/// The Teach panel.
pub fn show(app: &mut DashApp, ui: &mut egui::Ui) {
    let runner_rc = app.runner.clone();
    ui.horizontal_wrapped(|ui| {
        ui.heading("Teach: a heat-wave evening, 6 September 2022");
        let r = ui.button("Start the walk");
        app.target("teach:start", &r);
        if r.clicked() {
            start(app);
        }
    });
    if !app.teach.error.is_empty() {
        ui.colored_label(Color32::RED, &app.teach.error);
    }
    let mut runner = runner_rc.borrow_mut();
    let Some(job) = &mut runner.teach else {
        ui.label(
            "The walk runs the default scenario (with your edits, if any) to 2 p.m. on 6 \
             September 2022 — the day CAISO's load hit its all-time record — then moves the \
             clock on at your pace and explains each alert and each program as it happens.",
        );
        return;
    };
    let at_stop = job.stop_at_utc.is_some_and(|t| job.sim.clock().now.utc_s >= t);
    let end = end_utc(job);
    let over = end.is_some_and(|e| job.sim.clock().now.utc_s >= e) || job.finished();
    if !app.teach.introduced {
        ui.add(
            egui::ProgressBar::new(job.progress())
                .text(format!("running up to {DAY} 14:00 … {}", job.sim.snapshot().time)),
        );
    }
    app.teach.catch_up(job);
    // Seeking the next happening: one step at a time, a bounded number per frame.
    if app.teach.seeking && app.teach.introduced {
        let before = app.teach.log.len();
        for _ in 0..24 {
            if over || app.teach.log.len() > before {
                break;
            }
            job.stop_at_utc = None;
            job.step_n(1);
            app.teach.catch_up(job);
        }
        let now = job.sim.clock().now.utc_s;
        job.stop_at_utc = Some(now);
        if app.teach.log.len() > before || over {
            app.teach.seeking = false;
        }
        ui.ctx().request_repaint();
    }
    if app.teach.playing && at_stop && !over && now_ms() - app.teach.last_play_ms > 1200.0 {
        app.teach.last_play_ms = now_ms();
        advance_minutes(job, 5);
        ui.ctx().request_repaint();
    } else if app.teach.playing {
        ui.ctx().request_repaint();
    }
    let mut clicked = None;
    if app.teach.introduced {
        ui.horizontal_wrapped(|ui| {
            for (name, label, minutes) in [
                ("teach:next", "Next 5 min", 5),
                ("teach:next15", "Next 15 min", 15),
                ("teach:next60", "Next hour", 60),
            ] {
                let r = ui.add_enabled(at_stop && !over, egui::Button::new(label));
                app.target(name, &r);
                if r.clicked() {
                    clicked = Some(minutes);
                }
            }
            let r = ui.add_enabled(at_stop && !over, egui::Button::new("Next happening"));
            app.target("teach:seek", &r);
            if r.clicked() {
                app.teach.seeking = true;
            }
            let label = if app.teach.playing { "Stop playing" } else { "Play" };
            if ui.button(label).clicked() {
                app.teach.playing = !app.teach.playing;
            }
            ui.label(RichText::new(job.sim.snapshot().time).monospace());
            if over {
                ui.label("The evening is over: 11 p.m.");
            }
        });
    }
    if let Some(m) = clicked {
        advance_minutes(job, m);
        let stop = job.stop_at_utc;
        // Step right away so the narration follows the click in the same frame.
        job.step_n(u64::try_from(m).unwrap_or(0) * 60 / (job.dt_h * 3600.0).max(1.0) as u64);
        job.stop_at_utc = stop;
        app.teach.catch_up(job);
        app.teach.status_note(job);
    }
    let job: &RunJob = job;
    egui::Panel::right("teach-status").resizable(true).default_size(330.0).show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            evening_plot(ui, job);
            capacity_alerts(ui, job);
        });
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for (k, n) in app.teach.log.iter().enumerate().rev() {
                let latest = k + 1 == app.teach.log.len();
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(n.time.get(11..16).unwrap_or(&n.time)).monospace());
                        let t = RichText::new(&n.title).color(n.color).strong();
                        ui.label(if latest { t.size(17.0) } else { t });
                    });
                    ui.label(&n.text);
                });
            }
        });
    });
}

fn evening_plot(ui: &mut egui::Ui, job: &RunJob) {
    let steps = job.sim.steps();
    let dt = job.dt_h;
    // The afternoon and evening of the day, x in hours of the day.
    let from = steps.iter().position(|s| s.time.date.to_string() == DAY && s.time.minute_of_day >= 12 * 60);
    let day: &[sim_core::StepRecord] = match from {
        Some(a) => {
            let b = steps[a..].iter().position(|s| s.time.date.to_string() != DAY).map_or(steps.len(), |k| a + k);
            &steps[a..b]
        }
        None => &[],
    };
    let h0 = day.first().map_or(12.0, |s| f64::from(s.time.minute_of_day) / 60.0);
    let pts = |f: fn(&sim_core::StepRecord) -> f64| -> PlotPoints<'static> {
        day.iter().enumerate().map(|(i, s)| [h0 + i as f64 * dt, f(s) / 1000.0]).collect()
    };
    let now_h = job.sim.snapshot().time.get(11..16).and_then(|t| {
        let (h, m) = t.split_once(':')?;
        Some(h.parse::<f64>().ok()? + m.parse::<f64>().ok()? / 60.0)
    });
    Plot::new("teach-evening-of-the-day")
        .height(220.0)
        .legend(Legend::default())
        .default_x_bounds(12.0, 23.5)
        .y_axis_label("GW")
        .x_axis_formatter(|m, _| {
            let mins = (m.value * 60.0).round() as i64;
            format!("{:02}:{:02}", mins.div_euclid(60), mins.rem_euclid(60))
        })
        .show(ui, |p| {
            super::alert_bands_from(p, day, h0, dt);
            p.line(Line::new("supply", pts(|s| s.supply_mw)).color(Color32::from_rgb(44, 160, 44)));
            p.line(Line::new("load", pts(|s| s.system_load_mw)).color(Color32::from_rgb(31, 119, 180)));
            if let Some(h) = now_h.filter(|_| !day.is_empty()) {
                p.vline(VLine::new("now", h).color(Color32::DARK_GRAY));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_program_of_the_book_is_explained_in_plain_words() {
        let scn = load_scenario(sim_core::data::default_scenario(), "d.toml", &[], &NoFiles).unwrap();
        for spec in scn.book().programs.values() {
            let t = explain_program(spec);
            assert!(t.starts_with(&spec.name) && t.len() > 40, "{t}");
        }
        assert!(covers_day(&scn));
        for l in AlertLevel::ALL {
            assert!(explain_alert(l).len() > 40);
        }
    }
}
