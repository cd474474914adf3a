//! Reward pools: positions, weights, and rewards shared pro rata in O(1)
//! per credit, and the routing of any rule's tokens to a destination (an
//! account, burn, or a pool).
//!
//! **The accumulator.** A pool keeps `acc`, the reward ever credited per
//! weight unit, in 2^-96 units (`state::ACC_SHIFT`), as a 256-bit integer.
//! Crediting `amount` at total weight `W` adds
//! `floor((amount 2^96 + carry) / W)` to `acc` and keeps the remainder as
//! the new `carry`: no unit is lost, the remainder waits for the next
//! credit. That is the whole cost of a credit, whatever the number of
//! positions (MasterChef's `acc += reward * 1e12 / lpSupply`, without its
//! loss). While `W == 0` a credit goes to the pool's `empty_to` instead.
//!
//! **Settling a position** (before its weight changes, and at a claim):
//! `earned = weight (acc - settled_at) + fraction`; `pending += floor(earned
//! / 2^96)`, the rest stays as the position's `fraction`. So a position is
//! never more than one base unit below its exact pro-rata share (plus the
//! carry's lag, below `W / 2^96` units), and never above it by more than
//! the carry it inherited (the same bound).
//!
//! **Dust.** A fraction whose position's weight falls to zero, and the carry
//! of a pool whose weight falls to zero, belong to nobody: they join the
//! pool's `dust`, whose whole units are booked to `dust_to` at once. So a
//! pool holds, beyond what positions are owed, less than one unit per
//! position with weight, plus one, plus `W / 2^96`.
//!
//! **Bounds.** `credited` (every unit ever credited) is a checked `u128`.
//! Each credit adds `delta` with `delta W = amount 2^96 + carry - carry'`,
//! so `Σ delta W <= 2^96 Σ amount + 2^128`, hence `acc < 2^224 + 2^128`; a
//! position's `weight (acc - settled_at)` is below the same bound (its
//! weight never exceeds `W` while it accrues). Every 256-bit operation is
//! still checked.
//!
//! **Stake caps** (`stake_cap.rs`): in a capped pool a position weighs
//! less than its deposit; the difference, its `excess`, counts for the
//! pool's surplus position (settled with every change here), so the total
//! weight stays the sum of uncapped weights.
//!
//! **Owners.** Withdrawals and claims always pay the position's owner: an
//! event cannot move a position's funds anywhere else, so the core checks
//! no signer (authentication is the service's, as for `Transfer`).

use super::stake_cap::weigh;
use super::{check_account, check_funds, Receipt, Rejection};
use crate::economy::{Destination, Economy, PoolWeight, RewardPoolSpec};
use crate::event::BurnReason;
use crate::ids::{AccountId, AssetId, PositionId, RewardPoolId};
use crate::state::{Position, RewardPoolState, RewardPoolTotals, State, ACC_SHIFT};
use crate::units::{mul_div_floor, BaseUnits, PPM_ONE};
use crate::wide::{shl_add_div, U256};

/// A withdrawal, as applied.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WithdrawReceipt {
    pub pool: RewardPoolId,
    pub position: PositionId,
    pub amount: BaseUnits,
    /// The early-withdrawal fee charged (0 once the lock has ended).
    pub fee: BaseUnits,
    /// Paid to the owner now (0 when unbonding).
    pub paid: BaseUnits,
    /// When unbonding: the step from which the position's unbonding
    /// (this withdrawal's `amount - fee` and any earlier) may be claimed.
    pub unbonding_until: Option<u64>,
}

// ---------------------------------------------------------------------------
// Routing tokens to a destination

/// Check that `amount` can be credited to `pool`. Conservative: a caller
/// crediting several parts of one whole to the same pool passes the whole.
/// The pool's other counters are bounded by `credited` (module docs), so
/// this is the only check a credit needs.
pub(crate) fn check_pool_credit(
    state: &State,
    pool: RewardPoolId,
    amount: BaseUnits,
) -> Result<(), Rejection> {
    let p = state
        .reward_pools
        .get(pool.index())
        .ok_or(Rejection::UnknownRewardPool(pool))?;
    p.totals
        .credited
        .checked_add(amount)
        .map(|_| ())
        .ok_or(Rejection::Overflow("reward pool credits"))
}

/// Check that `amount` can be delivered to `d` (see [`check_pool_credit`]).
pub(crate) fn check_destination(
    state: &State,
    d: Destination,
    amount: BaseUnits,
) -> Result<(), Rejection> {
    match d {
        Destination::Burn => Ok(()),
        Destination::Account(a) => check_account(state, a),
        Destination::RewardPool(p) => check_pool_credit(state, p, amount),
    }
}

/// Deliver `amount` units of `asset` that already left their holder (or
/// were minted into the flow) to `d`; burned as `reason`. Validation made
/// every pool destination pay in its asset.
pub(crate) fn deliver(
    economy: &Economy,
    state: &mut State,
    asset: AssetId,
    d: Destination,
    amount: BaseUnits,
    reason: BurnReason,
) {
    if amount == 0 {
        return;
    }
    match d {
        Destination::Burn => state.burn_from_flow(asset, amount, reason),
        Destination::Account(a) => state.credit(asset, a, amount),
        Destination::RewardPool(p) => {
            credit_pool(economy, state, p, amount);
        }
    }
}

/// Credit `amount` units of the pool's reward asset (already out of their
/// holder) to `pool`: O(1), no position is touched. The caller checked
/// [`check_pool_credit`]. Returns whether the pool was empty (the units
/// went to its `empty_to`).
pub(crate) fn credit_pool(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    amount: BaseUnits,
) -> bool {
    let spec = economy.reward_pool(pool);
    let t = &mut state.reward_pools[pool.index()].totals;
    t.credited = t.credited.checked_add(amount).expect("checked credit");
    if t.total_weight == 0 {
        // Cannot overflow: to_empty <= credited.
        t.to_empty += amount;
        state.credit(spec.reward, spec.empty_to, amount);
        return true;
    }
    let (delta, carry) =
        shl_add_div(amount, ACC_SHIFT, t.carry, t.total_weight).expect("a positive total weight");
    t.acc = t
        .acc
        .checked_add(delta)
        .expect("acc < 2^225 while credited < 2^128 (module docs)");
    t.carry = carry;
    // Cannot overflow: rewards_held <= credited.
    t.rewards_held += amount;
    false
}

// ---------------------------------------------------------------------------
// Positions

/// A position brought up to the pool's accumulator: what it earned since
/// it last settled moves to `pending` (whole units) and `fraction`.
pub(crate) fn settle(t: &RewardPoolTotals, p: &Position) -> Result<Position, Rejection> {
    let mut p = *p;
    if p.weight > 0 && t.acc != p.settled_at {
        let overflow = || Rejection::Overflow("reward settlement");
        let earned = t
            .acc
            .checked_sub(p.settled_at)
            .and_then(|d| d.checked_mul_u128(p.weight))
            .and_then(|e| e.checked_add(U256::from_u128(p.fraction)))
            .ok_or_else(overflow)?;
        let whole = earned.shr_to_u128(ACC_SHIFT).ok_or_else(overflow)?;
        p.pending = p.pending.checked_add(whole).ok_or_else(overflow)?;
        p.fraction = earned.low_bits(ACC_SHIFT);
    }
    p.settled_at = t.acc;
    Ok(p)
}

/// A pool change computed (pure): stored by [`commit`], which cannot fail.
struct Change {
    pool: RewardPoolId,
    totals: RewardPoolTotals,
    id: PositionId,
    position: Position,
    /// The pool's surplus position, settled (stake caps, `stake_cap.rs`).
    surplus: Option<Position>,
    /// Whole units of dust booked to `dust_to` by this change.
    dust: BaseUnits,
}

/// Give a settled position weight `weight` and cede `excess` to the
/// surplus position (stake caps; 0 otherwise), keeping the total; a
/// fraction or carry left to nobody joins the dust, whose whole units are
/// booked.
fn reweigh(change: &mut Change, weight: u128, excess: u128) -> Result<(), Rejection> {
    let (t, p) = (&mut change.totals, &mut change.position);
    let overflow = || Rejection::Overflow("total weight");
    // The position counted `weight + excess` in the total: its own weight
    // and its excess in the surplus position's.
    t.total_weight = (t.total_weight - p.weight - p.excess)
        .checked_add(weight)
        .and_then(|w| w.checked_add(excess))
        .ok_or_else(overflow)?;
    if excess != p.excess {
        let s = change
            .surplus
            .as_mut()
            .expect("an excess only under caps, which a surplus position comes with");
        s.weight = (s.weight - p.excess)
            .checked_add(excess)
            .ok_or_else(overflow)?;
    }
    p.weight = weight;
    p.excess = excess;
    // Orphans: at most three values below 2^128 each, so 256 bits hold them.
    let mut orphaned = U256::from_u128(t.dust);
    if weight == 0 {
        orphaned = orphaned
            .checked_add(U256::from_u128(p.fraction))
            .expect("fits");
        p.fraction = 0;
    }
    if t.total_weight == 0 {
        orphaned = orphaned
            .checked_add(U256::from_u128(t.carry))
            .expect("fits");
        t.carry = 0;
    }
    let whole = orphaned.shr_to_u128(ACC_SHIFT).expect("below 2^130 / 2^96");
    t.dust = orphaned.low_bits(ACC_SHIFT);
    // Cannot underflow: the custody identity (`RewardPoolState::check`)
    // makes rewards_held 2^96 >= dust.
    t.rewards_held -= whole;
    t.dust_booked += whole;
    change.dust += whole;
    Ok(())
}

fn commit(economy: &Economy, state: &mut State, change: Change) {
    let spec = economy.reward_pool(change.pool);
    let pool = &mut state.reward_pools[change.pool.index()];
    pool.totals = change.totals;
    if change.surplus.is_some() {
        pool.surplus = change.surplus;
    }
    match pool.positions.get_mut(change.id.index()) {
        Some(slot) => *slot = change.position,
        None => pool.positions.push(change.position),
    }
    if change.dust > 0 {
        state.credit(spec.reward, spec.dust_to, change.dust);
    }
}

/// The pool's rules, or `unknown_reward_pool`.
pub(crate) fn pool_spec(
    economy: &Economy,
    pool: RewardPoolId,
) -> Result<&RewardPoolSpec, Rejection> {
    economy
        .reward_pools
        .get(pool.index())
        .ok_or(Rejection::UnknownRewardPool(pool))
}

/// The change that starts from `position` settled, in `pool`.
fn settled(state: &State, pool: RewardPoolId, id: PositionId) -> Result<Change, Rejection> {
    let p = &state.reward_pools[pool.index()];
    let position = p
        .positions
        .get(id.index())
        .ok_or(Rejection::UnknownPosition { pool, position: id })?;
    Ok(Change {
        pool,
        totals: p.totals,
        id,
        position: settle(&p.totals, position)?,
        surplus: settled_surplus(p)?,
        dust: 0,
    })
}

/// The pool's surplus position settled, if it has one.
fn settled_surplus(p: &RewardPoolState) -> Result<Option<Position>, Rejection> {
    p.surplus.map(|s| settle(&p.totals, &s)).transpose()
}

/// The weight and excess of a stake position of `amount` at
/// `multiplier_ppm` in `pool`: its deposit's weight, capped if the pool has
/// a stake cap.
fn stake_weights(
    spec: &RewardPoolSpec,
    state: &State,
    pool: RewardPoolId,
    amount: BaseUnits,
    multiplier_ppm: u32,
) -> Result<(u128, u128), Rejection> {
    let uncapped = stake_weight(amount, multiplier_ppm)?;
    Ok(weigh(spec, &state.reward_pools[pool.index()], uncapped))
}

/// `floor(amount x multiplier_ppm / 10^6)`.
fn stake_weight(amount: BaseUnits, multiplier_ppm: u32) -> Result<u128, Rejection> {
    mul_div_floor(amount, u128::from(multiplier_ppm), u128::from(PPM_ONE))
        .ok_or(Rejection::Overflow("position weight"))
}

/// What a position would be paid by a claim now, rewards and matured
/// unbonding, without changing anything (the service's balance query).
pub fn claimable(
    economy: &Economy,
    state: &State,
    pool: RewardPoolId,
    position: PositionId,
) -> Result<(BaseUnits, BaseUnits), Rejection> {
    pool_spec(economy, pool)?;
    let c = settled(state, pool, position)?;
    let p = c.position;
    let matured = if state.step >= p.unbonding_until {
        p.unbonding
    } else {
        0
    };
    Ok((p.pending, matured))
}

pub(crate) fn apply_open_position(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    owner: AccountId,
    amount: BaseUnits,
    lock_steps: u32,
) -> Result<Receipt, Rejection> {
    let spec = pool_spec(economy, pool)?;
    check_account(state, owner)?;
    let p = &state.reward_pools[pool.index()];
    let id = PositionId::from_index(p.positions.len()).ok_or(Rejection::TooMany("positions"))?;
    let multiplier = spec
        .multiplier_ppm(lock_steps)
        .ok_or(Rejection::LockTooLong {
            pool,
            requested: lock_steps,
            max: spec.max_lock_steps(),
        })?;
    let lock_end_step = state
        .step
        .checked_add(u64::from(lock_steps))
        .ok_or(Rejection::Overflow("lock end"))?;
    let mut change = Change {
        pool,
        totals: p.totals,
        id,
        position: Position::new(owner, multiplier, lock_end_step, p.totals.acc),
        surplus: settled_surplus(p)?,
        dust: 0,
    };
    let stake = match spec.weight {
        PoolWeight::Points if amount > 0 => return Err(Rejection::NotAStakePool(pool)),
        PoolWeight::Points => None,
        PoolWeight::Stake { asset } => {
            if amount == 0 {
                return Err(Rejection::ZeroAmount);
            }
            check_funds(state, asset, owner, amount)?;
            change.position.amount = amount;
            // Cannot overflow: custody is part of the supply.
            change.totals.staked += amount;
            let (weight, excess) = stake_weights(spec, state, pool, amount, multiplier)?;
            reweigh(&mut change, weight, excess)?;
            Some(asset)
        }
    };
    // Validated: mutate.
    if let Some(asset) = stake {
        state.debit_checked(asset, owner, amount);
    }
    let weight = change.position.weight;
    commit(economy, state, change);
    Ok(Receipt::PositionOpened {
        pool,
        position: id,
        weight,
    })
}

pub(crate) fn apply_set_weight(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    position: PositionId,
    weight: u128,
) -> Result<Receipt, Rejection> {
    let spec = pool_spec(economy, pool)?;
    if spec.weight != PoolWeight::Points {
        return Err(Rejection::NotAPointsPool(pool));
    }
    let mut change = settled(state, pool, position)?;
    reweigh(&mut change, weight, 0)?;
    let total_weight = change.totals.total_weight;
    commit(economy, state, change);
    Ok(Receipt::WeightSet {
        pool,
        position,
        weight,
        total_weight,
    })
}

/// The start of a deposit or withdrawal of `amount`: the pool's spec, its
/// staked asset, and the position settled.
fn stake_change<'e>(
    economy: &'e Economy,
    state: &State,
    pool: RewardPoolId,
    position: PositionId,
    amount: BaseUnits,
) -> Result<(&'e RewardPoolSpec, AssetId, Change), Rejection> {
    let spec = pool_spec(economy, pool)?;
    let asset = spec.stake_asset().ok_or(Rejection::NotAStakePool(pool))?;
    if amount == 0 {
        return Err(Rejection::ZeroAmount);
    }
    Ok((spec, asset, settled(state, pool, position)?))
}

pub(crate) fn apply_add_to_position(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    position: PositionId,
    amount: BaseUnits,
) -> Result<Receipt, Rejection> {
    let (spec, asset, mut change) = stake_change(economy, state, pool, position, amount)?;
    let owner = change.position.owner;
    check_funds(state, asset, owner, amount)?;
    // Cannot overflow: deposits are part of the supply.
    change.position.amount += amount;
    change.totals.staked += amount;
    let p = &change.position;
    let (weight, excess) = stake_weights(spec, state, pool, p.amount, p.multiplier_ppm)?;
    reweigh(&mut change, weight, excess)?;
    // Validated: mutate.
    state.debit_checked(asset, owner, amount);
    commit(economy, state, change);
    Ok(Receipt::AddedToPosition {
        pool,
        position,
        weight,
    })
}

pub(crate) fn apply_withdraw(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    position: PositionId,
    amount: BaseUnits,
) -> Result<Receipt, Rejection> {
    let (spec, asset, mut change) = stake_change(economy, state, pool, position, amount)?;
    let p = &mut change.position;
    if amount > p.amount {
        return Err(Rejection::WithdrawalExceedsDeposit {
            position,
            requested: amount,
            deposited: p.amount,
        });
    }
    let fee = if state.step < p.lock_end_step {
        super::split::share_floor(amount, spec.early_withdrawal_fee)?
    } else {
        0
    };
    let rest = amount - fee;
    p.amount -= amount;
    let (weight, excess) = stake_weights(spec, state, pool, p.amount, p.multiplier_ppm)?;
    let unbonding_until = if spec.unbonding_steps > 0 {
        let until = state
            .step
            .checked_add(u64::from(spec.unbonding_steps))
            .ok_or(Rejection::Overflow("unbonding end"))?;
        // Cannot overflow: unbonding is part of the supply.
        p.unbonding += rest;
        p.unbonding_until = until;
        Some(until)
    } else {
        None
    };
    let owner = p.owner;
    let paid = if unbonding_until.is_some() { 0 } else { rest };
    // What leaves custody now: the fee, and the rest unless it unbonds.
    change.totals.staked -= fee + paid;
    change.totals.fees = change
        .totals
        .fees
        .checked_add(fee)
        .ok_or(Rejection::Overflow("early-withdrawal fees"))?;
    reweigh(&mut change, weight, excess)?;
    if fee > 0 {
        check_destination(state, spec.early_withdrawal_fee_to, fee)?;
    }
    // Validated: mutate. The pool's counters first: a fee paid back into
    // the same pool is shared at the weight after this withdrawal.
    commit(economy, state, change);
    if paid > 0 {
        state.credit(asset, owner, paid);
    }
    deliver(
        economy,
        state,
        asset,
        spec.early_withdrawal_fee_to,
        fee,
        BurnReason::Penalty,
    );
    Ok(Receipt::Withdrawn(WithdrawReceipt {
        pool,
        position,
        amount,
        fee,
        paid,
        unbonding_until,
    }))
}

pub(crate) fn apply_claim(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    position: PositionId,
) -> Result<Receipt, Rejection> {
    let spec = pool_spec(economy, pool)?;
    let mut change = settled(state, pool, position)?;
    let p = &mut change.position;
    let unbonded = if p.unbonding > 0 && state.step >= p.unbonding_until {
        p.unbonding
    } else {
        0
    };
    let rewards = p.pending;
    if rewards == 0 && unbonded == 0 {
        return Err(Rejection::NothingToClaim {
            position,
            unbonding_until: (p.unbonding > 0).then_some(p.unbonding_until),
        });
    }
    p.pending = 0;
    p.unbonding -= unbonded;
    let owner = p.owner;
    let t = &mut change.totals;
    t.rewards_held -= rewards;
    // Cannot overflow: paid <= credited.
    t.paid += rewards;
    t.staked -= unbonded;
    // Validated: mutate.
    commit(economy, state, change);
    if rewards > 0 {
        state.credit(spec.reward, owner, rewards);
    }
    if let Some(asset) = spec.stake_asset().filter(|_| unbonded > 0) {
        state.credit(asset, owner, unbonded);
    }
    Ok(Receipt::Claimed {
        pool,
        position,
        rewards,
        unbonded,
    })
}

pub(crate) fn apply_fund(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    from: AccountId,
    amount: BaseUnits,
) -> Result<Receipt, Rejection> {
    let spec = pool_spec(economy, pool)?;
    check_account(state, from)?;
    if amount == 0 {
        return Err(Rejection::ZeroAmount);
    }
    check_funds(state, spec.reward, from, amount)?;
    check_pool_credit(state, pool, amount)?;
    // Validated: mutate.
    state.debit_checked(spec.reward, from, amount);
    let to_empty = credit_pool(economy, state, pool, amount);
    Ok(Receipt::RewardPoolFunded {
        pool,
        amount,
        to_empty,
    })
}
