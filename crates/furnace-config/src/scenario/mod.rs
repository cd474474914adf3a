//! Scenario files (`scenarios/*.toml`): which economy to run, for how long,
//! and the exogenous drivers (token price path, demand, emissions,
//! subscriptions). Parsed into [`Scenario`], which `furnace-sim` runs.
//!
//! A scenario may change its economy without editing it: a table
//! `[economy_set]` of dotted economy keys to values, applied like
//! `--set economy.KEY=VALUE` (before the command line's `economy.` sets):
//!
//! ```toml
//! [economy_set]
//! "tokens.LAM.oracle" = { spot = "lam_usd" }
//! "splits.action.legs[0].share" = "30%"
//! ```
//!
//! An error about such a key (a key that does not exist, or a value the
//! economy refuses) points at the scenario's line.

mod compile;
mod markets;
mod raw;

pub use crate::overrides::{apply_overrides, override_value, parse_override, set_key};

use crate::economy::{compile_economy, parse_toml, LoadedEconomy};
use crate::overrides::document;
use crate::source::{ConfigError, ConfigErrors, Source};
use furnace_core::event::MintReason;
use furnace_core::ids::{AccountId, AssetId, MarketId, PlanId, RedemptionId, SaleId, VersionId};
use furnace_core::units::Ppm;
use raw::RawScenario;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Bound on a scenario's horizon: 100 years of days.
pub const MAX_DAYS: u32 = 36_500;

/// The token price, USD per whole token, day by day.
#[derive(Clone, Debug, PartialEq)]
pub enum PricePath {
    /// The same price every day (pico-dollars per token, exact).
    Constant { price_usd_pico: u128 },
    /// `start * (1 + daily_growth)^day`.
    Growth { start_usd: f64, daily_growth: f64 },
    /// Geometric Brownian motion, seeded: daily log-return
    /// `(mu - sigma^2/2)/365 + sigma/sqrt(365) * Z`.
    Gbm {
        start_usd: f64,
        annual_drift: f64,
        annual_volatility: f64,
    },
    /// One price per day; the last repeats.
    Table { usd: Vec<f64> },
}

/// Pay-as-you-go actions per day (before noise).
#[derive(Clone, Debug, PartialEq)]
pub enum DemandPath {
    Constant {
        actions: u64,
    },
    /// `start * (1 + daily_growth)^day`, rounded to whole actions.
    Growth {
        start: u64,
        daily_growth: f64,
    },
    /// One count per day; the last repeats.
    Table {
        actions: Vec<u64>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    pub path: DemandPath,
    /// Sigma of a daily log-normal multiplicative noise (0 = deterministic),
    /// mean-corrected so expected demand follows the path.
    pub noise: f64,
    /// Probability that an action runs through a marketplace workflow.
    pub marketplace_share: Ppm,
    /// The Creator Epoch of the marketplace workflows used.
    pub creator_epoch: u32,
}

/// New tokens minted per day (`E_t`), in base units.
#[derive(Clone, Debug, PartialEq)]
pub enum EmissionSchedule {
    None,
    Constant {
        per_day: u128,
    },
    /// `per_day >> floor(day / half_life_days)`: halves every period.
    Halving {
        per_day: u128,
        half_life_days: u32,
    },
    /// `per_day * (end_day - day) / end_day`, zero from `end_day` on.
    LinearDecay {
        per_day: u128,
        end_day: u32,
    },
    /// One amount per day; zero after the table ends.
    Table {
        per_day: Vec<u128>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Emissions {
    pub schedule: EmissionSchedule,
    pub to: AccountId,
    pub reason: MintReason,
}

/// Subscribed agents (each runs its plan's allowance evenly over the period).
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionDrivers {
    pub plan: PlanId,
    /// Agents paying in USD (revenue funds buybacks).
    pub usd_agents: u32,
    /// Agents paying in tokens at the discount (escrowed).
    pub token_agents: u32,
}

/// Trainers who demonstrated the action path that part of the actions use
/// (seed 001: "1,000 users train 'Create EC2 Instance'"). Their quality
/// scores and usage counts are drawn uniformly from 1 to 100 with the run's
/// seed, and the trainer leg is divided pro rata by quality x usage.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainerDrivers {
    /// Trainers on the path (at most `MAX_TRAINERS_PER_PATH`).
    pub trainers: u32,
    /// Share of actions that run through the trained path.
    pub path_share: Ppm,
}

/// Burns besides the consumption split (seed 000's "Burning Flows"): each
/// goes through the engine as an `Event::Burn` with its reason and shows in
/// the burn totals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OtherBurns {
    /// Share of pay-as-you-go actions that fail: their tokens are bought and
    /// burned whole (reason `failed_action`) instead of being split.
    pub failed_action_share: Ppm,
    /// Tokens the market's holders burn each day (reason `voluntary`).
    pub voluntary_per_day: u128,
    /// Tokens burned each day as penalties (reason `penalty`), from
    /// `penalty_from`.
    pub penalty_per_day: u128,
    pub penalty_from: Option<AccountId>,
}

/// Who sells what they receive each day, and where (`[holders]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Holders {
    /// Sell back at all (default true). Without it the market's float only
    /// shrinks and runs dry.
    pub sell_back: bool,
    /// Where they sell (default: the demand market).
    pub market: Option<MarketId>,
    /// Fraction of their balance marketplace creators and trainers sell.
    pub creators: Ppm,
    /// Fraction the accounts the consumption split pays sell.
    pub accounts: Ppm,
    /// Fraction the emission recipient sells.
    pub emissions: Ppm,
}

/// Mint-on-purchase sales (`[sales]`): a simulated customer buys
/// `tokens_per_step[t]` base units in step `t` and redeems `redeem_share` of
/// them for the unit of service.
#[derive(Clone, Debug, PartialEq)]
pub struct SalesDrivers {
    pub sale: SaleId,
    pub token: AssetId,
    /// Base units bought each step, computed exactly at load: step 1 sells
    /// `first_step` whole tokens, each next step grows by its rate (the last
    /// repeating), rounded half to even to whole tokens.
    pub tokens_per_step: Vec<u128>,
    pub redemption: Option<RedemptionId>,
    pub redeem_share: Ppm,
}

/// A scenario, compiled against its economy.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub economy_path: PathBuf,
    pub economy: LoadedEconomy,
    pub days: u32,
    pub seed: u64,
    /// The version pay-as-you-go actions run on (None: no actions, a
    /// sales-only scenario).
    pub version: Option<VersionId>,
    /// The token the scenario follows: the version's, else the sale's.
    pub token: AssetId,
    /// Where pay-as-you-go users buy (None: the default rule, see
    /// `furnace-sim`).
    pub demand_market: Option<MarketId>,
    pub sales: Option<SalesDrivers>,
    /// Buyback programs spend their budget over this many days (default:
    /// the subscription plan's period, or 30).
    pub buyback_spread_days: Option<u32>,
    pub holders: Holders,
    pub price: PricePath,
    pub demand: Demand,
    pub emissions: Emissions,
    pub subscriptions: Option<SubscriptionDrivers>,
    pub trainers: Option<TrainerDrivers>,
    pub burns: OtherBurns,
    pub source: Source,
}

/// `scenarios/../economies/lam.toml` -> `economies/lam.toml`, lexically (no
/// file system access, so relative paths stay relative in messages).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// One `[economy_set]` entry, ready to apply.
struct EconomySet {
    key: String,
    value: toml_edit::Value,
    /// Where the scenario writes the entry (its key).
    span: Range<usize>,
}

impl EconomySet {
    /// How the scenario spells the entry's key.
    fn scenario_key(&self) -> String {
        format!("economy_set.\"{}\"", self.key)
    }
}

/// The `[economy_set]` entries of a scenario, or every problem with them.
fn economy_sets(source: &Source, raw: &RawScenario) -> Result<Vec<EconomySet>, ConfigErrors> {
    let mut sets = Vec::new();
    let mut errors = Vec::new();
    for (key, value) in &raw.economy_set {
        let scenario_key = format!("economy_set.\"{}\"", key.get_ref());
        let nested = !key.get_ref().contains(['.', '[']) && matches!(value, toml::Value::Table(_));
        if nested {
            errors.push(source.error(
                Some(key.span()),
                &scenario_key,
                format!(
                    "write the whole economy key in quotes, e.g. `\"{}.KEY\" = ...`: a bare dotted key makes nested tables",
                    key.get_ref()
                ),
            ));
            continue;
        }
        match value.to_string().parse::<toml_edit::Value>() {
            Ok(v) => sets.push(EconomySet {
                key: key.get_ref().clone(),
                value: v,
                span: key.span(),
            }),
            Err(e) => errors.push(source.error(Some(key.span()), &scenario_key, e.to_string())),
        }
    }
    if errors.is_empty() {
        Ok(sets)
    } else {
        Err(ConfigErrors(errors))
    }
}

/// Apply `[economy_set]` to the economy's text; errors at the scenario's lines.
fn apply_economy_sets(
    source: &Source,
    economy: &mut Source,
    sets: &[EconomySet],
) -> Result<(), ConfigErrors> {
    if sets.is_empty() {
        return Ok(());
    }
    let mut doc = document(economy)?;
    let mut errors = Vec::new();
    for s in sets {
        if let Err(why) = set_key(&mut doc, &s.key, &s.value) {
            errors.push(source.error(
                Some(s.span.clone()),
                &s.scenario_key(),
                format!("{}: `{}`: {why}", economy.path.display(), s.key),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    economy.text = doc.to_string();
    economy.overrides.extend(
        sets.iter()
            .map(|s| (s.key.clone(), s.value.to_string().trim().to_string())),
    );
    Ok(())
}

/// Whether an error at economy key `error` may come from setting `set`:
/// the same key, one inside it, or one enclosing it (a share list whose
/// sum a set share broke).
fn related(error: &str, set: &str) -> bool {
    let under = |a: &str, b: &str| {
        a.strip_prefix(b)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    !error.is_empty() && (error == set || under(error, set) || under(set, error))
}

/// Point an economy's errors at what set the value: an `[economy_set]`
/// entry's line in the scenario, or a note naming the `--set`.
fn attribute(
    errors: ConfigErrors,
    source: &Source,
    sets: &[EconomySet],
    cli: &[(String, String)],
) -> ConfigErrors {
    let attributed = errors.0.into_iter().map(|e| {
        if let Some((k, v)) = cli.iter().rev().find(|(k, _)| related(&e.key, k)) {
            let message = format!("{} (set by --set economy.{k}={v})", e.message);
            return ConfigError { message, ..e };
        }
        match sets.iter().rev().find(|s| related(&e.key, &s.key)) {
            Some(s) => source.error(Some(s.span.clone()), &s.scenario_key(), e.to_string()),
            None => e,
        }
    });
    ConfigErrors(attributed.collect())
}

/// Read a scenario and its economy. Overrides whose key starts with
/// `economy.` (and has more after it) apply to the economy file, after the
/// scenario's own `[economy_set]`; the rest to the scenario.
pub fn load_scenario(
    path: &Path,
    overrides: &[(String, String)],
) -> Result<Scenario, ConfigErrors> {
    let (economy_overrides, scenario_overrides): (Vec<_>, Vec<_>) = overrides
        .iter()
        .cloned()
        .partition(|(k, _)| k.starts_with("economy."));
    let mut source = Source::read(path)?;
    apply_overrides(&mut source, &scenario_overrides)?;
    let raw: RawScenario = parse_toml(&source)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let economy_path = normalize(&base.join(raw.economy.get_ref()));
    let mut economy_source = Source::read(&economy_path).map_err(|mut e| {
        for err in &mut e.0 {
            let (line, col) = source.line_col(raw.economy.span().start);
            *err = ConfigError {
                file: source.path.clone(),
                line: Some(line),
                column: Some(col),
                key: "economy".into(),
                message: format!("{}: {}", economy_path.display(), err.message),
            };
        }
        e
    })?;
    let sets = economy_sets(&source, &raw)?;
    apply_economy_sets(&source, &mut economy_source, &sets)?;
    let economy_overrides: Vec<(String, String)> = economy_overrides
        .into_iter()
        .map(|(k, v)| (k["economy.".len()..].to_string(), v))
        .collect();
    apply_overrides(&mut economy_source, &economy_overrides).map_err(|mut e| {
        // Say the key as the user typed it.
        for err in &mut e.0 {
            err.message = err.message.replacen("--set ", "--set economy.", 1);
            err.key = format!("economy.{}", err.key);
        }
        e
    })?;
    let economy = compile_economy(economy_source)
        .map_err(|e| attribute(e, &source, &sets, &economy_overrides))?;
    compile::compile_scenario(source, raw, economy_path, economy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn economy_paths_are_normalized_lexically() {
        let n = |p: &str| normalize(Path::new(p)).display().to_string();
        assert_eq!(n("scenarios/../economies/lam.toml"), "economies/lam.toml");
        assert_eq!(n("./a/./b/../c.toml"), "a/c.toml");
        assert_eq!(n("../x/../../y.toml"), "../../y.toml");
        assert_eq!(n("/abs/s/../e.toml"), "/abs/e.toml");
    }

    #[test]
    fn errors_relate_to_the_keys_that_set_them() {
        assert!(related("tokens.LAM.oracle", "tokens.LAM.oracle"));
        assert!(related("tokens.LAM.oracle.window", "tokens.LAM.oracle"));
        assert!(related("splits.action.legs", "splits.action.legs[0].share"));
        assert!(!related("tokens.LAMB", "tokens.LAM"));
        assert!(!related("", "tokens"));
        assert!(!related("plans.agent", "tokens.LAM.oracle"));
    }
}
