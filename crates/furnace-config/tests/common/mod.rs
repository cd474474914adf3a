//! Helpers shared by the config tests: edit the real `economies/lam.toml`
//! (or a small fixture) and assert where each error lands.
//!
//! Expected positions are found in the edited text by a unique needle, so the
//! tests keep asserting exact lines if lam.toml gains or loses lines above.

#![allow(dead_code)]

use furnace_config::{
    compile_economy, load_scenario, ConfigError, ConfigErrors, LoadedEconomy, Scenario, Source,
};
use std::path::{Path, PathBuf};

pub const LAM: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../economies/lam.toml"
));
pub const FILE: &str = "economies/lam.toml";

/// A second economy exercising what LAM does not: two tokens besides the
/// numeraire, a pool between tokens, a time-weighted oracle chain, a sale,
/// a redemption, a pay-out revenue part, a buyback at two pools.
pub const FIXTURE: &str = r#"name = "Fixture"
numeraire = "USDX"

[tokens.USDX]
decimals = 6

[tokens.NET]
max_supply = "1_000_000"
oracle = { spot = "net_usd" }

[tokens.AST]
decimals = 0
oracle = { twap = "ast_net", window = 7 }

[accounts.treasury]
[accounts.lp]
[accounts.redeemed]

[genesis.treasury]
NET = "100_000"
USDX = "10_000"

[markets.net_usd]
kind = "pool"
assets = ["NET", "USDX"]
reserves = ["500_000", "50_000"]
fee = "0.3%"
lp_to = "lp"

[markets.ast_net]
kind = "pool"
assets = ["AST", "NET"]
reserves = ["1_000_000", "100_000"]
fee = "1%"
lp_to = "lp"

[versions.AST-1]
token = "AST"
price_usd = "1"
split = "all_burn"

[splits.all_burn]
legs = [{ name = "burn", to = "burn", share = "100%" }]
dust_to = "burn"

[revenue.purchases]
parts = [
  { name = "compute", to = "pay_out", share = "70%" },
  { to = "treasury", share = "30%" },
]

[buybacks.net]
budget = "treasury"
pay = "USDX"
token = "NET"
venues = [{ market = "net_usd", weight = "100%", cap_per_day = "1_000" }]
max_impact = "2%"
max_spend_per_day = "5_000"
destination = "burn"

[sales.AST]
token = "AST"
price_usd = "0.10"
revenue = "purchases"

[redemptions.compute_hour]
token = "AST"
to = "redeemed"
"#;
pub const FIXTURE_FILE: &str = "economies/fixture.toml";

/// `text` with `old` (which must occur exactly once) replaced by `new`.
pub fn edit(text: &str, old: &str, new: &str) -> String {
    assert_eq!(
        text.matches(old).count(),
        1,
        "`{old}` must occur exactly once in the edited file"
    );
    text.replacen(old, new, 1)
}

/// Several edits in turn.
pub fn edits(text: &str, pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .fold(text.to_string(), |t, (old, new)| edit(&t, old, new))
}

/// 1-based (line, column) of the unique occurrence of `needle` in `text`.
pub fn at(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "`{needle}` must occur exactly once"
    );
    let offset = text.find(needle).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = offset - before.rfind('\n').map_or(0, |nl| nl + 1) + 1;
    (line, column)
}

/// Compile `text` as `file`.
pub fn compile_as(file: &str, text: &str) -> Result<LoadedEconomy, ConfigErrors> {
    compile_economy(Source::from_text(file, text))
}

pub fn compiles(file: &str, text: &str) -> LoadedEconomy {
    compile_as(file, text).unwrap_or_else(|e| panic!("{e}"))
}

pub fn errors_in(file: &str, text: &str) -> Vec<ConfigError> {
    match compile_as(file, text) {
        Ok(_) => panic!("the edited economy compiled"),
        Err(ConfigErrors(errors)) => errors,
    }
}

/// The errors of an edited lam.toml.
pub fn errors(text: &str) -> Vec<ConfigError> {
    errors_in(FILE, text)
}

/// The only error of an edited lam.toml.
pub fn only_error(text: &str) -> ConfigError {
    only_error_in(FILE, text)
}

pub fn only_error_in(file: &str, text: &str) -> ConfigError {
    let errors = errors_in(file, text);
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.into_iter().next().unwrap()
}

/// `e` is in `file` at `(line, column)` about `key`, and says so first.
pub fn assert_at_in(file: &str, e: &ConfigError, (line, column): (usize, usize), key: &str) {
    assert_eq!(e.file, PathBuf::from(file), "{e}");
    assert_eq!(e.line, Some(line), "line of {e}");
    assert_eq!(e.column, Some(column), "column of {e}");
    assert_eq!(e.key, key, "{e}");
    let prefix = format!("{file}:{line}:{column}: `{key}`: ");
    assert!(
        e.to_string().starts_with(&prefix),
        "`{e}` should start with `{prefix}`"
    );
}

pub fn assert_at(e: &ConfigError, position: (usize, usize), key: &str) {
    assert_at_in(FILE, e, position, key)
}

/// Edit `base`, expect exactly one error, at the unique `needle` of the
/// edited text, about `key`, whose message contains `says`.
pub fn located(
    file: &str,
    base: &str,
    pairs: &[(&str, &str)],
    needle: &str,
    key: &str,
    says: &str,
) {
    let text = edits(base, pairs);
    let e = only_error_in(file, &text);
    assert_at_in(file, &e, at(&text, needle), key);
    assert!(e.message.contains(says), "`{e}` should say `{says}`");
}

/// [`located`] in lam.toml.
pub fn in_lam(pairs: &[(&str, &str)], needle: &str, key: &str, says: &str) {
    located(FILE, LAM, pairs, needle, key, says)
}

/// [`located`] in the fixture.
pub fn in_fixture(pairs: &[(&str, &str)], needle: &str, key: &str, says: &str) {
    located(FIXTURE_FILE, FIXTURE, pairs, needle, key, says)
}

/// A path in the repository (`economies/lam.toml`).
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// Load a scenario with `key=value` overrides.
pub fn load(path: &Path, sets: &[(&str, &str)]) -> Result<Scenario, ConfigErrors> {
    let sets: Vec<(String, String)> = sets
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    load_scenario(path, &sets)
}
