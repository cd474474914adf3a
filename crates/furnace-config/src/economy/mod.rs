//! Economy files (`economies/*.toml`) -> [`furnace_core::ValidEconomy`].
//!
//! Three stages, every problem of each reported: the reader (`raw.rs`,
//! over the crate's spanned tree) fills `Raw*` structs that keep every
//! value's span, reporting unknown keys, missing keys and values of the
//! wrong type; `compile` resolves names to ids and converts numbers
//! exactly (`compile.rs`, `rules.rs`, `names.rs`), and checks the share
//! sums and creator epochs; if every name resolved and every number
//! converted, the core's [`furnace_core::Economy::check`] runs too, and
//! each of its errors is mapped back to the line of the key it names
//! (`spans.rs`). Errors come in file order; an error about a value a
//! `--set` wrote (or a key inside or around it) names that `--set`.
//!
//! **Ids follow declaration order**: tokens, accounts, markets, versions,
//! splits, revenue rules, plans, buybacks, sales, redemptions, reward
//! pools, emission schedules and launches are
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
//! are percentage strings (`"34%"`, the `%` required). Names are TOML keys:
//! a name with a dot must be quoted (`[versions."gpt-4.1"]`), else TOML
//! reads nested tables.
//!
//! Bounds: every `price_usd` is at most [`MAX_PRICE_USD`] (10^9) whole
//! units of the numeraire; every genesis balance, pool reserve and
//! `max_supply` at most [`MAX_GENESIS_UNITS`] (10^30) base units; decimals
//! at most 18 (the numeraire's 12). Unknown keys are errors.
//!
//! `--set` keys of an economy may start with `economy.`, as `furnace run`
//! spells them (`economy.plans.agent.price_usd=2000`): one spelling works
//! for every command.
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
//! destination = "fuel"                   # or "burn", or a reward pool
//! stake_burn = { pool = "stakers", excluded = ["community", "ecosystem"] }
//! # optional (core `StakeBurn`): burn only the fraction 1 - staked/circulating
//! # of what is bought, the rest to `destination` (then not "burn"). `pool`: a
//! # stake pool of `token`; circulating = supply - balances of `excluded`
//! # accounts (optional, at most 16); nothing staked: all burned.
//!
//! [sales.AST]                            # mint on purchase
//! token = "AST"
//! price_usd = "0.10"                     # numeraire per whole token
//! revenue = "purchases"
//!
//! [redemptions.compute_hour]
//! token = "AST"
//! to = "redeemed"                        # or "burn"
//!
//! [reward_pools.stakers]                 # O(1) pro-rata rewards (core `RewardPoolSpec`)
//! reward = "LAM"                         # the asset rewards are paid in
//! stake = "LAM"                          # positions deposit this declared asset, or `{ lp = "MARKET" }` a pool market's LP shares; or `points = true`
//! empty_to = "ecosystem"                 # rewards arriving while nothing is staked (never stranded)
//! dust_to = "unallocated"                # booked rounding dust
//! lock_multipliers = [ { days = 0, multiplier = "1" }, { days = 30, multiplier = "1" },
//!                      { days = 365, multiplier = "3.01" } ]   # optional, piecewise linear (gmFLOCK)
//! unbonding_days = 7                     # optional
//! early_withdrawal_fee = "5.13%"         # optional, before the lock ends
//! early_withdrawal_fee_to = "burn"       # needed with a fee: burn, an account or a pool
//! stake_cap = { cap = "1", excess_rate = "50%", limit = "2", surplus_to = "treasury" }
//! # optional, stake pools only (core `StakeCap`): with G the geometric mean of
//! # the positions' weights at the last `RebalanceStakeCaps`, a weight counts in
//! # full up to cap x G, at excess_rate between cap x G and limit x G, not at all
//! # above; `cap` (> 0) and `limit` (>= cap) are decimal multiples of G (at most
//! # 6 decimals); what the excess earns goes to the account `surplus_to`.
//!
//! [emissions.incentives]                 # one epoch per `Emit` (core `EmissionSchedule`)
//! token = "LAM"
//! source = "mint"                        # default; or an account a vesting allocation pays from
//! reason = "staking"                     # mint reason (default training_reward)
//! channels = [ { to = "stakers", share = "80%" }, { name = "governance", to = "voters", share = "20%" } ]
//! curve = { kind = "geometric", initial = "1_000_000", factor = "0.999", every_epochs = 1 }
//! # kind = "constant" (per_epoch) | "geometric" (initial, factor in (0, 1], every_epochs)
//! #      | "issuance_halving" (base, cap) | "steps" (steps = [{ from_epoch, per_epoch }])
//! #      | "linear" (total, epochs)
//! cap = "300_000_000"                    # optional, whole tokens
//! already_emitted = "0"                  # optional, counts toward cap
//! epoch_days = 1                         # default 1
//!
//! [launches.rmo]                         # a bonding-curve raise (core `LaunchSpec`); `CreateLaunch` instantiates it
//! quote = "FLOCK"                        # the asset buyers pay in; every raise, cap and fee below is in its whole units
//! decimals = 18                          # the launched token's (default 18)
//! total_supply = "1_000_000"             # whole launched tokens, its fixed maximum supply
//! allocations = [                        # minted at graduation; shares sum to 100%, dust to the first entry
//!   { to = "sale", share = "40%" },      # exactly one: what the curve sold (the unsold part is never minted)
//!   { to = "liquidity", share = "20%" }, # exactly one: seeds the graduated pool
//!   { name = "operator", to = "issuer", share = "10%" },   # the launch's issuer
//!   { to = "treasury", share = "30%" },  # an account; `name` defaults to `to`
//! ]                                      # the words sale, liquidity, issuer come before any account so named
//! curve = { virtual_quote = "100_000", virtual_tokens = "500_000" }   # constant product on virtual reserves,
//!                                        # whole units of the quote and of the token; the maximum raise may sell at most the sale
//! window_days = 7                        # purchases accepted this many days after creation
//! min_raise = "100_000"                  # principal needed to graduate (else every buyer is refunded)
//! max_raise = "400_000"                  # graduates at once when reached
//! max_commit_per_buyer = "150_000"       # optional (not applied to the issuer)
//! issuer_max_share = "25%"               # default 0%: the issuer's purchases may owe them this share of supply
//! purchase_fee = "1.5%"                  # taken from each payment, never refunded
//! purchase_fee_to = "platform"           # burn (a token quote only), an account or a reward pool
//! launch_fee = "32_768"                  # optional, paid by the issuer at creation
//! launch_fee_to = "platform"             # default: purchase_fee_to
//! raise_to_liquidity = "50%"             # of the raised principal, into the pool (> 0)
//! raise_rest_to = "treasury"             # "issuer" or an account; needed unless raise_to_liquidity is 100%
//! pool_fee = "0.3%"                      # the graduated pool's swap fee
//! lp_to = "issuer"                       # "issuer" or an account: the pool's first LP shares
//!
//! [launches.rmo.staking]                 # optional: a stake pool of each graduated token (run-time id)
//! reward = "FLOCK"                       # plus empty_to, dust_to, and as a reward pool's: lock_multipliers,
//! empty_to = "treasury"                  # unbonding_days, early_withdrawal_fee (burned or to an account);
//! dust_to = "treasury"                   # no stake_cap
//!
//! [launches.rmo.usage]                   # optional: paid usage of the token's service (`LaunchUsage`)
//! price_per_call = "0.01"                # whole numeraire units a call, before the discount
//! cost_per_call = "0.004"                # compute, paid out (default 0; at most the price)
//! via = "flock_usd"                      # a declared pool of the numeraire and the quote (to buy the launch's token)
//! parts = [                              # the net; shares sum to 100%, dust to the first part
//!   { name = "buyback", share = "30%", buy = "flock_usd", to = "burn" },   # buy: a declared pool of the numeraire
//!   { name = "treasury", share = "30%", to = "treasury" },                 # no buy: the numeraire to an account
//!   { name = "burn", share = "30%", buy = "launch_token", to = "burn" },   # the launch's token on its own pool
//!   { name = "owner", share = "10%", to = "issuer" },                      # to: "burn", "issuer" or an account
//! ]
//! max_discount = "50%"                   # below 100%: usage is never free
//! discounts = [{ staked = "1_000", discount = "10%" }]   # whole launched tokens staked in the launch's stake pool
//! ```
//!
//! A split leg, a revenue part, a buyback destination, a redemption and an
//! emission channel may name a reward pool where an account could stand;
//! a pool's name may not also be an account's.
//!
//! `cap_per_day` and `max_spend_per_day` are the core's per-step limits:
//! the simulator's step is a day.

mod compile;
mod launches;
mod names;
mod points;
mod raw;
mod rewards;
mod rules;
mod spans;
mod usage;

pub use compile::DEFAULT_DECIMALS;
pub use names::{BURN, CREATOR, PAY_OUT, RESERVED, TRAINERS};

use crate::overrides::blame_overrides;
use crate::read::{merge, Reader};
use crate::source::{ConfigError, ConfigErrors, Source};
use crate::{check_kind, FileKind};
use furnace_core::EconomyError;
use furnace_core::ValidEconomy;
use spans::Spans;
use std::ops::Range;

/// The highest `price_usd` a file may write (versions, plans, sales): 10^9
/// whole units of the numeraire, a billion dollars for one action, one
/// plan period or one token. The engine multiplies prices by counts and
/// token amounts in 128 bits; `price_usd = 9223372036854775807` (the
/// largest TOML integer) passed the checks and overflowed on day 1. At 12
/// numeraire decimals 10^9 is 10^21 base units, so 10^6 subscribers (the
/// scenario's bound) pay at most 10^27 a period: far inside `u128`
/// (3.4 x 10^38).
pub const MAX_PRICE_USD: u128 = 1_000_000_000;

/// The largest genesis balance, pool reserve or `max_supply`: 10^30 base
/// units each (10^12 whole tokens at 18 decimals, a thousand times LAM's
/// supply). `u128` holds 3.4 x 10^38: with every entry under 10^30, no sum
/// of genesis entries an 8 MiB file can hold (under 10^6 of them) comes
/// near it, and 10^38 is left for emissions (the scenario's bound).
pub const MAX_GENESIS_UNITS: u128 = 1_000_000_000_000_000_000_000_000_000_000;

/// An economy file, compiled and validated, with what reports need besides.
#[derive(Clone, Debug)]
pub struct LoadedEconomy {
    /// The rules; ids in declaration order.
    pub economy: ValidEconomy,
    pub description: String,
    pub sources: Vec<String>,
    /// Each declared asset's `description`, by declared index.
    pub token_descriptions: Vec<String>,
    /// The file as read, with the overrides applied to it: spans point
    /// into its text.
    pub source: Source,
    spans: Spans,
}

impl LoadedEconomy {
    /// Where the file writes `key` (a key as the core spells it:
    /// `plans.agent.price_usd`), else its nearest enclosing key; None if an
    /// override wrote it.
    pub fn span_of_key(&self, key: &str) -> Option<Range<usize>> {
        self.spans
            .locate(key)
            .filter(|span| self.source.set_of(span).is_none())
    }

    /// An error about `key` of this economy file, at the key's line (or
    /// naming the `--set` that wrote it).
    pub fn error_at(&self, key: &str, message: String) -> ConfigError {
        self.source.error(self.spans.locate(key), key, message)
    }
}

/// Read and compile an economy file.
pub fn load_economy(path: &std::path::Path) -> Result<LoadedEconomy, ConfigErrors> {
    compile_economy(Source::read(path)?)
}

/// The prefix `furnace run` gives economy keys (`--set
/// economy.plans.agent.price_usd=...`); an economy file's own overrides may
/// be spelled with it too, so one `--set` serves every command.
pub(crate) const ECONOMY_PREFIX: &str = "economy.";

/// Compile and validate an economy from its source text, after its
/// overrides. Every problem of the file is reported in one pass, in file
/// order: what cannot be read, what does not resolve or convert, and the
/// share lists that do not sum to 100%; the core's other rules are checked
/// once all of that is clean.
pub fn compile_economy(source: Source) -> Result<LoadedEconomy, ConfigErrors> {
    check_kind(&source, FileKind::Economy)?;
    let (root, mut read_errors) = crate::doc::parse(&source, ECONOMY_PREFIX)?;
    let mut reader = Reader::new(&source);
    let raw = raw::read(&mut reader, &root);
    read_errors.append(&mut reader.errors);
    let mut cx = names::Ctx::new(&source);
    let (economy, token_descriptions) = compile::compile(&mut cx, &raw);
    let names::Ctx {
        errors,
        rules,
        spans,
        ..
    } = cx;
    let locate = |e: EconomyError| source.error(spans.locate(&e.path), &e.path, e.message);
    // Every name resolved and every number converted: the core's rules
    // mean something even if a share list is off, so they are checked too.
    let clean = read_errors.is_empty() && errors.is_empty();
    let mut errors = merge(
        read_errors,
        errors.into_iter().chain(rules.clone()).collect(),
    );
    if clean {
        let core = economy.check().into_iter().map(locate);
        errors.extend(core.filter(|e| !rules.contains(e)));
    }
    if !errors.is_empty() {
        return Err(blame_overrides(&source, ECONOMY_PREFIX, errors));
    }
    let economy = economy.validate().map_err(|errors| {
        let errors = errors.into_iter().map(locate).collect();
        blame_overrides(&source, ECONOMY_PREFIX, errors)
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
