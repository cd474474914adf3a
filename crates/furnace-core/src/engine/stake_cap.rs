//! Stake caps by geometric mean (AImagine's "stake capital efficiency";
//! the rule is documented on `economy::StakeCap`).
//!
//! `RebalanceStakeCaps { pool }` is the only O(positions) step: it takes
//! `G`, the geometric mean of the positions' uncapped weights
//! (`crate::geomean`: the nearest integer, exact for means below 2^61 base
//! units), fixes the thresholds `C = floor(G c)` and `L = floor(G l)`, and
//! reweighs every position to `min(w, C) + floor((min(w, L) - C)+ x rate)`.
//! Between rebalances the thresholds stay, and a deposit, withdrawal or new
//! position is capped with them in O(1) (`rewards.rs` calls [`weigh`]).
//!
//! **The surplus.** What a position cedes, `w - weight`, is its `excess`;
//! the pool's surplus position (owned by the cap's `surplus_to`) weighs
//! the sum of the excesses. The pool's total weight is therefore always the
//! sum of uncapped weights: a credit pays every position exactly the share
//! it would earn uncapped, scaled down by its cap, and the surplus position
//! what the excess would have earned. The rebalance settles every position
//! first (so what was earned under the old weights stays earned) and pays
//! the surplus's pending rewards to `surplus_to`. The total weight does not
//! change, so the pool's carried remainder is untouched; a position whose
//! weight falls to zero leaves its fraction to the pool's dust, as any
//! position whose weight falls to zero.

use super::rewards::{pool_spec, settle};
use super::{check_account, Receipt, Rejection};
use crate::economy::{Economy, RewardPoolSpec};
use crate::geomean::GeometricMean;
use crate::ids::RewardPoolId;
use crate::state::{CapState, Position, RewardPoolState, State, ACC_SHIFT};
use crate::units::{mul_div_floor, BaseUnits, Ppm, PPM_ONE};

/// A rebalance, as applied.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Rebalance {
    pub pool: RewardPoolId,
    /// `G`, `C` and `L` (`u128::MAX` for `C` and `L` when no position has
    /// weight: nothing is capped).
    pub geometric_mean: u128,
    pub cap: u128,
    pub limit: u128,
    /// Positions with an uncapped weight (those `G` is over).
    pub positions: u32,
    /// Positions whose weight the cap reduced.
    pub capped: u32,
    /// The surplus position's weight: the sum of the excesses.
    pub excess_weight: u128,
    /// Rewards the surplus earned since the last rebalance, paid to the
    /// cap's `surplus_to`.
    pub surplus_paid: BaseUnits,
}

/// `min(w, C) + floor((min(w, L) - C)+ x rate)`: a weight under the
/// thresholds `caps`, at most `w`.
pub fn capped_weight(uncapped: u128, caps: &CapState, rate: Ppm) -> u128 {
    if uncapped <= caps.cap {
        return uncapped;
    }
    let counted = uncapped.min(caps.limit).saturating_sub(caps.cap);
    // Cannot fail: the quotient is at most `counted`.
    let decayed =
        mul_div_floor(counted, u128::from(rate.0), u128::from(PPM_ONE)).expect("at most counted");
    // Cannot overflow: caps.cap + decayed <= caps.cap + counted <= uncapped.
    caps.cap + decayed
}

/// The weight and excess a position of uncapped weight `uncapped` takes in
/// `pool` now: under its stake cap's last thresholds, else uncapped.
pub(crate) fn weigh(spec: &RewardPoolSpec, pool: &RewardPoolState, uncapped: u128) -> (u128, u128) {
    match (spec.stake_cap, pool.caps) {
        (Some(cap), Some(caps)) => {
            let w = capped_weight(uncapped, &caps, cap.excess_rate);
            (w, uncapped - w)
        }
        _ => (uncapped, 0),
    }
}

/// A position's uncapped weight, `floor(amount x multiplier / 10^6)`.
pub(crate) fn uncapped_weight(p: &Position) -> Result<u128, Rejection> {
    mul_div_floor(p.amount, u128::from(p.multiplier_ppm), u128::from(PPM_ONE))
        .ok_or(Rejection::Overflow("position weight"))
}

pub(crate) fn apply_rebalance(
    e: &Economy,
    state: &mut State,
    pool: RewardPoolId,
) -> Result<Receipt, Rejection> {
    let spec = pool_spec(e, state, pool)?;
    let cap = spec
        .stake_cap
        .ok_or(Rejection::NotConfigured("stake cap on this reward pool"))?;
    check_account(state, cap.surplus_to)?;
    let p = state
        .reward_pool(pool)
        .ok_or(Rejection::UnknownRewardPool(pool))?;
    // Pass 1, pure: G, and every settlement that could overflow.
    let mut mean = GeometricMean::default();
    for position in &p.positions {
        mean.add(uncapped_weight(position)?)
            .ok_or(Rejection::Overflow("geometric mean"))?;
        settle(&p.totals, position)?;
    }
    let surplus = match p.surplus {
        Some(s) => s,
        None => Position::new(cap.surplus_to, PPM_ONE, 0, p.totals.acc),
    };
    let surplus = settle(&p.totals, &surplus)?;
    let paid = p
        .totals
        .paid
        .checked_add(surplus.pending)
        .ok_or(Rejection::Overflow("rewards paid"))?;
    let scale = |g: u128, ppm: u32| {
        mul_div_floor(g, u128::from(ppm), u128::from(PPM_ONE)).unwrap_or(u128::MAX)
    };
    let caps = match mean.mean() {
        Some(g) => CapState {
            geometric_mean: g,
            cap: scale(g, cap.cap_ppm),
            limit: scale(g, cap.limit_ppm),
            positions: mean.count(),
            step: state.step,
        },
        None => CapState {
            geometric_mean: 0,
            cap: u128::MAX,
            limit: u128::MAX,
            positions: 0,
            step: state.step,
        },
    };
    // Validated: mutate. Pass 2 repeats pass 1's settlements (the
    // accumulator has not moved) and reweighs.
    let p = state.reward_pool_mut(pool).expect("checked: a known pool");
    let t = &mut p.totals;
    let total_before = t.total_weight;
    let (mut excess, mut capped, mut dust) = (0u128, 0u32, 0u128);
    for position in &mut p.positions {
        let mut s = settle(t, position).expect("checked in pass 1");
        let uncapped = uncapped_weight(&s).expect("checked in pass 1");
        let weight = capped_weight(uncapped, &caps, cap.excess_rate);
        if weight == 0 {
            // As `reweigh`: a fraction left to a weightless position is dust.
            t.dust += s.fraction;
            s.fraction = 0;
            let whole = t.dust >> ACC_SHIFT;
            t.dust -= whole << ACC_SHIFT;
            dust += whole;
        }
        s.weight = weight;
        s.excess = uncapped - weight;
        // Cannot overflow: the excesses are part of the total weight.
        excess += s.excess;
        capped += u32::from(s.excess > 0);
        *position = s;
    }
    let mut surplus = surplus;
    let surplus_paid = surplus.pending;
    surplus.pending = 0;
    surplus.weight = excess;
    t.rewards_held -= surplus_paid + dust;
    t.paid = paid;
    t.dust_booked += dust;
    p.surplus = Some(surplus);
    p.caps = Some(caps);
    let weights: u128 = p.positions.iter().map(|q| q.weight).sum::<u128>() + excess;
    assert_eq!(weights, total_before, "a rebalance keeps the total weight");
    if surplus_paid > 0 {
        state.credit(spec.reward, cap.surplus_to, surplus_paid);
    }
    if dust > 0 {
        state.credit(spec.reward, spec.dust_to, dust);
    }
    Ok(Receipt::StakeCapsRebalanced(Rebalance {
        pool,
        geometric_mean: caps.geometric_mean,
        cap: caps.cap,
        limit: caps.limit,
        positions: caps.positions,
        capped,
        excess_weight: excess,
        surplus_paid,
    }))
}
