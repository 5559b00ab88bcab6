//! Settlement baselines (being built).
