//! Scenario errors that point at the file, line, column and field.

use std::fmt;

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (or `--set`) the problem is in.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Dotted field path, e.g. `population[0].agents` (empty for syntax errors).
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if self.path.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.path, self.message)
        }
    }
}

/// All problems found in a scenario (at least one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

impl std::error::Error for ScenarioError {}

impl ScenarioError {
    /// A problem at a line of a data file (a CSV row), in a named column when `path` is not empty.
    pub fn at_line(file: &str, line: usize, path: &str, message: impl fmt::Display) -> Self {
        Self {
            file: file.to_string(),
            line: Some(line),
            column: None,
            path: path.to_string(),
            message: message.to_string(),
        }
    }

    /// A problem with a whole file (no line).
    pub fn in_file(file: &str, message: impl fmt::Display) -> Self {
        Self { file: file.to_string(), line: None, column: None, path: String::new(), message: message.to_string() }
    }
}

/// Why a file a scenario names could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{name}`: {source}")]
pub struct ReadError {
    /// The file, as the reader resolved it.
    pub name: String,
    /// The underlying failure (an I/O error, or why this build cannot read files).
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl ReadError {
    /// A read failure of `name` for `source`.
    pub fn new(name: &str, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self { name: name.to_string(), source: source.into() }
    }
}

/// Why a data file a scenario names (weather, calendar) is not usable.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A `builtin:` name this build does not hold.
    #[error("there is no built-in file `{name}`: expected one of {expected}")]
    NoBuiltin {
        /// The name after `builtin:`.
        name: String,
        /// The built-in names, comma-separated.
        expected: String,
    },
    /// The file was read but its content is wrong (file, line and field named).
    #[error(transparent)]
    Content(#[from] ScenarioError),
}

/// Why a `--set KEY=VALUE` override cannot be parsed or applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// No `=` in the argument.
    #[error("`{0}`: expected KEY=VALUE")]
    NotKeyValue(String),
    /// A key that is not a dotted path.
    #[error("`{0}`: the key must be a dotted path like grid.supply.firm_mw")]
    NotAPath(String),
    /// An empty key.
    #[error("empty key")]
    EmptyKey,
    /// A path that starts with a list index.
    #[error("the top level is a table, not a list")]
    TopLevelIndex,
    /// An index past the end of a list.
    #[error("index {index} is past the end of a list of {len}")]
    PastEnd {
        /// The index given.
        index: usize,
        /// The list's length.
        len: usize,
    },
    /// A key used where the value is a list.
    #[error("`{0}`: this is a list; use an index like 0")]
    KeyInList(String),
    /// A field set inside a value that is not a table or list.
    #[error("cannot set a field inside a {0}")]
    CannotSetInside(&'static str),
    /// A path that goes through a value that is not a table or list.
    #[error("cannot descend into a {0}")]
    CannotDescend(&'static str),
}

/// A name that is not one of a fixed set (an alert level, a trigger).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not {kind}: expected one of {expected}")]
pub struct UnknownName {
    /// The text given.
    pub text: String,
    /// What it should name, with its article (e.g. `an alert level`).
    pub kind: &'static str,
    /// The valid names, comma-separated.
    pub expected: String,
}
