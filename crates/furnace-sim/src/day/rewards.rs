//! Reward-pool behaviour (the scenario's `[rewards]`, issue 7): who holds
//! positions in the economy's reward pools and what they do with them.
//! Generic over any economy: pools, accounts and markets come from the
//! files, resolved to ids at load.
//!
//! **Setup** (`reward_setup.rs`'s `setup_rewards`): each staker group opens its accounts,
//! funds each with `tokens_each` from `funded_from` (`Transfer`) or buys it
//! on `buy_on` (numeraire minted as `external_inflow`, `Swap` exact out;
//! each purchase moves a pool's price before day 1), and stakes
//! `stake_share` of it, locked a length drawn from `lock_days`; stakers of
//! the voters' stake pool also get a position (weight 0) in the voters'
//! points pool; each liquidity provider receives `tokens_each`, pays the
//! numeraire side in from outside (`Mint`, `external_inflow`: `ceil(tokens
//! x numeraire reserve / token reserve)`, what the pool's ratio does not
//! take stays with it), `AddLiquidity`, and stakes every LP share it got;
//! contributors get a position (weight 0) in their points pool.
//!
//! **Each day** ([`Sim::reward_positions`], before emissions, so the
//! epoch's votes and scores weigh the day's emission): (a) every
//! staker whose lock has ended goes back to 1x (`EndLock`, the day it
//! ends) and, once, withdraws `withdraw_at_lock_end` of its deposit (only
//! positions that were locked); (b) on epoch days (`t % epoch_days == 0`)
//! voters vote (a turnout drawn uniformly between `turnout_min` and
//! `turnout_max`, each staker voting with that probability: weight = its
//! deposit, else 0; `SetWeight` only when a weight changes), contributors
//! are scored (uniform from 0 to `score_max`), and every stake-capped pool
//! of the economy is rebalanced (`RebalanceStakeCaps`); (c) every
//! `claim_every_days` (on days `t + 1` divisible by it) each holder claims
//! what it can (`claimable`: never a refused claim): a staker restakes
//! `floor(rewards x restake_share)` (`AddToPosition`, when the pool pays in
//! what it stakes) and sells the rest; liquidity providers and contributors
//! sell `floor(rewards x sell_share)`. Sales go to the scenario's sell
//! market and only of the scenario's token; another asset is kept.
//!
//! **Revenue** ([`Sim::reward_revenue`], before buybacks): `Revenue` of
//! `revenue_per_day` under `revenue_rule`.
//!
//! **Draws**: stream 3 of the run's seed draws lock lengths at setup,
//! stream 4 the turnouts, votes and scores, so the scenarios without
//! `[rewards]` keep every figure (streams 0 to 2 are untouched). Draws are
//! integer (`next_u64`, scaled by a 64-bit multiply-shift): the same bytes
//! on every machine.
//!
//! Nothing here allocates per step: the holders are vectors filled at
//! setup, and the events they send do not allocate.

use crate::drivers::{rng, REWARDS_EPOCH_STREAM};
use crate::error::{unexpected, SimError};
use crate::sim::{Sim, StepRow};
use furnace_config::scenario::RewardDrivers;
use furnace_core::engine::claimable;
use furnace_core::ids::{AccountId, AssetId, PositionId, RewardPoolId};
use furnace_core::state::Position;
use furnace_core::units::{Ppm, PPM_ONE};
use furnace_core::{Event, Receipt};
use rand::RngCore;
use rand_chacha::ChaCha8Rng;

/// A staker: its account, its stake position, and its vote position.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Staker {
    pub(super) group: usize,
    pub(super) account: AccountId,
    pub(super) position: PositionId,
    pub(super) lock_days: u32,
    pub(super) vote: Option<PositionId>,
    /// It withdrew at its lock's end (once).
    pub(super) withdrawn: bool,
}

/// A liquidity provider or a contributor: one position.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Holder {
    pub(super) group: usize,
    pub(super) account: AccountId,
    pub(super) position: PositionId,
}

/// The simulator's side of `[rewards]`.
pub(crate) struct Behaviour {
    pub(super) rng: ChaCha8Rng,
    pub(super) stakers: Vec<Staker>,
    pub(super) liquidity: Vec<Holder>,
    pub(super) contributors: Vec<Holder>,
    /// The economy's stake-capped pools, rebalanced each epoch.
    pub(super) capped: Vec<RewardPoolId>,
}

/// A uniform whole number from 0 to `n - 1` (`n >= 1`): the top of a
/// 64-bit multiply, bias below `n / 2^64`.
pub(super) fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    u64::try_from((u128::from(rng.next_u64()) * u128::from(n)) >> 64).expect("below n")
}

impl Behaviour {
    /// Back to the start of a run with `seed` (Monte Carlo): the state
    /// (positions) is the snapshot's; the flags and the stream start again.
    pub(crate) fn reset(&mut self, seed: u64) {
        self.rng = rng(seed, REWARDS_EPOCH_STREAM);
        self.stakers.iter_mut().for_each(|s| s.withdrawn = false);
    }
}

impl Sim<'_> {
    fn position_of(&self, pool: RewardPoolId, id: PositionId) -> Position {
        *self
            .state
            .reward_pool(pool)
            .and_then(|p| p.position(id))
            .expect("opened at setup")
    }

    /// 1b. Reward positions (module docs): lock ends, the epoch's votes,
    ///     scores and stake-cap rebalances, then claims.
    pub(super) fn reward_positions(&mut self, row: &mut StepRow, t: u32) -> Result<(), SimError> {
        let scenario = self.scenario;
        let Some(d) = &scenario.rewards else {
            return Ok(());
        };
        let Some(mut b) = self.reward_behaviour.take() else {
            return Ok(());
        };
        // The behaviour is put back whatever happens.
        let result = self.reward_day(&mut b, d, row, t);
        self.reward_behaviour = Some(b);
        result
    }

    fn reward_day(
        &mut self,
        b: &mut Behaviour,
        d: &RewardDrivers,
        row: &mut StepRow,
        t: u32,
    ) -> Result<(), SimError> {
        let step = row.step;
        let now = self.state.step();
        // (a) Locks that ended.
        for s in &mut b.stakers {
            let g = &d.stakers[s.group];
            let p = self.position_of(g.pool, s.position);
            if now < p.lock_end_step {
                continue;
            }
            if p.multiplier_ppm != PPM_ONE {
                self.apply(
                    step,
                    &Event::EndLock {
                        pool: g.pool,
                        position: s.position,
                    },
                )?;
            }
            if s.lock_days > 0 && !s.withdrawn && g.withdraw_at_lock_end > Ppm::ZERO {
                s.withdrawn = true;
                let amount = g.withdraw_at_lock_end.of_floor(p.amount).unwrap_or(0);
                if amount > 0 {
                    self.apply(
                        step,
                        &Event::Withdraw {
                            pool: g.pool,
                            position: s.position,
                            amount_base_units: amount,
                        },
                    )?;
                }
            }
        }
        // (b) The epoch.
        if t % d.epoch_days.max(1) == 0 {
            if let Some(v) = &d.voters {
                let span = u64::from(v.turnout_max.0 - v.turnout_min.0) + 1;
                let turnout = u64::from(v.turnout_min.0) + below(&mut b.rng, span);
                for s in &b.stakers {
                    let Some(vote) = s.vote else { continue };
                    let votes = below(&mut b.rng, u64::from(PPM_ONE)) < turnout;
                    let stake = self.position_of(v.stakers, s.position).amount;
                    let weight = if votes { stake } else { 0 };
                    if self.position_of(v.pool, vote).weight != weight {
                        self.set_weight(step, v.pool, vote, weight)?;
                    }
                }
            }
            if let Some(c) = &d.contributors {
                for h in &b.contributors {
                    let score = u128::from(below(&mut b.rng, u64::from(c.score_max) + 1));
                    if self.position_of(c.pool, h.position).weight != score {
                        self.set_weight(step, c.pool, h.position, score)?;
                    }
                }
            }
            for &pool in &b.capped {
                self.apply(step, &Event::RebalanceStakeCaps { pool })?;
            }
        }
        // (c) Claims.
        let day = t + 1;
        for s in &b.stakers {
            let g = &d.stakers[s.group];
            if day % g.claim_every_days.max(1) != 0 {
                continue;
            }
            let mut rewards = self.claim(step, g.pool, s.position)?;
            if let (Some(v), Some(vote)) = (&d.voters, s.vote) {
                rewards += self.claim(step, v.pool, vote)?;
            }
            let spec = self.economy.reward_pool(g.pool);
            let restake = if spec.reward == g.asset {
                g.restake_share.of_floor(rewards).unwrap_or(0)
            } else {
                0
            };
            if restake > 0 {
                self.apply(
                    step,
                    &Event::AddToPosition {
                        pool: g.pool,
                        position: s.position,
                        amount_base_units: restake,
                    },
                )?;
            }
            self.sell_rewards(row, s.account, spec.reward, rewards - restake)?;
        }
        for h in &b.liquidity {
            let l = &d.liquidity[h.group];
            if day % l.claim_every_days.max(1) == 0 {
                let rewards = self.claim(step, l.pool, h.position)?;
                let sold = l.sell_share.of_floor(rewards).unwrap_or(0);
                let reward = self.economy.reward_pool(l.pool).reward;
                self.sell_rewards(row, h.account, reward, sold)?;
            }
        }
        if let Some(c) = &d.contributors {
            if day % c.claim_every_days.max(1) == 0 {
                let reward = self.economy.reward_pool(c.pool).reward;
                for h in &b.contributors {
                    let rewards = self.claim(step, c.pool, h.position)?;
                    let sold = c.sell_share.of_floor(rewards).unwrap_or(0);
                    self.sell_rewards(row, h.account, reward, sold)?;
                }
            }
        }
        Ok(())
    }

    fn set_weight(
        &mut self,
        step: u32,
        pool: RewardPoolId,
        position: PositionId,
        weight: u128,
    ) -> Result<(), SimError> {
        self.apply(
            step,
            &Event::SetWeight {
                pool,
                position,
                weight,
            },
        )?;
        Ok(())
    }

    /// Claim what `position` can be paid (rewards and matured unbonding);
    /// the rewards claimed. Nothing to claim: no event.
    fn claim(
        &mut self,
        step: u32,
        pool: RewardPoolId,
        position: PositionId,
    ) -> Result<u128, SimError> {
        let (rewards, unbonded) = claimable(self.economy, &self.state, pool, position)
            .map_err(|r| SimError::rejected(step, || "claimable".into(), r))?;
        if rewards == 0 && unbonded == 0 {
            return Ok(0);
        }
        match self.apply(step, &Event::Claim { pool, position })? {
            Receipt::Claimed { rewards, .. } => Ok(rewards),
            other => Err(unexpected(step, other)),
        }
    }

    /// Sell `amount` of `asset` claimed by `from`, if it is the scenario's
    /// token (the sell market trades it); another asset is kept.
    fn sell_rewards(
        &mut self,
        row: &mut StepRow,
        from: AccountId,
        asset: AssetId,
        amount: u128,
    ) -> Result<(), SimError> {
        if asset == self.token {
            row.sold_back += self.sell(row.step, from, amount)?;
        }
        Ok(())
    }

    /// 3c. Revenue paid in from outside under the scenario's rule
    ///     (`[rewards] revenue_rule`, `revenue_per_day`).
    pub(super) fn reward_revenue(&mut self, row: &mut StepRow) -> Result<(), SimError> {
        let Some((rule, amount)) = self.scenario.rewards.as_ref().and_then(|d| d.revenue) else {
            return Ok(());
        };
        if amount > 0 {
            self.apply(
                row.step,
                &Event::Revenue {
                    rule,
                    amount_base_units: amount,
                },
            )?;
        }
        Ok(())
    }
}
