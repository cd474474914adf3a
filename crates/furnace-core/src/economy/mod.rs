//! The compiled economy: the rules, every name already resolved to an id.
//! Built by `furnace-config` from a TOML file (or by hand in tests), then
//! checked once by [`Economy::validate`], which is the only way to obtain the
//! [`ValidEconomy`] that [`crate::apply`] takes. Immutable while events are
//! applied.
//!
//! Nothing here is a singleton: an economy has any number of tokens,
//! markets, subscription plans, revenue rules, buyback programs (with an
//! optional burn fraction tied to staking), sales, redemptions, reward
//! pools (with optional stake caps) and emission schedules (`rewards.rs`),
//! and launch specs for bonding-curve raises (`launch.rs`), each naming
//! the tokens and accounts it uses. Pools and tokens that launches create
//! exist only in the state, in id ranges of their own (`ids.rs`). Roles (which
//! asset prices are quoted in, which account is the outside market) come
//! from the file, never from a name the code knows.

mod launch;
mod points;
mod rewards;
mod usage;

use crate::ids::{AssetSlot, MarketSlot};
// The ids every table is indexed by, re-exported where the tables live.
pub use crate::ids::{
    AccountId, AssetId, LaunchSpecId, MarketId, PlanId, PointsRulesId, ProgramId, RedemptionId,
    RewardPoolId, RuleId, SaleId, ScheduleId, SplitId, VersionId,
};
use crate::units::{BaseUnits, Ppm};
pub use launch::{
    Allocation, AllocationTarget, BondingCurve, LaunchParty, LaunchSpec, LAUNCH_TOKEN,
    MAX_ALLOCATIONS,
};
pub use points::{
    BadgeTier, BountyTier, PointsRules, ReferralTier, TrainingMode, MAX_POINTS_TIERS,
};
pub use rewards::{
    CurveStep, EmissionChannel, EmissionCurve, EmissionSchedule, EmissionSource, LockPoint,
    PoolWeight, RewardPoolSpec, StakeBurn, StakeCap, MAX_CHANNELS, MAX_CURVE_STEPS, MAX_EXCLUDED,
    MAX_LOCK_POINTS, MAX_LOCK_STEPS,
};
pub use usage::{
    DiscountTier, UsageBuy, UsagePart, UsageRule, UsageTo, MAX_DISCOUNT_TIERS, MAX_USAGE_PARTS,
};

/// Bound on legs in one split: keeps the per-action receipt a fixed-size,
/// allocation-free value.
pub const MAX_LEGS: usize = 8;
/// Bound on parts of one revenue rule (its result is a fixed-size array).
pub const MAX_REVENUE_PARTS: usize = 8;
/// Bound on venues of one buyback program (fills are a fixed-size array).
pub const MAX_VENUES: usize = 8;
/// Bound on trainers on one action path (eager pro-rata payout is O(trainers)).
pub const MAX_TRAINERS_PER_PATH: usize = 100_000;
/// Bound on a time-weighted average's window, in steps: the ring buffer is
/// allocated once at genesis.
pub const MAX_TWAP_WINDOW: u32 = 10_000;
/// Bound on an oracle chain (a token priced by a pool against a token priced
/// by a pool...): 4 hops covers model-token/network-token/USD with room.
pub const MAX_ORACLE_DEPTH: usize = 4;
/// The most decimals the numeraire may have: prices are pico-numeraire
/// (10^-12) per whole token, so a numeraire base unit must not be finer.
pub const MAX_NUMERAIRE_DECIMALS: u8 = 12;

/// A declared asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetSpec {
    pub name: String,
    pub decimals: u8,
    /// A mint that would take the supply past this is rejected.
    pub max_supply: Option<BaseUnits>,
}

/// Where tokens go. Wherever a rule routes tokens (a split's shortfall,
/// no-marketplace, no-trainers and dust routes, a buyback's purchases, a
/// redemption, an early-withdrawal fee, an emission channel), a reward pool
/// may receive them; validation checks the pool pays in that asset.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Destroyed: total supply falls.
    Burn,
    /// Credited to an account.
    Account(AccountId),
    /// Credited to a reward pool, shared by its positions (or to its
    /// `empty_to` while it has no weight).
    RewardPool(RewardPoolId),
}

/// The role of one leg of a consumption split.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LegKind {
    /// Destroyed.
    Burn,
    /// The marketplace workflow's creator at the workflow's epoch share (up
    /// to this leg's share); the shortfall and the no-marketplace case are
    /// routed by the split's `creator_shortfall_to` and `no_marketplace_to`.
    Creator,
    /// The trainers of the action path used, pro rata by quality x usage;
    /// to `no_trainers_to` when the path has none.
    Trainers,
    /// A named account (ecosystem, foundation, treasury...).
    Account(AccountId),
    /// A reward pool paying the version's token: the leg is shared by the
    /// pool's positions in O(1), however many there are (the trainers leg
    /// pays each trainer of the path, O(trainers)).
    RewardPool(RewardPoolId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leg {
    /// The leg's name as the economy file spells it: receipts, quotes, reports.
    pub name: String,
    pub kind: LegKind,
    pub share: Ppm,
}

/// How tokens consumed by actions are distributed.
///
/// Rounding: each leg receives `floor(total * share)`; the creator leg's
/// parts (creator, shortfall) are each floored likewise; trainers receive
/// `floor(trainer_leg * weight / total_weight)`. What the floors leave, the
/// dust, goes to `dust_to`, so the parts always sum exactly to the whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumptionSplit {
    pub name: String,
    pub legs: Vec<Leg>,
    /// Creator share by Creator Epoch: `creator_epochs[0]` is epoch 1;
    /// epochs past the end use the last entry.
    pub creator_epochs: Vec<Ppm>,
    pub creator_shortfall_to: Destination,
    pub no_marketplace_to: Destination,
    pub no_trainers_to: Destination,
    pub dust_to: Destination,
}

impl ConsumptionSplit {
    /// The creator share for a workflow published in `epoch` (1-based;
    /// epoch 0 is treated as epoch 1).
    pub fn creator_share_for_epoch(&self, epoch: u32) -> Ppm {
        let creator_leg = self.creator_leg_share();
        let Some(last) = self.creator_epochs.len().checked_sub(1) else {
            return creator_leg;
        };
        let index = usize::try_from(epoch.max(1) - 1).map_or(last, |i| i.min(last));
        self.creator_epochs[index]
    }

    /// The share of the creator leg (0 if the split has none).
    pub fn creator_leg_share(&self) -> Ppm {
        self.legs
            .iter()
            .find(|l| l.kind == LegKind::Creator)
            .map_or(Ppm::ZERO, |l| l.share)
    }

    /// The leg of this name, if any.
    pub fn leg_named(&self, name: &str) -> Option<(usize, &Leg)> {
        self.legs.iter().enumerate().find(|(_, l)| l.name == name)
    }
}

/// A model version: a fixed price per action in the numeraire, paid in one
/// token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionSpec {
    pub name: String,
    pub token: AssetId,
    /// Price of one action in numeraire base units (USD micro-dollars). Non-zero.
    pub price: BaseUnits,
    pub split: SplitId,
}

/// A named account known when the economy loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSpec {
    pub name: String,
    pub description: String,
}

/// Who receives one part of a revenue rule.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Payee {
    /// Credited to an account of the economy.
    Account(AccountId),
    /// Paid out of the economy (a cost: compute, API): recorded as an
    /// outflow, so `paid in == held + paid out` still balances.
    PayOut,
    /// Credited to a reward pool that pays in the numeraire (fee sharing
    /// with stakers).
    RewardPool(RewardPoolId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenuePart {
    pub name: String,
    pub to: Payee,
    pub share: Ppm,
}

/// How money paid in (a USD subscription, a token sale, inference revenue)
/// is divided. Each part `floor(amount * share)`; the dust to the first part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevenueRule {
    pub name: String,
    pub parts: Vec<RevenuePart>,
}

/// A subscription plan (e.g. one AI agent for one month).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanSpec {
    pub name: String,
    /// Price per period in numeraire base units.
    pub price: BaseUnits,
    /// Actions the period includes: escrowed tokens are released pro rata.
    pub actions_included: u64,
    /// Length of one period in steps (days).
    pub period_days: u32,
    /// The version its actions run on.
    pub version: VersionId,
    /// The token the plan may be paid in (must be the version's token).
    pub token: AssetId,
    /// Discount for paying in `token` (LAM: 10%).
    pub token_discount: Ppm,
    /// Where tokens paid for the plan wait until actions release them.
    pub escrow: AccountId,
    /// How a payment in the numeraire is divided.
    pub revenue: RuleId,
    /// The inventory that funds the actions of numeraire-paid subscriptions
    /// (LAM: tokens bought back with the revenue). None: they cannot run.
    pub funded_from: Option<AccountId>,
}

/// A market: where tokens trade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketSpec {
    pub name: String,
    pub kind: MarketKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarketKind {
    /// A constant-product pool between two assets (Uniswap v2 style). Its
    /// reserves are state; its LP shares are the asset `AssetId::lp(id)`.
    Pool {
        assets: [AssetId; 2],
        /// Fee charged on the input, parts per million; stays in the pool.
        fee: Ppm,
        /// Reserves minted into the pool at genesis.
        genesis: [BaseUnits; 2],
        /// Who receives the genesis LP shares.
        lp_to: AccountId,
    },
    /// An outside venue (an exchange, OTC holders): trades `token` at the
    /// token's oracle price. Its tokens are `account`'s balance; its
    /// numeraire side is outside the economy (paid out when it sells, paid
    /// in when it buys).
    External { token: AssetId, account: AccountId },
}

/// Where a token's price comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Oracle {
    /// Set by `SetPrice` events (a price path, a feed).
    Exogenous,
    /// A pool's spot price, against the other asset of the pool (the
    /// numeraire, or a token with an oracle of its own).
    Spot(MarketId),
    /// The average of the pool's spot price over the last `window` ticks.
    Twap { market: MarketId, window: u32 },
}

/// One place a buyback program buys.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Venue {
    pub market: MarketId,
    /// Share of each execution routed here; weights sum to 100%.
    pub weight: Ppm,
    /// Most of the budget asset spent here per step (tick), if capped.
    pub cap_per_step: Option<BaseUnits>,
}

/// A buyback program: spend a budget account's asset buying a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuybackProgram {
    pub name: String,
    /// The account whose balance of `pay` is the budget.
    pub budget: AccountId,
    /// The asset spent (the numeraire, or another token).
    pub pay: AssetId,
    /// The token bought.
    pub token: AssetId,
    pub venues: Vec<Venue>,
    /// At a pool, an execution moves the token's price up at most this much.
    pub max_impact: Option<Ppm>,
    /// Most spent per step (tick) across all venues.
    pub max_spend_per_step: Option<BaseUnits>,
    /// Bought tokens are burned or credited here (with `stake_burn`: the
    /// part not burned).
    pub destination: Destination,
    /// Burn only the unstaked fraction of what is bought (`StakeBurn`).
    pub stake_burn: Option<StakeBurn>,
}

/// Mint on purchase: a token sold at a fixed numeraire price is minted when
/// bought, and the payment is divided by a revenue rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleSpec {
    pub name: String,
    pub token: AssetId,
    /// Numeraire base units per whole token.
    pub price: BaseUnits,
    pub revenue: RuleId,
}

/// A token exchanged for its unit of service (AST: 1 token = 1 compute hour).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedemptionSpec {
    pub name: String,
    pub token: AssetId,
    /// Redeemed tokens are burned, or kept by an account (out of circulation
    /// but still in supply).
    pub destination: Destination,
}

/// An economy's rules, compiled. Validate it to apply events with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Economy {
    pub name: String,
    /// Declared assets by id (`AssetId::declared(i)` is `assets[i]`).
    pub assets: Vec<AssetSpec>,
    /// The asset prices are quoted in (USD, micro-dollars).
    pub numeraire: AssetId,
    /// Where each declared asset's price comes from (by declared index).
    pub oracles: Vec<Oracle>,
    pub accounts: Vec<AccountSpec>,
    /// Initial balances: (asset, account, amount). Genesis mints them.
    pub genesis: Vec<(AssetId, AccountId, BaseUnits)>,
    pub versions: Vec<VersionSpec>,
    pub splits: Vec<ConsumptionSplit>,
    pub rules: Vec<RevenueRule>,
    pub plans: Vec<PlanSpec>,
    pub markets: Vec<MarketSpec>,
    pub buybacks: Vec<BuybackProgram>,
    pub sales: Vec<SaleSpec>,
    pub redemptions: Vec<RedemptionSpec>,
    /// Reward pools by id (`RewardPoolId(i)` is `reward_pools[i]`).
    pub reward_pools: Vec<RewardPoolSpec>,
    /// Emission schedules by id (`ScheduleId(i)` is `emissions[i]`).
    pub emissions: Vec<EmissionSchedule>,
    /// Launch specs by id (`LaunchSpecId(i)` is `launches[i]`).
    pub launches: Vec<LaunchSpec>,
    /// Points rules by id (`PointsRulesId(i)` is `points[i]`).
    pub points: Vec<PointsRules>,
}

/// An economy that passed [`Economy::validate`]. Only validation builds
/// one, so `apply` never runs rules that were never checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidEconomy(pub(crate) Economy);

impl std::ops::Deref for ValidEconomy {
    type Target = Economy;
    fn deref(&self) -> &Economy {
        &self.0
    }
}

impl ValidEconomy {
    pub fn into_inner(self) -> Economy {
        self.0
    }
}

fn position<T>(items: &[T], pred: impl Fn(&T) -> bool) -> Option<usize> {
    items.iter().position(pred)
}

impl Economy {
    /// The id of a declared asset, by name. Load-time only: the per-event
    /// path never sees a name.
    pub fn asset_by_name(&self, name: &str) -> Option<AssetId> {
        position(&self.assets, |a| a.name == name).and_then(AssetId::declared)
    }

    pub fn account_by_name(&self, name: &str) -> Option<AccountId> {
        position(&self.accounts, |a| a.name == name).and_then(AccountId::named)
    }

    pub fn version_by_name(&self, name: &str) -> Option<VersionId> {
        position(&self.versions, |v| v.name == name).and_then(VersionId::from_index)
    }

    pub fn plan_by_name(&self, name: &str) -> Option<PlanId> {
        position(&self.plans, |p| p.name == name).and_then(PlanId::from_index)
    }

    pub fn market_by_name(&self, name: &str) -> Option<MarketId> {
        position(&self.markets, |m| m.name == name).and_then(MarketId::from_index)
    }

    pub fn program_by_name(&self, name: &str) -> Option<crate::ids::ProgramId> {
        position(&self.buybacks, |b| b.name == name).and_then(crate::ids::ProgramId::from_index)
    }

    pub fn sale_by_name(&self, name: &str) -> Option<crate::ids::SaleId> {
        position(&self.sales, |s| s.name == name).and_then(crate::ids::SaleId::from_index)
    }

    pub fn redemption_by_name(&self, name: &str) -> Option<crate::ids::RedemptionId> {
        position(&self.redemptions, |r| r.name == name)
            .and_then(crate::ids::RedemptionId::from_index)
    }

    pub fn rule_by_name(&self, name: &str) -> Option<RuleId> {
        position(&self.rules, |r| r.name == name).and_then(RuleId::from_index)
    }

    pub fn reward_pool_by_name(&self, name: &str) -> Option<RewardPoolId> {
        position(&self.reward_pools, |p| p.name == name).and_then(RewardPoolId::from_index)
    }

    pub fn schedule_by_name(&self, name: &str) -> Option<ScheduleId> {
        position(&self.emissions, |s| s.name == name).and_then(ScheduleId::from_index)
    }

    pub fn launch_spec_by_name(&self, name: &str) -> Option<LaunchSpecId> {
        position(&self.launches, |s| s.name == name).and_then(LaunchSpecId::from_index)
    }

    pub fn points_rules_by_name(&self, name: &str) -> Option<PointsRulesId> {
        position(&self.points, |s| s.name == name).and_then(PointsRulesId::from_index)
    }

    /// A market's name, for reports: the declared name, or `runtime#k` for
    /// the `k`-th pool created at run time.
    pub fn market_name(&self, id: MarketId) -> String {
        match id.slot() {
            MarketSlot::Declared(i) => self
                .markets
                .get(i)
                .map_or_else(|| format!("market#{}", id.0), |m| m.name.clone()),
            MarketSlot::Runtime(k) => format!("runtime#{k}"),
        }
    }

    /// A reward pool's name, for reports (`pool#k` for an unknown id).
    pub fn reward_pool_name(&self, id: RewardPoolId) -> String {
        self.reward_pools
            .get(id.index())
            .map_or_else(|| format!("pool#{}", id.0), |p| p.name.clone())
    }

    /// A declared asset's spec (None for LP and launched assets, and for
    /// unknown ids).
    pub fn declared_asset(&self, id: AssetId) -> Option<&AssetSpec> {
        match id.slot() {
            AssetSlot::Declared(i) => self.assets.get(i),
            _ => None,
        }
    }

    /// A name for any asset id, for reports: declared names, `<pool>.LP`
    /// for LP shares, `launched#k` for launched tokens.
    pub fn asset_name(&self, id: AssetId) -> String {
        match id.slot() {
            AssetSlot::Declared(i) => self
                .assets
                .get(i)
                .map_or_else(|| format!("asset#{}", id.0), |a| a.name.clone()),
            AssetSlot::Lp(i) => match MarketId::from_index(i) {
                Some(m) if matches!(m.slot(), MarketSlot::Runtime(_)) => {
                    format!("{}.LP", self.market_name(m))
                }
                _ => self
                    .markets
                    .get(i)
                    .map_or_else(|| format!("lp#{i}"), |m| format!("{}.LP", m.name)),
            },
            AssetSlot::Launched(i) => format!("launched#{i}"),
        }
    }

    /// A name for any account id: the declared name, or `#k` for the k-th
    /// opened account.
    pub fn account_name(&self, id: AccountId) -> String {
        match id.slot() {
            Ok(i) => self
                .accounts
                .get(i)
                .map_or_else(|| format!("account#{}", id.0), |a| a.name.clone()),
            Err(k) => format!("#{k}"),
        }
    }

    /// Whether `market` sells `token` for the numeraire: an external market
    /// of that token, or a pool pairing it with the numeraire.
    pub fn sells_for_numeraire(&self, market: &MarketSpec, token: AssetId) -> bool {
        match &market.kind {
            MarketKind::External { token: t, .. } => *t == token,
            MarketKind::Pool { assets, .. } => {
                assets.contains(&token) && assets.contains(&self.numeraire)
            }
        }
    }

    /// Where a leg goes, as economy files spell it: "burn", "creator",
    /// "trainers", or the account's name.
    pub fn leg_target_name(&self, kind: LegKind) -> String {
        match kind {
            LegKind::Burn => "burn".into(),
            LegKind::Creator => "creator".into(),
            LegKind::Trainers => "trainers".into(),
            LegKind::Account(a) => self.account_name(a),
            LegKind::RewardPool(p) => self.reward_pool_name(p),
        }
    }

    /// Who receives a revenue part, as economy files spell it: the
    /// account's name, or "pay_out".
    pub fn payee_name(&self, payee: Payee) -> String {
        match payee {
            Payee::Account(a) => self.account_name(a),
            Payee::PayOut => "pay_out".into(),
            Payee::RewardPool(p) => self.reward_pool_name(p),
        }
    }

    /// How a destination is spelled in economy files and reports.
    pub fn destination_name(&self, d: Destination) -> String {
        match d {
            Destination::Burn => "burn".into(),
            Destination::Account(a) => self.account_name(a),
            Destination::RewardPool(p) => self.reward_pool_name(p),
        }
    }

    pub fn version(&self, id: VersionId) -> &VersionSpec {
        &self.versions[id.index()]
    }

    pub fn split(&self, id: SplitId) -> &ConsumptionSplit {
        &self.splits[id.index()]
    }

    pub fn plan(&self, id: PlanId) -> &PlanSpec {
        &self.plans[id.index()]
    }

    pub fn rule(&self, id: RuleId) -> &RevenueRule {
        &self.rules[id.index()]
    }

    pub fn market(&self, id: MarketId) -> &MarketSpec {
        &self.markets[id.index()]
    }

    pub fn reward_pool(&self, id: RewardPoolId) -> &RewardPoolSpec {
        &self.reward_pools[id.index()]
    }

    pub fn schedule(&self, id: ScheduleId) -> &EmissionSchedule {
        &self.emissions[id.index()]
    }

    pub fn launch_spec(&self, id: LaunchSpecId) -> &LaunchSpec {
        &self.launches[id.index()]
    }

    /// The share of a numeraire payment for `plan` that a revenue rule
    /// credits to `account` (e.g. the buyback budget).
    pub fn rule_share_to(&self, rule: RuleId, account: AccountId) -> Ppm {
        Ppm(self.rules[rule.index()]
            .parts
            .iter()
            .filter(|p| p.to == Payee::Account(account))
            .map(|p| p.share.0)
            .sum())
    }
}
