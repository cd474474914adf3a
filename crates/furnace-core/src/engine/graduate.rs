//! Graduation of a launch: the allocation table minted, the pool seeded.
//! Reached by `GraduateLaunch` once the raise is at least its minimum, or
//! inside the `BuyOnCurve` that brings it to its maximum. [`plan`] computes
//! and checks everything (pure); [`execute`] cannot fail.
//!
//! With `raised = R`, `sold` tokens owed along the curve and the table's
//! amounts `a_i = floor(total_supply x share_i)` (dust to the first):
//! - each buyer is minted the tokens the curve owes them (reason
//!   `purchase`); the sale allocation's unsold rest, `a_sale - sold`, is
//!   never minted, so the supply ends at `total_supply - unsold`;
//! - the issuer's and named accounts' entries are minted to them, the
//!   liquidity entry `L` into the new pool (reason `genesis`: the token's
//!   initial allocation);
//! - the pool `[token, quote]` is created at run time with reserves
//!   `[L, Q]`, `Q = floor(R x raise_to_liquidity)` taken from the launch's
//!   custody; the rest `R - Q` goes to `raise_rest_to`;
//! - its first LP shares, `floor(sqrt(L Q)) - 1000` (1,000 locked, as any
//!   pool's first deposit), go to `lp_to`;
//! - the token is priced by the pool's spot from then on (`SetPrice` is
//!   refused for it); the pool's opening price is `Q / L`;
//! - if the spec has a `staking` template, a reward pool staking the token
//!   is created with the next run-time id (`RewardPoolId::runtime`), empty:
//!   rewards credited before anyone stakes go to its `empty_to`.
//!
//! The cost is O(buyers), once per launch.

use super::launch::{check_raising, launch_of};
use super::split::share_floor;
use super::{check_account, check_mint, Rejection};
use crate::economy::{AllocationTarget, Economy, LaunchParty, MAX_ALLOCATIONS};
use crate::event::{BurnReason, MintReason};
use crate::ids::{AccountId, AssetId, AssetSlot, LaunchId, MarketId, RewardPoolId};
use crate::pool_math::{initial_shares, MINIMUM_LIQUIDITY};
use crate::state::{LaunchStatus, RewardPoolState, RuntimeRewardPool, State};
use crate::units::BaseUnits;

/// A graduation, as applied.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Graduation {
    pub launch: LaunchId,
    /// The pool created, pairing `[token, quote]`.
    pub pool: MarketId,
    pub token: AssetId,
    /// The principal raised.
    pub raised: BaseUnits,
    /// Tokens minted to buyers (what the curve sold).
    pub sold: BaseUnits,
    /// The sale allocation's unsold rest, never minted.
    pub unsold: BaseUnits,
    /// Tokens minted in all: `total_supply - unsold`.
    pub minted: BaseUnits,
    /// The pool's opening reserves `[L tokens, Q quote]`.
    pub reserves: [BaseUnits; 2],
    /// LP shares to `lp_to` (1,000 more are locked).
    pub lp_shares: BaseUnits,
    /// The raise's rest `R - Q`, to `raise_rest_to`.
    pub raise_rest: BaseUnits,
    pub buyers: u64,
    /// The stake pool created for the token (the spec's `staking`).
    pub stake_pool: Option<RewardPoolId>,
}

/// A graduation computed and checked, ready to execute.
pub(super) struct Plan {
    receipt: Graduation,
    amounts: [BaseUnits; MAX_ALLOCATIONS],
    lp_to: AccountId,
    rest_to: AccountId,
}

fn party(issuer: AccountId, p: LaunchParty) -> AccountId {
    match p {
        LaunchParty::Issuer => issuer,
        LaunchParty::Account(a) => a,
    }
}

/// Plan the graduation of `launch` at a raise of `raised` with `sold`
/// tokens owed (the state's own, or those a purchase is about to make).
pub(super) fn plan(
    e: &Economy,
    state: &State,
    launch: LaunchId,
    raised: BaseUnits,
    sold: BaseUnits,
) -> Result<Plan, Rejection> {
    let (spec, l) = launch_of(e, state, launch)?;
    let amounts = spec
        .allocation_amounts()
        .ok_or(Rejection::Overflow("allocation"))?;
    let sale = spec.allocated_to(AllocationTarget::Sale);
    let liquidity = spec.allocated_to(AllocationTarget::Liquidity);
    let unsold = sale.checked_sub(sold).ok_or(Rejection::Overflow("sale"))?;
    let minted = spec.total_supply - unsold;
    check_mint(e, state, l.token, minted)?;
    let quote_in_pool = share_floor(raised, spec.raise_to_liquidity)?;
    // Validation checked the pool can be seeded at the minimum raise, and
    // the raise is at least that: this holds, checked again all the same.
    let lp_shares = initial_shares(liquidity, quote_in_pool, MINIMUM_LIQUIDITY)
        .ok_or(Rejection::Overflow("the pool's first LP shares"))?;
    let pool = state
        .next_runtime_pool()
        .ok_or(Rejection::TooMany("pools"))?;
    let stake_pool = match spec.staking {
        Some(_) => Some(
            RewardPoolId::runtime(state.runtime_reward_pools.len())
                .ok_or(Rejection::TooMany("reward pools"))?,
        ),
        None => None,
    };
    let lp_to = party(l.issuer, spec.lp_to);
    let rest_to = party(l.issuer, spec.raise_rest_to);
    check_account(state, lp_to)?;
    check_account(state, rest_to)?;
    Ok(Plan {
        receipt: Graduation {
            launch,
            pool,
            token: l.token,
            raised,
            sold,
            unsold,
            minted,
            reserves: [liquidity, quote_in_pool],
            lp_shares,
            raise_rest: raised - quote_in_pool,
            buyers: 0,
            stake_pool,
        },
        amounts,
        lp_to,
        rest_to,
    })
}

/// Carry out a checked plan: cannot fail. The launch's state (raise,
/// commitments) is the one the plan was made for.
pub(super) fn execute(e: &Economy, state: &mut State, plan: &Plan) -> Graduation {
    let mut g = plan.receipt;
    let l = &mut state.launches[g.launch.index()];
    let (spec, issuer) = (e.launch_spec(l.spec), l.issuer);
    let quote = spec.quote;
    let commitments = std::mem::take(&mut l.commitments);
    debug_assert_eq!(l.held, g.raised);
    l.held = 0;
    l.status = LaunchStatus::Graduated {
        pool: g.pool,
        step: state.step,
    };
    g.buyers = commitments.len() as u64;
    let mint = |state: &mut State, to: AccountId, amount: BaseUnits, reason: MintReason| {
        if amount > 0 {
            state
                .mint(g.token, to, amount, reason)
                .expect("checked: the total supply fits");
        }
    };
    let mut sold: BaseUnits = 0;
    for (buyer, c) in &commitments {
        mint(state, *buyer, c.tokens, MintReason::Purchase);
        sold += c.tokens;
    }
    assert_eq!(sold, g.sold, "buyers must be minted what the curve sold");
    state.launches[g.launch.index()].commitments = commitments;
    for (a, amount) in spec.allocations.iter().zip(plan.amounts) {
        match a.to {
            AllocationTarget::Sale => {}
            AllocationTarget::Liquidity => {
                state.mint_into_flow(g.token, amount, MintReason::Genesis);
            }
            AllocationTarget::Issuer => mint(state, issuer, amount, MintReason::Genesis),
            AllocationTarget::Account(to) => mint(state, to, amount, MintReason::Genesis),
        }
    }
    // The raise leaves the launch's custody: part into the pool, the rest
    // to its recipient (no supply changes).
    if g.raise_rest > 0 {
        state.credit(quote, plan.rest_to, g.raise_rest);
    }
    let market = state.create_pool([g.token, quote], spec.pool_fee);
    assert_eq!(market, g.pool, "the pool id planned");
    let pool = state.pool_mut(market).expect("just created");
    pool.reserves = g.reserves;
    pool.shares = g.lp_shares + MINIMUM_LIQUIDITY;
    let lp = AssetId::lp(market);
    state.mint_into_flow(lp, g.lp_shares + MINIMUM_LIQUIDITY, MintReason::Liquidity);
    state.burn_from_flow(lp, MINIMUM_LIQUIDITY, BurnReason::Liquidity);
    state.credit(lp, plan.lp_to, g.lp_shares);
    if let AssetSlot::Launched(i) = g.token.slot() {
        state.launched[i].oracle = Some(market);
    }
    if let Some(id) = g.stake_pool {
        let l = &state.launches[g.launch.index()];
        let spec = l.spec;
        state.runtime_reward_pools.push(RuntimeRewardPool {
            launch: g.launch,
            spec,
            token: g.token,
            pool: RewardPoolState::default(),
        });
        assert_eq!(
            RewardPoolId::runtime(state.runtime_reward_pools.len() - 1),
            Some(id),
            "the stake pool id planned"
        );
        state.launches[g.launch.index()].stake_pool = Some(id);
    }
    g
}

pub(crate) fn apply_graduate(
    e: &Economy,
    state: &mut State,
    launch: LaunchId,
) -> Result<super::Receipt, Rejection> {
    let (spec, l) = launch_of(e, state, launch)?;
    check_raising(launch, l)?;
    if l.raised < spec.min_raise {
        return Err(Rejection::BelowMinRaise {
            launch,
            min_raise: spec.min_raise,
            raised: l.raised,
        });
    }
    let plan = plan(e, state, launch, l.raised, l.sold)?;
    // Validated: mutate.
    Ok(super::Receipt::Graduated(execute(e, state, &plan)))
}
