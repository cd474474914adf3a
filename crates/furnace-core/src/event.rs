//! Events: the only way state changes. The simulator synthesises them; the
//! metering service reads them from its durable log. Both hand them to
//! [`crate::apply`], and both write them in the same format ([`crate::log`]).
//!
//! The serialized form is part of the log format: variants and fields may
//! be **added at the end** only (the binary form numbers variants by
//! position); `tests/log_format.rs` pins the bytes of every variant.

use crate::ids::{
    AccountId, AssetId, LaunchId, LaunchSpecId, MarketId, PathId, PlanId, PointsRulesId,
    PositionId, ProgramId, RedemptionId, RewardPoolId, RuleId, SaleId, ScheduleId, SubscriptionId,
    VersionId, WorkflowId,
};
use crate::units::BaseUnits;
use serde::{Deserialize, Serialize};

macro_rules! reasons {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $n:literal => $text:literal,)* }) => {
        $(#[$m])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u8)]
        pub enum $name { $($(#[$vm])* $variant = $n,)* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            pub const COUNT: usize = Self::ALL.len();
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|r| r.name() == text)
            }
            #[inline]
            pub fn index(self) -> usize {
                self as usize
            }
        }
    };
}

reasons!(
    /// Why units were created. Indexes the per-reason counters of
    /// [`crate::state::AssetTotals`].
    MintReason {
        /// The economy file's initial allocation and pool reserves.
        Genesis = 0 => "genesis",
        /// Emissions: training rewards.
        TrainingReward = 1 => "training_reward",
        /// Emissions: grants approved by the DAO.
        Grant = 2 => "grant",
        /// Emissions: referral commissions.
        Referral = 3 => "referral",
        /// Emissions: staking rewards.
        Staking = 4 => "staking",
        /// Numeraire entering from outside the economy (a customer paying,
        /// an outside market paying a seller). Numeraire only.
        ExternalInflow = 5 => "external_inflow",
        /// A token minted because it was bought (mint on purchase).
        Purchase = 6 => "purchase",
        /// LP shares minted for liquidity added to a pool.
        Liquidity = 7 => "liquidity",
    }
);

impl MintReason {
    /// Emissions in the seeds' sense (`E_t`): new token supply that nobody
    /// paid for.
    pub fn is_emission(self) -> bool {
        matches!(
            self,
            MintReason::TrainingReward
                | MintReason::Grant
                | MintReason::Referral
                | MintReason::Staking
        )
    }
}

reasons!(
    /// Why units were destroyed. Indexes the per-reason counters.
    BurnReason {
        /// The burn share of consumed tokens (and anything a split routes to burn).
        Action = 0 => "action",
        /// Tokens bought back and burned.
        Buyback = 1 => "buyback",
        /// A holder burning their own tokens.
        Voluntary = 2 => "voluntary",
        /// A penalty.
        Penalty = 3 => "penalty",
        /// The tokens of an action that failed.
        FailedAction = 4 => "failed_action",
        /// Numeraire leaving the economy (a cost paid out, a payment to an
        /// outside market). Numeraire only.
        ExternalOutflow = 5 => "external_outflow",
        /// Tokens redeemed for their unit of service and destroyed.
        Redeemed = 6 => "redeemed",
        /// LP shares burned for liquidity removed (and the shares a pool
        /// locks forever at its first deposit).
        Liquidity = 7 => "liquidity",
        /// Numeraire paid out of the economy as a cost (a revenue rule's
        /// `pay_out` part: compute, API). Numeraire only.
        Cost = 8 => "cost",
    }
);

/// Who pays for actions.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// An account pays from its own token balance at the oracle price.
    Account(AccountId),
    /// A subscription's allowance: a token-paid subscription releases its
    /// escrow pro rata to the plan's included actions; a numeraire-paid one
    /// is funded from the plan's `funded_from` inventory at the oracle price.
    Subscription(SubscriptionId),
}

/// How a subscription is paid.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payment {
    /// In the numeraire (USD): the plan's revenue rule divides it.
    Numeraire,
    /// In the plan's token at its discount: `ceil(S * (1 - d) / P)` tokens
    /// move from the subscriber to the plan's escrow.
    Token,
}

/// A trainer of an action path with their weight components.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainerWeight {
    pub trainer: AccountId,
    /// Quality score (any non-negative integer scale, e.g. 0..=100).
    pub quality: u32,
    /// How often the trainer's demonstrations were used.
    pub usage: u64,
}

/// A swap order. Amounts are base units of the asset named.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Sell exactly `amount_in`; reject if less than `min_out` would come out.
    ExactIn {
        amount_in: BaseUnits,
        min_out: BaseUnits,
    },
    /// Buy exactly `amount_out`; reject if more than `max_in` would be paid.
    ExactOut {
        amount_out: BaseUnits,
        max_in: BaseUnits,
    },
}

/// One change to an economy. Applying it either succeeds completely or is
/// rejected and changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Open a new, empty account (a user, creator, trainer...).
    OpenAccount,
    /// Create a token at run time (a launch). Its id is the next in the
    /// launched range; its price is exogenous.
    LaunchToken {
        decimals: u8,
        max_supply: Option<BaseUnits>,
    },
    /// The exogenous price of a token, in pico-numeraire (10^-12 USD) per
    /// whole token. Only for tokens whose oracle is exogenous.
    SetPrice {
        token: AssetId,
        price_usd_pico: u128,
    },
    /// One step of time passes (a day in the simulator, an epoch in the
    /// service): time-weighted oracles sample their pools, and per-step
    /// buyback limits start afresh.
    Tick,
    /// Create new units: emissions (training rewards, grants...) or, for the
    /// numeraire, money entering from outside.
    Mint {
        asset: AssetId,
        to: AccountId,
        amount_base_units: BaseUnits,
        reason: MintReason,
    },
    /// Destroy units held by `from`.
    Burn {
        asset: AssetId,
        from: AccountId,
        amount_base_units: BaseUnits,
        reason: BurnReason,
    },
    /// Move units between accounts.
    Transfer {
        asset: AssetId,
        from: AccountId,
        to: AccountId,
        amount_base_units: BaseUnits,
    },
    /// Trade `sell` for the market's other asset. On a pool: the constant
    /// product. On an external market: at the token's oracle price, the
    /// numeraire side leaving or entering the economy.
    Swap {
        market: MarketId,
        trader: AccountId,
        sell: AssetId,
        order: Order,
    },
    /// Deposit both assets of a pool (in the pool's asset order) for LP
    /// shares. Later deposits take the pool's ratio: what exceeds it of one
    /// asset stays with the provider.
    AddLiquidity {
        market: MarketId,
        provider: AccountId,
        amounts: [BaseUnits; 2],
        min_shares: BaseUnits,
    },
    /// Burn LP shares for their pro-rata part of both reserves.
    RemoveLiquidity {
        market: MarketId,
        provider: AccountId,
        shares: BaseUnits,
        min_amounts: [BaseUnits; 2],
    },
    /// Publish a marketplace workflow; its Creator Epoch is locked forever.
    PublishWorkflow { creator: AccountId, epoch: u32 },
    /// Register an action path demonstrated by trainers.
    RegisterTrainerPath { trainers: Vec<TrainerWeight> },
    /// `count` actions of `version` run: tokens are consumed and split.
    Actions {
        payer: Payer,
        version: VersionId,
        count: u64,
        /// The marketplace workflow used, if any.
        workflow: Option<WorkflowId>,
        /// The trained action path used, if any.
        path: Option<PathId>,
    },
    /// Start a subscription to `plan` for one period.
    Subscribe {
        subscriber: AccountId,
        plan: PlanId,
        payment: Payment,
    },
    /// End a subscription's period: what remains in its escrow is released
    /// into the consumption split (the subscriber paid for the period).
    ExpireSubscription { subscription: SubscriptionId },
    /// Spend up to `amount_base_units` of the program's budget buying its
    /// token across its venues, within its guards.
    Buyback {
        program: ProgramId,
        amount_base_units: BaseUnits,
    },
    /// Numeraire paid in from outside (inference fees, a payment), divided
    /// by a revenue rule.
    Revenue {
        rule: RuleId,
        amount_base_units: BaseUnits,
    },
    /// `buyer` buys `amount_base_units` of a sale's token, minted on
    /// purchase, paying the sale price from outside; the payment is divided
    /// by the sale's revenue rule.
    Purchase {
        sale: SaleId,
        buyer: AccountId,
        amount_base_units: BaseUnits,
    },
    /// `holder` exchanges tokens for their unit of service.
    Redeem {
        redemption: RedemptionId,
        holder: AccountId,
        amount_base_units: BaseUnits,
    },
    /// Open a position in a reward pool for `owner`; its id is the pool's
    /// next. A stake pool takes `amount_base_units` (> 0) of its staked
    /// asset from `owner`, locked `lock_steps` steps (at most the pool's
    /// longest lock), weighing `floor(amount x multiplier)`. A points pool
    /// takes nothing (both fields 0): the position starts at weight 0.
    OpenPosition {
        pool: RewardPoolId,
        owner: AccountId,
        amount_base_units: BaseUnits,
        lock_steps: u32,
    },
    /// A points-pool position's new weight (votes, score, quality x
    /// usage); what it earned at the old weight is settled first.
    SetWeight {
        pool: RewardPoolId,
        position: PositionId,
        weight: u128,
    },
    /// Deposit more from the position's owner into a stake position, at
    /// the position's multiplier; its lock end does not move.
    AddToPosition {
        pool: RewardPoolId,
        position: PositionId,
        amount_base_units: BaseUnits,
    },
    /// Withdraw part of a stake position's deposit for its owner: the
    /// weight falls at once; before the lock ends the pool's early fee is
    /// charged; with unbonding the rest is claimable `unbonding_steps`
    /// later, else paid at once.
    Withdraw {
        pool: RewardPoolId,
        position: PositionId,
        amount_base_units: BaseUnits,
    },
    /// Pay the position's owner its pending rewards and its matured
    /// unbonding. Refused when there is nothing to pay.
    Claim {
        pool: RewardPoolId,
        position: PositionId,
    },
    /// Credit a reward pool with `amount_base_units` of its reward asset
    /// taken from `from` (O(1) however many positions it has).
    FundRewardPool {
        pool: RewardPoolId,
        from: AccountId,
        amount_base_units: BaseUnits,
    },
    /// Emit the schedule's next epoch into its channels.
    Emit { schedule: ScheduleId },
    /// Create an empty constant-product pool between two assets (declared
    /// tokens, the numeraire or launched tokens) at run time; its id is the
    /// next from `MarketId::RUNTIME_BASE`. The first `AddLiquidity` seeds
    /// it.
    CreatePool {
        assets: [AssetId; 2],
        /// The swap fee in parts per million of the input (below 10^6).
        fee_ppm: u32,
    },
    /// Create a launch from a declared spec: a new token (in the launched
    /// range, its maximum supply the spec's total supply, nothing minted),
    /// the bonding curve, and the launch fee paid by `issuer`.
    CreateLaunch {
        spec: LaunchSpecId,
        issuer: AccountId,
    },
    /// `buyer` pays exactly `quote_in` of the launch's quote asset: the
    /// purchase fee goes to the spec's `purchase_fee_to`, the principal to
    /// the curve, which owes the buyer the tokens it buys (minted at
    /// graduation). Refused below `min_tokens_out`. The purchase that
    /// brings the raise to its maximum graduates the launch at once.
    BuyOnCurve {
        launch: LaunchId,
        buyer: AccountId,
        quote_in: BaseUnits,
        min_tokens_out: BaseUnits,
    },
    /// A request to sell tokens back to a launch's curve: always refused
    /// (`sell_during_raise` while raising). The curve only sells; after
    /// graduation the token trades on its pool.
    SellOnCurve {
        launch: LaunchId,
        seller: AccountId,
        tokens_in: BaseUnits,
    },
    /// Graduate a launch whose raise reached its minimum (anyone may, at
    /// any step): mint the allocation table, seed the pool.
    GraduateLaunch { launch: LaunchId },
    /// Fail a launch whose window ended below its minimum: every buyer's
    /// principal is returned exactly (fees are not), nothing is minted.
    FailLaunch { launch: LaunchId },
    /// Recompute a stake-capped pool's geometric mean and every position's
    /// capped weight, and pay the surplus position's rewards to the cap's
    /// `surplus_to`. O(positions): an epoch event, not an action's.
    RebalanceStakeCaps { pool: RewardPoolId },
    /// Register an action path whose trainers are `pool`'s positions (a
    /// points pool: `OpenPosition` a trainer, `SetWeight` quality x usage);
    /// the split's trainers leg credits the pool in O(1).
    RegisterPooledPath { pool: RewardPoolId },
    /// A stake position whose lock has ended goes back to 1x (anyone may
    /// send it, as a Curve gauge's `kick`): what it earned at the boosted
    /// weight is settled first, then its weight is `floor(amount x 1)`.
    /// Refused before the lock ends (`lock_not_ended`) and for a position
    /// already at 1x (`no_lock_boost`).
    EndLock {
        pool: RewardPoolId,
        position: PositionId,
    },
    /// `account` earns points under a points rule (`engine/points.rs`):
    /// `floor(base x (1 + badge + (epoch - 1) + mode + (bounty - 1)))`,
    /// its badge by its lifetime points before this event, the epoch by the
    /// step, `mode` an index into the rule's modes, `bounty` a tier and the
    /// bounty's own multiplier (within the tier's range). Its referrer, if
    /// any, is credited the commission of its referral tier on those points
    /// (the earner keeps all of them). Points add to both accounts' weights
    /// in the rule's pool.
    EarnPoints {
        rules: PointsRulesId,
        account: AccountId,
        /// Base points: actions (active) or 10 a background hour.
        base: u64,
        mode: u8,
        bounty: Option<BountyClaim>,
    },
    /// `referrer` refers `referee`: the referrer is credited its tier's
    /// sign-up bonus (its tier counting this referral). An account is
    /// referred once, never by itself.
    Refer {
        rules: PointsRulesId,
        referrer: AccountId,
        referee: AccountId,
    },
    /// `referee` qualified: its referrer is credited its tier's
    /// qualification bonus, once per referee.
    QualifyReferral {
        rules: PointsRulesId,
        referee: AccountId,
    },
    /// `payer` uses a graduated launch's service for `calls` calls under
    /// its spec's usage rule (`engine/usage.rs`; FOMO: inference on a
    /// model): the numeraire paid in, less the discount of the payer's
    /// stake tier; the compute cost paid out; the net divided by the rule's
    /// parts (accounts, the issuer, tokens bought and burned or delivered,
    /// the launch's own token on its pool). The gross usage is recorded per
    /// payer.
    LaunchUsage {
        launch: LaunchId,
        payer: AccountId,
        calls: u64,
    },
}

/// A bounty's tier (an index into the rule's bounty tiers) and its own
/// multiplier in millionths (Silver 3x: `3_000_000`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BountyClaim {
    pub tier: u8,
    pub multiplier_ppm: u32,
}
