//! Alert levels (DOMAIN.md §2) and the real-time declaration logic.

use crate::scenario::AlertParams;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// CAISO alert levels in rising order of severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AlertLevel {
    /// No alert.
    #[default]
    None,
    /// Call for voluntary conservation, issued ahead.
    FlexAlert,
    /// Energy deficiency anticipated (day-ahead or real-time horizon).
    #[serde(rename = "EEAWatch")]
    EeaWatch,
    /// All resources in use or committed; concern about reserves.
    #[serde(rename = "EEA1")]
    Eea1,
    /// Load management in effect; emergency DR called.
    #[serde(rename = "EEA2")]
    Eea2,
    /// Unable to meet minimum contingency reserves; rotating outages imminent or in progress.
    #[serde(rename = "EEA3")]
    Eea3,
}

impl AlertLevel {
    /// All levels in rising order.
    pub const ALL: [AlertLevel; 6] = [Self::None, Self::FlexAlert, Self::EeaWatch, Self::Eea1, Self::Eea2, Self::Eea3];

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::FlexAlert => "FlexAlert",
            Self::EeaWatch => "EEAWatch",
            Self::Eea1 => "EEA1",
            Self::Eea2 => "EEA2",
            Self::Eea3 => "EEA3",
        }
    }

    /// The real-time reserve threshold below which this level is declared (EEA levels only).
    pub fn threshold(self, p: &AlertParams) -> Option<f64> {
        match self {
            Self::Eea1 => Some(p.eea1_margin_pct),
            Self::Eea2 => Some(p.eea2_margin_pct),
            Self::Eea3 => Some(p.eea3_margin_pct),
            _ => None,
        }
    }
}

impl fmt::Display for AlertLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AlertLevel {
    type Err = crate::scenario::UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|l| l.name() == s).ok_or_else(|| crate::scenario::UnknownName {
            text: s.to_string(),
            kind: "an alert level",
            // `None` parses but is not offered: files name the levels that were declared.
            expected: Self::ALL[1..].iter().map(|l| l.name()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// The level the reserve margin alone calls for.
pub fn level_for_margin(margin_pct: f64, p: &AlertParams) -> AlertLevel {
    if margin_pct < p.eea3_margin_pct {
        AlertLevel::Eea3
    } else if margin_pct < p.eea2_margin_pct {
        AlertLevel::Eea2
    } else if margin_pct < p.eea1_margin_pct {
        AlertLevel::Eea1
    } else {
        AlertLevel::None
    }
}

/// The real-time (EEA 1-3) declaration state.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RtAlertState {
    /// Declared level (None, EEA1, EEA2 or EEA3).
    pub level: AlertLevel,
    /// When the current level was declared, UTC seconds.
    pub since_utc_s: i64,
}

impl RtAlertState {
    /// Updates the declaration for a new reserve margin at `now`.
    ///
    /// Escalation is immediate. A level is held at least `min_duration_minutes`, then steps down
    /// one level at a time once the margin is `clear_hysteresis_pct` above that level's threshold.
    pub fn update(&mut self, margin_pct: f64, now_utc_s: i64, p: &AlertParams) {
        let want = level_for_margin(margin_pct, p);
        if want > self.level {
            *self = Self { level: want, since_utc_s: now_utc_s };
            return;
        }
        let held = now_utc_s - self.since_utc_s >= i64::from(p.min_duration_minutes) * 60;
        if let Some(th) = self.level.threshold(p)
            && held
            && margin_pct >= th + p.clear_hysteresis_pct
        {
            let lower = match self.level {
                AlertLevel::Eea3 => AlertLevel::Eea2,
                AlertLevel::Eea2 => AlertLevel::Eea1,
                _ => AlertLevel::None,
            };
            *self = Self { level: lower.max(want), since_utc_s: now_utc_s };
        }
    }
}

/// A day-ahead alert (Flex Alert or EEA Watch) issued for a window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IssuedAlert {
    /// FlexAlert or EEAWatch.
    pub level: AlertLevel,
    /// When it was issued, UTC seconds.
    pub issued_utc_s: i64,
    /// Window start, UTC seconds.
    pub start_utc_s: i64,
    /// Window end (exclusive), UTC seconds.
    pub end_utc_s: i64,
    /// The forecast reserve margin that triggered it, %.
    pub forecast_margin_pct: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> AlertParams {
        AlertParams::default()
    }

    #[test]
    fn levels_follow_the_margin_thresholds() {
        let p = p();
        assert_eq!(level_for_margin(25.0, &p), AlertLevel::None);
        assert_eq!(level_for_margin(p.eea1_margin_pct - 0.1, &p), AlertLevel::Eea1);
        assert_eq!(level_for_margin(p.eea2_margin_pct - 0.1, &p), AlertLevel::Eea2);
        assert_eq!(level_for_margin(p.eea3_margin_pct - 0.1, &p), AlertLevel::Eea3);
        assert_eq!(level_for_margin(p.eea1_margin_pct, &p), AlertLevel::None);
    }

    #[test]
    fn escalation_is_immediate_and_step_down_waits_and_needs_hysteresis() {
        let p = p();
        let mut s = RtAlertState::default();
        s.update(p.eea3_margin_pct - 1.0, 0, &p);
        assert_eq!(s.level, AlertLevel::Eea3);
        // Margin recovers fully, but the level is held for min_duration.
        s.update(30.0, 30 * 60, &p);
        assert_eq!(s.level, AlertLevel::Eea3);
        // After the hold it steps down one level at a time.
        s.update(30.0, 60 * 60, &p);
        assert_eq!(s.level, AlertLevel::Eea2);
        s.update(30.0, 90 * 60, &p);
        assert_eq!(s.level, AlertLevel::Eea2);
        s.update(30.0, 120 * 60, &p);
        assert_eq!(s.level, AlertLevel::Eea1);
        // Just above the threshold but within the hysteresis band: held.
        s.update(p.eea1_margin_pct + 0.5 * p.clear_hysteresis_pct, 200 * 60, &p);
        assert_eq!(s.level, AlertLevel::Eea1);
        s.update(p.eea1_margin_pct + p.clear_hysteresis_pct, 210 * 60, &p);
        assert_eq!(s.level, AlertLevel::None);
    }

    #[test]
    fn names_round_trip() {
        for l in AlertLevel::ALL {
            assert_eq!(l.name().parse::<AlertLevel>(), Ok(l));
        }
        assert!("Stage3".parse::<AlertLevel>().is_err());
    }
}
