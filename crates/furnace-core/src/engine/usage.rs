//! `LaunchUsage`: paid usage of a graduated launch's service under its
//! spec's usage rule (`economy/usage.rs`; FOMO's inference, seed 004).
//!
//! For `c` calls by `payer`:
//! 1. `gross = price_per_call x c` (numeraire base units), recorded as the
//!    payer's usage of the launch (rewards by usage weigh the gross, so a
//!    discounted payer counts as if paying full price);
//! 2. the discount `d` of the tier the payer's stake reaches (the payer's
//!    positions in the launch's stake pool, summed: O(that pool's
//!    positions)); `charged = gross - floor(gross x d)`: the discount is
//!    floored, so the charge rounds **up** (the payer pays < 1 base unit
//!    more than `gross x (1 - d)`), and `d < 100%` keeps it positive;
//! 3. `cost = min(cost_per_call x c, charged)` is paid out (minted and
//!    burned, reason `cost`, as a revenue rule's pay-out part): a discount
//!    deep enough to go below the compute cost leaves no net;
//! 4. `net = charged - cost`, each part `floor(net x share)`, the dust to
//!    the first part, so the parts sum exactly to `net`;
//! 5. a part paid in the numeraire is credited; a part that buys swaps
//!    exact-in on constant-product pools (the pool's fee, output floored,
//!    `k` never falls): a declared pool of the numeraire, or for the
//!    launch's token `via` (numeraire -> quote, unless the quote is the
//!    numeraire) then the launch's own pool (quote -> token). Parts are
//!    executed in order, each quoted against the reserves the previous
//!    ones left; what is bought is burned (reason `buyback`) or credited.
//!
//! Everything is computed first against a copy of the touched reserves;
//! then the state changes, and nothing after that can fail.

use super::market::{market_assets, settle_fill};
use super::split::share_floor;
use super::{check_account, check_mint, Rejection, SwapQuote};
use crate::economy::{Destination, Economy, UsageBuy, UsageTo, MAX_USAGE_PARTS};
use crate::event::{BurnReason, MintReason};
use crate::ids::{AccountId, AssetId, LaunchId, MarketId};
use crate::pool_math::amount_out;
use crate::state::{LaunchStatus, State};
use crate::units::{BaseUnits, Ppm};

/// One part of the net, as executed.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct UsagePartFill {
    /// Numeraire base units of the net this part took.
    pub amount: BaseUnits,
    /// What was delivered (burned or credited): the numeraire itself, or
    /// the base units of the token bought.
    pub delivered: BaseUnits,
}

/// What a `LaunchUsage` did.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct UsageReceipt {
    pub launch: LaunchId,
    pub calls: u64,
    /// Before the discount: recorded as the payer's usage.
    pub gross: BaseUnits,
    /// The payer's stake in the launch's stake pool, and its tier's discount.
    pub staked: BaseUnits,
    pub discount: Ppm,
    /// Paid in: `gross - floor(gross x discount)`.
    pub charged: BaseUnits,
    /// Paid out as compute cost.
    pub cost: BaseUnits,
    /// `charged - cost`, divided by the parts.
    pub net: BaseUnits,
    pub parts: [UsagePartFill; MAX_USAGE_PARTS],
    pub n: u8,
}

impl UsageReceipt {
    pub fn parts(&self) -> &[UsagePartFill] {
        &self.parts[..usize::from(self.n)]
    }
}

/// The swaps one event executes: at most two per part.
const MAX_HOPS: usize = 2 * MAX_USAGE_PARTS;

/// Swaps planned in order; a market's reserves are the last planned
/// swap's on it, else the state's.
struct Plan {
    hops: [Option<SwapQuote>; MAX_HOPS],
    n: usize,
}

impl Plan {
    fn reserves(&self, state: &State, market: MarketId) -> Option<[BaseUnits; 2]> {
        self.hops[..self.n]
            .iter()
            .rev()
            .flatten()
            .find(|q| q.market == market)
            .map(|q| q.reserves_after)
            .or_else(|| state.pool(market).map(|p| p.reserves))
    }

    /// Plan an exact-in swap of `amount_in` of `sell` on the pool `market`
    /// (checked by validation or by the launch's graduation to be one);
    /// returns the output (0 for no input: nothing planned).
    fn swap(
        &mut self,
        e: &Economy,
        state: &State,
        market: MarketId,
        sell: AssetId,
        amount_in: BaseUnits,
    ) -> Result<BaseUnits, Rejection> {
        if amount_in == 0 {
            return Ok(0);
        }
        let (assets, fee, is_pool) = market_assets(e, state, market)?;
        let i = assets
            .iter()
            .position(|a| *a == sell)
            .filter(|_| is_pool)
            .ok_or(Rejection::AssetNotInMarket {
                market,
                asset: sell,
            })?;
        let o = 1 - i;
        let r = self
            .reserves(state, market)
            .ok_or(Rejection::UnknownMarket(market))?;
        if r[0] == 0 || r[1] == 0 {
            return Err(Rejection::InsufficientLiquidity {
                market,
                requested: amount_in,
                reserve: 0,
            });
        }
        let out =
            amount_out(amount_in, r[i], r[o], fee).ok_or(Rejection::Overflow("swap output"))?;
        let mut after = r;
        after[i] = r[i]
            .checked_add(amount_in)
            .ok_or(Rejection::Overflow("pool reserve"))?;
        after[o] = r[o] - out;
        let slot = self
            .hops
            .get_mut(self.n)
            .ok_or(Rejection::TooMany("swaps"))?;
        *slot = Some(SwapQuote {
            market,
            sell,
            buy: assets[o],
            amount_in,
            amount_out: out,
            fee_micro_units: amount_in
                .checked_mul(u128::from(fee))
                .ok_or(Rejection::Overflow("fee"))?,
            reserves_before: r,
            reserves_after: after,
            assets,
            is_pool: true,
        });
        self.n += 1;
        Ok(out)
    }
}

/// The payer's stake in `launch`'s stake pool, its positions summed.
fn staked(state: &State, pool: Option<crate::ids::RewardPoolId>, payer: AccountId) -> BaseUnits {
    pool.and_then(|p| state.reward_pool(p)).map_or(0, |p| {
        p.positions()
            .iter()
            .filter(|q| q.owner == payer)
            .map(|q| q.amount)
            .fold(0u128, u128::saturating_add)
    })
}

pub(crate) fn apply_usage(
    e: &Economy,
    state: &mut State,
    launch: LaunchId,
    payer: AccountId,
    calls: u64,
) -> Result<super::Receipt, Rejection> {
    let l = state
        .launches
        .get(launch.index())
        .ok_or(Rejection::UnknownLaunch(launch))?;
    let spec = e
        .launches
        .get(l.spec.index())
        .ok_or(Rejection::UnknownLaunchSpec(l.spec))?;
    let rule = spec.usage.as_ref().ok_or(Rejection::NoUsageRule(launch))?;
    let LaunchStatus::Graduated { pool, .. } = l.status else {
        return Err(Rejection::LaunchNotLive(launch));
    };
    check_account(state, payer)?;
    if calls == 0 {
        return Err(Rejection::ZeroAmount);
    }
    let n = e.numeraire;
    let gross = rule
        .price_per_call
        .checked_mul(u128::from(calls))
        .ok_or(Rejection::Overflow("usage price"))?;
    let staked = staked(state, l.stake_pool, payer);
    let discount = rule.discount_for(staked);
    let charged = gross - share_floor(gross, discount)?;
    let cost = rule
        .cost_per_call
        .checked_mul(u128::from(calls))
        .ok_or(Rejection::Overflow("usage cost"))?
        .min(charged);
    let net = charged - cost;
    let payer_usage = l
        .usage_of(payer)
        .checked_add(gross)
        .ok_or(Rejection::Overflow("usage"))?;
    let gross_usage = l
        .gross_usage
        .checked_add(gross)
        .ok_or(Rejection::Overflow("usage"))?;
    let (issuer, token) = (l.issuer, l.token);

    let mut receipt = UsageReceipt {
        launch,
        calls,
        gross,
        staked,
        discount,
        charged,
        cost,
        net,
        parts: [UsagePartFill::default(); MAX_USAGE_PARTS],
        n: 0,
    };
    let mut plan = Plan {
        hops: [None; MAX_HOPS],
        n: 0,
    };
    let mut given: BaseUnits = 0;
    for (slot, part) in receipt.parts.iter_mut().zip(&rule.parts) {
        slot.amount = share_floor(net, part.share)?;
        given += slot.amount;
        receipt.n += 1;
    }
    if receipt.n > 0 {
        receipt.parts[0].amount += net - given;
    }
    for (slot, part) in receipt.parts.iter_mut().zip(&rule.parts) {
        slot.delivered = match part.buy {
            UsageBuy::Nothing => slot.amount,
            UsageBuy::Market(m) => plan.swap(e, state, m, n, slot.amount)?,
            UsageBuy::LaunchToken => {
                let quote = if spec.quote == n {
                    slot.amount
                } else {
                    let via = rule.via.ok_or(Rejection::NotConfigured("usage via"))?;
                    plan.swap(e, state, via, n, slot.amount)?
                };
                plan.swap(e, state, pool, spec.quote, quote)?
            }
        };
        if let Destination::Account(a) = part.to.destination(issuer) {
            check_account(state, a)?;
        }
    }
    check_mint(e, state, n, charged)?;

    // Validated: mutate.
    state.mint_into_flow(n, charged, MintReason::ExternalInflow);
    if cost > 0 {
        state.burn_from_flow(n, cost, BurnReason::Cost);
    }
    for q in plan.hops[..plan.n].iter().flatten() {
        settle_fill(e, state, q);
    }
    for (fill, part) in receipt.parts().iter().zip(&rule.parts) {
        let asset = match part.buy {
            UsageBuy::Nothing => n,
            UsageBuy::Market(m) => match market_assets(e, state, m) {
                Ok((assets, _, _)) => assets[usize::from(assets[0] == n)],
                Err(_) => unreachable!("planned above"),
            },
            UsageBuy::LaunchToken => token,
        };
        if fill.delivered == 0 {
            continue;
        }
        match part.to {
            UsageTo::Burn => state.burn_from_flow(asset, fill.delivered, BurnReason::Buyback),
            UsageTo::Account(a) => state.credit(asset, a, fill.delivered),
            UsageTo::Issuer => state.credit(asset, issuer, fill.delivered),
        }
    }
    let l = &mut state.launches[launch.index()];
    l.usage.insert(payer, payer_usage);
    l.gross_usage = gross_usage;
    Ok(super::Receipt::LaunchUsed(receipt))
}
