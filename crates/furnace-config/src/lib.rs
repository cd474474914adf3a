//! Economy and scenario files: TOML text -> the core's compiled, dense,
//! validated model. Every error names the file, line, column and key.
//!
//! - [`economy`]: `economies/*.toml` -> [`furnace_core::ValidEconomy`]
//!   (ids in declaration order).
//! - [`scenario`]: `scenarios/*.toml` -> [`scenario::Scenario`] (drivers for
//!   the simulator), with `[economy_set]` and `--set key=value` overrides
//!   ([`overrides`]).
//!
//! Claims about an economy live in their own files, read by
//! `furnace-audit`, not here.

// Ids and counts convert with checks, never a truncating `as`.
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

pub mod economy;
pub mod overrides;
pub mod scenario;
pub mod source;
pub mod values;

pub use economy::{compile_economy, load_economy, LoadedEconomy};
pub use scenario::{load_scenario, parse_override, Scenario};
pub use source::{ConfigError, ConfigErrors, Source};

/// What a config file is, judged by its keys: a scenario names an `economy`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    Economy,
    Scenario,
}

/// Guess a file's kind from its top-level keys (for `furnace check FILE`).
pub fn file_kind(source: &Source) -> FileKind {
    match source.text.parse::<toml::Table>() {
        Ok(table) if table.contains_key("economy") => FileKind::Scenario,
        _ => FileKind::Economy,
    }
}
