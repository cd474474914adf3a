//! The scenario file as serde reads it, spans kept.

use crate::values::Number;
use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub economy: Spanned<String>,
    pub days: Spanned<u32>,
    #[serde(default)]
    pub seed: u64,
    /// The version pay-as-you-go actions run on (optional with `[sales]`).
    #[serde(default)]
    pub version: Option<Spanned<String>>,
    pub price: RawPrice,
    #[serde(default)]
    pub demand: Option<RawDemand>,
    #[serde(default)]
    pub sales: Option<RawSales>,
    #[serde(default)]
    pub buybacks: Option<RawBuybackDrivers>,
    #[serde(default)]
    pub emissions: Option<RawEmissions>,
    #[serde(default)]
    pub subscriptions: Option<RawSubscriptionDrivers>,
    #[serde(default)]
    pub holders: RawHolders,
    #[serde(default)]
    pub trainers: Option<RawTrainers>,
    #[serde(default)]
    pub burns: Option<RawBurns>,
    /// Economy keys overridden from the scenario: `"tokens.LAM.oracle" =
    /// { spot = "lam_usd" }`, in file order. (Values carry no span: toml
    /// cannot span a table made by an unquoted dotted key, the very mistake
    /// `economy_set` must report; errors point at the key.)
    #[serde(default)]
    pub economy_set: IndexMap<Spanned<String>, toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBurns {
    pub failed_action_share: Option<Spanned<Number>>,
    pub voluntary_per_day: Option<Spanned<Number>>,
    pub penalty_per_day: Option<Spanned<Number>>,
    pub penalty_from: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrainers {
    pub trainers: Spanned<u32>,
    pub path_share: Spanned<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHolders {
    #[serde(default = "yes")]
    pub sell_back: bool,
    /// Where they sell (default: the demand market).
    pub market: Option<Spanned<String>>,
    /// Fractions sold each day of what each kind of holder has.
    pub creators: Option<Spanned<Number>>,
    pub accounts: Option<Spanned<Number>>,
    pub emissions: Option<Spanned<Number>>,
}

impl Default for RawHolders {
    fn default() -> Self {
        RawHolders {
            sell_back: true,
            market: None,
            creators: None,
            accounts: None,
            emissions: None,
        }
    }
}

/// Mint-on-purchase sales, step by step (AST's monthly token sales).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSales {
    pub sale: Spanned<String>,
    /// Whole tokens sold in the first step.
    pub first_step: Spanned<Number>,
    /// Growth from each step to the next, as percentages ("200%" triples);
    /// the last entry repeats; none means constant.
    #[serde(default)]
    pub growth: Vec<Spanned<Number>>,
    /// Redeemed each step for the unit of service.
    pub redemption: Option<Spanned<String>>,
    pub redeem_share: Option<Spanned<Number>>,
}

/// How buyback programs spread their budget.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBuybackDrivers {
    /// Each program spends `budget / days left` of this many days.
    pub spread_days: Spanned<u32>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPrice {
    pub model: Spanned<String>,
    pub start_usd: Option<Spanned<Number>>,
    pub daily_growth: Option<Spanned<Number>>,
    pub annual_drift: Option<Spanned<Number>>,
    pub annual_volatility: Option<Spanned<Number>>,
    pub table_usd: Option<Vec<Spanned<Number>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDemand {
    /// The market pay-as-you-go users buy from (default: the first external
    /// market selling the token, else the first pool pairing it with the
    /// numeraire).
    pub market: Option<Spanned<String>>,
    pub model: Spanned<String>,
    pub actions_per_day: Option<Spanned<u64>>,
    pub daily_growth: Option<Spanned<Number>>,
    pub table: Option<Vec<u64>>,
    pub noise: Option<Spanned<Number>>,
    pub marketplace_share: Spanned<Number>,
    #[serde(default = "one")]
    pub creator_epoch: Spanned<u32>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEmissions {
    pub model: Spanned<String>,
    pub per_day: Option<Spanned<Number>>,
    pub half_life_days: Option<Spanned<u32>>,
    pub end_day: Option<Spanned<u32>>,
    pub table: Option<Vec<Spanned<Number>>>,
    pub to: Spanned<String>,
    #[serde(default = "training")]
    pub reason: Spanned<String>,
}

fn training() -> Spanned<String> {
    Spanned::new(0..0, "training_reward".into())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSubscriptionDrivers {
    pub plan: Spanned<String>,
    #[serde(default)]
    pub usd_agents: u32,
    #[serde(default)]
    pub token_agents: u32,
}
