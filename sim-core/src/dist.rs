//! Probability distributions a scenario can give for any drawn quantity, and categorical shares.
//!
//! In a scenario a quantity is either a plain number (`tons = 3.5`) or a table naming the
//! distribution (`tons = { dist = "normal", mean = 3.5, sd = 0.7, min = 1.5 }`). Sampling uses
//! `libm` for every transcendental function so that a run gives bit-identical results natively
//! and in WebAssembly (std's `exp`/`ln` call the platform's C library natively).

use rand::Rng;
use rand::RngExt;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A distribution of a real quantity (units are those of the field it is given for).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Dist {
    /// Always this value.
    Fixed(f64),
    /// One of the named families.
    Family(DistSpec),
}

/// The named families, as written in a scenario (`dist = "..."`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
pub enum DistSpec {
    /// Uniform on [min, max).
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal, optionally clamped to [min, max].
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (>= 0).
        sd: f64,
        /// Clamp below (optional).
        #[serde(default)]
        min: Option<f64>,
        /// Clamp above (optional).
        #[serde(default)]
        max: Option<f64>,
    },
    /// Log-normal given by its median and the sd of its logarithm, optionally clamped.
    Lognormal {
        /// Median (> 0).
        median: f64,
        /// Standard deviation of ln(x) (>= 0).
        sigma: f64,
        /// Clamp below (optional).
        #[serde(default)]
        min: Option<f64>,
        /// Clamp above (optional).
        #[serde(default)]
        max: Option<f64>,
    },
    /// Triangular on [min, max] with the given mode.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// A discrete choice among values with weights (weights need not sum to 1).
    Choice {
        /// The values.
        values: Vec<f64>,
        /// Their relative weights (same length, >= 0, not all 0).
        weights: Vec<f64>,
    },
}

impl<'de> Deserialize<'de> for Dist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DistVisitor;
        impl<'de> Visitor<'de> for DistVisitor {
            type Value = Dist;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a table like { dist = \"normal\", mean = .., sd = .. }")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dist, E> {
                Ok(Dist::Fixed(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dist, E> {
                Ok(Dist::Fixed(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dist, E> {
                Ok(Dist::Fixed(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Dist, A::Error> {
                DistSpec::deserialize(de::value::MapAccessDeserializer::new(map)).map(Dist::Family)
            }
        }
        deserializer.deserialize_any(DistVisitor)
    }
}

impl From<f64> for Dist {
    fn from(v: f64) -> Self {
        Dist::Fixed(v)
    }
}

/// Box-Muller transform of two uniforms in [0, 1) to one standard normal draw (libm).
#[inline]
pub fn box_muller(u1: f64, u2: f64) -> f64 {
    let r = libm::sqrt(-2.0 * libm::log(1.0 - u1));
    r * libm::cos(2.0 * std::f64::consts::PI * u2)
}

/// A standard normal draw from a generator.
pub fn std_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let u1: f64 = rng.random();
    let u2: f64 = rng.random();
    box_muller(u1, u2)
}

fn clamp_opt(x: f64, min: Option<f64>, max: Option<f64>) -> f64 {
    let x = min.map_or(x, |m| x.max(m));
    max.map_or(x, |m| x.min(m))
}

impl Dist {
    /// Draws one value.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Family(spec) => match spec {
                DistSpec::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
                DistSpec::Normal { mean, sd, min, max } => clamp_opt(mean + sd * std_normal(rng), *min, *max),
                DistSpec::Lognormal { median, sigma, min, max } => {
                    clamp_opt(median * libm::exp(sigma * std_normal(rng)), *min, *max)
                }
                DistSpec::Triangular { min, mode, max } => {
                    let u: f64 = rng.random();
                    let span = max - min;
                    if span <= 0.0 {
                        return *min;
                    }
                    let fc = (mode - min) / span;
                    if u < fc {
                        min + libm::sqrt(u * span * (mode - min))
                    } else {
                        max - libm::sqrt((1.0 - u) * span * (max - mode))
                    }
                }
                DistSpec::Choice { values, weights } => {
                    let total: f64 = weights.iter().sum();
                    let mut u = rng.random::<f64>() * total;
                    for (v, w) in values.iter().zip(weights) {
                        if u < *w {
                            return *v;
                        }
                        u -= w;
                    }
                    values.last().copied().unwrap_or(0.0)
                }
            },
        }
    }

    /// The distribution's mean (of the unclamped family), for reports and expected values.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Family(spec) => match spec {
                DistSpec::Uniform { min, max } => 0.5 * (min + max),
                DistSpec::Normal { mean, .. } => *mean,
                DistSpec::Lognormal { median, sigma, .. } => median * libm::exp(0.5 * sigma * sigma),
                DistSpec::Triangular { min, mode, max } => (min + mode + max) / 3.0,
                DistSpec::Choice { values, weights } => {
                    let total: f64 = weights.iter().sum();
                    values.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total
                }
            },
        }
    }

    /// Checks the parameters; `lo`/`hi` bound every value the distribution can give.
    pub fn check(&self, lo: f64, hi: f64) -> Result<(), DistError> {
        let within = |name: &'static str, value: f64| {
            if !value.is_finite() {
                Err(DistError::NotFinite(name))
            } else if value < lo || value > hi {
                Err(DistError::OutOfRange { name, value, lo, hi })
            } else {
                Ok(())
            }
        };
        match self {
            Dist::Fixed(v) => within("value", *v),
            Dist::Family(spec) => match spec {
                DistSpec::Uniform { min, max } => {
                    within("min", *min)?;
                    within("max", *max)?;
                    if min > max {
                        return Err(DistError::MinAboveMax { min: *min, max: *max });
                    }
                    Ok(())
                }
                DistSpec::Normal { mean, sd, min, max } => {
                    if !(sd.is_finite() && *sd >= 0.0) {
                        return Err(DistError::Parameter { name: "sd", value: *sd, expected: ">= 0" });
                    }
                    if !mean.is_finite() {
                        return Err(DistError::NotFinite("mean"));
                    }
                    check_clamps(*min, *max, lo, hi, &within)
                }
                DistSpec::Lognormal { median, sigma, min, max } => {
                    if !(median.is_finite() && *median > 0.0) {
                        return Err(DistError::Parameter { name: "median", value: *median, expected: "> 0" });
                    }
                    if !(sigma.is_finite() && *sigma >= 0.0) {
                        return Err(DistError::Parameter { name: "sigma", value: *sigma, expected: ">= 0" });
                    }
                    within("median", *median)?;
                    check_clamps(*min, *max, lo, hi, &within)
                }
                DistSpec::Triangular { min, mode, max } => {
                    within("min", *min)?;
                    within("mode", *mode)?;
                    within("max", *max)?;
                    if !(min <= mode && mode <= max) {
                        return Err(DistError::Unordered { min: *min, mode: *mode, max: *max });
                    }
                    Ok(())
                }
                DistSpec::Choice { values, weights } => {
                    if values.is_empty() || values.len() != weights.len() {
                        return Err(DistError::ChoiceShape);
                    }
                    for v in values {
                        within("value", *v)?;
                    }
                    if weights.iter().any(|w| !(w.is_finite() && *w >= 0.0)) {
                        return Err(DistError::NegativeWeight);
                    }
                    if weights.iter().sum::<f64>() <= 0.0 {
                        return Err(DistError::ZeroWeights);
                    }
                    Ok(())
                }
            },
        }
    }
}

fn check_clamps(
    min: Option<f64>,
    max: Option<f64>,
    lo: f64,
    hi: f64,
    within: &dyn Fn(&'static str, f64) -> Result<(), DistError>,
) -> Result<(), DistError> {
    if let Some(m) = min {
        within("min", m)?;
    }
    if let Some(m) = max {
        within("max", m)?;
    }
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(DistError::MinAboveMax { min: a, max: b });
    }
    // Unclamped families can reach beyond [lo, hi]; without clamps inside the range that is an error.
    if (lo.is_finite() && min.is_none()) || (hi.is_finite() && max.is_none()) {
        return Err(DistError::NeedsClamps { lo, hi });
    }
    Ok(())
}

/// Why a distribution or a set of shares is not usable.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A parameter that must be finite is not.
    #[error("{0} must be a finite number")]
    NotFinite(&'static str),
    /// A value the distribution can give lies outside the quantity's range.
    #[error("{name} = {value} is out of range: expected {lo} to {hi}")]
    OutOfRange {
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: f64,
        /// The quantity's lower bound.
        lo: f64,
        /// The quantity's upper bound.
        hi: f64,
    },
    /// A shape parameter outside its domain (e.g. a negative standard deviation).
    #[error("{name} = {value}: expected a number {expected}")]
    Parameter {
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: f64,
        /// The condition it must meet, e.g. `>= 0`.
        expected: &'static str,
    },
    /// `min` above `max`.
    #[error("min {min} is greater than max {max}")]
    MinAboveMax {
        /// The lower bound given.
        min: f64,
        /// The upper bound given.
        max: f64,
    },
    /// A triangular distribution whose mode is not between its bounds.
    #[error("expected min <= mode <= max, got {min}, {mode}, {max}")]
    Unordered {
        /// Lower bound.
        min: f64,
        /// Mode.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// A choice with no values, or with values and weights of different lengths.
    #[error("values and weights must be non-empty and of the same length")]
    ChoiceShape,
    /// A negative or non-finite choice weight.
    #[error("weights must be numbers >= 0")]
    NegativeWeight,
    /// Choice weights that are all zero.
    #[error("weights must not all be 0")]
    ZeroWeights,
    /// An unbounded family for a bounded quantity, without clamps.
    #[error("this quantity must lie in [{lo}, {hi}]: give min and max clamps")]
    NeedsClamps {
        /// The quantity's lower bound.
        lo: f64,
        /// The quantity's upper bound.
        hi: f64,
    },
    /// Shares over no categories.
    #[error("expected at least one category with a share")]
    NoShares,
    /// A share outside [0, 1].
    #[error("share {0} is out of range: expected 0 to 1")]
    ShareOutOfRange(f64),
    /// Shares that do not sum to 1 (the sum, rounded to 9 decimals).
    #[error("shares sum to {0}: expected 1")]
    ShareSum(f64),
}

/// Shares of a population over categories (e.g. service types); they must sum to 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Shares<K: Ord>(pub BTreeMap<K, f64>);

impl<K: Ord + Clone> Shares<K> {
    /// All of the population in one category.
    pub fn only(k: K) -> Self {
        Self(BTreeMap::from([(k, 1.0)]))
    }

    /// Checks that shares are in [0, 1] and sum to 1 (within 1e-6).
    pub fn check(&self) -> Result<(), DistError> {
        if self.0.is_empty() {
            return Err(DistError::NoShares);
        }
        for v in self.0.values() {
            if !(v.is_finite() && (0.0..=1.0).contains(v)) {
                return Err(DistError::ShareOutOfRange(*v));
            }
        }
        let total: f64 = self.0.values().sum();
        if (total - 1.0).abs() > 1e-6 {
            return Err(DistError::ShareSum((total * 1e9).round() / 1e9));
        }
        Ok(())
    }

    /// Draws a category (in key order, so draws are deterministic).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> K {
        let mut u: f64 = rng.random();
        let mut last = None;
        for (k, w) in &self.0 {
            if u < *w {
                return k.clone();
            }
            u -= w;
            last = Some(k);
        }
        // Rounding left a sliver past the last share: it belongs to the last category.
        last.cloned().expect("shares are checked non-empty")
    }

    /// The category a uniform draw `u` in [0, 1) falls in (in key order).
    pub fn pick(&self, mut u: f64) -> Option<&K> {
        let mut last = None;
        for (k, w) in &self.0 {
            if u < *w {
                return Some(k);
            }
            u -= w;
            last = Some(k);
        }
        last
    }

    /// The share of one category (0 when absent).
    pub fn share(&self, k: &K) -> f64 {
        self.0.get(k).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha12Rng;
    use rand_chacha::rand_core::SeedableRng;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Holder {
        x: Dist,
    }

    fn parse(s: &str) -> Result<Dist, String> {
        toml::from_str::<Holder>(s).map(|h| h.x).map_err(|e| e.to_string())
    }

    #[test]
    fn a_number_or_a_named_family_parses() {
        assert_eq!(parse("x = 3").unwrap(), Dist::Fixed(3.0));
        assert_eq!(parse("x = 2.5").unwrap(), Dist::Fixed(2.5));
        let d = parse("x = { dist = \"normal\", mean = 1.0, sd = 0.5 }").unwrap();
        assert_eq!(d, Dist::Family(DistSpec::Normal { mean: 1.0, sd: 0.5, min: None, max: None }));
    }

    #[test]
    fn unknown_family_or_field_is_an_error_naming_it() {
        let e = parse("x = { dist = \"gaussian\", mean = 1.0 }").unwrap_err();
        assert!(e.contains("gaussian"), "{e}");
        let e = parse("x = { dist = \"normal\", mean = 1.0, sd = 1.0, sdd = 2 }").unwrap_err();
        assert!(e.contains("sdd"), "{e}");
        let e = parse("x = \"three\"").unwrap_err();
        assert!(e.contains("a number or a table"), "{e}");
    }

    #[test]
    fn sample_means_match_family_means() {
        let mut rng = ChaCha12Rng::seed_from_u64(3);
        let cases = [
            Dist::Family(DistSpec::Uniform { min: 2.0, max: 4.0 }),
            Dist::Family(DistSpec::Normal { mean: 5.0, sd: 2.0, min: None, max: None }),
            Dist::Family(DistSpec::Lognormal { median: 10.0, sigma: 0.5, min: None, max: None }),
            Dist::Family(DistSpec::Triangular { min: 0.0, mode: 1.0, max: 5.0 }),
            Dist::Family(DistSpec::Choice { values: vec![1.0, 2.0], weights: vec![3.0, 1.0] }),
        ];
        for d in cases {
            let n = 200_000;
            let m = (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64;
            assert!((m - d.mean()).abs() < 0.01 * d.mean().abs().max(1.0), "{d:?}: {m} vs {}", d.mean());
        }
    }

    #[test]
    fn clamps_hold_and_checks_catch_bad_parameters() {
        let mut rng = ChaCha12Rng::seed_from_u64(4);
        let d = Dist::Family(DistSpec::Normal { mean: 0.0, sd: 10.0, min: Some(-1.0), max: Some(1.0) });
        assert!((0..1000).all(|_| (-1.0..=1.0).contains(&d.sample(&mut rng))));
        assert!(
            Dist::Family(DistSpec::Normal { mean: 0.0, sd: -1.0, min: None, max: None })
                .check(f64::NEG_INFINITY, f64::INFINITY)
                .is_err()
        );
        assert!(Dist::Fixed(-2.0).check(0.0, f64::INFINITY).is_err());
        assert!(Dist::Family(DistSpec::Uniform { min: 3.0, max: 1.0 }).check(0.0, 10.0).is_err());
        assert!(
            Dist::Family(DistSpec::Normal { mean: 1.0, sd: 1.0, min: None, max: None })
                .check(0.0, f64::INFINITY)
                .is_err()
        );
    }

    #[test]
    fn shares_must_sum_to_one_and_sample_in_proportion() {
        let s: Shares<String> = Shares(BTreeMap::from([("a".into(), 0.25), ("b".into(), 0.75)]));
        s.check().unwrap();
        let mut rng = ChaCha12Rng::seed_from_u64(5);
        let n = 100_000;
        let a = (0..n).filter(|_| s.sample(&mut rng) == "a").count() as f64 / n as f64;
        assert!((a - 0.25).abs() < 0.01);
        let bad: Shares<String> = Shares(BTreeMap::from([("a".into(), 0.5)]));
        assert!(bad.check().unwrap_err().to_string().contains("sum to 0.5"));
    }
}
