//! Data compiled into the library: alert calendars and the shipped scenarios.
//!
//! The browser build has no file system, so everything a shipped scenario needs is embedded here.

/// Names accepted after `builtin:` in a scenario.
pub const BUILTIN_NAMES: [&str; 2] = ["caiso-2020", "caiso-2022"];

/// The text of a built-in data file.
pub fn builtin(name: &str) -> Option<&'static str> {
    match name {
        "caiso-2020" => Some(include_str!("../data/alerts/caiso-2020.csv")),
        "caiso-2022" => Some(include_str!("../data/alerts/caiso-2022.csv")),
        _ => None,
    }
}

/// The shipped scenarios, by file name (the first is the default).
pub const SCENARIOS: [(&str, &str); 5] = [
    ("default.toml", include_str!("../../scenarios/default.toml")),
    ("heatwave-2022.toml", include_str!("../../scenarios/heatwave-2022.toml")),
    ("summer-2020.toml", include_str!("../../scenarios/summer-2020.toml")),
    ("synthetic-summer.toml", include_str!("../../scenarios/synthetic-summer.toml")),
    ("third-party-2022.toml", include_str!("../../scenarios/third-party-2022.toml")),
];

/// The default scenario's text (`scenarios/default.toml`).
pub fn default_scenario() -> &'static str {
    SCENARIOS[0].1
}

/// A shipped scenario's text by file name.
pub fn scenario(name: &str) -> Option<&'static str> {
    SCENARIOS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
