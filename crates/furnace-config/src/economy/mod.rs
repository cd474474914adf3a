//! Economy files (`economies/*.toml`) -> [`furnace_core::ValidEconomy`].
//!
//! Two stages: serde reads the TOML into `Raw*` structs that keep every
//! value's span (`raw.rs`); `compile` resolves names to ids and converts
//! numbers exactly (`compile.rs`, `rules.rs`, `names.rs`), collecting every
//! error with its file, line, column and key. If that stage finds nothing,
//! the core's [`furnace_core::Economy::validate`] runs, and each of its
//! errors is mapped back to the line of the key it names (`spans.rs`).
//!
//! **Ids follow declaration order**: tokens, accounts, markets, versions,
//! splits, revenue rules, plans, buybacks, sales and redemptions are
//! numbered in the order the file declares them, so appending a declaration
//! never renumbers the ones an event log already holds.
//!
//! Generic: no name is special except the reserved destination words
//! `burn`, `creator`, `trainers` and `pay_out`, which no account may take.
//! Which asset prices are quoted in is the file's `numeraire`.
//!
//! # The schema
//!
//! Amounts are exact decimals, written as strings (`"1_000.5"`) or TOML
//! numbers, in **whole units** of their asset (converted with its
//! decimals); every `price_usd` is in whole units of the numeraire. Shares
//! are percentage strings (`"34%"`, the `%` required).
//!
//! ```toml
//! name = "LAM"
//! description = "..."
//! sources = ["../shared/seeds/000_...txt"]
//! numeraire = "USD"                      # the declared token prices are quoted in
//!
//! [tokens.USD]
//! decimals = 6
//! description = "US dollars (micro-dollars)"
//!
//! [tokens.LAM]
//! decimals = 18                          # default 18
//! max_supply = "1_000_000_000"           # optional, whole tokens; mints past it are rejected
//! oracle = "exogenous"                   # default; or { spot = "lam_usd" } or { twap = "lam_usd", window = 7 }
//!
//! [accounts.market]
//! description = "..."
//!
//! [genesis.market]                       # whole units per asset
//! LAM = "600_000_000"
//!
//! [markets.lam_usd]                      # a constant-product pool
//! kind = "pool"
//! assets = ["LAM", "USD"]
//! reserves = ["50_000_000", "5_000_000"] # optional genesis reserves, whole units, in the `assets` order (both or neither)
//! fee = "0.3%"
//! lp_to = "liquidity"                    # who holds the genesis LP shares (required)
//!
//! [markets.otc]                          # an external venue at the oracle price
//! kind = "external"
//! token = "LAM"
//! account = "market"                     # holds the venue's tokens
//!
//! [versions.LAM-1]
//! token = "LAM"
//! price_usd = "0.10"                     # per action, in the numeraire
//! split = "action"
//!
//! [splits.action]
//! legs = [ { name = "burn", to = "burn", share = "34%" }, ... ]  # to: burn, creator, trainers or an account
//! creator_epochs = ["33%", "25%", ...]
//! creator_shortfall_to = "ecosystem_rewards"   # needed with a creator leg
//! no_marketplace_to = "ecosystem_rewards"      # needed with a creator leg
//! no_trainers_to = "ecosystem"                 # needed with a trainers leg
//! dust_to = "unallocated"
//!
//! [revenue.subscriptions]                # numeraire paid in, divided; dust to the first part
//! parts = [
//!   { name = "buybacks", to = "buyback_budget", share = "80%" },
//!   { name = "operator", to = "operator_revenue", share = "20%" },
//! ]                                      # `to = "pay_out"` pays a part out of the economy; `name` defaults to `to`
//!
//! [plans.agent]
//! price_usd = "1000"
//! actions_included = 150_000
//! period_days = 30                       # default 30
//! version = "LAM-1"
//! token = "LAM"                          # paid in this token (must be the version's token)
//! token_discount = "10%"
//! escrow = "escrow"
//! revenue = "subscriptions"              # rule dividing numeraire payments
//! funded_from = "fuel"                   # optional: inventory funding numeraire-paid subscribers' actions
//!
//! [buybacks.subscription_revenue]
//! budget = "buyback_budget"
//! pay = "USD"                            # default: the numeraire
//! token = "LAM"
//! venues = [ { market = "lam_usd", weight = "100%" } ]   # optional per venue: cap_per_day (whole units of `pay`)
//! max_impact = "2%"                      # optional: per execution at a pool
//! max_spend_per_day = "100_000"          # optional, whole units of `pay`
//! destination = "fuel"                   # or "burn"
//!
//! [sales.AST]                            # mint on purchase
//! token = "AST"
//! price_usd = "0.10"                     # numeraire per whole token
//! revenue = "purchases"
//!
//! [redemptions.compute_hour]
//! token = "AST"
//! to = "redeemed"                        # or "burn"
//! ```
//!
//! `cap_per_day` and `max_spend_per_day` are the core's per-step limits:
//! the simulator's step is a day.

mod compile;
mod names;
mod raw;
mod rules;
mod spans;

pub use compile::DEFAULT_DECIMALS;
pub use names::{BURN, CREATOR, PAY_OUT, RESERVED, TRAINERS};

use crate::source::{ConfigError, ConfigErrors, Source};
use furnace_core::ValidEconomy;
use spans::Spans;
use std::ops::Range;

/// An economy file, compiled and validated, with what reports need besides.
#[derive(Clone, Debug)]
pub struct LoadedEconomy {
    /// The rules; ids in declaration order.
    pub economy: ValidEconomy,
    pub description: String,
    pub sources: Vec<String>,
    /// Each declared asset's `description`, by declared index.
    pub token_descriptions: Vec<String>,
    /// The text compiled (after any overrides): spans point into it.
    pub source: Source,
    spans: Spans,
}

impl LoadedEconomy {
    /// Where the file writes `key` (a key as the core spells it:
    /// `plans.agent.price_usd`), else its nearest enclosing key.
    pub fn span_of_key(&self, key: &str) -> Option<Range<usize>> {
        self.spans.locate(key)
    }

    /// An error about `key` of this economy file, at the key's line.
    pub fn error_at(&self, key: &str, message: String) -> ConfigError {
        self.source.error(self.span_of_key(key), key, message)
    }
}

/// Parse TOML with serde, mapping its error to file:line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    source: &Source,
) -> Result<T, ConfigErrors> {
    toml::from_str::<T>(&source.text).map_err(|e| {
        let message = e.message().to_string();
        ConfigErrors::one(source.error(e.span(), "", message))
    })
}

/// Read and compile an economy file.
pub fn load_economy(path: &std::path::Path) -> Result<LoadedEconomy, ConfigErrors> {
    compile_economy(Source::read(path)?)
}

/// Errors in file order (those without a line first).
fn sorted(mut errors: Vec<ConfigError>) -> ConfigErrors {
    errors.sort_by_key(|e| (e.line, e.column));
    ConfigErrors(errors)
}

/// Compile and validate an economy from its source text. Every problem of
/// the file is reported; the core's rules are checked once every name
/// resolves and every number parses.
pub fn compile_economy(source: Source) -> Result<LoadedEconomy, ConfigErrors> {
    let raw: raw::RawEconomy = parse_toml(&source)?;
    let mut cx = names::Ctx::new(&source);
    let (economy, token_descriptions) = compile::compile(&mut cx, &raw);
    let names::Ctx { errors, spans, .. } = cx;
    if !errors.is_empty() {
        return Err(sorted(errors));
    }
    let economy = economy.validate().map_err(|errors| {
        sorted(
            errors
                .into_iter()
                .map(|e| source.error(spans.locate(&e.path), &e.path, e.message))
                .collect(),
        )
    })?;
    Ok(LoadedEconomy {
        economy,
        description: raw.description,
        sources: raw.sources,
        token_descriptions,
        source,
        spans,
    })
}
