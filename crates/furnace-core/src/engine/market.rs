//! Markets: swaps on constant-product pools and external venues, and pool
//! liquidity. [`quote_swap`] is pure (it is `furnace swap`); `apply`
//! settles exactly what it returns.
//!
//! Pools follow Uniswap v2 (`pool_math`): the fee is charged on the input
//! and stays in the pool; exact-in rounds the output down, exact-out rounds
//! the input up, so `k = x * y` never decreases (asserted on every swap).
//! External markets trade at the token's oracle price; their numeraire side
//! is outside the economy (a buyer's payment leaves as an outflow, a
//! seller's proceeds enter as an inflow), their token side is the market
//! account's balance.

use super::pricing::{
    price_of, tokens_for_value_ceil, tokens_for_value_floor, value_ceil, value_floor,
};
use super::{check_account, check_funds, Rejection};
use crate::economy::{Economy, MarketKind};
use crate::event::{BurnReason, MintReason, Order};
use crate::ids::{AccountId, AssetId, MarketId, MarketSlot};
use crate::pool_math::{
    amount_in, amount_out, burn_amounts, cmp_products, initial_shares, mint_shares,
    optimal_deposit, MINIMUM_LIQUIDITY,
};
use crate::state::State;
use crate::units::BaseUnits;
use std::cmp::Ordering;

/// A swap, computed. Reserves are in the pool's asset order (for an
/// external market: `[market account's tokens, 0]`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SwapQuote {
    pub market: MarketId,
    pub sell: AssetId,
    pub buy: AssetId,
    pub amount_in: BaseUnits,
    pub amount_out: BaseUnits,
    /// The fee, in millionths of a base unit of the input asset
    /// (`amount_in * fee_ppm`): exact, however small.
    pub fee_micro_units: u128,
    pub reserves_before: [BaseUnits; 2],
    pub reserves_after: [BaseUnits; 2],
    /// The pool's assets (or `[token, numeraire]` for an external market).
    pub assets: [AssetId; 2],
    /// Whether the market is a pool (else external).
    pub is_pool: bool,
}

/// What a market trades: its two assets, the pool fee (0 external), and
/// whether it is a pool. A declared market's come from the economy file, a
/// run-time pool's from the state.
pub(crate) fn market_assets(
    economy: &Economy,
    state: &State,
    market: MarketId,
) -> Result<([AssetId; 2], u32, bool), Rejection> {
    if let MarketSlot::Runtime(_) = market.slot() {
        return state
            .runtime_pool(market)
            .map(|r| (r.assets, r.fee.0, true))
            .ok_or(Rejection::UnknownMarket(market));
    }
    match economy.markets.get(market.index()).map(|m| &m.kind) {
        None => Err(Rejection::UnknownMarket(market)),
        Some(MarketKind::Pool { assets, fee, .. }) => Ok((*assets, fee.0, true)),
        Some(MarketKind::External { token, .. }) => Ok(([*token, economy.numeraire], 0, false)),
    }
}

/// A pool's two assets (declared or run time), None for anything else.
pub(crate) fn pool_assets(
    economy: &Economy,
    state: &State,
    market: MarketId,
) -> Option<[AssetId; 2]> {
    match market_assets(economy, state, market) {
        Ok((assets, _, true)) => Some(assets),
        _ => None,
    }
}

/// Compute a swap on `market` selling `sell`, without changing anything.
pub fn quote_swap(
    economy: &Economy,
    state: &State,
    market: MarketId,
    sell: AssetId,
    order: Order,
) -> Result<SwapQuote, Rejection> {
    let (assets, fee, is_pool) = market_assets(economy, state, market)?;
    let i = match assets.iter().position(|a| *a == sell) {
        Some(i) => i,
        None => {
            return Err(Rejection::AssetNotInMarket {
                market,
                asset: sell,
            })
        }
    };
    let o = 1 - i;
    let (amount, limit) = match order {
        Order::ExactIn { amount_in, min_out } => (amount_in, min_out),
        Order::ExactOut { amount_out, max_in } => (amount_out, max_in),
    };
    if amount == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let (reserves_before, reserves_after, amount_in_, amount_out_) = if is_pool {
        let r = state
            .pool(market)
            .ok_or(Rejection::UnknownMarket(market))?
            .reserves;
        if r[0] == 0 || r[1] == 0 {
            return Err(Rejection::InsufficientLiquidity {
                market,
                requested: amount,
                reserve: 0,
            });
        }
        let (a_in, a_out) = match order {
            Order::ExactIn { amount_in: a, .. } => (
                a,
                amount_out(a, r[i], r[o], fee).ok_or(Rejection::Overflow("swap output"))?,
            ),
            Order::ExactOut {
                amount_out: out, ..
            } => {
                if out >= r[o] {
                    return Err(Rejection::InsufficientLiquidity {
                        market,
                        requested: out,
                        reserve: r[o],
                    });
                }
                (
                    amount_in(out, r[i], r[o], fee).ok_or(Rejection::Overflow("swap input"))?,
                    out,
                )
            }
        };
        let mut after = r;
        after[i] = r[i]
            .checked_add(a_in)
            .ok_or(Rejection::Overflow("pool reserve"))?;
        after[o] = r[o] - a_out;
        (r, after, a_in, a_out)
    } else {
        let MarketKind::External { token, account } = economy.market(market).kind else {
            unreachable!("checked: external")
        };
        let price = price_of(economy, state, token)?;
        let held = state.balance(token, account);
        // i == 0: selling the token to the market; i == 1: buying it.
        let (a_in, a_out) = match (order, i) {
            (Order::ExactIn { amount_in: a, .. }, 0) => (a, value_floor(a, price)?),
            (Order::ExactOut { amount_out: v, .. }, 0) => (tokens_for_value_ceil(v, price)?, v),
            (Order::ExactIn { amount_in: v, .. }, _) => (v, tokens_for_value_floor(v, price)?),
            (Order::ExactOut { amount_out: t, .. }, _) => (value_ceil(t, price)?, t),
        };
        let after_tokens = if i == 0 {
            held.checked_add(a_in)
                .ok_or(Rejection::Overflow("market balance"))?
        } else {
            held.checked_sub(a_out)
                .ok_or(Rejection::InsufficientLiquidity {
                    market,
                    requested: a_out,
                    reserve: held,
                })?
        };
        ([held, 0], [after_tokens, 0], a_in, a_out)
    };
    match order {
        Order::ExactIn { .. } if amount_out_ < limit || amount_out_ == 0 => {
            return Err(Rejection::SlippageExceeded {
                limit,
                actual: amount_out_,
            })
        }
        Order::ExactOut { .. } if amount_in_ > limit => {
            return Err(Rejection::SlippageExceeded {
                limit,
                actual: amount_in_,
            })
        }
        _ => {}
    }
    Ok(SwapQuote {
        market,
        sell,
        buy: assets[o],
        amount_in: amount_in_,
        amount_out: amount_out_,
        fee_micro_units: amount_in_
            .checked_mul(u128::from(fee))
            .ok_or(Rejection::Overflow("fee"))?,
        reserves_before,
        reserves_after,
        assets,
        is_pool,
    })
}

/// Validate and settle a swap for `trader`.
pub(crate) fn apply_swap(
    economy: &Economy,
    state: &mut State,
    market: MarketId,
    trader: AccountId,
    sell: AssetId,
    order: Order,
) -> Result<SwapQuote, Rejection> {
    check_account(state, trader)?;
    let q = quote_swap(economy, state, market, sell, order)?;
    check_funds(state, sell, trader, q.amount_in)?;
    if !q.is_pool && sell != economy.numeraire {
        // The seller's proceeds enter from outside: minted as a Mint event
        // would be (supply and the minted counter must hold them).
        super::check_mint(economy, state, q.buy, q.amount_out)?;
    }
    // Validated: mutate.
    state.debit_checked(sell, trader, q.amount_in);
    settle_fill(economy, state, &q);
    if !q.is_pool && q.buy == economy.numeraire {
        state.mint_into_flow(q.buy, q.amount_out, MintReason::ExternalInflow);
    }
    state.credit(q.buy, trader, q.amount_out);
    Ok(q)
}

/// Move a computed fill's market side: the pool's reserves, or the
/// external market's tokens and the numeraire that leaves or enters. The
/// trader's side (debit of `amount_in`, credit of `amount_out`) is the
/// caller's.
pub(crate) fn settle_fill(economy: &Economy, state: &mut State, q: &SwapQuote) {
    if q.is_pool {
        let before = q.reserves_before;
        let pool = state.pool_mut(q.market).expect("validated pool");
        debug_assert_eq!(pool.reserves, before);
        pool.reserves = q.reserves_after;
        assert!(
            cmp_products(
                q.reserves_after[0],
                q.reserves_after[1],
                before[0],
                before[1]
            ) != Ordering::Less,
            "a swap decreased the pool's k"
        );
    } else {
        let MarketKind::External { token, account } = economy.market(q.market).kind else {
            unreachable!("checked: external")
        };
        if q.sell == token {
            state.credit(token, account, q.amount_in);
        } else {
            // The buyer's payment leaves the economy; the tokens leave the
            // market's float (credited to the buyer by the caller).
            state.burn_from_flow(q.sell, q.amount_in, BurnReason::ExternalOutflow);
            state.debit_checked(token, account, q.amount_out);
        }
    }
}

/// Liquidity added: the amounts taken and the shares minted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LiquidityReceipt {
    pub amounts: [BaseUnits; 2],
    pub shares: BaseUnits,
}

fn pool_of(economy: &Economy, state: &State, market: MarketId) -> Result<[AssetId; 2], Rejection> {
    match market_assets(economy, state, market)? {
        (assets, _, true) => Ok(assets),
        _ => Err(Rejection::NotConfigured("pool (this market is external)")),
    }
}

pub(crate) fn apply_add_liquidity(
    economy: &Economy,
    state: &mut State,
    market: MarketId,
    provider: AccountId,
    desired: [BaseUnits; 2],
    min_shares: BaseUnits,
) -> Result<LiquidityReceipt, Rejection> {
    let assets = pool_of(economy, state, market)?;
    check_account(state, provider)?;
    if desired[0] == 0 || desired[1] == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let pool = *state.pool(market).ok_or(Rejection::UnknownMarket(market))?;
    let overflow = Rejection::Overflow("liquidity");
    let (amounts, shares, locked) = if pool.shares == 0 {
        let shares = initial_shares(desired[0], desired[1], MINIMUM_LIQUIDITY).ok_or(
            Rejection::SlippageExceeded {
                limit: MINIMUM_LIQUIDITY + 1,
                actual: 0,
            },
        )?;
        (desired, shares, MINIMUM_LIQUIDITY)
    } else {
        let (a, b) = optimal_deposit(desired[0], desired[1], pool.reserves[0], pool.reserves[1])
            .ok_or(overflow.clone())?;
        let shares = mint_shares(a, b, pool.reserves[0], pool.reserves[1], pool.shares)
            .ok_or(overflow.clone())?;
        ([a, b], shares, 0)
    };
    if shares == 0 || shares < min_shares {
        return Err(Rejection::SlippageExceeded {
            limit: min_shares.max(1),
            actual: shares,
        });
    }
    for (asset, amount) in assets.iter().zip(amounts) {
        check_funds(state, *asset, provider, amount)?;
    }
    let new_reserves = [
        pool.reserves[0]
            .checked_add(amounts[0])
            .ok_or(overflow.clone())?,
        pool.reserves[1]
            .checked_add(amounts[1])
            .ok_or(overflow.clone())?,
    ];
    let new_shares = pool
        .shares
        .checked_add(shares + locked)
        .ok_or(overflow.clone())?;
    let lp = AssetId::lp(market);
    // The LP asset's minted counter grows with every deposit, also past
    // the shares outstanding: it must hold this one.
    super::check_mint(economy, state, lp, shares + locked)?;
    // Validated: mutate.
    for (asset, amount) in assets.iter().zip(amounts) {
        state.debit_checked(*asset, provider, amount);
    }
    let p = state.pool_mut(market).expect("pool");
    p.reserves = new_reserves;
    p.shares = new_shares;
    state.mint_into_flow(lp, shares + locked, MintReason::Liquidity);
    if locked > 0 {
        state.burn_from_flow(lp, locked, BurnReason::Liquidity);
    }
    state.credit(lp, provider, shares);
    Ok(LiquidityReceipt { amounts, shares })
}

pub(crate) fn apply_remove_liquidity(
    economy: &Economy,
    state: &mut State,
    market: MarketId,
    provider: AccountId,
    shares: BaseUnits,
    min_amounts: [BaseUnits; 2],
) -> Result<LiquidityReceipt, Rejection> {
    let assets = pool_of(economy, state, market)?;
    check_account(state, provider)?;
    if shares == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let lp = AssetId::lp(market);
    check_funds(state, lp, provider, shares)?;
    let pool = *state.pool(market).ok_or(Rejection::UnknownMarket(market))?;
    let (a, b) = burn_amounts(shares, pool.reserves[0], pool.reserves[1], pool.shares)
        .ok_or(Rejection::Overflow("liquidity"))?;
    // (a, b) is never (0, 0) for a share or more: reserves only grow
    // against the share count (k never decreases), so x * y >= T^2, and
    // s x < T with s y < T would need s < 1.
    for (got, min) in [a, b].into_iter().zip(min_amounts) {
        if got < min {
            return Err(Rejection::SlippageExceeded {
                limit: min,
                actual: got,
            });
        }
    }
    // Validated: mutate.
    state.debit_checked(lp, provider, shares);
    state.burn_from_flow(lp, shares, BurnReason::Liquidity);
    let p = state.pool_mut(market).expect("pool");
    p.reserves = [p.reserves[0] - a, p.reserves[1] - b];
    p.shares -= shares;
    state.credit(assets[0], provider, a);
    state.credit(assets[1], provider, b);
    Ok(LiquidityReceipt {
        amounts: [a, b],
        shares,
    })
}
