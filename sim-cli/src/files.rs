//! Files: reading scenarios and the files they name, and writing outputs atomically.

use crate::Failure;
use anyhow::Context;
use sim_core::{FileSource, Override, ReadError, ValidScenario, load_scenario, parse_override};
use std::fs;
use std::path::{Path, PathBuf};

/// Reads files named in a scenario relative to the scenario's folder.
pub struct DirFiles {
    base: PathBuf,
}

impl FileSource for DirFiles {
    fn read(&self, name: &str) -> Result<String, ReadError> {
        let p = self.base.join(name);
        fs::read_to_string(&p).map_err(|e| ReadError::new(&p.display().to_string(), e))
    }
}

/// A loaded scenario with the name it was loaded under.
pub struct Loaded {
    /// The validated scenario.
    pub scenario: ValidScenario,
    /// Its text (for hashing and reports).
    #[allow(dead_code)]
    pub text: String,
    /// File name or `<embedded default.toml>`.
    pub origin: String,
}

/// Parses `--set` arguments.
pub fn overrides(sets: &[String]) -> Result<Vec<Override>, Failure> {
    sets.iter().map(|s| parse_override(s).map_err(|m| Failure::User(format!("error: --set {m}")))).collect()
}

/// Loads a scenario file, or the embedded default when `path` is None.
pub fn load(path: Option<&Path>, sets: &[Override]) -> Result<Loaded, Failure> {
    let (text, origin, base) = match path {
        Some(p) => {
            let text = fs::read_to_string(p)
                .map_err(|e| Failure::User(format!("error: cannot read scenario `{}`: {e}", p.display())))?;
            let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
            (text, p.display().to_string(), base)
        }
        None => (
            sim_core::data::default_scenario().to_string(),
            "<embedded default.toml>".to_string(),
            PathBuf::from("scenarios"),
        ),
    };
    let scenario = load_scenario(&text, &origin, sets, &DirFiles { base }).map_err(|e| Failure::User(e.to_string()))?;
    Ok(Loaded { scenario, text, origin })
}

/// Reads a dispatch file (TOML `[[dispatch]]` entries or CSV) into requests.
pub fn load_dispatch(path: &Path, book: &sim_core::ProgramBook) -> Result<Vec<sim_core::Request>, Failure> {
    let text = fs::read_to_string(path)
        .map_err(|e| Failure::User(format!("error: cannot read dispatch file `{}`: {e}", path.display())))?;
    sim_core::parse_dispatch_file(&text, &path.display().to_string(), book)
        .map_err(|m| Failure::User(format!("error: {m}")))
}

/// Writes `contents` to `dir/name` through a temporary file and a rename.
pub fn write_atomic(dir: &Path, name: &str, contents: &[u8]) -> anyhow::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let dst = dir.join(name);
    fs::write(&tmp, contents).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, &dst).with_context(|| format!("renaming {} to {}", tmp.display(), dst.display()))?;
    Ok(())
}
