//! Stake pools of launched tokens: a launch spec's `staking` template (a
//! `RewardPoolSpec` staking `economy::LAUNCH_TOKEN`) becomes, at
//! graduation, a reward pool with a run-time id (`RewardPoolId::runtime`,
//! in creation order) whose positions deposit the launched token. Its
//! rules are the template's, looked up through the launch spec; its state
//! lives in `State::runtime_reward_pools`. Everything else (credit in
//! O(1), positions, claims, `FundRewardPool`, a channel or split leg naming
//! it) is `engine/rewards.rs`, unchanged: these two lookups are all a
//! run-time pool needs.

use crate::economy::{Economy, RewardPoolSpec};
use crate::ids::{AssetId, RewardPoolId, RewardPoolSlot};
use crate::state::State;

/// The rules of reward pool `pool`, declared or created at run time.
/// Borrowed from the economy only, so the caller may mutate the state.
pub(crate) fn reward_spec<'e>(
    economy: &'e Economy,
    state: &State,
    pool: RewardPoolId,
) -> Option<&'e RewardPoolSpec> {
    match pool.slot() {
        RewardPoolSlot::Declared(i) => economy.reward_pools.get(i),
        RewardPoolSlot::Runtime(i) => {
            let r = state.runtime_reward_pools.get(i)?;
            economy.launches.get(r.spec.index())?.staking.as_ref()
        }
    }
}

/// The asset `pool`'s positions deposit: the spec's, or for a run-time
/// pool the launch's token. None for a points pool.
pub(crate) fn stake_asset(
    spec: &RewardPoolSpec,
    state: &State,
    pool: RewardPoolId,
) -> Option<AssetId> {
    match pool.slot() {
        RewardPoolSlot::Declared(_) => spec.stake_asset(),
        RewardPoolSlot::Runtime(i) => state.runtime_reward_pools.get(i).map(|r| r.token),
    }
}
