//! Why an event was refused. `code()` is stable: API and log consumers may
//! match on it (the service returns it as the error code). The `Display`
//! text is for people and may change.

use crate::economy::MAX_TRAINERS_PER_PATH;
use crate::ids::{
    AccountId, AssetId, LaunchId, LaunchSpecId, MarketId, PathId, PlanId, PositionId, ProgramId,
    RedemptionId, RewardPoolId, RuleId, SaleId, ScheduleId, SubscriptionId, VersionId, WorkflowId,
};
use crate::units::BaseUnits;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    UnknownAsset(AssetId),
    UnknownAccount(AccountId),
    UnknownVersion(VersionId),
    UnknownPlan(PlanId),
    UnknownWorkflow(WorkflowId),
    UnknownPath(PathId),
    UnknownSubscription(SubscriptionId),
    UnknownMarket(MarketId),
    UnknownProgram(ProgramId),
    UnknownRule(RuleId),
    UnknownSale(SaleId),
    UnknownRedemption(RedemptionId),
    /// The asset is the numeraire or an LP share where a token is needed.
    NotAToken(AssetId),
    /// The asset is not traded by this market.
    AssetNotInMarket {
        market: MarketId,
        asset: AssetId,
    },
    ZeroAmount,
    ZeroPrice,
    PriceNotSet(AssetId),
    /// `SetPrice` for a token whose price comes from a pool.
    PriceNotExogenous(AssetId),
    InvalidEpoch(u32),
    InvalidReason(&'static str),
    InvalidDecimals(u8),
    InsufficientBalance {
        account: AccountId,
        asset: AssetId,
        needed: BaseUnits,
        available: BaseUnits,
    },
    /// A pool cannot fill the order: it would give up its whole reserve (or
    /// has none).
    InsufficientLiquidity {
        market: MarketId,
        requested: BaseUnits,
        reserve: BaseUnits,
    },
    /// The order's own limit (`min_out`, `max_in`, `min_shares`) is not met.
    SlippageExceeded {
        limit: BaseUnits,
        actual: BaseUnits,
    },
    /// A mint would take the supply past the asset's maximum.
    MaxSupplyExceeded {
        asset: AssetId,
        max_supply: BaseUnits,
        supply_after: BaseUnits,
    },
    AllowanceExceeded {
        subscription: SubscriptionId,
        included: u64,
        used: u64,
        requested: u64,
    },
    SubscriptionInactive(SubscriptionId),
    PlanVersionMismatch {
        plan_version: VersionId,
        requested: VersionId,
    },
    TooManyTrainers(usize),
    /// An id range is exhausted (2^31 opened accounts or launched tokens).
    TooMany(&'static str),
    NotConfigured(&'static str),
    Overflow(&'static str),
    UnknownRewardPool(RewardPoolId),
    UnknownPosition {
        pool: RewardPoolId,
        position: PositionId,
    },
    UnknownSchedule(ScheduleId),
    /// A deposit, withdrawal or top-up in a points pool (nothing is
    /// deposited there: weights are set).
    NotAStakePool(RewardPoolId),
    /// `SetWeight` in a stake pool (weights come from deposits).
    NotAPointsPool(RewardPoolId),
    /// A lock longer than the pool's longest.
    LockTooLong {
        pool: RewardPoolId,
        requested: u32,
        max: u32,
    },
    /// A withdrawal of more than the position's deposit.
    WithdrawalExceedsDeposit {
        position: PositionId,
        requested: BaseUnits,
        deposited: BaseUnits,
    },
    /// A claim with no pending reward and no matured unbonding
    /// (`unbonding_until`: when the unbonding amount matures, if any).
    NothingToClaim {
        position: PositionId,
        unbonding_until: Option<u64>,
    },
    /// The schedule stopped (cap reached, source exhausted, curve done).
    ScheduleStopped {
        schedule: ScheduleId,
        stopped_at_epoch: u64,
    },
    /// The schedule's next epoch is not due yet.
    EpochNotDue {
        schedule: ScheduleId,
        due_step: u64,
        step: u64,
    },
    /// `CreatePool` with the same asset twice, an LP asset, or a fee of
    /// 100% or more.
    InvalidPool(&'static str),
    UnknownLaunch(LaunchId),
    UnknownLaunchSpec(LaunchSpecId),
    /// A purchase at or after the step the launch's window closed.
    LaunchWindowClosed {
        launch: LaunchId,
        closed_at: u64,
    },
    /// `FailLaunch` before the launch's window closed.
    LaunchWindowOpen {
        launch: LaunchId,
        closes_at: u64,
    },
    /// The launch graduated (its token trades on `pool`): no purchase,
    /// refund or second graduation.
    LaunchGraduated {
        launch: LaunchId,
        pool: MarketId,
    },
    /// The launch failed and refunded its buyers.
    LaunchFailed(LaunchId),
    /// A purchase whose principal would take the raise past its maximum.
    AboveMaxRaise {
        launch: LaunchId,
        max_raise: BaseUnits,
        raised: BaseUnits,
        principal: BaseUnits,
    },
    /// `GraduateLaunch` below the minimum raise.
    BelowMinRaise {
        launch: LaunchId,
        min_raise: BaseUnits,
        raised: BaseUnits,
    },
    /// `FailLaunch` of a raise that reached its minimum: it graduates.
    MinRaiseReached {
        launch: LaunchId,
        min_raise: BaseUnits,
        raised: BaseUnits,
    },
    /// A buyer's total principal would pass the per-buyer cap.
    BuyerCapExceeded {
        launch: LaunchId,
        cap: BaseUnits,
        committed: BaseUnits,
        principal: BaseUnits,
    },
    /// The issuer's purchases would owe them more tokens than their cap.
    IssuerCapExceeded {
        launch: LaunchId,
        cap: BaseUnits,
        owed: BaseUnits,
        tokens: BaseUnits,
    },
    /// Selling back to a launch's curve (it only sells, and buyers hold
    /// nothing until graduation).
    SellDuringRaise(LaunchId),
    /// A reward pool routed tokens it does not pay in (a pooled trainer
    /// path used by a version consuming another token).
    RewardAssetMismatch {
        pool: RewardPoolId,
        asset: AssetId,
    },
    /// `EndLock` before the position's lock ends.
    LockNotEnded {
        position: PositionId,
        lock_end_step: u64,
        step: u64,
    },
    /// `EndLock` of a position whose multiplier is already 1x.
    NoLockBoost(PositionId),
    /// A points event's own reasons (`engine/points.rs`), each with its
    /// stable code.
    Points(super::points::PointsRejection),
    /// `LaunchUsage` of a launch whose spec declares no usage rule.
    NoUsageRule(LaunchId),
    /// `LaunchUsage` of a launch that has not graduated (its token has no
    /// pool to buy on, its service is not live: seed 004, "if it succeeds,
    /// the model goes live").
    LaunchNotLive(LaunchId),
}

impl Rejection {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::UnknownAsset(_) => "unknown_asset",
            Rejection::UnknownAccount(_) => "unknown_account",
            Rejection::UnknownVersion(_) => "unknown_version",
            Rejection::UnknownPlan(_) => "unknown_plan",
            Rejection::UnknownWorkflow(_) => "unknown_workflow",
            Rejection::UnknownPath(_) => "unknown_path",
            Rejection::UnknownSubscription(_) => "unknown_subscription",
            Rejection::UnknownMarket(_) => "unknown_market",
            Rejection::UnknownProgram(_) => "unknown_program",
            Rejection::UnknownRule(_) => "unknown_rule",
            Rejection::UnknownSale(_) => "unknown_sale",
            Rejection::UnknownRedemption(_) => "unknown_redemption",
            Rejection::NotAToken(_) => "not_a_token",
            Rejection::AssetNotInMarket { .. } => "asset_not_in_market",
            Rejection::ZeroAmount => "zero_amount",
            Rejection::ZeroPrice => "zero_price",
            Rejection::PriceNotSet(_) => "price_not_set",
            Rejection::PriceNotExogenous(_) => "price_not_exogenous",
            Rejection::InvalidEpoch(_) => "invalid_epoch",
            Rejection::InvalidReason(_) => "invalid_reason",
            Rejection::InvalidDecimals(_) => "invalid_decimals",
            Rejection::InsufficientBalance { .. } => "insufficient_balance",
            Rejection::InsufficientLiquidity { .. } => "insufficient_liquidity",
            Rejection::SlippageExceeded { .. } => "slippage_exceeded",
            Rejection::MaxSupplyExceeded { .. } => "max_supply_exceeded",
            Rejection::AllowanceExceeded { .. } => "allowance_exceeded",
            Rejection::SubscriptionInactive(_) => "subscription_inactive",
            Rejection::PlanVersionMismatch { .. } => "plan_version_mismatch",
            Rejection::TooManyTrainers(_) => "too_many_trainers",
            Rejection::TooMany(_) => "too_many",
            Rejection::NotConfigured(_) => "not_configured",
            Rejection::Overflow(_) => "overflow",
            Rejection::UnknownRewardPool(_) => "unknown_reward_pool",
            Rejection::UnknownPosition { .. } => "unknown_position",
            Rejection::UnknownSchedule(_) => "unknown_schedule",
            Rejection::NotAStakePool(_) => "not_a_stake_pool",
            Rejection::NotAPointsPool(_) => "not_a_points_pool",
            Rejection::LockTooLong { .. } => "lock_too_long",
            Rejection::WithdrawalExceedsDeposit { .. } => "withdrawal_exceeds_deposit",
            Rejection::NothingToClaim { .. } => "nothing_to_claim",
            Rejection::ScheduleStopped { .. } => "schedule_stopped",
            Rejection::EpochNotDue { .. } => "epoch_not_due",
            Rejection::InvalidPool(_) => "invalid_pool",
            Rejection::UnknownLaunch(_) => "unknown_launch",
            Rejection::UnknownLaunchSpec(_) => "unknown_launch_spec",
            Rejection::LaunchWindowClosed { .. } => "launch_window_closed",
            Rejection::LaunchWindowOpen { .. } => "launch_window_open",
            Rejection::LaunchGraduated { .. } => "launch_graduated",
            Rejection::LaunchFailed(_) => "launch_failed",
            Rejection::AboveMaxRaise { .. } => "above_max_raise",
            Rejection::BelowMinRaise { .. } => "below_min_raise",
            Rejection::MinRaiseReached { .. } => "min_raise_reached",
            Rejection::BuyerCapExceeded { .. } => "buyer_cap_exceeded",
            Rejection::IssuerCapExceeded { .. } => "issuer_cap_exceeded",
            Rejection::SellDuringRaise(_) => "sell_during_raise",
            Rejection::RewardAssetMismatch { .. } => "reward_asset_mismatch",
            Rejection::LockNotEnded { .. } => "lock_not_ended",
            Rejection::NoLockBoost(_) => "no_lock_boost",
            Rejection::Points(r) => r.code(),
            Rejection::NoUsageRule(_) => "no_usage_rule",
            Rejection::LaunchNotLive(_) => "launch_not_live",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::UnknownAsset(a) => write!(f, "no asset with id {}", a.0),
            Rejection::UnknownAccount(a) => write!(f, "no account with id {}", a.0),
            Rejection::UnknownVersion(v) => write!(f, "no model version with id {}", v.0),
            Rejection::UnknownPlan(p) => write!(f, "no subscription plan with id {}", p.0),
            Rejection::UnknownWorkflow(w) => write!(f, "no workflow with id {}", w.0),
            Rejection::UnknownPath(p) => write!(f, "no trainer path with id {}", p.0),
            Rejection::UnknownSubscription(s) => write!(f, "no subscription with id {}", s.0),
            Rejection::UnknownMarket(m) => write!(f, "no market with id {}", m.0),
            Rejection::UnknownProgram(p) => write!(f, "no buyback program with id {}", p.0),
            Rejection::UnknownRule(r) => write!(f, "no revenue rule with id {}", r.0),
            Rejection::UnknownSale(s) => write!(f, "no sale with id {}", s.0),
            Rejection::UnknownRedemption(r) => write!(f, "no redemption with id {}", r.0),
            Rejection::NotAToken(a) => write!(f, "asset {} is not a token", a.0),
            Rejection::AssetNotInMarket { market, asset } => {
                write!(f, "market {} does not trade asset {}", market.0, asset.0)
            }
            Rejection::ZeroAmount => write!(f, "the amount must be greater than zero"),
            Rejection::ZeroPrice => write!(f, "the price must be greater than zero"),
            Rejection::PriceNotSet(a) => {
                write!(f, "token {} has no price yet: send SetPrice first", a.0)
            }
            Rejection::PriceNotExogenous(a) => write!(
                f,
                "token {} is priced by its pool; SetPrice applies to exogenous oracles only",
                a.0
            ),
            Rejection::InvalidEpoch(e) => {
                write!(f, "creator epoch {e} is invalid: epochs start at 1")
            }
            Rejection::InvalidReason(why) => write!(f, "invalid reason: {why}"),
            Rejection::InvalidDecimals(d) => write!(f, "{d} decimals: at most 18"),
            Rejection::InsufficientBalance {
                account,
                asset,
                needed,
                available,
            } => write!(
                f,
                "account {} holds {} base units of asset {}, {} needed",
                account.0, available, asset.0, needed
            ),
            Rejection::InsufficientLiquidity {
                market,
                requested,
                reserve,
            } => write!(
                f,
                "market {} cannot deliver {requested} base units: its reserve is {reserve}",
                market.0
            ),
            Rejection::SlippageExceeded { limit, actual } => write!(
                f,
                "the order's limit {limit} is not met: the market gives {actual}"
            ),
            Rejection::MaxSupplyExceeded {
                asset,
                max_supply,
                supply_after,
            } => write!(
                f,
                "asset {} would reach a supply of {supply_after}, above its maximum {max_supply}",
                asset.0
            ),
            Rejection::AllowanceExceeded {
                subscription,
                included,
                used,
                requested,
            } => write!(
                f,
                "subscription {} includes {included} actions, {used} used, {requested} more requested",
                subscription.0
            ),
            Rejection::SubscriptionInactive(s) => write!(f, "subscription {} has expired", s.0),
            Rejection::PlanVersionMismatch {
                plan_version,
                requested,
            } => write!(
                f,
                "the subscription's plan runs version {}, not {}",
                plan_version.0, requested.0
            ),
            Rejection::TooManyTrainers(n) => write!(
                f,
                "{n} trainers on one path; at most {MAX_TRAINERS_PER_PATH}"
            ),
            Rejection::TooMany(what) => write!(f, "no more {what} can be created"),
            Rejection::NotConfigured(what) => write!(f, "this economy has no {what}"),
            Rejection::Overflow(what) => write!(f, "arithmetic overflow computing {what}"),
            Rejection::UnknownRewardPool(p) => write!(f, "no reward pool with id {}", p.0),
            Rejection::UnknownPosition { pool, position } => write!(
                f,
                "reward pool {} has no position with id {}",
                pool.0, position.0
            ),
            Rejection::UnknownSchedule(s) => write!(f, "no emission schedule with id {}", s.0),
            Rejection::NotAStakePool(p) => write!(
                f,
                "reward pool {} weighs points: nothing is deposited or withdrawn there",
                p.0
            ),
            Rejection::NotAPointsPool(p) => write!(
                f,
                "reward pool {} weighs deposits: its weights are not set by events",
                p.0
            ),
            Rejection::LockTooLong {
                pool,
                requested,
                max,
            } => write!(
                f,
                "a lock of {requested} steps; reward pool {} allows at most {max}",
                pool.0
            ),
            Rejection::WithdrawalExceedsDeposit {
                position,
                requested,
                deposited,
            } => write!(
                f,
                "position {} holds {deposited} base units, {requested} requested",
                position.0
            ),
            Rejection::NothingToClaim {
                position,
                unbonding_until,
            } => match unbonding_until {
                Some(step) => write!(
                    f,
                    "position {} has no pending reward; its unbonding is claimable from step {step}",
                    position.0
                ),
                None => write!(f, "position {} has nothing to claim", position.0),
            },
            Rejection::ScheduleStopped {
                schedule,
                stopped_at_epoch,
            } => write!(
                f,
                "emission schedule {} stopped at epoch {stopped_at_epoch}",
                schedule.0
            ),
            Rejection::EpochNotDue {
                schedule,
                due_step,
                step,
            } => write!(
                f,
                "emission schedule {}'s next epoch is due at step {due_step}, this is step {step}",
                schedule.0
            ),
            Rejection::InvalidPool(why) => write!(f, "invalid pool: {why}"),
            Rejection::UnknownLaunch(l) => write!(f, "no launch with id {}", l.0),
            Rejection::UnknownLaunchSpec(s) => write!(f, "no launch spec with id {}", s.0),
            Rejection::LaunchWindowClosed { launch, closed_at } => write!(
                f,
                "launch {}'s window closed at step {closed_at}: no more purchases",
                launch.0
            ),
            Rejection::LaunchWindowOpen { launch, closes_at } => write!(
                f,
                "launch {}'s window is open until step {closes_at}: it cannot fail before",
                launch.0
            ),
            Rejection::LaunchGraduated { launch, pool } => write!(
                f,
                "launch {} graduated: its token trades on pool {}",
                launch.0, pool.0
            ),
            Rejection::LaunchFailed(l) => {
                write!(f, "launch {} failed and refunded its buyers", l.0)
            }
            Rejection::AboveMaxRaise {
                launch,
                max_raise,
                raised,
                principal,
            } => write!(
                f,
                "launch {} has raised {raised} of its maximum {max_raise}: {principal} more is above it",
                launch.0
            ),
            Rejection::BelowMinRaise {
                launch,
                min_raise,
                raised,
            } => write!(
                f,
                "launch {} has raised {raised}, below its minimum {min_raise}: it cannot graduate",
                launch.0
            ),
            Rejection::MinRaiseReached {
                launch,
                min_raise,
                raised,
            } => write!(
                f,
                "launch {} has raised {raised}, at least its minimum {min_raise}: graduate it instead",
                launch.0
            ),
            Rejection::BuyerCapExceeded {
                launch,
                cap,
                committed,
                principal,
            } => write!(
                f,
                "launch {} caps each buyer at {cap}: {committed} committed, {principal} more requested",
                launch.0
            ),
            Rejection::IssuerCapExceeded {
                launch,
                cap,
                owed,
                tokens,
            } => write!(
                f,
                "launch {} caps its issuer at {cap} tokens: {owed} owed, {tokens} more requested",
                launch.0
            ),
            Rejection::SellDuringRaise(l) => write!(
                f,
                "launch {} is raising: its curve does not buy back, and nothing is minted before graduation",
                l.0
            ),
            Rejection::RewardAssetMismatch { pool, asset } => write!(
                f,
                "reward pool {} does not pay in asset {}",
                pool.0, asset.0
            ),
            Rejection::LockNotEnded {
                position,
                lock_end_step,
                step,
            } => write!(
                f,
                "position {}'s lock ends at step {lock_end_step}, it is step {step}",
                position.0
            ),
            Rejection::NoLockBoost(p) => {
                write!(f, "position {} already weighs 1x its deposit", p.0)
            }
            Rejection::Points(r) => fmt::Display::fmt(r, f),
            Rejection::NoUsageRule(l) => write!(
                f,
                "launch {}'s spec declares no usage rule (`[launches.X.usage]`)",
                l.0
            ),
            Rejection::LaunchNotLive(l) => write!(
                f,
                "launch {} has not graduated: its service is not live",
                l.0
            ),
        }
    }
}

impl std::error::Error for Rejection {}
