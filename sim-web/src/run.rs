//! Runs in progress: a `Sim` stepped a bounded amount at a time, with what the panels need
//! beside the recorded steps (segment views over time, the summary when done).

use crate::platform::now_ms;
use sim_core::{RunSummary, SegmentView, Sim, ValidScenario, segment_views};

/// Steps between two samples of the segment views (the customers panel's time series).
const SEGMENT_SAMPLE_STEPS: u64 = 3;

/// One run of a scenario with a seed, stepped by the dashboard.
pub struct RunJob {
    /// What the run is (shown in the UI), e.g. `default, seed 2022`.
    pub label: String,
    /// The simulation.
    pub sim: Sim,
    /// Held: the runner does not step it.
    pub paused: bool,
    /// Pause when the clock reaches this UTC second (the Teach panel's stops).
    pub stop_at_utc: Option<i64>,
    /// Segment views sampled during the run: (hours since the start, views).
    pub segments: Vec<(f64, Vec<SegmentView>)>,
    /// Wall time spent stepping, ms.
    pub compute_ms: f64,
    /// The summary, once every step has run.
    pub summary: Option<RunSummary>,
    /// The summary as `summary.json` text (byte-identical to `drsim run`'s), once done.
    pub summary_json: Option<String>,
    /// Step length, hours.
    pub dt_h: f64,
    /// The summary of the steps so far, with the step it was made at (panels draw every frame;
    /// a summary settles every program, so it is made at most once per step reached).
    partial: std::cell::RefCell<Option<(u64, std::rc::Rc<RunSummary>)>>,
}

impl RunJob {
    /// A run of `scn` with `seed`, ready to step (not paused).
    pub fn new(scn: &ValidScenario, seed: u64, label: impl Into<String>) -> Self {
        let t0 = now_ms();
        let sim = Sim::new(scn, seed);
        let dt_h = sim.clock().dt_hours();
        let mut job = Self {
            label: label.into(),
            sim,
            paused: false,
            stop_at_utc: None,
            segments: vec![],
            compute_ms: 0.0,
            summary: None,
            summary_json: None,
            dt_h,
            partial: std::cell::RefCell::new(None),
        };
        job.sample_segments();
        job.compute_ms = now_ms() - t0;
        job.finish_if_done();
        job
    }

    /// The summary so far: the final one once the run is done, else one of the steps run so far.
    pub fn summary_so_far(&self) -> std::rc::Rc<RunSummary> {
        let step = self.sim.clock().step;
        let mut cache = self.partial.borrow_mut();
        match &*cache {
            Some((at, s)) if *at == step => s.clone(),
            _ => {
                let s = std::rc::Rc::new(self.summary.clone().unwrap_or_else(|| self.sim.summary()));
                *cache = Some((step, s.clone()));
                s
            }
        }
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.sim.finished()
    }

    /// Share of the steps done, 0 to 1.
    pub fn progress(&self) -> f32 {
        let c = self.sim.clock();
        if c.steps_total == 0 { 1.0 } else { (c.step as f64 / c.steps_total as f64) as f32 }
    }

    /// Whether the runner should step this run now.
    pub fn wants_steps(&self) -> bool {
        !self.paused && !self.finished() && !self.at_stop()
    }

    fn at_stop(&self) -> bool {
        self.stop_at_utc.is_some_and(|t| self.sim.clock().now.utc_s >= t)
    }

    /// Runs at most `n` steps (stopping at `stop_at_utc`); returns how many ran.
    pub fn step_n(&mut self, n: u64) -> u64 {
        let t0 = now_ms();
        let mut k = 0;
        while k < n && !self.at_stop() && self.sim.step() {
            k += 1;
            if self.sim.clock().step.is_multiple_of(SEGMENT_SAMPLE_STEPS) {
                self.sample_segments();
            }
        }
        self.compute_ms += now_ms() - t0;
        self.finish_if_done();
        k
    }

    fn sample_segments(&mut self) {
        let h = self.sim.clock().step as f64 * self.dt_h;
        self.segments.push((h, segment_views(&self.sim)));
    }

    fn finish_if_done(&mut self) {
        if self.finished() && self.summary.is_none() {
            let s = self.sim.summary();
            self.summary_json = Some(s.to_json());
            self.summary = Some(s);
        }
    }
}

/// How fast runs advance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// This many steps per tick (a tick is a frame natively, a timer tick in the browser).
    Steps(u64),
    /// As many steps as fit in the tick's time budget.
    Max,
}

impl Speed {
    /// The choices offered in the UI.
    pub const CHOICES: [(Speed, &'static str); 4] = [
        (Speed::Steps(1), "slow (1 step a tick)"),
        (Speed::Steps(3), "medium (15 min a tick)"),
        (Speed::Steps(12), "fast (1 h a tick)"),
        (Speed::Max, "max"),
    ];
}

/// Every run the dashboard holds, stepped together within a time budget.
pub struct Runner {
    /// The run of the Scenario panel (shown by Grid, Programs, Customers, Settlement).
    pub main: Option<RunJob>,
    /// Compare: A (the book) and B (the edited book), same seed.
    pub compare: Option<[RunJob; 2]>,
    /// The Teach panel's run.
    pub teach: Option<RunJob>,
    /// How fast runs advance.
    pub speed: Speed,
    /// Steps run by the runner so far (all runs).
    pub steps_done: u64,
}

impl Default for Runner {
    fn default() -> Self {
        Self { main: None, compare: None, teach: None, speed: Speed::Max, steps_done: 0 }
    }
}

impl Runner {
    /// The runs, each with whether it always runs at full speed (the Teach panel's fast-forward).
    fn jobs_mut(&mut self) -> Vec<(&mut RunJob, bool)> {
        let mut v: Vec<(&mut RunJob, bool)> = vec![];
        if let Some(j) = &mut self.main {
            v.push((j, false));
        }
        if let Some([a, b]) = &mut self.compare {
            v.push((a, false));
            v.push((b, false));
        }
        if let Some(j) = &mut self.teach {
            v.push((j, true));
        }
        v
    }

    /// Whether any run wants steps.
    pub fn busy(&self) -> bool {
        self.main.as_ref().is_some_and(RunJob::wants_steps)
            || self.compare.as_ref().is_some_and(|c| c.iter().any(RunJob::wants_steps))
            || self.teach.as_ref().is_some_and(RunJob::wants_steps)
    }

    /// Advances the runs that want steps: by the speed's steps, or (at `Max`) as many as fit in
    /// about `budget_ms` of wall time; returns the number of steps run.
    pub fn advance(&mut self, budget_ms: f64) -> u64 {
        let t0 = now_ms();
        let speed = self.speed;
        let mut total = 0;
        if let Speed::Steps(n) = speed {
            for (j, always_max) in self.jobs_mut() {
                if !always_max && j.wants_steps() {
                    total += j.step_n(n);
                }
            }
        }
        loop {
            let mut ran = 0;
            for (j, always_max) in self.jobs_mut() {
                if (speed == Speed::Max || always_max) && j.wants_steps() {
                    ran += j.step_n(4);
                }
            }
            total += ran;
            if ran == 0 || now_ms() - t0 >= budget_ms {
                break;
            }
        }
        self.steps_done += total;
        total
    }
}
