//! Randomness: one seeded generator per run, forked by label, plus counter-based draws.
//!
//! Every random number in a run descends from the run's seed. Subsystems take their own
//! ChaCha stream with [`SimRng::fork`] (a label such as `"weather"`), so adding draws in one
//! subsystem never shifts another's. Per-agent, per-step noise uses [`StreamKey`], a stateless
//! counter-based generator: the draw for (agent, step) is a pure function of the key and the two
//! counters. That makes it independent of iteration order and thread count, and gives common
//! random numbers between a run and its counterfactual twin.

use rand_chacha::ChaCha12Rng;
use rand_chacha::rand_core::SeedableRng;

/// The seeded root of all randomness in one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimRng {
    seed: u64,
}

/// SplitMix64 finaliser: a bijective 64-bit mixer (Steele, Lea and Flood, 2014).
pub const fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a label: stable across Rust versions and platforms (unlike `DefaultHasher`).
pub const fn label_hash(label: &str) -> u64 {
    let bytes = label.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
        i += 1;
    }
    h
}

/// Seed of Monte Carlo run `run` of a batch whose base seed is `base`.
pub fn seed_for(base: u64, run: u64) -> u64 {
    mix64(base ^ mix64(run.wrapping_add(0x5EED)))
}

/// Converts 64 random bits to a uniform f64 in [0, 1) (53 bits, exact arithmetic).
pub fn unit_f64(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

impl SimRng {
    /// The root generator of a run with this seed.
    pub fn new(seed: u64) -> Self {
        Self { seed }
    }

    fn label_key(&self, label: &str) -> u64 {
        mix64(self.seed ^ mix64(label_hash(label)))
    }

    /// An independent ChaCha stream for the subsystem named `label`.
    pub fn fork(&self, label: &str) -> ChaCha12Rng {
        let mut k = self.label_key(label);
        let mut seed = [0u8; 32];
        for chunk in seed.chunks_exact_mut(8) {
            k = mix64(k);
            chunk.copy_from_slice(&k.to_le_bytes());
        }
        ChaCha12Rng::from_seed(seed)
    }

    /// A counter-based stream for per-agent, per-step draws of the subsystem `label`.
    pub fn stream(&self, label: &str) -> StreamKey {
        StreamKey(self.label_key(label))
    }
}

/// A key for stateless draws: `uniform(a, b)` is a pure function of the key and two counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    /// 64 random bits for the counter pair (a, b), typically (agent index, step).
    #[inline]
    pub fn bits(&self, a: u64, b: u64) -> u64 {
        self.agent(a).bits(b)
    }

    /// The stream of agent `a`: its draws are this key's draws for `(a, b)`, with the agent's half
    /// of the hash done once (kept in the agent's component) instead of at every draw.
    #[inline]
    pub fn agent(&self, a: u64) -> AgentStream {
        AgentStream(mix64(self.0 ^ a.wrapping_mul(0xD1B5_4A32_D192_ED03)))
    }

    /// A uniform draw in [0, 1) for the counter pair (a, b).
    #[inline]
    pub fn uniform(&self, a: u64, b: u64) -> f64 {
        unit_f64(self.bits(a, b))
    }

    /// A derived key for a sub-purpose, e.g. one key per program.
    pub fn derive(&self, label: &str) -> StreamKey {
        StreamKey(mix64(self.0 ^ label_hash(label)))
    }
}

/// The label of the customers' load-noise stream (kept in each customer's load component).
pub const LOAD_NOISE: &str = "load-noise";

/// One agent's counter-based stream (see [`StreamKey::agent`]): `uniform(b)` is the key's
/// `uniform(a, b)`, bit for bit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AgentStream(u64);

impl AgentStream {
    /// 64 random bits for counter `b` (typically the step).
    #[inline]
    pub fn bits(&self, b: u64) -> u64 {
        mix64(self.0 ^ b)
    }

    /// A uniform draw in [0, 1) for counter `b`.
    #[inline]
    pub fn uniform(&self, b: u64) -> f64 {
        unit_f64(self.bits(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn forks_with_the_same_label_repeat_and_different_labels_differ() {
        let r = SimRng::new(7);
        let a: Vec<u64> = (0..4).map(|_| 0).scan(r.fork("weather"), |g, _| Some(g.random::<u64>())).collect();
        let b: Vec<u64> = (0..4).map(|_| 0).scan(r.fork("weather"), |g, _| Some(g.random::<u64>())).collect();
        let c: Vec<u64> = (0..4).map(|_| 0).scan(r.fork("grid"), |g, _| Some(g.random::<u64>())).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let d: Vec<u64> =
            (0..4).map(|_| 0).scan(SimRng::new(8).fork("weather"), |g, _| Some(g.random::<u64>())).collect();
        assert_ne!(a, d);
    }

    #[test]
    fn label_hash_is_fnv1a() {
        // Published FNV-1a 64-bit test vectors.
        assert_eq!(label_hash(""), 0xcbf29ce484222325);
        assert_eq!(label_hash("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(label_hash("foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn counter_draws_are_uniform_and_order_free() {
        let k = SimRng::new(1).stream("noise");
        let n = 100_000u64;
        let mean: f64 = (0..n).map(|i| k.uniform(i, 3)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
        assert_eq!(k.uniform(42, 9), k.uniform(42, 9));
        assert_ne!(k.uniform(42, 9), k.uniform(9, 42));
    }

    #[test]
    fn an_agents_stream_draws_what_the_key_draws_for_that_agent() {
        let k = SimRng::new(3).stream("load-noise");
        for a in [0u64, 1, 41, 9_999_999] {
            let s = k.agent(a);
            for b in [0u64, 7, 52_991] {
                assert_eq!(s.uniform(b).to_bits(), k.uniform(a, b).to_bits());
                // The hash as written before the agent's half was split off.
                assert_eq!(k.bits(a, b), mix64(mix64(k.0 ^ a.wrapping_mul(0xD1B5_4A32_D192_ED03)) ^ b));
            }
        }
    }

    #[test]
    fn seeds_for_runs_are_distinct() {
        let mut s: Vec<u64> = (0..1000).map(|i| seed_for(42, i)).collect();
        s.sort_unstable();
        s.dedup();
        assert_eq!(s.len(), 1000);
    }
}
