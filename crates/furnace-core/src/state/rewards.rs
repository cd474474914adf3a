//! The state of reward pools and emission schedules, and the identities
//! that hold for them (checked by `State::check_invariants`).
//!
//! A pool's custody is part of every asset's supply: `rewards_held` of the
//! reward asset and `staked` (deposits and unbonding) of the staked asset
//! are counted with the balances and pool reserves.

use super::InvariantViolation;
use crate::economy::{PoolWeight, RewardPoolSpec};
use crate::ids::{AccountId, PositionId};
use crate::units::{mul_div_floor, BaseUnits};
use crate::wide::U256;

/// The accumulator's scale: reward per weight unit is kept in units of
/// 2^-96 base units. 96 bits leave room for 2^128 units credited in total
/// (the accumulator stays below 2^224 + 2^128, `engine/rewards.rs`) while a
/// position's rounding lag from the carried remainder stays below
/// `total_weight / 2^96` units: below one unit for any total weight under
/// 7.9e28 base units (79 billion 18-decimal tokens).
pub const ACC_SHIFT: u32 = 96;

/// One position of a reward pool.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub owner: AccountId,
    /// Stake pools: the deposit earning rewards (staked-asset base units).
    pub amount: BaseUnits,
    /// Stake pools: `floor(amount x multiplier_ppm / 10^6)` (its uncapped
    /// weight), less `excess` under a stake cap; points pools: the weight
    /// `SetWeight` set.
    pub weight: u128,
    /// Under a stake cap: the part of the uncapped weight that counts for
    /// the pool's surplus position instead (0 otherwise).
    pub excess: u128,
    /// The lock multiplier fixed when the position opened (10^6 is 1x).
    pub multiplier_ppm: u32,
    /// The step the lock ends: withdrawing before it pays the early fee.
    pub lock_end_step: u64,
    /// Rewards settled and not yet claimed, in base units.
    pub pending: BaseUnits,
    /// Settled beyond `pending`: a fraction of a unit, in 2^-96 units.
    pub fraction: u128,
    /// The pool's accumulator when the position last settled.
    pub settled_at: U256,
    /// Withdrawn and unbonding (one entry: a later withdrawal joins it and
    /// restarts its clock).
    pub unbonding: BaseUnits,
    /// The step from which `unbonding` may be claimed.
    pub unbonding_until: u64,
}

impl Position {
    pub(crate) fn new(
        owner: AccountId,
        multiplier_ppm: u32,
        lock_end_step: u64,
        acc: U256,
    ) -> Position {
        Position {
            owner,
            amount: 0,
            weight: 0,
            excess: 0,
            multiplier_ppm,
            lock_end_step,
            pending: 0,
            fraction: 0,
            settled_at: acc,
            unbonding: 0,
            unbonding_until: 0,
        }
    }
}

/// A pool's counters. `Copy`, so the engine computes the new values on a
/// copy (may reject) and stores them (cannot fail).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct RewardPoolTotals {
    /// Σ position weights.
    pub total_weight: u128,
    /// Reward per weight unit ever credited, in 2^-96 units.
    pub acc: U256,
    /// Credited but not yet in `acc` (the division's remainder), in 2^-96
    /// units: paid to whoever holds weight at the next credit.
    pub carry: u128,
    /// Nobody's (orphaned fractions), in 2^-96 units; whole units are
    /// booked to `dust_to` at once, so below 2^96 between events.
    pub dust: u128,
    /// Reward asset in custody: pending, accrued and not yet whole.
    pub rewards_held: BaseUnits,
    /// Staked asset in custody: deposits and unbonding.
    pub staked: BaseUnits,
    /// Rewards ever credited (those sent on to `empty_to` included).
    pub credited: BaseUnits,
    /// Rewards ever claimed.
    pub paid: BaseUnits,
    /// Rewards that arrived at zero weight and went to `empty_to`.
    pub to_empty: BaseUnits,
    /// Dust booked to `dust_to`.
    pub dust_booked: BaseUnits,
    /// Early-withdrawal fees charged (staked asset).
    pub fees: BaseUnits,
}

impl RewardPoolTotals {
    /// The O(1) identity: every unit credited was paid, sent to `empty_to`,
    /// booked as dust, or is still held.
    pub fn consistent(&self) -> bool {
        self.paid
            .checked_add(self.to_empty)
            .and_then(|x| x.checked_add(self.dust_booked))
            .and_then(|x| x.checked_add(self.rewards_held))
            == Some(self.credited)
    }
}

/// A stake cap's thresholds, fixed by the last `RebalanceStakeCaps`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct CapState {
    /// `G`, the geometric mean of the uncapped weights (0: none had one).
    pub geometric_mean: u128,
    /// `C = floor(G c)`: weights count in full up to here.
    pub cap: u128,
    /// `L = floor(G l)`: nothing beyond this counts.
    pub limit: u128,
    /// Positions `G` was computed over.
    pub positions: u32,
    /// The step of the rebalance.
    pub step: u64,
}

/// One reward pool: its counters and its positions (by `PositionId`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RewardPoolState {
    pub(crate) totals: RewardPoolTotals,
    pub(crate) positions: Vec<Position>,
    /// Under a stake cap, from the first rebalance on: the thresholds, and
    /// the surplus position (owned by the cap's `surplus_to`, weighing the
    /// positions' `excess`, paid at each rebalance).
    pub(crate) caps: Option<CapState>,
    pub(crate) surplus: Option<Position>,
}

impl RewardPoolState {
    pub fn totals(&self) -> &RewardPoolTotals {
        &self.totals
    }

    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    pub fn position(&self, id: PositionId) -> Option<&Position> {
        self.positions.get(id.index())
    }

    /// The stake cap's thresholds (None before the first rebalance).
    pub fn caps(&self) -> Option<&CapState> {
        self.caps.as_ref()
    }

    /// The surplus position (None before the first rebalance).
    pub fn surplus(&self) -> Option<&Position> {
        self.surplus.as_ref()
    }

    /// The full check of one pool, O(positions): weights and deposits sum
    /// to the totals, and the reward custody is exactly accounted for in
    /// 2^-96 units:
    /// `rewards_held 2^96 == Σ (pending 2^96 + fraction + weight (acc -
    /// settled_at)) + carry + dust`.
    pub(crate) fn check(&self, spec: &RewardPoolSpec) -> Result<(), InvariantViolation> {
        let fail = |what: &str| {
            Err(InvariantViolation(format!(
                "reward pool {}: {what}",
                spec.name
            )))
        };
        let t = &self.totals;
        if !t.consistent() {
            return fail("credited != paid + to_empty + dust booked + held");
        }
        let (mut weight, mut staked, mut excess) = (0u128, 0u128, 0u128);
        let mut owed = U256::from_u128(t.carry)
            .checked_add(U256::from_u128(t.dust))
            .expect("two u128s fit");
        for p in &self.positions {
            excess = match excess.checked_add(p.excess) {
                Some(e) => e,
                None => return fail("excess weights overflow"),
            };
            let uncapped = mul_div_floor(p.amount, u128::from(p.multiplier_ppm), 1_000_000);
            if spec.stake_asset().is_some() && p.weight.checked_add(p.excess) != uncapped {
                return fail("a stake position's weight and excess differ from its deposit's");
            }
        }
        // The surplus position deposits nothing and cedes no excess.
        if self.surplus.is_some_and(|s| s.amount != 0 || s.excess != 0) {
            return fail("the surplus position holds a deposit");
        }
        for p in self.positions.iter().chain(&self.surplus) {
            weight = match weight.checked_add(p.weight) {
                Some(w) => w,
                None => return fail("weights overflow"),
            };
            staked = match staked
                .checked_add(p.amount)
                .and_then(|s| s.checked_add(p.unbonding))
            {
                Some(s) => s,
                None => return fail("deposits overflow"),
            };
            if p.fraction >> ACC_SHIFT != 0 {
                return fail("a position's fraction is a whole unit or more");
            }
            let accrued = t
                .acc
                .checked_sub(p.settled_at)
                .and_then(|d| d.checked_mul_u128(p.weight));
            let share = accrued.and_then(|a| {
                a.checked_add(U256::shl_u128(p.pending, ACC_SHIFT))?
                    .checked_add(U256::from_u128(p.fraction))
            });
            owed = match share.and_then(|s| owed.checked_add(s)) {
                Some(o) => o,
                None => return fail("a position's accrual overflows"),
            };
        }
        if weight != t.total_weight {
            return fail("position weights do not sum to the total weight");
        }
        match self.surplus {
            Some(surplus) if surplus.weight != excess => {
                return fail("the surplus position does not weigh the positions' excess")
            }
            None if excess != 0 => return fail("an excess weight without a surplus position"),
            _ => {}
        }
        if staked != t.staked {
            return fail("deposits and unbonding do not sum to the staked total");
        }
        if spec.weight == PoolWeight::Points && staked != 0 {
            return fail("a points pool holds deposits");
        }
        if t.total_weight == 0 && t.carry != 0 {
            return fail("an empty pool carries a remainder");
        }
        if t.dust >> ACC_SHIFT != 0 {
            return fail("a whole unit of dust was not booked");
        }
        if owed != U256::shl_u128(t.rewards_held, ACC_SHIFT) {
            return fail("rewards held differ from what positions are owed plus remainders");
        }
        Ok(())
    }
}

/// An emission schedule's counters.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ScheduleState {
    /// Epochs emitted (the next epoch's index).
    pub epochs: u64,
    /// Emitted by `Emit` events (`already_emitted` not included).
    pub emitted: BaseUnits,
    /// What the curve asked for and caps cut, in total.
    pub cut: BaseUnits,
    /// A geometric curve's current per-epoch amount (0 for other curves).
    pub rate: BaseUnits,
    /// The first step the next epoch may be emitted at.
    pub next_due_step: u64,
    /// The epoch the schedule stopped with: later `Emit`s are refused.
    pub stopped_at: Option<u64>,
}
