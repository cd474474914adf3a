//! The scenario file as read (`read.rs`), spans kept. Whole numbers are
//! range-checked here, where they are read; a key that does not apply to
//! the model chosen (`annual_volatility` with a constant price) is an
//! error here too.

use super::{MAX_ACTIONS_PER_DAY, MAX_AGENTS, MAX_DAYS};
use crate::doc::{Kind, Node};
use crate::read::{Fields, Reader};
use crate::values::Number;
use furnace_core::economy::MAX_TRAINERS_PER_PATH;
use toml::Spanned;

pub(crate) struct RawScenario {
    pub name: Spanned<String>,
    pub description: String,
    pub economy: Spanned<String>,
    pub days: Spanned<u32>,
    pub seed: u64,
    /// The version pay-as-you-go actions run on (optional with `[sales]`).
    pub version: Option<Spanned<String>>,
    pub price: RawPrice,
    pub demand: Option<RawDemand>,
    pub sales: Option<RawSales>,
    pub buybacks: Option<RawBuybackDrivers>,
    pub emissions: Option<RawEmissions>,
    pub subscriptions: Option<RawSubscriptionDrivers>,
    pub holders: RawHolders,
    pub trainers: Option<RawTrainers>,
    pub training: Option<RawTraining>,
    pub burns: Option<RawBurns>,
    /// `[[shocks]]`, in file order.
    pub shocks: Vec<RawShock>,
    pub detectors: Option<RawDetectors>,
    /// Economy keys overridden from the scenario, in file order.
    pub economy_set: Vec<RawEconomySet>,
    /// `[[launches]]`, in file order (`launches.rs`).
    pub launches: Vec<super::launches::RawLaunch>,
    /// The token followed without `version` or `[sales]` (`token = "AIMG"`).
    pub token: Option<Spanned<String>>,
    /// `[rewards]`: stakers, liquidity providers, voters, contributors.
    pub rewards: Option<super::rewards_read::RawRewards>,
}

/// One `[economy_set]` entry: `"tokens.LAM.oracle" = { spot = "lam_usd" }`.
pub(crate) struct RawEconomySet {
    pub key: Spanned<String>,
    pub value: Node,
}

pub(crate) struct RawBurns {
    pub failed_action_share: Option<Spanned<Number>>,
    pub voluntary_per_day: Option<Spanned<Number>>,
    pub penalty_per_day: Option<Spanned<Number>>,
    pub penalty_from: Option<Spanned<String>>,
}

pub(crate) struct RawTrainers {
    pub trainers: Spanned<u32>,
    pub path_share: Spanned<Number>,
    /// A points pool of the economy the trainers leg credits.
    pub pool: Option<Spanned<String>>,
}

/// `[training]` (`training.rs`).
pub(crate) struct RawTraining {
    pub rules: Spanned<String>,
    pub trainers: Spanned<u32>,
    pub active_share: Spanned<Number>,
    pub active_mode: Spanned<String>,
    pub background_mode: Spanned<String>,
    pub actions_per_day: Spanned<u64>,
    pub actions_sigma: Option<Spanned<Number>>,
    pub background_hours: Option<Spanned<u32>>,
    pub background_rate: Option<Spanned<u64>>,
    pub bounties: Option<Spanned<Vec<RawBountyDriver>>>,
    pub referred_share: Option<Spanned<Number>>,
    pub qualify_points: Option<Spanned<Number>>,
    pub claim_every_days: Option<Spanned<u32>>,
}

pub(crate) struct RawBountyDriver {
    pub tier: Spanned<String>,
    pub probability: Spanned<Number>,
}

/// One `[[shocks]]` entry.
pub(crate) struct RawShock {
    pub kind: Spanned<String>,
    pub day: Option<Spanned<u32>>,
    pub probability: Option<Spanned<Number>>,
    pub size: Spanned<Number>,
    pub account: Option<Spanned<String>>,
}

/// `[detectors]`.
pub(crate) struct RawDetectors {
    pub inflationary_periods: Option<Spanned<u32>>,
    pub treasury: Option<Spanned<String>>,
    pub treasury_asset: Option<Spanned<String>>,
    pub treasury_floor: Option<Spanned<Number>>,
    pub price_below_usd: Option<Spanned<Number>>,
    pub price_drop: Option<Spanned<Number>>,
    pub pool_drained: Option<Spanned<Number>>,
}

pub(crate) struct RawHolders {
    /// Default true.
    pub sell_back: bool,
    /// `"balance"` (default) or `"received"`: what the fractions apply to.
    pub sell: Option<Spanned<String>>,
    /// Where they sell (default: the demand market).
    pub market: Option<Spanned<String>>,
    /// Fractions sold each day of what each kind of holder has.
    pub creators: Option<Spanned<Number>>,
    pub accounts: Option<Spanned<Number>>,
    pub emissions: Option<Spanned<Number>>,
}

/// No `[holders]`: they sell everything back, to the demand market.
impl Default for RawHolders {
    fn default() -> Self {
        RawHolders {
            sell_back: true,
            sell: None,
            market: None,
            creators: None,
            accounts: None,
            emissions: None,
        }
    }
}

/// Mint-on-purchase sales, step by step (AST's monthly token sales).
pub(crate) struct RawSales {
    pub sale: Spanned<String>,
    /// Whole tokens sold in the first step.
    pub first_step: Spanned<Number>,
    /// Growth from each step to the next, as percentages ("200%" triples);
    /// the last entry repeats; none means constant.
    pub growth: Vec<Spanned<Number>>,
    /// Redeemed each step for the unit of service.
    pub redemption: Option<Spanned<String>>,
    pub redeem_share: Option<Spanned<Number>>,
}

/// How buyback programs spread their budget.
pub(crate) struct RawBuybackDrivers {
    /// Each program spends `budget / days left` of this many days.
    pub spread_days: Spanned<u32>,
}

pub(crate) struct RawPrice {
    pub model: Spanned<String>,
    pub start_usd: Option<Spanned<Number>>,
    pub daily_growth: Option<Spanned<Number>>,
    pub annual_drift: Option<Spanned<Number>>,
    pub annual_volatility: Option<Spanned<Number>>,
    pub table_usd: Option<Vec<Spanned<Number>>>,
}

pub(crate) struct RawDemand {
    /// The market pay-as-you-go users buy from (default: the first external
    /// market selling the token, else the first pool pairing it with the
    /// numeraire).
    pub market: Option<Spanned<String>>,
    pub model: Spanned<String>,
    pub actions_per_day: Option<Spanned<u64>>,
    pub daily_growth: Option<Spanned<Number>>,
    pub table: Option<Vec<Spanned<u64>>>,
    pub noise: Option<Spanned<Number>>,
    /// `random_growth`: the daily growth draw's mean, sd and floor.
    pub growth_mean: Option<Spanned<Number>>,
    pub growth_sd: Option<Spanned<Number>>,
    pub growth_floor: Option<Spanned<Number>>,
    /// `gbm`: daily drift and volatility of log-demand.
    pub daily_drift: Option<Spanned<Number>>,
    pub daily_volatility: Option<Spanned<Number>>,
    /// `rates`: one growth rate per day, the last repeating.
    pub rates: Option<Vec<Spanned<Number>>>,
    /// Any model: a sine factor `1 + amplitude sin(2 pi (t + phase) / days)`.
    pub seasonality: Option<Spanned<Number>>,
    pub season_days: Option<Spanned<u32>>,
    pub season_phase_days: Option<Spanned<u32>>,
    pub marketplace_share: Spanned<Number>,
    /// Default 1 (empty span).
    pub creator_epoch: Spanned<u32>,
}

pub(crate) struct RawEmissions {
    pub model: Spanned<String>,
    pub per_day: Option<Spanned<Number>>,
    pub half_life_days: Option<Spanned<u32>>,
    pub end_day: Option<Spanned<u32>>,
    pub table: Option<Vec<Spanned<Number>>>,
    /// `decay`: each day's emission is the previous day's times this.
    pub factor: Option<Spanned<Number>>,
    pub to: Spanned<String>,
    /// Default `training_reward` (empty span).
    pub reason: Spanned<String>,
}

pub(crate) struct RawSubscriptionDrivers {
    pub plan: Spanned<String>,
    pub usd_agents: Option<Spanned<u32>>,
    pub token_agents: Option<Spanned<u32>>,
}

/// The largest whole number TOML can write (a seed has no tighter bound).
const TOML_INT_MAX: u64 = i64::MAX as u64;

/// The price models, and which keys apply to which.
const PRICE_MODELS: [&str; 4] = ["constant", "growth", "gbm", "table"];
const PRICE_KEYS: [(&str, &[&str]); 5] = [
    ("start_usd", &["constant", "growth", "gbm"]),
    ("daily_growth", &["growth"]),
    ("annual_drift", &["gbm"]),
    ("annual_volatility", &["gbm"]),
    ("table_usd", &["table"]),
];
const DEMAND_MODELS: [&str; 6] = [
    "constant",
    "growth",
    "table",
    "random_growth",
    "gbm",
    "rates",
];
const DEMAND_KEYS: [(&str, &[&str]); 9] = [
    (
        "actions_per_day",
        &["constant", "growth", "random_growth", "gbm", "rates"],
    ),
    ("daily_growth", &["growth"]),
    ("table", &["table"]),
    ("growth_mean", &["random_growth"]),
    ("growth_sd", &["random_growth"]),
    ("growth_floor", &["random_growth"]),
    ("daily_drift", &["gbm"]),
    ("daily_volatility", &["gbm"]),
    ("rates", &["rates"]),
];
const EMISSION_MODELS: [&str; 6] = [
    "none",
    "constant",
    "halving",
    "linear_decay",
    "table",
    "decay",
];
const EMISSION_KEYS: [(&str, &[&str]); 5] = [
    ("per_day", &["constant", "halving", "linear_decay", "decay"]),
    ("half_life_days", &["halving"]),
    ("end_day", &["linear_decay"]),
    ("table", &["table"]),
    ("factor", &["decay"]),
];

fn unspanned<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

fn nums(f: &mut Fields, r: &mut Reader, name: &'static str) -> Option<Vec<Spanned<Number>>> {
    f.nums(r, name).map(Spanned::into_inner)
}

/// Read a scenario document; every problem goes to `r`.
pub(crate) fn read(r: &mut Reader, root: &Node) -> RawScenario {
    let mut f = Fields::root(root, "a scenario");
    let name = f.req_str(r, "name");
    let description = f.text(r, "description");
    let economy = f.req_str(r, "economy");
    let days = f.req_int(r, "days", 1, MAX_DAYS);
    let seed = f
        .int(r, "seed", 0, TOML_INT_MAX)
        .map_or(0, Spanned::into_inner);
    let version = f.str(r, "version");
    let mut price = f.req_sub(r, "price", "the price");
    let model = price.req_str(r, "model");
    price.only_for_models(r, "price", &model, &PRICE_MODELS, &PRICE_KEYS);
    let raw_price = RawPrice {
        start_usd: price.num(r, "start_usd"),
        daily_growth: price.num(r, "daily_growth"),
        annual_drift: price.num(r, "annual_drift"),
        annual_volatility: price.num(r, "annual_volatility"),
        table_usd: nums(&mut price, r, "table_usd"),
        model,
    };
    price.finish(r);
    let raw = RawScenario {
        name,
        description,
        economy,
        days,
        seed,
        version,
        price: raw_price,
        demand: f.table(r, "demand", "the demand", |r, d| {
            let model = d.req_str(r, "model");
            d.only_for_models(r, "demand", &model, &DEMAND_MODELS, &DEMAND_KEYS);
            RawDemand {
                market: d.str(r, "market"),
                actions_per_day: d.int(r, "actions_per_day", 0, MAX_ACTIONS_PER_DAY),
                daily_growth: d.num(r, "daily_growth"),
                table: d
                    .ints(r, "table", 0, MAX_ACTIONS_PER_DAY)
                    .map(Spanned::into_inner),
                noise: d.num(r, "noise"),
                growth_mean: d.num(r, "growth_mean"),
                growth_sd: d.num(r, "growth_sd"),
                growth_floor: d.num(r, "growth_floor"),
                daily_drift: d.num(r, "daily_drift"),
                daily_volatility: d.num(r, "daily_volatility"),
                rates: nums(d, r, "rates"),
                seasonality: d.num(r, "seasonality"),
                season_days: d.int(r, "season_days", 1, MAX_DAYS),
                season_phase_days: d.int(r, "season_phase_days", 0, MAX_DAYS),
                marketplace_share: d.req_num(r, "marketplace_share"),
                creator_epoch: d
                    .int(r, "creator_epoch", 1, u32::MAX)
                    .unwrap_or_else(|| unspanned(1)),
                model,
            }
        }),
        sales: f.table(r, "sales", "the sales", |r, s| RawSales {
            sale: s.req_str(r, "sale"),
            first_step: s.req_num(r, "first_step"),
            growth: nums(s, r, "growth").unwrap_or_default(),
            redemption: s.str(r, "redemption"),
            redeem_share: s.num(r, "redeem_share"),
        }),
        buybacks: f.table(r, "buybacks", "the buyback drivers", |r, b| {
            RawBuybackDrivers {
                spread_days: b.req_int(r, "spread_days", 1, u32::MAX),
            }
        }),
        emissions: f.table(r, "emissions", "the emissions", |r, e| {
            let model = e.req_str(r, "model");
            e.only_for_models(r, "emission", &model, &EMISSION_MODELS, &EMISSION_KEYS);
            RawEmissions {
                per_day: e.num(r, "per_day"),
                half_life_days: e.int(r, "half_life_days", 1, u32::MAX),
                end_day: e.int(r, "end_day", 1, u32::MAX),
                table: nums(e, r, "table"),
                factor: e.num(r, "factor"),
                to: e.req_str(r, "to"),
                reason: e
                    .str(r, "reason")
                    .unwrap_or_else(|| unspanned("training_reward".into())),
                model,
            }
        }),
        subscriptions: f.table(r, "subscriptions", "the subscriptions", |r, s| {
            RawSubscriptionDrivers {
                plan: s.req_str(r, "plan"),
                usd_agents: s.int(r, "usd_agents", 0, MAX_AGENTS),
                token_agents: s.int(r, "token_agents", 0, MAX_AGENTS),
            }
        }),
        holders: f
            .table(r, "holders", "the holders", |r, h| RawHolders {
                sell_back: h.boolean(r, "sell_back").unwrap_or(true),
                sell: h.str(r, "sell"),
                market: h.str(r, "market"),
                creators: h.num(r, "creators"),
                accounts: h.num(r, "accounts"),
                emissions: h.num(r, "emissions"),
            })
            .unwrap_or_default(),
        trainers: f.table(r, "trainers", "the trainers", |r, t| {
            let max = u32::try_from(MAX_TRAINERS_PER_PATH).unwrap_or(u32::MAX);
            RawTrainers {
                trainers: t.req_int(r, "trainers", 1, max),
                path_share: t.req_num(r, "path_share"),
                pool: t.str(r, "pool"),
            }
        }),
        training: f.table(r, "training", "the training", |r, t| RawTraining {
            rules: t.req_str(r, "rules"),
            trainers: t.req_int(r, "trainers", 1, super::training::MAX_TRAINING_TRAINERS),
            active_share: t.req_num(r, "active_share"),
            active_mode: t.req_str(r, "active_mode"),
            background_mode: t.req_str(r, "background_mode"),
            actions_per_day: t.req_int(
                r,
                "actions_per_day",
                0,
                super::training::MAX_TRAINER_ACTIONS_PER_DAY,
            ),
            actions_sigma: t.num(r, "actions_sigma"),
            background_hours: t.int(r, "background_hours", 0, 24),
            // 10^4 points an hour at most: 24 h stays far inside u64.
            background_rate: t.int(r, "background_rate", 0, 10_000),
            bounties: t.opt_tables(r, "bounties", "a bounty driver", |r, b| RawBountyDriver {
                tier: b.req_str(r, "tier"),
                probability: b.req_num(r, "probability"),
            }),
            referred_share: t.num(r, "referred_share"),
            qualify_points: t.num(r, "qualify_points"),
            claim_every_days: t.int(r, "claim_every_days", 0, super::MAX_DAYS),
        }),
        burns: f.table(r, "burns", "the burns", |r, b| RawBurns {
            failed_action_share: b.num(r, "failed_action_share"),
            voluntary_per_day: b.num(r, "voluntary_per_day"),
            penalty_per_day: b.num(r, "penalty_per_day"),
            penalty_from: b.str(r, "penalty_from"),
        }),
        shocks: f
            .opt_tables(r, "shocks", "a shock", |r, s| RawShock {
                kind: s.req_str(r, "kind"),
                day: s.int(r, "day", 1, MAX_DAYS),
                probability: s.num(r, "probability"),
                size: s.req_num(r, "size"),
                account: s.str(r, "account"),
            })
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        detectors: f.table(r, "detectors", "the detectors", |r, d| RawDetectors {
            inflationary_periods: d.int(r, "inflationary_periods", 0, MAX_DAYS),
            treasury: d.str(r, "treasury"),
            treasury_asset: d.str(r, "treasury_asset"),
            treasury_floor: d.num(r, "treasury_floor"),
            price_below_usd: d.num(r, "price_below_usd"),
            price_drop: d.num(r, "price_drop"),
            pool_drained: d.num(r, "pool_drained"),
        }),
        economy_set: economy_set(r, &mut f),
        launches: super::launches::read(r, &mut f),
        token: f.str(r, "token"),
        rewards: super::rewards_read::read(r, &mut f, root),
    };
    f.finish(r);
    raw
}

/// `[economy_set]`: each key a whole economy key, in quotes.
fn economy_set(r: &mut Reader, f: &mut Fields) -> Vec<RawEconomySet> {
    let Some(entry) = f.entry("economy_set") else {
        return Vec::new();
    };
    let Kind::Table(table) = &entry.value.kind else {
        let found = entry.value.kind.describe();
        r.err(
            entry.value.span.clone(),
            "economy_set",
            format!("expected a table of economy keys and values, found {found}"),
        );
        return Vec::new();
    };
    let mut sets = Vec::new();
    for e in &table.entries {
        let nested = !e.key.contains(['.', '[']) && matches!(e.value.kind, Kind::Table(_));
        if nested {
            r.err(
                e.key_span.clone(),
                &format!("economy_set.\"{}\"", e.key),
                format!(
                    "write the whole economy key in quotes, e.g. `\"{}.KEY\" = ...`: a bare dotted key makes nested tables",
                    e.key
                ),
            );
            continue;
        }
        sets.push(RawEconomySet {
            key: Spanned::new(e.key_span.clone(), e.key.clone()),
            value: e.value.clone(),
        });
    }
    sets
}
