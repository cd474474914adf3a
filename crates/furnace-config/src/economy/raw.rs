//! The economy file as serde reads it: every value keeps its span, and every
//! named section is an [`IndexMap`] so its entries keep their file order
//! (declaration order gives ids). Nothing is resolved or converted here; see
//! `compile.rs`.

use crate::values::Number;
use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// A section of named entries (`[accounts.X]`, `[plans.X]`...), in file order.
pub(crate) type Named<T> = IndexMap<Spanned<String>, T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEconomy {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sources: Vec<String>,
    /// The declared asset prices are quoted in.
    pub numeraire: Spanned<String>,
    #[serde(default)]
    pub tokens: Named<RawToken>,
    #[serde(default)]
    pub accounts: Named<RawAccount>,
    /// Account -> asset -> whole units.
    #[serde(default)]
    pub genesis: Named<Named<Spanned<Number>>>,
    #[serde(default)]
    pub markets: Named<RawMarket>,
    #[serde(default)]
    pub versions: Named<RawVersion>,
    #[serde(default)]
    pub splits: Named<RawSplit>,
    #[serde(default)]
    pub revenue: Named<RawRevenue>,
    #[serde(default)]
    pub plans: Named<RawPlan>,
    #[serde(default)]
    pub buybacks: Named<RawBuyback>,
    #[serde(default)]
    pub sales: Named<RawSale>,
    #[serde(default)]
    pub redemptions: Named<RawRedemption>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawToken {
    /// Default 18.
    pub decimals: Option<Spanned<u8>>,
    /// What the token is for (documentation, reports).
    #[serde(default)]
    pub description: String,
    /// Whole tokens; mints past it are rejected.
    pub max_supply: Option<Spanned<Number>>,
    /// `"exogenous"` (default), `{ spot = "<pool>" }` or
    /// `{ twap = "<pool>", window = <steps> }`: read by hand in
    /// `compile.rs` for precise messages.
    pub oracle: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccount {
    #[serde(default)]
    pub description: String,
}

/// One table for both market kinds (`kind` says which fields apply): serde's
/// tagged enums buffer their content and would lose the spans.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMarket {
    /// `"pool"` or `"external"`.
    pub kind: Spanned<String>,
    // Pool.
    pub assets: Option<Spanned<Vec<Spanned<String>>>>,
    pub reserves: Option<Spanned<Vec<Spanned<Number>>>>,
    pub fee: Option<Spanned<Number>>,
    pub lp_to: Option<Spanned<String>>,
    // External.
    pub token: Option<Spanned<String>>,
    pub account: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersion {
    pub token: Spanned<String>,
    /// In the numeraire.
    pub price_usd: Spanned<Number>,
    pub split: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLeg {
    pub name: Spanned<String>,
    /// "burn", "creator", "trainers" or an account name.
    pub to: Spanned<String>,
    pub share: Spanned<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSplit {
    pub legs: Spanned<Vec<RawLeg>>,
    #[serde(default)]
    pub creator_epochs: Vec<Spanned<Number>>,
    pub creator_shortfall_to: Option<Spanned<String>>,
    pub no_marketplace_to: Option<Spanned<String>>,
    pub no_trainers_to: Option<Spanned<String>>,
    pub dust_to: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRevenuePart {
    /// Defaults to `to`.
    pub name: Option<Spanned<String>>,
    /// An account, or `pay_out`.
    pub to: Spanned<String>,
    pub share: Spanned<Number>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRevenue {
    pub parts: Spanned<Vec<RawRevenuePart>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlan {
    pub price_usd: Spanned<Number>,
    pub actions_included: Spanned<u64>,
    /// Default 30.
    pub period_days: Option<Spanned<u32>>,
    pub version: Spanned<String>,
    pub token: Spanned<String>,
    pub token_discount: Spanned<Number>,
    pub escrow: Spanned<String>,
    pub revenue: Spanned<String>,
    pub funded_from: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVenue {
    pub market: Spanned<String>,
    pub weight: Spanned<Number>,
    /// Whole units of the program's `pay` asset.
    pub cap_per_day: Option<Spanned<Number>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBuyback {
    pub budget: Spanned<String>,
    /// Default: the numeraire.
    pub pay: Option<Spanned<String>>,
    pub token: Spanned<String>,
    pub venues: Spanned<Vec<RawVenue>>,
    pub max_impact: Option<Spanned<Number>>,
    /// Whole units of `pay`.
    pub max_spend_per_day: Option<Spanned<Number>>,
    /// "burn" or an account.
    pub destination: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSale {
    pub token: Spanned<String>,
    /// Numeraire per whole token.
    pub price_usd: Spanned<Number>,
    pub revenue: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRedemption {
    pub token: Spanned<String>,
    /// "burn" or an account.
    pub to: Spanned<String>,
}
