//! `EndLock`: a lock's boost ends with the lock. A position keeps the
//! multiplier it opened with (`Position::multiplier_ppm`) until someone
//! sends `EndLock` after its `lock_end_step`, as anyone may `kick` a Curve
//! gauge position whose veCRV boost has decayed. The position is settled
//! first (what it earned at the boosted weight stays earned), then weighs
//! `floor(amount x 1)`, capped as any position of its pool. The simulator
//! sends it the step a lock ends, so no position earns a boost it no longer
//! locks for.

use super::rewards::{commit, pool_spec, reweigh, settled, stake_weights};
use super::{Receipt, Rejection};
use crate::economy::Economy;
use crate::ids::{PositionId, RewardPoolId};
use crate::state::State;
use crate::units::PPM_ONE;

pub(crate) fn apply_end_lock(
    economy: &Economy,
    state: &mut State,
    pool: RewardPoolId,
    position: PositionId,
) -> Result<Receipt, Rejection> {
    let spec = pool_spec(economy, state, pool)?;
    if super::launch_stake::stake_asset(spec, state, pool).is_none() {
        return Err(Rejection::NotAStakePool(pool));
    }
    let mut change = settled(state, pool, position)?;
    let p = &change.position;
    if state.step < p.lock_end_step {
        return Err(Rejection::LockNotEnded {
            position,
            lock_end_step: p.lock_end_step,
            step: state.step,
        });
    }
    if p.multiplier_ppm == PPM_ONE {
        return Err(Rejection::NoLockBoost(position));
    }
    let (weight, excess) = stake_weights(spec, state, pool, p.amount, PPM_ONE)?;
    change.position.multiplier_ppm = PPM_ONE;
    reweigh(&mut change, weight, excess)?;
    // Validated: mutate.
    commit(economy, state, change);
    Ok(Receipt::LockEnded {
        pool,
        position,
        weight,
    })
}
