//! Economy and scenario files: TOML text -> the core's compiled, dense,
//! validated model. Every error names the file, line, column and key, or
//! the `--set` that caused it; one pass reports every problem, in file
//! order.
//!
//! - [`economy`]: `economies/*.toml` -> [`furnace_core::ValidEconomy`]
//!   (ids in declaration order).
//! - [`scenario`]: `scenarios/*.toml` -> [`scenario::Scenario`] (drivers for
//!   the simulator), with `[economy_set]` and `--set key=value` overrides
//!   ([`overrides`]).
//!
//! Files are read by hand from a spanned tree (`doc.rs`, `read.rs`), not by
//! serde: every unknown key, missing key and value of the wrong type is
//! reported together, in words, never in Rust's types.
//!
//! Claims about an economy live in their own files, read by
//! `furnace-audit`, not here.

// Ids and counts convert with checks, never a truncating `as`.
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
// A `ConfigError` (file, line, column, key, `--set`, message: 128 bytes) is
// only built when a file is wrong, a few per run: boxing it would buy
// nothing and cost every caller a layer.
#![allow(clippy::result_large_err)]

mod doc;
pub mod economy;
pub mod overrides;
mod read;
pub mod scenario;
pub mod source;
pub mod values;

pub use economy::{compile_economy, load_economy, LoadedEconomy};
pub use scenario::{load_scenario, parse_override, Scenario};
pub use source::{ConfigError, ConfigErrors, Source};

use std::path::Path;

/// What a config file is, judged by its keys: a scenario names an `economy`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    Economy,
    Scenario,
}

/// What a file's top-level keys say it is: `economy` (and neither
/// `numeraire` nor `tokens`) makes a scenario; `numeraire` or `tokens`
/// (and no `economy`) an economy; anything else (or text that is not TOML)
/// says nothing.
pub fn detect_kind(source: &Source) -> Option<FileKind> {
    let keys = doc::top_level_keys(&source.text)?;
    let has = |k: &str| keys.iter().any(|key| key == k);
    match (has("economy"), has("numeraire") || has("tokens")) {
        (true, false) => Some(FileKind::Scenario),
        (false, true) => Some(FileKind::Economy),
        _ => None,
    }
}

/// Guess a file's kind from its top-level keys (for `furnace check FILE`):
/// [`detect_kind`], else an economy.
pub fn file_kind(source: &Source) -> FileKind {
    detect_kind(source).unwrap_or(FileKind::Economy)
}

/// An error if `source` is plainly a file of the other kind than `want`
/// (an economy given to `run`, a scenario where an economy is read).
pub fn check_kind(source: &Source, want: FileKind) -> Result<(), ConfigErrors> {
    let path = source.path.display();
    let message = match (want, detect_kind(source)) {
        (FileKind::Scenario, Some(FileKind::Economy)) => format!(
            "`{path}` is an economy file, not a scenario: run takes a scenario (see scenarios/); check and quote take either"
        ),
        (FileKind::Economy, Some(FileKind::Scenario)) => format!(
            "`{path}` is a scenario file, not an economy: give the economy file its `economy` key names (see economies/); check and quote take either"
        ),
        _ => return Ok(()),
    };
    Err(ConfigErrors::one(source.error(None, "", message)))
}

/// The economy a file gives, after `--set` overrides, for commands that
/// take either kind (`quote`, `check`): an economy file, whose override
/// keys may be spelled with or without `economy.` (as `run` spells them),
/// or a scenario's economy (after its `[economy_set]`, then the `economy.`
/// overrides; the others apply to the scenario, which must load too).
pub fn load_any_economy(
    path: &Path,
    overrides: &[(String, String)],
) -> Result<LoadedEconomy, ConfigErrors> {
    let mut source = Source::read(path)?;
    if detect_kind(&source) == Some(FileKind::Scenario) {
        return Ok(load_scenario(path, overrides)?.economy);
    }
    scenario::apply_overrides(&mut source, overrides)?;
    compile_economy(source)
}
