//! The full ledger check, [`State::check_invariants`]: O(accounts x
//! holdings + positions + launch buyers), run after every event in debug builds (and so in
//! every test) and on demand; `apply` asserts its O(1) parts in every
//! build.

use super::{AssetTotals, InvariantViolation, LaunchStatus, PoolState, State};
use crate::economy::{Economy, MarketKind};
use crate::ids::AssetId;
use crate::pool_math::MINIMUM_LIQUIDITY;

impl State {
    /// The full ledger check, O(accounts x holdings + positions): every
    /// asset's supply equals minted - burned and the sum of its balances,
    /// pool reserves and reward-pool custody; per-reason counters sum to
    /// the totals; escrow never over-released; each reward pool's identities
    /// hold (`RewardPoolState::check`); each launch's commitments sum to its
    /// totals and its token is unminted until it graduates.
    pub fn check_invariants(&self, economy: &Economy) -> Result<(), InvariantViolation> {
        // No allocation: this runs after every event in debug builds, and
        // the simulator's allocation test runs in debug.
        let held = |asset: AssetId| -> Result<u128, InvariantViolation> {
            let overflow = || InvariantViolation(format!("balances of asset {} overflow", asset.0));
            let mut sum: u128 = 0;
            for h in self.named.iter().chain(&self.opened) {
                sum = sum.checked_add(h.get(asset)).ok_or_else(overflow)?;
            }
            for (m, pool) in economy.markets.iter().zip(&self.pools) {
                if let (MarketKind::Pool { assets, .. }, Some(p)) = (&m.kind, pool) {
                    for (a, r) in assets.iter().zip(p.reserves) {
                        if *a == asset {
                            sum = sum.checked_add(r).ok_or_else(overflow)?;
                        }
                    }
                }
            }
            for r in &self.runtime_pools {
                for (a, reserve) in r.assets.iter().zip(r.pool.reserves) {
                    if *a == asset {
                        sum = sum.checked_add(reserve).ok_or_else(overflow)?;
                    }
                }
            }
            for l in &self.launches {
                if economy.launch_spec(l.spec).quote == asset {
                    sum = sum.checked_add(l.held).ok_or_else(overflow)?;
                }
            }
            for (spec, pool) in economy.reward_pools.iter().zip(&self.reward_pools) {
                if spec.reward == asset {
                    sum = sum
                        .checked_add(pool.totals.rewards_held)
                        .ok_or_else(overflow)?;
                }
                if spec.stake_asset() == Some(asset) {
                    sum = sum.checked_add(pool.totals.staked).ok_or_else(overflow)?;
                }
            }
            // Launched tokens' stake pools: the template's reward, the
            // launch's token staked.
            for r in &self.runtime_reward_pools {
                let Some(spec) = economy.launch_spec(r.spec).staking.as_ref() else {
                    continue;
                };
                if spec.reward == asset {
                    sum = sum
                        .checked_add(r.pool.totals.rewards_held)
                        .ok_or_else(overflow)?;
                }
                if r.token == asset {
                    sum = sum.checked_add(r.pool.totals.staked).ok_or_else(overflow)?;
                }
            }
            Ok(sum)
        };
        for asset in self.assets() {
            let t = self.totals(asset);
            let name = || economy.asset_name(asset);
            if !t.consistent() {
                return Err(InvariantViolation(format!(
                    "{}: supply {} != minted {} - burned {}",
                    name(),
                    t.supply,
                    t.minted,
                    t.burned
                )));
            }
            let sum = held(asset)?;
            if sum != t.supply {
                return Err(InvariantViolation(format!(
                    "{}: balances and reserves {sum} != supply {}",
                    name(),
                    t.supply
                )));
            }
            let minted: u128 = t.minted_by_reason.iter().sum();
            let burned: u128 = t.burned_by_reason.iter().sum();
            if minted != t.minted || burned != t.burned {
                return Err(InvariantViolation(format!(
                    "{}: per-reason counters do not sum to the totals",
                    name()
                )));
            }
        }
        let shares_match = |name: &dyn Fn() -> String, p: &PoolState, lp: &AssetTotals| {
            let locked = if p.shares > 0 { MINIMUM_LIQUIDITY } else { 0 };
            if lp.supply + locked == p.shares {
                Ok(())
            } else {
                Err(InvariantViolation(format!(
                    "pool {}: {} shares outstanding but the LP supply is {}",
                    name(),
                    p.shares,
                    lp.supply
                )))
            }
        };
        for (i, (m, pool)) in economy.markets.iter().zip(&self.pools).enumerate() {
            if let Some(p) = pool {
                shares_match(&|| m.name.clone(), p, &self.lp_totals[i])?;
            }
        }
        for (k, r) in self.runtime_pools.iter().enumerate() {
            shares_match(&|| format!("runtime#{k}"), &r.pool, &r.lp_totals)?;
        }
        for (i, s) in self.subscriptions.iter().enumerate() {
            if s.released_base_units > s.escrow_base_units {
                return Err(InvariantViolation(format!(
                    "subscription {i}: released more than escrowed"
                )));
            }
        }
        for (spec, pool) in economy.reward_pools.iter().zip(&self.reward_pools) {
            pool.check(spec)?;
        }
        for r in &self.runtime_reward_pools {
            match economy.launch_spec(r.spec).staking.as_ref() {
                Some(spec) => r.pool.check(spec)?,
                None => {
                    return Err(InvariantViolation(format!(
                        "run-time reward pool of launch {} without a staking template",
                        r.launch.index()
                    )))
                }
            }
        }
        for (rules, p) in economy.points.iter().zip(&self.points) {
            p.check(rules, &self.reward_pools[rules.pool.index()])?;
        }
        for (i, l) in self.launches.iter().enumerate() {
            let fail = |what: &str| InvariantViolation(format!("launch {i}: {what}"));
            l.check().map_err(fail)?;
            let minted = self.totals(l.token).minted;
            let graduated = matches!(l.status, LaunchStatus::Graduated { .. });
            if !graduated && minted != 0 {
                return Err(fail("its token was minted before graduation"));
            }
        }
        Ok(())
    }
}
