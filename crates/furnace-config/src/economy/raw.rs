//! The economy file as read (`read.rs`): every value keeps its span, and
//! every named section is an [`IndexMap`](indexmap::IndexMap) so its
//! entries keep their file order (declaration order gives ids). Nothing is
//! resolved or converted here; see `compile.rs`.

use crate::doc::Node;
pub(crate) use crate::read::Named;
use crate::read::{Fields, Reader};
use crate::values::Number;
use toml::Spanned;

pub(crate) struct RawEconomy {
    pub name: Spanned<String>,
    pub description: String,
    pub sources: Vec<String>,
    /// The declared asset prices are quoted in.
    pub numeraire: Spanned<String>,
    pub tokens: Named<RawToken>,
    pub accounts: Named<RawAccount>,
    /// Account -> asset -> whole units.
    pub genesis: Named<Named<Spanned<Number>>>,
    pub markets: Named<RawMarket>,
    pub versions: Named<RawVersion>,
    pub splits: Named<RawSplit>,
    pub revenue: Named<RawRevenue>,
    pub plans: Named<RawPlan>,
    pub buybacks: Named<RawBuyback>,
    pub sales: Named<RawSale>,
    pub redemptions: Named<RawRedemption>,
    pub reward_pools: Named<RawRewardPool>,
    pub emissions: Named<RawEmission>,
    pub launches: Named<RawLaunch>,
    pub points: Named<RawPoints>,
}

/// `[points.X]`: training points and referrals (core `PointsRules`).
pub(crate) struct RawPoints {
    /// A points reward pool whose weights are the points.
    pub pool: Spanned<String>,
    pub epoch_days: Spanned<u32>,
    /// Decimal multipliers by epoch ("2.0"); the last continues.
    pub epochs: Option<Spanned<Vec<Spanned<Number>>>>,
    pub badges: Spanned<Vec<RawBadge>>,
    pub modes: Spanned<Vec<RawMode>>,
    pub bounties: Option<Spanned<Vec<RawBounty>>>,
    pub referrals: Spanned<Vec<RawReferral>>,
}

pub(crate) struct RawBadge {
    pub name: Spanned<String>,
    /// Whole lifetime points.
    pub from: Spanned<Number>,
    /// A percentage ("5%").
    pub bonus: Spanned<Number>,
}

pub(crate) struct RawMode {
    pub name: Spanned<String>,
    /// A percentage, may exceed 100% ("100%").
    pub bonus: Spanned<Number>,
}

pub(crate) struct RawBounty {
    pub name: Spanned<String>,
    /// Decimal multipliers ("3", "10").
    pub min: Spanned<Number>,
    pub max: Spanned<Number>,
}

pub(crate) struct RawReferral {
    /// The referrer's referral count from which the tier applies.
    pub from: Spanned<u32>,
    pub commission: Spanned<Number>,
    /// Whole points.
    pub signup_bonus: Spanned<Number>,
    pub qualified_bonus: Spanned<Number>,
}

pub(crate) struct RawToken {
    /// Default 18.
    pub decimals: Option<Spanned<u8>>,
    /// Whole tokens; mints past it are rejected.
    pub max_supply: Option<Spanned<Number>>,
    /// `"exogenous"` (default), `{ spot = "<pool>" }` or
    /// `{ twap = "<pool>", window = <steps> }`: read in `compile.rs`, whose
    /// messages say which forms there are.
    pub oracle: Option<Node>,
    /// What the token is for (documentation, reports).
    pub description: String,
}

/// One table for both market kinds (`kind` says which fields apply).
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

pub(crate) struct RawVersion {
    pub token: Spanned<String>,
    /// In the numeraire.
    pub price_usd: Spanned<Number>,
    pub split: Spanned<String>,
}

pub(crate) struct RawLeg {
    pub name: Spanned<String>,
    /// "burn", "creator", "trainers" or an account name.
    pub to: Spanned<String>,
    pub share: Spanned<Number>,
}

pub(crate) struct RawSplit {
    pub legs: Spanned<Vec<RawLeg>>,
    pub creator_epochs: Vec<Spanned<Number>>,
    pub creator_shortfall_to: Option<Spanned<String>>,
    pub no_marketplace_to: Option<Spanned<String>>,
    pub no_trainers_to: Option<Spanned<String>>,
    pub dust_to: Spanned<String>,
}

pub(crate) struct RawRevenuePart {
    /// Defaults to `to`.
    pub name: Option<Spanned<String>>,
    /// An account, or `pay_out`.
    pub to: Spanned<String>,
    pub share: Spanned<Number>,
}

pub(crate) struct RawRevenue {
    pub parts: Spanned<Vec<RawRevenuePart>>,
}

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

pub(crate) struct RawVenue {
    pub market: Spanned<String>,
    pub weight: Spanned<Number>,
    /// Whole units of the program's `pay` asset.
    pub cap_per_day: Option<Spanned<Number>>,
}

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
    /// `stake_burn = { pool = "...", excluded = [...] }`.
    pub stake_burn: Option<RawStakeBurn>,
}

/// A buyback's burn tied to staking (core `StakeBurn`).
pub(crate) struct RawStakeBurn {
    /// A stake pool of the bought token.
    pub pool: Spanned<String>,
    /// Accounts whose balances are not circulating.
    pub excluded: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A stake cap by geometric mean (core `StakeCap`).
pub(crate) struct RawStakeCap {
    /// A decimal multiple of the geometric mean ("1").
    pub cap: Spanned<Number>,
    pub excess_rate: Spanned<Number>,
    /// A decimal multiple of the geometric mean ("2").
    pub limit: Spanned<Number>,
    pub surplus_to: Spanned<String>,
}

pub(crate) struct RawSale {
    pub token: Spanned<String>,
    /// Numeraire per whole token.
    pub price_usd: Spanned<Number>,
    pub revenue: Spanned<String>,
}

/// One point of a lock-multiplier table.
pub(crate) struct RawLockPoint {
    pub days: Spanned<u32>,
    /// A decimal multiplier, `"3.01"` for 3.01x.
    pub multiplier: Spanned<Number>,
}

pub(crate) struct RawRewardPool {
    /// The asset rewards are paid in.
    pub reward: Spanned<String>,
    /// A stake pool: the asset positions deposit (`stake = "ASSET"`), or a
    /// pool market's LP shares (`stake = { lp = "MARKET" }`).
    pub stake: Option<RawStake>,
    /// A points pool (weights set by events): `points = true`.
    pub points: Option<bool>,
    pub empty_to: Spanned<String>,
    pub dust_to: Spanned<String>,
    pub lock_multipliers: Option<Spanned<Vec<RawLockPoint>>>,
    pub unbonding_days: Option<Spanned<u32>>,
    pub early_withdrawal_fee: Option<Spanned<Number>>,
    /// "burn", an account or a reward pool.
    pub early_withdrawal_fee_to: Option<Spanned<String>>,
    pub stake_cap: Option<RawStakeCap>,
}

pub(crate) struct RawChannel {
    /// Defaults to `to`.
    pub name: Option<Spanned<String>>,
    /// An account or a reward pool.
    pub to: Spanned<String>,
    pub share: Spanned<Number>,
}

pub(crate) struct RawCurveStep {
    pub from_epoch: Spanned<u64>,
    pub per_epoch: Spanned<Number>,
}

/// `curve = { kind = "...", ... }`: `kind` says which fields apply.
pub(crate) struct RawCurve {
    pub kind: Spanned<String>,
    pub per_epoch: Option<Spanned<Number>>,
    pub initial: Option<Spanned<Number>>,
    pub factor: Option<Spanned<Number>>,
    pub every_epochs: Option<Spanned<u64>>,
    pub base: Option<Spanned<Number>>,
    pub cap: Option<Spanned<Number>>,
    pub total: Option<Spanned<Number>>,
    pub epochs: Option<Spanned<u64>>,
    pub steps: Option<Spanned<Vec<RawCurveStep>>>,
    /// Where the table is written (for a missing `kind`).
    pub at: std::ops::Range<usize>,
}

pub(crate) struct RawEmission {
    pub token: Spanned<String>,
    /// "mint" (default) or the account a vesting allocation is paid from.
    pub source: Option<Spanned<String>>,
    /// The mint reason (default `training_reward`).
    pub reason: Option<Spanned<String>>,
    pub channels: Spanned<Vec<RawChannel>>,
    pub curve: Option<RawCurve>,
    pub cap: Option<Spanned<Number>>,
    pub already_emitted: Option<Spanned<Number>>,
    pub epoch_days: Option<Spanned<u32>>,
}

/// One entry of a launch's allocation table.
pub(crate) struct RawAllocation {
    /// Defaults to `to`.
    pub name: Option<Spanned<String>>,
    /// "sale", "liquidity", "issuer" or an account.
    pub to: Spanned<String>,
    pub share: Spanned<Number>,
}

/// `curve = { virtual_quote, virtual_tokens }`, whole units.
pub(crate) struct RawLaunchCurve {
    pub virtual_quote: Spanned<Number>,
    pub virtual_tokens: Spanned<Number>,
    /// Where the table is written (the core's `curve` errors).
    pub at: std::ops::Range<usize>,
}

/// A bonding-curve launch's rules (core `LaunchSpec`).
pub(crate) struct RawLaunch {
    pub quote: Spanned<String>,
    /// The launched token's decimals (default 18).
    pub decimals: Option<Spanned<u8>>,
    /// Whole launched tokens.
    pub total_supply: Spanned<Number>,
    pub allocations: Spanned<Vec<RawAllocation>>,
    pub curve: Option<RawLaunchCurve>,
    pub window_days: Spanned<u32>,
    /// Whole units of the quote asset, as every raise amount and fee.
    pub min_raise: Spanned<Number>,
    pub max_raise: Spanned<Number>,
    pub max_commit_per_buyer: Option<Spanned<Number>>,
    /// Default 0%.
    pub issuer_max_share: Option<Spanned<Number>>,
    pub purchase_fee: Spanned<Number>,
    pub purchase_fee_to: Spanned<String>,
    pub launch_fee: Option<Spanned<Number>>,
    /// Default: `purchase_fee_to`.
    pub launch_fee_to: Option<Spanned<String>>,
    pub raise_to_liquidity: Spanned<Number>,
    /// "issuer" or an account; needed unless all of the raise seeds the pool.
    pub raise_rest_to: Option<Spanned<String>>,
    pub pool_fee: Spanned<Number>,
    /// "issuer" or an account.
    pub lp_to: Spanned<String>,
    /// `[launches.X.staking]`: a stake pool of the token, made at
    /// graduation (core `LaunchSpec::staking`).
    pub staking: Option<RawLaunchStaking>,
    /// `[launches.X.usage]`: paid usage of the launched token's service
    /// (core `UsageRule`).
    pub usage: Option<RawLaunchUsage>,
}

/// A launch's usage rule: prices in whole numeraire units, `discounts`'
/// `staked` in whole launched tokens.
pub(crate) struct RawLaunchUsage {
    pub price_per_call: Spanned<Number>,
    pub cost_per_call: Option<Spanned<Number>>,
    pub via: Option<Spanned<String>>,
    pub parts: Spanned<Vec<RawUsagePart>>,
    pub max_discount: Option<Spanned<Number>>,
    pub discounts: Option<Spanned<Vec<RawDiscountTier>>>,
}

pub(crate) struct RawUsagePart {
    pub name: Option<Spanned<String>>,
    pub share: Spanned<Number>,
    /// A declared pool's name, or "launch_token".
    pub buy: Option<Spanned<String>>,
    /// "burn", "issuer" or an account.
    pub to: Spanned<String>,
}

pub(crate) struct RawDiscountTier {
    pub staked: Spanned<Number>,
    pub discount: Spanned<Number>,
}

/// A launch's stake-pool template: the reward asset and where rewards
/// nobody can earn and rounding dust go.
pub(crate) struct RawLaunchStaking {
    pub reward: Spanned<String>,
    pub empty_to: Spanned<String>,
    pub dust_to: Spanned<String>,
    /// A reward pool's lock rules, as `[reward_pools.X]` writes them
    /// (FOMO's model-token pools take gmFLOCK's multiplier).
    pub lock_multipliers: Option<Spanned<Vec<RawLockPoint>>>,
    pub unbonding_days: Option<Spanned<u32>>,
    pub early_withdrawal_fee: Option<Spanned<Number>>,
    pub early_withdrawal_fee_to: Option<Spanned<String>>,
    /// Where the table is written (the core's `staking` errors).
    pub at: std::ops::Range<usize>,
}

pub(crate) struct RawRedemption {
    pub token: Spanned<String>,
    /// "burn" or an account.
    pub to: Spanned<String>,
}

/// The largest whole number TOML can write (a plan's `actions_included`
/// has no tighter bound of its own).
const TOML_INT_MAX: u64 = i64::MAX as u64;

/// The curve kinds of an emission schedule.
pub(crate) const CURVE_KINDS: &[&str] = &[
    "constant",
    "geometric",
    "issuance_halving",
    "steps",
    "linear",
];

/// The longest lock, unbonding period or epoch a file may write: 100 years
/// of days, as a scenario's `MAX_DAYS`.
const MAX_LOCK_DAYS: u32 = crate::scenario::MAX_DAYS;

/// Read an economy document; every problem goes to `r`.
pub(crate) fn read(r: &mut Reader, root: &Node) -> RawEconomy {
    let mut f = Fields::root(root, "an economy file");
    let raw = RawEconomy {
        name: f.req_str(r, "name"),
        description: f.text(r, "description"),
        sources: f.strings(r, "sources"),
        numeraire: f.req_str(r, "numeraire"),
        tokens: f.named(r, "tokens", "a token", |r, f| RawToken {
            decimals: f.int(r, "decimals", 0, u8::MAX),
            max_supply: f.num(r, "max_supply"),
            oracle: f.entry("oracle").map(|e| e.value.clone()),
            description: f.text(r, "description"),
        }),
        accounts: f.named(r, "accounts", "an account", |r, f| RawAccount {
            description: f.text(r, "description"),
        }),
        genesis: f.named(r, "genesis", "a genesis entry", |r, f| {
            f.all(r, |r, key, node| r.number(key, node))
        }),
        markets: f.named(r, "markets", "a market", |r, f| RawMarket {
            kind: f.req_str(r, "kind"),
            assets: f.names(r, "assets"),
            reserves: f.nums(r, "reserves"),
            fee: f.num(r, "fee"),
            lp_to: f.str(r, "lp_to"),
            token: f.str(r, "token"),
            account: f.str(r, "account"),
        }),
        versions: f.named(r, "versions", "a version", |r, f| RawVersion {
            token: f.req_str(r, "token"),
            price_usd: f.req_num(r, "price_usd"),
            split: f.req_str(r, "split"),
        }),
        splits: f.named(r, "splits", "a split", |r, f| RawSplit {
            legs: f.tables(r, "legs", "a leg", |r, f| RawLeg {
                name: f.req_str(r, "name"),
                to: f.req_str(r, "to"),
                share: f.req_num(r, "share"),
            }),
            creator_epochs: f
                .nums(r, "creator_epochs")
                .map(Spanned::into_inner)
                .unwrap_or_default(),
            creator_shortfall_to: f.str(r, "creator_shortfall_to"),
            no_marketplace_to: f.str(r, "no_marketplace_to"),
            no_trainers_to: f.str(r, "no_trainers_to"),
            dust_to: f.req_str(r, "dust_to"),
        }),
        revenue: f.named(r, "revenue", "a revenue rule", |r, f| RawRevenue {
            parts: f.tables(r, "parts", "a revenue part", |r, f| RawRevenuePart {
                name: f.str(r, "name"),
                to: f.req_str(r, "to"),
                share: f.req_num(r, "share"),
            }),
        }),
        plans: f.named(r, "plans", "a plan", |r, f| RawPlan {
            price_usd: f.req_num(r, "price_usd"),
            actions_included: f.req_int(r, "actions_included", 0, TOML_INT_MAX),
            period_days: f.int(r, "period_days", 0, u32::MAX),
            version: f.req_str(r, "version"),
            token: f.req_str(r, "token"),
            token_discount: f.req_num(r, "token_discount"),
            escrow: f.req_str(r, "escrow"),
            revenue: f.req_str(r, "revenue"),
            funded_from: f.str(r, "funded_from"),
        }),
        buybacks: f.named(r, "buybacks", "a buyback program", |r, f| RawBuyback {
            budget: f.req_str(r, "budget"),
            pay: f.str(r, "pay"),
            token: f.req_str(r, "token"),
            venues: f.tables(r, "venues", "a venue", |r, f| RawVenue {
                market: f.req_str(r, "market"),
                weight: f.req_num(r, "weight"),
                cap_per_day: f.num(r, "cap_per_day"),
            }),
            max_impact: f.num(r, "max_impact"),
            max_spend_per_day: f.num(r, "max_spend_per_day"),
            destination: f.req_str(r, "destination"),
            stake_burn: f.table(r, "stake_burn", "a stake burn", |r, f| RawStakeBurn {
                pool: f.req_str(r, "pool"),
                excluded: f.names(r, "excluded"),
            }),
        }),
        sales: f.named(r, "sales", "a sale", |r, f| RawSale {
            token: f.req_str(r, "token"),
            price_usd: f.req_num(r, "price_usd"),
            revenue: f.req_str(r, "revenue"),
        }),
        redemptions: f.named(r, "redemptions", "a redemption", |r, f| RawRedemption {
            token: f.req_str(r, "token"),
            to: f.req_str(r, "to"),
        }),
        reward_pools: f.named(r, "reward_pools", "a reward pool", |r, f| RawRewardPool {
            reward: f.req_str(r, "reward"),
            stake: stake(r, f),
            points: f.boolean(r, "points"),
            empty_to: f.req_str(r, "empty_to"),
            dust_to: f.req_str(r, "dust_to"),
            lock_multipliers: f.opt_tables(r, "lock_multipliers", "a lock point", |r, f| {
                RawLockPoint {
                    days: f.req_int(r, "days", 0, MAX_LOCK_DAYS),
                    multiplier: f.req_num(r, "multiplier"),
                }
            }),
            unbonding_days: f.int(r, "unbonding_days", 0, MAX_LOCK_DAYS),
            early_withdrawal_fee: f.num(r, "early_withdrawal_fee"),
            early_withdrawal_fee_to: f.str(r, "early_withdrawal_fee_to"),
            stake_cap: f.table(r, "stake_cap", "a stake cap", |r, f| RawStakeCap {
                cap: f.req_num(r, "cap"),
                excess_rate: f.req_num(r, "excess_rate"),
                limit: f.req_num(r, "limit"),
                surplus_to: f.req_str(r, "surplus_to"),
            }),
        }),
        emissions: f.named(r, "emissions", "an emission schedule", |r, f| RawEmission {
            token: f.req_str(r, "token"),
            source: f.str(r, "source"),
            reason: f.str(r, "reason"),
            channels: f.tables(r, "channels", "a channel", |r, f| RawChannel {
                name: f.str(r, "name"),
                to: f.req_str(r, "to"),
                share: f.req_num(r, "share"),
            }),
            curve: {
                let at = f.entry("curve").map(|e| e.key_span.clone());
                f.table(r, "curve", "a curve", |r, f| {
                    let curve = RawCurve {
                        kind: f.req_str(r, "kind"),
                        per_epoch: f.num(r, "per_epoch"),
                        initial: f.num(r, "initial"),
                        factor: f.num(r, "factor"),
                        every_epochs: f.int(r, "every_epochs", 1, TOML_INT_MAX),
                        base: f.num(r, "base"),
                        cap: f.num(r, "cap"),
                        total: f.num(r, "total"),
                        epochs: f.int(r, "epochs", 1, TOML_INT_MAX),
                        steps: f.opt_tables(r, "steps", "a curve step", |r, f| RawCurveStep {
                            from_epoch: f.req_int(r, "from_epoch", 0, TOML_INT_MAX),
                            per_epoch: f.req_num(r, "per_epoch"),
                        }),
                        at: at.unwrap_or(0..0),
                    };
                    f.only_for_models(
                        r,
                        "curve",
                        &curve.kind,
                        CURVE_KINDS,
                        &[
                            ("per_epoch", &["constant"]),
                            ("initial", &["geometric"]),
                            ("factor", &["geometric"]),
                            ("every_epochs", &["geometric"]),
                            ("base", &["issuance_halving"]),
                            ("cap", &["issuance_halving"]),
                            ("total", &["linear"]),
                            ("epochs", &["linear"]),
                            ("steps", &["steps"]),
                        ],
                    );
                    curve
                })
            },
            cap: f.num(r, "cap"),
            already_emitted: f.num(r, "already_emitted"),
            epoch_days: f.int(r, "epoch_days", 1, MAX_LOCK_DAYS),
        }),
        launches: f.named(r, "launches", "a launch", |r, f| RawLaunch {
            quote: f.req_str(r, "quote"),
            decimals: f.int(r, "decimals", 0, u8::MAX),
            total_supply: f.req_num(r, "total_supply"),
            allocations: f.tables(r, "allocations", "an allocation", |r, f| RawAllocation {
                name: f.str(r, "name"),
                to: f.req_str(r, "to"),
                share: f.req_num(r, "share"),
            }),
            curve: {
                let at = f.entry("curve").map(|e| e.key_span.clone());
                f.table(r, "curve", "a bonding curve", |r, f| RawLaunchCurve {
                    virtual_quote: f.req_num(r, "virtual_quote"),
                    virtual_tokens: f.req_num(r, "virtual_tokens"),
                    at: at.unwrap_or(0..0),
                })
            },
            window_days: f.req_int(r, "window_days", 0, MAX_LOCK_DAYS),
            min_raise: f.req_num(r, "min_raise"),
            max_raise: f.req_num(r, "max_raise"),
            max_commit_per_buyer: f.num(r, "max_commit_per_buyer"),
            issuer_max_share: f.num(r, "issuer_max_share"),
            purchase_fee: f.req_num(r, "purchase_fee"),
            purchase_fee_to: f.req_str(r, "purchase_fee_to"),
            launch_fee: f.num(r, "launch_fee"),
            launch_fee_to: f.str(r, "launch_fee_to"),
            raise_to_liquidity: f.req_num(r, "raise_to_liquidity"),
            raise_rest_to: f.str(r, "raise_rest_to"),
            pool_fee: f.req_num(r, "pool_fee"),
            lp_to: f.req_str(r, "lp_to"),
            staking: {
                let at = f.entry("staking").map(|e| e.key_span.clone());
                f.table(r, "staking", "a launch's stake pool", |r, f| {
                    RawLaunchStaking {
                        reward: f.req_str(r, "reward"),
                        empty_to: f.req_str(r, "empty_to"),
                        dust_to: f.req_str(r, "dust_to"),
                        lock_multipliers: f.opt_tables(
                            r,
                            "lock_multipliers",
                            "a lock point",
                            |r, f| RawLockPoint {
                                days: f.req_int(r, "days", 0, MAX_LOCK_DAYS),
                                multiplier: f.req_num(r, "multiplier"),
                            },
                        ),
                        unbonding_days: f.int(r, "unbonding_days", 0, MAX_LOCK_DAYS),
                        early_withdrawal_fee: f.num(r, "early_withdrawal_fee"),
                        early_withdrawal_fee_to: f.str(r, "early_withdrawal_fee_to"),
                        at: at.unwrap_or(0..0),
                    }
                })
            },
            usage: f.table(r, "usage", "a launch's usage rule", |r, f| RawLaunchUsage {
                price_per_call: f.req_num(r, "price_per_call"),
                cost_per_call: f.num(r, "cost_per_call"),
                via: f.str(r, "via"),
                parts: f.tables(r, "parts", "a usage part", |r, f| RawUsagePart {
                    name: f.str(r, "name"),
                    share: f.req_num(r, "share"),
                    buy: f.str(r, "buy"),
                    to: f.req_str(r, "to"),
                }),
                max_discount: f.num(r, "max_discount"),
                discounts: f.opt_tables(r, "discounts", "a discount tier", |r, f| {
                    RawDiscountTier {
                        staked: f.req_num(r, "staked"),
                        discount: f.req_num(r, "discount"),
                    }
                }),
            }),
        }),
        points: f.named(r, "points", "a points rule", |r, f| RawPoints {
            pool: f.req_str(r, "pool"),
            epoch_days: f.req_int(r, "epoch_days", 1, MAX_LOCK_DAYS),
            epochs: f.nums(r, "epochs"),
            badges: f.tables(r, "badges", "a badge tier", |r, f| RawBadge {
                name: f.req_str(r, "name"),
                from: f.req_num(r, "from"),
                bonus: f.req_num(r, "bonus"),
            }),
            modes: f.tables(r, "modes", "a training mode", |r, f| RawMode {
                name: f.req_str(r, "name"),
                bonus: f.req_num(r, "bonus"),
            }),
            bounties: f.opt_tables(r, "bounties", "a bounty tier", |r, f| RawBounty {
                name: f.req_str(r, "name"),
                min: f.req_num(r, "min"),
                max: f.req_num(r, "max"),
            }),
            referrals: f.tables(r, "referrals", "a referral tier", |r, f| RawReferral {
                from: f.req_int(r, "from", 0, u32::MAX),
                commission: f.req_num(r, "commission"),
                signup_bonus: f.req_num(r, "signup_bonus"),
                qualified_bonus: f.req_num(r, "qualified_bonus"),
            }),
        }),
    };
    f.finish(r);
    raw
}

pub(crate) struct RawAccount {
    pub description: String,
}

/// What a stake pool's positions deposit.
pub(crate) enum RawStake {
    /// A declared asset by name.
    Asset(Spanned<String>),
    /// The LP shares of a pool market, by the market's name.
    Lp(Spanned<String>),
}

impl RawStake {
    /// The name written (an asset's or a market's), where it is written.
    pub fn name(&self) -> &Spanned<String> {
        match self {
            RawStake::Asset(n) | RawStake::Lp(n) => n,
        }
    }
}

/// `stake = "ASSET"` or `stake = { lp = "MARKET" }`.
fn stake(r: &mut Reader, f: &mut Fields) -> Option<RawStake> {
    let is_table = f
        .entry("stake")
        .is_some_and(|e| matches!(e.value.kind, crate::doc::Kind::Table(_)));
    if is_table {
        f.table(r, "stake", "an LP stake", |r, t| {
            RawStake::Lp(t.req_str(r, "lp"))
        })
    } else {
        f.str(r, "stake").map(RawStake::Asset)
    }
}
