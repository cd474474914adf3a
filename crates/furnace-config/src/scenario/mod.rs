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
//! economy refuses) points at the scenario's line; an error a command
//! line `--set` caused names the `--set` (`--set foo=1: \`foo\`: unknown
//! key ...`), never a line.
//!
//! # The schema
//!
//! ```toml
//! name = "LAM baseline"
//! description = "..."
//! economy = "../economies/lam.toml"    # relative to this file
//! days = 365                           # 1 to MAX_DAYS (36,500)
//! seed = 42                            # default 0
//! version = "LAM-1"                    # pay-as-you-go actions (optional with [sales])
//! token = "AIMG"                       # without version or [sales]: the token followed
//!
//! [price]                              # USD (the numeraire) per whole token
//! model = "constant"                   # start_usd
//! # "growth": start_usd, daily_growth; "gbm": start_usd, annual_drift
//! # (default 0%), annual_volatility; "table": table_usd (the last repeats)
//!
//! [demand]                             # optional: pay-as-you-go actions a day
//! model = "constant"                   # actions_per_day
//! # "growth": actions_per_day, daily_growth; "table": table (the last repeats);
//! # "random_growth": actions_per_day, growth_mean, growth_sd, growth_floor
//! # (default -100%): A_{t+1} = A_t (1 + max(floor, N(mean, sd)));
//! # "gbm": actions_per_day, daily_drift, daily_volatility;
//! # "rates": actions_per_day, rates (daily growth rates, the last repeats)
//! marketplace_share = "50%"
//! creator_epoch = 1                    # default 1
//! noise = "0%"                         # daily log-normal sigma, default 0%
//! seasonality = "20%"                  # optional amplitude, with season_days
//! season_days = 7                      # and season_phase_days (default 0)
//! market = "otc"                       # optional: where users buy
//!
//! [emissions]                          # optional
//! model = "constant"                   # per_day (whole tokens)
//! # "none"; "halving": per_day, half_life_days; "linear_decay": per_day,
//! # end_day; "table": table (zero after it ends); "decay": per_day,
//! # factor ("99.9%": E_{t+1} = floor(E_t x factor))
//! to = "training_rewards"
//! reason = "training_reward"           # default; or grant, referral, staking
//!
//! [subscriptions]                      # optional
//! plan = "agent"
//! usd_agents = 20                      # default 0
//! token_agents = 10                    # default 0
//!
//! [trainers]                           # optional: trainers = 1..100,000, path_share,
//!                                      # pool = "<points pool>" (optional: pooled trainers,
//!                                      # the leg credits the pool, trainers claim)
//! [training]                           # optional (`training.rs`): trainers earning points under
//!                                      # the economy's [points] rules: rules, trainers,
//!                                      # active_share, active_mode, background_mode,
//!                                      # actions_per_day, actions_sigma, background_hours,
//!                                      # background_rate (default 10), bounties = [{ tier,
//!                                      # probability }], referred_share, qualify_points,
//!                                      # claim_every_days
//! [burns]                              # optional: failed_action_share, voluntary_per_day,
//!                                      # penalty_per_day, penalty_from
//! [holders]                            # optional: sell_back (default true), market,
//!                                      # creators, accounts, emissions (fractions sold),
//!                                      # sell = "balance" (default) or "received"
//! [[shocks]]                           # optional, each: kind = "demand" | "price" |
//!                                      # "whale" (with account), day = N or
//!                                      # probability = "1%" (per step), size = "50%"
//! [[launches]]                         # optional, each: spec, days or count (first_day,
//!                                      # every_days), funds or buy_with, issuer_buy, buyers,
//!                                      # buyers_per_day, buy ("normal" | "lognormal"),
//!                                      # buy_mean, buy_sd, buy_floor, graduate
//!                                      # ("at_minimum" | "at_close"), trade_buyers_per_day,
//!                                      # trade_sell_share (`launches.rs`)
//! [detectors]                          # optional: inflationary_periods (3), treasury,
//!                                      # treasury_asset, treasury_floor, price_below_usd,
//!                                      # price_drop ("50%"), pool_drained ("10%")
//! [sales]                              # optional: sale, first_step, growth, redemption,
//!                                      # redeem_share
//! [buybacks]                           # optional: spread_days (at least 1)
//! [rewards]                            # optional: epoch_days, revenue_rule, revenue_per_day;
//!                                      # [[rewards.stakers]], [[rewards.liquidity]],
//!                                      # [rewards.voters], [rewards.contributors]
//!                                      # (schema in `rewards.rs`)
//! ```
//!
//! A key that applies to another model than the one chosen is an error
//! (`annual_volatility` with `model = "constant"`), as is an unknown key;
//! but a model chosen by `--set` leaves aside the keys the file writes for
//! its own model (`--set emissions.model=none` on a file with `per_day`).
//!
//! Bounds, checked where read, each message giving the key and the range:
//! `usd_agents + token_agents` at most [`MAX_AGENTS`] (10^6);
//! `actions_per_day`, each demand `table` entry and a growth path on every
//! day of the horizon at most [`MAX_ACTIONS_PER_DAY`] (10^12); every token
//! price (`start_usd`, `table_usd` entries, a growth path) above 0 and at
//! most [`MAX_TOKEN_PRICE_USD`] (10^9); `noise` and `annual_volatility`
//! from 0% to [`MAX_SIGMA`] (1000%), `annual_drift` within ±1000%;
//! `daily_growth` and each of `rates` above -100%; `growth_mean` and
//! `daily_drift` within ±1000%, `growth_sd` and `daily_volatility` from 0%
//! to 1000%, `growth_floor` from -100% to 1000%; `seasonality` a share,
//! `season_phase_days` below `season_days`; at most [`MAX_SHOCKS`] shocks,
//! each with `day` within the horizon or `probability` above 0%, `size`
//! above 0%; emissions at most [`MAX_EMITTED_UNITS`]
//! (10^38 base units) over the horizon (`per_day` times `days`, or the
//! table's sum).

// The driver types below (`PricePath`, `DemandPath`, `EmissionSchedule`,
// `Holders`, ...) are the simulator's model, yet they live here: this crate
// compiles TOML into them and `furnace-sim` depends on this crate, so
// moving them to the simulator would need a third crate both depend on (or
// config handing over untyped values). Not worth it for eight plain enums
// and structs; revisit when emission schedules move into the economy core.
mod compile;
mod demand;
mod launches;
mod markets;
mod paths;
mod raw;
mod rewards;
mod rewards_read;
mod stochastic;
mod training;

pub use rewards::{
    ContributorDrivers, LiquidityDrivers, RewardDrivers, StakerDrivers, VoterDrivers,
};

pub use stochastic::{
    Detectors, Seasonality, Shock, ShockKind, ShockWhen, DEFAULT_INFLATIONARY_PERIODS,
    DEFAULT_POOL_DRAINED, DEFAULT_PRICE_DROP, MAX_SHOCKS,
};
pub use training::{
    BountyDriver, TrainingDrivers, MAX_TRAINER_ACTIONS_PER_DAY, MAX_TRAINING_SIGMA,
    MAX_TRAINING_TRAINERS,
};

pub use launches::{
    BuyDraw, Funding, Graduate, LaunchDrivers, MAX_LAUNCHES_PER_RUN, MAX_LAUNCH_BUYERS,
};

pub use crate::overrides::{apply_overrides, override_value, parse_override};

use crate::economy::{compile_economy, LoadedEconomy, ECONOMY_PREFIX};
use crate::overrides::blame_overrides;
use crate::read::Reader;
use crate::source::{ConfigErrors, Source};
use crate::{check_kind, FileKind};
use furnace_core::event::MintReason;
use furnace_core::ids::{AccountId, AssetId, MarketId, PlanId, RedemptionId, SaleId, VersionId};
use furnace_core::units::Ppm;
use raw::RawEconomySet;
use std::path::{Path, PathBuf};

/// Bound on a scenario's horizon: 100 years of days.
pub const MAX_DAYS: u32 = 36_500;

/// The most subscribed agents a scenario may run, USD- and token-paid
/// together: 10^6. The simulator keeps about 54 bytes per agent
/// (`usd_agents = 4294967295` tried to allocate 34 GB; 10^8 took
/// 5.4 GB); 10^6 take about 54 MB, and are 30,000 times the bundled
/// scenarios' 30.
pub const MAX_AGENTS: u32 = 1_000_000;

/// The most pay-as-you-go actions in a day (`actions_per_day`, a `table`
/// entry, or a growth path on any day of the horizon): 10^12, 10^5 times
/// seed 000's "10M+ actions daily at scale". Demand is drawn in `f64`,
/// exact for whole numbers below 2^53 (9 x 10^15), and a horizon's total
/// (at most 3.65 x 10^16) fits a `u64` (1.8 x 10^19).
pub const MAX_ACTIONS_PER_DAY: u64 = 1_000_000_000_000;

/// The highest token price a scenario may set (`price.start_usd`, a
/// `table_usd` entry, or a growth path on any day), in numeraire units per
/// whole token: 10^9, as the economy's [`MAX_PRICE_USD`]: 10^21 pico-units,
/// far inside the engine's 128 bits.
///
/// [`MAX_PRICE_USD`]: crate::economy::MAX_PRICE_USD
pub const MAX_TOKEN_PRICE_USD: f64 = 1e9;

/// The highest sigma (`demand.noise`, daily; `price.annual_volatility`)
/// and the largest `price.annual_drift` either way: 1000%. A daily
/// demand noise of 1000% leaves the median day e^-50 of its demand, and a
/// volatility of 1000% a year moves the price 52% a day: beyond that a
/// value is surely a slip (`5` for `5%`). A GBM whose volatility makes the
/// price collapse within the bound is the simulator's to report.
pub const MAX_SIGMA: f64 = 10.0;

/// The most base units of the token the emissions may mint over the
/// horizon: 10^38. The ledger counts supply in `u128` (3.4 x 10^38), and
/// genesis holds far less (each entry at most
/// [`MAX_GENESIS_UNITS`](crate::economy::MAX_GENESIS_UNITS), 10^30). A
/// token's `max_supply` is the simulator's to enforce: it refuses the
/// mints past it and warns.
pub const MAX_EMITTED_UNITS: u128 = 100_000_000_000_000_000_000_000_000_000_000_000_000;

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

/// Pay-as-you-go actions per day (before seasonality, shocks and noise).
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
    /// A random walk of growth draws (the fuel-sweep model): `A_0 =
    /// start`, `A_{t+1} = A_t (1 + max(floor, g_t))`, `g_t ~ N(mean, sd)`.
    RandomGrowth {
        start: u64,
        mean: f64,
        sd: f64,
        floor: f64,
    },
    /// Geometric Brownian motion, daily: `A_0 = start`, `A_{t+1} = A_t
    /// exp(drift - volatility^2/2 + volatility Z_t)`.
    Gbm {
        start: u64,
        drift: f64,
        volatility: f64,
    },
    /// A table of daily growth rates: `A_0 = start`, `A_{t+1} = A_t (1 +
    /// rates[t])`, the last rate repeating.
    Rates {
        start: u64,
        rates: Vec<f64>,
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
    /// A periodic factor on the path, if any.
    pub seasonality: Option<Seasonality>,
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
    /// Exponential decay: `E_0 = per_day`, `E_{t+1} = floor(E_t x
    /// factor)`, exact in integers (the core's geometric emission curve
    /// reduces its rate the same way).
    Decay {
        per_day: u128,
        factor: Ppm,
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
    /// Pooled trainers (issue 7): the path is registered with
    /// `RegisterPooledPath`, each trainer holds a position of this points
    /// pool weighted quality x usage, and the trainers leg credits the
    /// pool in O(1) whatever the number of trainers (they claim from it).
    /// None: the leg is divided among the trainers at each action.
    pub pool: Option<furnace_core::ids::RewardPoolId>,
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
    /// What the fractions apply to.
    pub basis: SellBasis,
}

/// What a holder's sell-back fraction applies to (`[holders] sell`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum SellBasis {
    /// Its whole balance, each day (the default).
    #[default]
    Balance,
    /// What its balance grew by since its last sell-back: what it received
    /// that day ("creators sell 50% of what they received that day").
    Received,
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
    /// `[training]`: trainers earning points under the economy's points
    /// rules.
    pub training: Option<TrainingDrivers>,
    pub burns: OtherBurns,
    /// `[[shocks]]`, in file order.
    pub shocks: Vec<Shock>,
    /// What the Monte Carlo runner watches for (`[detectors]`).
    pub detectors: Detectors,
    /// `[[launches]]`, in file order (`launches.rs`).
    pub launches: Vec<LaunchDrivers>,
    pub source: Source,
    /// `[rewards]`: the populations holding reward-pool positions.
    pub rewards: Option<RewardDrivers>,
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

/// How the scenario spells an `[economy_set]` entry's key.
fn scenario_key(key: &str) -> String {
    format!("economy_set.\"{key}\"")
}

/// Point the economy's errors that an `[economy_set]` entry caused (by
/// writing the value, or one its key relates to) at the entry's line in
/// the scenario. The economy's overrides are the scenario's entries, then
/// the command line's `economy.` sets (named as typed: they keep their
/// prefix).
fn attribute(
    errors: ConfigErrors,
    source: &Source,
    sets: &[RawEconomySet],
    economy: &Source,
) -> ConfigErrors {
    let attributed = errors.0.into_iter().map(|e| {
        let entry = e.set.as_ref().and_then(|set| {
            let i = economy
                .overrides
                .iter()
                .position(|(k, v)| format!("{k}={v}") == *set)?;
            sets.get(i)
        });
        match entry {
            Some(s) => source.error(
                Some(s.key.span()),
                &scenario_key(s.key.get_ref()),
                format!("{}: `{}`: {}", economy.path.display(), e.key, e.message),
            ),
            None => e,
        }
    });
    ConfigErrors::sorted(attributed.collect())
}

/// Read a scenario and its economy. Overrides whose key starts with
/// `economy.` (and has more after it) apply to the economy file, after the
/// scenario's own `[economy_set]`; the rest to the scenario. Every problem
/// of both is reported, the scenario's once the economy compiles.
pub fn load_scenario(
    path: &Path,
    overrides: &[(String, String)],
) -> Result<Scenario, ConfigErrors> {
    let (economy_overrides, scenario_overrides): (Vec<_>, Vec<_>) = overrides
        .iter()
        .cloned()
        .partition(|(k, _)| k.len() > ECONOMY_PREFIX.len() && k.starts_with(ECONOMY_PREFIX));
    let mut source = Source::read(path)?;
    check_kind(&source, FileKind::Scenario)?;
    apply_overrides(&mut source, &scenario_overrides)?;
    let (root, mut read_errors) = crate::doc::parse(&source, "")?;
    let mut reader = Reader::new(&source);
    let raw = raw::read(&mut reader, &root);
    read_errors.append(&mut reader.errors);
    if raw.economy.get_ref().is_empty() {
        // No economy to compile against: what the reader found is all (a
        // missing key was reported; `economy = ""` is reported here).
        if !read_errors.iter().any(|e| e.key == "economy") {
            read_errors.push(source.error(
                Some(raw.economy.span()),
                "economy",
                "must name the economy file, as a path relative to this scenario (e.g. \"../economies/lam.toml\")".into(),
            ));
        }
        return Err(blame_overrides(&source, "", read_errors));
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let economy_path = normalize(&base.join(raw.economy.get_ref()));
    let mut economy_source = Source::read(&economy_path).map_err(|mut e| {
        for err in &mut e.0 {
            *err = source.error(
                Some(raw.economy.span()),
                "economy",
                format!("{}: {}", economy_path.display(), err.message),
            );
        }
        e
    })?;
    economy_source.overrides = raw
        .economy_set
        .iter()
        .map(|s| (s.key.get_ref().clone(), crate::doc::toml_text(&s.value)))
        .chain(economy_overrides)
        .collect();
    let economy = compile_economy(economy_source.clone())
        .map_err(|e| attribute(e, &source, &raw.economy_set, &economy_source));
    let economy = match economy {
        Ok(economy) => economy,
        Err(ConfigErrors(mut errors)) => {
            // The scenario's own reading problems are reported with the
            // economy's; its compilation needs the economy.
            errors.extend(blame_overrides(&source, "", read_errors).0);
            return Err(ConfigErrors::sorted(errors));
        }
    };
    compile::compile_scenario(source, raw, read_errors, economy_path, economy)
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
        use crate::overrides::related;
        assert!(related("tokens.LAM.oracle", "tokens.LAM.oracle"));
        assert!(related("tokens.LAM.oracle.window", "tokens.LAM.oracle"));
        assert!(related("splits.action.legs", "splits.action.legs[0].share"));
        assert!(!related("tokens.LAMB", "tokens.LAM"));
        assert!(!related("", "tokens"));
        assert!(!related("plans.agent", "tokens.LAM.oracle"));
    }
}
