//! `apply`: the one function that changes an economy's state. Every rule of
//! every economy lives in this module's files, each a concern:
//!
//! | file | rules |
//! |---|---|
//! | `ledger.rs` | launching a token, prices, mint, burn, transfer, run-time pools, registries |
//! | `pricing.rs` | oracles, tokens per action, value conversions |
//! | `split.rs` | consumption splits and their settlement |
//! | `actions.rs` | metered actions, subscriptions, escrow |
//! | `market.rs` | swaps (pools and external venues), liquidity |
//! | `buyback.rs` | buyback programs across venues, with guards |
//! | `revenue.rs` | revenue rules, mint on purchase, redemption |
//! | `rewards.rs` | reward pools (O(1) accumulators), positions; routing to any destination |
//! | `emission.rs` | emission schedules and their curves |
//! | `stake_cap.rs` | stake caps by geometric mean, rebalanced per epoch |
//! | `launch.rs`, `graduate.rs` | bonding-curve launches: purchases, refunds, graduation to a pool |
//! | `touched.rs` | the O(1) identities asserted after every event |
//! | `rejection.rs` | why an event is refused, with stable codes |
//!
//! The simulator, the CLI's `quote` and `swap`, the audit and the metering
//! service all go through these functions, so the rules are written once.
//!
//! Shape of every arm: validate and compute everything (pure, may reject),
//! then mutate (cannot fail). A rejected event changes nothing.

mod actions;
mod buyback;
mod emission;
mod graduate;
mod launch;
mod launch_stake;
mod ledger;
mod lock_end;
mod market;
mod points;
mod pricing;
mod rejection;
mod revenue;
mod rewards;
mod split;
mod stake_cap;
mod touched;
mod usage;

pub use actions::{version_tokens_per_action, ActionsReceipt};
pub use buyback::{quote_buyback, BuybackFill, BuybackReceipt, Limit};
pub use emission::{EmissionLimit, EmissionReceipt};
pub use graduate::Graduation;
pub use launch::{quote_buy, quote_in_for_principal, CurveBuy, Refund};
pub use market::{quote_swap, LiquidityReceipt, SwapQuote};
pub use points::{points_for, PointsEarned, PointsRejection};
pub use pricing::{
    decimals_of, pico_den, price_of, subscription_tokens, tokens_for_value_ceil,
    tokens_for_value_floor, tokens_per_action, value_ceil, value_floor, Price,
};
pub use rejection::Rejection;
pub use revenue::{revenue_split, RevenueParts};
pub use rewards::{claimable, WithdrawReceipt};
pub use split::{split, Posting, Role, Sink, SplitReceipt, MAX_POSTINGS};
pub use stake_cap::{capped_weight, Rebalance};
pub use usage::{UsagePartFill, UsageReceipt};

use crate::economy::{Economy, ValidEconomy};
use crate::event::Event;
use crate::ids::{
    AccountId, AssetId, AssetSlot, LaunchId, MarketId, PathId, PositionId, RewardPoolId,
    SubscriptionId, WorkflowId,
};
use crate::state::State;
use crate::units::BaseUnits;

/// What a successfully applied event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    AccountOpened(AccountId),
    TokenLaunched(AssetId),
    PriceSet,
    Ticked {
        step: u64,
    },
    Minted,
    Burned,
    Transferred,
    Swapped(SwapQuote),
    LiquidityAdded(LiquidityReceipt),
    LiquidityRemoved(LiquidityReceipt),
    WorkflowPublished(WorkflowId),
    PathRegistered(PathId),
    Actions(ActionsReceipt),
    Subscribed {
        subscription: SubscriptionId,
        /// Tokens moved to escrow (token payment).
        tokens_escrowed: BaseUnits,
        /// Numeraire paid in (numeraire payment).
        paid: BaseUnits,
    },
    Expired {
        subscription: SubscriptionId,
        released: Option<SplitReceipt>,
    },
    BoughtBack(BuybackReceipt),
    RevenueIn(RevenueParts),
    Purchased {
        tokens: BaseUnits,
        paid: BaseUnits,
        revenue: RevenueParts,
    },
    Redeemed {
        tokens: BaseUnits,
    },
    PositionOpened {
        pool: RewardPoolId,
        position: PositionId,
        weight: u128,
    },
    WeightSet {
        pool: RewardPoolId,
        position: PositionId,
        weight: u128,
        total_weight: u128,
    },
    AddedToPosition {
        pool: RewardPoolId,
        position: PositionId,
        /// The position's weight after the deposit.
        weight: u128,
    },
    Withdrawn(WithdrawReceipt),
    Claimed {
        pool: RewardPoolId,
        position: PositionId,
        /// Reward asset paid.
        rewards: BaseUnits,
        /// Matured unbonding paid (staked asset).
        unbonded: BaseUnits,
    },
    /// `EndLock`: the position's weight at 1x.
    LockEnded {
        pool: RewardPoolId,
        position: PositionId,
        weight: u128,
    },
    RewardPoolFunded {
        pool: RewardPoolId,
        amount: BaseUnits,
        /// The pool had no weight: the amount went to its `empty_to`.
        to_empty: bool,
    },
    Emitted(EmissionReceipt),
    PoolCreated {
        market: MarketId,
        /// The pool's LP asset.
        lp: AssetId,
    },
    LaunchCreated {
        launch: LaunchId,
        token: AssetId,
        /// The launch fee paid by the issuer.
        fee: BaseUnits,
    },
    BoughtOnCurve(CurveBuy),
    Graduated(Graduation),
    LaunchRefunded(Refund),
    StakeCapsRebalanced(Rebalance),
    PointsEarned(PointsEarned),
    Referred {
        referrer: AccountId,
        /// The referrer's referrals, this one included.
        referrals: u32,
        /// Sign-up bonus points credited to the referrer.
        bonus: u128,
    },
    ReferralQualified {
        referrer: AccountId,
        /// Qualification bonus points credited to the referrer.
        bonus: u128,
    },
    LaunchUsed(UsageReceipt),
}

pub(crate) fn check_account(state: &State, account: AccountId) -> Result<(), Rejection> {
    if state.has_account(account) {
        Ok(())
    } else {
        Err(Rejection::UnknownAccount(account))
    }
}

pub(crate) fn check_asset(state: &State, asset: AssetId) -> Result<(), Rejection> {
    match state.asset_totals(asset) {
        Some(_) => Ok(()),
        None => Err(Rejection::UnknownAsset(asset)),
    }
}

pub(crate) fn check_funds(
    state: &State,
    asset: AssetId,
    account: AccountId,
    needed: BaseUnits,
) -> Result<(), Rejection> {
    let available = state.balance(asset, account);
    if available >= needed {
        Ok(())
    } else {
        Err(Rejection::InsufficientBalance {
            account,
            asset,
            needed,
            available,
        })
    }
}

/// The most `asset` may ever reach in supply, if capped.
pub fn max_supply_of(economy: &Economy, state: &State, asset: AssetId) -> Option<BaseUnits> {
    match asset.slot() {
        AssetSlot::Declared(i) => economy.assets.get(i).and_then(|a| a.max_supply),
        AssetSlot::Launched(i) => state.launched.get(i).and_then(|t| t.max_supply),
        AssetSlot::Lp(_) => None,
    }
}

/// Check that minting `amount` more of `asset` fits in 128 bits and under
/// its maximum supply.
pub(crate) fn check_mint(
    economy: &Economy,
    state: &State,
    asset: AssetId,
    amount: BaseUnits,
) -> Result<(), Rejection> {
    let totals = state
        .asset_totals(asset)
        .ok_or(Rejection::UnknownAsset(asset))?;
    let supply_after = totals
        .supply
        .checked_add(amount)
        .filter(|_| totals.minted.checked_add(amount).is_some())
        .ok_or(Rejection::Overflow("supply"))?;
    match max_supply_of(economy, state, asset) {
        Some(max_supply) if supply_after > max_supply => Err(Rejection::MaxSupplyExceeded {
            asset,
            max_supply,
            supply_after,
        }),
        _ => Ok(()),
    }
}

/// Apply one event. On `Ok` the state has changed as the receipt says; on
/// `Err` nothing changed.
///
/// Checked in every build: the O(1) identity `supply == minted - burned`
/// of the assets the event touched, and (inside the settlement helpers)
/// that postings sum to their debit. The O(accounts) sum of balances runs
/// after every event in debug builds and in tests.
// The result is returned as `apply_inner` built it, not unwrapped and
// wrapped again: a receipt is about 500 bytes with a split's postings, and
// moving receipts between frames was 8-9% of a fuel-sweep Monte Carlo.
#[inline]
pub fn apply(
    economy: &ValidEconomy,
    state: &mut State,
    event: &Event,
) -> Result<Receipt, Rejection> {
    let result = apply_inner(economy, state, event);
    if result.is_ok() {
        state.events_applied += 1;
        check_after(economy, state, event);
    }
    result
}

/// What `apply` checks after an accepted event: the O(1) supply identity
/// of the assets it touched and its reward pool's accounting; in debug
/// builds every invariant.
fn check_after(economy: &ValidEconomy, state: &State, event: &Event) {
    for asset in touched::touched(economy, state, event) {
        if let Some(t) = state.asset_totals(asset) {
            assert!(t.consistent(), "supply != minted - burned after {event:?}");
        }
    }
    if let Some(pool) = touched::pool_of(event).and_then(|p| state.reward_pool(p)) {
        assert!(
            pool.totals.consistent(),
            "reward pool credited != paid + to_empty + dust + held after {event:?}"
        );
    }
    #[cfg(debug_assertions)]
    if let Err(violation) = state.check_invariants(economy) {
        panic!("{violation} after {event:?}");
    }
}

#[inline]
fn apply_inner(
    economy: &ValidEconomy,
    state: &mut State,
    event: &Event,
) -> Result<Receipt, Rejection> {
    let e: &Economy = economy;
    match *event {
        Event::OpenAccount => state
            .open_account()
            .map(Receipt::AccountOpened)
            .ok_or(Rejection::TooMany("accounts")),
        Event::LaunchToken {
            decimals,
            max_supply,
        } => ledger::apply_launch_token(state, decimals, max_supply),
        Event::SetPrice {
            token,
            price_usd_pico,
        } => ledger::apply_set_price(e, state, token, price_usd_pico),
        Event::Tick => actions::apply_tick(e, state),
        Event::Mint {
            asset,
            to,
            amount_base_units,
            reason,
        } => ledger::apply_mint(e, state, asset, to, amount_base_units, reason),
        Event::Burn {
            asset,
            from,
            amount_base_units,
            reason,
        } => ledger::apply_burn(e, state, asset, from, amount_base_units, reason),
        Event::Transfer {
            asset,
            from,
            to,
            amount_base_units,
        } => ledger::apply_transfer(state, asset, from, to, amount_base_units),
        Event::Swap {
            market,
            trader,
            sell,
            order,
        } => market::apply_swap(e, state, market, trader, sell, order).map(Receipt::Swapped),
        Event::AddLiquidity {
            market,
            provider,
            amounts,
            min_shares,
        } => market::apply_add_liquidity(e, state, market, provider, amounts, min_shares)
            .map(Receipt::LiquidityAdded),
        Event::RemoveLiquidity {
            market,
            provider,
            shares,
            min_amounts,
        } => market::apply_remove_liquidity(e, state, market, provider, shares, min_amounts)
            .map(Receipt::LiquidityRemoved),
        Event::PublishWorkflow { creator, epoch } => {
            ledger::apply_publish_workflow(state, creator, epoch)
        }
        Event::RegisterTrainerPath { ref trainers } => ledger::apply_register_path(state, trainers),
        Event::Actions {
            payer,
            version,
            count,
            workflow,
            path,
        } => actions::apply_actions(e, state, payer, version, count, workflow, path),
        Event::Subscribe {
            subscriber,
            plan,
            payment,
        } => actions::apply_subscribe(e, state, subscriber, plan, payment),
        Event::ExpireSubscription { subscription } => actions::apply_expire(e, state, subscription),
        Event::Buyback {
            program,
            amount_base_units,
        } => buyback::apply_buyback(e, state, program, amount_base_units).map(Receipt::BoughtBack),
        Event::Revenue {
            rule,
            amount_base_units,
        } => revenue::apply_revenue(e, state, rule, amount_base_units).map(Receipt::RevenueIn),
        Event::Purchase {
            sale,
            buyer,
            amount_base_units,
        } => revenue::apply_purchase(e, state, sale, buyer, amount_base_units),
        Event::Redeem {
            redemption,
            holder,
            amount_base_units,
        } => revenue::apply_redeem(e, state, redemption, holder, amount_base_units),
        Event::OpenPosition {
            pool,
            owner,
            amount_base_units,
            lock_steps,
        } => rewards::apply_open_position(e, state, pool, owner, amount_base_units, lock_steps),
        Event::SetWeight {
            pool,
            position,
            weight,
        } => {
            points::check_set_weight(e, pool)?;
            rewards::apply_set_weight(e, state, pool, position, weight)
        }
        Event::AddToPosition {
            pool,
            position,
            amount_base_units,
        } => rewards::apply_add_to_position(e, state, pool, position, amount_base_units),
        Event::Withdraw {
            pool,
            position,
            amount_base_units,
        } => rewards::apply_withdraw(e, state, pool, position, amount_base_units),
        Event::Claim { pool, position } => rewards::apply_claim(e, state, pool, position),
        Event::FundRewardPool {
            pool,
            from,
            amount_base_units,
        } => rewards::apply_fund(e, state, pool, from, amount_base_units),
        Event::Emit { schedule } => emission::apply_emit(e, state, schedule),
        Event::CreatePool { assets, fee_ppm } => ledger::apply_create_pool(state, assets, fee_ppm),
        Event::CreateLaunch { spec, issuer } => launch::apply_create(e, state, spec, issuer),
        Event::BuyOnCurve {
            launch,
            buyer,
            quote_in,
            min_tokens_out,
        } => launch::apply_buy(e, state, launch, buyer, quote_in, min_tokens_out),
        Event::SellOnCurve { launch, .. } => launch::refuse_sell(state, launch),
        Event::GraduateLaunch { launch } => graduate::apply_graduate(e, state, launch),
        Event::FailLaunch { launch } => launch::apply_fail(e, state, launch),
        Event::RebalanceStakeCaps { pool } => stake_cap::apply_rebalance(e, state, pool),
        Event::RegisterPooledPath { pool } => ledger::apply_register_pooled_path(e, state, pool),
        Event::EndLock { pool, position } => lock_end::apply_end_lock(e, state, pool, position),
        Event::EarnPoints {
            rules,
            account,
            base,
            mode,
            bounty,
        } => points::apply_earn(e, state, rules, account, base, mode, bounty),
        Event::Refer {
            rules,
            referrer,
            referee,
        } => points::apply_refer(e, state, rules, referrer, referee),
        Event::QualifyReferral { rules, referee } => {
            points::apply_qualify(e, state, rules, referee)
        }
        Event::LaunchUsage {
            launch,
            payer,
            calls,
        } => usage::apply_usage(e, state, launch, payer, calls),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Receipts are returned by value from every `apply`; their size is a
    /// cost on the hot path. Guard it so a field added carelessly shows up.
    #[test]
    fn receipts_stay_small() {
        assert_eq!(std::mem::size_of::<Posting>(), 32);
        assert!(
            std::mem::size_of::<Receipt>() <= 560,
            "{}",
            std::mem::size_of::<Receipt>()
        );
    }
}
