//! The state of bonding-curve launches (`economy/launch.rs`): each
//! launch's curve, its custody of the raised principal, and what every
//! buyer committed.
//!
//! The principal a launch holds (`held`) is part of its quote asset's
//! supply, counted by `State::check_invariants` with the balances, pool
//! reserves and reward-pool custody. The launched token has no supply until
//! graduation: the tokens buyers are owed are a record, not a balance.

use crate::economy::LaunchSpec;
use crate::ids::{AccountId, AssetId, LaunchSpecId, MarketId};
use crate::units::BaseUnits;
use std::collections::BTreeMap;

/// Where a launch is in its life.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LaunchStatus {
    /// Accepting purchases until its window ends (and, once it has, still
    /// waiting for `GraduateLaunch` or `FailLaunch`).
    Raising,
    /// Graduated at `step`: tokens minted, `pool` seeded.
    Graduated { pool: MarketId, step: u64 },
    /// Failed at `step`: every buyer refunded, nothing minted.
    Failed { step: u64 },
}

/// What one buyer committed to a launch, over all their purchases.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Commitment {
    /// Quote committed to the curve (refunded if the launch fails).
    pub principal: BaseUnits,
    /// Tokens the curve owes them (minted at graduation).
    pub tokens: BaseUnits,
    /// Purchase fees they paid (never refunded).
    pub fees: BaseUnits,
}

/// One launch. Buyers are kept in a `BTreeMap` by account: a purchase
/// finds its buyer in O(log buyers) with no hashing, and graduation and
/// refunds walk them in account order, deterministically. A buyer's first
/// purchase inserts a node (an allocation, amortized): launches are not
/// the metered-action hot path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaunchState {
    pub spec: LaunchSpecId,
    pub issuer: AccountId,
    /// The launched token (`AssetId::launched`).
    pub token: AssetId,
    /// The step the launch was created at.
    pub created_step: u64,
    /// The first step at which purchases are refused.
    pub closes_step: u64,
    pub status: LaunchStatus,
    /// Principal committed (quote base units), the curve's real reserve.
    pub raised: BaseUnits,
    /// Tokens the curve owes buyers.
    pub sold: BaseUnits,
    /// Purchase fees paid.
    pub fees: BaseUnits,
    /// Principal in the launch's custody: `raised` while raising, 0 after.
    pub held: BaseUnits,
    pub(crate) commitments: BTreeMap<AccountId, Commitment>,
    /// The token's stake pool, created at graduation from the spec's
    /// `staking` template (None before, or without one).
    pub stake_pool: Option<crate::ids::RewardPoolId>,
    /// Gross (pre-discount) usage paid per payer, numeraire base units
    /// (`LaunchUsage`): what rewards by usage weigh, so a discounted payer
    /// counts as if paying full price (seed 004). A payer's first call
    /// inserts a node, as a buyer's first purchase does.
    pub(crate) usage: BTreeMap<AccountId, BaseUnits>,
    /// Σ `usage`.
    pub gross_usage: BaseUnits,
}

impl LaunchState {
    /// Every buyer's commitment, in account order.
    pub fn commitments(&self) -> impl Iterator<Item = (AccountId, &Commitment)> + '_ {
        self.commitments.iter().map(|(a, c)| (*a, c))
    }

    /// One buyer's commitment (zero if they bought nothing).
    pub fn commitment(&self, buyer: AccountId) -> Commitment {
        self.commitments.get(&buyer).copied().unwrap_or_default()
    }

    /// A payer's gross (pre-discount) usage so far (0 if none).
    pub fn usage_of(&self, payer: AccountId) -> BaseUnits {
        self.usage.get(&payer).copied().unwrap_or(0)
    }

    /// Every payer's gross usage, in account order.
    pub fn usage(&self) -> impl Iterator<Item = (AccountId, BaseUnits)> + '_ {
        self.usage.iter().map(|(a, u)| (*a, *u))
    }

    /// Buyers so far.
    pub fn buyers(&self) -> usize {
        self.commitments.len()
    }

    /// The curve's virtual reserves now: `(virtual_quote + raised,
    /// virtual_tokens - sold)`. None only if the spec and state disagree
    /// (a bug: validation bounds what the curve can sell).
    pub fn curve_reserves(&self, spec: &LaunchSpec) -> Option<(BaseUnits, BaseUnits)> {
        Some((
            spec.curve.virtual_quote.checked_add(self.raised)?,
            spec.curve.virtual_tokens.checked_sub(self.sold)?,
        ))
    }

    /// The full check of one launch, O(buyers): commitments sum to the
    /// totals, custody matches the status. Returns what is wrong.
    pub(crate) fn check(&self) -> Result<(), &'static str> {
        let (mut principal, mut tokens, mut fees) = (0u128, 0u128, 0u128);
        for c in self.commitments.values() {
            principal = principal
                .checked_add(c.principal)
                .ok_or("principal overflows")?;
            tokens = tokens.checked_add(c.tokens).ok_or("tokens overflow")?;
            fees = fees.checked_add(c.fees).ok_or("fees overflow")?;
        }
        if principal != self.raised {
            return Err("commitments do not sum to the raised principal");
        }
        if tokens != self.sold {
            return Err("commitments do not sum to the tokens sold");
        }
        if fees != self.fees {
            return Err("commitments do not sum to the fees");
        }
        let mut gross: BaseUnits = 0;
        for u in self.usage.values() {
            gross = gross.checked_add(*u).ok_or("usage overflows")?;
        }
        if gross != self.gross_usage {
            return Err("usage per payer does not sum to the gross usage");
        }
        let expected_held = match self.status {
            LaunchStatus::Raising => self.raised,
            LaunchStatus::Graduated { .. } | LaunchStatus::Failed { .. } => 0,
        };
        if self.held != expected_held {
            return Err("custody does not match the status");
        }
        Ok(())
    }
}

/// A reward pool created at run time: a graduated launch's stake pool,
/// its rules the launch spec's `staking` template, its stake asset the
/// launch's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeRewardPool {
    pub launch: crate::ids::LaunchId,
    pub spec: LaunchSpecId,
    /// The staked asset: the launched token.
    pub token: AssetId,
    pub pool: super::RewardPoolState,
}

impl crate::State {
    /// The reward pools created at run time, in creation order.
    pub fn runtime_reward_pools(&self) -> &[RuntimeRewardPool] {
        &self.runtime_reward_pools
    }

    /// A reward pool's state, declared or created at run time (as
    /// `State::reward_pool`), to change it.
    pub(crate) fn reward_pool_mut(
        &mut self,
        pool: crate::ids::RewardPoolId,
    ) -> Option<&mut super::RewardPoolState> {
        match pool.slot() {
            crate::ids::RewardPoolSlot::Declared(i) => self.reward_pools.get_mut(i),
            crate::ids::RewardPoolSlot::Runtime(i) => {
                self.runtime_reward_pools.get_mut(i).map(|r| &mut r.pool)
            }
        }
    }

    /// Room for `additional` more launches, with their tokens and graduated
    /// pools, so a driver that creates at most that many never reallocates
    /// these tables during a run (the simulator reserves its scenario's
    /// bound at setup).
    pub fn reserve_launches(&mut self, additional: usize) {
        self.launches.reserve_exact(additional);
        self.launched.reserve_exact(additional);
        self.launched_totals.reserve_exact(additional);
        self.launched_prices.reserve_exact(additional);
        self.runtime_pools.reserve_exact(additional);
        self.runtime_reward_pools.reserve_exact(additional);
    }
}
