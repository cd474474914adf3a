//! `apply`: the one function that changes an economy's state. Every rule of
//! every economy lives in this module's files, each a concern:
//!
//! | file | rules |
//! |---|---|
//! | `pricing.rs` | oracles, tokens per action, value conversions |
//! | `split.rs` | consumption splits and their settlement |
//! | `actions.rs` | metered actions, subscriptions, escrow |
//! | `market.rs` | swaps (pools and external venues), liquidity |
//! | `buyback.rs` | buyback programs across venues, with guards |
//! | `revenue.rs` | revenue rules, mint on purchase, redemption |
//! | `rewards.rs` | reward pools (O(1) accumulators), positions; routing to any destination |
//! | `emission.rs` | emission schedules and their curves |
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
mod market;
mod pricing;
mod rejection;
mod revenue;
mod rewards;
mod split;

pub use actions::{version_tokens_per_action, ActionsReceipt};
pub use buyback::{quote_buyback, BuybackFill, BuybackReceipt, Limit};
pub use emission::{EmissionLimit, EmissionReceipt};
pub use market::{quote_swap, LiquidityReceipt, SwapQuote};
pub use pricing::{
    decimals_of, pico_den, price_of, subscription_tokens, tokens_for_value_ceil,
    tokens_for_value_floor, tokens_per_action, value_ceil, value_floor, Price,
};
pub use rejection::Rejection;
pub use revenue::{revenue_split, RevenueParts};
pub use rewards::{claimable, WithdrawReceipt};
pub use split::{split, Posting, Role, Sink, SplitReceipt, MAX_POSTINGS};

use crate::economy::{Economy, MarketKind, ValidEconomy, MAX_TRAINERS_PER_PATH};
use crate::event::{BurnReason, Event, MintReason};
use crate::ids::{
    AccountId, AssetId, AssetSlot, PathId, PositionId, RewardPoolId, SubscriptionId, WorkflowId,
};
use crate::state::{LaunchedToken, State, TrainerPath, Workflow};
use crate::units::{BaseUnits, MAX_DECIMALS};

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
    RewardPoolFunded {
        pool: RewardPoolId,
        amount: BaseUnits,
        /// The pool had no weight: the amount went to its `empty_to`.
        to_empty: bool,
    },
    Emitted(EmissionReceipt),
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
pub fn apply(
    economy: &ValidEconomy,
    state: &mut State,
    event: &Event,
) -> Result<Receipt, Rejection> {
    let receipt = apply_inner(economy, state, event)?;
    state.events_applied += 1;
    for asset in touched(economy, state, event) {
        if let Some(t) = state.asset_totals(asset) {
            assert!(t.consistent(), "supply != minted - burned after {event:?}");
        }
    }
    if let Some(pool) = pool_of(event).and_then(|p| state.reward_pools.get(p.index())) {
        assert!(
            pool.totals.consistent(),
            "reward pool credited != paid + to_empty + dust + held after {event:?}"
        );
    }
    #[cfg(debug_assertions)]
    if let Err(violation) = state.check_invariants(economy) {
        panic!("{violation} after {event:?}");
    }
    Ok(receipt)
}

/// The reward pool an event names, if any (its O(1) identity is asserted
/// after the event in every build).
fn pool_of(event: &Event) -> Option<RewardPoolId> {
    match *event {
        Event::OpenPosition { pool, .. }
        | Event::SetWeight { pool, .. }
        | Event::AddToPosition { pool, .. }
        | Event::Withdraw { pool, .. }
        | Event::Claim { pool, .. }
        | Event::FundRewardPool { pool, .. } => Some(pool),
        _ => None,
    }
}

/// The assets whose totals an event can change (at most three: a token or
/// two, the numeraire, a pool's LP asset).
fn touched(economy: &Economy, state: &State, event: &Event) -> [AssetId; 3] {
    let n = economy.numeraire;
    if let Some(spec) = pool_of(event).and_then(|p| economy.reward_pools.get(p.index())) {
        return [spec.reward, spec.stake_asset().unwrap_or(n), n];
    }
    match *event {
        Event::ExpireSubscription { subscription } => [
            state
                .subscriptions
                .get(subscription.index())
                .map_or(n, |s| economy.plan(s.plan).token),
            n,
            n,
        ],
        Event::Swap { market, .. } => match economy.markets.get(market.index()).map(|m| &m.kind) {
            Some(MarketKind::Pool { assets, .. }) => [assets[0], assets[1], AssetId::lp(market)],
            Some(MarketKind::External { token, .. }) => [*token, n, n],
            None => [n, n, n],
        },
        Event::Mint { asset, .. } | Event::Burn { asset, .. } => [asset, n, n],
        Event::Actions { version, .. } => [
            economy.versions.get(version.index()).map_or(n, |v| v.token),
            n,
            n,
        ],
        Event::AddLiquidity { market, .. } | Event::RemoveLiquidity { market, .. } => {
            [AssetId::lp(market), n, n]
        }
        Event::Buyback { program, .. } => [
            economy.buybacks.get(program.index()).map_or(n, |b| b.token),
            n,
            n,
        ],
        Event::Purchase { sale, .. } => {
            [economy.sales.get(sale.index()).map_or(n, |s| s.token), n, n]
        }
        Event::Redeem { redemption, .. } => [
            economy
                .redemptions
                .get(redemption.index())
                .map_or(n, |r| r.token),
            n,
            n,
        ],
        Event::Emit { schedule } => [
            economy
                .emissions
                .get(schedule.index())
                .map_or(n, |s| s.token),
            n,
            n,
        ],
        _ => [n, n, n],
    }
}

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
        } => {
            if decimals > MAX_DECIMALS {
                return Err(Rejection::InvalidDecimals(decimals));
            }
            if max_supply == Some(0) {
                return Err(Rejection::ZeroAmount);
            }
            state
                .launch(LaunchedToken {
                    decimals,
                    max_supply,
                })
                .map(Receipt::TokenLaunched)
                .ok_or(Rejection::TooMany("tokens"))
        }
        Event::SetPrice {
            token,
            price_usd_pico,
        } => {
            let slot = match token.slot() {
                AssetSlot::Declared(i) if token != e.numeraire && i < e.assets.len() => {
                    if e.oracles[i] != crate::economy::Oracle::Exogenous {
                        return Err(Rejection::PriceNotExogenous(token));
                    }
                    &mut state.declared_prices[i]
                }
                AssetSlot::Launched(i) if i < state.launched.len() => &mut state.launched_prices[i],
                AssetSlot::Declared(i) if i < e.assets.len() => {
                    return Err(Rejection::NotAToken(token))
                }
                AssetSlot::Lp(_) => return Err(Rejection::NotAToken(token)),
                _ => return Err(Rejection::UnknownAsset(token)),
            };
            if price_usd_pico == 0 {
                return Err(Rejection::ZeroPrice);
            }
            *slot = price_usd_pico;
            Ok(Receipt::PriceSet)
        }
        Event::Tick => actions::apply_tick(e, state),
        Event::Mint {
            asset,
            to,
            amount_base_units,
            reason,
        } => {
            check_asset(state, asset)?;
            check_account(state, to)?;
            if amount_base_units == 0 {
                return Err(Rejection::ZeroAmount);
            }
            let is_numeraire = asset == e.numeraire;
            if matches!(asset.slot(), AssetSlot::Lp(_)) {
                return Err(Rejection::InvalidReason(
                    "LP shares are minted only by adding liquidity",
                ));
            }
            if !(reason.is_emission() || is_numeraire && reason == MintReason::ExternalInflow) {
                return Err(Rejection::InvalidReason(
                    "events mint tokens as emissions and the numeraire as external_inflow; genesis, purchases and LP shares have events of their own",
                ));
            }
            if is_numeraire && reason.is_emission() {
                return Err(Rejection::InvalidReason(
                    "the numeraire is not emitted: use external_inflow",
                ));
            }
            check_mint(e, state, asset, amount_base_units)?;
            state
                .mint(asset, to, amount_base_units, reason)
                .ok_or(Rejection::Overflow("supply"))?;
            Ok(Receipt::Minted)
        }
        Event::Burn {
            asset,
            from,
            amount_base_units,
            reason,
        } => {
            check_asset(state, asset)?;
            check_account(state, from)?;
            if amount_base_units == 0 {
                return Err(Rejection::ZeroAmount);
            }
            // A burn of LP shares would leave the pool's share count above
            // the LP supply (the pool does not see it).
            if matches!(asset.slot(), AssetSlot::Lp(_)) {
                return Err(Rejection::InvalidReason(
                    "LP shares are burned only by removing liquidity",
                ));
            }
            let allowed = if asset == e.numeraire {
                matches!(reason, BurnReason::ExternalOutflow | BurnReason::Cost)
            } else {
                matches!(
                    reason,
                    BurnReason::Voluntary | BurnReason::Penalty | BurnReason::FailedAction
                )
            };
            if !allowed {
                return Err(Rejection::InvalidReason(
                    "the numeraire leaves only as external_outflow or cost; holders burn tokens as voluntary, penalty or failed_action",
                ));
            }
            check_funds(state, asset, from, amount_base_units)?;
            state.debit_checked(asset, from, amount_base_units);
            state.burn_from_flow(asset, amount_base_units, reason);
            Ok(Receipt::Burned)
        }
        Event::Transfer {
            asset,
            from,
            to,
            amount_base_units,
        } => {
            check_asset(state, asset)?;
            check_account(state, from)?;
            check_account(state, to)?;
            if amount_base_units == 0 {
                return Err(Rejection::ZeroAmount);
            }
            check_funds(state, asset, from, amount_base_units)?;
            state.debit_checked(asset, from, amount_base_units);
            state.credit(asset, to, amount_base_units);
            Ok(Receipt::Transferred)
        }
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
            check_account(state, creator)?;
            if epoch == 0 {
                return Err(Rejection::InvalidEpoch(epoch));
            }
            let id = WorkflowId::from_index(state.workflows.len())
                .ok_or(Rejection::TooMany("workflows"))?;
            state.workflows.push(Workflow { creator, epoch });
            Ok(Receipt::WorkflowPublished(id))
        }
        Event::RegisterTrainerPath { ref trainers } => {
            if trainers.len() > MAX_TRAINERS_PER_PATH {
                return Err(Rejection::TooManyTrainers(trainers.len()));
            }
            for t in trainers {
                check_account(state, t.trainer)?;
            }
            let id =
                PathId::from_index(state.paths.len()).ok_or(Rejection::TooMany("trainer paths"))?;
            state.paths.push(TrainerPath::new(trainers));
            Ok(Receipt::PathRegistered(id))
        }
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
        } => rewards::apply_set_weight(e, state, pool, position, weight),
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
